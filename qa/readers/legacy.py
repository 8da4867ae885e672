"""Office 97-2003 files (OLE2 compound files): Word .doc through catdoc, and the summary
properties (title, author, creation date) that .doc and .xls files carry."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from ..records import Document
from .text import UnreadableDocument, first_heading, join_blocks, table_pieces

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Seconds catdoc may spend on one file (an 11 MB .doc of 40,000 paragraphs: 0.2 s CPU, 3 MB).
CATDOC_TIMEOUT = 120
# A Word file's FIB: the magic number, and the flag of a password-protected file ([MS-DOC] 2.5.2)
_WORD_IDENT = 0xA5EC
_F_ENCRYPTED = 0x0100


def available() -> bool:
    return shutil.which("catdoc") is not None


def missing_reason() -> str:
    return "needs catdoc, which is not installed (apt-get install catdoc; see README)"


def looks_like_html(data: bytes) -> bool:
    """A web page saved under an Office suffix (Word's "Save as Web Page", "Export to Excel")."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table")) or (head.startswith(b"<?xml") and b"<html" in head)


def ole_properties(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(title, date, authors) from an OLE2 file's SummaryInformation, where it has one."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            meta = ole.get_metadata()
    except Exception:  # no or damaged properties: the document is still read
        return None, None, None
    codepage = (meta.codepage or 1252) & 0xFFFF  # 65001 is stored as -535

    def text(value) -> str | None:
        if isinstance(value, bytes):
            try:
                value = value.decode(f"cp{codepage}" if codepage != 65001 else "utf-8", errors="replace")
            except LookupError:
                value = value.decode("latin-1")
        value = " ".join(str(value or "").replace("\x00", "").split())
        return value or None

    created = meta.create_time
    date = created.date().isoformat() if created is not None and created.year > 1980 else None
    return text(meta.title), date, text(meta.author)


def read_doc(data: bytes, source: str) -> Document:
    # Word saves "Rich Text" and web pages under .doc too, and a .docx is sometimes renamed
    if data.lstrip()[:5] == b"{\\rtf":
        from .rtf import read_rtf

        return read_rtf(data, source)
    if data[:4] == b"PK\x03\x04":
        from .office import read_docx

        return read_docx(data, source)
    if looks_like_html(data):
        from .html import read_html

        return read_html(data, source)
    import olefile

    if not data.startswith(OLE_MAGIC):
        raise UnreadableDocument("not a Word 97-2003 file (no OLE2 header)")
    try:
        with olefile.OleFileIO(data) as ole:
            fib = ole.openstream("WordDocument").read(12) if ole.exists("WordDocument") else None
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError... on a damaged file
        raise UnreadableDocument(f"not a valid .doc ({type(exc).__name__})") from None
    if fib is None:
        raise UnreadableDocument("not a Word file (an OLE2 file without a WordDocument stream)")
    if len(fib) < 12 or int.from_bytes(fib[:2], "little") != _WORD_IDENT:
        raise UnreadableDocument("not a valid .doc (no Word header)")
    if int.from_bytes(fib[10:12], "little") & _F_ENCRYPTED:
        raise UnreadableDocument("password-protected .doc (save it without a password to index it)")
    if not available():
        raise UnreadableDocument(f".doc {missing_reason()}")
    text = _catdoc(data)
    pieces = _pieces(text)
    if not pieces:
        raise UnreadableDocument("no text in .doc")
    joined, blocks = join_blocks(pieces)
    title, date, authors = ole_properties(data)
    return Document(source, joined, blocks, title or first_heading(joined, blocks), date, authors)


def _catdoc(data: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="qa-doc-") as tmp:
        path = os.path.join(tmp, "document.doc")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            # -w: a paragraph a line (no wrapping); table cells come separated by tabs
            done = subprocess.run(["catdoc", "-d", "utf-8", "-w", path], capture_output=True,
                                  timeout=CATDOC_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise UnreadableDocument(f"catdoc gave up on the .doc after {CATDOC_TIMEOUT} s") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", "replace").split())[:200] or f"exit code {done.returncode}"
        raise UnreadableDocument(f"catdoc could not read the .doc ({reason})")
    return done.stdout.decode("utf-8", "replace")


def _pieces(text: str) -> list[tuple[str, None, bool | None]]:
    """catdoc's lines as blocks: a paragraph a line (catdoc does not say which are headings:
    guessed); a run of lines with tabs is a table, as rows with their header row like the
    other readers' tables."""
    pieces: list[tuple[str, None, bool | None]] = []
    table: list[list[str]] = []
    lines = text.replace("\r", "\n").replace("\x0c", "\n").replace("\x00", "").split("\n")
    for line in lines + [""]:
        if "\t" in line:
            table.append([" ".join(cell.split()) for cell in line.split("\t")])
            continue
        if table:
            pieces.extend((piece, None, False) for piece in table_pieces(table))
            table = []
        if line.strip():
            pieces.append((line.strip(), None, None))
    return pieces
