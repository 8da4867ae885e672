"""Session 22's probe questions, written by hand (with the documents beside them) and split into
dev and held-out before any run.

Nine collections, one folder each. Eight are in languages no earlier probe wrote documents in:
Hindi (a housing society's water-tank notice .txt, a ration card FAQ .md), Marathi (a property tax
notice .html, a parents' meeting minutes .docx), Telugu (a power cut notice .txt, a clinic FAQ .md),
Sinhala (a student bus pass FAQ .html, a water board notice .txt), Lao (a vaccination notice .txt,
a bank account FAQ .md: no spaces between words), Myanmar (a school notice .txt, a phone shop's
top-up FAQ .md: Myanmar digits), Romanian (a block's notice board .pdf, a school's enrolment e-mail
.eml) and Kazakh in Cyrillic (a hot-water notice .txt, a university admissions FAQ .md). The ninth is
an English collection of a kind not probed before: an IT helpdesk's e-mails (.eml), its known-issues
spreadsheet (.xlsx) and its training deck for new starters (.pptx).

Questions as people type them: in the collection's language (paraphrased, colloquial, with typos,
short keywords, Hindi, Marathi, Telugu and Sinhala in Latin letters once each, Romanian without
diacritics and with the cedilla ş ţ of older keyboards, Kazakh without its own letters as typed on
a Russian keyboard and in Latin letters), in English, and in a neighbour's language (Marathi and
Urdu for Hindi, Hindi for Marathi, Tamil, Kannada and Hindi for Telugu, Tamil for Sinhala, Thai and
French for Lao, Thai and Chinese for Myanmar, Italian, French and Hungarian for Romanian, Russian
for Kazakh, German and Polish for the helpdesk); two off-topic questions a collection, three for
the helpdesk (doc None: nothing in the folder answers it). Within a collection the questions
alternate dev, held-out, dev... in the order written.

    python benchmarks/data/probe22/make_questions.py   # writes questions_dev.jsonl, questions_heldout.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from probe_harness import write_questions  # noqa: E402

# collection: (document language, [(question language, question, doc stem, gold text in the
# passage, answer text in the highlighted sentence)]); doc None: off-topic
QUESTIONS = {
    "hi_jaipur": ("hi", [
        ("hi", "टंकी की सफाई कब होगी", "pani_tanki_safai_suchna", "18 जनवरी 2027", "18 जनवरी 2027"),
        ("hi", "पीने का पानी कहां मिलेगा", "pani_tanki_safai_suchna", "टैंकर सुबह 8 बजे से", "क्लब हाउस"),
        ("hi", "pani nahi aaya to kisko phone kare", "pani_tanki_safai_suchna", "98290 11223", "98290 11223"),
        ("hi", "राशन कार्ड बनवाने में कितना पैसा लगता है", "rashan_card_prashn", "आवेदन शुल्क 50 रुपये", "50 रुपये"),
        ("hi", "राशन कार्ड के लिए कौनसे कागज चाहिए", "rashan_card_prashn", "आधार कार्ड", "आधार कार्ड"),
        ("hi", "रशन कार्ड खो गया", "rashan_card_prashn", "डुप्लीकेट", "25 रुपये"),
        ("hi", "गेहु कितना मिलता है", "rashan_card_prashn", "5 किलो गेहूं", "5 किलो"),
        ("en", "when is the e-mitra centre open", "rashan_card_prashn", "सोमवार से शनिवार", "सुबह 10 बजे"),
        ("en", "who pays for the tank cleaning", "pani_tanki_safai_suchna", "22,000 रुपये", "रखरखाव कोष"),
        ("en", "how to add a baby's name to the ration card", "rashan_card_prashn", "जन्म प्रमाण पत्र", "जन्म प्रमाण पत्र"),
        ("mr", "टाकी साफ केल्यानंतर पाणी गढूळ आले तर काय करावे", "pani_tanki_safai_suchna", "मटमैला", "दो से तीन मिनट"),
        ("ur", "راشن کارڈ کتنے دن میں ملتا ہے", "rashan_card_prashn", "30 दिन", "30 दिन"),
        ("en", "is the lift working on the cleaning day", "pani_tanki_safai_suchna", "सर्विस लिफ्ट", "सामान्य रूप से चलेगी"),
        ("hi", "कल जयपुर में मौसम कैसा रहेगा", None, "", ""),
        ("en", "train tickets Jaipur to Delhi", None, "", ""),
    ]),
    "mr_pune": ("mr", [
        ("mr", "मालमत्ता कर कधीपर्यंत भरायचा", "malmatta_kar_suchna", "31 मे 2027 पर्यंत", "10 टक्के"),
        ("mr", "ऑनलाइन कर भरल्यास किती सूट", "malmatta_kar_suchna", "अतिरिक्त 5 टक्के", "5 टक्के"),
        ("mr", "सहल कुठे जाणार आहे", "palak_sabha_itivrutt", "सिंहगड", "सिंहगड"),
        ("mr", "बस किती वाजता येणार", "palak_sabha_itivrutt", "7:00", "7:00"),
        ("mr", "malmatta kar nav badal", "malmatta_kar_suchna", "खरेदीखत", "खरेदीखत"),
        ("mr", "परिक्षा कधी सुरु होणार", "palak_sabha_itivrutt", "15 मार्च 2027", "15 मार्च 2027"),
        ("mr", "स्वेटरची किंमत", "palak_sabha_itivrutt", "निळा स्वेटर", "380"),
        ("en", "penalty for paying property tax late", "malmatta_kar_suchna", "2 टक्के दंड", "2 टक्के"),
        ("en", "can kids bring phones to school", "palak_sabha_itivrutt", "मोबाइल फोन आणण्यास", "मनाई"),
        ("en", "how many parents came to the meeting", "palak_sabha_itivrutt", "63 पालक", "63"),
        ("hi", "वरिष्ठ नागरिकों को कर में कितनी छूट मिलती है", "malmatta_kar_suchna", "ज्येष्ठ नागरिक", "5 टक्के"),
        ("hi", "संपत्ति कर कार्यालय का फोन नंबर", "malmatta_kar_suchna", "020 2538 4400", "020 2538 4400"),
        ("en", "school trip fee", "palak_sabha_itivrutt", "450 रुपये", "450"),
        ("mr", "पुण्यात आज पाऊस पडेल का", None, "", ""),
        ("en", "how to open a demat account", None, "", ""),
    ]),
    "te_hyderabad": ("te", [
        ("te", "కరెంట్ ఎప్పుడు పోతుంది", "vidyut_antarayam", "ఉదయం 10 గంటల నుండి", "9 ఫిబ్రవరి 2027"),
        ("te", "ఏ ఏరియాల్లో కరెంట్ ఉండదు", "vidyut_antarayam", "ప్రభావిత ప్రాంతాలు", "వివేకానంద నగర్"),
        ("te", "డాక్టర్ ఫీజు ఎంత", "clinic_prashnalu", "300 రూపాయలు", "300 రూపాయలు"),
        ("te", "aarogyasri card chellutunda", "clinic_prashnalu", "ఆరోగ్యశ్రీ", "చెల్లదు"),
        ("te", "కరంటు తీగ తెగిపోతే ఏ నంబరుకు ఫోన్ చేయాలి", "vidyut_antarayam", "1912", "1912"),
        ("te", "షుగర్ టెస్ట్ కి ఉపవాసం", "clinic_prashnalu", "ఉపవాసం", "10 గంటలు"),
        ("te", "బిల్లు కట్టడానికి చివరి తేదీ", "vidyut_antarayam", "15 ఫిబ్రవరి", "15 ఫిబ్రవరి"),
        ("en", "clinic timings on Sunday", "clinic_prashnalu", "ఆదివారం సెలవు", "ఆదివారం సెలవు"),
        ("en", "which day are vaccines for children", "clinic_prashnalu", "బుధవారం", "బుధవారం"),
        ("en", "why is the power being cut", "vidyut_antarayam", "ట్రాన్స్‌ఫార్మర్", "ట్రాన్స్‌ఫార్మర్"),
        ("ta", "மருத்துவரை பார்க்க எப்படி முன்பதிவு செய்வது", "clinic_prashnalu", "040 2315 6789", "040 2315 6789"),
        ("kn", "ಆಸ್ಪತ್ರೆಗಳಿಗೆ ವಿದ್ಯುತ್ ಇರುತ್ತದೆಯೇ", "vidyut_antarayam", "ఆసుపత్రులు", "ప్రత్యేక లైన్"),
        ("hi", "रात को इमरजेंसी में क्या करें", "clinic_prashnalu", "108", "108"),
        ("te", "హైదరాబాద్ బిర్యానీ ఎక్కడ బాగుంటుంది", None, "", ""),
        ("en", "cricket score today", None, "", ""),
    ]),
    "si_kandy": ("si", [
        ("si", "සීසන් ටිකට් එකක් කීයද", "bus_pass_prashna", "රුපියල් 600", "600"),
        ("si", "ටිකට් එක නැති උනොත් මොකද කරන්නේ", "bus_pass_prashna", "පොලිස් පැමිණිල්ලක", "150"),
        ("si", "වතුර බිල ගෙව්වේ නැත්නම්", "jala_bila_danvima", "දින 30ක් ඇතුළත", "විසන්ධි"),
        ("si", "wathura nathi dawas", "jala_bila_danvima", "පැය 12ක්", "මාර්තු 5 සහ 6"),
        ("si", "ඩිපෝව ඉරිදා විවෘතද", "bus_pass_prashna", "සෙනසුරාදා සහ ඉරිදා", "වසා ඇත"),
        ("si", "ජල මීටරය කැඩිලා", "jala_bila_danvima", "1939", "1939"),
        ("en", "new water price per unit", "jala_bila_danvima", "රුපියල් 72", "72"),
        ("en", "how to apply for a student season ticket", "bus_pass_prashna", "විදුහල්පතිගේ", "කවුළු අංක 2"),
        ("en", "where is the water board service centre", "jala_bila_danvima", "දළදා වීදිය", "දළදා වීදිය"),
        ("ta", "பள்ளி விடுமுறையில் சீசன் டிக்கெட் செல்லுமா", "bus_pass_prashna", "නිවාඩු කාලයේදී", "වලංගු නොවේ"),
        ("ta", "தண்ணீர் பவுசர் கேட்கலாமா", "jala_bila_danvima", "බවුසරයක්", "බවුසරයක්"),
        ("en", "age limit for student bus pass", "bus_pass_prashna", "අවුරුදු 19ට", "19"),
        ("en", "pay water bill online", "jala_bila_danvima", "ඔන්ලයින්", "බැංකු යෙදුමක්"),
        ("si", "කොළඹ සිට ගාල්ලට දුම්රිය වේලාව", None, "", ""),
        ("en", "best tea estates to visit", None, "", ""),
    ]),
    "lo_vientiane": ("lo", [
        ("lo", "ສັກວັກຊີນເສຍເງິນບໍ່", "khaow_khlinik", "ບໍ່ເສຍຄ່າ", "ບໍ່ເສຍຄ່າ"),
        ("lo", "ໂຮງໝໍເປີດວັນເສົາບໍ່", "khaow_khlinik", "ວັນເສົາ ແລະ ວັນອາທິດ ປິດ", "ປິດ"),
        ("lo", "ເປີດບັນຊີໃຊ້ເອກະສານຫຍັງ", "banshi_thanakhan", "ໜັງສືຜ່ານແດນ", "ສຳມະໂນຄົວ"),
        ("lo", "ດອກເບ້ຍ", "banshi_thanakhan", "3 ເປີເຊັນ", "3 ເປີເຊັນ"),
        ("lo", "ບັດ ATM ຫາຍ", "banshi_thanakhan", "ອາຍັດບັດ", "1555"),
        ("lo", "ລືມລະຫັດ", "banshi_thanakhan", "ຕັ້ງລະຫັດໃໝ່", "ມາສາຂາ"),
        ("en", "who gets the flu vaccine first", "khaow_khlinik", "60 ປີ", "ແມ່ຍິງຖືພາ"),
        ("en", "ATM card yearly fee", "banshi_thanakhan", "30.000 ກີບ", "30.000 ກີບ"),
        ("en", "can I send money to Thailand", "banshi_thanakhan", "ໂອນເງິນໄປໄທ", "25.000 ກີບ"),
        ("th", "ฉีดวัคซีนแล้วต้องรอนานเท่าไร", "khaow_khlinik", "30 ນາທີ", "30 ນາທີ"),
        ("th", "เปิดบัญชีต้องฝากขั้นต่ำเท่าไร", "banshi_thanakhan", "50.000 ກີບ", "50.000 ກີບ"),
        ("en", "what to do if high fever after the shot", "khaow_khlinik", "1195", "1195"),
        ("fr", "quels papiers apporter pour le vaccin", "khaow_khlinik", "ບັດປະກັນສຸຂະພາບ", "ບັດປະກັນສຸຂະພາບ"),
        ("lo", "ລົດໄຟລາວຈີນ ໄປຫຼວງພະບາງ ລາຄາເທົ່າໃດ", None, "", ""),
        ("en", "visa on arrival Laos fee", None, "", ""),
    ]),
    "my_yangon": ("my", [
        ("my", "ဆုပေးပွဲ ဘယ်နေ့လဲ", "kyaung_kyaw_nyar", "ဇန်နဝါရီလ ၂၀ ရက်နေ့", "၂၀ ရက်"),
        ("my", "ကျောင်းလခ ဘယ်လောက်လဲ", "kyaung_kyaw_nyar", "ကျပ် ၃၅,၀၀၀", "၃၅,၀၀၀"),
        ("my", "လက်ကျန်ငွေ စစ်နည်း", "phone_topup_faq", "124", "124"),
        ("my", "ဆင်းကတ်ပျောက်", "phone_topup_faq", "မှတ်ပုံတင်ကတ်ပြား", "၁,၀၀၀"),
        ("my", "ကားဘယ်မှာရပ်ရမလဲ", "kyaung_kyaw_nyar", "ကားရပ်နားရန်", "ဗဟန်းလမ်းဘေး"),
        ("my", "ဒေတာ 5GB ဈေး", "phone_topup_faq", "၅ GB ဒေတာ", "၅,၉၀၀"),
        ("my", "ဒုတိယစာမေးပွဲ ဘယ်တော့စမလဲ", "kyaung_kyaw_nyar", "ဖေဖော်ဝါရီလ ၁၀", "ဖေဖော်ဝါရီလ ၁၀"),
        ("en", "how many guest tickets per parent", "kyaung_kyaw_nyar", "ဧည့်သည်လက်မှတ်", "နှစ်စောင်"),
        ("en", "top up credit not received", "phone_topup_faq", "ငွေမဝင်ရင်", "106"),
        ("en", "school bus contact number", "kyaung_kyaw_nyar", "ဦးအောင်ကျော်", "၀၉ ၄၅၀ ၁၂၃ ၄၅၆"),
        ("th", "ร้านเปิดกี่โมง", "phone_topup_faq", "နံနက် ၉ နာရီမှ ညနေ ၇ နာရီ", "ညနေ ၇ နာရီ"),
        ("zh", "颁奖典礼几点开始", "kyaung_kyaw_nyar", "နံနက် ၉ နာရီမှ စတင်", "နံနက် ၉ နာရီ"),
        ("en", "what time should prize winners arrive", "kyaung_kyaw_nyar", "၈ နာရီခွဲ", "၈ နာရီခွဲ"),
        ("my", "မန္တလေး ရာသီဥတု", None, "", ""),
        ("en", "Yangon to Bagan flight price", None, "", ""),
    ]),
    "ro_cluj": ("ro", [
        ("ro", "pana cand se plateste intretinerea", "avizier_bloc_m4", "până pe data de 25", "25"),
        ("ro", "cât costă after school", "inscriere_clasa_pregatitoare", "650 de lei", "650 de lei"),
        ("ro", "când e revizia liftului", "avizier_bloc_m4", "Revizia liftului", "14 februarie"),
        ("ro", "ce acte trebuie pentru înscriere la şcoală", "inscriere_clasa_pregatitoare", "certificatul de naștere", "certificatul de naștere"),
        ("ro", "unde tin bicicleta", "avizier_bloc_m4", "Camera de biciclete", "cheia de la administrator"),
        ("ro", "vârsta pentru clasa pregătitoare", "inscriere_clasa_pregatitoare", "6 ani", "31 august 2027"),
        ("ro", "cand e şedinţa cu părinţii", "inscriere_clasa_pregatitoare", "Ședința de informare", "4 martie"),
        ("en", "how much is the repair fund now", "avizier_bloc_m4", "fondul de reparații", "20 de lei"),
        ("en", "when is enrolment for the preparatory class", "inscriere_clasa_pregatitoare", "15 martie", "4 aprilie 2027"),
        ("en", "administrator phone number", "avizier_bloc_m4", "0744 512 309", "0744 512 309"),
        ("it", "quando passa la ditta delle pulizie", "avizier_bloc_m4", "Firma de curățenie", "lunea și vinerea"),
        ("fr", "combien d'élèves par classe", "inscriere_clasa_pregatitoare", "22 de elevi", "22 de elevi"),
        ("hu", "mikor lesz patkányirtás a pincében", "avizier_bloc_m4", "Deratizarea subsolului", "3 februarie"),
        ("ro", "apometre", "avizier_bloc_m4", "Indexul apometrelor", "20 ale lunii"),
        ("ro", "mersul trenurilor Cluj București", None, "", ""),
        ("en", "best ski resorts in Romania", None, "", ""),
    ]),
    "kk_almaty": ("kk", [
        ("kk", "ыстық су қашан болмайды", "jylu_habarlandyru", "3 маусымнан 17 маусымға дейін", "17 маусым"),
        ("kk", "грантка канша балл керек", "univer_qabyldau", "кемінде 75 балл", "65 балл"),
        ("kk", "жатақхана ақысы", "univer_qabyldau", "15 000 теңге", "15 000 теңге"),
        ("kk", "кужаттар тизими", "univer_qabyldau", "Жеке куәлік", "ҰБТ сертификаты"),
        ("kk", "су лай болса не істеу керек", "jylu_habarlandyru", "су лай болуы мүмкін", "3–5 минут"),
        ("kk", "окы акысы канша", "univer_qabyldau", "1 200 000 теңге", "1 200 000"),
        ("kk", "қайта есептеуге өтініш жазу керек пе", "jylu_habarlandyru", "Қайта есептеу", "бөлек өтініш"),
        ("kk", "ystyq su qashan beriledi", "jylu_habarlandyru", "17 маусымға", "17 маусым"),
        ("ru", "когда отключат горячую воду в Бостандыкском районе", "jylu_habarlandyru", "3 маусымнан", "3 маусымнан"),
        ("ru", "сколько стоит общежитие", "univer_qabyldau", "15 000 теңге", "15 000 теңге"),
        ("ru", "куда звонить если прорвало трубу", "jylu_habarlandyru", "109", "109"),
        ("en", "when does the admissions office accept documents", "univer_qabyldau", "20 маусымнан 25 тамызға дейін", "25 тамыз"),
        ("en", "can I study in English", "univer_qabyldau", "ағылшын тілдерінде", "ағылшын"),
        ("en", "admissions office address", "univer_qabyldau", "Абай даңғылы 48", "105-кабинет"),
        ("kk", "Алматыдан Астанаға пойыз билеті", None, "", ""),
        ("en", "how to get a Kazakhstan tourist visa", None, "", ""),
    ]),
    "en_helpdesk": ("en", [
        ("en", "vpn down saturday", "vpn_maintenance_new_sign_in", "unavailable on Saturday 23 January", "06:00 to 10:00"),
        ("en", "outlook keeps asking for password", "known_issues", "Outlook asks for the password again", "Credential Manager"),
        ("en", "teams camera black", "known_issues", "Camera shows a black image", "Software Center"),
        ("en", "how long before a password expires", "ticket_INC-20417_locked_out", "expire every 180 days", "180 days"),
        ("en", "acount locked out", "ticket_INC-20417_locked_out", "After ten failed attempts", "30 minutes"),
        ("en", "label printer printing blank", "ticket_INC-20417_locked_out", "Zebra driver", "100 x 150 mm"),
        ("en", "can I use a USB stick", "it_for_new_starters", "USB sticks are blocked", "exception"),
        ("en", "where do I pick up my laptop on day one", "it_for_new_starters", "Collect your laptop", "IT room"),
        ("en", "sms codes still work after february?", "vpn_maintenance_new_sign_in", "Text-message codes", "no longer be accepted"),
        ("en", "onedrive red cross", "known_issues", "red cross", "250 characters"),
        ("en", "sap export excel crash", "known_issues", "SAP GUI crashes", "CSV"),
        ("en", "got a new phone what about authenticator", "vpn_maintenance_new_sign_in", "new phone", "both phones"),
        ("en", "out of hours IT number", "it_for_new_starters", "Out of hours", "01632 960 499"),
        ("en", "hotel wifi vpn not connecting", "known_issues", "hotel or train Wi-Fi", "accept the Wi-Fi's terms"),
        ("en", "laptop battery dead in the morning", "known_issues", "battery drains overnight", "hibernate"),
        ("de", "wann ist die VPN-Wartung", "vpn_maintenance_new_sign_in", "unavailable on Saturday 23 January", "06:00 to 10:00"),
        ("pl", "drukarka nie rozpoznaje karty", "known_issues", "badge not recognised", "PIN"),
        ("en", "password minimum length", "ticket_INC-20417_locked_out", "at least 14 characters", "14 characters"),
        ("en", "how do I book annual leave", None, "", ""),
        ("en", "canteen menu this week", None, "", ""),
        ("en", "parking permit for the staff car park", None, "", ""),
    ]),
}


def main() -> None:
    write_questions(QUESTIONS, HERE)

if __name__ == "__main__":
    main()
