"""Session 18's fresh weak-match set (docs/quality.md, "Session 18: function words and the weak
rule outside the model's languages"): twelve hand-written small folders in languages outside
USE-m3's, none of them Session 17's documents, each with 5 questions whose answer it holds (gold:
a piece of the answering paragraph; typed as people type them, some without their marks) and 3
off-topic questions in the same language. The split is by language and was fixed here, before
any run:

    dev:      ro (Romanian), cs (Czech), vi (Vietnamese), he (Hebrew), bg (Bulgarian), ta (Tamil)
    held-out: hu (Hungarian), fi (Finnish), ca (Catalan), el (Greek), hi (Hindi), uk (Ukrainian)

    python benchmarks/weak18/make_folders.py   # writes benchmarks/weak18/<lang>_<name>.json
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

FOLDERS = {
    "ro_sala": dict(split="dev", lang="ro", doc="anunt.txt", text="""Sala de sport Energia – Informații pentru membri

Sala este deschisă de luni până vineri între orele 6:00 și 23:00, iar sâmbăta și duminica între 8:00 și 20:00. În zilele de sărbătoare legală programul se anunță pe pagina noastră de Facebook.

Abonamentul lunar costă 150 de lei și include accesul nelimitat la aparate și la clasele de grup. Studenții primesc o reducere de 20% pe baza carnetului de student vizat.

Antrenamentele personale se programează la recepție sau telefonic la 0721 456 789. O ședință de o oră cu antrenorul costă 80 de lei.

Vestiarele au dulapuri cu cheie. Vă rugăm să aduceți un prosop și încălțăminte de schimb; accesul în sală cu pantofi de stradă nu este permis.""",
        questions=[("Pana la ce ora e deschis sambata?", "sâmbăta și duminica între 8:00 și 20:00"),
                   ("Cât costă abonamentul pe lună?", "Abonamentul lunar costă 150 de lei"),
                   ("Studentii au reducere?", "Studenții primesc o reducere de 20%"),
                   ("Cum fac o programare la antrenor personal?", "Antrenamentele personale se programează"),
                   ("trebuie sa aduc prosop", "aduceți un prosop")],
        off_topic=["Unde pot să-mi reînnoiesc pașaportul?", "Cât costă un bilet de tren de la București la Cluj?",
                   "Ce vreme va fi mâine la Constanța?"]),
    "cs_odpad": dict(split="dev", lang="cs", doc="svoz.txt", text="""Městský úřad Kolín – svoz odpadu v roce 2025

Popelnice se směsným odpadem se vyvážejí každé úterý. Od dubna do října se svoz koná jednou týdně, v zimních měsících každých čtrnáct dní.

Známku na popelnici zaplatíte na pokladně městského úřadu nebo převodem na účet. Poplatek za odpad činí 900 Kč na osobu a rok, děti do šesti let a senioři nad 80 let jsou osvobozeni.

Sběrný dvůr v Ovčárecké ulici je otevřen ve středu a v sobotu od 8 do 16 hodin. Přijímá nebezpečný odpad, elektrospotřebiče, pneumatiky a velkoobjemový odpad zdarma.

Tříděný odpad patří do barevných kontejnerů: žlutý na plasty, modrý na papír, zelený na sklo. Bioodpad ze zahrad sbíráme v hnědých nádobách od března do listopadu.""",
        questions=[("Kdy jezdí popelari?", "každé úterý"),
                   ("Kolik se platí za odpad na osobu?", "900 Kč na osobu a rok"),
                   ("Kdy je otevřený sběrný dvůr?", "ve středu a v sobotu"),
                   ("kam dat stare pneumatiky", "pneumatiky a velkoobjemový odpad"),
                   ("Do jakého kontejneru patří sklo?", "zelený na sklo")],
        off_topic=["Jak si zařídit nový občanský průkaz?", "Kolik stojí jízdenka na vlak do Brna?",
                   "Jaké bude zítra počasí v Praze?"]),
    "vi_tiemchung": dict(split="dev", lang="vi", doc="thongbao.txt", text="""Trạm Y tế Phường 7 – Thông báo tiêm chủng cho trẻ em

Trạm y tế tổ chức tiêm chủng mở rộng vào ngày 15 hằng tháng, từ 7 giờ 30 đến 11 giờ sáng. Nếu ngày 15 rơi vào Chủ nhật, buổi tiêm được dời sang thứ Hai.

