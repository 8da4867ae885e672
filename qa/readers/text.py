"""Plain text and Markdown, and the helpers every reader shares: decoding, blocks."""
from __future__ import annotations

import datetime
import re

from ..records import Block, Document
from ..script_stops import CLAUSE_MARKS, SENTENCE_STOPS, class_of
from ..sentences import strip_span


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


# C0 controls but for line feed, tab and form feed, and the replacement character: a text
# with many of these is binary content decoded as text
_CONTROLS = re.compile("[\x00-\x08\x0b\x0d-\x1f\ufffd]")


def check_text(text: str, source: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise UnreadableDocument("no text")
    sample = text[:20000]
    controls = len(_CONTROLS.findall(sample))
    if controls > len(sample) * 0.1:
        raise UnreadableDocument("binary content, not text")
    return text


# ---------------------------------------------------------------- block helpers

_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")
# A line ending a sentence or clause is no heading, in any script (`qa.script_stops`). Without the
# scripts' own full stops every short paragraph in them was taken for a heading and rode on the next:
# a Khmer FAQ of six answers was one passage (session 21).
_HEADING_END = re.compile(class_of(SENTENCE_STOPS | CLAUSE_MARKS) + "$")


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
            heading = _is_heading(text[s:e], markdown)
            marked = markdown and text.startswith("#", s) and heading
            blocks.append(Block(s, e, page, heading, guessed=heading and not marked))
        pos = cut_end
    return blocks


def is_heading(line: str) -> bool:
    """Whether a line of text reads as a heading: short, ending no sentence or clause."""
    return _is_heading(line, False)


def _is_heading(block: str, markdown: bool) -> bool:
    if markdown and block.startswith("#"):
        return "\n" not in block
    return "\n" not in block and len(block) <= 100 and not _HEADING_END.search(block)


# ---------------------------------------------------------------- formats

_ISO_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?=$|[T ])")
# English dates as people write them ("May 5, 2024", "5 May 2024", "May 2024")
_WRITTEN_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y")


def iso_date(value: str | None) -> str | None:
    """A date as written in a document's metadata, as the date filters compare it:
    YYYY[-MM[-DD]] ("2024-3-5" -> "2024-03-05", a time dropped), or None for what is not a date."""
    value = " ".join((value or "").split())
    if m := _ISO_DATE.match(value):
        year, month, day = m.groups()
        try:
            if day:
                return datetime.date(int(year), int(month), int(day)).isoformat()
            if month:
                return datetime.date(int(year), int(month), 1).isoformat()[:7]
            return year
        except ValueError:
            return None
    for form in _WRITTEN_DATES:
        try:
            parsed = datetime.datetime.strptime(value.replace(".", ""), form).date()
        except ValueError:
            continue
        return parsed.isoformat() if "%d" in form else parsed.isoformat()[:7]
    return None


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
                date = iso_date(value)
        body_start = fm.end()
    elif m := _DATE_LINE.match(text):
        date = iso_date(m.group(1))
        body_start = m.end()
    blocks = paragraph_blocks(text, body_start, markdown=markdown)
    if title is None:
        title = first_heading(text, blocks)
    if title and markdown:
        title = title.lstrip("#").strip()
    return Document(source, text, blocks, title, date)


# A word cut at the end of a line of print, "irriga-" / "tion": the hyphen of a cut is dropped
# when the next line starts in lower case, kept when it starts in upper case ("Jean-" /
# "Pierre"); the line break goes either way. A soft hyphen at a line end is always a cut.
_CUT_WORD = re.compile(r"(?<=[^\W\d_])(-|\u00ad)[ \t]*\n[ \t]*(?=[^\W\d_])")


def join_cut_words(text: str) -> str:
    """Laid-out text (a PDF page, OCR) with its words cut at line ends made whole again, so that
    they are found and embedded as words."""
    return _CUT_WORD.sub(lambda m: "" if m.group(1) == "\u00ad" or text[m.end()].islower() else "-", text)


