"""Documents as people have them (tests/real_documents.py): indexed, asked, and cited right.

Each question's passage must be the document's own text (`doc.text[start:end]`), cited with its
page or sheet, title and date; text a reviewer deleted must not answer anything."""
from __future__ import annotations

from pathlib import Path

import pytest

import real_documents
from qa.readers import read_document

MAKERS = {"rapport.docx": real_documents.make_messy_docx, "budget.xlsx": real_documents.make_budget_xlsx,
          "finances.pdf": real_documents.make_ligature_pdf, "facture.eml": real_documents.make_undeclared_charset_eml,
          "reunion.eml": real_documents.make_8bit_header_eml, "moulin.odt": real_documents.make_reviewed_odt,
          "ventes.ods": real_documents.make_annotated_ods, "logistique.pptx": real_documents.make_smartart_pptx,
          "invitation.eml": real_documents.make_invitation_eml, "chantier.eml": real_documents.make_winmail_eml,
          "lettre.pdf": real_documents.make_newsletter_pdf, "refuges.pdf": real_documents.make_huts_pdf}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("real") / "docs"
    root.mkdir()
    for name, make in MAKERS.items():
        make(root / name)
    return root


@pytest.fixture(scope="module")
def retriever(folder, tmp_path_factory):
    from qa import Retriever, build_index

    directory = tmp_path_factory.mktemp("real-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == [] and report.added == len(MAKERS)
    retriever = Retriever.open(directory)
    yield retriever
    retriever.close()


def ask(retriever, folder: Path, question: str, source: str, mode: str = "hybrid"):
    """The best passage of `source` among the top 3 for `question`, checked to be its document's text."""
    hits = retriever.search(question, k=3, mode=mode)
    hit = next((h for h in hits if h.source == source), None)
    assert hit is not None, [(h.source, h.text[:60]) for h in hits]
    doc = read_document(folder / source, source)
    assert doc.text[hit.start:hit.end] == hit.text
    return hit


def test_docx_reads_what_word_shows_after_review(folder):
    doc = read_document(folder / "rapport.docx", "rapport.docx")
    text = doc.text
    # tracked changes accepted: the inserted number and sentence in, the deleted ones out
    assert "a atteint 340 tonnes cette année." in text and "310" not in text
    assert "Les abricots ont été vendus au marché de Saint-Rémy à 3,20 euros le kilo." in text
    assert "gel d'avril" not in text
    # smart tags, content controls (inline and block), text boxes (once), footnotes and endnotes
    assert "Le siège de la coopérative est à Dieulefit, son directeur est Marc Vidal." in text
    assert "Les vergers de la coopérative couvrent 420 hectares" in text
    assert text.count("la coopérative compte 58 producteurs adhérents") == 1
    assert "Source : relevé de la station météo de Montélimar, 2024." in text
    assert "Les chiffres de lavande sont ceux de la coopérative de Valensole." in text
    # each note follows the paragraph that calls it, under the same heading
    assert text.index("340 tonnes") < text.index("Montélimar") < text.index("Saint-Rémy")
    assert text.index("12 tonnes d'huile") < text.index("Valensole") < text.index("Distiller")
    # not the document's text: the table of contents, a reviewer's comment, the running header and footer
    assert "Sommaire" not in text and "\t1" not in text and text.startswith("La récolte d'abricots\n\n")
    assert "comptable" not in text and "document interne" not in text
    # a cell merged down two rows is each row's; a header cell over two columns is there once
    assert ("Produit | Récolte (année, tonnes) | Bio\nAbricots | 2023 | 300 | oui\nAbricots | 2024 | 340 | oui\n"
            "Lavande | 2024 | 12 | non") in text
    assert (doc.title, doc.date, doc.authors) == ("Rapport de récolte 2024", "2024-09-15", "Coopérative de la Drôme")


def test_docx_table_of_contents_without_a_content_control_left_out(tmp_path):
    real_documents.make_messy_docx(tmp_path / "ancien.docx", toc_in_control=False)
    text = read_document(tmp_path / "ancien.docx", "ancien.docx").text
    assert text.startswith("La récolte d'abricots\n\nLa récolte d'abricots a atteint 340 tonnes")
    assert "Sommaire" not in text and "\t" not in text


@pytest.mark.parametrize("question, answer", [
    ("Combien de tonnes d'abricots la coopérative a-t-elle récoltées ?", "340 tonnes"),
    ("À quel prix les abricots ont-ils été vendus au marché de Saint-Rémy ?", "3,20 euros le kilo"),
    ("Combien de producteurs adhérents compte la coopérative ?", "58 producteurs"),
    ("Qui est le directeur de la coopérative ?", "Marc Vidal"),
    ("Quelle station météo est la source des relevés ?", "Montélimar"),
])
def test_docx_answers_cited(retriever, folder, question, answer):
    hit = ask(retriever, folder, question, "rapport.docx")
    assert answer in hit.text
    assert (hit.title, hit.date, hit.authors) == ("Rapport de récolte 2024", "2024-09-15", "Coopérative de la Drôme")


def test_docx_deleted_sentence_answers_nothing(retriever):
    hits = retriever.search("Le gel d'avril a-t-il détruit les fleurs du verger de Nyons ?", k=10)
    assert all("gel" not in h.text for h in hits)


def test_xlsx_cells_read_as_shown(folder, retriever):
    doc = read_document(folder / "budget.xlsx", "budget.xlsx")
    blocks = [doc.text[b.start:b.end] for b in doc.blocks if b.page == 1]
    header = "Poste | Dépenses Prévu | Dépenses Réalisé | Part du total | Échéance"
    # the title line above the table is its caption; the two header rows under a merged cell are
    # one, repeated with each block of rows
    assert blocks[:2] == ["Budget 2024", "Budget prévisionnel de la ferme des Grands Prés"]
    assert blocks[2].startswith(header + "\nSemences | ") and blocks[3].startswith(header + "\nÉlectricité | ")
    # percent and currency formats, a formula's cached value, a sum's float noise
    assert "Tracteur | 8400.00 € | 9100.75 € | 41.4% | 2024-03-15" in blocks[2]
    assert blocks[3].endswith("Total | 21470.5 | 21990.55\nTaux de TVA | 0.3")
    hit = ask(retriever, folder, "Combien a coûté le tracteur ?", "budget.xlsx")
    assert hit.answer.text == "Tracteur | 8400.00 € | 9100.75 € | 41.4% | 2024-03-15"
    assert hit.page == 1 and hit.title == "Budget de la ferme 2024"
    hit = ask(retriever, folder, "Combien a coûté l'électricité de la ferme, réalisé ?", "budget.xlsx")
    assert hit.text.startswith(header) and "Électricité | 720.00 € | 765.20 €" in hit.text
    assert hit.section == "Budget 2024" and hit.page == 1


def test_pdf_ligatures_read_as_letters(folder, retriever):
    doc = read_document(folder / "finances.pdf", "finances.pdf")
    assert doc.title == "Rapport financier"
    assert "Les finances de l'office ont fléchi en 2024 : le déficit atteint 2 millions d'euros." in doc.text
    hit = ask(retriever, folder, "déficit office", "finances.pdf", mode="lexical")
    assert hit.page == 1 and "déficit atteint 2 millions" in hit.text
    hit = ask(retriever, folder, "Quel est le déficit de l'office en 2024 ?", "finances.pdf")
    assert hit.title == "Rapport financier"


def test_xls_cells_read_as_shown(tmp_path):
    """An Excel 97-2003 file's numbers as its cells show them (they were xlrd's stored floats)."""
    real_documents.make_budget_xls(tmp_path / "budget.xls")
    doc = read_document(tmp_path / "budget.xls", "budget.xls")
    assert doc.text == ("Budget 2024\n\nPoste | Montant | Part du total | Échéance\n"
                        "Tracteur | 8400.00 € | 41.4% | 2024-03-15\nSemences | 1250.50 € | 5.4% | 2024-04-15\n"
                        "Taux de TVA | 0.3\nMarge brute | 1234.57")


def _page_blocks(doc, page: int) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if b.page == page]


