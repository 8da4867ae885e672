"""A folder in Galician, a language py3langid knows but `qa.language.LANGUAGES` did not: its
paragraphs were read one as Portuguese, the next as Spanish (each with certainty), and the fusion's
cross-language offset then lifted the passages labelled with the language the question was not read
in over the one answering (docs/quality.md, "Session 20: probing languages and collections outside
the repository, round 3"). Now the folder is one language, Galician, and its questions are read as
Galician."""
from __future__ import annotations

from conftest import folder_index
from qa.language import question_language

# A public library's notice (hand-written for this test; not the probe's text)
BIBLIOTECA = """Biblioteca Pública Municipal de Ourense – normas de préstamo

Para levar libros para a casa cómpre ter o carné da biblioteca. O carné é gratuíto e faise no mostrador presentando o DNI e un recibo que acredite o enderezo.

Cada persoa pode levar ata seis libros e dous DVD á vez. O préstamo dos libros dura tres semanas e o dos DVD unha semana.

Se non devolve os libros a tempo, non poderá levar outros durante tantos días como os que se atrasou. Os libros estragados ou perdidos deben ser substituídos por un exemplar novo.

A sala de estudo abre de luns a venres de nove da mañá a nove da noite. Nos meses de xullo e agosto pecha pola tarde.

Os ordenadores da planta baixa pódense usar unha hora ao día. Para imprimir hai que pagar dez céntimos por folla.

As nenas e os nenos menores de catorce anos teñen a súa propia sala no primeiro andar, con contacontos os sábados pola mañá."""

QUESTIONS = [("canto tempo podo ter un libro na casa", "O préstamo dos libros dura tres semanas"),
             ("que pasa se devolvo tarde os libros", "Se non devolve os libros a tempo"),
             ("ata que hora está aberta a sala de estudo", "A sala de estudo abre"),
             ("canto custa imprimir unha folla", "Para imprimir hai que pagar")]


def test_a_galician_folder_is_one_language(tmp_path):
    r = folder_index(tmp_path, {"biblioteca.txt": BIBLIOTECA})
    try:
        every = r.search("biblioteca", k=20, mode="dense")
        assert len(every) == 6 and {h.lang for h in every} == {"gl"}, [h.lang for h in every]
        for question, gold in QUESTIONS:
            assert question_language(question, {"gl"}) == "gl", question  # as the search reads it
            hits = r.search(question, k=3)
            assert any(gold in h.text for h in hits), (question, [h.text[:40] for h in hits])
            assert hits[0].notice is None  # a Galician question about Galician passages: nothing to tell
    finally:
        r.close()