Phụ huynh mang theo sổ tiêm chủng và giấy khai sinh của trẻ. Trẻ đang sốt trên 38 độ hoặc đang bệnh cấp tính sẽ được hẹn tiêm vào đợt sau.

Các vắc xin trong chương trình như lao, viêm gan B, sởi và bại liệt được tiêm miễn phí. Vắc xin dịch vụ như cúm và phế cầu có thu phí theo bảng giá niêm yết tại trạm.

Sau khi tiêm, trẻ phải ở lại trạm 30 phút để theo dõi phản ứng. Nếu trẻ sốt cao hoặc co giật ở nhà, gọi ngay số 0283 855 1234 hoặc đưa trẻ đến bệnh viện gần nhất.""",
        questions=[("Tiêm chủng vào ngày nào trong tháng?", "ngày 15 hằng tháng"),
                   ("can mang giay to gi khi di tiem", "sổ tiêm chủng và giấy khai sinh"),
                   ("Con tôi đang sốt có tiêm được không?", "Trẻ đang sốt trên 38 độ"),
                   ("Vắc xin cúm có mất tiền không?", "cúm và phế cầu có thu phí"),
                   ("Tiêm xong phải chờ bao lâu?", "ở lại trạm 30 phút")],
        off_topic=["Làm hộ chiếu ở đâu nhanh nhất?", "Giá vé máy bay đi Đà Nẵng bao nhiêu?",
                   "Ngày mai Hà Nội có mưa không?"]),
    "he_chania": dict(split="dev", lang="he", doc="חניה.txt", text="""עיריית חיפה – תווי חניה לתושבים

תו חניה לתושבים מאפשר לחנות בחינם באזורים המסומנים בכחול לבן בשכונת המגורים. התו ניתן לכל רכב הרשום על שם תושב העיר.

את הבקשה מגישים באתר העירייה או במוקד שירות התושבים ברחוב חסן שוקרי 14. יש לצרף צילום רישיון רכב ותעודת זהות עם ספח שבו מופיעה הכתובת בחיפה.

התו בתוקף לשנתיים ונשלח בדואר תוך עשרה ימי עבודה. רכב ליסינג או רכב חברה דורש גם מכתב מהחברה המאשר שהרכב בשימוש התושב.

חניה ללא תו באזור כחול לבן גוררת קנס של 250 שקלים. ניתן לערער על הקנס תוך 90 יום באתר העירייה.""",
        questions=[("איך מקבלים תו חניה?", "מגישים באתר העירייה"),
                   ("אילו מסמכים צריך לצרף לבקשה", "צילום רישיון רכב ותעודת זהות"),
                   ("כמה זמן התו בתוקף?", "בתוקף לשנתיים"),
                   ("יש לי רכב ליסינג, מה צריך?", "מכתב מהחברה"),
                   ("כמה עולה קנס חניה?", "קנס של 250 שקלים")],
        off_topic=["איך מחדשים דרכון?", "מה מזג האוויר מחר באילת?", "כמה עולה כרטיס לרכבת לירושלים?"]),
    "bg_vlak": dict(split="dev", lang="bg", doc="съобщение.txt", text="""БДЖ – Пътнически превози: промени в разписанието за лятото

От 15 юни до 15 септември се движат допълнителни влакове между София и Бургас. Бързият влак тръгва от Централна гара София всеки ден в 7:10 и пристига в Бургас в 13:45.

Билетите се купуват на касите на гарите, в мобилното приложение или онлайн. Пенсионерите и студентите ползват 50% намаление при представяне на карта за намаление.

Децата до 7 години пътуват безплатно, ако не заемат отделно място. Велосипеди се превозват само във влаковете с обозначен вагон срещу допълнителна такса от 2 лева.

При закъснение над 60 минути пътникът има право на обезщетение от 25% от цената на билета. Искането се подава писмено на касата в срок от един месец.""",
        questions=[("В колко часа тръгва влакът за Бургас?", "всеки ден в 7:10"),
                   ("Има ли намаление за студенти?", "50% намаление"),
                   ("decata placat li bilet", "Децата до 7 години пътуват безплатно"),
                   ("Мога ли да кача колело във влака?", "Велосипеди се превозват"),
                   ("Какво обезщетение има при закъснение на влака?", "обезщетение от 25%")],
        off_topic=["Как да си извадя нов паспорт?", "Колко струва наем на апартамент във Варна?",
                   "Какво ще бъде времето утре в Пловдив?"]),
    "ta_kalloori": dict(split="dev", lang="ta", doc="அறிவிப்பு.txt", text="""அரசு கலைக் கல்லூரி, கோயம்புத்தூர் – மாணவர் சேர்க்கை அறிவிப்பு 2025

