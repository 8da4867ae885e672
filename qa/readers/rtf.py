"""Rich Text Format, converted to plain text by striprtf."""
from __future__ import annotations

import re

from ..records import Document
from .text import UnreadableDocument, check_text, read_plain

_INFO = re.compile(rb"\{\\(title|author)\s+([^{}]*)\}")


def read_rtf(data: bytes, source: str) -> Document:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise UnreadableDocument("not an RTF file")
    try:
        text = check_text(rtf_to_text(data.decode("latin-1"), errors="ignore"), source)
    except UnreadableDocument:
        raise
    except Exception as exc:
        raise UnreadableDocument(f"malformed RTF ({type(exc).__name__})") from None
    # striprtf turns each \par into one newline: a paragraph a line
    text = re.sub(r"[ \t]+\n", "\n", text).strip()
    text = re.sub(r"\n+", "\n\n", text)
    doc = read_plain(text, source, markdown=False)
    info = {key.decode(): value.decode("latin-1").strip() for key, value in _INFO.findall(data[:100000])}
    doc.title = info.get("title") or doc.title
    doc.authors = info.get("author") or None
    return doc
