"""A sharded index answers like one index over the same documents: BM25 with the statistics
of the whole collection (qa/lexical_stats.py), names met in all shards' terms. Real default
model, real FAISS, real XQuAD files; one index vs 3 shards, before and after an update."""
from __future__ import annotations

import shutil

import pytest

from qa import Retriever, build_index
from qa.filters import as_where
from qa.language import query_tokens
from qa.lexical_plan import match_expression
from qa.retrieval import vocabulary_of
from qa.sharded import ShardedRetriever
from qa.shards import shard_of
from id_checks import store_generation
from kills import kill_update_between_shards
from parity import XQUAD, assert_alike, xquad

LANGS = ("en", "de", "zh")
PARAGRAPHS = 30
# off-topic questions: their hits are weak matches, flagged by the lexical evidence too
OFF_TOPIC = ["How do I bake sourdough bread at home?", "Wie repariere ich einen platten Fahrradreifen?",
             "What is the best router for a small office?"]



@pytest.fixture(scope="module")
def folder_and_questions(tmp_path_factory):
    if not (XQUAD / "xquad.en.json").exists():
        pytest.fail(f"XQuAD is missing at {XQUAD} (the shared benchmark data)")
    tmp = tmp_path_factory.mktemp("shard-stats")
    questions = []
    for lang in (*LANGS, "ru", "ar"):  # ru and ar: asked across languages only (names, translated words)
        contexts, qs = xquad(lang)
        if lang in LANGS:
            (tmp / "docs" / lang).mkdir(parents=True)
            for i, text in enumerate(contexts[:PARAGRAPHS]):
                (tmp / "docs" / lang / f"p{i:04d}.txt").write_text(text, encoding="utf-8")
        questions.extend([q for q, gold in qs if gold < PARAGRAPHS][::6])
    return tmp, questions + OFF_TOPIC


# this collection's vocabulary (~4,000 words) met through an inverted file, as from 20,000 words
INVERTED_FROM = 1000


@pytest.mark.parametrize("inverted", [False, True], ids=["exact-words", "inverted-file"])
def test_shards_answer_like_one_index_before_and_after_an_update(folder_and_questions, tmp_path, monkeypatch,
                                                                 inverted):
    """Hybrid and lexical rankings, scores and weak flags of 3 shards are one index's (the
    same folder), and stay so after a file of one shard is changed and another's deleted; also
    when the words are met through an inverted file (one index's made by `qa index`, the
    shards' merged words' trained at first use: `qa.word_index.build`, a function of the words)."""
    from qa import word_index

    if inverted:
        monkeypatch.setattr(word_index, "ANN_FROM", INVERTED_FROM)
    base, questions = folder_and_questions
    docs = tmp_path / "docs"
    shutil.copytree(base / "docs", docs)
    build_index([docs], index=tmp_path / "one", progress=False)
    build_index([docs], index=tmp_path / "three", shards=3, progress=False)
    one, three = Retriever.open(tmp_path / "one"), Retriever.open(tmp_path / "three")
    try:
        assert isinstance(three, ShardedRetriever) and len(questions) > 40
        merged = three._vocabulary([shard._view for shard in three.shards])
        assert vocabulary_of(one._view).approximate == merged.approximate == inverted
        assert_alike(one, three, questions, OFF_TOPIC)

        # a file of one shard gets other words (document frequencies and lengths move), one of
        # another shard goes: both indexes updated as `qa index` updates them
        changed, gone = docs / "en" / "p0003.txt", docs / "de" / "p0007.txt"
        assert shard_of("en/p0003.txt", 3) != shard_of("de/p0007.txt", 3)
        changed.write_text(changed.read_text(encoding="utf-8") + "\n\n" + (docs / "en" / "p0011.txt").read_text(
            encoding="utf-8") + " The Super Bowl was played in Santa Clara, California.", encoding="utf-8")
        gone.unlink()
        for index in ("one", "three"):
            report = build_index([docs], index=tmp_path / index, progress=False)
            assert (report.updated, report.removed) == (1, 1)
        assert one.refresh() and three.refresh()
        assert_alike(one, three, questions, OFF_TOPIC)
    finally:
        one.close(), three.close()


