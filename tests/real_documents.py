"""Documents as people have them: what Word, Excel and mail programs write beyond what the
libraries' own `add_paragraph` makes. Each maker writes the parts of the file format by hand
(tracked changes, content controls, text boxes, footnotes, cached formula values...), as the
programs that write them do."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NAMESPACES = (W + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
              ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
              ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
              ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
              ' xmlns:v="urn:schemas-microsoft-com:vml"')


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(inner: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {NAMESPACES}>{ppr}{inner}</w:p>"


def _textbox(text: str) -> str:
    """A text box as Word 2010+ writes it: the DrawingML shape, and a VML copy for older readers."""
    content = f"<w:txbxContent>{_p(_run(text))}</w:txbxContent>"
    return (f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
            f"<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
            f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox>"
            f"</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


FOOTNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
             '<w:r><w:t xml:space="preserve"> Source : relevé de la station météo de Montélimar, 2024.</w:t></w:r>'
             '</w:p></w:footnote></w:footnotes>')
ENDNOTES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:endnotes {W}>'
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
            '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            '</w:endnote><w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> Les chiffres de lavande sont ceux de la coopérative de Valensole.</w:t>'
            '</w:r></w:p></w:endnote></w:endnotes>')
COMMENTS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W}>'
            '<w:comment w:id="0" w:author="Paul" w:date="2024-09-02T10:00:00Z" w:initials="P"><w:p><w:r>'
            '<w:t>Vérifier ce chiffre avec le comptable, je crois que la récolte était plus faible.</w:t></w:r></w:p>'
            '</w:comment></w:comments>')
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def make_messy_docx(path: Path, toc_in_control: bool = True) -> None:
    """A report as Word leaves it after a review: a table of contents, a content control, tracked
    changes, a comment, a footnote and an endnote, a text box, a smart tag, a page-number field, a
    table with merged cells, a numbered list, a hyperlink, and a running header and footer."""
    import datetime as dt

    import docx
    from docx.oxml import parse_xml

    word = docx.Document()
    word.core_properties.title = "Rapport de récolte 2024"
    word.core_properties.author = "Coopérative de la Drôme"
    word.core_properties.created = dt.datetime(2024, 9, 15, 8, 0)
    section = word.sections[0]
    section.header.paragraphs[0].text = "Coopérative de la Drôme — document interne"
    section.footer.paragraphs[0].text = "Page "
    section.footer.paragraphs[0]._p.append(parse_xml(
        f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    body = word.element.body
    sect = body[-1]  # the section properties stay last

    def add(xml: str) -> None:
        sect.addprevious(parse_xml(xml))

    # a table of contents, in its content control, as Word inserts one
    lines = [_p(_run(f"{title}\t{page}"), "TOC1") for title, page in
             (("La récolte d'abricots", 1), ("La lavande", 2))]
    toc = "".join(lines)
    if toc_in_control:
        add(f'<w:sdt {NAMESPACES}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            f'</w:docPartObj></w:sdtPr><w:sdtContent>{_p(_run("Sommaire"), "TOCHeading")}{toc}</w:sdtContent></w:sdt>')
    else:  # the "toc 1" style Word's TOC field gives its lines, without a content control
        from docx.enum.style import WD_STYLE_TYPE

        word.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH).element.set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId", "TOC1")
        add(_p(_run("Sommaire"), "TOCHeading"))
        for line in lines:
            add(line)
    word.add_heading("La récolte d'abricots", 1)
    # tracked changes: a sentence deleted, another inserted, a word replaced
    add(_p(_run("La récolte d'abricots a atteint ")
           + '<w:del w:id="1" w:author="Paul" w:date="2024-09-02T10:00:00Z"><w:r><w:delText>'
             "310</w:delText></w:r></w:del>"
           + '<w:ins w:id="2" w:author="Paul" w:date="2024-09-02T10:00:00Z"><w:r><w:t>'
             "340</w:t></w:r></w:ins>"
           + _run(" tonnes cette année.")
           + '<w:commentRangeStart w:id="0"/><w:commentRangeEnd w:id="0"/>'
             '<w:r><w:commentReference w:id="0"/></w:r>'
           + '<w:r><w:footnoteReference w:id="1"/></w:r>'))
    add(_p('<w:del w:id="3" w:author="Paul" w:date="2024-09-02T10:00:00Z"><w:r><w:delText>'
           "Le gel d'avril a détruit la moitié des fleurs du verger de Nyons.</w:delText></w:r></w:del>"))
    add(_p('<w:ins w:id="4" w:author="Paul" w:date="2024-09-02T10:00:00Z"><w:r><w:t>'
           "Les abricots ont été vendus au marché de Saint-Rémy à 3,20 euros le kilo.</w:t></w:r></w:ins>"))
    # a smart tag (older Word) and a content control in a paragraph
    add(_p(_run("Le siège de la coopérative est à ")
           + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="City">'
           + _run("Dieulefit") + "</w:smartTag>"
           + _run(", son directeur est ")
           + '<w:sdt><w:sdtPr><w:alias w:val="Directeur"/></w:sdtPr><w:sdtContent>'
           + _run("Marc Vidal") + "</w:sdtContent></w:sdt>" + _run(".")))
    # a block content control, as templates have them
    add(f'<w:sdt {NAMESPACES}><w:sdtPr><w:alias w:val="Résumé"/></w:sdtPr><w:sdtContent>'
        + _p(_run("Les vergers de la coopérative couvrent 420 hectares entre Nyons et Dieulefit."))
        + "</w:sdtContent></w:sdt>")
    # a text box beside a paragraph
    add(_p(_run("Voir l'encadré.") + _textbox(
        "Encadré : la coopérative compte 58 producteurs adhérents depuis la fusion de 2019.")))
    word.add_heading("La lavande", 1)
    add(_p(_run("La lavande a donné 12 tonnes d'huile essentielle.")
           + '<w:r><w:endnoteReference w:id="1"/></w:r>'))
    for item in ("Distiller la lavande en juillet", "Vendre l'huile aux parfumeurs de Grasse"):
        word.add_paragraph(item, style="List Number")
    para = word.add_paragraph("Les tarifs sont publiés sur ")
    para._p.append(parse_xml(f'<w:hyperlink {W} xmlns:r="{_RELS[:-1]}" r:id="rIdLink">{_run("le site de la coopérative")}'
                             "</w:hyperlink>"))
    para.add_run(".")
    # merged cells: a header over two columns, a product name down two rows; equal neighbours
    table = word.add_table(rows=4, cols=4)
    table.cell(0, 0).text, table.cell(0, 3).text = "Produit", "Bio"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Récolte (année, tonnes)"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Abricots"
    for r, row in enumerate([["2023", "300", "oui"], ["2024", "340", "oui"]], 1):
        for c, value in enumerate(row, 1):
            table.cell(r, c).text = value
    for c, value in enumerate(["Lavande", "2024", "12", "non"]):
        table.cell(3, c).text = value
    buf = io.BytesIO()
    word.save(buf)
    _add_parts(buf.getvalue(), path, {"word/footnotes.xml": ("footnotes", FOOTNOTES),
                                      "word/endnotes.xml": ("endnotes", ENDNOTES),
                                      "word/comments.xml": ("comments", COMMENTS)},
               links={"rIdLink": "https://example.org/tarifs"})


def _add_parts(data: bytes, path: Path, parts: dict[str, tuple[str, str]], links: dict[str, str]) -> None:
    """The .docx `data` with more parts of the main document (footnotes...) and hyperlink targets."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                overrides = "".join(f'<Override PartName="/{name}" ContentType="{_TYPES}{kind}+xml"/>'
                                    for name, (kind, _) in parts.items())
                content = content.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif item.filename == "word/_rels/document.xml.rels":
                rels = "".join(f'<Relationship Id="rIdQa{i}" Type="{_RELS}{kind}" Target="{name[5:]}"/>'
                               for i, (name, (kind, _)) in enumerate(parts.items()))
                rels += "".join(f'<Relationship Id="{rid}" Type="{_RELS}hyperlink" Target="{url}" TargetMode="External"/>'
                                for rid, url in links.items())
                content = content.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            out.writestr(item, content)
        for name, (_, xml) in parts.items():
            out.writestr(name, xml.encode("utf-8"))


