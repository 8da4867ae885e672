"""Word (.docx) and PowerPoint (.pptx): text, tables and notes in reading order."""
from __future__ import annotations

import io
import re
from datetime import datetime

from ..records import Document
from . import word_text
from .archive import check_zip
from .packages import as_plain_document
from .text import UnreadableDocument, clean_cell, first_heading, join_blocks, opening_title, table_pieces


# The core properties of python-docx's and python-pptx's own templates (and openpyxl's default
# creator): a file they wrote without setting its properties carries these, which say nothing of
# the document.
LIBRARY_AUTHORS = {"python-docx", "python-pptx", "openpyxl"}
_TEMPLATE_CREATED = {datetime(2013, 12, 23, 23, 15), datetime(2013, 1, 27, 9, 14, 16)}


def core_metadata(props) -> tuple[str | None, str | None, str | None]:
    """(title, date, authors) from Office core properties."""
    title = (props.title or "").strip() or None
    authors = (props.author or "").strip() or None
    if authors in LIBRARY_AUTHORS:
        authors = None
    when = props.created or props.modified
    if when is not None and when.replace(tzinfo=None) in _TEMPLATE_CREATED:
        when = None
    return title, when.date().isoformat() if when else None, authors


_HEADING_STYLE = re.compile(r"Heading ([1-9])\Z")


def heading_level(paragraph) -> int | bool:
    """A .docx paragraph's heading level (1 = outermost): its "Heading N" style, its own or its
    style's outline level (what Word's navigation pane shows, whatever the style's name); a
    "Title" or another "Heading..." style is a heading of no known level (True); False for body
    text."""
    from docx.oxml.ns import qn

    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    if m := _HEADING_STYLE.match(name):
        return int(m.group(1))
    elements = [paragraph._p]
    while style is not None and len(elements) < 12:  # a style's own, then what it is based on
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        ppr = element.find(qn("w:pPr"))
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None:
            value = outline.get(qn("w:val"), "")
            if value.isdigit() and int(value) < 9:  # 9 is body text
                return int(value) + 1
            break
    return name.startswith(("Heading", "Title"))


def read_docx(data: bytes, source: str, kind: str = ".docx") -> Document:
    """Paragraphs and tables in document order, read from the XML (`qa.readers.word_text`): with
    tracked changes accepted, content controls, text boxes after the paragraph they are anchored
    in, and footnotes and endnotes after the paragraph that refers to them. A table of contents,
    comments, headers and footers are left out: the first repeats the headings, the others are
    not the document's text (a reviewer's remark, the same line on every page)."""
    import docx

    check_zip(data, kind)
    try:
        document = docx.Document(io.BytesIO(as_plain_document(data, ".docx")))
        notes = {kind: word_text.notes(root, kind) for kind, root in _notes_parts(document).items()}
        pieces = _docx_pieces(document.element.body, document, notes, set())
    except UnreadableDocument:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None
    if not pieces:
        raise UnreadableDocument(f"no text in {kind}")
    text, blocks = join_blocks(pieces)
    title, date, authors = core_metadata(document.core_properties)
    return Document(source, text, blocks, title or opening_title(text, blocks), date, authors)


def _notes_parts(document) -> dict:
    """{"footnote": root, "endnote": root} of the document's notes parts that it has."""
    from docx.oxml import parse_xml

    found = {}
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("footnotes", "endnotes") and not rel.is_external:
            found[kind[:-1]] = parse_xml(rel.target_part.blob)
    return found


def _docx_pieces(container, document, notes: dict, done: set) -> list[tuple[str, None, int | bool]]:
    from docx.text.paragraph import Paragraph

    pieces: list[tuple[str, None, int | bool]] = []
    for element in word_text.blocks(container):
        if element.tag == word_text.TBL:
            rows = word_text.table_rows(element, lambda tc: _cell_text(tc, document, notes, done))
            pieces.extend((piece, None, False) for piece in table_pieces(rows))
            continue
        paragraph = Paragraph(element, document._body)
        if _is_toc_entry(paragraph):
            continue
        text = word_text.paragraph_text(element).strip()
        if text:
            pieces.append((text, None, heading_level(paragraph)))
        for box in word_text.text_boxes(element):
            pieces.extend(_docx_pieces(box, document, notes, done))
        for kind, number in word_text.note_references(element):
            note = notes.get(kind, {}).get(number)
            if note is not None and (kind, number) not in done:
                done.add((kind, number))
                pieces.extend((piece, None, False) for piece, _, _ in _docx_pieces(note, document, notes, done))
    return pieces


