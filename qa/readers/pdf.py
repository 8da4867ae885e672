"""PDF: text per page with pypdf; a page of two columns or with a table in reading order from
pdfium's text runs (`qa.readers.pdf_layout`); pages without a text layer read by OCR (pypdfium2
renders)."""
from __future__ import annotations

import hashlib
import io
from dataclasses import replace

from ..records import Block, Document
from . import ocr, pdf_layout
from .page_text import across_pages, full_line, running_header, with_gaps, with_paragraphs, without_running_lines
from .text import UnreadableDocument, is_heading, join_blocks, join_cut_words, without_ligatures


def read_pdf(data: bytes, source: str, options: ocr.OcrOptions) -> Document:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("encrypted PDF (needs a password)")
        texts = [_page_text(page) for page in reader.pages]
        info = reader.metadata
        title = str(info.get("/Title") or "").strip() if info else ""
        authors = str(info.get("/Author") or "").strip() if info else ""
        created = _safe(lambda: info.creation_date) if info else None
        bookmarks = _safe(lambda: outline(reader)) or []
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise UnreadableDocument(f"corrupt PDF ({type(exc).__name__})") from None
    texts = _in_reading_order(data, texts)
    ocr_pages: list[int] = []
    blank = [number for number, text in enumerate(texts, start=1) if not text]
    if blank and options.enabled and ocr.available():
        for number, text in _ocr_pages(data, blank, options, source):
            texts[number - 1] = text
            if text:
                ocr_pages.append(number)
    texts = [without_ligatures(text) for text in texts]
    header = running_header(texts)
    texts = without_running_lines(texts)
    full = full_line(texts)
    texts = with_paragraphs(texts, full)
    pieces = [(join_cut_words(text), number, None) for number, text in enumerate(texts, start=1) if text]
    if not pieces:
        if blank and not options.enabled:
            raise UnreadableDocument("PDF has no text layer (scanned? OCR is off)")
        if blank and not ocr.available():
            raise UnreadableDocument(f"PDF has no text layer: it {ocr.missing_reason()}")
        raise UnreadableDocument("PDF has no text layer, and OCR found no text")
    text, blocks = join_blocks(pieces)
    blocks = with_bookmarks(text, across_pages(text, blocks), bookmarks)
    # what PDF writers put when nobody said (reportlab: "untitled", "anonymous")
    title = "" if title.lower() in _PLACEHOLDERS else without_ligatures(title)
    authors = "" if authors.lower() in _PLACEHOLDERS else authors
    date = created.date().isoformat() if created is not None else None
    meta = {"ocr_pages": ocr_pages} if ocr_pages else {}
    # a report's running header is its title when the file names none (the text no longer holds it)
    return Document(source, text, blocks, title or header or first_page_heading(text, blocks), date,
                    authors or None, meta)


def first_page_heading(text: str, blocks: list[Block]) -> str | None:
    """A PDF's title when neither its /Title nor a running header names it: a heading (a short line
    that ends no sentence) among the first blocks of its first page with text, else None, and the
    file name cites it. Not the first line whatever it is, as for plain text: a page's first
    sentence is no title ("Chapter one. The office opens at eight…" before every citation)."""
    if not blocks:
        return None
    for block in blocks[:5]:
        if block.page != blocks[0].page:
            break
        if block.heading:
            return text[block.start:block.end].strip()
    # a page without paragraph breaks (too few lines to tell) is one block: its first line, on its own
    first = text[blocks[0].start:blocks[0].end].split("\n", 1)[0].strip()
    return first if first and is_heading(first) else None


def _page_text(page) -> str:
    """A page's text, a blank line where a line stands further below the one above it than
    lines do (`qa.readers.page_text.with_gaps`): the lines' baselines come from pypdf's visitor,
    one per line of its text (else the text is taken without them)."""
    baselines: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        size = abs(font_size * (tm[3] or 1) * (cm[3] or 1)) or 10.0
        if not baselines or abs(y - baselines[-1]) > 0.4 * size:
            baselines.append(y)

    text = (page.extract_text(visitor_text=visit) or "").replace("\r\n", "\n").replace("\x00", "")
    lines = [line for line in text.split("\n") if line.strip()]
    return with_gaps(lines, baselines if len(baselines) == len(lines) else None).strip()


