"""Sections of long documents (qa/passages.py): every passage knows the headings above it, carries
their words on the lexical side and names them in its citation. Real model, real FAISS, real files."""
from __future__ import annotations

import json
import logging
import sqlite3

import pytest

from qa import Retriever, build_index
from qa.cli import format_hits, main
from qa.layout import current_data
from qa.passages import chunk_document
from qa.readers import read_document
from qa.render import citation
from qa.store import DB_NAME

FAQ = """# Help center

Answers to the questions our support team hears most often.

## Storage

### Storage limits

The free plan holds 5 GB and the personal plan holds 2 TB.

When you go over it, syncing stops. Nothing is deleted, and syncing starts again once you free up room.

### Deleted files

Deleted files stay in the trash for 30 days. Open the trash in the web app to bring them back.

## Billing

### Payment methods

We accept credit cards, PayPal and bank transfer for yearly plans.

### Refunds

If you cancel within 14 days of a yearly purchase, we pay back the full price.

After that period, no money is returned, but the plan keeps working until the end of the year you paid for.

## Security

### Two-step verification

Turn it on in the security settings with an authenticator app or a security key.

Keep the ten backup codes shown when you turn it on: each lets you sign in once without your phone.
"""
# Each about a section's second paragraph, which says neither "refund" nor "two-step": without
# its section it came second, after the paragraph under the heading.
REFUND = "I bought a yearly plan a month ago, can I get a refund?"
CODES = "What are the backup codes of two-step verification for?"


def _faq(folder):
    folder.mkdir(exist_ok=True)
    (folder / "faq.md").write_text(FAQ, encoding="utf-8")
    return folder


