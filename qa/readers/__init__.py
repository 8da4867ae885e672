"""Read files of each supported format into a `Document`: extracted text plus blocks.

Offsets everywhere refer to `Document.text`, the text as extracted here, so that a
passage's `text == document.text[start:end]`. One module per family of formats; this
one picks the reader by suffix. A file may hold other documents (e-mail attachments,
the messages of a mailbox): they come back in `Document.parts`, cited "file › part".
"""
from __future__ import annotations

from pathlib import Path

from ..records import Document
from .images import IMAGE_SUFFIXES
from .ocr import OcrError, OcrOptions
from .packages import EXCEL_SUFFIXES, ODF_SUFFIXES, OOXML_SUFFIXES, POWERPOINT_SUFFIXES, WORD_SUFFIXES
from .subtitles import SUBTITLE_SUFFIXES
from .text import UnreadableDocument, check_text, decode_text, read_plain

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
SUFFIXES = TEXT_SUFFIXES | IMAGE_SUFFIXES | OOXML_SUFFIXES | set(ODF_SUFFIXES) | SUBTITLE_SUFFIXES | {
    ".html", ".htm", ".xhtml", ".pdf", ".csv", ".tsv", ".rtf", ".epub", ".eml", ".mbox", ".msg", ".doc", ".xls", ".ics"}
# Bump a format's version when its reader's output changes: files of that format are
# read (and embedded) again at the next `qa index`, the others stay. 2: web pages lose
# their menus, banners and footers (`qa.readers.html.main_content`). Word, PowerPoint, Excel 2: no
# date or author from the python-docx / python-pptx templates' own properties, no author "openpyxl"
# (`qa.readers.office`). PDF and images 2: words cut at line ends joined (`join_cut_words`). PDF 3:
# running headers and footers out, paragraphs apart and whole across pages (`qa.readers.page_text`).
# E-mail 2: a forwarded message attached (message/rfc822) is read as a part (`qa.readers.mail`);
# 3 (.msg 2): a reply's quoted lines lose their ">" marks (`qa.readers.mail.unquote`).
# Spreadsheets (.xlsx 3, the others 2): the text is the same, but a table's rows became its
# sentences (`qa.sentences.table_rows`), stored with their vectors at index time: read again so
# that an answer is the row, not the whole table. (Tables inside other formats get theirs when
# their file next changes.)
# Text 2, web pages 3: dates as YYYY[-MM[-DD]] ("2024-3-5", "May 5, 2024" were kept as written and
# compared as text by the date filters; `qa.readers.text.iso_date`).
# Headings' levels (web pages 4, .docx 3, .odt and .epub 2): h1-h6, "Heading N" styles, outline
# levels nest sections as Markdown's `#`s do. An unchanged file that reads as stored gets only its
# passages' sections and lexical tokens again (`Store.fill_sections`), nothing re-embedded; a
# .docx paragraph that only its outline level makes a heading changes its passages: embedded again.
# PDF 4: its bookmarks (outline) name headings, with their depth as level (`qa.readers.pdf.outline`).
# Web pages 5: a paragraph with an invisible character (Persian's zero-width non-joiner, a soft
# hyphen) no longer ends the main content there (`qa.readers.html._key`): Persian pages were cut
# after their first paragraph without one.
# Session 15, files as people have them: .docx 4, read from its XML (`qa.readers.word_text`): tracked
# insertions, content controls, smart tags, text boxes, footnotes and endnotes were lost, a table of
# contents was read. .xlsx 4: numbers as their cells show them, percentages and currencies
# (`qa.readers.number_formats`). PDF 5: ligatures (U+FB01 "ﬁ"...) as letters. E-mail 4 (.msg 3): a body
# or a header in 8-bit bytes of another charset than it declares decoded, not "\ufffd"s. .odt 3, .odp 2,
# .ods 3 (`qa.readers.odf_text`): comments, footnotes and text boxes no longer run into the paragraph
# or cell they sit in, a cell's paragraphs apart, deleted text kept for review and a table of
# contents left out. Spreadsheets (.xlsx 4, .ods 3, .xls 3, .csv 3): a sheet's title lines above its
# table are a caption, not its header row; two header rows under a merged cell are one
# (`qa.readers.sheet_header`); an .xlsx cell merged down one column is in each of its rows. .pptx 3: a SmartArt diagram's text (in its data part, not the slide) read.
# Calendars (.ics, new) are read (`qa.readers.calendar`), and e-mail 4 reads a meeting request's
# calendar part, which is no attachment, as its part "invite.ics", and the files in a winmail.dat
# (TNEF, `qa.readers.tnef`) under their own names.
# Session 16: PDF 6, a page of two columns read a column after the other and a table a row a line
# ("a | b", `qa.readers.pdf_layout`): lines of both columns were joined, a table's cells apart.
# .xls 4: numbers as their cells show them, as .xlsx 4 (xlrd's `formatting_info`).
# Session 17: PDF 7, an untitled PDF's title is a running line above its pages' text, else a heading of
# its first page, else none (its file name): a line each page repeats below its text was the title.
# Session 18: .docx 5, .odt 4, .odp 3, .doc 2, images 3: a document whose file names no title takes a
# heading, or a first paragraph that reads as one, else none (its file name), not its first 80 characters
# (`qa.readers.text.opening_title`). (Attachments of these get theirs when their message next changes.)
# Session 21: .txt, .md 3, PDF 8, .eml, .mbox 5, .msg 4, .doc 3, images 4 (the readers whose headings are
# guessed from short lines, `qa.readers.text.paragraph_blocks`): a short paragraph ending with its script's
# own full stop (Khmer ។, Devanagari ।, Urdu ۔, Armenian ։, Ethiopic ።, Myanmar ။) is no heading.
# Session 22: .docx 6, .odt 5, .odp 4, .rtf 2, left out of that bump: the same rule decides an untitled
# .docx's, .odt's or .odp's title (`opening_title`: "सेब सितंबर में तोड़े जाते हैं।" was one) and an .rtf's
# headings (`read_plain`); their indexes kept the older titles and passages.
READER_VERSIONS: dict[str, int] = {".html": 5, ".htm": 5, ".xhtml": 5, ".docx": 6, ".pptx": 4, ".xlsx": 4,
                                   ".xls": 4, ".ods": 3, ".csv": 3, ".pdf": 9, ".eml": 5, ".mbox": 5, ".msg": 4,
                                   ".txt": 3, ".md": 3, ".markdown": 3, ".odt": 5, ".odp": 4, ".epub": 2, ".ics": 1,
                                   ".doc": 3, ".rtf": 2, **{suffix: 4 for suffix in IMAGE_SUFFIXES}}
