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
))


def reason_text(why: str, lang: str | None) -> str:
    """A reader's reason in `lang` when it is one of the known ones, else as it is."""
    for pattern, key in _REASONS:
        found = pattern.fullmatch(why.strip())
        if found:
            return t(lang, key, **found.groupdict())
    return why
