"""The text of OpenDocument elements as LibreOffice shows it.

odfpy's `extractText` concatenates every text node under an element: a comment's author, date
and words ran into the paragraph it annotates ("en 1820AnnaVérifier..."), a footnote's number
and text into the word it follows, a text box into its anchor paragraph, and the paragraphs of
a cell into one word ("Ligne unLigne deux"). Here an element's own text leaves those out:
comments (a reviewer's words, not the document's) always, footnotes and frames to be read as
paragraphs of their own (`notes_and_frames`), and the paragraphs of a cell are apart."""
from __future__ import annotations

from typing import Iterator

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"

_COMMENT = {(OFFICE_NS, "annotation"), (OFFICE_NS, "annotation-end")}
_NOTE, _FRAME = (TEXT_NS, "note"), (DRAW_NS, "frame")
_PARAGRAPHS = {(TEXT_NS, "p"), (TEXT_NS, "h")}
# what stands in for text in a paragraph: a line break, a tab, runs of spaces
_LINE_BREAK, _TAB, _SPACES = (TEXT_NS, "line-break"), (TEXT_NS, "tab"), (TEXT_NS, "s")
# what a document holds besides its text: deleted text kept for review (the text shows it with
# the changes accepted), and indexes generated from the text (a table of contents)
GENERATED = {"tracked-changes", "table-of-content", "illustration-index", "table-index", "object-index",
             "user-index", "alphabetical-index", "bibliography"}


def own_text(element) -> str:
    """`element`'s text without comments, notes and frames; its inner paragraphs one a line."""
    out: list[str] = []
    _collect(element, out)
    return "".join(out).strip("\n")


def _collect(element, out: list[str]) -> None:
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(child.data)
            continue
        if child.nodeType != child.ELEMENT_NODE:
            continue
        name = child.qname
        if name in _COMMENT or name == _NOTE or name == _FRAME:
            continue
        if name == _LINE_BREAK:
            out.append("\n")
        elif name == _TAB:
            out.append("\t")
        elif name == _SPACES:
            count = child.getAttribute("c")
            out.append(" " * (int(count) if count and count.isdigit() else 1))
        elif name[0] == TEXT_NS and name[1] in GENERATED:
            continue
        else:
            if name in _PARAGRAPHS and out and not out[-1].endswith("\n"):
                out.append("\n")
            _collect(child, out)


def notes_and_frames(paragraph) -> Iterator:
    """The footnote and endnote bodies (text:note-body) and the text boxes (draw:text-box) in a
    paragraph, in order, each to be read as paragraphs of its own; not those of a comment."""
    for child in paragraph.childNodes:
        if child.nodeType != child.ELEMENT_NODE or child.qname in _COMMENT:
            continue
        if child.qname == _NOTE:
            for body in child.childNodes:
                if body.nodeType == body.ELEMENT_NODE and body.qname == (TEXT_NS, "note-body"):
                    yield body
        elif child.qname == _FRAME:
            for box in child.childNodes:
                if box.nodeType == box.ELEMENT_NODE and box.qname == (DRAW_NS, "text-box"):
                    yield box
        else:
            yield from notes_and_frames(child)
