"""Read files of each supported format into a `Document`: extracted text plus blocks.

Offsets everywhere refer to `Document.text`, the text as extracted here, so that a
passage's `text == document.text[start:end]`.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from .records import Block, Document
from .sentences import strip_span

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}


class UnreadableDocument(Exception):
    """A file that cannot be indexed; the message is the one-line reason shown to the user."""


# ---------------------------------------------------------------- text decoding

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: BOMs first, then strict UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    else:
        if "\x00" in text and _looks_utf16(data):
            text = data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", errors="replace")
    return text


def _decode_legacy(data: bytes) -> str:
    # Detectors guess Central European code pages for short Western text (French "à"
    # becomes Czech "ŕ"). Western text decoded as cp1252 has few accented letters
    # among plain ones; Cyrillic or Greek misread as cp1252 is almost all accented.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = sum(ch.isalpha() for ch in text[:20000])
        accented = sum(ch.isalpha() and ord(ch) > 127 for ch in text[:20000])
        if letters and accented / letters < 0.5:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("cp1252", errors="replace")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 3


def _check_text(text: str, source: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise UnreadableDocument("no text")
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f" or ch == "\ufffd")
    if controls > len(sample) * 0.1:
        raise UnreadableDocument("binary content, not text")
    return text


# ---------------------------------------------------------------- block helpers

_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")
_HEADING_END = re.compile(r"[.!?;,:…»\"'”’)\]。！？；，：]$")


def paragraph_blocks(text: str, offset: int = 0, end: int | None = None, page: int | None = None,
                     markdown: bool = False) -> list[Block]:
    """Split `text[offset:end]` at blank lines into blocks, marking heading-like lines."""
    end = len(text) if end is None else end
    blocks = []
    pos = offset
    cuts = [(m.start(), m.end()) for m in _BLANK_LINES.finditer(text, offset, end)]
    for cut_start, cut_end in cuts + [(end, end)]:
        s, e = strip_span(text, pos, cut_start)
        if e > s:
            blocks.append(Block(s, e, page, _is_heading(text[s:e], markdown)))
        pos = cut_end
    return blocks


def _is_heading(block: str, markdown: bool) -> bool:
    if markdown and block.startswith("#"):
        return "\n" not in block
    return "\n" not in block and len(block) <= 100 and not _HEADING_END.search(block)


# ---------------------------------------------------------------- formats

_DATE_LINE = re.compile(r"\A\s*date\s*:?\s*(\d{4}(?:-\d{1,2}){0,2})\b\s*", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def read_plain(text: str, source: str, markdown: bool) -> Document:
    title = date = None
    body_start = 0
    if markdown and (fm := _FRONT_MATTER.match(text)):
        for line in fm.group(1).splitlines():
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip().lower() == "title" and value:
                title = value
            elif key.strip().lower() == "date" and value:
                date = value
        body_start = fm.end()
    elif m := _DATE_LINE.match(text):
        date = m.group(1)
        body_start = m.end()
    blocks = paragraph_blocks(text, body_start, markdown=markdown)
    if title is None:
        title = _first_heading(text, blocks)
    if title and markdown:
        title = title.lstrip("#").strip()
    return Document(source, text, blocks, title, date)


def _first_heading(text: str, blocks: list[Block]) -> str | None:
    for block in blocks[:5]:
        if block.heading:
            return text[block.start:block.end].strip()
    if not blocks:
        return None
    first = text[blocks[0].start:blocks[0].end].split("\n", 1)[0]
    return first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0] + "…"


def _join_blocks(pieces: list[tuple[str, int | None, bool]]) -> tuple[str, list[Block]]:
    """Join (text, page, heading) pieces with blank lines, recording each one's span."""
    parts, blocks, pos = [], [], 0
    for piece, page, heading in pieces:
        if parts:
            parts.append("\n\n")
            pos += 2
        sub = paragraph_blocks(piece, page=page) if page is not None else None
        if sub:
            blocks.extend(Block(b.start + pos, b.end + pos, page, b.heading) for b in sub)
        else:
            blocks.append(Block(pos, pos + len(piece), page, heading))
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), blocks


_HTML_BLOCKS = "p,h1,h2,h3,h4,h5,h6,li,pre,blockquote,td,th,dd,dt,figcaption,caption,address,div,section,article,header,footer,main,aside,nav,table,ul,ol,dl,form,fieldset,details,summary"
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"\s+")


