"""A corpus of malformed and hostile files next to good ones, made on disk for a test."""
from __future__ import annotations

import io
import os
import random
import zipfile
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


def make_hostile_corpus(root: Path, big_mb: int = 50) -> dict[str, str]:
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
