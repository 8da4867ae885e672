"""Hostile documents of the new formats: each read or refused with a one-line reason, memory bounded."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import formats
from hostile import encrypted_docx, lying_docx, mbox_bytes, png_bomb, xlsx_with_empty_rows, zip_bomb
from qa.readers import UnreadableDocument, read_document


def read_with_peak(path: Path):
    """(document or reason, peak MB of Python allocations while reading)."""
    tracemalloc.start()
    try:
        result = read_document(path, path.name)
    except UnreadableDocument as exc:
        result = str(exc)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("name,member", [("bomb.docx", "word/document.xml"), ("bomb.xlsx", "xl/sheet.xml"),
                                         ("bomb.pptx", "ppt/slide.xml"), ("bomb.epub", "OEBPS/c.xhtml"),
                                         ("bomb.odt", "content.xml"), ("bomb.ods", "content.xml")])
def test_zip_bombs_refused_before_extraction(tmp_path, name, member):
    path = tmp_path / name
    path.write_bytes(zip_bomb(member, inflated_mb=64))
    reason, peak = read_with_peak(path)
    assert reason == f"{path.suffix} would inflate to 64 MB from 0.1 MB: refused (a zip bomb?)"
    assert peak < 30  # importing the format's library included


def test_zip_bomb_whose_headers_lie_is_refused_with_memory_bounded(tmp_path):
    """A part's sizes in the zip's headers can be forged: the check must not trust them, and
    reading must not inflate the part whole (a 2 MB file took 2.5 GB; Session 13)."""
    path = tmp_path / "liar.docx"
    path.write_bytes(lying_docx(inflated_mb=100))
    reason, peak = read_with_peak(path)
    assert reason == ".docx whose part word/document.xml does not match its header (damaged, or a zip bomb?): refused"
    assert peak < 30


def test_password_protected_office_file(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(encrypted_docx())
    assert read_with_peak(path)[0] == "password-protected .docx (save it without a password to index it)"


def test_image_decompression_bomb_and_corrupt_image(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_bomb(20000))
    reason, peak = read_with_peak(bomb)
    assert reason.startswith("image too large to decode") and peak < 20
    # under Pillow's own limit but over ours: refused from the header, before decoding
    big = tmp_path / "big.png"
    big.write_bytes(png_bomb(9000))
    reason, peak = read_with_peak(big)
    assert reason == "image too large to decode (9000 x 9000 pixels; the limit is 60 M pixels)" and peak < 20


def test_million_empty_rows(tmp_path):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(xlsx_with_empty_rows(1_000_000))
    doc, peak = read_with_peak(path)
    assert doc.text == "Sheet\n\nProduit | Quantité\nPommes | 300"
    assert peak < 100
    ods = tmp_path / "rows.ods"
    formats.make_ods(ods, [["Produit", "Quantité"], ["Poires", 40]], empty_rows=1_000_000)
    doc, peak = read_with_peak(ods)
    assert doc.text == "Stock\n\nProduit | Quantité\nPoires | 40" and peak < 100


def test_malformed_email_headers_and_unknown_charset(tmp_path):
    path = tmp_path / "bad.eml"
    path.write_bytes(b"From: =?x-unknown?q?Al=E9?= <alice@example.org>\nTo: bob@\n"
                     b"Subject: =?utf-8?b?bm90IGJhc2U2NA===?= Pommes\nDate: yesterday at noon\n"
                     b"X-Raw: caf\xe9 \xff\xfe au lait\n"
                     b"Content-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: quoted-printable\n\n"
                     b"Les pommes de Lyon sont arriv=E9es =\n en retard.\n")
    doc, _ = read_with_peak(path)
    assert "Les pommes de Lyon sont arrivées  en retard." in doc.text
    assert doc.date is None and doc.title.endswith("Pommes")


def test_mbox_of_ten_thousand_messages(tmp_path):
    path = tmp_path / "big.mbox"
    path.write_bytes(mbox_bytes(10_000))
    doc, peak = read_with_peak(path)
    assert len(doc.parts) == 10_000
    assert doc.parts[9999].source == "big.mbox › #10000" and doc.parts[9999].title == "Livraison 9999"
    assert peak < 150  # the file is 2.2 MB: its documents, not copies of the mailbox


LEGACY = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["panne.msg", "brucke.doc", "presupuesto.xls"])
def test_truncated_and_foreign_legacy_files(tmp_path, name):
    """Office 97-2003 and Outlook files cut short, zeroed, or not such files at all: one-line reasons."""
    data = (LEGACY / name).read_bytes()
    suffix = Path(name).suffix
    kind = {".msg": "Outlook .msg", ".doc": "Word 97-2003 file", ".xls": "Excel 97-2003 file"}[suffix]
    for label, broken in (("half", data[:len(data) // 2]), ("head", data[:600]),
                          ("zeroed", data[:2048] + bytes(len(data) - 4096) + data[-2048:]),
                          ("text", "Ceci n'est pas un fichier Office.\n".encode() * 20), ("empty", b"")):
        path = tmp_path / f"{label}{suffix}"
        path.write_bytes(broken)
        reason = read_with_peak(path)[0]
        assert isinstance(reason, str) and "\n" not in reason, (label, reason)
        if label in ("text", "empty"):
            assert reason == f"not {'a' if suffix == '.doc' else 'an'} {kind} (no OLE2 header)", reason
        else:
            assert reason.startswith("not a valid ."), (label, reason)


def test_password_protected_doc(tmp_path):
    """A Word file whose header says it is encrypted (the fixture with the FIB's fEncrypted bit set)."""
    import olefile

    path = tmp_path / "secret.doc"
    path.write_bytes((LEGACY / "brucke.doc").read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        fib = bytearray(ole.openstream("WordDocument").read())
        fib[11] |= 0x01  # flags at offset 10: 0x0100 is fEncrypted
        ole.write_stream("WordDocument", bytes(fib))
    assert read_with_peak(path)[0] == "password-protected .doc (save it without a password to index it)"


def test_word_s_other_files_saved_as_doc(tmp_path):
    """Word's "Rich Text" saved under .doc, and a .docx renamed .doc, are read as what they are."""
    import docx

    formats.make_rtf(tmp_path / "phare.rtf")
    (tmp_path / "phare.doc").write_bytes((tmp_path / "phare.rtf").read_bytes())
    assert "sur l'île d'Ouessant" in read_document(tmp_path / "phare.doc", "phare.doc").text
    word = docx.Document()
    word.add_paragraph("Le rapport annuel du verger.")
    word.save(tmp_path / "rapport.doc")
    assert read_document(tmp_path / "rapport.doc", "rapport.doc").text == "Le rapport annuel du verger."


def test_exports_named_xls_or_doc(tmp_path):
    """"Export to Excel" and "Export to Word" buttons write web pages or tab-separated text
    under .xls and .doc: read as what they are, tables with their header rows."""
    page = ("<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><meta charset=\"utf-8\"></head><body>"
            "<table><tr><th>Ticket</th><th>Client</th><th>Statut</th></tr>"
            "<tr><td>4512</td><td>Boulangerie Roux</td><td>Résolu</td></tr></table></body></html>").encode()
    for name in ("tickets.xls", "tickets.doc"):
        (tmp_path / name).write_bytes(page)
        text = read_document(tmp_path / name, name).text
        assert text == "Ticket | Client | Statut\n4512 | Boulangerie Roux | Résolu", name
    (tmp_path / "export.xls").write_text("Ticket\tClient\n4513\tGarage Petit\n", encoding="utf-8")
    text = read_document(tmp_path / "export.xls", "export.xls").text
    assert text == "export.xls\n\nTicket | Client\n4513 | Garage Petit"


MBOX_SHAPES = {
    "usual": mbox_bytes(3),
    "no blank line before From": b"From a\nSubject: one\n\nbody one\nFrom b\nSubject: two\n\nbody two\n",
    "no final newline": b"From a\nSubject: one\n\nbody one\n\nFrom b\nSubject: two\n\nbody two",
    "text before the first From": b"junk\n\nFrom a\nSubject: one\n\nbody\n\n\n",
    "From line last": b"From a\nSubject: one\n\nbody\n\nFrom b",
    "blank lines only": b"From a\n\n\n\nFrom b\n\n",
    "crlf": b"From a\r\nSubject: one\r\n\r\nbody\r\n\r\nFrom b\r\nSubject: two\r\n\r\nx\r\n",
    "nothing": b"nothing here\n",
    # "From " inside a line (a subject, a signature) starts no message (mutants22)
    "From inside a line": b"From a\nSubject: News From Paris\n\nSent From my phone.\n\nFrom b\nSubject: two\n\nx\n",
}


@pytest.mark.parametrize("shape", sorted(MBOX_SHAPES))
def test_mbox_bytes_are_cut_into_messages_as_python_s_mailbox_cuts_the_file(tmp_path, shape):
    import mailbox

    from qa.readers.mail import mbox_messages

    data = MBOX_SHAPES[shape]
    path = tmp_path / "box.mbox"
    path.write_bytes(data)
    box = mailbox.mbox(path, factory=lambda f: f.read(), create=False)
    try:
        expected = list(box)
    finally:
        box.close()
    assert list(mbox_messages(data)) == expected


def test_an_mbox_is_parsed_from_the_bytes_given_not_read_again_from_its_path(tmp_path):
    """The indexer hashes the bytes it read and gives them to the reader: an mbox rewritten after
    that read (same second, same size) must not be parsed from the file, or the index keeps the
    older hash with the newer text until the file next changes."""
    path = tmp_path / "box.mbox"
    hashed = mbox_bytes(2)
    path.write_bytes(hashed.replace(b"Livraison 1", b"Commandes 1"))  # rewritten since: same size
    assert path.stat().st_size == len(hashed)
    doc = read_document(path, "box.mbox", hashed)
    assert [part.title for part in doc.parts] == ["Livraison 0", "Livraison 1"]
