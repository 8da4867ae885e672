"""Session 19's held-out folders (written by hand before any run; none of Sessions 17's or 18's
languages): one notice of four passages each in Slovak, Croatian, Lithuanian, Estonian, Indonesian
and Slovenian, five questions whose answer it holds (typed as people type them, some without marks,
some in other words than the passage's) and three off-topic questions in its language.

    python benchmarks/outside19/make_folders.py   # writes the .json files beside it
"""
import json
from pathlib import Path

FOLDERS = {
    "sk_plavaren": ("sk", {"plavaren.txt": """Mestská plaváreň Prievidza – informácie pre návštevníkov

Plaváreň je otvorená od pondelka do piatku od 6.00 do 21.00, v sobotu a v nedeľu od 9.00 do 20.00. Počas štátnych sviatkov je zatvorená.

Vstupné pre dospelých je 5 eur na dve hodiny, deti do 15 rokov a dôchodcovia platia 3 eurá. Permanentka na 10 vstupov stojí 40 eur.

Plavecký kurz pre deti od 5 rokov začína vždy prvý týždeň v mesiaci. Prihlásiť sa dá na recepcii alebo telefonicky na čísle 046 511 22 33.

V šatni sú uzamykateľné skrinky, kľúč dostanete na recepcii za zálohu 2 eurá. Za stratu kľúča sa platí pokuta 15 eur."""},
        [("Kedy je otvorená plaváreň cez víkend?", "v sobotu a v nedeľu od 9.00"),
         ("kolko stoji vstup pre dieta", "deti do 15 rokov"),
         ("Koľko stojí permanentka?", "Permanentka na 10 vstupov"),
         ("Ako prihlásim syna na plavecký kurz?", "Plavecký kurz pre deti"),
         ("Čo ak stratím kľúč od skrinky?", "Za stratu kľúča")],
        ["Kde si môžem vybaviť rybársky lístok?", "Aké bude zajtra počasie v Bratislave?",
         "Koľko stojí oprava bicykla?"]),
    "hr_vrtic": ("hr", {"upis.txt": """Dječji vrtić Sunce – upis u pedagošku godinu

Upis djece u vrtić održava se od 2. do 16. svibnja. Zahtjev se predaje osobno u upravi vrtića ili putem e-Građana.

Uz zahtjev je potrebno priložiti rodni list djeteta, potvrdu o prebivalištu i liječničku potvrdu o zdravstvenom stanju djeteta.

Mjesečna cijena cjelodnevnog programa iznosi 120 eura. Roditelji s troje ili više djece plaćaju upola manje.

Vrtić radi svakim radnim danom od 6 do 17 sati. Ljeti, u srpnju i kolovozu, radi samo jedna zgrada, i to ona u Ulici Ivana Gundulića."""},
        [("Kada je upis u vrtić?", "Upis djece u vrtić"),
         ("Koje papire trebam za upis?", "Uz zahtjev je potrebno"),
         ("koliko kosta vrtic mjesecno", "Mjesečna cijena"),
         ("Do koliko sati radi vrtić?", "od 6 do 17 sati"),
         ("Imamo četvero djece, imamo li popust?", "troje ili više djece")],
        ["Gdje mogu kupiti kartu za trajekt do Hvara?", "Koliko košta registracija automobila?",
         "Tko je pobijedio na izborima u Zagrebu?"]),
    "lt_poliklinika": ("lt", {"pacientams.txt": """Vilniaus miesto poliklinika – informacija pacientams

Poliklinika dirba darbo dienomis nuo 7 iki 20 valandos, šeštadieniais nuo 8 iki 14 valandos. Sekmadieniais ir švenčių dienomis poliklinika nedirba.

Pas šeimos gydytoją galima užsiregistruoti telefonu 1808 arba internetu per sistemą ESPBI. Registruojantis reikia nurodyti asmens kodą.

Kraujo tyrimai atliekami kiekvieną rytą nuo 7 iki 10 valandos antrame aukšte. Prieš tyrimą nereikia valgyti ir gerti kavos.

Vaikų skiepijimas vyksta antradieniais ir ketvirtadieniais. Tėvai turi atsinešti vaiko sveikatos pasą."""},
        [("Kada dirba poliklinika šeštadienį?", "šeštadieniais nuo 8"),
         ("Kaip užsiregistruoti pas gydytoją?", "galima užsiregistruoti"),
         ("Ar galima valgyti prieš kraujo tyrimą?", "Prieš tyrimą nereikia valgyti"),
         ("kada skiepija vaikus", "Vaikų skiepijimas"),
         ("Kokiu telefonu registruotis?", "telefonu 1808")],
        ["Kiek kainuoja autobuso bilietas į Kauną?", "Kur galima pasidaryti naują pasą?",
         "Koks oras bus rytoj Klaipėdoje?"]),
    "et_raamatukogu": ("et", {"lugejale.txt": """Tartu Linnaraamatukogu – lugejale

Raamatukogu on avatud esmaspäevast reedeni kella 10–19 ja laupäeval kella 10–17. Pühapäeval on raamatukogu suletud.

Lugejaks saab registreeruda isikut tõendava dokumendiga. Lugejapilet on tasuta, kaotatud pileti asemel uue saamine maksab 2 eurot.

Raamatuid võib laenutada kuni 30 päevaks ja korraga kuni 15 teost. Laenutusaega saab pikendada veebis või telefonil 736 1380.

Tagastamisega hilinemisel tuleb maksta viivist 10 senti päevas iga teose eest. Lastele viivist ei arvestata."""},
        [("Kas raamatukogu on pühapäeval lahti?", "Pühapäeval on raamatukogu suletud"),
         ("Kuidas saada lugejaks?", "Lugejaks saab registreeruda"),
         ("Mitu raamatut võin korraga laenutada?", "kuni 15 teost"),
         ("kuidas laenutust pikendada", "Laenutusaega saab pikendada"),
         ("Kui palju maksab hilinemine?", "viivist 10 senti")],
        ["Kus saab Tallinnas parkimise eest maksta?", "Millal algab kooliaasta?", "Kui palju maksab uus pass?"]),
    "id_pdam": ("id", {"pengumuman.txt": """PDAM Tirta Kencana – Pengumuman untuk Pelanggan

Pembayaran tagihan air dapat dilakukan setiap tanggal 1 sampai 20 setiap bulan di kantor PDAM, kantor pos, atau melalui aplikasi bank. Keterlambatan pembayaran dikenakan denda Rp10.000.

Pemasangan sambungan baru memerlukan fotokopi KTP, fotokopi kartu keluarga, dan surat keterangan dari kelurahan. Biaya pemasangan sebesar Rp1.500.000.

Jika terjadi kebocoran pipa atau air tidak mengalir, pelanggan dapat menghubungi layanan pengaduan di nomor 0274 512 345 selama 24 jam.

Pada tanggal 14 dan 15 Juni akan dilakukan perbaikan pipa utama, sehingga aliran air di Kecamatan Gondokusuman akan terhenti dari pukul 08.00 sampai 16.00."""},
        [("Sampai tanggal berapa bayar tagihan air?", "setiap tanggal 1 sampai 20"),
         ("Apa saja syarat pasang air baru?", "Pemasangan sambungan baru"),
         ("Pipa bocor harus lapor ke mana?", "kebocoran pipa"),
         ("kapan air mati di gondokusuman", "aliran air di Kecamatan Gondokusuman"),
         ("Berapa denda kalau telat bayar?", "denda Rp10.000")],
        ["Bagaimana cara membuat SIM baru?", "Jadwal kereta api Jakarta ke Surabaya hari ini?",
         "Berapa harga beras di pasar sekarang?"]),
    "sl_odpadki": ("sl", {"odvoz.txt": """Komunala Kranj – odvoz odpadkov

Mešane komunalne odpadke odvažamo vsak drugi torek, embalažo pa vsak petek. Zabojnike postavite ob cesto do šeste ure zjutraj.

Kosovne odpadke odpeljemo enkrat na leto brezplačno. Odvoz naročite po telefonu 04 281 13 00 ali z obrazcem na naši spletni strani.

Zbirni center na Savski loki je odprt od ponedeljka do petka od 7. do 19. ure in ob sobotah od 7. do 13. ure. Nevarne odpadke, kot so baterije in barve, sprejemamo brezplačno.

Za izgubljen ali poškodovan zabojnik plačate 30 evrov, nov zabojnik vam dostavimo v enem tednu."""},
        [("Kdaj odvažate embalažo?", "embalažo pa vsak petek"),
         ("Kako naročim odvoz starega kavča?", "Kosovne odpadke"),
         ("kdaj je odprt zbirni center v soboto", "ob sobotah od 7."),
         ("Kam lahko odnesem stare baterije?", "Nevarne odpadke"),
         ("Koliko stane nov zabojnik?", "plačate 30 evrov")],
        ["Kje lahko podaljšam osebno izkaznico?", "Koliko stane mesečna vozovnica za avtobus v Ljubljani?",
         "Kakšno bo vreme jutri na Bledu?"]),
}

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name, (lang, docs, questions, off_topic) in FOLDERS.items():
        for q, gold in questions:
            assert any(gold in text for text in docs.values()), (name, gold)
        folder = {"split": "heldout", "lang": lang, "docs": docs,
                  "questions": [{"q": q, "gold": gold} for q, gold in questions], "off_topic": off_topic}
        (here / f"{name}.json").write_text(json.dumps(folder, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