def _paragraph(lines: list[str]) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize("leading", [12.5, 9.5])
def test_pdf_two_columns_read_a_column_after_the_other(folder, tmp_path, leading):
    """The newsletter's page 1 draws its lines row by row across both columns: pypdf joined each
    left line with the right one beside it ("…like a La grotte de Choranche…"). Set tight
    (leading 9.5), a line's box reaches into the next line's accents and descenders."""
    if leading != 12.5:
        folder = tmp_path
        real_documents.make_newsletter_pdf(folder / "lettre.pdf", leading=leading)
    doc = read_document(folder / "lettre.pdf", "lettre.pdf")
    width = (595.2755905511812 - 2 * 56 - 24) / 2
    paragraphs = [_paragraph(real_documents.column_lines([p], width))
                  for p in real_documents.NEWSLETTER_LEFT + real_documents.NEWSLETTER_RIGHT]
    assert _page_blocks(doc, 1) == ["Nouvelles du plateau", *paragraphs]
    assert doc.title == "Lettre du Vercors" and "page 1" not in doc.text  # the running footer out


@pytest.mark.parametrize("order", ["rows", "columns"])
def test_pdf_three_columns_read_in_order(tmp_path, order):
    """Three columns: the widest gutter splits the page, and the side of two is split again."""
    real_documents.make_three_columns_pdf(tmp_path / "fleuves.pdf", order)
    doc = read_document(tmp_path / "fleuves.pdf", "fleuves.pdf")
    assert [" ".join(doc.text[b.start:b.end].split()) for b in doc.blocks] == real_documents.THREE_COLUMNS