def _cell_text(tc, document, notes: dict, done: set) -> str:
    return clean_cell(" ".join(piece for piece, _, _ in _docx_pieces(tc, document, notes, done)))


def _is_toc_entry(paragraph) -> bool:
    """A line of a table of contents outside a content control (its "toc N" style; Word's
    built-in style names are English whatever the language of its menus)."""
    style = paragraph.style
    name = ((style.name if style is not None else "") or "").lower()
    return name.startswith("toc ") or name == "toc heading"


def _frame_lines(frame) -> list[str]:
    """A text frame's paragraphs (a slide's bullets), each on one line, the empty ones left out."""
    return [line for line in (" ".join(p.text.split()) for p in frame.paragraphs) if line]


def _apart(lines: list[str]) -> str:
    """A text box's paragraphs as one passage, each its own sentence. Joined with a line break,
    the sentence splitter read them as a wrapped line, and a slide's bullets, which end with no
    full stop, were one sentence, all shown as the answer."""
    return "\n\n".join(lines)


def _shape_pieces(shapes, slide: int, part) -> list[tuple[str, int, bool]]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    pieces: list[tuple[str, int, bool]] = []
    # reading order: top to bottom, then left to right
    ordered = sorted(shapes, key=lambda s: ((s.top or 0) // 50000, s.left or 0))
    for shape in ordered:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            pieces.extend(_shape_pieces(shape.shapes, slide, part))
        elif getattr(shape, "has_table", False) and shape.has_table:
            rows = [[clean_cell(cell.text) for cell in row.cells] for row in shape.table.rows]
            pieces.extend((piece, slide, False) for piece in table_pieces(rows))
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            lines = _frame_lines(shape.text_frame)
            if lines:
                is_title = shape.is_placeholder and shape.placeholder_format.type in (
                    PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
                pieces.append((_apart(lines), slide, is_title and len(lines) == 1))
        elif text := _diagram_text(shape, part):
            pieces.append((text, slide, False))
    # the title first, wherever it sits
    pieces.sort(key=lambda p: not p[2])
    return pieces


_DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _diagram_text(shape, part) -> str:
    """The text of a SmartArt diagram, one line a box in the diagram's order: it lives in the
    diagram's data part (`dgm:dataModel`), not in the slide, which only points to it."""
    from lxml import etree

    ids = shape.element.find(f".//{{{_DIAGRAM}}}relIds")
    rid = ids.get(f"{{{_RELATIONSHIPS}}}dm") if ids is not None else None
    if not rid:
        return ""
    try:
        model = etree.fromstring(part.related_part(rid).blob)
    except (KeyError, etree.XMLSyntaxError):  # a missing or damaged diagram: the slide without it
        return ""
    lines = []
    for point in model.iter(f"{{{_DIAGRAM}}}pt"):
        if point.get("type", "node") not in ("node", "asst"):  # the document, connections, placeholders
            continue
        for paragraph in point.iter(f"{{{_DRAWING}}}p"):
            line = " ".join("".join(t.text or "" for t in paragraph.iter(f"{{{_DRAWING}}}t")).split())
            if line:
                lines.append(line)
    return _apart(lines)


def read_pptx(data: bytes, source: str, kind: str = ".pptx") -> Document:
    from pptx import Presentation

    check_zip(data, kind)
    try:
        deck = Presentation(io.BytesIO(as_plain_document(data, ".pptx")))
    except Exception as exc:
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None
    pieces: list[tuple[str, int, bool]] = []
    for number, slide in enumerate(deck.slides, start=1):
        pieces.extend(_shape_pieces(slide.shapes, number, slide.part))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            lines = _frame_lines(notes) if notes is not None else []
            if lines:
                pieces.append((_apart(lines), number, False))
    if not pieces:
        raise UnreadableDocument(f"no text in {kind}")
    text, blocks = join_blocks(pieces)
    title, date, authors = core_metadata(deck.core_properties)
    return Document(source, text, blocks, title or first_heading(text, blocks), date, authors)