def read_html(raw: bytes, source: str) -> Document:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_text(raw))
    title = tree.css_first("title")
    title_text = _SPACES.sub(" ", title.text()).strip() if title else None
    date = None
    for selector in ('meta[name="date"]', 'meta[property="article:published_time"]',
                     'meta[name="dc.date"]', 'meta[name="DC.date"]', "time[datetime]"):
        node = tree.css_first(selector)
        value = node and (node.attributes.get("content") or node.attributes.get("datetime"))
        if value:
            date = value.strip()[:10]
            break
    tree.strip_tags(["script", "style", "noscript", "template", "head", "svg", "iframe", "object"])
    root = tree.body or tree.root
    pieces: list[tuple[str, int | None, bool]] = []
    if root is not None:
        nodes = root.css(_HTML_BLOCKS)
        # only leaf blocks (their ancestors' text is theirs): mark every ancestor of a
        # block once, in one pass, instead of a css() query under each block
        # (quadratic on big pages such as the Python docs' indexes)
        inner: set[int] = set()
        for node in nodes:
            parent = node.parent
            while parent is not None and parent.mem_id not in inner:
                inner.add(parent.mem_id)
                parent = parent.parent
        for node in nodes:
            if node.mem_id in inner:
                continue
            text = _SPACES.sub(" ", node.text(deep=True, separator="")).strip()
            if text:
                pieces.append((text, None, node.tag in _HTML_HEADINGS))
        if not pieces:
            text = _SPACES.sub(" ", root.text(deep=True, separator=" ")).strip()
            if text:
                pieces.append((text, None, False))
    if not pieces:
        raise UnreadableDocument("no text in HTML")
    text, blocks = _join_blocks(pieces)
    if not title_text:
        title_text = next((text[b.start:b.end] for b in blocks if b.heading), None)
    return Document(source, text, blocks, title_text, date)


def read_pdf(data: bytes, source: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("encrypted PDF (needs a password)")
        pieces = []
        for number, page in enumerate(reader.pages, start=1):
            text = (page.extract_text() or "").replace("\r\n", "\n").replace("\x00", "").strip()
            if text:
                pieces.append((text, number, False))
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise UnreadableDocument(f"corrupt PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise UnreadableDocument(f"corrupt PDF ({type(exc).__name__})") from None
    if not pieces:
        raise UnreadableDocument("PDF has no text layer (scanned? OCR it first)")
    text, blocks = _join_blocks(pieces)
    title = str(meta_title).strip() if meta_title else _first_heading(text, blocks)
    return Document(source, text, blocks, title, None)


def read_docx(data: bytes, source: str) -> Document:
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"not a valid .docx ({type(exc).__name__})") from None
    except Exception as exc:
        raise UnreadableDocument(f"not a valid .docx ({type(exc).__name__})") from None
    pieces = []
    for para in document.paragraphs:
        text = para.text.strip()
        if text:
            style = (para.style.name if para.style is not None else "") or ""
            pieces.append((text, None, style.startswith(("Heading", "Title"))))
    for table in document.tables:
        for row in table.rows:
            cells = " | ".join(c.text.strip() for c in row.cells if c.text.strip())
            if cells:
                pieces.append((cells, None, False))
    if not pieces:
        raise UnreadableDocument("no text in .docx")
    text, blocks = _join_blocks(pieces)
    title = (document.core_properties.title or "").strip() or _first_heading(text, blocks)
    return Document(source, text, blocks, title, None)


def read_document(path: Path, source: str, data: bytes | None = None) -> Document:
    """Read one file. Raises `UnreadableDocument` with a one-line reason."""
    suffix = path.suffix.lower()
    raw = path.read_bytes() if data is None else data
    if suffix == ".pdf":
        return read_pdf(raw, source)
    if suffix == ".docx":
        return read_docx(raw, source)
    if suffix in (".html", ".htm"):
        return read_html(raw, source)
    if suffix in (".txt", ".md", ".markdown"):
        text = _check_text(decode_text(raw), source)
        return read_plain(text, source, markdown=suffix != ".txt")
    raise UnreadableDocument(f"unsupported file type {suffix or '(none)'}")
