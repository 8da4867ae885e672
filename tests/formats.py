"""Small documents of every supported format, made on disk by the tests that use them."""
from __future__ import annotations

import csv
import datetime as dt
import io
import mailbox
import os
from email.message import EmailMessage
from pathlib import Path

import reportlab


# a news article with a menu, a cookie banner, a code listing, a table, a sidebar and a footer
NEWS_PAGE = """<!doctype html><html><head><title>Le verger de Normandie</title></head><body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/actu">Actualités</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<div id="cookie-banner">Nous utilisons des cookies pour améliorer votre expérience.
<button>Accepter</button> <button>Refuser</button></div>
<main><article><h1>Les pommes de Normandie</h1>
<p>La récolte des pommes a commencé en septembre dans le pays d'Auge, avec des rendements en hausse
de 12 % par rapport à l'an dernier, pour le plus grand <b>plaisir</b> des producteurs.</p>
<pre><code><span class="boring">// calcul</span>
let prix = poids * 1.35; // le kilo à <em>1,35</em> €</code></pre>
<p>Les producteurs de cidre se réjouissent : la qualité des fruits est excellente grâce à un été
ensoleillé et des pluies régulières. Le sport n'y est pour rien, nous dit-on.</p>
<h2>Les prix</h2>
<table><tr><th>Année</th><th>Prix au kilo</th></tr><tr><td>2023</td><td>1,20 €</td></tr>
<tr><td>2024</td><td>1,35 €</td></tr></table>
<p>Le prix moyen du kilo de pommes à cidre a atteint 1,35 euro cette année, un record.</p>
</article></main>
<aside><h3>À lire aussi</h3><ul><li><a href="/a">Le camembert en danger</a></li>
<li><a href="/b">La météo de la semaine</a></li></ul></aside>
<footer><p>© 2024 Journal du verger. Tous droits réservés.</p><ul><li><a href="/m">Mentions légales</a></li>
<li><a href="/cgu">CGU</a></li></ul></footer></body></html>"""


def font_path() -> str:
    """A TrueType font shipped with reportlab (a test dependency): the same on every machine."""
    return os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")


def text_image(lines: list[str], width: int = 1700, size: int = 40, noise: bool = False):
    """A page-like image of `lines` of text (a "scan" or a "photo" with `noise`)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(font_path(), size)
    height = 120 + len(lines) * int(size * 1.6)
    image = Image.new("L", (width, height), 255 if not noise else 235)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 60 + i * int(size * 1.6)), line, fill=0 if not noise else 30, font=font)
    if noise:
        image = image.rotate(1.2, expand=True, fillcolor=235).filter(ImageFilter.GaussianBlur(0.8))
    return image


def pdf_bytes(pages: list[list[str]], title: str | None = None, author: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for lines in pages:
        for i, line in enumerate(lines):
            c.drawString(72, 800 - 40 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(path: Path, pages: list[list[str]]) -> None:
    """A PDF whose pages are images of text, without a text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        image = text_image(lines)
        w, h = A4
        c.drawImage(ImageReader(image), 0, h - image.height * w / image.width, width=w,
                    height=image.height * w / image.width)
        c.showPage()
    c.save()


