"""A slide's bullets are sentences of their own (session 22): the .pptx reader joined a text box's
paragraphs with single line breaks, the sentence splitter read them as a wrapped line, and the
answer shown for a question about one bullet was the whole slide. Decks made here with
python-pptx and odfpy, read by the real readers, indexed and asked with the default model."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.readers import read_document
from qa.sentences import sentence_spans

USB = ["USB sticks are blocked on every company laptop",
       "Save your files to OneDrive or to your team's SharePoint site",
       "A supplier's USB stick goes to the service desk, which scans it and copies the files for you"]
PRINTERS = ["Badge at any printer on your floor to collect your pages",
            "Colour printing needs your manager's approval"]
NOTES = ["Show the OneDrive icon in the taskbar", "Mention the scanning kiosk on the ground floor"]
FRENCH = ["Les clés USB sont bloquées sur tous les portables",
          "Enregistrez vos fichiers dans OneDrive"]


def make_deck(path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    for title, bullets, notes in (("USB sticks and your laptop", USB, NOTES), ("Printing", PRINTERS, None),
                                  ("Clés USB", FRENCH, None)):
        slide = deck.slides.add_slide(deck.slide_layouts[1])  # Title and Content: a bulleted body
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:]:
            body.add_paragraph().text = bullet
        if notes:
            frame = slide.notes_slide.notes_text_frame
            frame.text = notes[0]
            for line in notes[1:]:
                frame.add_paragraph().text = line
    deck.save(path)


def make_odp(path: Path) -> None:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import List, ListItem, P

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    page = Page(masterpagename=master)
    for i, texts in enumerate((["USB sticks and your laptop"], USB)):
        frame = Frame(width="20cm", height="6cm", x="2cm", y=f"{2 + 4 * i}cm")
        box = TextBox()
        if len(texts) == 1:
            box.addElement(P(text=texts[0]))
        else:  # a bulleted list, as Impress writes an outline box
            items = List()
            for text in texts:
                item = ListItem()
                item.addElement(P(text=text))
                items.addElement(item)
            box.addElement(items)
        frame.addElement(box)
        page.addElement(frame)
    doc.presentation.addElement(page)
    doc.save(str(path))


def sentences(text: str, lang: str = "en") -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, lang)]


def test_pptx_bullets_and_notes_are_sentences(tmp_path):
    make_deck(tmp_path / "starter.pptx")
    doc = read_document(tmp_path / "starter.pptx", "starter.pptx")
    slides: dict[int, list[str]] = {}
    for block in doc.blocks:
        slides.setdefault(block.page, []).append(doc.text[block.start:block.end])
    # the title, then the body (one passage, as before), then the notes
    assert [len(texts) for texts in slides.values()] == [3, 2, 2]
    title, body, notes = slides[1]
    assert title == "USB sticks and your laptop"
    assert sentences(body) == USB
    assert sentences(notes) == NOTES
    assert sentences(slides[2][1]) == PRINTERS
    assert sentences(slides[3][1], "fr") == FRENCH


def test_odp_bullets_are_sentences_too(tmp_path):
    """Impress's list items were already apart (each a paragraph of its own): checked, not changed."""
    make_odp(tmp_path / "starter.odp")
    doc = read_document(tmp_path / "starter.odp", "starter.odp")
    said = [s for block in doc.blocks for s in sentences(doc.text[block.start:block.end])]
    assert said == ["USB sticks and your laptop", *USB]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    from qa import Retriever, build_index

    folder = tmp_path_factory.mktemp("slides") / "docs"
    folder.mkdir()
    make_deck(folder / "starter.pptx")
    directory = tmp_path_factory.mktemp("slides-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == []
    retriever = Retriever.open(directory)
    yield retriever
    retriever.close()


@pytest.mark.parametrize("question, bullets", [
    ("can I use a USB stick on my laptop", USB),
    ("what do I do with a USB stick a supplier gave me", USB),
    ("do I need approval to print in colour", PRINTERS),
])
def test_answer_is_a_bullet_not_the_slide(retriever, question, bullets):
    """Which bullet the model prefers is its own choice; the answer shown is one of them, no longer all."""
    top = retriever.search(question, k=3)[0]
    assert top.source == "starter.pptx" and top.answer is not None
    assert top.answer.text in bullets, (question, top.answer.text)
