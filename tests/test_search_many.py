"""`search_many`: the same passages as one `search` per question, on one index and on shards
(real default model, real FAISS, XQuAD paragraphs in three languages)."""
from __future__ import annotations

import json

import pytest

import qa.retrieval
import qa.sharded
from qa import Retriever, build_index
from qa.errors import BadQuestion
from qa.retrieval import MODES
from conftest import ROOT

XQUAD = ROOT.parent / "shared" / "bench" / "xquad"
LANGS = ("en", "de", "zh")
PARAGRAPHS = 30  # per language


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """The same XQuAD subset as one index and as 3 shards, and a mixed-language list of
    questions about it with duplicates."""
    if not (XQUAD / "xquad.en.json").exists():
        pytest.fail(f"XQuAD is missing at {XQUAD} (the shared benchmark data)")
    tmp = tmp_path_factory.mktemp("search-many")
    questions: list[str] = []
    for lang in LANGS:
        data = json.loads((XQUAD / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
        paragraphs = [p for article in data for p in article["paragraphs"]][:PARAGRAPHS]
        (tmp / "docs" / lang).mkdir(parents=True)
        for i, para in enumerate(paragraphs):
            (tmp / "docs" / lang / f"p{i:03d}.txt").write_text(para["context"], encoding="utf-8")
        questions += [qa["question"] for para in paragraphs[::3] for qa in para["qas"][:1]]
    build_index([tmp / "docs"], index=tmp / "one", progress=False)
    build_index([tmp / "docs"], index=tmp / "three", shards=3, progress=False)
    # interleave the languages, and ask some questions twice, apart and in a row
    mixed = [q for trio in zip(*(questions[i::3] for i in range(3))) for q in trio]
    mixed += [mixed[0], mixed[4], mixed[4], "  " + mixed[1] + "\t"]
    one, three = Retriever.open(tmp / "one"), Retriever.open(tmp / "three")
    yield {"one": one, "three": three}, mixed
    one.close()
    three.close()


def same(a, b) -> None:
    """Two lists of results are the same: passages, order, answers, notices, scores to float tolerance."""
    assert len(a) == len(b)
    for hits_a, hits_b in zip(a, b):
        da, db = [h.to_dict() for h in hits_a], [h.to_dict() for h in hits_b]
        assert [h.pop("score") for h in da] == pytest.approx([h.pop("score") for h in db], abs=2e-4)
        assert da == db


@pytest.mark.parametrize("kind", ["one", "three"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", [None, {"langs": ["de", "zh"]}, {"folders": ["en"]}])
def test_search_many_is_search_per_question(indexes, kind, mode, where, monkeypatch):
    retrievers, questions = indexes
    r = retrievers[kind]
    assert len(questions) > 30 and len(set(questions)) < len(questions)
    # several batches, the last one short
    monkeypatch.setattr(qa.retrieval, "QUERY_BATCH", 8)
    monkeypatch.setattr(qa.sharded, "QUERY_BATCH", 8)
    monkeypatch.setattr(qa.retrieval, "READ_BATCH", 3)  # stored data read for 3 questions at once, the last 2
    r.encoder.clear_cache()  # both sides embed the questions themselves: one batch, one at a time
    many = r.search_many(questions, k=7, mode=mode, where=where)
    r.encoder.clear_cache()
    one_by_one = [r.search(q, k=7, mode=mode, where=where) for q in questions]
    same(many, one_by_one)
    if mode != "lexical":  # BM25 finds fewer than k for a question whose words are in no passage
        assert all(len(hits) == 7 for hits in many)
    if where == {"folders": ["en"]}:
        assert {h.source.split("/")[0] for hits in many for h in hits} == {"en"}
    if mode != "lexical":
        assert all(hits[0].answer is not None for hits in many)


def test_sharded_batch_gives_the_one_index_dense_results(indexes):
    retrievers, questions = indexes
    one = retrievers["one"].search_many(questions, k=5, mode="dense")
    three = retrievers["three"].search_many(questions, k=5, mode="dense")
    assert [[(h.source, h.paragraph) for h in hits] for hits in one] == \
           [[(h.source, h.paragraph) for h in hits] for hits in three]


@pytest.mark.parametrize("kind", ["one", "three"])
def test_questions_are_embedded_in_one_call_through_the_query_cache(indexes, kind, monkeypatch):
    retrievers, questions = indexes
    import qa.encoder

    r = retrievers[kind]
    model = r.encoder.model
    calls: list[list[str]] = []
    real, direct = model.encode_query, qa.encoder.direct_queries

    def counted(texts, *args, **kwargs):
        calls.append(list(texts))
        return real(texts, *args, **kwargs)

    def counted_direct(runner, texts):  # the default model's questions skip encode_query (same vectors)
        calls.append(list(texts))
        return direct(runner, texts)

    monkeypatch.setattr(model, "encode_query", counted)
    monkeypatch.setattr(qa.encoder, "direct_queries", counted_direct)
    r.encoder.clear_cache()
    r.search(questions[2])  # cached before the batch: not embedded again
    calls.clear()
    r.search_many(questions)
    distinct = list(dict.fromkeys(" ".join(q.split()) for q in questions))
    # one call: the questions, then (an index with a stored vocabulary) their words to
    # translate (qa/word_translation.py)
    assert len(calls) == 1 and calls[0][:len(distinct) - 1] == [q for q in distinct if q != questions[2]]
    calls.clear()
    r.search(questions[5])  # the batch filled the cache
    assert calls == []


@pytest.mark.parametrize("kind", ["one", "three"])
def test_bad_input_gives_searchs_errors(indexes, kind):
    r = indexes[0][kind]
    assert r.search_many([]) == []
    for args, kwargs in ((["ok", "  "], {}), (["ok"], {"k": 0}), (["ok"], {"mode": "fuzzy"}),
                         (["ok", 3], {}), (["ok"], {"where": {"since": "last week"}})):
        with pytest.raises(BadQuestion) as many:
            r.search_many(args, **kwargs)
        bad = next((q for q in args if not isinstance(q, str) or not q.strip()), args[0])
        with pytest.raises(BadQuestion) as one:
            r.search(bad, **kwargs)
        assert str(many.value) == str(one.value) and "\n" not in str(many.value)
    with pytest.raises(BadQuestion, match="list of texts"):
        r.search_many("one question, not a list")