def test_a_question_about_a_sections_second_paragraph_finds_it_and_the_citation_names_the_section(tmp_path, capsys):
    build_index([_faq(tmp_path / "docs")], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    hits = retriever.search(REFUND, k=3)
    assert hits[0].text.startswith("After that period, no money is returned")
    assert hits[0].section == "Billing › Refunds"
    assert hits[0].to_dict()["section"] == "Billing › Refunds"
    assert "Billing › Refunds" in citation(hits[0])  # the chat's citation line
    assert "faq.md · Billing › Refunds §" in format_hits(hits)
    codes = retriever.search(CODES, k=3)
    assert codes[0].text.startswith("Keep the ten backup codes")
    assert codes[0].section == "Security › Two-step verification"
    # the document's title is no section, and the text before the first section has none
    intro = retriever.search("Which questions does the help center answer?", k=5)
    assert any(h.text.startswith("# Help center") and h.section is None for h in intro)
    main(["ask", REFUND, "--index", str(tmp_path / "index"), "--json", "-k", "1"])
    answer = json.loads(capsys.readouterr().out)
    assert answer[0]["section"] == "Billing › Refunds" and answer[0]["paragraph"] == hits[0].paragraph


def test_markdown_levels_close_sections_and_html_levels_nest_them(tmp_path):
    (tmp_path / "a.md").write_text("# Guide\n\n## One\n\n### Deep\n\nText a.\n\n## Two\n\nText b.\n\nMore b.\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><h1>Guide</h1><h2>Billing</h2><h3>Refunds</h3><p>first.</p>"
                                     "<p>second.</p><h3>Invoices</h3><p>third.</p></body></html>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("LS(1)\n\nNAME\n\nls - list directory contents\n\n-a, --all\n\n"
                                    "do not ignore entries starting with .\n", encoding="utf-8")
    sections = {}
    for name in ("a.md", "b.html", "c.txt"):
        doc = read_document(tmp_path / name, name)
        sections[name] = [(doc.text[c.start:c.end].split("\n")[-1], c.section) for c in chunk_document(doc, 1000)]
    assert sections["a.md"] == [("Text a.", "One › Deep"), ("Text b.", "Two"), ("More b.", "Two")]
    assert sections["b.html"] == [("first.", "Billing › Refunds"), ("second.", "Billing › Refunds"),
                                  ("third.", "Billing › Invoices")]
    # plain text's headings are guesses (a man page's option lines): they name no section
    assert sections["c.txt"] and all(section is None for _, section in sections["c.txt"])


def test_an_index_made_before_sections_is_searched_as_before_then_upgraded_without_re_embedding(tmp_path, caplog):
    docs = _faq(tmp_path / "docs")
    build_index([docs], index=tmp_path / "fresh", progress=False)
    build_index([docs], index=tmp_path / "old", progress=False)
    db = current_data(tmp_path / "old") / DB_NAME
    from qa.indexer import passage_tokens

    with sqlite3.connect(db) as conn:  # as qa made it before sections: no column, tokens without them
        rows = conn.execute("SELECT p.id, p.text, p.lang, d.title, d.source, d.lang FROM passages p "
                            "JOIN documents d ON d.id = p.doc_id").fetchall()
        conn.executemany("UPDATE lexical SET tokens=? WHERE rowid=?",
                         [(" ".join(passage_tokens(*row[1:])), row[0]) for row in rows])
        conn.execute("ALTER TABLE passages DROP COLUMN section")
        conn.execute("DELETE FROM meta WHERE key='sections_version'")
    with caplog.at_level(logging.WARNING, logger="qa"):
        before = Retriever.open(tmp_path / "old").search(REFUND, k=3)
    assert "before passages knew their sections" in caplog.text
    assert before[0].section is None and "If you cancel within 14 days" in before[0].text
    report = build_index([docs], index=tmp_path / "old", progress=False)
    assert (report.sections, report.passages_embedded, report.unchanged) == (1, 0, 1)
    after = Retriever.open(tmp_path / "old").search(REFUND, k=3)
    assert after[0].section == "Billing › Refunds" and after[0].text.startswith("After that period")

    def stored(index):
        with sqlite3.connect(current_data(index) / DB_NAME) as conn:
            return conn.execute("SELECT p.start, p.section, l.tokens, p.vector FROM passages p "
                                "JOIN lexical l ON l.rowid = p.id ORDER BY p.start").fetchall()
    assert stored(tmp_path / "old") == stored(tmp_path / "fresh")
    assert build_index([docs], index=tmp_path / "old", progress=False).sections == 0


def _faq_blocks():
    """The FAQ's (heading level or 0, text) blocks, to write it in other formats."""
    for block in FAQ.strip().split("\n\n"):
        hashes = len(block) - len(block.lstrip("#"))
        yield hashes, block.lstrip("# ")


def _faq_html(path):
    body = "".join(f"<h{level}>{text}</h{level}>" if level else f"<p>{text}</p>" for level, text in _faq_blocks())
    path.write_text(f"<!doctype html><html><head><title>Help center</title></head><body>{body}</body></html>",
                    encoding="utf-8")


def _faq_docx(path):
    import docx

    document = docx.Document()
    for level, text in _faq_blocks():  # Heading 1 (the title), Heading 2, Heading 3 styles
        document.add_heading(text, level) if level else document.add_paragraph(text)
    document.save(path)


def _faq_odt(path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for level, text in _faq_blocks():  # text:h with text:outline-level
        document.text.addElement(H(outlinelevel=level, text=text) if level else P(text=text))
    document.save(str(path))


@pytest.mark.parametrize("name, write", [("faq.html", _faq_html), ("faq.docx", _faq_docx), ("faq.odt", _faq_odt)])
def test_headings_of_web_pages_docx_and_odt_nest_sections_by_their_levels(tmp_path, name, write):
    """h2/h3, "Heading 2"/"Heading 3" styles and ODT outline levels 2/3: the paragraph under
    "Refunds" (h3) is in "Billing › Refunds", found first and cited so."""
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / name)
    build_index([docs], index=tmp_path / "index", progress=False)
    hits = Retriever.open(tmp_path / "index").search(REFUND, k=3)
    assert hits[0].text.startswith("After that period, no money is returned")
    assert hits[0].section == "Billing › Refunds"
    assert f"{name} · Billing › Refunds §" in format_hits(hits)
    codes = Retriever.open(tmp_path / "index").search(CODES, k=3)
    assert codes[0].text.startswith("Keep the ten backup codes")
    assert codes[0].section == "Security › Two-step verification"


def test_an_index_whose_web_pages_had_no_heading_levels_gets_them_without_re_embedding(tmp_path):
    """An index made when h1-h6 had no level (HTML reader 2: "Refunds", not "Billing › Refunds"):
    the next `qa index` reads the page again and, as its text and passages are what is stored,
    writes only the sections and lexical tokens; the store is then the one a new index has."""
    from qa.indexer import passage_tokens

    docs = tmp_path / "docs"
    docs.mkdir()
    _faq_html(docs / "faq.html")
    build_index([docs], index=tmp_path / "fresh", progress=False)
    build_index([docs], index=tmp_path / "old", progress=False)
    with sqlite3.connect(current_data(tmp_path / "old") / DB_NAME) as conn:
        rows = conn.execute("SELECT p.id, p.text, p.lang, d.title, d.source, d.lang, p.section FROM passages p "
                            "JOIN documents d ON d.id = p.doc_id").fetchall()
        old = [(row[0], row[6] and row[6].split(" › ")[-1]) for row in rows]  # the nearest heading only
        conn.executemany("UPDATE passages SET section=? WHERE id=?", [(section, i) for i, section in old])
        conn.executemany("UPDATE lexical SET tokens=? WHERE rowid=?",
                         [(" ".join(passage_tokens(*row[1:6], section)), row[0]) for row, (_, section) in zip(rows, old)])
        versions = json.loads(conn.execute("SELECT value FROM meta WHERE key='reader_versions'").fetchone()[0])
        conn.execute("UPDATE meta SET value=? WHERE key='reader_versions'", (json.dumps({**versions, ".html": 2}),))
    assert Retriever.open(tmp_path / "old").search(REFUND, k=3)[0].section != "Billing › Refunds"
    report = build_index([docs], index=tmp_path / "old", progress=False)
    assert (report.sections, report.passages_embedded, report.unchanged, report.updated) == (1, 0, 1, 0)
    assert Retriever.open(tmp_path / "old").search(REFUND, k=3)[0].section == "Billing › Refunds"

    def stored(index):
        with sqlite3.connect(current_data(index) / DB_NAME) as conn:
            return conn.execute("SELECT p.start, p.section, l.tokens, p.vector FROM passages p "
                                "JOIN lexical l ON l.rowid = p.id ORDER BY p.start").fetchall()
    assert stored(tmp_path / "old") == stored(tmp_path / "fresh")
    settled = build_index([docs], index=tmp_path / "old", progress=False)
    assert (settled.sections, settled.passages_embedded, settled.unchanged) == (0, 0, 1)


def test_pdf_bookmarks_name_and_nest_sections(tmp_path):
    """A PDF's headings are guesses from short lines (no section), unless its outline (bookmarks)
    names them: then they nest by the outline's depth."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    docs = tmp_path / "docs"
    docs.mkdir()
    pdf = canvas.Canvas(str(docs / "faq.pdf"), pagesize=A4)
    y = 800
    for n, (level, text) in enumerate(_faq_blocks()):
        if y < 60:
            pdf.showPage()
            y = 800
        if level:
            pdf.bookmarkHorizontalAbsolute(f"h{n}", y)
            pdf.addOutlineEntry(text, f"h{n}", level=level - 1)
        pdf.drawString(40, y, text)
        y -= 30
    pdf.save()
    build_index([docs], index=tmp_path / "index", progress=False)
    hits = Retriever.open(tmp_path / "index").search(REFUND, k=3)
    assert "After that period, no money is returned" in hits[0].text
    assert hits[0].section == "Billing › Refunds"
    assert citation(hits[0]).startswith("Help center · faq.pdf · Billing › Refunds · §")