def make_budget_xlsx(path: Path) -> None:
    """A budget as Excel saves it: a title line merged across the top, two header rows (a cell
    merged over two columns with their names below, one merged down), formulas with the values
    Excel cached beside them, percent, currency and date formats, the float noise of a sum
    (0.30000000000000004), and a hidden sheet of lookup values."""
    import datetime as dt
    import re

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Budget 2024"
    sheet.append(["Budget prévisionnel de la ferme des Grands Prés"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Poste", "Dépenses", None, "Part du total", "Échéance"])
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("A3:A4")
    sheet.append([None, "Prévu", "Réalisé", None, None])
    rows = [("Semences", 1250.5, 1180.25), ("Engrais", 2100, 1985.4), ("Tracteur", 8400, 9100.75),
            ("Irrigation", 3150, 2890.1), ("Carburant", 1800, 2210.35), ("Assurance", 950, 950),
            ("Vétérinaire", 600, 420.5), ("Clôtures", 1400, 1388), ("Électricité", 720, 765.2),
            ("Comptable", 1100, 1100)]
    first, last = 5, 5 + len(rows) - 1
    for i, (name, planned, spent) in enumerate(rows, start=first):
        sheet.append([name, planned, spent, f"=C{i}/SUM($C${first}:$C${last})", dt.date(2024, 1 + i - first, 15)])
        for column in "BC":
            sheet[f"{column}{i}"].number_format = '#,##0.00\\ "€"'
        sheet[f"D{i}"].number_format = "0.0%"
        sheet[f"E{i}"].number_format = "dd/mm/yyyy"
    sheet.append(["Total", f"=SUM(B{first}:B{last})", f"=SUM(C{first}:C{last})", None, None])
    sheet.append(["Taux de TVA", 0.3])
    hidden = book.create_sheet("Listes")
    hidden.append(["Code", "Fournisseur"])
    hidden.append(["F-17", "Agri Drôme"])
    hidden.sheet_state = "hidden"
    book.properties.title = "Budget de la ferme 2024"
    book.properties.creator = "Anne Roux"
    buf = io.BytesIO()
    book.save(buf)
    total = sum(r[2] for r in rows)
    cached = {f"D{i}": spent / total for i, (_, _, spent) in enumerate(rows, start=first)}
    cached.update({f"B{last + 1}": sum(r[1] for r in rows), f"C{last + 1}": total})

    def with_value(match: re.Match) -> str:  # Excel writes the value it computed beside the formula
        cell = match.group(0)
        ref = re.search(r'r="([A-Z]+\d+)"', cell).group(1)
        return cell.replace("</f>", f"</f><v>{cached[ref]!r}</v>") if ref in cached else cell

    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(r"<c [^>]*>.*?</c>", with_value, content.decode())
                # Excel keeps a sum's float noise (0.1 + 0.2) in the file
                content = re.sub(r'(<c r="B%d"[^>]*><v>)0\.3(</v>)' % (last + 2), r"\g<1>0.30000000000000004\2",
                                 content).encode()
                assert b"0.30000000000000004" in content
            out.writestr(item, content)


def make_ligature_pdf(path: Path) -> None:
    """A PDF as TeX or InDesign set it: "fi" and "fl" as one ligature glyph each, which the
    font's ToUnicode maps to U+FB01..., in the text and in the title."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Rapport \ufb01nancier")
    c.setFont("Vera", 11)
    c.drawString(72, 800, "Les \ufb01nances de l'of\ufb01ce ont \ufb02échi en 2024 : le dé\ufb01cit atteint 2 millions d'euros.")
    c.drawString(72, 780, "La commune a vendu la salle des fêtes pour combler une partie du trou.")
    c.showPage()
    c.save()


_HEAD = "To: Bob <bob@example.org>\r\nDate: Tue, 5 Mar 2024 09:30:00 +0100\r\nMIME-Version: 1.0\r\n"


def make_undeclared_charset_eml(path: Path) -> None:
    """A message whose 8-bit body is Windows-1252 but says us-ascii, as older mailers send it."""
    path.write_bytes(("From: Paul <paul@example.fr>\r\nSubject: Facture\r\n" + _HEAD +
                      "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                      "Bonjour,\r\n\r\nLa facture de l'électricien s'élève à 450 € pour le dépannage de la "
                      "chaudière.\r\n\r\nPaul\r\n").encode("cp1252"))


def make_8bit_header_eml(path: Path) -> None:
    """A message with its subject and sender's name in raw Windows-1252, not RFC 2047 encoded words."""
    path.write_bytes(("From: Hélène Mérieux <helene@example.fr>\r\nSubject: Réunion d'été du comité\r\n" + _HEAD +
                      "Content-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                      "La réunion d'été du comité aura lieu le samedi 6 juillet à la salle des fêtes de "
                      "Crest.\r\n").encode("cp1252"))


def make_reviewed_odt(path: Path) -> None:
    """A LibreOffice Writer text after a review: a table of contents, a comment in a paragraph,
    a footnote, a deletion and an insertion tracked, a text box anchored in a paragraph, and a
    table whose cells hold two paragraphs each."""
    from odf import dc, meta
    from odf.draw import Frame, TextBox
    from odf.namespaces import XMLNS
    from odf.office import Annotation, ChangeInfo
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (H, Change, ChangedRegion, ChangeEnd, ChangeStart, Deletion, IndexBody, Insertion,
                          Note, NoteBody, NoteCitation, P, TableOfContent, TableOfContentSource, TrackedChanges)

    doc = OpenDocumentText()
    doc.meta.addElement(dc.Title(text="Le moulin de Sainte-Croix"))
    doc.meta.addElement(meta.InitialCreator(text="Jeanne Roux"))
    doc.meta.addElement(meta.CreationDate(text="2022-03-14T10:00:00"))

    def info() -> ChangeInfo:
        change = ChangeInfo()
        change.addElement(dc.Creator(text="Paul"))
        change.addElement(dc.Date(text="2022-04-01T09:00:00"))
        return change

    tracked = TrackedChanges()
    deleted = ChangedRegion(id="ct1", qattributes={(XMLNS, "id"): "ct1"})
    deletion = Deletion()
    deletion.addElement(info())
    deletion.addElement(P(text="Le moulin a brûlé en 1890 et fut rebâti par la commune."))
    deleted.addElement(deletion)
    inserted = ChangedRegion(id="ct2", qattributes={(XMLNS, "id"): "ct2"})
    insertion = Insertion()
    insertion.addElement(info())
    inserted.addElement(insertion)
    tracked.addElement(deleted)
    tracked.addElement(inserted)
    doc.text.addElement(tracked)
    toc = TableOfContent(name="Sommaire1")
    toc.addElement(TableOfContentSource(outlinelevel=10))
    entries = IndexBody()
    entries.addElement(P(text="Histoire du moulin\t1"))
    toc.addElement(entries)
    doc.text.addElement(toc)
    doc.text.addElement(H(outlinelevel=1, text="Histoire du moulin"))
    para = P(text="Le moulin à huile de Sainte-Croix fut construit en 1820")
    comment = Annotation()
    comment.addElement(dc.Creator(text="Anna"))
    comment.addElement(P(text="Vérifier la date aux archives départementales."))
    para.addElement(comment)
    para.addText(" par les frères Arnaud.")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="D'après le cadastre napoléonien de la commune."))
    note.addElement(body)
    para.addElement(note)
    doc.text.addElement(para)
    gone = P()  # where the deleted paragraph stood
    gone.addElement(Change(changeid="ct1"))
    doc.text.addElement(gone)
    added = P()
    added.addElement(ChangeStart(changeid="ct2"))
    added.addText("Le moulin a été restauré en 2005 grâce à une souscription des habitants.")
    added.addElement(ChangeEnd(changeid="ct2"))
    doc.text.addElement(added)
    anchor = P(text="Voir l'encadré.")
    frame = Frame(width="8cm", height="3cm", anchortype="paragraph")
    box = TextBox()
    box.addElement(P(text="Le moulin produit encore 900 litres d'huile d'olive par an."))
    frame.addElement(box)
    anchor.addElement(frame)
    doc.text.addElement(anchor)
    table = Table(name="Meuniers")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for cells in (["Meunier", "Période"], [["Joseph Arnaud", "fondateur"], ["1820", "1861"]]):
        row = TableRow()
        for value in cells:
            cell = TableCell()
            for line in ([value] if isinstance(value, str) else value):
                cell.addElement(P(text=line))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.save(str(path))


