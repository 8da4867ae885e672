"""Session 17's fresh weak-match set (docs/quality.md, "Session 17: weak matches in languages the
model does not know"): eight hand-written small folders in languages outside USE-m3's, each with
5 questions whose answer it holds (gold: a piece of the answering paragraph) and 3 off-topic
questions in the same language. The split is by language and was fixed here, before any run:

    dev:      el (Greek), hi (Hindi), sw (Swahili), uk (Ukrainian)
    held-out: fa (Persian), bn (Bengali), ka (Georgian), tl (Tagalog)

    python benchmarks/weak17/make_folders.py   # writes benchmarks/weak17/<lang>_<name>.json
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

FOLDERS = {
    "el_pool": dict(split="dev", lang="el", doc="κολυμβητηριο.txt", text="""Δημοτικό Κολυμβητήριο Χαλανδρίου – Ενημέρωση για τη νέα περίοδο

Το κολυμβητήριο ανοίγει ξανά τη Δευτέρα 2 Σεπτεμβρίου μετά τις εργασίες συντήρησης. Το ωράριο λειτουργίας είναι καθημερινά από τις 7:00 έως τις 21:00 και το Σάββατο από τις 9:00 έως τις 14:00. Την Κυριακή παραμένει κλειστό.

Η μηνιαία κάρτα μέλους κοστίζει 25 ευρώ για τους δημότες και 35 ευρώ για τους μη δημότες. Οι συνταξιούχοι και οι φοιτητές πληρώνουν μειωμένο αντίτιμο 15 ευρώ με την επίδειξη της αντίστοιχης ταυτότητας.

Για την εγγραφή χρειάζεται ιατρική βεβαίωση από παθολόγο ή καρδιολόγο, που ισχύει για ένα χρόνο, και μία φωτογραφία. Οι αιτήσεις γίνονται στη γραμματεία του κολυμβητηρίου ή ηλεκτρονικά στην ιστοσελίδα του Δήμου.

Τα τμήματα εκμάθησης κολύμβησης για παιδιά από 6 έως 12 ετών γίνονται Τρίτη και Πέμπτη στις 17:00. Κάθε τμήμα έχει έως δώδεκα παιδιά και έναν προπονητή.

Στην πισίνα είναι υποχρεωτικό το σκουφάκι και οι σαγιονάρες. Πριν από την είσοδο στο νερό όλοι οι λουόμενοι κάνουν ντους. Απαγορεύεται το φαγητό στον χώρο γύρω από την πισίνα.""",
        questions=[("Τι ώρα ανοίγει η πισίνα το Σάββατο;", "το Σάββατο από τις 9:00"),
                   ("Πόσο κάνει η κάρτα για φοιτητές;", "μειωμένο αντίτιμο 15 ευρώ"),
                   ("τι χαρτια χρειαζομαι για να γραφτω", "ιατρική βεβαίωση"),
                   ("Υπάρχουν μαθήματα κολύμβησης για παιδιά;", "τμήματα εκμάθησης κολύμβησης"),
                   ("Πρέπει να φοράω σκουφάκι;", "υποχρεωτικό το σκουφάκι")],
        off_topic=["Πού μπορώ να βγάλω διαβατήριο;", "Πόσο κοστίζει το εισιτήριο του μετρό στην Αθήνα;",
                   "Τι καιρό θα κάνει αύριο στη Θεσσαλονίκη;"]),
    "hi_bank": dict(split="dev", lang="hi", doc="सूचना.txt", text="""भारतीय सहकारी बैंक, लाजपत नगर शाखा – ग्राहकों के लिए सूचना

शाखा का नया समय 1 अप्रैल से लागू होगा। बैंक सोमवार से शुक्रवार सुबह 10 बजे से शाम 4 बजे तक खुला रहेगा। दूसरे और चौथे शनिवार को शाखा बंद रहेगी।

नया बचत खाता खोलने के लिए आधार कार्ड, पैन कार्ड और दो पासपोर्ट साइज़ फोटो लाना ज़रूरी है। न्यूनतम जमा राशि 1000 रुपये है।

एटीएम कार्ड खो जाने पर तुरंत टोल-फ्री नंबर 1800 180 2222 पर कॉल करके कार्ड ब्लॉक कराएँ। नया कार्ड सात कार्य दिवसों में घर के पते पर भेजा जाएगा।

