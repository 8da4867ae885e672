"""The text of a .docx's WordprocessingML as Word shows it, read from the XML itself.

python-docx's `Paragraph.text` and `iter_inner_content` read only a paragraph's direct runs and a
body's direct paragraphs: text a reviewer inserted (tracked `w:ins`), text in content controls
(`w:sdt`, which templates are made of), smart tags, simple fields and text boxes was lost. Here a
paragraph's text is every run inside it but those of tracked deletions (`w:del`, `w:moveFrom`:
what the document no longer says) and of text boxes (read as paragraphs of their own, once: Word
writes each box twice, as DrawingML and as a VML fallback)."""
from __future__ import annotations

from typing import Iterator

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


P, TBL, TR, TC = w("p"), w("tbl"), w("tr"), w("tc")
# tracked deletions and text moved away: not the document's text any more
_REMOVED = {w("del"), w("moveFrom")}
# what holds block content (paragraphs, tables, rows, cells) of its own: read through
_BLOCK_WRAPPERS = {w("sdtContent"), w("customXml"), w("ins"), w("moveTo")}
# the properties of a paragraph, a run, a content control: no text of the document
_PROPERTIES = {w("pPr"), w("rPr"), w("sdtPr"), w("sdtEndPr"), w("trPr"), w("tcPr"), w("tblPr"), w("tblGrid")}
_RUN_TEXT = {w("t"): None, w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n",
             w("noBreakHyphen"): "-", w("softHyphen"): ""}
_TEXTBOX = w("txbxContent")
_FALLBACK = f"{{{MC_NS}}}Fallback"


def is_toc(sdt) -> bool:
    """A content control holding a table of contents (Word's "Table of Contents" building block)."""
    gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
    return gallery is not None and (gallery.get(w("val")) or "").lower().startswith("table of contents")


def blocks(container) -> Iterator:
    """The paragraphs (`w:p`) and tables (`w:tbl`) of a body, a cell, a text box or a note, in
    document order, through content controls and the other wrappers; a table of contents left out."""
    for child in container:
        tag = child.tag
        if tag in (P, TBL):
            yield child
        elif tag == w("sdt"):
            if not is_toc(child):
                yield from blocks(child)
        elif tag in _BLOCK_WRAPPERS:
            yield from blocks(child)


def _children(element, tag: str) -> Iterator:
    """`element`'s children of `tag`, also inside content controls and custom XML (rows of a table,
    cells of a row)."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from _children(child, tag)


def paragraph_text(p) -> str:
    """A paragraph's text as Word shows it with its changes accepted (text boxes left out)."""
    out: list[str] = []
    _inline(p, out)
    return "".join(out)


def _inline(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _REMOVED or tag in _PROPERTIES or tag == _FALLBACK or tag == _TEXTBOX:
            continue
        if tag in _RUN_TEXT:
            out.append(child.text or "" if _RUN_TEXT[tag] is None else _RUN_TEXT[tag])
        elif isinstance(tag, str):  # runs, hyperlinks, fields, smart tags, content controls, insertions
            _inline(child, out)


def text_boxes(p) -> list:
    """The text boxes anchored in a paragraph (their `w:txbxContent`), each once: not the VML copy
    Word keeps for older programs (`mc:Fallback`), nor a box inside a tracked deletion."""
    boxes = []
    for box in p.iter(_TEXTBOX):
        ancestors = list(box.iterancestors())
        if any(a.tag == _FALLBACK or a.tag in _REMOVED or a.tag == _TEXTBOX for a in ancestors):
            continue
        boxes.append(box)
    return boxes


def note_references(p) -> list[tuple[str, str]]:
    """("footnote" | "endnote", id) of the notes a paragraph refers to, in order (not in deletions)."""
    refs = []
    for element in p.iter(w("footnoteReference"), w("endnoteReference")):
        if any(a.tag in _REMOVED for a in element.iterancestors()):
            continue
        kind = "footnote" if element.tag == w("footnoteReference") else "endnote"
        refs.append((kind, element.get(w("id")) or ""))
    return refs


def notes(root, kind: str) -> dict[str, object]:
    """The footnotes or endnotes of a notes part by id (Word's separator "notes" left out)."""
    found = {}
    for note in root.iter(w(kind)):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        found[note.get(w("id")) or ""] = note
    return found


def table_rows(tbl, cell_text) -> list[list[str]]:
    """A table's rows of cell texts (`cell_text(tc)`): a cell spanning columns once, a cell merged
    down (`w:vMerge`) with the text of the cell it continues, a row deleted in review left out."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # grid column -> the text of the cell starting there in the row above
    for tr in _children(tbl, TR):
        props = tr.find(w("trPr"))
        if props is not None and props.find(w("del")) is not None:
            continue
        column = 0
        cells: list[str] = []
        here: dict[int, str] = {}
        for tc in _children(tr, TC):
            props = tc.find(w("tcPr"))
            span = props.find(w("gridSpan")) if props is not None else None
            merge = props.find(w("vMerge")) if props is not None else None
            width = int(span.get(w("val")) or 1) if span is not None and (span.get(w("val")) or "1").isdigit() else 1
            if merge is not None and merge.get(w("val"), "continue") == "continue":
                text = above.get(column, "")
            else:
                text = cell_text(tc)
            cells.append(text)
            here[column] = text
            column += max(width, 1)
        above = here
        rows.append(cells)
    return rows