def make_annotated_ods(path: Path) -> None:
    """A LibreOffice Calc sheet: a header cell merged over two columns with their names below, a cell with a comment, a
    cell of two lines (Alt+Enter), and percent and currency cells with the text Calc shows."""
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Ventes")

    def cell(*lines: str, **attributes) -> TableCell:
        made = TableCell(**attributes)
        for line in lines:
            made.addElement(P(text=line))
        return made

    header = TableRow()
    for made in (cell("Région"), cell("Ventes 2024", numbercolumnsspanned=2), CoveredTableCell(),
                 cell("Responsable")):
        header.addElement(made)
    table.addElement(header)
    names = TableRow()  # the merged cell's columns' own names
    for made in (cell(), cell("Part"), cell("Montant"), cell()):
        names.addElement(made)
    table.addElement(names)
    share = cell("12,5 %", valuetype="percentage", value="0.125")
    comment = Annotation()
    comment.addElement(P(text="Chiffre provisoire, attendre la clôture."))
    share.insertBefore(comment, share.firstChild)
    row = TableRow()
    for made in (cell("Nord"), share, cell("1 200,00 €", valuetype="currency", value="1200", currency="EUR"),
                 cell("Claire Dubois", "Lille")):
        row.addElement(made)
    table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


DIAGRAM_NS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