# Session 22: PDF 9, a line ending with its script's own full stop (։ ። । ۔ ။ ។, `qa.script_stops`) ends a
# sentence: a short one ends its paragraph, and a page ending with one is not joined to the next.
# Session 22: .pptx 4, a text box's paragraphs (a slide's bullets), a SmartArt's boxes and the notes' paragraphs
# are apart by a blank line, each its own sentence: joined by a line break they were one (a wrapped line).
# Session 18: Office's other names (macro-enabled, templates, slide shows), OpenDocument templates and
# .tsv are read by their family's reader (`qa.readers.packages`): they follow its version.
for _family, _names in ((".docx", WORD_SUFFIXES), (".pptx", POWERPOINT_SUFFIXES), (".xlsx", EXCEL_SUFFIXES),
                        (".odt", {".ott"}), (".odp", {".otp"}), (".ods", {".ots"}), (".csv", {".tsv"})):
    READER_VERSIONS.update({name: READER_VERSIONS[_family] for name in _names})
# Subtitles (.srt, .vtt, new): cues joined into paragraphs, cited by time (`qa.readers.subtitles`).
# 2: every cue's offset and time kept (`meta["cues"]`): an answer is cited at its own cue's time
# 3: a cue ending with a script's own full stop (।, ։, ።, ۔ ...) ends a sentence, as "." does (session 22)
READER_VERSIONS.update({".srt": 3, ".vtt": 3})
# Formats whose text can come from OCR (scanned pages, images, attachments of these): read
# again when the OCR settings (on, off, languages) differ from the ones they were read with.
OCR_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".eml", ".msg", ".mbox"}