def test_pdf_table_a_row_a_line(folder, retriever):
    """A table drawn cell by cell was read a cell a block ("Sentier", "Départ", …)."""
    doc = read_document(folder / "lettre.pdf", "lettre.pdf")
    rows = [" | ".join(row) for row in real_documents.NEWSLETTER_TRAILS]
    assert _page_blocks(doc, 2) == [
        "Quatre sentiers du parc, du plus long au plus court, tels que les gardes les conseillent aux\n"
        "randonneurs en ce printemps :", "\n".join(rows),
        "Les durées sont données pour un marcheur moyen, sans les pauses."]
    hit = ask(retriever, folder, "Combien de temps faut-il pour le sentier du Pas de l'Œille ?", "lettre.pdf")
    assert hit.page == 2 and hit.answer.text == "Pas de l'Œille | Prélenfrey | 4 h 30 | 850 m"


@pytest.mark.parametrize("question, row", [
    ("Combien de places compte le refuge Clot ?", "Refuge Clot | Écrins | 2871 m | 71"),
    ("Combien de places compte le refuge Ciarforon ?", "Refuge Ciarforon | Taillefer | 2945 m | 25"),
])
def test_pdf_long_table_rows_answer_in_a_later_passage(folder, retriever, question, row):
    """A table across two pages is one block of rows (its header repeated on page 2); cut into
    passages, a later one goes on from the one before (`continued`): its first line is a row,
    not a header, and the row is the answer."""
    hit = ask(retriever, folder, question, "refuges.pdf")
    assert hit.continued and hit.page == 2 and hit.text.startswith("Refuge Clot |")
    assert hit.answer.text == row


