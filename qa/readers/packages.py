"""What an Office Open XML or OpenDocument package holds, from its content types, not its name.

Word, Excel and PowerPoint write the same package under other names: macro-enabled (.docm
.xlsm .pptm .ppsm), templates (.dotx .dotm .xltx .xltm .potx .potm) and slide shows (.ppsx);
LibreOffice its templates (.ott .ots .otp). Each is read by its family's reader. Which family is
said by the main part's content type in `[Content_Types].xml` (OpenDocument: the `mimetype`
member), so a file renamed to another family's suffix is read as what it is. Macros are never
run: the VBA project is a part that no reader opens.

python-docx and python-pptx refuse a package whose main part is not the plain document's
(a template, a macro-enabled document or a slide show), although its XML is the same: such a
package is handed to them with that one content type rewritten (`as_plain_document`).
"""
from __future__ import annotations

import io
import re
import zipfile

from .text import UnreadableDocument

WORD_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
POWERPOINT_SUFFIXES = frozenset({".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
OOXML_SUFFIXES = WORD_SUFFIXES | POWERPOINT_SUFFIXES | EXCEL_SUFFIXES
# OpenDocument templates, each read as its document (.odt, .odp, .ods are read as they are named)
ODF_SUFFIXES = {".odt": ".odt", ".ott": ".odt", ".odp": ".odp", ".otp": ".odp", ".ods": ".ods", ".ots": ".ods"}

_OOXML = "application/vnd.openxmlformats-officedocument."
# main parts' content types -> the family's plain suffix, and the plain document's own type
PLAIN_TYPES = {".docx": _OOXML + "wordprocessingml.document.main+xml",
               ".pptx": _OOXML + "presentationml.presentation.main+xml",
               ".xlsx": _OOXML + "spreadsheetml.sheet.main+xml"}
MAIN_TYPES = {
    PLAIN_TYPES[".docx"]: ".docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": ".docx",
    _OOXML + "wordprocessingml.template.main+xml": ".docx",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": ".docx",
    PLAIN_TYPES[".pptx"]: ".pptx",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": ".pptx",
    _OOXML + "presentationml.slideshow.main+xml": ".pptx",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": ".pptx",
    _OOXML + "presentationml.template.main+xml": ".pptx",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": ".pptx",
    PLAIN_TYPES[".xlsx"]: ".xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ".xlsx",
    _OOXML + "spreadsheetml.template.main+xml": ".xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ".xlsx",
}
# Excel's binary workbook (.xlsb) is a package too, but its sheets are not XML: no reader here
_BINARY_WORKBOOK = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_ODF_TYPES = {"application/vnd.oasis.opendocument." + name: suffix for name, suffix in (
    ("text", ".odt"), ("text-template", ".odt"), ("presentation", ".odp"), ("presentation-template", ".odp"),
    ("spreadsheet", ".ods"), ("spreadsheet-template", ".ods"))}
_CONTENT_TYPE = re.compile(r'ContentType\s*=\s*"([^"]+)"')
# [Content_Types].xml and mimetype are a few KB; read no more of them (a forged part may inflate to GBs)
_MAX_PART = 2**20


def _member(data: bytes, name: str) -> bytes | None:
    """The first `_MAX_PART` bytes of the package's part `name`, None when it has none or is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as part:
            return part.read(_MAX_PART)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
        return None


def ooxml_family(data: bytes, suffix: str) -> str:
    """".docx", ".pptx" or ".xlsx": the reader of the package's main part. A package whose content
    types cannot be read (no zip, damaged) goes to its suffix's reader, which says what is wrong."""
    types = _member(data, "[Content_Types].xml")
    found = _CONTENT_TYPE.findall(types.decode("utf-8", "replace")) if types else []
    for content_type in found:
        if content_type in MAIN_TYPES:
            return MAIN_TYPES[content_type]
    if any(t.startswith(_BINARY_WORKBOOK) for t in found):
        raise UnreadableDocument("an Excel binary workbook (.xlsb) is not read: save it as .xlsx")
    return ".docx" if suffix in WORD_SUFFIXES else ".pptx" if suffix in POWERPOINT_SUFFIXES else ".xlsx"


def odf_family(data: bytes, suffix: str) -> str:
    """".odt", ".odp" or ".ods" from the package's `mimetype`, else from its suffix."""
    mimetype = _member(data, "mimetype")
    name = mimetype.decode("ascii", "replace").strip() if mimetype else ""
    return _ODF_TYPES.get(name, ODF_SUFFIXES[suffix])


def as_plain_document(data: bytes, family: str) -> bytes:
    """The package with its main part typed as the plain document's (`family` ".docx" or
    ".pptx"), which python-docx and python-pptx require; `data` itself when it already is.
    Only `[Content_Types].xml` changes; the other parts are copied, stored (not compressed
    again: the copy lives only while the file is read)."""
    plain = PLAIN_TYPES[family]
    types = _member(data, "[Content_Types].xml")
    if types is None or plain.encode() in types:
        return data
    text = types.decode("utf-8", "replace")
    for content_type, kind in MAIN_TYPES.items():
        if kind == family:
            text = text.replace(f'"{content_type}"', f'"{plain}"')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            body = text.encode("utf-8") if info.filename == "[Content_Types].xml" else archive.read(info)
            copy.writestr(info.filename, body)
    return out.getvalue()
