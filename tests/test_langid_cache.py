"""qa/langid_cache.py: the memory-mapped language identifier is py3langid's, restricted as qa restricts it."""
from __future__ import annotations

import json

import numpy as np

from conftest import ROOT

XQUAD = ROOT.parent / "shared" / "bench" / "xquad"


def _texts() -> list[str]:
    texts = ["hello world", "Où Li Qiang a-t-il parlé ?", "", "1234", "Ｆｕｌｌｗｉｄｔｈ", "ПРИВЕТ МИР"]
    for lang in ("en", "de", "es", "zh", "ru", "ar", "vi"):
        path = XQUAD / f"xquad.{lang}.json"
        if path.exists():
            for article in json.loads(path.read_text(encoding="utf-8"))["data"][:2]:
                for p in article["paragraphs"]:
                    texts += [p["context"], p["context"][:40]] + [q["question"] for q in p["qas"]]
    return texts


def test_cached_identifier_classifies_as_py3langid(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from qa.langid_cache import cache_dir, load_identifier
    from qa.language import LANGUAGES

    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    reference.set_languages(LANGUAGES)
    texts = _texts()
    for attempt in ("built and saved", "read back"):
        model = load_identifier(LANGUAGES)
        assert (cache_dir(LANGUAGES) / "meta.json").exists()
        assert [model.classify(t) for t in texts] == [reference.classify(t) for t in texts]
        assert [model.rank(t) for t in texts[:50]] == [reference.rank(t) for t in texts[:50]]
    assert isinstance(model.nb_ptc.array.base, np.memmap)  # read back: mapped (or its rows read), not loaded
    (cache_dir(LANGUAGES) / "meta.json").write_text("{")  # damaged: rebuilt and saved again
    assert [load_identifier(LANGUAGES).classify(t) for t in texts] == [reference.classify(t) for t in texts]
    assert isinstance(load_identifier(LANGUAGES).nb_ptc.array.base, np.memmap)


def test_read_back_identifier_holds_its_walk_tables_compactly(tmp_path, monkeypatch):
    """The DFA walk's per-state tables (100k+ states) as arrays, not lists of int objects: ~7 MB of a
    serving process's memory (docs/performance.md, "Session 21"); the same answers (test above)."""
    import tracemalloc

    from qa.langid_cache import load_identifier
    from qa.language import LANGUAGES

    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path))
    load_identifier(LANGUAGES)  # built and saved
    tracemalloc.start()
    try:
        model = load_identifier(LANGUAGES)  # read back
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(model._rowbase) == len(model.tk_output) > 100_000
    assert held < 3_000_000, held  # 8.5 MB with lists
