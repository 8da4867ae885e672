"""Every supported format: made on disk, indexed with build_index, asked through Retriever.search."""
from __future__ import annotations

from pathlib import Path

import pytest

import formats
from qa.passages import chunk_document
from qa.readers import read_document

MAKERS = {"bilan.pptx": formats.make_pptx, "comptes.xlsx": formats.make_xlsx, "stock.ods": formats.make_ods,
          "villes.csv": formats.make_csv, "moulin.odt": formats.make_odt, "ruches.odp": formats.make_odp,
          "phare.rtf": formats.make_rtf, "patagonie.epub": formats.make_epub, "couvreur.eml": formats.make_eml,
          "ferme.mbox": formats.make_mbox}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formats") / "docs"
    root.mkdir()
    for name, make in MAKERS.items():
        make(root / name)
    return root


@pytest.fixture(scope="module")
def index(folder, tmp_path_factory):
    from qa import Retriever, build_index

    directory = tmp_path_factory.mktemp("formats-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == []
    assert report.added == len(MAKERS)
    retriever = Retriever.open(directory)
    yield retriever, report, directory
    retriever.close()


def read(folder: Path, name: str):
    doc = read_document(folder / name, name)
    for chunk in chunk_document(doc, 1500):
        piece = doc.text[chunk.start:chunk.end]
        assert piece and piece == piece.strip()
    return doc


def top(index, question: str, k: int = 3):
    retriever, _, _ = index
    return retriever.search(question, k=k)


def test_pptx_slides_are_pages_with_tables_and_notes(folder, index):
    doc = read(folder, "bilan.pptx")
    assert (doc.title, doc.authors, doc.date) == ("Bilan du verger", "Claire Martin", "2024-06-11")
    # slide 2 in reading order: title, text box, table (with its header row), notes
    page2 = [doc.text[b.start:b.end] for b in doc.blocks if b.page == 2]
    assert page2 == ["La grêle de mai", "Un orage de grêle a détruit un tiers des fleurs des cerisiers.",
                     "Arbre | Pertes\nCerisier | 33 %", "Dire que l'assurance couvre les pertes des cerisiers."]
    hit = top(index, "Quelle part des fleurs de cerisier la grêle a-t-elle détruite ?")[0]
    assert (hit.source, hit.page) == ("bilan.pptx", 2)


def test_xlsx_row_found_with_its_header(folder, index):
    doc = read(folder, "comptes.xlsx")
    assert doc.title == "Brightwater Tiles accounts" and doc.authors == "Finance team"
    hits = top(index, "What was the revenue of Brightwater Tiles in 2023?")
    hit = next(h for h in hits if h.source == "comptes.xlsx")
    assert hit.rank == 1 and hit.page == 2  # the second sheet
    assert hit.text.startswith("Finances\n\nYear | Revenue | Profit | Employees")
    assert "2023 | 2.75 | 0.4 | 17" in hit.text
    assert "Closed on | 2024-12-31" in doc.text


def test_ods_sheet(folder, index):
    doc = read(folder, "stock.ods")
    assert "Fruit | Stock (kg) | Warehouse\nQuince | 480 | Annecy" in doc.text
    hit = top(index, "How many kilograms of apricots are in stock?")[0]
    assert (hit.source, hit.page) == ("stock.ods", 1) and "Apricot | 1200 | Valence" in hit.text


def test_csv_rows(folder, index):
    doc = read(folder, "villes.csv")
    assert "Ville | Habitants | Maire\nGrenoble | 158000 | Éric Piolle" in doc.text
    hit = top(index, "Qui est le maire de Chambéry ?")[0]
    assert hit.source == "villes.csv" and "Chambéry | 59000 | Thierry Repentin" in hit.text


def test_odt_metadata_and_heading(folder, index):
    doc = read(folder, "moulin.odt")
    assert (doc.title, doc.date, doc.authors) == ("Le moulin de Sainte-Croix", "2022-03-14", "Jeanne Roux")
    hit = top(index, "Qui a construit le moulin à huile de Sainte-Croix ?")[0]
    assert hit.source == "moulin.odt" and hit.text.startswith("Histoire du moulin\n\nLe moulin à huile")
    assert hit.title == "Le moulin de Sainte-Croix" and hit.date == "2022-03-14" and hit.authors == "Jeanne Roux"


def test_odp_slides(folder, index):
    read(folder, "ruches.odp")
    hit = top(index, "Combien de ruches seront installées sur le plateau du Vercors ?")[0]
    assert (hit.source, hit.page) == ("ruches.odp", 2)


def test_rtf(folder, index):
    doc = read(folder, "phare.rtf")
    assert doc.title == "Le phare d'Ouessant" and doc.authors == "Yann Le Gall"
    assert "Le phare du Créac'h, sur l'île d'Ouessant" in doc.text
    hit = top(index, "À quelle distance porte la lumière du phare d'Ouessant ?")[0]
    assert hit.source == "phare.rtf" and "cinquante kilomètres" in hit.text


def test_epub_chapters_in_spine_order(folder, index):
    doc = read(folder, "patagonie.epub")
    assert (doc.title, doc.date, doc.authors) == ("Voyage en Patagonie", "2019-05-02", "Lucie Ferrand")
    assert doc.text.index("Le départ") < doc.text.index("Le glacier")
    hit = top(index, "De combien avance le glacier Perito Moreno chaque jour ?")[0]
    assert hit.source == "patagonie.epub" and hit.text.startswith("Le glacier\n\n")
    assert hit.page == 2  # the second chapter (the navigation page has no text of its own)


def test_eml_with_attachment_as_its_own_document(folder, index):
    doc = read(folder, "couvreur.eml")
    assert (doc.title, doc.date) == ("Rendez-vous avec le couvreur", "2024-03-05")
    assert doc.meta == {"from": "Alice Durand <alice@example.org>", "to": "Bob <bob@example.org>"}
    assert [part.source for part in doc.parts] == ["couvreur.eml › facture.pdf"]
    hit = top(index, "Combien coûte le remplacement de la toiture de la grange ?")[0]
    assert (hit.source, hit.page, hit.title) == ("couvreur.eml › facture.pdf", 1, "Facture toiture")
    hit = top(index, "Quel jour vient le couvreur ?")[0]
    assert hit.source == "couvreur.eml" and hit.date == "2024-03-05"


def test_mbox_messages_are_documents(folder, index):
    doc = read(folder, "ferme.mbox")
    assert [part.source for part in doc.parts] == [f"ferme.mbox › #{i}" for i in (1, 2, 3)]
    hits = top(index, "Où le camion de livraison est-il tombé en panne ?")
    assert (hits[0].source, hits[0].title, hits[0].date) == ("ferme.mbox › #2", "Message 2", "2024-01-02")


def test_parts_follow_their_file(folder, index, tmp_path):
    """An e-mail's attachment leaves the index with the e-mail, and is replaced when it changes."""
    import shutil

    from qa import Retriever, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(folder / "couvreur.eml", docs / "couvreur.eml")
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    assert sorted(d["source"] for d in retriever.store.documents()) == ["couvreur.eml", "couvreur.eml › facture.pdf"]
    retriever.close()
    (docs / "couvreur.eml").write_bytes(bytes(formats.message("Sans pièce jointe", "Rien à signaler au verger.")))
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.updated == 1
    retriever = Retriever.open(tmp_path / "index")
    assert [d["source"] for d in retriever.store.documents()] == ["couvreur.eml"]
    assert retriever.search("toiture de la grange", k=1)[0].title == "Sans pièce jointe"
    retriever.close()
    (docs / "couvreur.eml").unlink()
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.removed == 1


def test_office_files_left_with_the_writing_library_s_template_properties_have_no_date_or_author(tmp_path):
    """python-docx and python-pptx save their template's core properties (created 2013, author
    "python-docx") unless told otherwise: a report generated with them is not from 2013."""
    import docx
    from pptx import Presentation

    word = docx.Document()
    word.add_paragraph("Le chiffre d'affaires a progressé de 8 % en 2025.")
    word.save(tmp_path / "rapport.docx")
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "Résultats 2025"
    deck.save(tmp_path / "resultats.pptx")
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Année", "Chiffre d'affaires"])
    book.save(tmp_path / "chiffres.xlsx")
    for name in ("rapport.docx", "resultats.pptx"):
        doc = read_document(tmp_path / name, name)
        assert (doc.date, doc.authors) == (None, None), name
    assert read_document(tmp_path / "chiffres.xlsx", "chiffres.xlsx").authors is None  # dated when written
    word.core_properties.author, word.core_properties.created = "Jeanne Roux", formats.dt.datetime(2025, 2, 3, 8, 0)
    word.save(tmp_path / "signed.docx")
    doc = read_document(tmp_path / "signed.docx", "signed.docx")
    assert (doc.date, doc.authors) == ("2025-02-03", "Jeanne Roux")


def test_pdf_words_cut_at_line_ends_are_whole_again(tmp_path):
    """Justified print cuts words at line ends ("irriga-" / "tion"): the text, the lexical index
    and the vectors get the whole word; a name's hyphen before a capital stays."""
    from qa import Retriever, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "eau.pdf").write_bytes(formats.pdf_bytes([[
        "La consommation d'eau potable de la commune a augmente de",
        "douze pour cent en 2024, surtout a cause de l'irriga-",
        "tion des jardins pendant la secheresse. Jean-",
        "Pierre Morel, adjoint au maire, a presente le bilan."]], title="Bilan de l'eau"))
    doc = read_document(docs / "eau.pdf", "eau.pdf")
    assert "l'irrigation des jardins" in doc.text and "Jean-Pierre Morel" in doc.text
    build_index([docs], index=tmp_path / "index", progress=False)
    hits = Retriever.open(tmp_path / "index").search("Et l'irrigation ?", k=1, mode="lexical")
    assert hits and hits[0].source == "eau.pdf"
    assert doc.text[hits[0].start:hits[0].end] == hits[0].text
