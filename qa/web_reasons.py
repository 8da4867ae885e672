"""Why a reader refused a file, in the page's language: the readers' one-line reasons
(`UnreadableDocument`, in English for the log and the terminal) matched against their wording, each
known one told with the page's words (`reason_*` in `qa.web_i18n.TEXTS`); technical details (an
exception's name) are kept as they are, and a reason not known here is shown as the reader gave it."""
from __future__ import annotations

import re

from .web_i18n import t

# The readers' wording (qa/readers, qa/indexer, qa/web_uploads) -> the key of the page's words.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), key) for pattern, key in (
    (r"no text", "reason_no_text"),
    (r"no text in (?P<kind>\S+)", "reason_no_text_in"),
    (r"binary content, not text", "reason_binary"),
    (r"encrypted PDF \(needs a password\)", "reason_encrypted_pdf"),
    (r"password-protected (?P<kind>\S+) \(save it without a password to index it\)", "reason_password"),
    # (before the general "not a valid" below, whose detail would stay English)
    (r"not a valid (?P<kind>\S+) \(an old binary Office file\? save it as (?P=kind)\)", "reason_old_office"),
    (r"not a valid \.doc \(no Word header\)", "reason_no_word_header"),
    (r"not a valid (?P<kind>\S+) \(no cues with timings found\)", "reason_no_cues"),
    (r"not a valid (?P<kind>\S+) \((?P<detail>.+)\)", "reason_not_valid"),
    (r"corrupt PDF \((?P<detail>.+)\)", "reason_corrupt_pdf"),
    (r"PDF has no text layer \(scanned\? OCR is off\)", "reason_pdf_no_layer"),
    (r"PDF has no text layer, and OCR found no text", "reason_pdf_ocr_none"),
    (r"OCR found no text in the image", "reason_image_ocr_none"),
    (r"the upload did not arrive", "reason_not_arrived"),
    (r"corrupt image \((?P<detail>.+)\)", "reason_corrupt_image"),
    (r"not a readable image \((?P<detail>.+)\)", "reason_bad_image"),
    (r"no subtitles in (?P<kind>\S+)", "reason_no_subtitles"),
    (r"binary content, not (?P<kind>CSV|TSV)", "reason_binary_table"),
    (r"malformed CSV \((?P<detail>.+)\)", "reason_malformed_csv"),
    (r"no messages in the mailbox", "reason_no_messages"),
    (r"e-mail without text", "reason_mail_no_text"),
    (r"not an e-mail \(no headers\)", "reason_not_mail"),
    (r"an Excel binary workbook \(\.xlsb\) is not read: save it as \.xlsx", "reason_xlsb"),
    (r"no events in the calendar", "reason_no_events"),
    (r"not an RTF file", "reason_not_rtf"),
    (r"malformed RTF \((?P<detail>.+)\)", "reason_malformed_rtf"),
    (r"not an? (?P<kind>Word 97-2003|Excel 97-2003) file \(no OLE2 header\)", "reason_not_ole2"),
    (r"not an (?P<kind>Outlook \.msg) \(no OLE2 header\)", "reason_not_ole2"),
    (r"not a Word file \(an OLE2 file without a WordDocument stream\)", "reason_not_word"),
    (r"\.doc needs catdoc, which is not installed \((?P<command>[^;]+); see README\)", "reason_needs_catdoc"),
    (r"catdoc gave up on the \.doc after (?P<seconds>\S+) s", "reason_catdoc_timeout"),
    (r"catdoc could not read the \.doc \((?P<detail>.+)\)", "reason_catdoc_failed"),
    (r"not a readable mailbox \((?P<detail>.+)\)", "reason_bad_mailbox"),
    (r"not a readable calendar \((?P<detail>.+)\)", "reason_bad_calendar"),
    (r"unsupported file type (?P<suffix>\S+)", "reason_unsupported"),
    (r"nested too deep", "reason_nested"),
    (r"image too large to decode \((?P<size>\d+ x \d+) pixels; the limit is (?P<limit>\d+) M pixels\)",
     "reason_image_too_large"),
    (r"image: OCR is off \(--no-ocr\)", "reason_image_ocr_off"),
    (r"image needs OCR, but Tesseract is not installed \((?P<command>[^;]+); see README\)",
     "reason_image_no_tesseract"),
    (r"PDF has no text layer: it needs OCR, but Tesseract is not installed \((?P<command>[^;]+); see README\)",
     "reason_pdf_no_tesseract"),
    (r"(?P<kind>\S+) with (?P<parts>\d+) parts: refused \(a zip bomb\?\)", "reason_zip_parts"),
    (r"(?P<kind>\S+) would inflate to (?P<mb>\d+) MB from (?P<packed>[\d.]+) MB: refused \(a zip bomb\?\)",
     "reason_zip_inflate"),
    (r"(?P<kind>\S+) whose part (?P<name>.+) does not match its header \(damaged, or a zip bomb\?\): refused",
     "reason_zip_part_bad"),
))


def reason_text(why: str, lang: str | None) -> str:
    """A reader's reason in `lang` when it is one of the known ones, else as it is."""
    if (lang or "en") == "en":  # the reader's own words (some English templates are only near them)
        return why
    for pattern, key in _REASONS:
        found = pattern.fullmatch(why.strip())
        if found:
            return t(lang, key, **found.groupdict())
    return why
