"""PDF reports as people make them (a running header, numbered footers, paragraphs flowing over
pages): passages are the paragraphs, cited by the page they start on, without the lines every
page repeats (real PDFs typeset by reportlab, the default model, a real index)."""
from __future__ import annotations

import re

import pytest

import formats
from qa.readers.page_text import (across_pages, full_line, running_header, with_gaps, with_paragraphs,
                                  without_running_lines)
from qa.records import Block

HEADER = "Société Exemple SA · Rapport annuel 2025 · Document confidentiel"
FILLER = ("Ce point est détaillé dans les annexes du présent rapport, qui reprennent les chiffres de chaque "
          "filiale et leur évolution sur trois exercices. ")
FACTS = [
    "Le chiffre d'affaires du groupe a atteint 412 millions d'euros en 2025, en hausse de 8 % par rapport à "
    "l'exercice précédent.",
    "La marge opérationnelle s'établit à 11,2 %, portée par la division logicielle et la maîtrise des achats.",
    "Le groupe emploie 2 340 salariés répartis dans neuf pays, dont 1 120 en France.",
    "Le conseil d'administration proposera un dividende de 1,35 euro par action à l'assemblée du 12 juin 2026.",
    "L'usine de Lyon a réduit sa consommation d'énergie de 14 % grâce au remplacement des fours de cuisson.",
    "La dette nette a été ramenée à 96 millions d'euros, soit 0,9 fois l'excédent brut d'exploitation.",
    "Une filiale a été ouverte au Brésil en septembre pour servir les clients d'Amérique du Sud.",
    "Les perspectives 2026 prévoient une croissance organique comprise entre 5 et 7 %.",
]
PARAGRAPHS = [fact + " " + FILLER * 4 for fact in FACTS]


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from qa import Retriever, build_index

    root = tmp_path_factory.mktemp("report")
    (root / "docs").mkdir()
    formats.report_pdf(root / "docs" / "rapport.pdf", "Rapport annuel 2025", PARAGRAPHS, HEADER)
    build_index([root / "docs"], index=root / "index", progress=False)
    retriever = Retriever.open(root / "index")
    yield root / "docs" / "rapport.pdf", retriever
    retriever.close()


def test_running_lines_go_and_paragraphs_come_back_as_passages(report):
    from pypdf import PdfReader

    path, retriever = report
    pages = [_norm(p.extract_text()) for p in PdfReader(path).pages]
    assert len(pages) >= 3 and all(HEADER in p for p in pages)
    store = retriever._view.store
    ids, _ = store.all_vectors(retriever._view.encoder.dimension)
    rows = sorted(store.passages(ids.tolist()).values(), key=lambda r: r["start"])
    assert not any("Document confidentiel" in r["text"] or re.search(r"\bPage \d", r["text"]) for r in rows)
    # one passage a paragraph (the title rides on the first), even the ones a page break cuts,
    # cited by the page it starts on
    assert len(rows) == len(PARAGRAPHS)
    for row, paragraph in zip(rows, PARAGRAPHS):
        assert _norm(row["text"]).endswith(_norm(paragraph))
        assert _norm(paragraph)[:40] in pages[row["page"] - 1]
    cut = [p for p in PARAGRAPHS if not any(_norm(p) in page for page in pages)]
    assert cut, "the fixture should have a paragraph cut by a page break"


def test_pieces_of_a_paragraph_longer_than_a_passage_cite_the_page_each_starts_on(tmp_path):
    """A paragraph too long for one passage, flowing over pages, is cut into pieces: each piece
    is cited by the page it starts on, not by its paragraph's first page."""
    from pypdf import PdfReader

    from qa import Retriever, build_index

    long = " ".join(f"Phrase {i} du long exposé sur les filiales, leurs clients et leurs marges." for i in range(70))
    (tmp_path / "docs").mkdir()
    path = tmp_path / "docs" / "long.pdf"
    formats.report_pdf(path, "Rapport détaillé", [PARAGRAPHS[0], long, PARAGRAPHS[1]], HEADER)
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    try:
        store = retriever._view.store
        ids, _ = store.all_vectors(retriever._view.encoder.dimension)
        rows = sorted(store.passages(ids.tolist()).values(), key=lambda r: r["start"])
    finally:
        retriever.close()
    pages = [_norm(p.extract_text()) for p in PdfReader(path).pages]
    pieces = [r for r in rows if r["text"].lstrip().startswith("Phrase")]
    # the fixture: the long paragraph is cut into pieces that start on two pages at least
    assert len(pieces) >= 3 and len({r["paragraph"] for r in pieces}) == 1
    for row in rows:
        assert _norm(row["text"])[:40] in pages[row["page"] - 1], (row["page"], row["text"][:40])
    assert len({r["page"] for r in pieces}) >= 2


