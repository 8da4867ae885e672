"""Outlook .msg, Word 97-2003 .doc and Excel 97-2003 .xls: committed files written by real
writers (tests/fixtures/README.md), indexed with build_index, asked in another language."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from qa.passages import chunk_document
from qa.readers import legacy, read_document

FIXTURES = Path(__file__).parent / "fixtures"
FILES = ["panne.msg", "presupuesto.xls", "brucke.doc"]


def need_catdoc() -> None:
    if not legacy.available():
        reason = "catdoc not installed (scripts/install-system.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from qa import Retriever, build_index

    docs = tmp_path_factory.mktemp("legacy") / "docs"
    docs.mkdir()
    for name in FILES:
        shutil.copy(FIXTURES / name, docs / name)
    directory = tmp_path_factory.mktemp("legacy-index")
    report = build_index([docs], index=directory, progress=False)
    retriever = Retriever.open(directory)
    yield retriever, report
    retriever.close()


def read(name: str):
    doc = read_document(FIXTURES / name, name)
    for chunk in chunk_document(doc, 1500):
        piece = doc.text[chunk.start:chunk.end]
        assert piece and piece == piece.strip()
    for block in doc.blocks:
        assert doc.text[block.start:block.end].strip() == doc.text[block.start:block.end]
    return doc


def top(index, question: str, k: int = 3):
    return index[0].search(question, k=k)


def test_msg_is_read_like_an_eml_with_its_attachment_and_forwarded_message(index):
    doc = read("panne.msg")
    assert (doc.title, doc.date, doc.authors) == ("Imprimante du deuxième étage en panne", "2025-02-18",
                                                  "Léa Moreau <lea.moreau@example.org>")
    assert doc.meta == {"from": "Léa Moreau <lea.moreau@example.org>",
                        "to": "Support informatique <support@example.org>"}
    assert doc.text.startswith("Imprimante du deuxième étage en panne\n\nFrom: Léa Moreau")
    assert [part.source for part in doc.parts] == ["panne.msg › devis.pdf", "panne.msg › rappel.msg"]
    forwarded = doc.parts[1]
    assert (forwarded.title, forwarded.date, forwarded.authors) == (
        "Rappel : contrat de maintenance", "2025-01-06", "Services généraux <services@example.org>")
    hit = top(index, "When is the technician coming to replace the fuser unit of the printer?")[0]
    assert (hit.source, hit.date, hit.authors) == ("panne.msg", "2025-02-18", "Léa Moreau <lea.moreau@example.org>")
    assert doc.text[hit.start:hit.end] == hit.text and "jeudi à 14 heures" in hit.text
    hit = top(index, "How much does replacing the fuser unit cost?")[0]
    assert (hit.source, hit.page, hit.title) == ("panne.msg › devis.pdf", 1, "Devis imprimante")
    hit = top(index, "When does the printers' maintenance contract expire?")[0]
    assert hit.source == "panne.msg › rappel.msg" and "31 mars 2025" in hit.text


def test_xls_sheets_rows_dates_and_summary(index):
    doc = read("presupuesto.xls")
    assert (doc.title, doc.date, doc.authors) == ("Presupuesto del reportaje", "2025-01-20", "Marta Gil")
    sheet = [doc.text[b.start:b.end] for b in doc.blocks if b.page == 2]
    assert sheet == ["Presupuesto", "Partida | Importe (€) | Responsable\nViajes | 4500 | Marta Gil\n"
                     "Traducción | 1200 | Jon Ibarra\nFotografía | 800.5 | Lucía Pardo\nCierre | 2025-03-31"]
    hits = top(index, "How much money is budgeted for translation?")
    hit = next(h for h in hits if h.source == "presupuesto.xls")
    assert hit.rank == 1 and hit.page == 2 and "Traducción | 1200 | Jon Ibarra" in hit.text
    assert doc.text[hit.start:hit.end] == hit.text


def test_doc_paragraphs_table_and_summary(index):
    need_catdoc()
    doc = read("brucke.doc")
    assert (doc.title, doc.date, doc.authors) == ("Die Brücke von Remagen", "2023-09-12", "Karl Weber")
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [
        "Die Brücke von Remagen", "Die Ludendorff-Brücke bei Remagen wurde zwischen 1916 und 1919 gebaut.",
        "Am 17. März 1945 stürzte die Brücke in den Rhein; sie wurde nie wieder aufgebaut.",
        "Jahr | Ereignis\n1919 | Eröffnung\n1945 | Einsturz",
        "Heute beherbergen die Brückentürme ein Friedensmuseum."]
    assert doc.blocks[0].heading
    retriever, report = index
    assert report.skipped == [] and report.added == len(FILES)
    hit = top(index, "Quand le pont de Remagen s'est-il effondré dans le Rhin ?")[0]
    assert (hit.source, hit.title, hit.date, hit.authors) == ("brucke.doc", "Die Brücke von Remagen", "2023-09-12",
                                                             "Karl Weber")
    assert "17. März 1945" in hit.text and doc.text[hit.start:hit.end] == hit.text


def test_doc_without_catdoc_is_skipped_with_a_one_line_notice(tmp_path):
    """`qa index` on a machine without catdoc: the .doc is skipped and said so, the rest indexed."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FIXTURES / "brucke.doc", docs / "brucke.doc")
    shutil.copy(FIXTURES / "presupuesto.xls", docs / "presupuesto.xls")
    no_catdoc = tmp_path / "bin"  # a PATH with Python and nothing else
    no_catdoc.mkdir()
    (no_catdoc / "python").symlink_to(sys.executable)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=str(no_catdoc))
    result = subprocess.run([sys.executable, "-m", "qa", "index", str(docs), "--index", str(tmp_path / "ix")],
                            capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    assert ("  skipped brucke.doc: .doc needs catdoc, which is not installed (apt-get install catdoc; see README)"
            in result.stdout.splitlines())


def test_eml_reads_a_forwarded_message_attached_to_it(tmp_path):
    """message/rfc822 attachments (a forwarded e-mail, an .msg's embedded message) are parts of their own."""
    import formats

    forwarded = formats.message("Livraison des ruches", "Les ruches arriveront le 4 avril à Die.")
    outer = formats.message("Tr : livraison", "Voir le message ci-dessous.")
    outer.add_attachment(forwarded, filename="livraison.eml")
    (tmp_path / "tr.eml").write_bytes(bytes(outer))
    doc = read_document(tmp_path / "tr.eml", "tr.eml")
    assert [(p.source, p.title) for p in doc.parts] == [("tr.eml › livraison.eml", "Livraison des ruches")]
    assert "le 4 avril à Die" in doc.parts[0].text


def test_msg_whose_only_body_is_outlook_s_compressed_rtf(tmp_path):
    """A message written in Outlook's RTF format may carry no plain or HTML body: its text is
    read from the compressed RTF (written here by aspose-email-foss, compressed by compressed-rtf)."""
    import datetime as dt

    from aspose.email_foss import msg
    from compressed_rtf import compress

    rtf = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}\f0 Bonjour,\par\par "
           rb"La chaudi\'e8re de l'\'e9cole sera remplac\'e9e pendant les vacances de f\'e9vrier.\par }")
    message = msg.MapiMessage.create("Chaudière de l'école", "")
    message.set_property(0x1009, msg.PropertyTypeCode.PTYP_BINARY, compress(rtf, compressed=True))
    message.set_property(msg.PropertyId.MESSAGE_DELIVERY_TIME, dt.datetime(2025, 1, 9, 7, 0, tzinfo=dt.timezone.utc))
    message.save(tmp_path / "chaudiere.msg")
    doc = read_document(tmp_path / "chaudiere.msg", "chaudiere.msg")
    assert (doc.title, doc.date) == ("Chaudière de l'école", "2025-01-09")
    assert "La chaudière de l'école sera remplacée pendant les vacances de février." in doc.text