def test_bm25_with_a_store_s_own_statistics_is_fts5_s_to_the_bit(folder_and_questions, tmp_path):
    """`Store.bm25_with` scores as FTS5's bm25() does: given one store's own statistics, the
    same passages in the same order with the same scores, after rows were deleted too."""
    base, questions = folder_and_questions
    docs = tmp_path / "docs"
    shutil.copytree(base / "docs", docs)
    build_index([docs], index=tmp_path / "one", progress=False)
    for name in ("p0001.txt", "p0002.txt"):
        (docs / "en" / name).unlink()
    build_index([docs], index=tmp_path / "one", progress=False)  # FTS5 rows deleted
    r = Retriever.open(tmp_path / "one")
    try:
        store = r.store
        only = as_where({"langs": ["de", "zh"]}).sql()
        compared = 0
        for q in questions:
            terms = list(dict.fromkeys(query_tokens(q, None)))
            if not terms:
                continue
            own = store.lexical_stats(terms)
            assert own.rows == store.counts()[1]
            expected = store.bm25(match_expression(terms), 50)
            assert store.bm25_with(terms, own, 50) == expected, q
            compared += bool(expected)
            # with a filter: the passages it allows, scored with the whole store's statistics as FTS5 does
            assert store.bm25_with(terms, own, 20, only) == store.bm25(match_expression(terms), 20, only), q
        assert compared > 40
    finally:
        r.close()


def test_an_index_grown_then_pruned_translates_words_as_one_built_afresh(folder_and_questions, tmp_path):
    """An index built from part of a folder, then updated by `qa index` (a language's files
    added, a file removed), holds its words in other rows (the order they came in) than one
    built afresh from the folder as it is then: both translate every question's words into the
    same index words (a word spelled alike in two languages has one vector: the tie is broken
    by (word, language), not by row order) and give the same hybrid hits with the same scores."""
    from parity import answers, translated

    base, questions = folder_and_questions
    docs, held = tmp_path / "docs", tmp_path / "held"
    shutil.copytree(base / "docs", docs)
    shutil.move(docs / "en", held)
    build_index([docs], index=tmp_path / "grown", progress=False)  # de and zh
    shutil.move(held, docs / "en")
    assert build_index([docs], index=tmp_path / "grown", progress=False).added == PARAGRAPHS
    (docs / "de" / "p0004.txt").unlink()
    assert build_index([docs], index=tmp_path / "grown", progress=False).removed == 1
    build_index([docs], index=tmp_path / "fresh", progress=False)
    grown, fresh = Retriever.open(tmp_path / "grown"), Retriever.open(tmp_path / "fresh")
    try:
        # the same words (word, language), in another order
        a, b = vocabulary_of(grown._view), vocabulary_of(fresh._view)
        assert sorted(a.keys) == sorted(b.keys) and a.keys != b.keys
        # words spelled alike in English and another language: one vector each, tied
        assert len({w for w, lang in b.keys if lang == "en"} & {w for w, lang in b.keys if lang != "en"}) > 20
        # a question asked of both in turn: its words missing from the index are embedded once (the
        # encoder's query cache), as BLAS may round the same text otherwise in another batch, and
        # the cache (1,024 texts) does not hold every question's words from one pass to the next
        pairs = [(translated(grown, [q])[0], translated(fresh, [q])[0]) for q in questions]
        differ = [(q, s, t) for q, (s, t) in zip(questions, pairs) if s != t]
        assert not differ, (len(differ), differ[:3])
        # the same hits in the same order, the same flags; scores to rounding (the passages embedded
        # in other batches: BLAS may round a row's last bits otherwise, 0.6256 against 0.6255)
        pairs = [(answers(grown, [q], "hybrid")[0], answers(fresh, [q], "hybrid")[0]) for q in questions]
        differ = [(q, s, t) for q, (s, t) in zip(questions, pairs)
                  if [(src, par, weak) for src, par, _, weak in s] != [(src, par, weak) for src, par, _, weak in t]
                  or any(abs(a[2] - b[2]) > 2e-4 for a, b in zip(s, t))]
        assert not differ, (len(differ), differ[:3])
    finally:
        grown.close(), fresh.close()


