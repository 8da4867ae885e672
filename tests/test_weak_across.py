"""A passage in another language than the question's is not weak when the question sits close to the
collection (its ten best dense candidates average WEAK_QUESTION or more) and its own dense score
reaches WEAK_QUESTION_FLOOR (docs/quality.md, "Session 18: the weak bar across languages and the
question's own scores"), on the real model and a hand-written Spanish collection (a beekeepers'
cooperative, 12 passages) asked in English, Chinese and German."""
from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import folder_index
from qa.fusion import (WEAK_DENSE, WEAK_QUESTION, WEAK_QUESTION_FLOOR, WEAK_QUESTION_TOP, is_weak,
                       question_closeness)

COOPERATIVE = {
    "colmenas.txt": "La cooperativa de apicultores del valle reúne a cuarenta familias. Entre todas "
                    "cuidan unas tres mil colmenas repartidas por los pueblos de la sierra, y cada "
                    "familia lleva su miel al almacén común, donde se envasa y se vende con la misma "
                    "etiqueta. Las abejas del valle pasan el verano entre el romero y el brezo de las"
                    " laderas.",
    "cosecha.txt": "Los socios cosechan la miel dos veces al año. A finales de junio sacan la de "
                   "romero, clara y suave; en septiembre, la de brezo, más oscura y de sabor fuerte. "
                   "Para no dejar a las abejas sin alimento, en cada colmena dejan siempre un par de "
                   "panales llenos.",
    "varroa.txt": "El mayor enemigo de las abejas del valle es la varroa, un ácaro que se alimenta de"
                  " las larvas y debilita a la colonia entera. Los socios tratan todas las colmenas "
                  "en otoño con ácido oxálico, y un técnico de la cooperativa revisa cada mes unas "
                  "cuantas al azar.",
    "reina.txt": "Cada colonia tiene una sola reina, que en primavera pone hasta dos mil huevos al "
                 "día. Con los años pone menos, y la colmena se debilita. Por eso los apicultores de "
                 "la cooperativa la sustituyen cada dos años por una reina joven criada en sus "
                 "propios colmenares.",
    "invierno.txt": "En invierno las abejas apenas salen de la colmena: se apiñan alrededor de la "
                    "reina para darle calor y comen la miel que guardaron. Si el otoño ha sido seco y"
                    " las reservas son escasas, los apicultores les ponen jarabe de azúcar para que "
                    "la colonia llegue viva a la primavera.",
    "almendros.txt": "En febrero la cooperativa lleva parte de sus colmenas a las fincas de almendros"
                     " de la costa. Los agricultores pagan por cada colmena, porque sin abejas la "
                     "flor del almendro apenas da fruto. A mediados de marzo las colmenas vuelven a "
                     "la sierra.",
    "precios.txt": "La tienda de la cooperativa, junto a la plaza, vende la miel del valle durante "
                   "todo el año. Este año el kilo de miel de romero cuesta doce euros y el de brezo "
                   "catorce; los socios pagan la mitad. También se puede comprar polen y propóleo.",
    "enjambre.txt": "Cuando una colonia crece demasiado en primavera, la vieja reina abandona la "
                    "colmena con la mitad de las obreras. El enjambre se posa en una rama cercana "
                    "mientras unas exploradoras buscan un hueco donde vivir. Los apicultores intentan"
                    " recogerlo antes de que se marche al monte.",
    "cera.txt": "Nada se tira en la cooperativa. Con la cera de los panales viejos los socios "
                "fabrican velas y una crema para las manos, que venden en el mercado de los sábados "
                "junto a la miel. La cera que sobra se funde en láminas nuevas para las colmenas.",
    "osos.txt": "Desde hace tres inviernos un oso baja del bosque y destroza colmenas para comerse la"
                " miel y las larvas. La cooperativa ha rodeado los colmenares más cercanos al bosque "
                "con vallas eléctricas, y el gobierno regional paga las colmenas perdidas.",
    "cursos.txt": "Cada primavera la cooperativa organiza un curso de apicultura para principiantes. "
                  "Durante seis sábados los alumnos aprenden a abrir una colmena sin asustar a las "
                  "abejas, a reconocer a la reina y a sacar los panales, con prácticas en el colmenar"
                  " de la escuela.",
    "museo.txt": "El museo de la miel ocupa la antigua casa del molinero. Enseña las colmenas de "
                 "corcho y de paja que se usaron en el valle hasta los años sesenta, los ahumadores "
                 "de hojalata de los abuelos y una colmena de cristal donde se ve trabajar a las "
                 "abejas.",
}