def test_msg_from_exchange_cites_smtp_addresses_not_exchange_ones(tmp_path):
    """Mail between colleagues on Exchange carries "/O=ORG/OU=.../CN=..." addresses, with the SMTP
    address beside them when Outlook knew it: From and To give the SMTP one, else the name."""
    from aspose.email_foss import msg

    x500 = "/O=EXAMPLE/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN="
    message = msg.MapiMessage.create("Inventaire du stock", "Le stock de toner sera compté vendredi.")
    message.set_property(0x0C1A, msg.PropertyTypeCode.PTYP_STRING, "Léa Moreau")
    message.set_property(0x0C1E, msg.PropertyTypeCode.PTYP_STRING, "EX")
    message.set_property(0x0C1F, msg.PropertyTypeCode.PTYP_STRING, x500 + "LEA")
    message.set_property(0x5D01, msg.PropertyTypeCode.PTYP_STRING, "lea.moreau@example.org")
    known = message.add_recipient(x500 + "BOB", display_name="Bob Martin")
    known.address_type = "EX"
    known.set_property(0x39FE, msg.PropertyTypeCode.PTYP_STRING, "bob.martin@example.org")
    message.set_property(0x0E04, msg.PropertyTypeCode.PTYP_STRING, "Bob Martin")
    message.save(tmp_path / "stock.msg")
    doc = read_document(tmp_path / "stock.msg", "stock.msg")
    assert doc.meta == {"from": "Léa Moreau <lea.moreau@example.org>", "to": "Bob Martin <bob.martin@example.org>"}
    assert "/O=" not in doc.text
    # without the SMTP addresses: the names (the writer copies a recipient's X.500 address
    # into its SMTP address when it has none: the reader sees through that too)
    message.properties.remove(0x5D01)
    known.properties.remove(0x39FE)
    other = message.add_recipient(x500 + "ALICE", display_name="Alice Durand")
    other.address_type = "EX"
    message.set_property(0x0E04, msg.PropertyTypeCode.PTYP_STRING, "Bob Martin; Alice Durand")
    message.save(tmp_path / "stock2.msg")
    doc = read_document(tmp_path / "stock2.msg", "stock2.msg")
    assert doc.meta == {"from": "Léa Moreau", "to": "Bob Martin; Alice Durand"} and "/O=" not in doc.text
