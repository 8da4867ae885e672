"""Retrieval on the French seed article, asked in several languages."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from qa import Passage, search
from qa.errors import BadQuestion
from conftest import SEED_NAME, SEEDS


def test_french_question_finds_shanghai(retriever):
    hits = retriever.search("Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?", k=5)
    assert "Shanghai" in hits[0].text and "WAIC" in hits[0].text
    assert hits[0].source == SEED_NAME and hits[0].paragraph == 4


def test_english_question_finds_patents(retriever):
    hits = retriever.search("Who filed most generative AI patents?", k=5)
    assert "brevets" in hits[0].text


def test_chinese_question_finds_the_call(retriever):
    hits = retriever.search("中国总理呼吁什么？", k=3)
    assert any("Premier ministre" in h.text and ("appel" in h.text or "exhort" in h.text) for h in hits)


def test_passage_fields_and_offsets(retriever):
    doc = (SEEDS / SEED_NAME).read_text(encoding="utf-8")
    hits = retriever.search("restrictions on chip exports", k=7)
    assert [h.rank for h in hits] == list(range(1, 8))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        assert isinstance(h, Passage)
        assert doc[h.start:h.end] == h.text
        assert h.date == "2024-07" and h.page is None and h.title
        assert h.answer is not None and h.text[h.answer.start:h.answer.end] == h.answer.text
        assert len(h.answer.text) < len(h.text) or "\n" not in h.text
        d = h.to_dict()
        for key in ("rank", "score", "text", "source", "paragraph", "start", "end", "page", "title", "date"):
            assert d[key] == getattr(h, key)
        assert set(d["answer"]) == {"text", "start", "end", "time"} and d["answer"]["time"] is None


def test_answer_is_a_sentence_not_the_passage(retriever):
    hits = retriever.search("Which exports did the United States restrict?", k=1)
    answer = hits[0].answer
    assert "puces" in answer.text and len(answer.text) < len(hits[0].text)


def test_deterministic(retriever):
    q = "Quels risques le Premier ministre a-t-il évoqués ?"
    assert [h.to_dict() for h in retriever.search(q)] == [h.to_dict() for h in retriever.search(q)]


@pytest.mark.parametrize("question", ["", "   ", "\x00\n\t"])
def test_empty_question_is_an_error(retriever, question):
    with pytest.raises(BadQuestion):
        retriever.search(question)


@pytest.mark.parametrize("k", [0, -1])
def test_bad_k_is_an_error(retriever, k):
    with pytest.raises(BadQuestion):
        retriever.search("brevets", k=k)


def test_huge_k_is_clamped(retriever, tmp_path):
    assert len(retriever.search("brevets", k=10**9)) == 7  # all the seed has
    # and to MAX_K where the index holds more (the seed's 7 passages could not tell)
    from qa import Retriever, build_index
    from qa.retrieval import MAX_K

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "phares.txt").write_text("\n\n".join(f"Le phare numéro {n} fut allumé en {1800 + n}."
                                                  for n in range(MAX_K + 20)), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    many = Retriever.open(tmp_path / "index")
    try:
        assert len(many.search("phare", k=10**9)) == MAX_K
        assert len(many.search_many(["phare", "allumé"], k=MAX_K + 5)[1]) == MAX_K
    finally:
        many.close()


def test_module_level_search_uses_a_cached_retriever(seed_index):
    from qa.retrieval import LEXICAL_THREADS, retrievers

    first = search("brevets", index=seed_index)
    assert retrievers.get(seed_index) is retrievers.get(seed_index)
    assert first[0].to_dict() == search("brevets", index=seed_index)[0].to_dict()
    # the same retriever answers every time: no index is opened again (its files and
    # connections would pile up, a set per question; the open one's lexical threads may each
    # still open their connection, at most LEXICAL_THREADS of them, each a database, its WAL
    # and its shared memory)
    index = str(Path(seed_index).resolve())

    def open_files() -> int:
        return sum(os.path.realpath(f"/proc/self/fd/{fd}").startswith(index) for fd in os.listdir("/proc/self/fd"))

    before = open_files()
    for _ in range(16):
        assert search("brevets", index=seed_index)[0].to_dict() == first[0].to_dict()
    assert open_files() - before <= 3 * LEXICAL_THREADS


def _resident_kb(suffix: str) -> tuple[int, int]:
    """(mappings, resident KB) of this process's maps of files whose path ends with `suffix`."""
    maps, kb, current = 0, 0, False
    with open("/proc/self/smaps") as fh:
        for line in fh:
            parts = line.split()
            if parts and "-" in parts[0] and not parts[0].endswith(":"):
                current = len(parts) > 5 and parts[-1].endswith(suffix)
                maps += current
            elif current and parts[0] == "Rss:":
                kb += int(parts[1])
    return maps, kb


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc")
def test_searches_read_the_store_without_mapping_it(seed_index):
    """The store's pages stay in the page cache, not in the process: no thread's connection
    (the searching thread's, the lexical threads') maps the database file."""
    from qa import Retriever

    retriever = Retriever.open(seed_index)  # connections of its own, made by these searches
    try:
        assert retriever.search_many(["Qui a déposé les brevets ?", "Where did Li Qiang speak?", "专利"] * 3)[0]
        assert len(retriever.store._open) >= 2  # the searching thread and lexical threads read it
        assert _resident_kb(str(retriever.store.path.resolve())) == (0, 0)
    finally:
        retriever.close()


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc")
def test_a_question_reads_the_rows_of_the_embedding_and_identifier_tables_without_mapping_them(seed_index):
    """A question's rows of USE's embedding table and of the identifier's feature table are read
    (pread), not touched through their maps: a touched row brought the page cache's whole large
    folio into the process, ~7 MB of the 64 MB table for one question after a release
    (docs/performance.md, "Session 22: mapped tables"). The maps stay, for batches of passages."""
    from qa import Retriever, mapped

    retriever = Retriever.open(seed_index)
    retriever.encoder.clear_cache()  # questions asked by earlier tests are embedded again
    try:
        first = [p.id for p in retriever.search("Combien coûte le pain au marché du samedi ?")]
        mapped.release()
        retriever.encoder.clear_cache()
        assert [p.id for p in retriever.search("Combien coûte le pain au marché du samedi ?")] == first
        retriever.search("Wann wurde die Brücke über den Fluss gebaut?")
        assert _resident_kb("/weights/table.npy") == (1, 0) and _resident_kb("/ptc.npy") == (1, 0)
        assert _resident_kb("/nextmove.npy")[1] > 0  # the identifier is mapped and read meanwhile
    finally:
        retriever.close()


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc")
def test_answering_gives_back_the_mapped_pages_every_few_questions(seed_index, monkeypatch):
    """At every RELEASE_EVERY-th question the pages of the mapped model tables and sentence
    matrix leave the process (qa.mapped.release); the answers after are the same."""
    from qa import Retriever, mapped

    monkeypatch.setattr(mapped, "RELEASE_EVERY", 3)
    monkeypatch.setattr(mapped, "_answered", itertools.count(1))
    retriever = Retriever.open(seed_index)
    retriever.encoder.clear_cache()  # questions asked by earlier tests are embedded again: the tables are read
    try:
        assert retriever._view.sentences is not None  # the seed index has its sentence matrix
        questions = ["Qui a déposé les brevets ?", "Where did Li Qiang speak?"]
        first = [[p.id for p in hits] for hits in retriever.search_many(questions)]  # questions 1 and 2
        assert _resident_kb("sentences.matrix")[1] > 0 and _resident_kb(".npy")[1] > 0
        third = [p.id for p in retriever.search(questions[0])]  # the third: released after it
        assert _resident_kb("sentences.matrix")[1] == 0 and _resident_kb(".npy")[1] == 0
        assert third == first[0]
        assert [[p.id for p in hits] for hits in retriever.search_many(questions)] == first
    finally:
        retriever.close()