def make_smartart_pptx(path: Path) -> None:
    """A deck as PowerPoint users make them: a SmartArt process diagram (its text lives in the
    diagram's data part, not in the slide), a title in a text box rather than a placeholder, a
    group of text boxes, and a hidden slide between two shown ones."""
    import datetime as dt

    from lxml import etree
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI
    from pptx.util import Inches

    deck = Presentation()
    deck.core_properties.title = "Logistique 2025"
    deck.core_properties.author = "Service achats"
    deck.core_properties.created = dt.datetime(2025, 1, 20, 9, 0)
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Le circuit d'une commande"
    points = "".join(
        f'<dgm:pt modelId="{{{i}}}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:r><a:t>{step}</a:t></a:r>'
        f'</a:p></dgm:t></dgm:pt>'
        f'<dgm:pt modelId="{{t{i}}}" type="parTrans"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p/></dgm:t></dgm:pt>'
        for i, step in enumerate(["Demande d'achat validée par le chef de service",
                                  "Bon de commande signé par la direction financière",
                                  "Réception contrôlée par le magasin de Vénissieux"], start=1))
    data = (f'<dgm:dataModel xmlns:dgm="{DIAGRAM_NS}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<dgm:ptLst><dgm:pt modelId="{{0}}" type="doc"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p/></dgm:t>'
            f'</dgm:pt>{points}</dgm:ptLst><dgm:cxnLst/><dgm:bg/><dgm:whole/></dgm:dataModel>')
    part = Part(PackURI("/ppt/diagrams/data1.xml"),
                "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", deck.part.package,
                data.encode())
    rid = slide.part.relate_to(part, RT.DIAGRAM_DATA)
    slide.shapes._spTree.append(etree.fromstring(
        '<p:graphicFrame xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<p:nvGraphicFramePr><p:cNvPr id="10" name="Diagramme 1"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr>'
        '<p:xfrm><a:off x="914400" y="1828800"/><a:ext cx="7315200" cy="3657600"/></p:xfrm><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        f'<dgm:relIds xmlns:dgm="{DIAGRAM_NS}" r:dm="{rid}" r:lo="" r:qs="" r:cs=""/>'
        '</a:graphicData></a:graphic></p:graphicFrame>'))
    hidden = deck.slides.add_slide(deck.slide_layouts[6])
    hidden.element.set("show", "0")
    box = hidden.shapes.add_textbox(Inches(1), Inches(0.4), Inches(8), Inches(1))
    box.text_frame.text = "Annexe : les fournisseurs"
    group = hidden.shapes.add_group_shape()
    for left, text in ((1, "Fournisseur de palettes : Bois du Rhône, à Givors"),
                       (5, "Fournisseur de cartons : Smurfit, à Feyzin")):
        group.shapes.add_textbox(Inches(left), Inches(3), Inches(3.5), Inches(1)).text_frame.text = text
    last = deck.slides.add_slide(deck.slide_layouts[5])
    last.shapes.title.text = "Prochaines étapes"
    last.notes_slide.notes_text_frame.text = "Annoncer le nouveau délai de livraison : dix jours ouvrés."
    deck.save(path)


