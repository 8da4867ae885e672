"""Session 20's probe questions, written by hand (with the documents beside them) and split into
dev and held-out before any run.

Seven collections, one folder each, in languages no earlier probe wrote documents in (Danish,
Latvian, Serbian in Cyrillic, Galician, Azerbaijani, Nepali, and Chinese in traditional characters
as Taiwan writes it), each of two documents of a kind people keep: a housing co-op's general
assembly minutes and its laundry/waste FAQ; a robot vacuum's manual and warranty terms; a news
piece on a bridge closure and a parking notice; a sports centre's legal/privacy notice and its
registration FAQ; a bank card FAQ and a gas-cut notice; a property tax notice and a news piece on
an eye camp; a bike-share FAQ and a typhoon news piece.

Questions as people type them: in the collection's language (paraphrased, some without marks,
some with typos, Serbian in Latin letters, Nepali in Latin letters, Chinese in simplified
characters), in English, and in a third language near the collection's (German for Danish,
Russian for Latvian and Serbian, Spanish/Portuguese for Galician, Turkish/Russian for
Azerbaijani, Hindi for Nepali, Japanese for Chinese); two off-topic questions per collection
(doc None: nothing in the folder answers it). Within a collection the questions alternate
dev, held-out, dev... in the order written.

    python benchmarks/data/probe20/make_questions.py   # writes questions_dev.jsonl, questions_heldout.jsonl
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from probe_harness import write_questions  # noqa: E402

# collection: (document language, [(question language, question, doc stem, gold text in the
# passage, answer text in the highlighted sentence)])
QUESTIONS = {
    "da_andelsforening": ("da", [
        ("da", "hvor meget stiger huslejen", "referat_generalforsamling_2026", "stiger boligafgiften med 4 procent", "4 procent"),
        ("da", "Hvem kom ny ind i bestyrelsen?", "referat_generalforsamling_2026", "Nyvalgt blev Camilla Friis", "Camilla Friis"),
        ("da", "må man holde hund i foreningen", "referat_generalforsamling_2026", "tillade hunde", "forkastet"),
        ("da", "hvad koster en vaskk", "vaskeri_og_affald", "En vask koster 12 kr.", "12 kr."),
        ("da", "jeg har tabt mit vaskekort", "vaskeri_og_affald", "Har du mistet dit vaskekort", "50 kr."),
        ("da", "hvor kan jeg smide gammel maling ud", "vaskeri_og_affald", "Maling, batterier og kemikalier", "genbrugsstationen"),
        ("da", "kommer der opladning til elbiler", "referat_generalforsamling_2026", "ladestandere til elbiler", "ladestandere"),
        ("en", "latest time to start a washing machine", "vaskeri_og_affald", "Vaskeriet er åbent alle dage", "efter kl. 21"),
        ("en", "why were the new windows delayed", "referat_generalforsamling_2026", "udskiftningen af vinduer", "manglede glas"),
        ("en", "how big was the surplus last year", "referat_generalforsamling_2026", "overskud på 212.000 kr.", "212.000"),
        ("de", "Wie viel kostet der Trockner?", "vaskeri_og_affald", "tørretumbler 6 kr.", "6 kr."),
        ("de", "Wo stelle ich Sperrmüll hin?", "vaskeri_og_affald", "Storskrald stilles i storskraldsrummet", "port B"),
        ("en", "who do I call when a washer is broken", "vaskeri_og_affald", "31 22 45 67", "31 22 45 67"),
        ("da", "hvornår kører bussen til lufthavnen", None, None, None),
        ("en", "how do I renew my passport", None, None, None),
    ]),
    "lv_robots": ("lv", [
        ("lv", "cik ilgi jālādē pirmo reizi", "tiritajs_r5_instrukcija", "vismaz 5 stundas", "5 stundas"),
        ("lv", "cik ilgi strada akumulators", "tiritajs_r5_instrukcija", "līdz 120 minūtēm", "120 minūtēm"),
        ("lv", "cik bieži jāmaina filtrs", "tiritajs_r5_instrukcija", "nomainīt ik pēc trim mēnešiem", "trim mēnešiem"),
        ("lv", "ko nozīmē sarkanā gaisma", "tiritajs_r5_instrukcija", "Sarkana mirgojoša gaisma", "iestrēdzis"),
        ("lv", "vai ar robotu var mazgāt paklāju", "tiritajs_r5_instrukcija", "neizmantojiet uz paklājiem", "paklājiem"),
        ("lv", "kāda garantija ir baterijai", "garantija", "Akumulatoram garantija ir 12 mēneši", "12 mēneši"),
        ("lv", "vai var atdot atpakal internetā pirktu preci", "garantija", "14 dienu laikā var atgriezt", "14 dienu"),
        ("en", "robot vacuum won't charge", "tiritajs_r5_instrukcija", "Ja robots neuzlādējas", "uzlādes kontakti"),
        ("en", "how long does a warrenty repair take", "garantija", "līdz 14 darba dienām", "14 darba dienām"),
        ("en", "can I set a cleaning schedule", "tiritajs_r5_instrukcija", "iestatīt uzkopšanas grafiku", "grafiku"),
        ("ru", "как включить робот-пылесос", "tiritajs_r5_instrukcija", "turiet nospiestu barošanas pogu", "3 sekundes"),
        ("ru", "номер телефона поддержки", "garantija", "67 123 456", "67 123 456"),
        ("en", "where can I buy new brushes", "tiritajs_r5_instrukcija", "rezerves sukas", "interneta veikalā"),
        ("lv", "kur var nopirkt biļetes uz koncertu", None, None, None),
        ("en", "how do I change a car tyre", None, None, None),
    ]),
    "sr_novisad": ("sr", [
        ("sr", "када се затвара стари мост", "vesti_stari_most", "од 15. марта до краја августа", "15. марта"),
        ("sr", "koliko kosta sat parkiranja", "obavestenje_parking", "Цена једног сата паркирања", "80 динара"),
        ("sr", "Којим путем иде аутобус 4 док траје реконструкција?", "vesti_stari_most", "линије 4 и 11", "Моста слободе"),
        ("sr", "да ли се плаћа паркинг недељом", "obavestenje_parking", "Недељом и у дане државних празника", "бесплатно"),
        ("sr", "колика је казна ако не платим паркинг", "obavestenje_parking", "доплатна карта од 2.400 динара", "2.400"),
        ("sr", "колико кошта поправка моста", "vesti_stari_most", "310 милиона динара", "310 милиона"),
        ("sr", "pešački prelaz preko reke dok se radi most", "vesti_stari_most", "понтонски прелаз", "понтонски"),
        ("en", "how do I pay for parking by text message", "obavestenje_parking", "СМС поруком на број 9211", "9211"),
        ("en", "resident parkng permit price", "obavestenje_parking", "повлашћену паркинг карту", "500 динара"),
        ("en", "will they work on the bridge at night", "vesti_stari_most", "неће изводити ноћу", "ноћу"),
        ("ru", "сколько стоит час парковки", "obavestenje_parking", "Цена једног сата паркирања", "80 динара"),
        ("ru", "до скольки работает понтонный переход", "vesti_stari_most", "понтонски прелаз", "од 5 до 23 часа"),
        ("sr", "da li invalidi placaju parking", "obavestenje_parking", "особа са инвалидитетом", "бесплатно"),
        ("sr", "колико кошта карта за воз до Београда", None, None, None),
        ("en", "best pizza in Novi Sad", None, None, None),
    ]),
    "gl_deportes": ("gl", [
        ("gl", "canto paga un xubilado", "preguntas_inscricions", "os maiores de 65", "14 euros"),
        ("gl", "cando podo apuntarme se son novo", "preguntas_inscricions", "a partir do 8 de setembro", "8 de setembro"),
        ("gl", "pódese pagar en metálico?", "preguntas_inscricions", "cóbranse por domiciliación bancaria", "domiciliación"),
        ("gl", "canto tempo gardan as gravacións das cámaras", "aviso_legal_privacidade", "videovixilancia", "30 días"),
        ("gl", "como borro os meus datos", "aviso_legal_privacidade", "supresión e oposición", "protecciondatos@concellodelugo.gal"),
        ("es", "¿hace falta gorro en la piscina?", "preguntas_inscricions", "É obrigatorio usar gorro", "gorro"),
        ("es", "cómo me doy de baja del polideportivo", "preguntas_inscricions", "A baixa debe comunicarse por escrito", "antes do día 25"),
        ("es", "¿dónde puedo reclamar si no respetan mis datos?", "aviso_legal_privacidade", "Axencia Española de Protección de Datos", "Axencia"),
        ("en", "is there free parking at the sports centre", "preguntas_inscricions", "aparcadoiro gratuíto", "120 prazas"),
        ("en", "how long do you keep my personal data", "aviso_legal_privacidade", "durante cinco anos", "cinco anos"),
        ("pt", "quem é o responsável pelos dados pessoais", "aviso_legal_privacidade", "O responsable do tratamento", "Concello de Lugo"),
        ("gl", "cota mesual adultos", "preguntas_inscricions", "A cota mensual para adultos", "28 euros"),
        ("gl", "os nenos poden ir sós á piscina", "preguntas_inscricions", "menores de 10 anos", "acompañados"),
        ("gl", "a que hora sae o autobús para Santiago", None, None, None),
        ("en", "opening hours of the cathedral", None, None, None),
    ]),
    "az_bank_qaz": ("az", [
        ("az", "kart neçə günə hazır olur", "kart_suallar", "3 iş günü ərzində", "3 iş günü"),
        ("az", "kartim itib ne edim", "kart_suallar", "Dərhal mobil tətbiqdə kartı bloklayın", "145"),
        ("az", "xaricdə pul çıxarmaq üçün komissiya", "kart_suallar", "1,5 faiz komissiya", "1,5 faiz"),
        ("az", "qaz nə vaxt kəsiləcək", "qaz_bildiris", "20 may 2026", "20 may"),
        ("az", "qaz iyi gəlir hara zəng edim", "qaz_bildiris", "Qaz qoxusu hiss etsəniz", "104"),
        ("az", "saygac qoymaq pulludur?", "qaz_bildiris", "Sayğacın quraşdırılması", "pulsuz"),
        ("tr", "kartın yıllık ücreti ne kadar", "kart_suallar", "illik xidmət haqqı 5 manatdır", "5 manat"),
        ("tr", "PIN kodumu unuttum", "kart_suallar", "Yeni PIN kodu mobil tətbiqdə", "Kartlarım"),
        ("ru", "лимит снятия наличных в банкомате", "kart_suallar", "gündəlik nağd pul çıxarma limiti", "2000 manat"),
        ("ru", "как оплатить газ", "qaz_bildiris", "Qaz haqqını", "poçt şöbələri"),
        ("en", "gas outage which streets", "qaz_bildiris", "Füzuli və Səməd Vurğun", "Füzuli"),
        ("en", "how much is a replacement card", "kart_suallar", "Yeni kart 10 manata", "10 manat"),
        ("az", "maaş kartı üçün pul tutulur?", "kart_suallar", "Maaş kartları pulsuzdur", "pulsuz"),
        ("az", "Bakıda ən yaxşı restoran hansıdır", None, None, None),
        ("en", "flight tickets Baku to Istanbul price", None, None, None),
    ]),
    "ne_kathmandu": ("ne", [
        ("ne", "सम्पत्ति कर कहिलेसम्म तिर्नुपर्छ", "sampati_kar_suchana", "पुस मसान्तभित्र बुझाउन", "पुस मसान्तभित्र"),
        ("ne", "ढिला कर तिरे कति जरिवाना लाग्छ", "sampati_kar_suchana", "१५ प्रतिशत जरिवाना", "१५ प्रतिशत"),
        ("ne", "kar online kasari tirne", "sampati_kar_suchana", "अनलाइन बुझाउन सकिन्छ", "खल्ती"),
        ("ne", "कर तिर्न के के कागज चाहिन्छ", "sampati_kar_suchana", "जग्गाधनी प्रमाण पुर्जाको प्रतिलिपि", "नागरिकताको"),
        ("ne", "एकल महिलालाई कति छुट छ", "sampati_kar_suchana", "२५ प्रतिशत कर छुट", "२५ प्रतिशत"),
        ("ne", "आँखा शिविरमा कति जनाको अपरेसन भयो", "aankha_shivir_samachar", "१८० जना", "१८०"),
        ("ne", "मधुमेह रोगीले कति पटक आँखा जँचाउनुपर्छ", "aankha_shivir_samachar", "मधुमेह भएका व्यक्तिले", "एक पटक"),
        ("hi", "संपत्ति कर पर कितनी छूट मिलती है", "sampati_kar_suchana", "१० प्रतिशत छुट", "१० प्रतिशत"),
        ("hi", "आंखों के शिविर में कितने बच्चों को चश्मा मिला", "aankha_shivir_samachar", "४०० जना विद्यार्थीलाई", "४००"),
        ("en", "property tax office phone number", "sampati_kar_suchana", "०१-४२३१४८२", "०१-४२३१४८२"),
        ("en", "how many patients were checked at the eye camp", "aankha_shivir_samachar", "१,२०० भन्दा बढी", "१,२००"),
        ("en", "will the eye camp be held again", "aankha_shivir_samachar", "वर्षमा दुई पटक", "दुई पटक"),
        ("ne", "मोतियाबिन्दुको अप्रेसन कसले गर्‍यो", "aankha_shivir_samachar", "तिलगंगा आँखा अस्पताल", "तिलगंगा"),
        ("ne", "काठमाडौंबाट पोखरा बसको भाडा कति हो", None, None, None),
        ("en", "how to apply for a Nepali passport", None, None, None),
    ]),
    "zh_taipei": ("zh", [
        ("zh", "YouBike 騎一小時多少錢", "youbike_faq", "前 4 小時每 30 分鐘 5 元", "5 元"),
        ("zh", "車柱滿了要停哪裡", "youbike_faq", "臨時停車區", "臨時停車區"),
        ("zh", "腳踏車故障要打給誰", "youbike_faq", "1999 轉 8", "1999"),
        ("zh", "小朋友可以騎嗎", "youbike_faq", "身高 145 公分以上", "145"),
        ("zh", "台风明天停课吗", "taifeng_tingke", "停止上班上課", "停止上班上課"),
        ("zh", "捷运明天开吗", "taifeng_tingke", "照常營運", "照常營運"),
        ("zh", "火車票可以退嗎", "taifeng_tingke", "七天內免費退票", "免費退票"),
        ("en", "how do I rent a YouBike for the first time", "youbike_faq", "完成會員註冊", "會員註冊"),
        ("en", "how much rain will the typhoon bring", "taifeng_tingke", "500 毫米", "500 毫米"),
        ("ja", "自転車に忘れ物をしたらどうすればいいですか", "youbike_faq", "遺失物品", "30 天"),
        ("ja", "台風は今どこにありますか", "taifeng_tingke", "鵝鑾鼻東南方約 300 公里", "300 公里"),
        ("en", "how many sandbags did Taipei prepare", "taifeng_tingke", "5,000 個沙包", "5,000"),
        ("zh", "可以帶小孩一起騎嗎", "youbike_faq", "禁止載人", "禁止載人"),
        ("zh", "台北哪裡有好吃的牛肉麵", None, None, None),
        ("en", "how to get a Taiwan visa", None, None, None),
    ]),
}


def flat(text: str) -> str:
    return " ".join(text.split())


def check() -> None:
    """Every gold text is in its document, every answer text in the same document."""
    for collection, (_, questions) in QUESTIONS.items():
        texts = {p.stem: flat(p.read_text(encoding="utf-8")) for p in (HERE / collection).iterdir()}
        for lang, q, doc, gold, answer in questions:
            if doc is None:
                continue
            assert gold in texts[doc], (collection, q, gold)
            assert answer in texts[doc], (collection, q, answer)


def main() -> None:
    check()
    for name, rows in write_questions(QUESTIONS, HERE).items():
        print(name, len(rows), "questions,", sum(r["doc"] is None for r in rows), "off-topic")

if __name__ == "__main__":
    main()
