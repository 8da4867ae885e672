"""Documents whose file names no title (.docx, .odt, .doc without a title property, images read by
OCR): titled by a heading or a first paragraph that reads as one, else by nothing (the file name
cites them), not by their first 80 characters cut after a word."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import formats
from qa.readers import read_document
from qa.render import citation

LONG_FIRST = ("Le conseil municipal s'est réuni le 5 mars pour examiner le budget de la commune et voter "
              "la rénovation de la salle des fêtes.")


def _docx(path: Path, paragraphs: list[tuple[str, str | None]]) -> None:
    """A .docx without a title property: (text, style) paragraphs, a bold first one when asked."""
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        if style == "bold":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text, style=style)
    document.save(path)


def _odt(path: Path, paragraphs: list[str]) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    document.save(str(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("untitled") / "docs"
    root.mkdir()
    _docx(root / "conseil.docx", [(LONG_FIRST, None), ("Le devis retenu s'élève à 84 000 euros.", None)])
    _docx(root / "ecole.docx", [("Compte rendu du conseil d'école", "bold"),
                                ("La kermesse aura lieu le samedi 21 juin dans la cour de l'école.", None)])
    _docx(root / "minutes.docx", [("Minutes of the residents' meeting", None),
                                  ("The lift on the east stairs will be replaced in October.", None)])
    _odt(root / "garage.odt", ["The garage door code changes every first Monday of the month, and the new code "
                               "is posted in the lobby.", "Bicycles go in the room behind the boiler."])
    _odt(root / "chauffage.odt", ["Avis aux locataires", "Le chauffage sera coupé le 3 mai pour l'entretien."])
    return root


@pytest.fixture(scope="module")
def retriever(folder, tmp_path_factory):
    from qa import Retriever, build_index

    directory = tmp_path_factory.mktemp("untitled-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == [] and report.added == 5
    retriever = Retriever.open(directory)
    yield retriever
    retriever.close()


@pytest.mark.parametrize("name, title", [
    ("conseil.docx", None),  # a long sentence first: the file name cites it (was its first 80 characters + "…")
    ("ecole.docx", "Compte rendu du conseil d'école"),  # a title typed in bold body text
    ("minutes.docx", "Minutes of the residents' meeting"),
    ("garage.odt", None),
    ("chauffage.odt", "Avis aux locataires"),
])
def test_title_from_a_heading_like_first_paragraph_or_none(folder, name, title):
    assert read_document(folder / name, name).title == title


@pytest.mark.parametrize("question, source, cited", [
    ("À combien s'élève le devis retenu ?", "conseil.docx", "conseil.docx · §2"),
    ("Quand aura lieu la kermesse ?", "ecole.docx", "Compte rendu du conseil d'école · ecole.docx · §2"),
    ("When will the lift on the east stairs be replaced?", "minutes.docx",
     "Minutes of the residents' meeting · minutes.docx · §2"),
    ("Where do bicycles go?", "garage.odt", "garage.odt · §2"),
    ("Quand le chauffage sera-t-il coupé ?", "chauffage.odt", "Avis aux locataires · chauffage.odt · §2"),
])
def test_citation_names_the_title_or_the_file(retriever, question, source, cited):
    hit = retriever.search(question, k=1)[0]
    assert hit.source == source and citation(hit) == cited, citation(hit)


def test_first_heading_still_titles_a_docx(tmp_path):
    _docx(tmp_path / "r.docx", [("Une introduction sans titre de style.", None), ("Rapport d'activité", "Heading 1"),
                                ("Le texte du rapport.", None)])
    assert read_document(tmp_path / "r.docx", "r.docx").title == "Rapport d'activité"


def test_table_first_is_no_title(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, (("Poste", "Montant"), ("Toiture", "8 400 €"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("Le devis de la toiture a été signé.")
    document.save(tmp_path / "devis.docx")
    assert read_document(tmp_path / "devis.docx", "devis.docx").title is None
    # a table of one row (its header) reads as one short line without a sentence's end: no title either
    document = docx.Document()
    for cell, value in zip(document.add_table(rows=1, cols=3).rows[0].cells, ("Poste", "Montant", "Artisan")):
        cell.text = value
    document.add_paragraph("Le devis de la toiture a été signé le 3 mars par le couvreur.")
    document.save(tmp_path / "entete.docx")
    assert read_document(tmp_path / "entete.docx", "entete.docx").title is None


def test_ocr_image_titled_by_its_heading_line_not_a_wrapped_sentence(tmp_path):
    from qa.readers import ocr

    if not ocr.available() or "eng" not in set(ocr.installed_languages()):
        if os.environ.get("CI") == "true":
            pytest.fail("Tesseract with eng not installed (scripts/install-system.sh installs it)")
        pytest.skip("Tesseract with eng not installed")
    formats.text_image(["Notice to tenants", "", "The water will be cut on Tuesday from nine",
                        "to noon while the pipes are replaced."]).save(tmp_path / "notice.png")
    formats.text_image(["The lighthouse keeper repaired the lamp", "after the storm of January 1998."]).save(
        tmp_path / "photo.png")
    assert read_document(tmp_path / "notice.png", "notice.png").title == "Notice to tenants"
    assert read_document(tmp_path / "photo.png", "photo.png").title is None  # was "The lighthouse keeper repaired the lamp"