def _in_reading_order(data: bytes, texts: list[str]) -> list[str]:
    """`texts` with each page of two columns or with a table read as `pdf_layout` reads it; the
    other pages as pypdf read them. A file pdfium cannot open, or a page it cannot load, keeps
    pypdf's text (a damaged file was indexed before this reading existed)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return texts
    try:
        out = list(texts)
        for i, text in enumerate(texts):
            if not text or i >= len(pdf):
                continue
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                continue  # a damaged page pypdf could read: its text as pypdf read it
            try:
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                page.close()
                continue
            try:
                layout = pdf_layout.page_text(textpage)
            finally:
                textpage.close()
                page.close()
            if layout:
                out[i] = layout
        return out
    finally:
        pdf.close()


def outline(reader, limit: int = 2000) -> list[tuple[str, int, int]]:
    """The PDF's bookmarks as (title in one line, page number, level 1 = outermost)."""
    found: list[tuple[str, int, int]] = []
    stack = [(reader.outline, 1)]
    while stack and len(found) < limit:
        items, level = stack.pop()
        for item in reversed(items):  # depth first, in document order
            if isinstance(item, list):
                stack.append((item, level + 1))
                continue
            page = reader.get_destination_page_number(item)
            title = without_ligatures(" ".join(str(item.title or "").split()))
            if title and page is not None and page >= 0:
                found.append((title, page + 1, level))
    return found


def with_bookmarks(text: str, blocks: list[Block], bookmarks: list[tuple[str, int, int]]) -> list[Block]:
    """`blocks` with the bookmarked headings marked (no longer guessed) with their level: a line of
    a block on the bookmark's page that is its title becomes a heading block of its own (the
    block split around it; the text is unchanged). A title found on no line marks nothing."""
    if not bookmarks:
        return blocks
    wanted = {(title.casefold(), page): level for title, page, level in bookmarks}
    out: list[Block] = []
    for block in blocks:
        if block.later_pages:  # a paragraph across a page break holds no heading
            out.append(block)
            continue
        start, pos = block.start, block.start
        for line in text[block.start:block.end].split("\n"):
            level = wanted.get((" ".join(line.split()).casefold(), block.page))
            if level is not None:
                if text[start:pos].strip():
                    out.append(_trimmed(text, replace(block, start=start, end=pos, heading=False, guessed=False)))
                out.append(_trimmed(text, replace(block, start=pos, end=pos + len(line), heading=True,
                                                  guessed=False, level=level)))
                start = pos + len(line) + 1
            pos += len(line) + 1
        if start == block.start:
            out.append(block)
        elif text[start:block.end].strip():
            out.append(_trimmed(text, replace(block, start=start, heading=False, guessed=False)))
    return out


def _trimmed(text: str, block: Block) -> Block:
    """`block` without the spaces and line breaks at its ends."""
    piece = text[block.start:block.end]
    start = block.start + len(piece) - len(piece.lstrip())
    return replace(block, start=start, end=max(start, block.start + len(piece.rstrip())))


_PLACEHOLDERS = {"untitled", "anonymous", "unknown", "unspecified", "(anonymous)", "(unspecified)"}


def _safe(get):
    try:
        return get()
    except Exception:  # a malformed /CreationDate is just no date
        return None


def _ocr_pages(data: bytes, numbers: list[int], options: ocr.OcrOptions, source: str):
    """(page number, OCR text) of the given pages, rendered with pdfium."""
    import pypdfium2 as pdfium

    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"corrupt PDF (pdfium: {exc})") from None
    try:
        for number in numbers:
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError:
                continue  # a damaged page: the others are read

            def render(page=page):
                width, height = page.get_size()  # points
                scale = min(ocr.DPI / 72, (ocr.MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
                return page.render(scale=scale, grayscale=True).to_pil()

            yield number, ocr.recognise(f"{digest}-p{number}", render, options, f"{source} p. {number}")
            page.close()
    finally:
        pdf.close()