INVITATION = (
    "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Romance Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nTZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nORGANIZER;CN=\"Durand, Anne\":mailto:anne@example.fr\r\n"
    "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=Bob:mailto:bob@example.org\r\n"
    "DTSTART;TZID=Romance Standard Time:20240312T140000\r\nDTEND;TZID=Romance Standard Time:20240312T160000\r\n"
    "SUMMARY;LANGUAGE=fr-FR:Comité de pilotage du projet Rhône\r\nLOCATION;LANGUAGE=fr-FR:Salle Vercors\\, bâtiment B\r\n"
    "DESCRIPTION;LANGUAGE=fr-FR:Ordre du jour : budget 2025\\, recrutement d'un techn\r\n icien.\\n\\nMerci de confirmer.\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:REMINDER\r\nTRIGGER;RELATED=START:-PT15M\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n")


def make_invitation_eml(path: Path) -> None:
    """A meeting request as Outlook sends it: the calendar (when, where) an alternative of the
    body beside its text and HTML, not an attachment."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Comité de pilotage du projet Rhône"
    message["From"], message["To"] = "Anne Durand <anne@example.fr>", "bob@example.org"
    message["Date"] = "Tue, 5 Mar 2024 09:30:00 +0100"
    message.set_content("Bonjour,\n\nJe vous invite au comité de pilotage.\n\nAnne")
    message.add_alternative("<p>Bonjour,</p><p>Je vous invite au comité de pilotage.</p><p>Anne</p>", subtype="html")
    message.add_alternative(INVITATION.encode("utf-8"), maintype="text", subtype="calendar",
                            params={"method": "REQUEST"})
    path.write_bytes(bytes(message))


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def tnef_bytes(files: list[tuple[str, str, bytes]]) -> bytes:
    """A winmail.dat as Outlook writes one (MS-OXTNEF): each file (8.3 name, long name, bytes) with
    its rendering, title, data and MAPI properties (the attach method and the long file name)."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x00069007, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    for short, long, data in files:
        out += _tnef_attribute(2, 0x00069002, struct.pack("<HIhhI", 1, 0xFFFFFFFF, -1, -1, 0))  # attAttachRenddata
        out += _tnef_attribute(2, 0x00018010, short.encode("cp1252") + b"\x00")  # attAttachTitle
        out += _tnef_attribute(2, 0x0006800F, data)  # attAttachData
        name = long.encode("utf-16-le") + b"\x00\x00"
        props = (struct.pack("<I", 2) + struct.pack("<HHI", 0x0003, 0x3705, 1)  # PidTagAttachMethod
                 + struct.pack("<HHII", 0x001F, 0x3707, 1, len(name)) + name + b"\x00" * (-len(name) % 4))
        out += _tnef_attribute(2, 0x00069005, props)  # attAttachment: PidTagAttachLongFilename
    return out


def make_winmail_eml(path: Path) -> None:
    """A message Outlook sent in rich text to another program: its PDF inside a winmail.dat."""
    from email.message import EmailMessage

    import formats

    report = formats.pdf_bytes([["Compte rendu du chantier de la salle polyvalente de Saillans.",
                                 "La charpente sera posée la semaine du 14 octobre par l'entreprise Faure."]],
                               title="Compte rendu de chantier")
    message = EmailMessage()
    message["Subject"] = "Compte rendu de chantier"
    message["From"], message["To"] = "Luc Faure <luc@example.fr>", "bob@example.org"
    message["Date"] = "Mon, 7 Oct 2024 18:05:00 +0200"
    message.set_content("Bonjour,\n\nVeuillez trouver ci-joint le compte rendu.\n\nLuc")
    message.add_attachment(tnef_bytes([("COMPTE~1.PDF", "Compte rendu réunion chantier.pdf", report)]),
                           maintype="application", subtype="ms-tnef", filename="winmail.dat")
    path.write_bytes(bytes(message))