def test_pdf_table_cells_wrapped_over_lines(tmp_path):
    """A cell set over three lines of its column is one cell of its row."""
    real_documents.make_products_pdf(tmp_path / "produits.pdf")
    doc = read_document(tmp_path / "produits.pdf", "produits.pdf")
    assert doc.text == "Nos produits pour le thé et le café.\n\n" + "\n".join(" | ".join(row) for row in real_documents.PRODUCTS)


def test_pdf_wide_table_is_no_columns(tmp_path):
    """Eight columns of times: each half of the page holds lines of four cells, a table's, not a
    column of prose."""
    real_documents.make_timetable_pdf(tmp_path / "horaires.pdf")
    doc = read_document(tmp_path / "horaires.pdf", "horaires.pdf")
    assert doc.text == "\n".join(" | ".join(row) for row in real_documents.TIMETABLE)


def test_pdf_lists_and_contents_are_no_table(tmp_path):
    """Lines whose runs stand apart (a list's markers, a table of contents' page numbers, a
    definition's "[Function]") in a manual's page: left to pypdf, as before."""
    import pypdfium2 as pdfium

    from qa.readers import pdf_layout

    real_documents.make_manual_pdf(tmp_path / "manuel.pdf")
    pdf = pdfium.PdfDocument(tmp_path / "manuel.pdf")
    try:
        assert pdf_layout.page_text(pdf[0].get_textpage()) is None
    finally:
        pdf.close()


def test_pdf_one_column_page_read_as_before(folder):
    doc = read_document(folder / "lettre.pdf", "lettre.pdf")
    width = 595.2755905511812 - 2 * 56
    assert _page_blocks(doc, 3) == [_paragraph(real_documents.column_lines([p], width))
                                    for p in real_documents.NEWSLETTER_ONE_COLUMN]


def test_pdf_page_pdfium_cannot_load_keeps_pypdfs_text():
    """A damaged PDF (one byte changed in a page's object: tests/fixtures/damaged-page.pdf, found
    by fuzzing the table fixture) whose page pypdf reads but pdfium cannot load was skipped whole
    ("cannot parse (PdfiumError)") once the column reading used pdfium; it was indexed before."""
    from pypdf import PdfReader

    path = Path(__file__).parent / "fixtures" / "damaged-page.pdf"
    expected = PdfReader(path).pages[0].extract_text()
    doc = read_document(path, "damaged-page.pdf")
    assert "Ciarforon" in expected and "Ciarforon" in doc.text
    assert len(doc.text) > 300


def test_pdf_blank_page_pdfium_cannot_load_is_a_one_line_reason():
    """A page without text for pypdf, sent to OCR, that pdfium cannot load (a damaged page:
    tests/fixtures/damaged-blank-page.pdf, found by fuzzing) stopped the file with pdfium's own
    exception ("cannot parse (PdfiumError)") instead of the reader's reason; in a longer file it
    would have taken the other pages' text with it."""
    from qa.readers import UnreadableDocument

    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_document(Path(__file__).parent / "fixtures" / "damaged-blank-page.pdf", "damaged-blank-page.pdf")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_pdf_right_column_paragraph_answers_first(retriever, mode):
    hits = retriever.search("Combien de couchages offre le refuge de la Jasse du Play ?", k=3, mode=mode)
    assert (hits[0].source, hits[0].page) == ("lettre.pdf", 1)
    assert " ".join(hits[0].text.split()) == real_documents.NEWSLETTER_RIGHT[1]


def test_eml_8bit_text_in_another_charset_than_declared(folder, retriever):
    doc = read_document(folder / "facture.eml", "facture.eml")
    assert "La facture de l'électricien s'élève à 450 € pour le dépannage de la chaudière." in doc.text
    assert "\ufffd" not in doc.text
    hit = ask(retriever, folder, "Combien coûte le dépannage de l'électricien ?", "facture.eml")
    assert "450 €" in hit.text and hit.date == "2024-03-05"