இளநிலை பட்டப் படிப்புகளுக்கான விண்ணப்பங்கள் மே 10 முதல் மே 31 வரை இணையதளம் மூலம் மட்டுமே பெறப்படும். விண்ணப்பக் கட்டணம் 50 ரூபாய், பட்டியல் இன மாணவர்களுக்குக் கட்டணம் இல்லை.

விண்ணப்பத்துடன் பன்னிரண்டாம் வகுப்பு மதிப்பெண் சான்றிதழ், மாற்றுச் சான்றிதழ், சாதிச் சான்றிதழ் மற்றும் இரண்டு புகைப்படங்கள் பதிவேற்ற வேண்டும்.

தரவரிசைப் பட்டியல் ஜூன் 5 அன்று கல்லூரி அறிவிப்புப் பலகையில் வெளியிடப்படும். கலந்தாய்வு ஜூன் 10 முதல் கல்லூரி அரங்கில் நடைபெறும்.

விடுதி வசதி மாணவிகளுக்கு மட்டும் உண்டு. விடுதிக் கட்டணம் மாதம் 1200 ரூபாய்; உணவு உட்பட. விவரங்களுக்கு அலுவலகத்தை 0422 255 1234 என்ற எண்ணில் தொடர்பு கொள்ளவும்.""",
        questions=[("விண்ணப்பிக்க கடைசி தேதி என்ன?", "மே 10 முதல் மே 31 வரை"),
                   ("விண்ணப்பக் கட்டணம் எவ்வளவு?", "விண்ணப்பக் கட்டணம் 50 ரூபாய்"),
                   ("என்ன சான்றிதழ்கள் வேண்டும்?", "மதிப்பெண் சான்றிதழ்"),
                   ("கலந்தாய்வு எப்போது நடக்கும்?", "கலந்தாய்வு ஜூன் 10"),
                   ("விடுதி கட்டணம் எவ்வளவு", "விடுதிக் கட்டணம் மாதம் 1200 ரூபாய்")],
        off_topic=["பாஸ்போர்ட் எப்படி விண்ணப்பிப்பது?", "சென்னையில் நாளை மழை பெய்யுமா?",
                   "கோயம்புத்தூரில் நல்ல உணவகம் எங்கே உள்ளது?"]),
    "hu_muzeum": dict(split="held-out", lang="hu", doc="tajekoztato.txt", text="""Déri Múzeum, Debrecen – Látogatói tájékoztató

A múzeum keddtől vasárnapig 10 és 18 óra között tart nyitva, hétfőn zárva van. Az utolsó belépés zárás előtt egy órával lehetséges.

A teljes árú belépőjegy 2500 forint, a diákok és a nyugdíjasok 1250 forintért válthatnak jegyet. A hat év alatti gyermekek és a 70 év felettiek belépése ingyenes.

Csoportok számára tárlatvezetést magyar és angol nyelven is szervezünk, előzetes bejelentkezés alapján. A vezetés díja csoportonként 8000 forint.

A kiállítótermekben vaku nélkül szabad fényképezni. Nagyobb táskát és esernyőt a ruhatárban kell hagyni, a ruhatár használata ingyenes.""",
        questions=[("Hétfőn nyitva van a múzeum?", "hétfőn zárva van"),
                   ("mennyi a diakjegy", "1250 forintért"),
                   ("Van angol nyelvű tárlatvezetés?", "magyar és angol nyelven"),
                   ("Lehet fényképezni a kiállításon?", "vaku nélkül szabad fényképezni"),
                   ("Hova tehetem a táskámat?", "a ruhatárban kell hagyni")],
        off_topic=["Hogyan lehet útlevelet igényelni?", "Mennyibe kerül a vonatjegy Budapestre?",
                   "Milyen idő lesz holnap Szegeden?"]),
    "fi_terveys": dict(split="held-out", lang="fi", doc="tiedote.txt", text="""Kallion terveysasema – asiakastiedote

