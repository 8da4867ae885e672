"""Comparing a sharded index's answers with one index's over the same documents
(tests/test_shard_stats.py, tests/test_shards.py, tests/test_cluster.py)."""
from __future__ import annotations

import json

from qa.retrieval import Query, question_terms, vocabulary_of
from qa.sharded import ShardedRetriever
from conftest import ROOT

XQUAD = ROOT.parent / "shared" / "bench" / "xquad"


def xquad(lang: str) -> tuple[list[str], list[tuple[str, int]]]:
    """XQuAD's paragraphs in `lang` and its questions, each with its paragraph's number."""
    data = json.loads((XQUAD / f"xquad.{lang}.json").read_text(encoding="utf-8"))["data"]
    contexts, questions = [], []
    for article in data:
        for para in article["paragraphs"]:
            questions.extend((qa["question"], len(contexts)) for qa in para["qas"])
            contexts.append(para["context"])
    return contexts, questions


def answers(retriever, questions: list[str], mode: str) -> list[list[tuple]]:
    return [[(h.source, h.paragraph, h.score, h.weak) for h in retriever.search(q, k=10, mode=mode)]
            for q in questions]


def translated(retriever, questions: list[str]) -> list[list[str]]:
    """Each question's words translated into the index's (`qa.retrieval.question_terms`)."""
    if hasattr(retriever, "handles"):  # `qa.cluster.serve.ServedRetriever`: as its search translates
        vocabulary, stored = retriever._vocabulary(), retriever._stored_words
    elif isinstance(retriever, ShardedRetriever):
        views = [s._view for s in retriever.shards]
        vocabulary, stored = retriever._vocabulary(views), lambda w: retriever._stored_words(views, w)
    else:
        vocabulary, stored = vocabulary_of(retriever._view), retriever.store.stored_word_vectors
    return [question_terms(retriever.encoder, [Query.of(q, "hybrid")], vocabulary, stored)[1][0] for q in questions]


def assert_alike(one, shards, questions: list[str], off_topic: list[str]) -> None:
    """Every question's words translate into the same index words (a word spelled alike in
    two languages, one vector: ties broken by (word, language), never by the rows' order,
    i.e. the index's history), and every question ranks alike, lexical and hybrid."""
    a, b = translated(one, questions), translated(shards, questions)
    differ = [(q, x, y) for q, x, y in zip(questions, a, b) if x != y]
    assert not differ, (len(differ), differ[:3])
    for mode in ("lexical", "hybrid"):
        a, b = answers(one, questions, mode), answers(shards, questions, mode)
        differ = [(q, [(s, t) for s, t in zip(x, y) if s != t][:2]) for q, x, y in zip(questions, a, b) if x != y]
        assert not differ, (mode, len(differ), differ[:3])
    assert any(h[3] for hits in answers(one, off_topic, "hybrid") for h in hits)  # weak flags were compared
