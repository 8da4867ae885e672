"""The title of a Word, OpenDocument or PowerPoint file without one of its own, and of an image read
by OCR: a heading, or its first line when that reads as one, else none (its file name cites it), as
for a PDF. Their first line cut at 80 characters ("The quarterly support review covers all
tickets opened between January and…") was shown before every citation of the document."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import formats
from qa import Retriever, build_index
from qa.readers import ocr, read_document
from qa.render import citation

REVIEW = ["The quarterly support review covers all tickets opened between January and March 2025 by customers "
          "of the premium plan and the standard plan alike.",
          "Average first response time fell to 2.4 hours, down from 5.1 hours in the previous quarter."]
PRESS = ["Communiqué de presse",
         "Paris, le 3 mars 2025 — La société Verdane annonce l'ouverture de sa nouvelle usine de recyclage à "
         "Dunkerque, qui emploiera 240 personnes dès septembre."]


def make_docx(path: Path, paragraphs: list[str], heading: str | None = None) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if heading:  # after the first paragraph, styled as a heading
        document.paragraphs[0].insert_paragraph_before(paragraphs[0])
        document.paragraphs[1].text = heading
        document.paragraphs[1].style = document.styles["Heading 1"]
    document.core_properties.title = ""
    document.save(str(path))


def make_odt(path: Path, paragraphs: list[str]) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    document.save(str(path))


def title_of(path: Path) -> str | None:
    return read_document(path, path.name).title


def test_an_untitled_office_document_is_titled_by_a_heading_or_not_at_all(tmp_path):
    make_docx(tmp_path / "review.docx", REVIEW)
    make_docx(tmp_path / "press.docx", PRESS)
    make_docx(tmp_path / "minutes.docx", REVIEW, heading="Support review, first quarter")
    make_odt(tmp_path / "acta.odt", ["Acta de la reunión del consejo vecinal del barrio de Triana, celebrada el 12 "
                                     "de febrero de 2025 en el centro cívico.", "Se aprobaron 40 farolas."])
    make_odt(tmp_path / "short.odt", ["Se aprobaron 40 farolas nuevas.", "La próxima reunión será el 9 de abril."])
    assert title_of(tmp_path / "review.docx") is None  # a sentence cut at 80 characters was
    assert title_of(tmp_path / "press.docx") == "Communiqué de presse"  # a short line that ends no sentence
    assert title_of(tmp_path / "minutes.docx") == "Support review, first quarter"  # a heading below the first line
    assert title_of(tmp_path / "acta.odt") is None
    assert title_of(tmp_path / "short.odt") is None  # a short sentence is no title either
    # a plain text file keeps its first line as its title, as written
    (tmp_path / "notes.txt").write_text("\n\n".join(REVIEW), encoding="utf-8")
    assert title_of(tmp_path / "notes.txt").endswith("between January and…")


def test_an_untitled_document_is_cited_by_its_file_name(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    make_docx(docs / "review.docx", REVIEW)
    make_docx(docs / "press.docx", PRESS)
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    hit = retriever.search("What was the average first response time?", k=1)[0]
    assert (hit.source, hit.title) == ("review.docx", None)
    assert citation(hit) == "review.docx · §2"
    hit = retriever.search("Combien de personnes l'usine emploiera-t-elle ?", k=1)[0]
    assert citation(hit) == "Communiqué de presse · press.docx · §2"
    retriever.close()


def test_an_image_read_by_ocr_is_titled_by_its_heading_not_its_first_wrapped_line(tmp_path):
    if not ocr.available() or "eng" not in set(ocr.installed_languages()):
        reason = "Tesseract with eng not installed (scripts/install-system.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    formats.text_image(["NOTICE TO RESIDENTS", "", "The water supply on Elm Street will be",
                        "interrupted on Tuesday from 9 am to 3 pm."]).save(tmp_path / "notice.png")
    formats.text_image(["The lighthouse keeper repaired the lamp", "after the storm of January 1998."]
                       ).save(tmp_path / "photo.png")
    assert title_of(tmp_path / "notice.png") == "NOTICE TO RESIDENTS"
    # a paragraph's first line, wrapped: its sentence goes on below
    assert title_of(tmp_path / "photo.png") is None