def test_eml_8bit_headers_in_windows_1252(folder, retriever):
    doc = read_document(folder / "reunion.eml", "reunion.eml")
    assert (doc.title, doc.authors) == ("Réunion d'été du comité", "Hélène Mérieux <helene@example.fr>")
    hit = ask(retriever, folder, "Quand a lieu la réunion d'été du comité ?", "reunion.eml")
    assert hit.title == "Réunion d'été du comité"



def test_odt_reads_what_writer_shows_after_review(folder):
    doc = read_document(folder / "moulin.odt", "moulin.odt")
    text = doc.text
    # a comment is not in its paragraph; the footnote and the text box follow it, apart
    assert "Le moulin à huile de Sainte-Croix fut construit en 1820 par les frères Arnaud." in text
    assert "Vérifier" not in text and "Anna" not in text
    assert "fut construit en 1820 par les frères Arnaud.\n\nD'après le cadastre napoléonien" in text
    assert "Voir l'encadré.\n\nLe moulin produit encore 900 litres d'huile d'olive par an." in text
    # the deleted paragraph (kept for review) out, the inserted one in, no table of contents
    assert "brûlé" not in text and "restauré en 2005" in text
    assert text.startswith("Histoire du moulin\n\nLe moulin à huile")
    # a cell's two paragraphs are two words apart, not one
    assert "Meunier | Période\nJoseph Arnaud fondateur | 1820 1861" in text


def test_odt_answers_cited(retriever, folder):
    hit = ask(retriever, folder, "Qui a construit le moulin à huile de Sainte-Croix ?", "moulin.odt")
    assert "par les frères Arnaud" in hit.text and "Vérifier" not in hit.text
    assert (hit.title, hit.date, hit.authors) == ("Le moulin de Sainte-Croix", "2022-03-14", "Jeanne Roux")
    hits = retriever.search("Le moulin a-t-il brûlé en 1890 ?", k=10)
    assert all("brûlé" not in h.text for h in hits)


def test_ods_cell_comments_and_lines(folder, retriever):
    text = read_document(folder / "ventes.ods", "ventes.ods").text
    assert ("Région | Ventes 2024 Part | Ventes 2024 Montant | Responsable\n"
            "Nord | 12,5 % | 1 200,00 € | Claire Dubois Lille") in text
    assert "provisoire" not in text
    hit = ask(retriever, folder, "Qui est responsable des ventes de la région Nord ?", "ventes.ods")
    assert "Claire Dubois Lille" in hit.text and hit.page == 1


def test_pptx_smartart_grouped_and_hidden_slides(folder, retriever):
    doc = read_document(folder / "logistique.pptx", "logistique.pptx")
    slides = {}
    for block in doc.blocks:
        slides.setdefault(block.page, []).append(doc.text[block.start:block.end])
    # the SmartArt's boxes, in order, after the slide's title: each its own sentence (session 22)
    assert slides[1] == ["Le circuit d'une commande", "Demande d'achat validée par le chef de service\n\n"
                         "Bon de commande signé par la direction financière\n\nRéception contrôlée par le magasin de Vénissieux"]
    # a hidden slide is still the file's (and counts in the numbering, as PowerPoint numbers it)
    assert slides[2] == ["Annexe : les fournisseurs", "Fournisseur de palettes : Bois du Rhône, à Givors",
                         "Fournisseur de cartons : Smurfit, à Feyzin"]
    assert slides[3][-1] == "Annoncer le nouveau délai de livraison : dix jours ouvrés."
    hit = ask(retriever, folder, "Qui signe le bon de commande ?", "logistique.pptx")
    assert "Bon de commande signé par la direction financière" in hit.text and hit.page == 1
    assert (hit.title, hit.date, hit.authors) == ("Logistique 2025", "2025-01-20", "Service achats")
    hit = ask(retriever, folder, "Où est le fournisseur de cartons ?", "logistique.pptx")
    assert hit.page == 2 and "Feyzin" in hit.text