# An attachment inside an attachment inside a message... stops here.
MAX_DEPTH = 3

__all__ = ["OCR_SUFFIXES", "READER_VERSIONS", "SUFFIXES", "Document", "OcrError", "OcrOptions", "UnreadableDocument", "decode_text",
           "read_document"]


def read_document(path: Path, source: str, data: bytes | None = None, ocr: OcrOptions | None = None,
                  _depth: int = 0) -> Document:
    """Read one file. Raises `UnreadableDocument` with a one-line reason.

    `ocr` says whether scanned pages and images are read by OCR (default: yes, where
    Tesseract is installed), in which languages and with which cache."""
    try:
        return _read(path, source, data, ocr or OcrOptions(), _depth)
    except OcrError as exc:  # no language data, a page Tesseract gave up on
        raise UnreadableDocument(str(exc)) from None


def _read(path: Path, source: str, data: bytes | None, options: OcrOptions, _depth: int) -> Document:
    suffix = path.suffix.lower()
    raw = path.read_bytes() if data is None else data
    if suffix == ".mbox":
        from .mail import read_mbox

        return read_mbox(raw, path.name, source, _part_reader(options, _depth))
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(raw, source, options)
    if suffix in IMAGE_SUFFIXES:
        from .images import read_image

        return read_image(raw, source, options)
    if suffix in (".html", ".htm", ".xhtml"):
        from .html import read_html

        return read_html(raw, source)
    if suffix in OOXML_SUFFIXES:  # read as what its content types say it is, whatever its name
        from .office import read_docx, read_pptx
        from .packages import ooxml_family
        from .sheets import read_xlsx

        family = ooxml_family(raw, suffix)
        return {".docx": read_docx, ".pptx": read_pptx, ".xlsx": read_xlsx}[family](raw, source, suffix)
    if suffix in ODF_SUFFIXES:
        from .packages import odf_family

        family = odf_family(raw, suffix)
        if family == ".ods":
            from .sheets import read_ods

            return read_ods(raw, source, suffix)
        from .opendocument import read_odf

        return read_odf(raw, source, suffix, family)
    if suffix in (".xls", ".csv", ".tsv"):
        from . import sheets

        return sheets.read_xls(raw, source) if suffix == ".xls" else sheets.read_csv(raw, source, suffix)
    if suffix == ".doc":
        from .legacy import read_doc

        return read_doc(raw, source)
    if suffix == ".rtf":
        from .rtf import read_rtf

        return read_rtf(raw, source)
    if suffix == ".epub":
        from .epub import read_epub

        return read_epub(raw, source)
    if suffix in (".eml", ".msg"):
        from .mail import read_eml, read_msg

        return (read_eml if suffix == ".eml" else read_msg)(raw, source, _part_reader(options, _depth))
    if suffix in SUBTITLE_SUFFIXES:
        from .subtitles import read_subtitles

        return read_subtitles(raw, source, suffix)
    if suffix == ".ics":
        from .calendar import read_ics

        return read_ics(raw, source)
    if suffix in TEXT_SUFFIXES:
        text = check_text(decode_text(raw), source)
        return read_plain(text, source, markdown=suffix != ".txt")
    raise UnreadableDocument(f"unsupported file type {suffix or '(none)'}")


def _part_reader(options: OcrOptions, depth: int):
    def read_part(path: Path, source: str, data: bytes) -> Document:
        if depth >= MAX_DEPTH:
            raise UnreadableDocument("nested too deep")
        if path.suffix.lower() not in SUFFIXES or path.suffix.lower() == ".mbox":
            raise UnreadableDocument(f"unsupported file type {path.suffix.lower() or '(none)'}")
        return read_document(path, source, data, options, depth + 1)

    return read_part