@pytest.mark.parametrize("question, fact", [
    ("Quel dividende sera proposé aux actionnaires ?", 3),
    ("How many people does the group employ?", 2),
    ("Quel est le chiffre d'affaires du groupe ?", 0),  # the page's first sentence, under its header
])
def test_the_answer_is_the_sentence_without_the_page_furniture(report, question, fact):
    _, retriever = report
    top = retriever.search(question, k=3)[0]
    assert _norm(top.answer.text) == FACTS[fact]


def test_page_furniture_rules_on_hand_made_pages():
    # space above a line sets a paragraph apart; a new column too
    assert with_gaps(["One line", "goes on", "New paragraph", "goes on"], [700, 688, 668, 656]) == \
        "One line\ngoes on\n\nNew paragraph\ngoes on"
    assert with_gaps(["a", "b", "c"], None) == "a\nb\nc"
    pages = ["ACME · Report 2025\nPage 1 of 3\nFirst line of text.", "ACME · Report 2025\nPage 2 of 3\nMore text.",
             "ACME · Report 2025\nPage 3 of 3\nThe end."]
    assert without_running_lines(pages) == ["First line of text.", "More text.", "The end."]
    assert without_running_lines(["Only one page\nPage 1"]) == ["Only one page\nPage 1"]
    # the running header names the report when its file does not; a page number never does
    assert running_header(pages) == "ACME · Report 2025"
    assert running_header(["Seite 1 von 2\nText.", "Seite 2 von 2\nMehr."]) is None
    lines = ["A paragraph of running text that fills the whole line of the page",
             "and goes on to a second line that is just as long as the first.",
             "It ends here.",
             "Another paragraph starts with a capital letter and fills its line",
             "up to its last line, which stops short.",
             "Heading",
             "Text under the heading, long enough to be a full line of the page",
             "and the last line of it ends a sentence on a full line of text."]
    page = "\n".join(lines)
    full = full_line([page])
    assert full is not None
    assert with_paragraphs([page], full)[0].split("\n\n") == [
        "\n".join(lines[:3]), "\n".join(lines[3:5]), "Heading", "\n".join(lines[5 + 1:])]
    # a sentence cut by the page break is one block again, its later part on its own page
    text = "the first page ends in the middle of a\n\nsentence that the second page ends."
    joined = across_pages(text, [Block(0, 38, 1), Block(40, len(text), 2)])
    assert joined == [Block(0, len(text), 1, later_pages=((40, 2),))]
    assert joined[0].page_at(10) == 1 and joined[0].page_at(45) == 2
    apart = "A page ends a sentence.\n\nThe next page starts another."
    assert len(across_pages(apart, [Block(0, 23, 1), Block(25, len(apart), 2)])) == 2


FOOTER = "Further details are available from the human resources desk on the second floor."
CHAPTERS = ["Chapter one. The office opens at eight in the morning every weekday.",
            "Chapter two. Expense reports must be filed within thirty days of travel.",
            "Chapter three. The fire assembly point is the north car park beside the bakery."]


@pytest.mark.parametrize("first_lines, title, expected", [
    # reportlab's "untitled", each page's line then a line every page repeats: no title, the file name cites it
    ([], None, None),
    ([["Staff handbook"]], None, "Staff handbook"),  # a heading of page 1
    ([], "Staff handbook 2026", "Staff handbook 2026"),  # the PDF's own title first
    ([["ACME · Handbook"]] * 3, None, "ACME · Handbook"),  # a running header above each page's text
])
def test_an_untitled_pdf_is_not_titled_by_a_line_its_pages_repeat(first_lines, title, expected):
    from qa.readers.ocr import OcrOptions
    from qa.readers.pdf import read_pdf

    heads = first_lines + [[]] * (len(CHAPTERS) - len(first_lines))
    pages = [head + [chapter, FOOTER] for head, chapter in zip(heads, CHAPTERS)]
    doc = read_pdf(formats.pdf_bytes(pages, title=title), "handbook.pdf", OcrOptions(enabled=False))
    assert doc.title == expected
    assert "The fire assembly point is the north car park" in doc.text