Terveysasema on avoinna arkisin kello 8–16. Kiireellisissä asioissa iltaisin ja viikonloppuisin palvelee Haartmanin sairaalan päivystys.

Ajanvaraus lääkärille ja hoitajalle tehdään puhelimitse numerosta 09 310 10023 tai verkossa Maisa-palvelussa. Peruuttamattomasta käynnistä peritään 51,50 euron maksu.

Influenssarokotuksia annetaan marraskuussa ilman ajanvarausta tiistaisin ja torstaisin kello 12–15. Rokote on maksuton yli 65-vuotiaille ja riskiryhmille.

Laboratorionäytteet otetaan aamuisin kello 7.30–10. Verikokeeseen tullaan ravinnotta, eli 10–12 tuntia syömättä, jos lääkäri on niin ohjeistanut.""",
        questions=[("Milloin terveysasema on auki?", "arkisin kello 8–16"),
                   ("miten varaan ajan laakarille", "Ajanvaraus lääkärille"),
                   ("Mitä maksaa jos en tule varatulle ajalle?", "51,50 euron maksu"),
                   ("Tarvitseeko influenssarokotukseen varata ajan?", "ilman ajanvarausta"),
                   ("Saako ennen verikoetta syödä?", "ravinnotta")],
        off_topic=["Miten haen uutta passia?", "Paljonko maksaa junalippu Tampereelle?",
                   "Millainen sää on huomenna Oulussa?"]),
    "ca_escola": dict(split="held-out", lang="ca", doc="informacio.txt", text="""Escola Oficial d'Idiomes de Girona – Informació de matrícula

La preinscripció per al curs 2025-2026 es fa en línia del 2 al 12 de setembre. Els alumnes nous han de fer una prova de nivell si volen començar en un curs superior al primer.

El preu de la matrícula és de 290 euros per curs. Les famílies nombroses i les persones en situació d'atur tenen una bonificació del 50% presentant el document acreditatiu.

Les classes comencen el 29 de setembre i acaben el 29 de maig. Hi ha grups de matí, de tarda i de vespre, dos dies per setmana, de dues hores i quart cada sessió.

S'ofereixen cursos d'anglès, francès, alemany, italià i rus. Els exàmens de certificació es fan al juny, i cal inscriure-s'hi a part durant el mes d'abril.""",
        questions=[("Quan es fa la preinscripcio?", "del 2 al 12 de setembre"),
                   ("Quant costa la matrícula?", "290 euros per curs"),
                   ("Hi ha descompte per a persones a l'atur?", "bonificació del 50%"),
                   ("Quins idiomes es poden estudiar?", "anglès, francès, alemany, italià i rus"),
                   ("quan son els examens de certificacio", "Els exàmens de certificació es fan al juny")],
        off_topic=["On puc renovar el DNI a Girona?", "Quant costa el bitllet de tren a Barcelona?",
                   "Quin temps farà demà a Figueres?"]),
    "el_kep": dict(split="held-out", lang="el", doc="ενημερωση.txt", text="""ΚΕΠ Δήμου Πατρέων – Ενημέρωση πολιτών

Το ΚΕΠ της οδού Μαιζώνος εξυπηρετεί το κοινό Δευτέρα έως Παρασκευή από τις 8:00 έως τις 15:00 και κάθε Τετάρτη απογευματινά έως τις 19:00. Για τις περισσότερες υπηρεσίες απαιτείται ραντεβού.

Ραντεβού κλείνετε στην πλατφόρμα rantevou.kep.gov.gr ή τηλεφωνικά στο 1500. Κατά την προσέλευση φέρτε μαζί σας την αστυνομική ταυτότητα ή το διαβατήριό σας.

Πιστοποιητικό οικογενειακής κατάστασης και ληξιαρχικές πράξεις εκδίδονται άμεσα και δωρεάν. Η επικύρωση αντιγράφων γίνεται επίσης χωρίς χρέωση.