# USE-m3 scores the answering paragraph ("unas tres mil colmenas") at about 0.20 for the English
# question, under WEAK_DENSE, with no word in common and few translated ones; the question's ten best
# candidates average about 0.21: the collection is about what it asks.
ANSWERED = ("How many hives does the cooperative look after?", "colmenas.txt")
# the German question's answer scores over the bar anyway: it must stay so
ANSWERED_DE = ("Wie viele Bienenstöcke betreut die Genossenschaft?", "colmenas.txt")
# off-topic, in three languages: their best candidates average 0.07-0.14, and stay weak
OFF_TOPIC = ["What is the best recipe for tiramisu?", "How do I knit a wool scarf?",
             "怎么把白衬衫洗得更白？",
             "Wie backe ich einen Apfelstrudel?"]


def _build(folder, shards=None, files=COOPERATIVE):
    return folder_index(folder, files, shards)


@pytest.fixture(scope="module")
def cooperative(tmp_path_factory):
    retriever = _build(tmp_path_factory.mktemp("cooperative"))
    yield retriever
    retriever.close()


def _hit(retriever, question, source):
    hits = {h.source: h for h in retriever.search(question, k=5)}
    assert source in hits, [h.source for h in hits.values()]
    return hits[source]


def test_a_correct_passage_in_another_language_is_not_weak(cooperative, monkeypatch):
    question, source = ANSWERED
    hit = _hit(cooperative, question, source)
    assert hit.lang == "es" and "tres mil colmenas" in hit.text and not hit.weak
    # the rule without the question's closeness (a model whose calibration sets no bar) flags it
    encoder = cooperative._view.encoder
    monkeypatch.setattr(encoder, "calibration", replace(encoder.calibration, weak_question=None))
    assert _hit(cooperative, question, source).weak


def test_a_correct_passage_over_the_bar_stays_so(cooperative):
    question, source = ANSWERED_DE
    assert not _hit(cooperative, question, source).weak


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_stay_weak(cooperative, question):
    hits = cooperative.search(question, k=5)
    assert hits and all(h.lang == "es" for h in hits)
    assert [h.weak for h in hits] == [True] * len(hits), [(h.source, h.score) for h in hits]


# A notice in English beside the Spanish pages: the closeness rule was chosen where every passage shown
# is in another language than the question's; with one in its language shown it frees nothing.
NOTICE = {"notice.txt": "The village swimming pool opens again on the first of June. Children under twelve swim for "
                        "free on Sunday mornings, and the changing rooms have been repainted."}


def test_with_a_passage_in_the_questions_language_shown_the_closeness_frees_nothing(tmp_path):
    mixed = _build(tmp_path / "mixed", files={**COOPERATIVE, **NOTICE})
    try:
        question, source = ANSWERED
        hits = {h.source: h for h in mixed.search(question, k=len(COOPERATIVE) + 1)}
        assert hits["notice.txt"].lang == "en"
        assert hits[source].weak
    finally:
        mixed.close()


def test_a_sharded_index_gives_one_indexs_flags(tmp_path, cooperative):
    two = _build(tmp_path / "two", shards=2)
    try:
        assert len(two.shards) == 2
        for question in [ANSWERED[0], ANSWERED_DE[0], *OFF_TOPIC]:
            one = {h.source: h.weak for h in cooperative.search(question, k=5)}
            assert {h.source: h.weak for h in two.search(question, k=5)} == one, question
    finally:
        two.close()


def test_the_rule():
    low = WEAK_DENSE - 0.01
    assert not is_weak(low, 0.0, closeness=WEAK_QUESTION, closeness_bar=WEAK_QUESTION)
    assert is_weak(low, 0.0, closeness=WEAK_QUESTION - 0.01, closeness_bar=WEAK_QUESTION)
    # a passage in the question's language (no closeness given), a model without the bar, or a dense
    # score under the floor: still weak
    assert is_weak(low, 0.0, closeness_bar=WEAK_QUESTION)
    assert is_weak(low, 0.0, closeness=0.9)
    assert is_weak(WEAK_QUESTION_FLOOR - 0.01, 0.0, closeness=0.9, closeness_bar=WEAK_QUESTION)
    # the hub bar (off for both models) was chosen without it
    assert is_weak(low, 0.0, hub=0.3, hub_margin=0.0, closeness=0.9, closeness_bar=WEAK_QUESTION)


def test_the_closeness():
    assert question_closeness([0.3] * 20) == pytest.approx(0.3)
    top = WEAK_QUESTION_TOP
    assert question_closeness([0.5] + [0.1] * 30) == pytest.approx((0.5 + 0.1 * (top - 1)) / top)
    # fewer candidates than WEAK_QUESTION_TOP count the missing ones as 0
    assert question_closeness([0.4] * 5) == pytest.approx(0.4 * 5 / WEAK_QUESTION_TOP)
    assert question_closeness([]) == 0.0