def test_meeting_request_calendar_read_as_a_part(folder, retriever):
    doc = read_document(folder / "invitation.eml", "invitation.eml")
    assert [part.source for part in doc.parts] == ["invitation.eml › invite.ics"]
    invite = doc.parts[0]
    assert invite.text == ("Comité de pilotage du projet Rhône\n\n"
                           "When: 2024-03-12 14:00 – 16:00 (Romance Standard Time)\nWhere: Salle Vercors, bâtiment B\n"
                           "Organizer: Durand, Anne <anne@example.fr>\n\n"
                           "Ordre du jour : budget 2025, recrutement d'un technicien.\n\nMerci de confirmer.")
    assert "REMINDER" not in invite.text  # the alarm's lines are not the event's
    hits = retriever.search("Où se tient le comité de pilotage du projet Rhône ?", k=3)
    hit = next(h for h in hits if h.source == "invitation.eml › invite.ics")
    assert "Where: Salle Vercors" in hit.text and hit.title == "Comité de pilotage du projet Rhône"
    assert invite.text[hit.start:hit.end] == hit.text


def test_ics_file_all_day_and_utc_events(tmp_path):
    (tmp_path / "agenda.ics").write_bytes((
        "BEGIN:VCALENDAR\nX-WR-CALNAME:Agenda du club\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20240601\n"
        "DTEND;VALUE=DATE:20240602\nSUMMARY:Fête du club\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20240915T070000Z\n"
        "DTEND:20240915T120000Z\nSUMMARY:Sortie vélo\nLOCATION:Parking du stade\nEND:VEVENT\nEND:VCALENDAR\n").encode())
    doc = read_document(tmp_path / "agenda.ics", "agenda.ics")
    assert doc.title == "Agenda du club"
    assert doc.text == ("Fête du club\n\nWhen: 2024-06-01 – 2024-06-02\n\nSortie vélo\n\n"
                        "When: 2024-09-15 07:00 – 12:00 UTC\nWhere: Parking du stade")
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.heading] == ["Fête du club", "Sortie vélo"]


def test_csv_bank_export_title_lines_bom_and_latin1(tmp_path):
    """A bank's export: a BOM, ";" between cells, the account's title lines above the table; the
    same saved by an older program in Latin-1."""
    content = ("Relevé du compte courant\r\nAgence de Crest\r\nDate;Libellé;Montant (EUR)\r\n"
               "02/09/2024;Virement coopérative;1 250,00\r\n05/09/2024;Prélèvement assurance;-95,40\r\n"
               "09/09/2024;Carte Leclerc Crest;-62,18\r\n")
    (tmp_path / "releve.csv").write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    (tmp_path / "ancien.csv").write_bytes(content.encode("latin-1"))
    for name in ("releve.csv", "ancien.csv"):
        doc = read_document(tmp_path / name, name)
        assert doc.text == (f"{name}\n\nRelevé du compte courant\nAgence de Crest\n\n"
                            "Date | Libellé | Montant (EUR)\n02/09/2024 | Virement coopérative | 1 250,00\n"
                            "05/09/2024 | Prélèvement assurance | -95,40\n09/09/2024 | Carte Leclerc Crest | -62,18"), name


def test_winmail_dat_attachments_read_under_their_own_names(folder, retriever):
    doc = read_document(folder / "chantier.eml", "chantier.eml")
    assert [part.source for part in doc.parts] == ["chantier.eml › Compte rendu réunion chantier.pdf"]
    hits = retriever.search("Quand la charpente de la salle polyvalente sera-t-elle posée ?", k=3)
    hit = next(h for h in hits if h.source.startswith("chantier.eml"))
    assert (hit.source, hit.page, hit.title) == ("chantier.eml › Compte rendu réunion chantier.pdf", 1,
                                                 "Compte rendu de chantier")
    assert "semaine du 14 octobre" in hit.text and doc.parts[0].text[hit.start:hit.end] == hit.text