# A newsletter's two columns, each a list of paragraphs: English on the left, French on the right
NEWSLETTER_LEFT = [
    "The Vercors plateau rises above Grenoble like a limestone fortress. Its cliffs, some of them three "
    "hundred metres high, enclose forests of beech and fir where chamois and golden eagles live.",
    "Every spring the park's rangers count the griffon vultures released near Archiane since 1999; this "
    "year they counted eighty-four nesting pairs on the ledges of the cirque.",
]
NEWSLETTER_RIGHT = [
    "La grotte de Choranche est ouverte aux visiteurs d'avril à octobre. On y voit des milliers de "
    "fistuleuses, de fines stalactites creuses qui pendent au plafond d'un lac souterrain.",
    "Le refuge de la Jasse du Play, restauré en 2023 par les bénévoles de l'association, offre douze "
    "couchages aux randonneurs qui traversent la réserve des Hauts-Plateaux.",
]
NEWSLETTER_TRAILS = [["Sentier", "Départ", "Durée", "Dénivelé"],
                     ["Pas de l'Œille", "Prélenfrey", "4 h 30", "850 m"],
                     ["Cirque d'Archiane", "Archiane", "3 h", "420 m"],
                     ["Balcons du Mont Aiguille", "Chichilianne", "2 h 15", "310 m"],
                     ["Gorges de la Bourne", "Pont-en-Royans", "1 h 45", "150 m"]]
NEWSLETTER_ONE_COLUMN = [
    "Le parc naturel régional du Vercors a été créé en 1970. Il s'étend sur deux départements, l'Isère "
    "et la Drôme, et réunit quatre-vingt-trois communes autour d'une charte renouvelée tous les quinze ans.",
    "Sa maison du parc, à Lans-en-Vercors, accueille le public du mardi au samedi et prête des raquettes "
    "aux familles pendant les vacances d'hiver.",
]


def column_lines(paragraphs: list[str], width: float, size: float = 9.5) -> list[str]:
    """The lines reportlab wraps `paragraphs` into at `width`, an empty line between paragraphs."""
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*simpleSplit(paragraph, "Vera", size, width), ""]
    return lines[:-1]