वरिष्ठ नागरिकों को सावधि जमा पर 0.5 प्रतिशत अतिरिक्त ब्याज मिलेगा। एक साल की जमा पर ब्याज दर अब 7.25 प्रतिशत है।

बैंक कभी भी फ़ोन या एसएमएस पर आपका ओटीपी या पिन नहीं माँगता। ऐसी कोई कॉल आए तो उसकी शिकायत शाखा प्रबंधक से करें।""",
        questions=[("शनिवार को बैंक खुला है क्या", "दूसरे और चौथे शनिवार"),
                   ("खाता खोलने के लिए कौन से कागज़ चाहिए?", "आधार कार्ड, पैन कार्ड"),
                   ("एटीएम कार्ड गुम हो गया तो क्या करूँ", "कार्ड ब्लॉक"),
                   ("बुजुर्गों को एफडी पर कितना ब्याज मिलता है?", "0.5 प्रतिशत अतिरिक्त ब्याज"),
                   ("कोई ओटीपी माँगे तो क्या करें?", "ओटीपी या पिन")],
        off_topic=["ट्रेन का तत्काल टिकट कैसे बुक करें?", "गैस सिलेंडर की बुकिंग कैसे होती है?",
                   "दिल्ली में आज मौसम कैसा रहेगा?"]),
    "sw_shule": dict(split="dev", lang="sw", doc="tangazo.txt", text="""Shule ya Msingi Mwenge – Tangazo kwa Wazazi

Muhula wa pili utaanza Jumatatu tarehe 6 Mei. Wanafunzi wote wanatakiwa kufika shuleni saa moja na nusu asubuhi wakiwa wamevaa sare kamili.

Ada ya muhula ni shilingi 150,000 na inalipwa kupitia benki au M-Pesa kwa namba ya biashara 445566. Mzazi atatakiwa kuleta risiti ofisini kabla ya tarehe 20 Mei.

Mkutano wa wazazi na walimu utafanyika Jumamosi tarehe 18 Mei saa nne asubuhi katika ukumbi wa shule. Tutajadili matokeo ya mitihani na ujenzi wa maktaba mpya.

Chakula cha mchana kinatolewa shuleni kwa shilingi 30,000 kwa muhula. Wanafunzi wenye mzio wa chakula wawasilishe barua ya daktari kwa mwalimu wa darasa.

Basi la shule linapita Kimara, Ubungo na Sinza. Nafasi ni chache, hivyo wazazi wanaohitaji usafiri wajiandikishe mapema kwa mhasibu wa shule.""",
        questions=[("Muhula wa pili unaanza lini?", "Muhula wa pili utaanza"),
                   ("ada ya shule ni kiasi gani", "Ada ya muhula"),
                   ("Mkutano wa wazazi ni siku gani?", "Mkutano wa wazazi"),
                   ("Mtoto wangu ana mzio wa chakula, nifanye nini?", "mzio wa chakula"),
                   ("Basi la shule linapita wapi?", "Basi la shule")],
        off_topic=["Jinsi ya kupata pasipoti Tanzania?", "Bei ya mahindi sokoni leo ni kiasi gani?",
                   "Timu gani ilishinda ligi kuu mwaka jana?"]),
    "uk_library": dict(split="dev", lang="uk", doc="оголошення.txt", text="""Бібліотека імені Лесі Українки – оголошення для читачів

З 1 жовтня бібліотека працює за новим розкладом: з вівторка по суботу з 10:00 до 19:00. У неділю та понеділок вихідні дні.

Щоб записатися до бібліотеки, потрібно мати паспорт або ID-картку. Читацький квиток видають безкоштовно, для дітей до 14 років потрібна присутність одного з батьків.

Книги видають на три тижні. Термін можна продовжити ще на два тижні телефоном або на сайті бібліотеки, якщо книгу не замовив інший читач.

За кожен день прострочення стягується штраф 5 гривень за одну книгу. Загублену книгу читач має замінити такою самою або сплатити її вартість.

