"""Writes the probe's binary documents (session 22) from the text below, as people have them: a
Marathi parents' meeting minutes in Word (Word's heading styles), a Romanian block notice as a PDF
(numbered points, one paragraph each), an IT helpdesk's known-issues spreadsheet (.xlsx, one row an
issue under a header row) and its training deck for new starters (.pptx, a title and bullets a
slide). Run once; the files are committed beside it.

    python benchmarks/data/probe22/make_files.py
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

MINUTES = [
    ("Title", "पालक-शिक्षक संघ सभा इतिवृत्त – 12 डिसेंबर 2026"),
    ("", "ठिकाण: ज्ञानदीप विद्यालय, कोथरूड. उपस्थित: मुख्याध्यापिका सौ. सुनीता कुलकर्णी, 14 शिक्षक आणि 63 पालक."),
    ("Heading 1", "1. सहल"),
    ("", "इयत्ता पाचवी ते सातवीची सहल 22 जानेवारी 2027 रोजी सिंहगड किल्ल्यावर जाईल. प्रत्येक विद्यार्थ्याचे शुल्क 450 रुपये असून ते 10 जानेवारीपर्यंत वर्गशिक्षकांकडे जमा करावे."),
    ("Heading 1", "2. शाळेची बस"),
    ("", "नव्या मार्गामुळे बसची वेळ सकाळी 7:15 ऐवजी 7:00 होईल. बसचे मासिक शुल्क 1,200 रुपयेच राहील."),
    ("Heading 1", "3. वार्षिक परीक्षा"),
    ("", "वार्षिक परीक्षा 15 मार्च 2027 पासून सुरू होईल आणि निकाल 30 एप्रिल रोजी जाहीर होईल."),
    ("Heading 1", "4. गणवेश"),
    ("", "पुढील वर्षापासून हिवाळ्यात निळा स्वेटर गणवेशाचा भाग असेल. स्वेटर शाळेच्या दुकानात 380 रुपयांना मिळेल."),
    ("Heading 1", "5. मोबाइल फोन"),
    ("", "विद्यार्थ्यांना शाळेत मोबाइल फोन आणण्यास मनाई आहे. आणलेला फोन जप्त करून पालकांनाच परत दिला जाईल."),
    ("Heading 1", "6. पुढील सभा"),
    ("", "पुढील सभा 13 मार्च 2027 रोजी सकाळी 11 वाजता शाळेच्या सभागृहात होईल."),
]

NOTICE = [
    "Asociația de Proprietari Bloc M4, Strada Observatorului 12, Cluj-Napoca",
    "Avizier – ianuarie 2027",
    "1. Cota de întreținere. Începând cu luna februarie, cota pentru fondul de reparații crește de la 15 la 20 de lei pe apartament, conform hotărârii adunării generale din 8 decembrie.",
    "2. Plata întreținerii. Întreținerea se plătește până pe data de 25 a fiecărei luni, la casieria din subsol (marți și joi, între orele 18 și 20) sau prin transfer bancar în contul RO49 BTRL 0130 1202 0000 4512. După această dată se aplică penalități de 0,2% pe zi.",
    "3. Citirea apometrelor. Indexul apometrelor se trece în tabelul de la avizier până pe 20 ale lunii. Cine nu trece indexul trei luni la rând plătește consumul mediu pe bloc.",
    "4. Curățenia scării. Firma de curățenie vine lunea și vinerea. Spălarea geamurilor de pe casa scării se face în aprilie.",
    "5. Liftul. Revizia liftului este programată pe 14 februarie, între orele 9 și 13. În acest interval liftul nu funcționează.",
    "6. Biciclete. Bicicletele nu se mai țin pe holuri. Camera de biciclete de la parter se deschide cu cheia de la administrator.",
    "7. Deratizare. Deratizarea subsolului are loc pe 3 februarie. Vă rugăm să nu lăsați animalele de companie în subsol în acea zi.",
    "8. Contact. Administrator: dl Vasile Pop, telefon 0744 512 309, e-mail administrator.m4@gmail.com.",
    "Președinte, Ioana Mureșan",
]

ISSUES = [
    ("ID", "System", "Symptom", "Workaround", "Status", "Updated"),
    ("KI-101", "Outlook", "Outlook asks for the password again and again after a password change", "Remove the saved credentials in Windows Credential Manager (entries starting with MicrosoftOffice) and restart Outlook", "Open", "2027-01-11"),
    ("KI-102", "Teams", "Camera shows a black image in Teams meetings on Dell Latitude 5440", "Update the camera driver from Software Center; until then join from the Teams web app", "Fix in testing", "2027-01-08"),
    ("KI-103", "VPN", "GlobalProtect stuck on \"Connecting\" on hotel or train Wi-Fi", "Open any web page first to accept the Wi-Fi's terms, then connect again", "Known limitation", "2026-12-15"),
    ("KI-104", "Printing", "Follow-me printing: badge not recognised at the 3rd floor printer", "Log in with your user name and PIN on the printer's screen", "Open", "2027-01-13"),
    ("KI-105", "SAP", "SAP GUI crashes when exporting a report to Excel", "Export as CSV instead, then open the file in Excel", "Fix planned 30 January", "2027-01-05"),
    ("KI-106", "OneDrive", "Files show a red cross and do not sync", "Shorten the file path to under 250 characters", "Known limitation", "2026-11-30"),
    ("KI-107", "Laptop", "Laptop battery drains overnight in sleep mode", "Use hibernate (Start > Power > Hibernate) instead of sleep", "Open", "2027-01-12"),
    ("KI-108", "Phone", "Desk phone shows \"No service\" after a power cut", "Unplug the network cable for 10 seconds and plug it back in", "Resolved", "2027-01-04"),
]

SLIDES = [
    ("IT for new starters", ["Northfield Logistics – IT Service Desk, January 2027"]),
    ("Your first day", ["Collect your laptop and badge from the IT room, 2nd floor, from 09:00",
                        "Your temporary password is in the welcome e-mail sent to your manager",
                        "Change it at first sign-in: at least 14 characters"]),
    ("Multi-factor sign-in", ["Install Microsoft Authenticator on your phone",
                              "Register it at aka.ms/mysecurityinfo",
                              "No company phone? Ask the Service Desk for a hardware token (YubiKey)"]),
    ("Saving files", ["Personal work in OneDrive, team files in SharePoint",
                      "Never keep work only on the laptop's desktop: it is not backed up",
                      "USB sticks are blocked; ask the Service Desk for an exception"]),
    ("Phishing", ["Check the sender before clicking a link",
                  "Use the Report button in Outlook for suspicious e-mails",
                  "IT will never ask for your password by e-mail or phone"]),
    ("Getting help", ["Portal: servicedesk.northfield-logistics.co.uk",
                      "Phone: extension 4400, 07:30–18:00 Monday to Friday",
                      "Out of hours, urgent problems only: 01632 960 499"]),
]


def write_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    for style, text in MINUTES:
        if style == "Title":
            document.add_heading(text, level=0)
        elif style:
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.save(path)


def write_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=11, leading=15)
    title = ParagraphStyle("title", fontName="DejaVu", fontSize=15, leading=20)
    story = []
    for i, text in enumerate(NOTICE):
        story += [Paragraph(text, title if i == 1 else body), Spacer(1, 8)]
    SimpleDocTemplate(str(path), pagesize=A4, title="Avizier – ianuarie 2027").build(story)


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Known issues"
    for row in ISSUES:
        sheet.append(list(row))
    book.save(path)


def write_pptx(path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    for i, (heading, bullets) in enumerate(SLIDES):
        slide = deck.slides.add_slide(deck.slide_layouts[0 if i == 0 else 1])
        slide.shapes.title.text = heading
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for line in bullets[1:]:
            body.add_paragraph().text = line
    deck.save(path)


def main() -> None:
    write_docx(HERE / "mr_pune" / "palak_sabha_itivrutt.docx")
    write_pdf(HERE / "ro_cluj" / "avizier_bloc_m4.pdf")
    write_xlsx(HERE / "en_helpdesk" / "known_issues.xlsx")
    write_pptx(HERE / "en_helpdesk" / "it_for_new_starters.pptx")


if __name__ == "__main__":
    main()