def make_newsletter_pdf(path: Path, leading: float = 12.5) -> None:
    """A park's newsletter, three pages as a layout program draws them: page 1 a title across the
    page over two columns (English, French) whose lines the program draws row by row across the
    page, in one text object, as producers that sort a page's text by height do; page 2 a table
    drawn cell by cell between two paragraphs; page 3 one column. A running footer on each.
    `leading` 9.5, the font's size, sets lines as tight as magazines do: a line's accents and
    descenders reach into the next one's height."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    width, height = A4
    margin, gutter = 56, 24
    column = (width - 2 * margin - gutter) / 2
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Lettre du Vercors")

    def footer(number: int) -> None:
        c.setFont("Vera", 8)
        c.drawCentredString(width / 2, 30, f"Lettre du Vercors · printemps 2025 · page {number}")

    c.setFont("Vera", 16)
    c.drawString(margin, height - 70, "Nouvelles du plateau")
    left, right = column_lines(NEWSLETTER_LEFT, column), column_lines(NEWSLETTER_RIGHT, column)
    text = c.beginText()
    text.setFont("Vera", 9.5)
    for i in range(max(len(left), len(right))):
        y = height - 100 - i * leading
        for x, lines in ((margin, left), (margin + column + gutter, right)):
            if i < len(lines) and lines[i]:
                text.setTextOrigin(x, y)
                text.textOut(lines[i])
    c.drawText(text)
    footer(1)
    c.showPage()
    full = width - 2 * margin
    c.setFont("Vera", 9.5)
    y = height - 70
    for line in column_lines(["Quatre sentiers du parc, du plus long au plus court, tels que les gardes les "
                              "conseillent aux randonneurs en ce printemps :"], full):
        c.drawString(margin, y, line)
        y -= leading
    table = Table(NEWSLETTER_TRAILS, hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Vera", 9.5),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    _, table_height = table.wrapOn(c, full, height)
    table.drawOn(c, margin, y - table_height)
    y -= table_height + 2 * leading
    c.drawString(margin, y, "Les durées sont données pour un marcheur moyen, sans les pauses.")
    footer(2)
    c.showPage()
    c.setFont("Vera", 9.5)
    for i, line in enumerate(column_lines(NEWSLETTER_ONE_COLUMN, full)):
        if line:
            c.drawString(margin, height - 70 - i * leading, line)
    footer(3)
    c.showPage()
    c.save()


def _biff(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _biff_string(text: str, length_bytes: int = 2) -> bytes:
    """A BIFF8 unicode string: its length, then UTF-16 (flag 1)."""
    return struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding `streams` as entries of its root,
    each padded to 4096 bytes at least so that it sits in regular sectors (no mini stream)."""
    sector = 512
    body, directory, fat = b"", [], [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT, 1: the directory
    for name, data in streams.items():
        data = data.ljust(max(len(data), 4096), b"\x00")
        data = data.ljust(-(-len(data) // sector) * sector, b"\x00")
        first, count = 2 + len(body) // sector, len(data) // sector
        fat += [first + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        directory.append((name, 2, first, len(data)))
        body += data
    assert len(fat) <= sector // 4 and len(directory) <= 3

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBBIII", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
                + b"\x00" * 36 + struct.pack("<IQ", start, size))

    entries = entry("Root Entry", 5, 1 if directory else 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for i, (name, kind, start, size) in enumerate(directory):
        right = i + 2 if i + 1 < len(directory) else 0xFFFFFFFF  # siblings as a list to the right
        entries += entry(name, kind, 0xFFFFFFFF, right, start, size)
    entries = entries.ljust(sector, b"\x00")
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [0xFFFFFFFF] * (sector // 4 - len(fat))))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0,
                            0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *[0xFFFFFFFF] * 108))
    return header + fat_sector + entries + body


def make_budget_xls(path: Path) -> None:
    """An Excel 97-2003 budget as Excel saves one (BIFF8, written by hand: no library the tests
    install writes .xls): amounts in a euro currency format, shares in a percent format, a
    fixed-decimals cell, a date, a sum's float noise in a General cell."""
    fonts = _biff(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + struct.pack("<BB", 5, 0)
                  + b"Arial")
    formats = (_biff(0x041E, struct.pack("<H", 164) + _biff_string("0.0%"))
               + _biff(0x041E, struct.pack("<H", 165) + _biff_string('#,##0.00\\ "€"')))

    def xf(number_format: int, style: bool = False) -> bytes:
        return _biff(0x00E0, struct.pack("<HHHBBBBIIH", 0, number_format, 0xFFF5 if style else 0x0001,
                                         0x20, 0, 0, 0 if style else 0xF8, 0, 0, 0x20C0))

    # XF 0 the Normal style; cell XFs: 1 General, 2 percent, 3 euros, 4 "0.00", 5 a date (built-in 14)
    xfs = xf(0, style=True) + xf(0) + xf(164) + xf(165) + xf(2) + xf(14)
    strings = ["Poste", "Montant", "Part du total", "Tracteur", "Semences", "Taux de TVA", "Marge brute", "Échéance"]
    sst = _biff(0x00FC, struct.pack("<II", len(strings), len(strings)) + b"".join(_biff_string(s) for s in strings))
    rows = [[("s", 0, 1), ("s", 1, 1), ("s", 2, 1), ("s", 7, 1)],
            [("s", 3, 1), ("n", 8400.0, 3), ("n", 0.4138482211677289, 2), ("n", 45366.0, 5)],
            [("s", 4, 1), ("n", 1250.5, 3), ("n", 0.0536801874, 2), ("n", 45397.0, 5)],
            [("s", 5, 1), ("n", 0.30000000000000004, 1)],
            [("s", 6, 1), ("n", 1234.5678, 4)]]
    cells = b""
    for r, row in enumerate(rows):
        for c, (kind, value, style) in enumerate(row):
            cells += (_biff(0x00FD, struct.pack("<HHHI", r, c, style, value)) if kind == "s"
                      else _biff(0x0203, struct.pack("<HHHd", r, c, style, value)))
    sheet = (_biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
             + _biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, 4, 0)) + cells + _biff(0x000A, b""))
    name = "Budget 2024"
    head = _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)) + fonts + formats + xfs

    def boundsheet(offset: int) -> bytes:
        return _biff(0x0085, struct.pack("<IBB", offset, 0, 0) + _biff_string(name, length_bytes=1))

    offset = len(head) + len(boundsheet(0)) + len(sst) + 4
    workbook = head + boundsheet(offset) + sst + _biff(0x000A, b"") + sheet
    path.write_bytes(compound_file({"Workbook": workbook}))


_HUT_PLACES = ["l'Aigle", "la Pra", "Chamoissière", "l'Alpe", "la Selle", "Font Turbat", "Vallonpierre", "Chabournéou",
               "Pigeonnier", "Olan", "Temple Écrins", "Carrelet", "Glacier Blanc", "Pelvoux", "Sélé", "Bans",
               "Pré de la Chaumette", "Estaris", "Tourond", "Adèle Planchard", "Lac Noir", "Chardonnet", "Arsine",
               "Évariste Chancel", "Goléon", "Fond Turbat", "Souffles", "Muzelle", "Lavey", "Châtelleret",
               "Promontoire", "Soreiller", "Étançons", "Clot", "Jas Lacroix", "Ciarforon"]
HUTS = [["Refuge", "Massif", "Altitude", "Places"]] + [
    [f"Refuge de {p}" if p.startswith(("l'", "la ")) else f"Refuge {p}",
     ("Écrins", "Belledonne", "Taillefer")[i % 3], f"{1650 + 37 * i} m", str(20 + (7 * i) % 60)]
    for i, p in enumerate(_HUT_PLACES)]


