"""The weak bar relative to the passage (qa/weakbar.py): real model, real indexes of a few short
man-page passages (French `date(1)` options) where the absolute bar lets off-topic questions
through, as it does on benchmarks/french_manpages.py's collection."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import SEEDS, SEED_NAME
from qa import Retriever, build_index
from qa.encoder import encoders
from qa.indexer import remove_documents
from qa.probes import PROBES
from qa.weakbar import HUB_MARGIN, HUB_PROBES, passage_hubs

DATE_PAGE = """DATE(1)

NOM
       date - afficher ou modifier la date et l'heure du système

OPTIONS
       -d, --date=CHAÎNE
              afficher la date indiquée dans CHAÎNE plutôt que la date actuelle

       -u, --utc, --universal
              afficher ou modifier le temps universel coordonné (UTC)

       %a     nom abrégé du jour de la semaine selon la locale (par exemple, dim.)

       %j     quantième du jour dans l'année (001..366)

       %s     nombre de secondes depuis l'époque UNIX (00:00:00 UTC le 1er janvier 1970)

       %U     quantième de la semaine dans l'année, dimanche étant considéré
              comme premier jour de la semaine (00..53)

       %V     numéro de semaine ISO, lundi étant le premier jour de la semaine (01..53)
"""
# Off-topic questions whose top passage (%U, a hub: hubness 0.25) scores 0.34 and 0.21 with USE-m3
OFF_TOPIC = ["Wann öffnet das Schwimmbad am Sonntag?", "¿Qué tiempo hará mañana en Sevilla?"]
# (question, text of the passage that answers it)
ON_TOPIC = [("How do I print the number of seconds since 1970 with date?", "nombre de secondes depuis"),
            ("Comment afficher le numéro de la semaine ISO avec date ?", "numéro de semaine ISO"),
            ("Wie zeige ich mit date das Datum in UTC an?", "temps universel coordonné")]
QUESTIONS = OFF_TOPIC + [q for q, _ in ON_TOPIC] + ["What is the best recipe for tiramisu?"]


@pytest.fixture
def hub_rule(monkeypatch):
    """The default model with the passage-relative bar switched on (its calibration leaves it off)."""
    encoder = encoders.get("use-m3")
    monkeypatch.setattr(encoder, "calibration", replace(encoder.calibration, weak_hub_margin=HUB_MARGIN))
    return encoder


def write_docs(folder: Path, seed: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "date.txt").write_text(DATE_PAGE, encoding="utf-8")
    if seed:
        shutil.copy(SEEDS / SEED_NAME, folder / SEED_NAME)
    return folder


def flags(retriever: Retriever) -> list[list[tuple[str, bool]]]:
    return [[(h.text, h.weak) for h in retriever.search(q, k=5)] for q in QUESTIONS]


@pytest.fixture(scope="module")
def date_index(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("date-page")
    build_index([write_docs(tmp / "docs", seed=False)], index=tmp / "index", progress=False)
    return tmp / "index"


def test_off_topic_question_is_flagged_against_short_passages(date_index, hub_rule):
    r = Retriever.open(date_index)
    try:
        for question in OFF_TOPIC:
            hits = r.search(question, k=5)
            assert [h.weak for h in hits] == [True] * len(hits), question
            assert hits[0].text.startswith("%U")
    finally:
        r.close()


def test_the_absolute_bar_lets_the_same_questions_pass(date_index):
    r = Retriever.open(date_index)
    try:
        # what the relative bar is for: the absolute rule shows a match (the Spanish question's
        # %U passage is already flagged since the document's head counts in its dense score)
        question = OFF_TOPIC[0]
        assert not r.search(question, k=5)[0].weak, question
    finally:
        r.close()


@pytest.mark.parametrize("question,text", ON_TOPIC)
def test_answering_passage_is_not_flagged(date_index, hub_rule, question, text):
    r = Retriever.open(date_index)
    try:
        gold = [h for h in r.search(question, k=5) if text in h.text]
        assert gold and not gold[0].weak, (question, gold[0].score if gold else None)
    finally:
        r.close()


def test_answered_seed_questions_are_not_flagged(retriever, hub_rule):
    for question in ["Qui a déclaré que la Chine dominait les brevets en IA générative ?",
                     "What did the Chinese premier say about AI cooperation?"]:
        top = retriever.search(question, k=3)[0]
        assert top.source == SEED_NAME and not top.weak, question


def test_hubness_is_the_passages_own_whatever_the_collection(date_index, tmp_path):
    alone = Retriever.open(date_index)
    index = tmp_path / "index"
    build_index([write_docs(tmp_path / "docs")], index=index, progress=False)
    together = Retriever.open(index)
    try:
        def by_text(r: Retriever) -> dict[str, float]:
            ids = r.store.all_vectors(r.encoder.dimension)[0].tolist()
            rows, hubs = r.store.passages(ids), passage_hubs(r.store, r.encoder, ids)
            return {rows[i]["text"]: hubs[i] for i in hubs}
        a, b = by_text(alone), by_text(together)
        assert a and set(a) <= set(b)
        assert all(abs(a[t] - b[t]) < 1e-5 for t in a)
        hub = max(a, key=a.get)  # the %U passage, a hub (no value is the collection's)
        assert hub.startswith("%U") and a[hub] > 0.2, (hub, a[hub])
    finally:
        alone.close()
        together.close()


def test_flags_after_adding_and_removing_equal_a_fresh_build(tmp_path, hub_rule):
    docs = write_docs(tmp_path / "docs")
    seed_only = tmp_path / "seed-only"
    seed_only.mkdir()
    shutil.copy(SEEDS / SEED_NAME, seed_only / SEED_NAME)
    fresh = tmp_path / "fresh"
    build_index([docs], index=fresh, progress=False)
    fresh_seed = tmp_path / "fresh-seed"
    build_index([seed_only], index=fresh_seed, progress=False)
    index = tmp_path / "index"
    build_index([seed_only], index=index, progress=False)
    r = Retriever.open(index)
    try:
        before = flags(r)
        build_index([tmp_path / "docs" / "date.txt"], index=index, add=True, progress=False)
        r.refresh()
        added = flags(r)
        remove_documents(index, [tmp_path / "docs" / "date.txt"])
        r.refresh()
        removed = flags(r)
    finally:
        r.close()
    for path, expected in ((fresh, added), (fresh_seed, before), (fresh_seed, removed)):
        other = Retriever.open(path)
        try:
            assert flags(other) == expected, path
        finally:
            other.close()
    assert added != before and any(text.startswith("%U") and weak for text, weak in added[0])


def test_sharded_index_gives_the_flags_of_one_index(tmp_path, hub_rule):
    docs = write_docs(tmp_path / "docs")
    build_index([docs], index=tmp_path / "one", progress=False)
    build_index([docs], index=tmp_path / "two", shards=2, progress=False)
    one, two = Retriever.open(tmp_path / "one"), Retriever.open(tmp_path / "two")
    try:
        assert len(two.shards) == 2
        # a passage's flag is the one index's; the ranking may differ a little since word
        # translation (each shard's BM25 of the translated words has its own statistics)
        for got, expected in zip(flags(two), flags(one), strict=True):
            assert got[0] == expected[0]
            shown = dict(expected)
            assert all(shown[text] == weak for text, weak in got if text in shown)
            assert sum(text in shown for text, _ in got) >= 4
    finally:
        one.close()
        two.close()


def test_hubness_weighs_the_document_head_as_the_dense_score_does(date_index):
    # the date page is one document of several passages: its head counts in every passage's
    # dense score (qa.context), so it must count in the hubness that score is compared with
    r = Retriever.open(date_index)
    try:
        ids = r.store.all_vectors(r.encoder.dimension)[0].tolist()
        assert len(ids) > 1 and len(r.store.context_vectors(ids, r.encoder.dimension)) == len(ids)
        # each probe's dense score against every passage, as the search computes it
        scores: dict[int, list[float]] = {i: [] for i in ids}
        for hits in r.search_many(list(PROBES), k=len(ids), mode="dense"):
            assert sorted(h.id for h in hits) == sorted(ids)
            for h in hits:
                scores[h.id].append(h.score)
        expected = {i: float(np.mean(sorted(s, reverse=True)[:HUB_PROBES])) for i, s in scores.items()}
        hubs, own = passage_hubs(r.store, r.encoder, ids), passage_hubs(r.store, r.encoder, ids, context=False)
        assert set(hubs) == set(own) == set(ids)
        assert all(abs(hubs[i] - expected[i]) < 1e-3 for i in ids), (hubs, expected)
        # without the head the bar would be another passage's: off by more than rounding
        assert max(abs(own[i] - expected[i]) for i in ids) > 0.01
    finally:
        r.close()
