"""Office and OpenDocument files under their other names (templates, macro-enabled files, slide shows),
a package named for another family than it holds, and .tsv: indexed with the real model, asked, and
cited with their slide or sheet (tests/office_names.py makes them as Office and LibreOffice write them)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

import office_names
from qa.readers import SUFFIXES, read_document


def _docx(title: str, heading: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(heading, 1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pptx(slides: list[tuple[str, str]]) -> bytes:
    import pptx

    deck = pptx.Presentation()
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _odt(heading: str, paragraphs: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _odp(slides: list[str]) -> bytes:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    document = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    for n, text in enumerate(slides, start=1):
        page = Page(name=f"page{n}", masterpagename=master)
        frame = Frame(width="20cm", height="5cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text=text))
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _ods(name: str, rows: list[list[str]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


TARIFS = [["Service", "Price (EUR)", "Delivery"], ["Translation of a contract", "180", "3 days"],
          ["Sworn translation of a birth certificate", "45", "2 days"], ["Proofreading of a thesis", "320", "1 week"]]
FILES = {
    # a Word template (French) and a macro-enabled Word document (English)
    "modele-bail.dotx": lambda: office_names.as_office_name(_docx("Modèle de bail", "Bail d'habitation", [
        "Le loyer mensuel est payable d'avance le cinq de chaque mois, par virement sur le compte du bailleur.",
        "Le dépôt de garantie est fixé à un mois de loyer hors charges."]), ".dotx"),
    "claims.docm": lambda: office_names.as_office_name(_docx("Claims procedure", "Handling a claim", [
        "Every insurance claim must be acknowledged within forty-eight hours of its receipt.",
        "The claims desk in Leeds handles water damage; the one in Bristol handles theft."]), ".docm"),
    "bewerbung.dotm": lambda: office_names.as_office_name(_docx("Bewerbungsvorlage", "Anschreiben", [
        "Die Bewerbungsfrist für das Praktikum im Stadtarchiv endet am 30. April.",
        "Bitte legen Sie einen Lebenslauf und zwei Arbeitsproben bei."]), ".dotm"),
    # Excel: macro-enabled (English) and a template (French)
    "tariffs.xlsm": lambda: office_names.as_office_name(_xlsx({"Tariffs": TARIFS}), ".xlsm"),
    "devis.xltx": lambda: office_names.as_office_name(_xlsx({"Notes": [["Devis de travaux"]], "Devis": [
        ["Poste", "Montant", "Artisan"], ["Toiture", "8 400 €", "Couvreur Lambert"],
        ["Plomberie de la salle de bains", "2 150 €", "Plombier Morel"]]}), ".xltx"),
    "budget.xltm": lambda: office_names.as_office_name(_xlsx({"Budget": [
        ["Line", "Amount"], ["Volunteer travel refunds", "1 200"], ["Printing of leaflets", "650"]]}), ".xltm"),
    # PowerPoint: a slide show (French), a template (English), macro-enabled (German)
    "accueil.ppsx": lambda: office_names.as_office_name(_pptx([
        ("Bienvenue au musée", "Le musée des Beaux-Arts vous accueille."),
        ("Horaires d'ouverture", "Le musée est fermé le mardi et ouvre jusqu'à 21 heures le jeudi.")]), ".ppsx"),
    "onboarding.potx": lambda: office_names.as_office_name(_pptx([
        ("Welcome", "Your first week at the company."),
        ("Your laptop", "Collect your laptop from the IT desk on the third floor on Monday morning."),
        ("Expenses", "Submit expenses before the 25th of each month.")]), ".potx"),
    "schulung.pptm": lambda: office_names.as_office_name(_pptx([
        ("Brandschutz", "Die Schulung findet jährlich statt."),
        ("Sammelplatz", "Der Sammelplatz bei Feueralarm ist der Parkplatz hinter der Kantine.")]), ".pptm"),
    "kiosque.ppsm": lambda: office_names.as_office_name(_pptx([
        ("Le marché", "Le marché couvert ouvre le samedi dès sept heures.")]), ".ppsm"),
    "webinar.potm": lambda: office_names.as_office_name(_pptx([
        ("Agenda", "The webinar on river flooding starts at 2 pm Central European Time.")]), ".potm"),
    # OpenDocument templates: text (French), spreadsheet (German), presentation (German)
    "lettre-type.ott": lambda: office_names.as_odf_template(_odt("Lettre de réclamation", [
        "Je conteste la facture d'eau du troisième trimestre, qui compte deux fois le relevé de juillet."])),
    "messreihe.ots": lambda: office_names.as_odf_template(_ods("Messwerte", [
        ["Messstelle", "Nitrat (mg/l)", "Datum"], ["Brunnen Nord", "38", "2024-05-02"],
        ["Quelle am Waldrand", "12", "2024-05-03"]])),
    "vortrag.otp": lambda: office_names.as_odf_template(_odp([
        "Die Stadtbibliothek", "Die Stadtbibliothek leiht seit März auch Werkzeuge und Nähmaschinen aus."])),
    # a workbook someone renamed .docx: read as the workbook it is
    "inventory.docx": lambda: _xlsx({"Stock": [["Item", "Shelf", "Count"], ["Folding chairs", "B4", "64"],
                                               ["Projector lamps", "A1", "3"]]}),
    # tab-separated exports (English, German)
    "shipments.tsv": lambda: ("Order\tCarrier\tStatus\n1041\tDHL\tdelivered to the Rotterdam depot\n"
                              "1042\tUPS\theld at customs in Felixstowe\n").encode(),
    "spenden.tsv": lambda: ("Spender\tBetrag\tZweck\nFamilie Yilmaz\t250 €\tSchulbücher für die Grundschule\n"
                            "Bäckerei Krause\t80 €\tSommerfest des Vereins\n").encode("utf-8-sig"),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("names") / "docs"
    root.mkdir()
    for name, make in FILES.items():
        (root / name).write_bytes(make())
    return root


@pytest.fixture(scope="module")
def retriever(folder, tmp_path_factory):
    from qa import Retriever, build_index

    directory = tmp_path_factory.mktemp("names-index")
    report = build_index([folder], index=directory, progress=False)
    assert report.skipped == [] and report.added == len(FILES)
    retriever = Retriever.open(directory)
    yield retriever
    retriever.close()


def test_every_name_is_a_format_qa_reads():
    names = {".docm", ".dotx", ".dotm", ".xlsm", ".xltx", ".xltm", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm",
             ".ott", ".ots", ".otp", ".tsv"}
    assert names <= SUFFIXES


@pytest.mark.parametrize("question, source, page, words", [
    ("Quand le loyer est-il payable ?", "modele-bail.dotx", None, "le cinq de chaque mois"),
    ("How quickly must an insurance claim be acknowledged?", "claims.docm", None, "forty-eight hours"),
    ("Wann endet die Bewerbungsfrist für das Praktikum?", "bewerbung.dotm", None, "30. April"),
    ("How much does a sworn translation of a birth certificate cost?", "tariffs.xlsm", 1,
     "Sworn translation of a birth certificate | 45 | 2 days"),
    ("Quel artisan fait la toiture ?", "devis.xltx", 2, "Toiture | 8 400 € | Couvreur Lambert"),
    ("How much for printing leaflets?", "budget.xltm", 1, "Printing of leaflets | 650"),
    ("Quel jour le musée est-il fermé ?", "accueil.ppsx", 2, "fermé le mardi"),
    ("Where do I collect my laptop?", "onboarding.potx", 2, "IT desk on the third floor"),
    ("Wo ist der Sammelplatz bei Feueralarm?", "schulung.pptm", 2, "Parkplatz hinter der Kantine"),
    ("À quelle heure ouvre le marché couvert le samedi ?", "kiosque.ppsm", 1, "sept heures"),
    ("When does the webinar on river flooding start?", "webinar.potm", 1, "2 pm"),
    ("Pourquoi contester la facture d'eau ?", "lettre-type.ott", None, "deux fois le relevé de juillet"),
    ("Wie hoch ist der Nitratwert am Brunnen Nord?", "messreihe.ots", 1, "Brunnen Nord | 38 | 2024-05-02"),
    ("Was leiht die Stadtbibliothek seit März aus?", "vortrag.otp", 2, "Werkzeuge und Nähmaschinen"),
    ("On which shelf are the folding chairs?", "inventory.docx", 1, "Folding chairs | B4 | 64"),
    ("Which order is held at customs?", "shipments.tsv", 1, "1042 | UPS | held at customs in Felixstowe"),
    ("Wofür hat die Familie Yilmaz gespendet?", "spenden.tsv", 1, "Familie Yilmaz | 250 € | Schulbücher"),
])
def test_other_names_answer_with_their_citation(retriever, folder, question, source, page, words):
    hits = retriever.search(question, k=3)
    hit = next((h for h in hits if h.source == source), None)
    assert hit is not None, [(h.source, h.text[:60]) for h in hits]
    assert hit.rank == 1, [(h.source, h.text[:60]) for h in hits]
    assert words in hit.text and hit.page == page
    assert read_document(folder / source, source).text[hit.start:hit.end] == hit.text


def test_templates_keep_their_title_and_macros_stay_unread(folder):
    doc = read_document(folder / "claims.docm", "claims.docm")
    assert doc.title == "Claims procedure"
    assert "vbaProject" not in doc.text and doc.text.startswith("Handling a claim\n\nEvery insurance claim")
    assert read_document(folder / "modele-bail.dotx", "modele-bail.dotx").title == "Modèle de bail"
    sheets = read_document(folder / "devis.xltx", "devis.xltx")
    assert sorted({b.page for b in sheets.blocks}) == [1, 2]  # the template's two sheets, each its own


def test_renamed_package_is_read_as_what_it_holds(tmp_path):
    """A presentation saved as .docx, a Word template as .xlsm: their content types say which."""
    (tmp_path / "slides.docx").write_bytes(_pptx([("Agenda", "Budget vote at ten.")]))
    assert read_document(tmp_path / "slides.docx", "slides.docx").blocks[0].page == 1
    (tmp_path / "letter.xlsm").write_bytes(office_names.as_office_name(_docx("Letter", "Dear Sir", ["Thanks."]), ".dotx"))
    assert read_document(tmp_path / "letter.xlsm", "letter.xlsm").text == "Dear Sir\n\nThanks."
    (tmp_path / "notes.ots").write_bytes(office_names.as_odf_template(_odt("Compte rendu", ["Séance levée."])))
    assert read_document(tmp_path / "notes.ots", "notes.ots").text == "Compte rendu\n\nSéance levée."


def test_tsv_cells_apart_at_tabs_only(tmp_path):
    """A .tsv whose every line holds two commas: cut at tabs, where the .csv guess cuts at the commas."""
    content = ("Nom, prénom\tAdresse, ville\nDupont, Jean\t3 rue des Lilas, Nantes\n"
               "Martin, Léa\t8 quai Sud, Brest\n").encode()
    (tmp_path / "adresses.tsv").write_bytes(content)
    assert read_document(tmp_path / "adresses.tsv", "adresses.tsv").text == (
        "adresses.tsv\n\nNom, prénom | Adresse, ville\nDupont, Jean | 3 rue des Lilas, Nantes\n"
        "Martin, Léa | 8 quai Sud, Brest")
    (tmp_path / "adresses.csv").write_bytes(content)
    assert "Dupont | Jean 3 rue des Lilas | Nantes" in read_document(tmp_path / "adresses.csv", "adresses.csv").text


def test_bad_files_skipped_with_a_one_line_reason(tmp_path):
    from qa import build_index

    good = office_names.as_office_name(_docx("Modèle", "Titre", ["Un paragraphe."]), ".dotx")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cut.dotx").write_bytes(good[: len(good) // 2])
    (docs / "noise.ppsx").write_bytes(b"\x00\x01 not a zip at all" * 20)
    binary = office_names.with_main_type(_xlsx({"S": [["a", "b"]]}), office_names.TYPES[".xlsx"],
                                         "application/vnd.ms-excel.sheet.binary.macroEnabled.main")
    (docs / "binary.xlsm").write_bytes(binary)
    (docs / "empty.ott").write_bytes(b"")
    (docs / "fine.dotx").write_bytes(good)
    report = build_index([docs], index=tmp_path / "index", progress=False)
    reasons = dict(report.skipped)
    assert report.added == 1 and set(reasons) == {"cut.dotx", "noise.ppsx", "binary.xlsm", "empty.ott"}, reasons
    assert all("\n" not in reason for reason in reasons.values())
    assert reasons["cut.dotx"].startswith("not a valid .dotx")
    assert reasons["noise.ppsx"].startswith("not a valid .ppsx")
    assert reasons["binary.xlsm"] == "an Excel binary workbook (.xlsb) is not read: save it as .xlsx"
    assert reasons["empty.ott"].startswith("not a valid .ott")