def make_huts_pdf(path: Path) -> None:
    """A long table across two pages, its header row repeated on the second (reportlab's
    `repeatRows`, as word processors repeat a table's header), between a paragraph and a note."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=13, spaceAfter=8)
    table = Table(HUTS, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Vera", 10), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    SimpleDocTemplate(str(path), pagesize=A4, title="Refuges gardés des Alpes du Dauphiné").build([
        Paragraph("Les refuges gardés du Dauphiné, avec leur massif, leur altitude et leurs places.", body), table,
        Paragraph("Les places sont celles de la saison d'été ; réservez auprès du gardien.", body)])


def make_manual_pdf(path: Path) -> None:
    """A page of a software manual as Texinfo sets one: a table of contents with dot leaders and
    page numbers set apart, bullet and numbered lists whose markers stand apart from their items,
    a function's definition line with "[Function]" at the right margin. Runs of text stand apart
    on these lines as a table's cells do; none is a table, nor a column."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Vera", 10)
    y = height - 72
    for title, page in (("1 Introduction", 1), ("2 Installing the library", 2), ("3 Reading a definition", 5),
                        ("4 Function reference", 9)):
        c.drawString(90, y, title + " " + ". " * int((380 - 6 * len(title)) / 5))
        c.drawRightString(width - 72, y, str(page))
        y -= 14
    y -= 14
    for marker, item in (("•", "INTEGER values, signed or not;"), ("•", "OCTET STRING values of any length;"),
                         ("•", "SEQUENCE OF values, read in order."), ("1.", "Parse the definitions file."),
                         ("2.", "Create the structure from its name."), ("3.", "Write each value in turn.")):
        c.drawString(100, y, marker)
        c.drawString(118, y, item)
        y -= 14
    y -= 14
    for line, tag in (("asn1_node asn1_find_node (asn1_node pointer, const char *name)", "[Function]"),
                      ("const char * asn1_check_version (const char *req_version)", "[Function]")):
        c.drawString(90, y, line)
        c.drawRightString(width - 72, y, tag)
        y -= 14
        c.drawString(119, y, "Searches for an element called name starting from pointer.")
        y -= 14
    c.showPage()
    c.save()


PRODUCTS = [["Produit", "Description", "Prix"],
            ["Moulin", "Moulin à café en acier, réglage de la mouture en douze crans, livré avec sa brosse.", "89 €"],
            ["Bouilloire", "Bouilloire électrique d'un litre et demi.", "45 €"], ["Théière", "Fonte émaillée", "60 €"]]


def make_products_pdf(path: Path) -> None:
    """A table whose description cells wrap over lines in their narrow column, as a catalogue's."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    style = ParagraphStyle("cell", fontName="Vera", fontSize=10, leading=12)
    rows = [PRODUCTS[0]] + [[name, Paragraph(text, style), price] for name, text, price in PRODUCTS[1:]]
    table = Table(rows, colWidths=[80, 220, 50])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Vera", 10), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(path)).build([Paragraph("Nos produits pour le thé et le café.", style), table])


THREE_COLUMNS = [
    "The first column tells of the river Loire and its castles, built by kings who hunted in the forests of "
    "Sologne and Touraine, and of the vineyards that grow on its sandy banks from Sancerre down to Nantes.",
    "La deuxième colonne parle du Rhône, qui descend des Alpes suisses par le lac Léman, traverse Lyon où il "
    "reçoit la Saône, et gagne la Camargue et la mer Méditerranée après les vignes des Côtes du Rhône.",
    "Die dritte Spalte erzählt vom Rhein, der vom Bodensee über Basel und Straßburg nach Norden fließt, an "
    "vielen Burgen des Mittelrheins vorbeikommt und bei Rotterdam in die Nordsee mündet.",
]


def make_three_columns_pdf(path: Path, order: str) -> None:
    """A page of three columns (English, French, German), its lines drawn row by row across the
    page (`order` "rows") or a column after the other ("columns")."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    width, height = A4
    column = (width - 112 - 40) / 3
    lines = [column_lines([text], column, size=9) for text in THREE_COLUMNS]
    placed = [(i, 56 + k * (column + 20), side[i]) for i in range(max(map(len, lines)))
              for k, side in enumerate(lines) if i < len(side)]
    if order == "columns":
        placed.sort(key=lambda item: item[1])
    c = canvas.Canvas(str(path), pagesize=A4)
    text = c.beginText()
    text.setFont("Vera", 9)
    for i, x, line in placed:
        text.setTextOrigin(x, height - 80 - 11 * i)
        text.textOut(line)
    c.drawText(text)
    c.showPage()
    c.save()


TIMETABLE = [["Train", "Lyon", "Vienne", "Valence", "Montélimar", "Orange", "Avignon", "Arles"]] + [
    [f"TER {17500 + 4 * i}"] + [f"{6 + 2 * i + (12 + 17 * k) // 60:02d}:{(12 + 17 * k) % 60:02d}" for k in range(7)]
    for i in range(8)]


def make_timetable_pdf(path: Path) -> None:
    """A timetable of eight columns of times, each cell drawn apart: wide, and many cells a line."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    import formats

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", formats.font_path()))
    width, height = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.setFont("Vera", 10)
    for r, row in enumerate(TIMETABLE):
        for k, cell in enumerate(row):
            c.drawString(60 + k * 90, height - 80 - r * 18, cell)
    c.showPage()
    c.save()