Για την έκδοση άδειας στάθμευσης μονίμων κατοίκων χρειάζεται άδεια κυκλοφορίας του οχήματος και λογαριασμός ρεύματος στο όνομά σας. Η άδεια ισχύει για δύο χρόνια.""",
        questions=[("Τι ωρες ειναι ανοιχτο το ΚΕΠ;", "Δευτέρα έως Παρασκευή από τις 8:00"),
                   ("Πώς κλείνω ραντεβού;", "στην πλατφόρμα rantevou.kep.gov.gr"),
                   ("Πληρώνω για πιστοποιητικό οικογενειακής κατάστασης;", "εκδίδονται άμεσα και δωρεάν"),
                   ("κανετε επικυρωση αντιγραφων", "Η επικύρωση αντιγράφων"),
                   ("Τι χρειάζομαι για άδεια στάθμευσης;", "άδεια κυκλοφορίας του οχήματος")],
        off_topic=["Πόσο κοστίζει το πλοίο για Κεφαλονιά;", "Τι καιρό θα κάνει αύριο στην Πάτρα;",
                   "Πού θα βρω καλή ταβέρνα στο κέντρο;"]),
    "hi_aspatal": dict(split="held-out", lang="hi", doc="सूचना.txt", text="""जिला अस्पताल, सीतापुर – मरीज़ों के लिए जानकारी

ओपीडी की पर्ची सुबह 8 बजे से दोपहर 1 बजे तक काउंटर नंबर 3 पर बनती है। पर्ची का शुल्क 10 रुपये है और एक पर्ची सात दिन तक मान्य रहती है।

आयुष्मान कार्ड वाले मरीज़ों का भर्ती होने पर पाँच लाख रुपये तक का इलाज मुफ़्त है। कार्ड बनवाने के लिए आधार कार्ड और राशन कार्ड लेकर कमरा नंबर 12 में आएँ।

खून की जाँच के लिए नमूने सुबह 8 से 11 बजे तक लिए जाते हैं। रिपोर्ट अगले दिन दोपहर 2 बजे के बाद मिलती है।

आपातकालीन सेवा चौबीसों घंटे खुली रहती है। एम्बुलेंस के लिए 108 पर मुफ़्त कॉल करें।""",
        questions=[("ओपीडी की पर्ची कब बनती है?", "सुबह 8 बजे से दोपहर 1 बजे तक"),
                   ("आयुष्मान कार्ड पर कितने का इलाज मुफ्त है", "पाँच लाख रुपये तक"),
                   ("खून की जांच का समय क्या है?", "सुबह 8 से 11 बजे तक"),
                   ("ब्लड टेस्ट की रिपोर्ट कब मिलेगी?", "रिपोर्ट अगले दिन"),
                   ("एम्बुलेंस कैसे बुलाएँ?", "108 पर मुफ़्त कॉल")],
        off_topic=["पासपोर्ट के लिए आवेदन कैसे करें?", "लखनऊ से दिल्ली की ट्रेन का किराया कितना है?",
                   "कल बारिश होगी क्या?"]),
    "uk_poshta": dict(split="held-out", lang="uk", doc="пошта.txt", text="""Укрпошта, відділення 01001 – інформація для клієнтів

Відділення працює з понеділка по п'ятницю з 9:00 до 18:00, у суботу з 9:00 до 15:00. Неділя – вихідний день.

Посилку до 2 кг по Україні можна надіслати за 45 гривень. Доставка між обласними центрами триває два-три дні, до сіл – до п'яти днів.

Отримати посилку можна за паспортом або через застосунок Укрпошти. Посилка зберігається у відділенні безкоштовно 14 днів, після чого повертається відправнику.

Для міжнародного відправлення потрібно заповнити митну декларацію. Заборонено пересилати ліки, гроші та легкозаймисті речовини.""",
        questions=[("Чи працює пошта в суботу?", "у суботу з 9:00 до 15:00"),
                   ("Скільки коштує відправити посилку по Україні?", "за 45 гривень"),
                   ("скільки днів йде посилка", "два-три дні"),
                   ("Скільки зберігається посилка у відділенні?", "безкоштовно 14 днів"),
                   ("Чи можна переслати ліки за кордон?", "Заборонено пересилати ліки")],
        off_topic=["Як оформити закордонний паспорт?", "Яка погода буде завтра у Львові?",
                   "Скільки коштує квиток на поїзд до Одеси?"]),
}

if __name__ == "__main__":
    for name, f in FOLDERS.items():
        body = dict(split=f["split"], lang=f["lang"], docs={f["doc"]: f["text"]},
                    questions=[dict(q=q, gold=g) for q, g in f["questions"]], off_topic=f["off_topic"])
        for q in body["questions"]:
            assert q["gold"] in f["text"], (name, q)
        (HERE / f"{name}.json").write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
