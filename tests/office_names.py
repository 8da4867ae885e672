"""Office and OpenDocument files under their other names, made as the programs that write them do:
the same package as a .docx, .pptx, .xlsx, .odt, .odp or .ods, with its main part's content type
(OpenDocument: its `mimetype`) the one Word, Excel, PowerPoint or LibreOffice give a template, a
macro-enabled document or a slide show, and, when macro-enabled, a VBA project part."""
from __future__ import annotations

import io
import zipfile

OOXML = "application/vnd.openxmlformats-officedocument."
PLAIN = {"word": OOXML + "wordprocessingml.document.main+xml", "ppt": OOXML + "presentationml.presentation.main+xml",
         "xl": OOXML + "spreadsheetml.sheet.main+xml"}
TYPES = {".docx": PLAIN["word"], ".docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
         ".dotx": OOXML + "wordprocessingml.template.main+xml",
         ".dotm": "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
         ".pptx": PLAIN["ppt"], ".pptm": "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
         ".ppsx": OOXML + "presentationml.slideshow.main+xml",
         ".ppsm": "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
         ".potx": OOXML + "presentationml.template.main+xml",
         ".potm": "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
         ".xlsx": PLAIN["xl"], ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
         ".xltx": OOXML + "spreadsheetml.template.main+xml",
         ".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml"}
FOLDER = {"word": "word/document.xml", "ppt": "ppt/presentation.xml", "xl": "xl/workbook.xml"}
# a VBA project's bytes: never run, never read (an OLE2 header and nothing a reader could use)
VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _rewrite(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        names = source.namelist()
        for name in names:
            body = change(name, source.read(name))
            if body is not None:
                copy.writestr(name, body, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
        for name, body in change.extra(names):
            copy.writestr(name, body)
    return out.getvalue()


def as_office_name(data: bytes, suffix: str) -> bytes:
    """A package Office wrote as .docx/.pptx/.xlsx, as Office writes it under `suffix`."""
    family = next(f for f, main in FOLDER.items() if main in zipfile.ZipFile(io.BytesIO(data)).namelist())
    macros = suffix.endswith("m")
    main_rels = FOLDER[family].replace("/", "/_rels/", 1) + ".rels"

    def change(name: str, body: bytes) -> bytes:
        if name == "[Content_Types].xml":
            body = body.replace(PLAIN[family].encode(), TYPES[suffix].encode())
            if macros:
                body = body.replace(b"</Types>", b'<Default Extension="bin" '
                                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        elif name == main_rels and macros:
            body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
        return body

    change.extra = lambda names: [(f"{family}/vbaProject.bin", VBA)] if macros else []
    return _rewrite(data, change)


def as_odf_template(data: bytes) -> bytes:
    """An OpenDocument file as LibreOffice saves it as a template (.ott, .otp, .ots)."""
    mimetype = zipfile.ZipFile(io.BytesIO(data)).read("mimetype").decode()

    def change(name: str, body: bytes) -> bytes:
        if name == "mimetype":
            return (mimetype + "-template").encode()
        if name == "META-INF/manifest.xml":
            return body.replace(f'"{mimetype}"'.encode(), f'"{mimetype}-template"'.encode())
        return body

    change.extra = lambda names: []
    return _rewrite(data, change)


def with_main_type(data: bytes, old: str, new: str) -> bytes:
    """The package with its main part's content type `old` said as `new`."""
    def change(name: str, body: bytes) -> bytes:
        return body.replace(old.encode(), new.encode()) if name == "[Content_Types].xml" else body

    change.extra = lambda names: []
    return _rewrite(data, change)