def test_an_update_killed_between_shards_leaves_no_shard_s_words_stale(folder_and_questions, tmp_path, monkeypatch):
    """A sharded `qa index` (a real process) killed once its first shard is updated and its
    second begun (SIGKILL): a reader open throughout meets, through the inverted file of the
    merged words, the words every shard holds then (the updated shard's: those a reader opened
    afresh reads), and once the update is run again, the words and hybrid answers of a reader
    opened afresh. (A shard cut short keeps the words of its last finished build for a reader
    open meanwhile, as one index does: `Store.word_vocabulary`.)"""

    from parity import answers, translated
    from qa import word_index
    from qa.layout import current_data
    from qa.store import DB_NAME

    monkeypatch.setattr(word_index, "ANN_FROM", INVERTED_FROM)
    base, questions = folder_and_questions
    docs = tmp_path / "docs"
    shutil.copytree(base / "docs", docs)
    build_index([docs], index=tmp_path / "three", shards=3, progress=False)
    data = current_data(tmp_path / "three")

    def generation(name: str) -> int:
        return store_generation(current_data(data / name) / DB_NAME)

    three = Retriever.open(tmp_path / "three")
    try:
        assert translated(three, questions[:3])  # its merged words and their inverted file made
        first = sorted(vocabulary_of(three.shards[0]._view, vectors=True).keys)
        # every file gets a paragraph of its language it did not hold: new words in every shard
        for path in sorted(docs.rglob("*.txt")):
            lang, number = path.parent.name, int(path.stem[1:])
            path.write_text(path.read_text(encoding="utf-8") + "\n\n" + xquad(lang)[0][PARAGRAPHS + number],
                            encoding="utf-8")
        kill_update_between_shards(docs, tmp_path / "three", lambda: generation("shard-001"))
        assert three.refresh()
        merged = three._vocabulary([shard._view for shard in three.shards])
        assert merged.approximate
        # the inverted file holds exactly the merged words of every shard as this reader has them
        own = [vocabulary_of(shard._view, vectors=True) for shard in three.shards]
        assert set(merged.keys) == set().union(*(part.keys for part in own)) and merged.ann().ntotal == len(merged.keys)
        fresh = Retriever.open(tmp_path / "three")
        try:
            # the shard whose update ended: its words are those a reader opened now reads
            assert sorted(own[0].keys) == sorted(vocabulary_of(fresh.shards[0]._view, vectors=True).keys) != first
        finally:
            fresh.close()

        build_index([docs], index=tmp_path / "three", progress=False)  # the update run again, to its end
        assert three.refresh()
        again = Retriever.open(tmp_path / "three")
        try:
            assert translated(three, questions) == translated(again, questions)
            assert answers(three, questions, "hybrid") == answers(again, questions, "hybrid")
        finally:
            again.close()
    finally:
        three.close()


def test_passage_lengths_read_at_once_are_fts5_s_records():
    """`first_varints` reads the first integer of FTS5 records (SQLite varints) as `varints`
    does one by one: one byte, two, the longer ones, a record holding more than one, an empty one."""
    import random

    from qa.lexical_stats import first_varints, varints

    def varint(value: int) -> bytes:
        groups = [value & 0x7F]
        while value >> 7:
            value >>= 7
            groups.append(value & 0x7F)
        groups.reverse()
        return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])

    rng = random.Random(18)
    values = [rng.choice([0, 1, 5, 127, 128, 200, 16383, 16384, 99999, 2 ** 21 + 5, 2 ** 40]) for _ in range(3000)]
    records = [varint(v) + (varint(rng.randint(0, 500)) if rng.random() < 0.3 else b"") for v in values]
    # the records that differ, not the lists: pytest's diff of two lists of 3,000 took 11 minutes
    assert not [(r, v) for r, v in zip(records, values) if varints(r)[0] != v]
    wrong = [(r, v, got) for r, v, got in zip(records, values, first_varints(records).tolist()) if got != v]
    assert not wrong, (len(wrong), wrong[:5])
    assert first_varints([b"", b"\x05", b""]).tolist() == [0, 5, 0] and first_varints([]).tolist() == []