Щочетверга о 17:00 у читальній залі проходить розмовний клуб англійської мови. Участь вільна, реєстрація не потрібна.""",
        questions=[("Чи працює бібліотека в понеділок?", "вихідні дні"),
                   ("що треба щоб отримати читацький квиток", "паспорт або ID-картку"),
                   ("Як продовжити книгу?", "Термін можна продовжити"),
                   ("Який штраф якщо я запізнився з книгою?", "штраф 5 гривень"),
                   ("Коли розмовний клуб англійської?", "розмовний клуб")],
        off_topic=["Як оформити субсидію на комунальні послуги?", "Скільки коштує проїзд у метро в Києві?",
                   "Який фільм подивитися на вихідних?"]),
    "fa_clinic": dict(split="held-out", lang="fa", doc="اطلاعیه.txt", text="""درمانگاه شبانه‌روزی امید – اطلاعیه برای مراجعان

درمانگاه از شنبه تا پنجشنبه از ساعت ۸ صبح تا ۱۰ شب باز است. روزهای جمعه فقط بخش اورژانس پذیرش دارد.

برای گرفتن نوبت پزشک عمومی می‌توانید با شماره ۰۲۱۸۸۷۷۶۶۵۵ تماس بگیرید یا از سامانه نوبت‌دهی اینترنتی استفاده کنید. نوبت متخصص اطفال فقط حضوری داده می‌شود.

بیماران دارای بیمه تأمین اجتماعی و بیمه سلامت فقط بیست درصد هزینه ویزیت را پرداخت می‌کنند. همراه داشتن کارت ملی الزامی است.

واکسن آنفلوانزا از اول مهر در داروخانه درمانگاه موجود است. تزریق واکسن برای افراد بالای شصت سال رایگان است.

آزمایشگاه درمانگاه صبح‌ها از ساعت ۷ تا ۱۰ نمونه خون می‌گیرد. برای آزمایش قند خون باید دوازده ساعت ناشتا باشید.""",
        questions=[("درمانگاه جمعه ها باز است؟", "روزهای جمعه"),
                   ("چطوری نوبت دکتر بگیرم", "نوبت پزشک عمومی"),
                   ("با بیمه چقدر باید پول بدم؟", "بیست درصد"),
                   ("واکسن انفولانزا دارید؟", "واکسن آنفلوانزا"),
                   ("برای آزمایش قند باید ناشتا باشم؟", "ناشتا")],
        off_topic=["قیمت دلار امروز چند است؟", "چطور گواهینامه رانندگی بگیرم؟",
                   "بهترین رستوران کبابی تهران کجاست؟"]),
    "bn_tax": dict(split="held-out", lang="bn", doc="বিজ্ঞপ্তি.txt", text="""ঢাকা উত্তর সিটি কর্পোরেশন – হোল্ডিং ট্যাক্স বিষয়ে বিজ্ঞপ্তি

২০২৪-২৫ অর্থবছরের হোল্ডিং ট্যাক্স ৩০ সেপ্টেম্বরের মধ্যে পরিশোধ করলে ১০ শতাংশ ছাড় পাওয়া যাবে।

ট্যাক্স অনলাইনে বিকাশ, নগদ অথবা ব্যাংক কার্ডের মাধ্যমে জমা দেওয়া যায়। আঞ্চলিক কার্যালয়েও নগদ টাকায় পরিশোধ করা যাবে।

নির্ধারিত সময়ের পরে পরিশোধ করলে প্রতি মাসে ২ শতাংশ হারে জরিমানা যোগ হবে।

নতুন বাড়ির মালিকদের হোল্ডিং নম্বর পেতে জমির দলিল, নকশা অনুমোদনের কপি এবং জাতীয় পরিচয়পত্রের ফটোকপি জমা দিতে হবে।

কোনো অভিযোগ থাকলে হটলাইন ১৬১০৬ নম্বরে ফোন করুন অথবা আঞ্চলিক কার্যালয়ে সকাল ৯টা থেকে বিকেল ৫টার মধ্যে যোগাযোগ করুন।""",
        questions=[("আগে ট্যাক্স দিলে কত ছাড়?", "১০ শতাংশ ছাড়"),
                   ("অনলাইনে ট্যাক্স দেওয়া যায়?", "অনলাইনে বিকাশ"),
                   ("দেরিতে দিলে জরিমানা কত", "জরিমানা"),
                   ("হোল্ডিং নম্বর পেতে কি কাগজ লাগে?", "জমির দলিল"),
                   ("অভিযোগ করার নম্বর কত?", "হটলাইন")],
        off_topic=["পাসপোর্ট নবায়ন করতে কত টাকা লাগে?", "ঢাকা থেকে কক্সবাজার বাসের ভাড়া কত?",
                   "আজ বাংলাদেশের খেলার স্কোর কত?"]),
    "ka_transport": dict(split="held-out", lang="ka", doc="ინფორმაცია.txt", text="""თბილისის ტრანსპორტი – ინფორმაცია მგზავრებისთვის