# Typographic ligatures a PDF's fonts map their glyphs to (TeX and InDesign set "fi", "fl", "ffi"
# as one glyph): "ﬁnances" is neither the word a question has nor one the model knows.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})


def without_ligatures(text: str) -> str:
    """`text` with its ligature characters (U+FB00-FB06) as the letters they join."""
    return text.translate(_LIGATURES)


def first_heading(text: str, blocks: list[Block]) -> str | None:
    for block in blocks[:5]:
        if block.heading:
            return text[block.start:block.end].strip()
    if not blocks:
        return None
    first = text[blocks[0].start:blocks[0].end].split("\n", 1)[0]
    return first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0] + "…"


def opening_title(text: str, blocks: list[Block]) -> str | None:
    """The title of a document whose file names none (a .docx, .odt or .doc without a title property,
    an image read by OCR): a heading among its first blocks, else its first paragraph when that reads as
    a heading (one short line ending no sentence: a title typed in bold body text), else None, and the file
    name cites it. Not its first 80 characters whatever they are (`first_heading`, which plain text
    keeps): a sentence cut after a word ("Le conseil municipal s'est réuni le 5 mars pour examiner
    le budget de…") stood before every citation of the document, and its words were in every
    passage's lexical tokens as title terms."""
    for block in blocks[:5]:
        if block.heading:
            line = " ".join(text[block.start:block.end].split())
            if _title_like(line):
                return line
    if not blocks:
        return None
    # the whole paragraph, not its first line: an OCR'd paragraph's first line is a sentence's start
    first = text[blocks[0].start:blocks[0].end].strip()
    return first if is_heading(first) and _title_like(first) else None


def _title_like(line: str) -> bool:
    """Words (three letters or more: not an OCR speck, a page number or a date) and no table row."""
    return sum(c.isalpha() for c in line) >= 3 and " | " not in line


def join_blocks(pieces: list[tuple[str, int | None, bool | None]]) -> tuple[str, list[Block]]:
    """Join (text, page, heading) pieces with blank lines, recording each one's span.

    A piece whose heading flag is None is text of unknown structure (a PDF page, OCR):
    it is cut at blank lines, and headings are guessed. An int (not a bool) is a heading of
    that level (1 = outermost)."""
    parts, blocks, pos = [], [], 0
    for piece, page, heading in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        sub = paragraph_blocks(piece, page=page) if heading is None else None
        if sub:
            blocks.extend(Block(b.start + pos, b.end + pos, page, b.heading, b.guessed) for b in sub)
        else:
            level = heading if type(heading) is int and heading > 0 else None
            blocks.append(Block(pos, pos + len(piece), page, bool(heading), level=level))
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), blocks


# A passage of a table is its header row and at most this many rows (or characters), so
# that a question about one row finds it with its column names.
TABLE_ROWS = 8
TABLE_CHARS = 800


def table_pieces(rows: list[list[str]]) -> list[str]:
    """Rows of cells as text pieces "header\\nrow\\nrow...", each repeating the header row."""
    lines = [" | ".join(c for c in row) for row in rows]
    lines = [line for line, row in zip(lines, rows) if any(c.strip() for c in row)]
    if not lines:
        return []
    if len(lines) == 1:
        return lines
    header, body = lines[0], lines[1:]
    pieces: list[str] = []
    current: list[str] = []
    size = len(header)
    for line in body:
        if current and (len(current) >= TABLE_ROWS or size + len(line) > TABLE_CHARS):
            pieces.append("\n".join([header, *current]))
            current, size = [], len(header)
        current.append(line)
        size += len(line) + 1
    pieces.append("\n".join([header, *current]))
    return pieces


def clean_cell(value: object) -> str:
    """A table cell as one line of text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()  # a date cell, not "2023-05-01 00:00:00"
    return " ".join(str(value).split())
