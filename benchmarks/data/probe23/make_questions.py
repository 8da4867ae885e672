"""Session 23's probe questions, written by hand (with the documents beside them) and split into
dev and held-out before any run.

Nine collections, one folder each. Eight are in languages no earlier probe wrote documents in, each
in a genre of its own: Basque (a flat's rental contract .md), Estonian (a medicine's package leaflet
.txt), Croatian (a family recipe collection .md), Bulgarian (a block of flats' owners' meeting
minutes .txt), Malay (an air conditioner's FAQ with model numbers .md), Gujarati (a housing
society's Navratri notice .txt), Punjabi in Gurmukhi (a dairy cooperative's job advert .txt) and
Albanian (a guesthouse's FAQ .html; Albanian is not among the identifier's languages). The ninth is
English (a router's FAQ with model numbers .md), asked in the eight languages: the reverse direction.

Questions as people type them: in the collection's language (paraphrased, colloquial, with typos,
without diacritics: Croatian, Albanian, Estonian; Bulgarian in Latin letters, Gujarati and Punjabi in
Latin letters), in English, and in another language (Spanish, French, Chinese for Basque; Finnish,
Russian, German for Estonian; Serbian in Cyrillic, Slovenian, German for Croatian; Russian and
Macedonian for Bulgarian; Indonesian and Chinese for Malay; Hindi and Urdu for Gujarati; Hindi and
Urdu for Punjabi; Italian, German, French for Albanian); two off-topic questions a collection (doc
None: nothing in the folder answers it). Within a collection the questions alternate dev, held-out,
dev... in the order written.

    python benchmarks/data/probe23/make_questions.py   # writes questions_dev.jsonl, questions_heldout.jsonl
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from probe_harness import write_questions  # noqa: E402

# collection: (document language, [(question language, question, doc stem, gold text in the
# passage, answer text in the highlighted sentence)]); doc None: off-topic
QUESTIONS = {
    "eu_donostia": ("eu", [
        ("eu", "zenbat da hileko alokairua", "alokairu_kontratua", "Hileko errenta 850 euro da", "850 euro"),
        ("eu", "noiz arte iraungo du kontratuak", "alokairu_kontratua", "2032ko urtarrilaren 31ra", "2032ko urtarrilaren 31ra"),
        ("en", "are pets allowed in the flat", "alokairu_kontratua", "Etxe-animaliak onartzen dira", "onartzen dira"),
        ("eu", "fidantza noiz itzultzen da", "alokairu_kontratua", "hilabete barru itzuliko", "hilabete barru"),
        ("es", "cuánto puede subir el alquiler cada año", "alokairu_kontratua", "%3 baino handiagoa", "%3"),
        ("en", "who pays the IBI property tax", "alokairu_kontratua", "Ondasun Higiezinen", "errentatzaileak"),
        ("eu", "katua eduki dezaket etxean", "alokairu_kontratua", "txakur edo katu bat", "katu"),
        ("fr", "puis-je sous-louer l'appartement", "alokairu_kontratua", "azpierrentatzea", "Debekatuta"),
        ("eu", "hormak margotu ditzaket", "alokairu_kontratua", "Hormak margotzea", "kolore argiak"),
        ("en", "how much notice do I give to leave early", "alokairu_kontratua", "30 egun lehenago", "30 egun"),
        ("zh", "押金是多少", "alokairu_kontratua", "fidantza ematen du, 850 euro", "850 euro"),
        ("eu", "konponketa txikiak nork ordaintzen ditu", "alokairu_kontratua", "150 euro arte", "errentariak"),
        ("eu", "Donostiako autobus ordutegiak", None, "", ""),
        ("en", "how to renew a passport", None, "", ""),
    ]),
    "et_valuvaba": ("et", [
        ("et", "mitu tabletti päevas tohib võtta", "valuvaba_infoleht", "Ööpäevas ei tohi võtta rohkem kui 3 tabletti", "3 tabletti"),
        ("et", "kas voib alkoholi juua", "valuvaba_infoleht", "vältige alkoholi", "alkoholi"),
        ("en", "can I drive after taking it", "valuvaba_infoleht", "pearinglust", "ärge juhtige autot"),
        ("et", "mu laps on 8 aastane kas sobib", "valuvaba_infoleht", "Alla 12-aastastele", "ei sobi"),
        ("fi", "voiko lääkettä käyttää raskauden aikana", "valuvaba_infoleht", "Raseduse esimesel kuuel kuul", "arsti loal"),
        ("en", "what if I forget a dose", "valuvaba_infoleht", "kahekordset annust", "kahekordset annust"),
        ("et", "mürgistuse telefon", "valuvaba_infoleht", "16662", "16662"),
        ("en", "side effects", "valuvaba_infoleht", "kõrvetised", "kõrvetised"),
        ("ru", "как хранить таблетки", "valuvaba_infoleht", "25 °C", "25 °C"),
        ("et", "varfariiniga koos votta", "valuvaba_infoleht", "varfariin", "tugevneda"),
        ("de", "wie viele Tabletten sind in der Packung", "valuvaba_infoleht", "Pakendis on 20 tabletti", "20 tabletti"),
        ("et", "kui kaua tohib palaviku korral võtta", "valuvaba_infoleht", "kauem kui 3 päeva", "3 päeva"),
        ("et", "kuidas pikendada passi", None, "", ""),
        ("en", "train timetable Tallinn Tartu", None, "", ""),
    ]),
    "hr_recepti": ("hr", [
        ("hr", "koliko dugo se kuha sarma", "bakini_recepti", "na laganoj vatri 3 sata", "3 sata"),
        ("hr", "koliko rize ide u sarmu", "bakini_recepti", "100 g riže", "100 g riže"),
        ("en", "what do you serve brudet with", "bakini_recepti", "palentom", "palentom"),
        ("hr", "moze li se sarma zamrznuti", "bakini_recepti", "zamrznuti do tri mjeseca", "tri mjeseca"),
        ("sr", "колико дуго се кува брудет", "bakini_recepti", "Kuhajte 40 minuta", "40 minuta"),
        ("hr", "na koliko stupnjeva pržiti fritule", "bakini_recepti", "170 °C", "170 °C"),
        ("en", "which fish go in brudet", "bakini_recepti", "ugor, škarpina", "ugor"),
        ("hr", "fritule bez ruma", "bakini_recepti", "sokom od naranče", "naranče"),
        ("sl", "koliko časa mora testo vzhajati", "bakini_recepti", "da se diže na toplom 1 sat", "1 sat"),
        ("de", "wie viel Mehl für Fritule", "bakini_recepti", "500 g brašna", "500 g brašna"),
        ("hr", "zasto se riba ne mijesa zlicom", "bakini_recepti", "da se riba ne raspadne", "raspadne"),
        ("en", "how long to cook the polenta", "bakini_recepti", "Palentu kuhajte", "20 minuta"),
        ("hr", "kako prijaviti prebivalište", None, "", ""),
        ("en", "chocolate cake recipe", None, "", ""),
    ]),
    "bg_plovdiv": ("bg", [
        ("bg", "колко ще струва ремонтът на покрива", "protokol_obshto_sabranie", "18 400 лв", "18 400"),
        ("bg", "кога започва ремонта", "protokol_obshto_sabranie", "1 април 2027", "1 април 2027"),
        ("en", "how long is the roof warranty", "protokol_obshto_sabranie", "гаранция 10 години", "10 години"),
        ("bg", "с колко се вдига таксата", "protokol_obshto_sabranie", "от 10 на 15 лв", "15 лв"),
        ("ru", "кто будет убирать подъезд", "protokol_obshto_sabranie", "веднъж седмично", "фирма"),
        ("bg", "на кого да плащам таксата", "protokol_obshto_sabranie", "Петър Иванов", "касиера"),
        ("en", "can I leave my bike on the stairs", "protokol_obshto_sabranie", "велосипеди", "не се оставят"),
        ("bg", "koga e sledvashtoto sabranie", "protokol_obshto_sabranie", "септември 2027", "септември 2027"),
        ("mk", "кога ќе се смени домофонот", "protokol_obshto_sabranie", "домофонната система", "до лятото"),
        ("ru", "сколько собственников пришло на собрание", "protokol_obshto_sabranie", "14 от 20", "14 от 20"),
        ("bg", "вноски за покрива срокове", "protokol_obshto_sabranie", "две вноски", "28 февруари"),
        ("en", "how much does the cleaning company cost", "protokol_obshto_sabranie", "120 лв. на месец", "120 лв"),
        ("bg", "как да сменя лична карта", None, "", ""),
        ("en", "best hotels in Plovdiv", None, "", ""),
    ]),
    "ms_sejukpro": ("ms", [
        ("ms", "aircond untuk bilik 200 kaki persegi model apa", "soalan_lazim_sejukpro", "SP-12CV sehingga 250", "SP-12CV"),
        ("ms", "E4 maksudnya apa", "soalan_lazim_sejukpro", "paip air kondensasi", "tersumbat"),
        ("en", "error code E1", "soalan_lazim_sejukpro", "penderia suhu", "penderia suhu"),
        ("ms", "brp lama warranty compressor", "soalan_lazim_sejukpro", "jaminan pemampat 5 tahun", "5 tahun"),
        ("id", "bagaimana cara membersihkan filter AC", "soalan_lazim_sejukpro", "penapis habuk", "air suam"),
        ("ms", "remote hilang", "soalan_lazim_sejukpro", "RC-77", "RM60"),
        ("en", "does the SP-09CV have wifi", "soalan_lazim_sejukpro", "SP-12CV dan ke atas", "Wi-Fi"),
        ("ms", "pasang free ke", "soalan_lazim_sejukpro", "Pemasangan standard percuma", "percuma"),
        ("zh", "客服电话是多少", "soalan_lazim_sejukpro", "1-800-88-7585", "1-800-88-7585"),
        ("en", "extra pipe cost per meter", "soalan_lazim_sejukpro", "RM45", "RM45"),
        ("ms", "sp18cv sesuai bilik berapa besar", "soalan_lazim_sejukpro", "SP-18CV sehingga 350", "350"),
        ("ms", "bunyi ketuk kuat dari unit luar", "soalan_lazim_sejukpro", "skru pendakap longgar", "skru pendakap"),
        ("ms", "cara mohon lesen memandu", None, "", ""),
        ("en", "washing machine spin cycle noise", None, "", ""),
    ]),
    "gu_amdavad": ("gu", [
        ("gu", "ગરબા કેટલા વાગ્યા સુધી ચાલશે", "navratri_suchna", "12 વાગ્યા સુધી", "12 વાગ્યા"),
        ("gu", "મહેમાન પાસ કેટલાનો છે", "navratri_suchna", "200 રૂપિયા", "200 રૂપિયા"),
        ("en", "where should guests park", "navratri_suchna", "ગેટ નંબર 2", "ગેટ નંબર 2"),
        ("gu", "garba no fado ketlo che", "navratri_suchna", "1,500 રૂપિયા", "1,500"),
        ("hi", "बच्चों का गरबा कितने बजे है", "navratri_suchna", "9 થી 9:45", "9:45"),
        ("gu", "વરસાદ આવે તો ગરબા ક્યાં થશે", "navratri_suchna", "ક્લબ હાઉસના હોલમાં", "ક્લબ હાઉસ"),
        ("en", "secretary phone number", "navratri_suchna", "98250 44332", "98250 44332"),
        ("gu", "આરતી ક્યારે છે", "navratri_suchna", "મહાઆરતી", "8:30"),
        ("en", "last date to sign up as a volunteer", "navratri_suchna", "20 સપ્ટેમ્બર", "20 સપ્ટેમ્બર"),
        ("ur", "لاؤڈ اسپیکر کب بند ہوگا", "navratri_suchna", "લાઉડસ્પીકર બંધ", "12 વાગ્યા પછી"),
        ("gu", "ફાળો કોને આપવો", "navratri_suchna", "હિતેશભાઈ પટેલ", "હિતેશભાઈ પટેલ"),
        ("gu", "pass kya thi malse", "navratri_suchna", "ઓફિસમાંથી 25 સપ્ટેમ્બર", "ઓફિસમાંથી"),
        ("gu", "અમદાવાદમાં કાલે હવામાન કેવું રહેશે", None, "", ""),
        ("en", "how to apply for a PAN card", None, "", ""),
    ]),
    "pa_ludhiana": ("pa", [
        ("pa", "ਡਰਾਈਵਰ ਦੀ ਤਨਖਾਹ ਕਿੰਨੀ ਹੈ", "bharti_suchna", "21,700", "21,700"),
        ("pa", "ਅਰਜ਼ੀ ਦੀ ਆਖਰੀ ਤਾਰੀਖ", "bharti_suchna", "15 ਫਰਵਰੀ 2027", "15 ਫਰਵਰੀ 2027"),
        ("en", "how many driver posts are there", "bharti_suchna", "ਡਰਾਈਵਰ – 3", "ਡਰਾਈਵਰ – 3"),
        ("pa", "umar hadd kinni hai", "bharti_suchna", "18 ਤੋਂ 37 ਸਾਲ", "18 ਤੋਂ 37"),
        ("hi", "क्या डाक से आवेदन भेज सकते हैं", "bharti_suchna", "ਡਾਕ ਰਾਹੀਂ", "ਸਵੀਕਾਰ ਨਹੀਂ"),
        ("pa", "ਫੀਸ ਕਿੰਨੀ", "bharti_suchna", "500 ਰੁਪਏ", "500 ਰੁਪਏ"),
        ("en", "helpline number", "bharti_suchna", "0161-2401234", "0161-2401234"),
        ("pa", "ਲੇਖਾਕਾਰ ਲਈ ਯੋਗਤਾ", "bharti_suchna", "ਬੀ.ਕਾਮ", "ਬੀ.ਕਾਮ"),
        ("ur", "امتحان کب ہوگا", "bharti_suchna", "ਮਾਰਚ 2027", "ਮਾਰਚ 2027"),
        ("en", "is the application fee refundable", "bharti_suchna", "ਫੀਸ ਵਾਪਸ ਨਹੀਂ", "ਵਾਪਸ ਨਹੀਂ"),
        ("pa", "ਕੀ ਪੰਜਾਬੀ ਜ਼ਰੂਰੀ ਹੈ", "bharti_suchna", "ਲਾਜ਼ਮੀ", "ਲਾਜ਼ਮੀ"),
        ("pa", "driver layi tajurba kinna chahida", "bharti_suchna", "3 ਸਾਲ ਦਾ ਤਜਰਬਾ", "3 ਸਾਲ"),
        ("pa", "ਕੱਲ੍ਹ ਲੁਧਿਆਣਾ ਵਿੱਚ ਮੌਸਮ ਕਿਹੋ ਜਿਹਾ ਰਹੇਗਾ", None, "", ""),
        ("en", "wheat procurement price 2027", None, "", ""),
    ]),
    "sq_theth": ("sq", [
        ("sq", "sa kushton nata", "bujtina_pyetje", "45 euro nata", "45 euro"),
        ("sq", "a pranoni karte", "bujtina_pyetje", "vetëm para në dorë", "para në dorë"),
        ("en", "is there wifi in the rooms", "bujtina_pyetje", "sinjali në dhoma", "i dobët"),
        ("sq", "kur hapet bujtina", "bujtina_pyetje", "1 maji deri më 31 tetor", "31 tetor"),
        ("it", "come arrivare a Theth da Scutari", "bujtina_pyetje", "niset furgon", "7:00"),
        ("sq", "ne cfare ore hyjme ne dhome", "bujtina_pyetje", "nga ora 14:00", "14:00"),
        ("en", "how long is the hike to Valbona", "bujtina_pyetje", "6 deri në 7 orë", "6 deri në 7 orë"),
        ("de", "darf man den Hund mitbringen", "bujtina_pyetje", "Qentë e vegjël", "lejohen"),
        ("en", "cancellation policy", "bujtina_pyetje", "7 ditë para", "7 ditë"),
        ("sq", "sa zgjat ecja per te syri i kalter", "bujtina_pyetje", "rreth 2 orë në një drejtim", "2 orë"),
        ("fr", "prix du dîner", "bujtina_pyetje", "Darka e shtëpisë kushton 12 euro", "12 euro"),
        ("sq", "ku eshte bankomati me i afert", "bujtina_pyetje", "Bankomati më i afërt", "Shkodër"),
        ("sq", "si të aplikoj për pasaportë", None, "", ""),
        ("en", "ferry from Durres to Bari", None, "", ""),
    ]),
    "en_netlink": ("en", [
        ("en", "how do I reset the router", "netlink_router_faq", "RESET button", "10 seconds"),
        ("eu", "zein da pasahitz lehenetsia", "netlink_router_faq", "default password", "label under the router"),
        ("et", "mida tähendab punane tuli", "netlink_router_faq", "Solid red", "no internet"),
        ("hr", "koliko traje garancija na ruter", "netlink_router_faq", "3-year warranty", "3-year"),
        ("bg", "колко ток харчи рутерът", "netlink_router_faq", "about 9 W", "9 W"),
        ("ms", "macam mana nak buka rangkaian tetamu", "netlink_router_faq", "Guest network", "switch it on"),
        ("gu", "કયા મોડેલમાં વાઇફાઇ 6 છે", "netlink_router_faq", "Wi-Fi 6 (802.11ax)", "NL-AX1800"),
        ("pa", "ਸਹਾਇਤਾ ਲਈ ਫੋਨ ਨੰਬਰ", "netlink_router_faq", "0800 555 0199", "0800 555 0199"),
        ("sq", "sa pajisje mesh mund të shtoj", "netlink_router_faq", "Up to 6 mesh units", "6 mesh"),
        ("en", "firmare updte time", "netlink_router_faq", "every night at 3:00", "3:00"),
        ("fr", "le contrôle parental est-il payant", "netlink_router_faq", "Parental controls are free", "free"),
        ("zh", "NL-AX3000 的 WAN 口速度是多少", "netlink_router_faq", "2.5 Gbps", "2.5 Gbps"),
        ("en", "how to cancel my broadband contract", None, "", ""),
        ("et", "kuidas keeta kartuleid", None, "", ""),
    ]),
}

if __name__ == "__main__":
    splits = write_questions(QUESTIONS, HERE)
    print({split: len(rows) for split, rows in splits.items()})
