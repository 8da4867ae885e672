"""A corpus of malformed and hostile files next to good ones, made on disk for a test."""
from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from pathlib import Path

GOOD_TEXT = ("La coopérative a vendu des pommes bio à Lyon. Les ventes ont doublé en 2023.\n\n"
             "Le verger compte trois cents arbres plantés en 1998.\n")


def _pdf_bytes(lines: list[str], encrypt: str | None = None, draw_only: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if draw_only:
        c.rect(100, 100, 300, 300, fill=1)  # a "scan": marks on the page, no text layer
    for i, line in enumerate(lines):
        c.drawString(72, 800 - 40 * i, line)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if encrypt:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(encrypt)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def zip_bomb(member: str, inflated_mb: int = 64) -> bytes:
    """A zip whose one member inflates from a few KB to `inflated_mb` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w", force_zip64=True) as fh:
            block = b"\0" * 2**20
            for _ in range(inflated_mb):
                fh.write(block)
    return buf.getvalue()


def lying_docx(inflated_mb: int = 300) -> bytes:
    """A real Word file whose document part inflates to `inflated_mb` MB (valid XML: the text,
    then spaces) while both its headers say 5,000 bytes: the sizes a bomb check reads lie."""
    import docx

    plain = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("The orchard has three hundred apple trees.")
    document.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            with zout.open(info.filename, "w") as fh:
                fh.write(zin.read(info))
                if info.filename == "word/document.xml":
                    for _ in range(inflated_mb):
                        fh.write(b" " * 2**20)
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    # (signature, offset of the uncompressed size, of the name, of the name's length)
    for signature, size_at, name_at, length_at in ((b"PK\x03\x04", 22, 30, 26), (b"PK\x01\x02", 24, 46, 28)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if data[at + name_at:at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, 5000)
            at = data.find(signature, at + 4)
    return bytes(data)


def encrypted_docx(password: str = "s3cret") -> bytes:
    """A real password-protected Word file (ECMA-376 agile encryption, as Word writes it)."""
    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Un secret bien gardé.")
    document.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt(password, out)
    return out.getvalue()


def png_bomb(side: int = 20000) -> bytes:
    """A valid PNG of side x side grey pixels: ~400 KB on disk, 400 MB once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte + pixels
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def xlsx_with_empty_rows(rows: int = 1_000_000) -> bytes:
    """A spreadsheet with a few real rows, then `rows` formatted empty rows, then one more cell."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Produit", "Quantité"])
    sheet.append(["Pommes", 300])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                empty = "".join(f'<row r="{r}" ht="15" customHeight="1"/>' for r in range(3, rows + 3))
                last = f'<row r="{rows + 3}"><c r="A{rows + 3}" t="inlineStr"><is><t>Fin</t></is></c></row>'
                data = data.replace(b"</sheetData>", (empty + last).encode() + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:B2"/>', f'<dimension ref="A1:B{rows + 3}"/>'.encode())
            dst.writestr(info, data)
    return out.getvalue()


def mbox_bytes(messages: int) -> bytes:
    """A mailbox of `messages` short messages."""
    out = []
    for i in range(messages):
        out.append(f"From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: Alice <alice@example.org>\n"
                   f"To: bob@example.org\nSubject: Livraison {i}\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\n"
                   f"La livraison numéro {i} de pommes est arrivée au verger.\n\n")
    return "".join(out).encode()


def make_hostile_corpus(root: Path, big_mb: int = 50, mbox_messages: int = 10_000) -> dict[str, str]:
    """Write the corpus under `root`. Returns {source: expectation} where expectation is
    "indexed" or the start of the skip reason."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, expectation: str) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = expectation
        return path

    # good files
    put("good/ventes.txt", GOOD_TEXT.encode(), "indexed")
    put("good/notes.md", b"# Notes\n\nLe verger de Lyon produit des pommes.\n", "indexed")
    put("good/page.html", "<html><title>Verger</title><body><p>Les pommes de Lyon.</p></body></html>".encode(),
        "indexed")
    put("good/rapport.pdf", _pdf_bytes(["Rapport sur le verger de Lyon et ses pommes."]), "indexed")
    # odd but readable
    put("odd/latin1.txt", "Élève à l'école : les pommes déjà cueillies.".encode("latin-1"), "indexed")
    put("odd/utf16.txt", "Les pommes de Noël, récoltées à Lyon.".encode("utf-16"), "indexed")
    put("odd/nul.txt", b"Avant le zero\x00 apres le zero, les pommes.", "indexed")
    put("odd/mixed-endings.txt", b"Ligne un.\r\nLigne deux.\rLigne trois.\n\r\nNouveau paragraphe.\r\n", "indexed")
    words = "pommes verger Lyon coopérative récolte arbre".split()
    one_line = " ".join(rng.choice(words) + ("." if i % 17 == 16 else "") for i in range(170_000))
    put("odd/one-megabyte-line.txt", one_line.encode()[:1_000_000], "indexed")
    put("odd/name with spaces.txt", b"Un nom avec des espaces, et des pommes.", "indexed")
    put("odd/données été 中文.md", "Un nom en Unicode: 苹果 et pommes.".encode(), "indexed")
    put("odd/new\nline.txt", b"Un nom avec un saut de ligne.", "indexed")
    put("odd/deep/a/b/c/d/e/nested.txt", b"Tout au fond du dossier, des pommes.", "indexed")
    # broken or hostile
    put("bad/empty.txt", b"", "no text")
    put("bad/blank.md", b"\n\n   \n\t\n", "no text")
    put("bad/junk.txt", bytes(rng.randrange(256) for _ in range(20000)), "binary content")
    put("bad/png-named.md", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(5000)), "binary content")
    valid_pdf = _pdf_bytes(["Un texte qui sera coupe."])
    put("bad/truncated.pdf", valid_pdf[: len(valid_pdf) // 3], "corrupt PDF")
    put("bad/not-a-pdf.pdf", b"hello, I am not a PDF", "corrupt PDF")
    put("bad/encrypted.pdf", _pdf_bytes(["Secret"], encrypt="s3cret"), "encrypted PDF")
    put("bad/scanned.pdf", _pdf_bytes([], draw_only=True), "PDF has no text layer")
    put("bad/not-a-zip.docx", b"PK but not really a zip", "not a valid .docx")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("hello.txt", "a zip, not a Word file")
    put("bad/zip-not-docx.docx", zbuf.getvalue(), "not a valid .docx")
    put("bad/scripts-only.html", b"<html><head><style>p{color:red}</style></head><body><script>var a=1;</script>"
        b"<noscript></noscript></body></html>", "no text in HTML")
    put("bad/unsupported.exe", b"MZ\x90\x00", "unsupported format")
    # documents as people have them, broken
    put("bad/bomb.docx", zip_bomb("word/document.xml"), ".docx would inflate to")
    put("bad/bomb.xlsx", zip_bomb("xl/worksheets/sheet1.xml"), ".xlsx would inflate to")
    put("bad/bomb.epub", zip_bomb("OEBPS/chapter.xhtml"), ".epub would inflate to")
    put("bad/password.docx", encrypted_docx(), "password-protected .docx")
    put("odd/million-empty-rows.xlsx", xlsx_with_empty_rows(), "indexed")
    put("bad/huge-image.png", png_bomb(), "image too large to decode")
    from PIL import Image

    good_png = io.BytesIO()
    Image.new("L", (400, 200), 255).save(good_png, "PNG")
    put("bad/corrupt.png", good_png.getvalue()[:60], "corrupt image")
    put("bad/not-an-image.jpg", b"GIF89a but not really", "not a readable image")
    put("odd/bad-headers.eml", b"From: =?x-unknown?q?Al=E9?= <alice@example.org>\nTo: bob@\n"
        b"Subject: =?utf-8?b?bm90IGJhc2U2NA===?= Pommes\nDate: yesterday at noon\n"
        b"X-Raw: caf\xe9 \xff\xfe au lait\n"
        b"Content-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: quoted-printable\n\n"
        b"Les pommes de Lyon sont arriv=E9es =\n en retard.\n", "indexed")
    if mbox_messages:
        put("odd/big.mbox", mbox_bytes(mbox_messages), "indexed")
    big = root / "bad/huge.txt"
    with open(big, "wb") as fh:
        block = (GOOD_TEXT * 200).encode()
        for _ in range(big_mb * 2**20 // len(block) + 1):
            fh.write(block)
    expect["bad/huge.txt"] = "too large"
    unreadable = put("bad/unreadable.txt", b"Secret pommes.", "cannot read" if os.geteuid() != 0 else "indexed")
    unreadable.chmod(0)
    # links
    (root / "links").mkdir()
    os.symlink("loop-b.txt", root / "links/loop-a.txt")
    os.symlink("loop-a.txt", root / "links/loop-b.txt")
    expect["links/loop-a.txt"] = expect["links/loop-b.txt"] = "broken or looping symbolic link"
    os.symlink("../../outside-secret.txt", root / "links/outside.txt")
    (root.parent / "outside-secret.txt").write_text("Ce fichier est hors du dossier indexé.")
    expect["links/outside.txt"] = "symbolic link to outside"
    os.symlink("../good/ventes.txt", root / "links/inside.txt")
    expect["links/inside.txt"] = "indexed"
    os.symlink("/nonexistent/target.txt", root / "links/dangling.txt")
    expect["links/dangling.txt"] = "broken or looping symbolic link"
    os.symlink("..", root / "links/parent-dir")  # a directory loop: never followed
    os.mkfifo(root / "bad/pipe.txt")
    expect["bad/pipe.txt"] = "not a regular file"
    return expect