def make_pptx(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.core_properties.title = "Bilan du verger"
    deck.core_properties.author = "Claire Martin"
    deck.core_properties.created = dt.datetime(2024, 6, 11, 9, 30)
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = "Bilan du verger"
    slide.placeholders[1].text = "Assemblée générale de la coopérative"
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "La grêle de mai"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
    box.text_frame.text = "Un orage de grêle a détruit un tiers des fleurs des cerisiers."
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Arbre", "Pertes"
    table.cell(1, 0).text, table.cell(1, 1).text = "Cerisier", "33 %"
    slide.notes_slide.notes_text_frame.text = "Dire que l'assurance couvre les pertes des cerisiers."
    deck.save(path)


FINANCES = [["Year", "Revenue", "Profit", "Employees"], [2021, 1.2, 0.1, 12], [2022, 1.5, 0.2, 14],
            [2023, 2.75, 0.4, 17], [2024, 3.1, 0.5, 19]]


def make_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Comptes de la société Brightwater Tiles, fabricant de carrelage."
    sheet = book.create_sheet("Finances")
    for row in FINANCES:
        sheet.append(row)
    sheet.append(["Closed on", dt.datetime(2024, 12, 31)])
    book.properties.title = "Brightwater Tiles accounts"
    book.properties.creator = "Finance team"
    book.save(path)


def _odf_cell(value):
    from odf.table import TableCell
    from odf.text import P

    cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def make_ods(path: Path, rows: list[list] | None = None, empty_rows: int = 0) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Stock")
    for row in rows or [["Fruit", "Stock (kg)", "Warehouse"], ["Quince", 480, "Annecy"],
                        ["Apricot", 1200, "Valence"], ["Plum", 75, "Agen"]]:
        tr = TableRow()
        for value in row:
            tr.addElement(_odf_cell(value))
        table.addElement(tr)
    if empty_rows:
        table.addElement(TableRow(numberrowsrepeated=empty_rows))
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def make_csv(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Ville", "Habitants", "Maire"])
        writer.writerow(["Grenoble", 158000, "Éric Piolle"])
        writer.writerow(["Chambéry", 59000, "Thierry Repentin"])


def make_odt(path: Path) -> None:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.meta.addElement(dc.Title(text="Le moulin de Sainte-Croix"))
    doc.meta.addElement(meta.InitialCreator(text="Jeanne Roux"))
    doc.meta.addElement(meta.CreationDate(text="2022-03-14T10:00:00"))
    doc.text.addElement(H(outlinelevel=1, text="Histoire du moulin"))
    doc.text.addElement(P(text="Le moulin à huile de Sainte-Croix fut construit en 1820 par les frères Arnaud."))
    doc.text.addElement(P(text="Il a cessé de tourner en 1965."))
    doc.save(str(path))


def make_odp(path: Path, slides: list[list[str]] | None = None) -> None:
    """A presentation of `slides` (each its frames' texts; by default two French slides)."""
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    for texts in slides or (["Projet de ruches"], ["Les abeilles noires", "Nous installerons quarante ruches "
                                                   "d'abeilles noires sur le plateau du Vercors."]):
        page = Page(masterpagename=master)
        for i, text in enumerate(texts):
            frame = Frame(width="20cm", height="3cm", x="2cm", y=f"{2 + 4 * i}cm")
            box = TextBox()
            box.addElement(P(text=text))
            frame.addElement(box)
            page.addElement(frame)
        doc.presentation.addElement(page)
    doc.save(str(path))


def make_rtf(path: Path) -> None:
    path.write_bytes(
        b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}{\\info{\\title Le phare d'Ouessant}{\\author Yann Le Gall}}"
        b"\\f0 Le phare du Creac'h\\par\\par Le phare du Cr\\'e9ac'h, sur l'\\'eele d'Ouessant, est l'un des plus "
        b"puissants d'Europe.\\par\\par Sa lumi\\'e8re porte \\'e0 plus de cinquante kilom\\'e8tres.\\par}")


def make_epub(path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("qa-test-book")
    book.set_title("Voyage en Patagonie")
    book.set_language("fr")
    book.add_author("Lucie Ferrand")
    book.add_metadata("DC", "date", "2019-05-02")
    chapters = []
    for i, (title, body) in enumerate([("Le départ", "Nous quittons Buenos Aires un matin de mars."),
                                       ("Le glacier", "Le glacier Perito Moreno avance de deux mètres par jour.")],
                                      start=1):
        chapter = epub.EpubHtml(title=title, file_name=f"chap{i}.xhtml", lang="fr")
        chapter.content = f"<html><body><h1>{title}</h1><p>{body}</p></body></html>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book)


def message(subject: str, body: str, sender: str = "Alice Durand <alice@example.org>",
            to: str = "Bob <bob@example.org>", date: dt.datetime | None = None,
            attachments: list[tuple[str, bytes, str]] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, to
    msg["Date"] = (date or dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc)).strftime("%a, %d %b %Y %H:%M:%S %z")
    msg.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def make_eml(path: Path) -> None:
    invoice = pdf_bytes([["Facture 2024-117 : remplacement de la toiture de la grange, 8 400 euros."]],
                        title="Facture toiture")
    path.write_bytes(bytes(message("Rendez-vous avec le couvreur",
                                   "Bonjour Bob,\n\nLe couvreur viendra jeudi pour inspecter la grange.\n\nAlice",
                                   attachments=[("facture.pdf", invoice, "application/pdf")])))


def make_mbox(path: Path, count: int = 3) -> None:
    box = mailbox.mbox(path)
    topics = ["La réunion du conseil est déplacée à vendredi.",
              "Le camion de livraison est tombé en panne près de Mâcon.",
              "Les semences de tomates anciennes sont arrivées."]
    for i in range(count):
        box.add(message(f"Message {i + 1}", topics[i % 3] + f" (note {i + 1})",
                        date=dt.datetime(2024, 1, 1 + i % 28, tzinfo=dt.timezone.utc)))
    box.flush()
    box.close()


def report_pdf(path: Path, title: str, paragraphs: list[str], header: str, footer: str = "Page {page}") -> None:
    """A report as word processors typeset one: justified paragraphs flowing over A5 pages, a
    running header and a page-numbered footer on every page."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", font_path()))
    body = ParagraphStyle("body", fontName="Vera", fontSize=9.5, leading=12.5, alignment=TA_JUSTIFY, spaceAfter=7)
    heading = ParagraphStyle("heading", fontName="Vera", fontSize=14, leading=18, spaceAfter=10)

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Vera", 7)
        canvas.drawString(40, A5[1] - 28, header)
        canvas.drawRightString(A5[0] - 40, 22, footer.format(page=doc.page))
        canvas.restoreState()

    story = [Paragraph(title, heading)] + [Paragraph(p, body) for p in paragraphs]
    SimpleDocTemplate(str(path), pagesize=A5, leftMargin=40, rightMargin=40, topMargin=45, bottomMargin=40,
                      title=title).build(story, onFirstPage=decorate, onLaterPages=decorate)
