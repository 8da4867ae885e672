"""A PDF line ending with its script's own full stop ends a sentence (session 22): page_text's
rule for "does this line end a paragraph" knew only . ! ? and the CJK stops, so a short line
closing an Armenian paragraph with ։ ran on into the next paragraph, and two paragraphs were one
passage. Now it takes `qa.script_stops.SENTENCE_STOPS`."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.readers import read_document
from qa.readers.page_text import cut_sentence, with_paragraphs

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # the machine's font that draws Armenian

# A block of flats' notice, hand-written: three paragraphs typed without space between them, each
# closing with a line between 0.6 and 0.85 of a full one (short of full, too long for a heading).
HEADING = "Հայտարարություն"
PARAGRAPHS = [["Հարգելի բնակիչներ, հինգշաբթի օրը՝ մարտի 14-ին, ժամը 10:00-ից մինչև",
               "16:00 մեր շենքում խմելու ջուր չի լինի, քանի որ փոխարինվում է նկուղի",
               "հին խողովակը։ Խնդրում ենք նախօրոք ջուր պահել։"],
              ["Վերելակը այդ օրը կաշխատի սովորական ռեժիմով, իսկ ավտոկայանատեղին",
               "կփակվի առավոտյան ժամը 9-ից մինչև կեսօր, որպեսզի վարպետների մեքենան",
               "կարողանա մոտենալ մուտքին։ Շնորհակալություն։"],
              ["Ամսական վճարը պետք է մուծել մինչև ամսի 25-ը՝ բանկային փոխանցումով",
               "կամ կանխիկ՝ համատիրության գրասենյակում, երկուշաբթիից ուրբաթ, ժամը",
               "18:00-ից 20:00-ը։ Ուշացման դեպքում տույժ կհաշվարկվի։"]]


def make_notice(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("DejaVuSans", 10)
    y = A4[1] - 60
    for line in [HEADING] + [line for paragraph in PARAGRAPHS for line in paragraph]:
        page.drawString(50, y, line)
        y -= 14  # one line spacing throughout: only the lines' ends tell the paragraphs apart
    page.save()


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans (the font that draws Armenian here) is not installed")
def test_armenian_pdf_paragraphs_end_at_their_full_stop(tmp_path):
    make_notice(tmp_path / "notice.pdf")
    doc = read_document(tmp_path / "notice.pdf", "notice.pdf")
    blocks = [" ".join(doc.text[b.start:b.end].split()) for b in doc.blocks]
    assert blocks == [HEADING] + [" ".join(paragraph) for paragraph in PARAGRAPHS]


# Hand-written lines (not extracted from a PDF: no font on this machine draws these scripts) in
# Hindi (।), Urdu (۔), Amharic (።), Myanmar (။) and Khmer (។): a full line, then a paragraph's last
# line three quarters as long, then the next paragraph's first line.
LINES = {
    "hi": ["सोसाइटी की पानी की टंकी की सफाई सोमवार को सुबह नौ बजे से दोपहर एक बजे तक होगी",
           "इस दौरान नलों में पानी नहीं आएगा, कृपया पहले से पानी भर लें।",
           "लिफ्ट का रखरखाव मंगलवार को होगा और उस दिन सीढ़ियों का इस्तेमाल करें"],
    "ur": ["سوسائٹی کی پانی کی ٹینکی کی صفائی پیر کو صبح نو بجے سے دوپہر ایک بجے تک ہو گی",
           "اس دوران نلکوں میں پانی نہیں آئے گا، پہلے سے پانی بھر لیں۔",
           "لفٹ کی مرمت منگل کو ہو گی اور اس دن سیڑھیاں استعمال کریں"],
    "am": ["የሕንጻው የውሃ ማጠራቀሚያ ሰኞ ከጠዋቱ ሦስት ሰዓት እስከ ቀኑ ሰባት ሰዓት ድረስ ይጸዳል",
           "በዚህ ጊዜ ቧንቧዎቹ ውሃ አይኖራቸውም፤ አስቀድመው ውሃ ያጠራቅሙ።",
           "የአሳንሰሩ ጥገና ማክሰኞ ይካሄዳል፤ በዚያ ቀን ደረጃውን ይጠቀሙ"],
    "my": ["တိုက်ခန်း၏ ရေစင်ကို တနင်္လာနေ့ မနက် ကိုးနာရီမှ နေ့လယ် တစ်နာရီအထိ ဆေးကြောပါမည်",
           "ထိုအချိန်တွင် ပိုက်များမှ ရေမလာပါ၊ ကြိုတင်၍ ရေဖြည့်ထားပါ။",
           "ဓာတ်လှေကားကို အင်္ဂါနေ့တွင် ပြုပြင်မည်ဖြစ်၍ လှေကားကို အသုံးပြုပါ"],
    "km": ["ធុងទឹករបស់អគារនឹងត្រូវលាងសម្អាតនៅថ្ងៃចន្ទ ពីម៉ោងប្រាំបួនព្រឹកដល់ម៉ោងមួយរសៀល",
           "ក្នុងអំឡុងពេលនោះ គ្មានទឹកទេ សូមត្រៀមទឹកទុកជាមុន។",
           "ជណ្តើរយន្តនឹងត្រូវជួសជុលនៅថ្ងៃអង្គារ សូមប្រើជណ្តើរ"],
}


@pytest.mark.parametrize("lang", sorted(LINES))
def test_a_short_line_ending_with_its_scripts_full_stop_ends_the_paragraph(lang):
    first, last, after = LINES[lang]
    full = len(first)
    assert 0.6 * full <= len(last) < 0.85 * full  # neither a full line nor a heading's short one
    page = "\n".join([first, last, after])
    assert with_paragraphs([page], full)[0].split("\n\n") == [f"{first}\n{last}", after]
    # a page ending with that line and the next page are not one sentence cut in two
    assert not cut_sentence(last, after[0])


# (mutants23) a short line ending with ':' or ';' (a list follows) or closing a quote ends its
# paragraph too, on purpose (`page_text._SENTENCE_END`): the lines above end with full stops only
@pytest.mark.parametrize("end", [":", ";", "”", ")"])
def test_a_short_line_ending_with_a_colon_or_a_closing_mark_ends_the_paragraph(end):
    first = "The residents' meeting on Monday agreed the following changes to the rules of the building"
    last = "and the caretaker will post them in the entrance hall" + end
    after = "Bicycles are kept in the basement room and not in the corridors of any floor"
    full = len(first)
    assert 0.6 * full <= len(last) < 0.85 * full
    assert with_paragraphs(["\n".join([first, last, after])], full)[0].split("\n\n") == [f"{first}\n{last}", after]
    assert not cut_sentence(last, after[0])
