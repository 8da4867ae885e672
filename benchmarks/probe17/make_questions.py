"""Session 17's probe questions, written by hand and split into dev and held-out before any run.

Each document has its questions in the order written; they alternate dev, held-out, dev...
(`split` below), and an off-topic question (doc None: nothing in the folder answers it)
goes to the split its position gives. `lang` is the question's language; a question in
another language than its document's is counted as "cross".

    python benchmarks/probe17/make_questions.py   # writes questions_dev.jsonl, questions_heldout.jsonl
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (lang, question, doc, gold text in the passage, answer text in the highlighted sentence)
QUESTIONS = {
    "th_prapa_prakat": [
        ("th", "น้ำไม่ไหลวันไหน", "วันเสาร์ที่ 15 มีนาคม 2568", "วันเสาร์ที่ 15 มีนาคม"),
        ("th", "น้ำขุ่นทำยังไง", "น้ำอาจมีสีขุ่น", "เปิดก๊อกทิ้งไว้ประมาณ 5 นาที"),
        ("th", "จ่ายค่าน้ำที่ไหนได้บ้าง", "ชำระค่าน้ำผ่านแอปพลิเคชัน", "ร้านสะดวกซื้อ"),
        ("th", "ตำบลไหนบ้างที่น้ำไม่ไหล", "ตำบลสุเทพ", "ตำบลช้างเผือก"),
        ("en", "water cut chiang mai which day", "วันเสาร์ที่ 15 มีนาคม 2568", "วันเสาร์ที่ 15 มีนาคม"),
        ("th", "เบอร์โทรแจ้งท่อน้ำรั่ว", "หากพบท่อน้ำรั่ว", "1662"),
        ("th", "ร้านกาแฟเปิดกี่โมง", None, None),
    ],
    "he_kupa_faq": [
        ("he", "מתי המרפאה פתוחה בשישי", "וביום שישי בין 08:00 ל-12:00", "08:00 ל-12:00"),
        ("he", "צריך הפניה לרופא עור?", "האם צריך הפניה לרופא עור", "צריך הפניה מרופא המשפחה"),
        ("he", "לחדש מרשם באפליקציה", "לחדש באפליקציה", "לחדש באפליקציה"),
        ("he", "כמה משלמים על מומחה", "ההשתתפות העצמית היא 29", "29"),
        ("en", "how long is a referral valid", "ההפניה תקפה לשלושה חודשים", "לשלושה חודשים"),
        ("he", "באיזו שעה נפתחים תורים להיום", "נפתחים בשעה 07:00", "07:00"),
        ("he", "איפה חונים ליד הים בתל אביב", None, None),
        ("he", "חניון למרפאה", "חניון ציבורי ברחוב איינשטיין", "איינשטיין 40"),
    ],
    "ur_bijli_notice": [
        ("ur", "گلبرگ میں بجلی کب بند ہوگی", "اتوار 12 جنوری", "اتوار 12 جنوری"),
        ("ur", "بل جمع کرانے کی آخری تاریخ", "آخری تاریخ ہر ماہ کی 20 تاریخ", "20 تاریخ"),
        ("ur", "نیا میٹر کیسے لگوائیں", "نیا میٹر لگوانے کے لیے", "شناختی کارڈ کی کاپی"),
        ("ur", "شکایت کا نمبر", "ہیلپ لائن 118", "118"),
        ("en", "late payment fine on lesco bill", "10 فیصد جرمانہ", "10 فیصد"),
        ("ur", "bijli kab band hogi gulberg", "اتوار 12 جنوری", "اتوار 12 جنوری"),
        ("ur", "کرکٹ میچ کا اسکور کیا ہے", None, None),
        ("ur", "اے سی کا درجہ حرارت کتنا رکھیں", "26 ڈگری", "26 ڈگری"),
    ],
    "am_hospital_info": [
        ("am", "ሆስፒታሉ ቅዳሜ ክፍት ነው?", "ቅዳሜ እስከ ቀኑ 6:00", "ቅዳሜ እስከ ቀኑ 6:00"),
        ("am", "የካርድ ክፍያ ስንት ነው", "የካርድ ክፍያ 50 ብር", "50 ብር"),
        ("am", "የድንገተኛ ስልክ ቁጥር", "ወደ 907 ይደውሉ", "907"),
        ("am", "ታካሚ መጠየቅ መቼ ይቻላል", "ታካሚን መጠየቅ የሚቻለው", "ከቀኑ 6:00 እስከ 8:00"),
        ("en", "blood donation age limit", "ከ18 እስከ 60 ዓመት", "ከ18 እስከ 60"),
        ("am", "የአውቶቡስ ትኬት ዋጋ ስንት ነው", None, None),
        ("am", "ደም መለገስ የሚቻለው መቼ ነው", "በየሳምንቱ ረቡዕ", "በየሳምንቱ ረቡዕ"),
    ],
    "ka_museum_info": [
        ("ka", "ორშაბათს ღიაა მუზეუმი?", "ორშაბათს მუზეუმი დაკეტილია", "ორშაბათს მუზეუმი დაკეტილია"),
        ("ka", "ბილეთი რა ღირს სტუდენტისთვის", "სტუდენტებისთვის – 5 ლარი", "5 ლარი"),
        ("ka", "როდის არის უფასო შესვლა", "ბოლო კვირას", "ბოლო კვირას"),
        ("ka", "შეიძლება ფოტოს გადაღება?", "ფოტოს გადაღება ნებადართულია", "ფოტოს გადაღება ნებადართულია"),
        ("en", "audio guide languages and price", "აუდიოგიდი ხელმისაწვდომია", "10 ლარად"),
        ("ka", "სად არის ახლოს აფთიაქი", None, None),
        ("ka", "ოქროს ფონდი რა ნივთებია", "ოქროს ფონდის გამოფენაზე", "ვერცხლის ნივთები"),
    ],
    "hy_post_faq": [
        ("hy", "կիրակի բաժանմունքը բա՞ց է", "Կիրակի օրը բաժանմունքները փակ են", "Կիրակի օրը"),
        ("hy", "քանի օրում է ծանրոցը հասնում Գյումրի", "2-3 աշխատանքային օրում", "2-3 աշխատանքային օրում"),
        ("hy", "միջազգային ծանրոցի քաշը", "առավելագույն քաշը 20 կիլոգրամ", "20 կիլոգրամ"),
        ("hy", "ինչպե՞ս հետևել ծանրոցին", "Ծանրոցին կարող եք հետևել", "հետևման համարը"),
        ("en", "damaged parcel complaint haypost", "ծանրոցը վնասված է հասել", "7 օրվա ընթացքում"),
        ("hy", "ինչ եղանակ է լինելու վաղը", None, None),
        ("hy", "Երեւանից ծանրոց Գյումրի", "Երևանից Գյումրի", "2-3 աշխատանքային օրում"),
    ],
    "sw_maji_faq": [
        ("sw", "kulipa bili ya maji kwa mpesa", "Unaweza kulipa kupitia M-Pesa", "888999"),
        ("sw", "maji yamekatika nipige simu wapi", "Piga simu bure", "0800 110 064"),
        ("sw", "gharama ya kuunganisha maji", "Gharama ya kuunganisha ni shilingi 350,000", "350,000"),
        ("sw", "mita imeharibika", "Mita ya maji ikiharibika", "fundi atabadilisha mita"),
        ("en", "water connection fee dar es salaam", "Gharama ya kuunganisha ni shilingi 350,000", "350,000"),
        ("sw", "kinondoni maji yanakuja siku gani", "maeneo ya Kinondoni na Ubungo", "Jumatatu, Jumatano na Ijumaa"),
        ("sw", "bei ya tiketi ya basi kwenda arusha", None, None),
    ],
    "tl_barangay_anunsyo": [
        ("tl", "magkano ang barangay clearance", "nagkakahalaga ng ₱100", "₱100"),
        ("tl", "kailan kinukuha ang basura", "koleksyon ng basura ay tuwing Martes at Biyernes", "Martes at Biyernes"),
        ("tl", "libreng bakuna para sa senior", "libreng bakuna laban sa trangkaso", "ika-8 ng Marso"),
        ("tl", "walang tubig purok 3 kailan", "mawawalan ng tubig ang Purok 3", "Miyerkules"),
        ("en", "is the barangay hall open on saturday", "Bukas ang barangay hall mula Lunes", "Lunes hanggang Biyernes"),
        ("tl", "presyo ng bigas ngayong linggo", None, None),
        ("tl", "numero para sa emergency", "tumawag sa 0917 555 0123", "0917 555 0123"),
    ],
    "vi_internet_faq": [
        ("vi", "mat mang phai lam gi", "Tôi bị mất mạng thì phải làm gì", "khởi động lại modem"),
        ("vi", "cuoc phi goi 150mbps bao nhieu", "Cước phí gói cáp quang Home 150 Mbps", "220.000 đồng"),
        ("vi", "doi mat khau wifi", "Để đổi mật khẩu Wi-Fi", "192.168.1.1"),
        ("vi", "lắp mạng mới cần giấy tờ gì", "Thủ tục lắp đặt mới cần căn cước", "căn cước công dân"),
        ("vi", "chuyen nha co mat phi khong", "Khi chuyển nhà", "100.000 đồng"),
        ("en", "how much is the 150 mbps plan per month", "Cước phí gói cáp quang Home 150 Mbps", "220.000 đồng"),
        ("vi", "gia vang hom nay", None, None),
        ("vi", "bao lau thi ky thuat vien den lap dat", "trong vòng 48 giờ", "48 giờ"),
    ],
    "bn_rail_news": [
        ("bn", "অগ্রিম টিকিট কবে থেকে", "অগ্রিম টিকিট বিক্রি শুরু হবে", "১৪ মার্চ"),
        ("bn", "একজন কয়টা টিকিট কিনতে পারবে", "সর্বোচ্চ ৪টি টিকিট", "৪টি টিকিট"),
        ("bn", "ফিরতি টিকিট কবে পাওয়া যাবে", "ফিরতি যাত্রার টিকিট", "২ এপ্রিল"),
        ("bn", "ছাদে ভ্রমণ করলে জরিমানা কত", "ট্রেনের ছাদে ভ্রমণ", "৫০০ টাকা"),
        ("en", "how many special trains for eid", "৮টি বিশেষ ট্রেন", "৮টি বিশেষ ট্রেন"),
        ("bn", "ঢাকায় আজকের আবহাওয়া কেমন", None, None),
        ("bn", "টিকিট বিক্রি 14 মার্চ কয়টায়", "অগ্রিম টিকিট বিক্রি শুরু হবে", "সকাল ৮টা"),
    ],
    "el_apergia_ploia": [
        ("el", "απεργια πλοια ποτε", "Δεμένα θα μείνουν τα πλοία", "Πέμπτη 20 Φεβρουαρίου"),
        ("el", "επιστροφη χρηματων εισιτηριο", "επιστροφή χρημάτων μέσα σε 30 ημέρες", "30 ημέρες"),
        ("el", "ποτε ξεκινανε ξανα τα δρομολογια για κρητη", "Τα δρομολόγια προς Κρήτη", "Παρασκευή 21 Φεβρουαρίου"),
        ("el", "ριο αντιριο δουλευει;", "γραμμής Ρίου–Αντιρρίου", "κανονικά"),
        ("en", "ferry strike greece can i change my ticket", "μπορούν να τα αλλάξουν χωρίς χρέωση", "χωρίς χρέωση"),
        ("el", "συνταγη για μουσακα", None, None),
        ("el", "τηλεφωνο λιμεναρχειου πειραια", "Λιμεναρχείο Πειραιά", "210 4226000"),
    ],
    "ca_deixalleria_faq": [
        ("ca", "horari deixalleria dissabte", "els dissabtes, de 9 a 14 h", "de 9 a 14 h"),
        ("ca", "es pot portar runa", "runa d'obres petites", "fins a 50 kg"),
        ("ca", "cal pagar si soc empadronat", "El servei és gratuït per als veïns empadronats", "gratuït"),
        ("ca", "recollida de mobles telefon", "Recollida de mobles a domicili", "900 300 222"),
        ("fr", "horaires déchetterie le dimanche", "Diumenges i festius és tancada", "Diumenges i festius"),
        ("ca", "on puc aparcar a la platja", None, None),
        ("ca", "descompte taxa escombraries", "us descompten un 10 % de la taxa", "10 %"),
    ],
}


def split() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"dev": [], "heldout": []}
    for doc, rows in QUESTIONS.items():
        for i, (lang, q, gold, answer) in enumerate(rows):
            out["dev" if i % 2 == 0 else "heldout"].append(
                {"lang": lang, "q": q, "doc": doc if gold else None, "gold": gold, "answer": answer,
                 "doc_lang": doc[:2]})
    return out


if __name__ == "__main__":
    for name, rows in split().items():
        (HERE / f"questions_{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(name, len(rows), "questions,", sum(r["doc"] is None for r in rows), "off-topic")