ავტობუსით და მეტროთი მგზავრობა ღირს 1 ლარი. გადახდა შესაძლებელია მეტროვარდის ბარათით ან საბანკო ბარათით.

მეტრო მუშაობს ყოველდღე დილის 6 საათიდან ღამის 12 საათამდე. ავტობუსების უმეტესობა ღამის 11 საათამდე მოძრაობს.

სტუდენტები და პენსიონერები მგზავრობენ შეღავათიანი ტარიფით. ამისთვის საჭიროა პერსონალური ბარათის აღება სერვის ცენტრში პირადობის მოწმობით.

90 წუთის განმავლობაში მეორე მგზავრობა უფასოა, თუ ერთი და იგივე ბარათით იხდით.

დაკარგული ნივთების შესახებ დარეკეთ ცხელ ხაზზე 2 723 723 ან მიმართეთ მეტროს სადგურ „სადგურის მოედნის“ სალაროს.""",
        questions=[("რა ღირს მეტრო?", "ღირს 1 ლარი"),
                   ("მეტრო რომელ საათამდე მუშაობს", "ღამის 12 საათამდე"),
                   ("სტუდენტებს აქვთ ფასდაკლება?", "შეღავათიანი ტარიფით"),
                   ("გადაჯდომა უფასოა?", "90 წუთის"),
                   ("ავტობუსში ჩანთა დამრჩა, სად დავრეკო?", "დაკარგული ნივთების")],
        off_topic=["როგორ ავიღო პასპორტი?", "რა ამინდი იქნება ხვალ ბათუმში?", "სად შეიძლება ხაჭაპურის ჭამა?"]),
    "tl_school": dict(split="held-out", lang="tl", doc="anunsyo.txt", text="""Paaralang Elementarya ng San Isidro – Anunsyo sa Pagpapatala

Ang pagpapatala para sa bagong taon ng pasukan ay mula Hunyo 3 hanggang Hunyo 14, Lunes hanggang Biyernes, alas-otso ng umaga hanggang alas-kuwatro ng hapon.

Dalhin ang PSA birth certificate ng bata, report card mula sa nakaraang paaralan at dalawang 1x1 na larawan.

Ang mga batang papasok sa Kindergarten ay dapat limang taong gulang bago mag-Agosto 31.

Libre ang matrikula sa pampublikong paaralan. Ang uniporme ay hindi kailangan sa unang buwan ng klase.

Para sa mga tanong, tumawag sa opisina ng punong-guro sa 0917 555 1234 o magpadala ng mensahe sa aming Facebook page.""",
        questions=[("Kailan po ang enrollment sa San Isidro?", "pagpapatala para sa bagong taon"),
                   ("Ano ang dapat dalhin para sa pagpapatala?", "PSA birth certificate"),
                   ("Ilang taon dapat ang bata para sa Kindergarten?", "limang taong gulang"),
                   ("May bayad ba ang matrikula?", "Libre ang matrikula"),
                   ("Ano ang numero ng opisina ng punong-guro?", "0917 555 1234")],
        off_topic=["Paano mag-apply ng passport sa DFA?", "Magkano ang pamasahe sa jeep ngayon?",
                   "Saan makakabili ng murang cellphone?"]),
}

if __name__ == "__main__":
    for name, f in FOLDERS.items():
        body = dict(split=f["split"], lang=f["lang"], docs={f["doc"]: f["text"]},
                    questions=[dict(q=q, gold=g) for q, g in f["questions"]], off_topic=f["off_topic"])
        for q in body["questions"]:
            assert q["gold"] in f["text"], (name, q)
        (HERE / f"{name}.json").write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
