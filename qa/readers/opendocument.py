"""OpenDocument text (.odt) and presentations (.odp), read with odfpy."""
from __future__ import annotations

import io

from ..records import Document
from . import odf_text
from .archive import check_zip
from .sheets import odf_metadata
from .text import UnreadableDocument, clean_cell, first_heading, join_blocks, table_pieces


def _walk(element, page: int | None, pieces: list) -> None:
    """Headings, paragraphs, list items and tables under `element`, in document order; a
    paragraph's footnotes and text boxes after it, as paragraphs of their own; comments, deleted
    text kept for review and a table of contents left out (`qa.readers.odf_text`)."""
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        kind = child.qname[1]
        if kind in ("h", "p"):
            text = " ".join(odf_text.own_text(child).split())
            if text:
                pieces.append((text, page, _outline_level(child) if kind == "h" else False))
            for inner in odf_text.notes_and_frames(child):
                _walk(inner, page, pieces)
        elif kind == "table":
            rows = []
            for row in child.getElementsByType(_table_row()):
                rows.append([clean_cell(odf_text.own_text(cell)) for cell in row.childNodes
                             if cell.nodeType == cell.ELEMENT_NODE and cell.qname[1] == "table-cell"])
            pieces.extend((piece, page, False) for piece in table_pieces(rows))
        elif child.qname[0] == odf_text.TEXT_NS and kind in odf_text.GENERATED:
            continue
        elif kind not in ("notes", "annotation") or page is not None:
            _walk(child, page, pieces)


def _outline_level(heading) -> int:
    """A text:h's text:outline-level (1 when it has none, as the format says)."""
    try:
        return max(1, int(heading.getAttribute("outlinelevel") or 1))
    except ValueError:
        return 1


def _table_row():
    from odf.table import TableRow

    return TableRow


def read_odf(data: bytes, source: str, kind: str) -> Document:
    from odf.draw import Page
    from odf.opendocument import load

    check_zip(data, kind)
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None
    pieces: list = []
    if kind == ".odp":
        for number, slide in enumerate(document.presentation.getElementsByType(Page), start=1):
            _walk(slide, number, pieces)  # frames in order, speaker notes last
    else:
        _walk(document.text, None, pieces)
    if not pieces:
        raise UnreadableDocument(f"no text in {kind}")
    text, blocks = join_blocks(pieces)
    title, date, authors = odf_metadata(document)
    return Document(source, text, blocks, title or first_heading(text, blocks), date, authors)
