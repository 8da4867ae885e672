"""EPUB e-books: chapters in spine order (a chapter is a page), titles as headings."""
from __future__ import annotations

import io

from ..records import Document
from .archive import check_zip
from .html import html_pieces, parse_html
from .text import UnreadableDocument, decode_text, join_blocks


def read_epub(data: bytes, source: str) -> Document:
    import ebooklib
    from ebooklib import epub

    check_zip(data, ".epub")
    try:
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises EpubException, KeyError, lxml errors...
        raise UnreadableDocument(f"not a valid .epub ({type(exc).__name__})") from None
    pieces: list[tuple[str, int, bool]] = []
    chapter = 0
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav) \
                or "nav" in (getattr(item, "properties", None) or []):
            continue  # the table of contents repeats the chapter titles
        found = html_pieces(parse_html(decode_text(item.get_content())))
        if not found:
            continue
        chapter += 1
        pieces.extend((text, chapter, heading) for text, heading in found)
    if not pieces:
        raise UnreadableDocument("no text in .epub")
    text, blocks = join_blocks(pieces)

    def first(name: str) -> str | None:
        values = book.get_metadata("DC", name)
        return str(values[0][0]).strip() or None if values else None

    date = first("date")
    authors = ", ".join(str(v[0]).strip() for v in book.get_metadata("DC", "creator")) or None
    return Document(source, text, blocks, first("title"), date[:10] if date else None, authors)
