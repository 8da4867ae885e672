"""The weak-match flag counts the question's words translated into the index's (docs/quality.md,
"Session 9: the weak bar with translated words"), on the real model and hand-written French pages."""
from __future__ import annotations

import pytest

from qa import Retriever, build_index
from qa.fusion import WEAK_DENSE, WEAK_LEXICAL, WEAK_WORDS, WEAK_WORDS_FLOOR, is_weak

PAGES = {
    "phare.txt": "Le phare de la pointe fut allumé pour la première fois en 1872. Son gardien montait chaque soir "
                 "les cent vingt marches de l'escalier en colimaçon pour remplir la lampe à huile, et il notait dans "
                 "un registre la force du vent et l'état de la mer.",
    "fromage.txt": "La fromagerie du village affine ses meules pendant dix-huit mois dans une cave creusée sous la "
                   "colline. Le lait vient des vaches qui pâturent l'été sur les alpages, et chaque meule est "
                   "retournée et frottée de sel deux fois par semaine.",
    "verger.txt": "Au printemps, les apiculteurs installent leurs ruches au bord du verger pour que les abeilles "
                  "pollinisent les pommiers en fleurs. Une gelée tardive peut détruire les bourgeons et ruiner la "
                  "récolte de l'automne.",
    "horloge.txt": "L'horloger répare les montres anciennes dans son atelier de la rue basse. Il démonte les rouages, "
                   "nettoie les pivots et remplace le ressort quand il est cassé.",
}
# The encoder scores the cheese page low for it (dense about 0.21, under WEAK_DENSE) and no question
# word is spelled as a French one, but meule, sel, semaine, frottée are its translated words.
ANSWERED = "What is rubbed onto the wheels twice a week?"
OFF_TOPIC = ["How do I get red wine out of a carpet?", "How do I change a flat tire?",
             "What is the best recipe for chocolate chip cookies?"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    (folder / "docs").mkdir()
    for name, text in PAGES.items():
        (folder / "docs" / name).write_text(text + "\n", encoding="utf-8")
    build_index([folder / "docs"], index=folder / "index", progress=False)
    retriever = Retriever.open(folder / "index")
    yield retriever
    retriever.close()


def test_translated_words_keep_a_low_scored_correct_passage_from_being_weak(pages, monkeypatch):
    top = pages.search(ANSWERED, k=3)[0]
    assert top.source == "fromage.txt" and not top.weak
    # without the index's words (the channel ranks it first) the same passage is flagged
    monkeypatch.setattr(type(pages.store), "word_vocabulary", lambda self, version, dim: None)
    hits = {h.source: h for h in pages.search(ANSWERED, k=len(PAGES))}
    assert hits["fromage.txt"].weak


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_stay_weak(pages, question):
    hits = pages.search(question, k=4)
    assert [h.weak for h in hits] == [True] * 4


def test_the_rule():
    low = WEAK_DENSE - 0.01
    assert is_weak(low, 0.0) and is_weak(low, 0.0, words=WEAK_WORDS - 0.01)
    assert not is_weak(low, 0.0, words=WEAK_WORDS)
    # a dense score under the floor stays weak whatever words it holds
    assert is_weak(WEAK_WORDS_FLOOR - 0.01, 0.0, words=10.0)
    assert not is_weak(WEAK_DENSE, 0.0) and not is_weak(low, WEAK_LEXICAL)
