"""Session 21's probe questions, written by hand (with the documents beside them) and split into
dev and held-out before any run.

Eight collections, one folder each. Seven are in languages and scripts no earlier probe wrote
documents in: Ukrainian (a residents' association's minutes, a water-cut notice), Slovak (a waste
collection notice in HTML, a bookshop's returns page), Lithuanian (library rules, a heating price
notice), Tamil (a water-cut notice, a school admission FAQ), Khmer (a vaccination notice, a
microloan FAQ: no spaces between words, Khmer digits), Welsh (a community council's minutes in
Word, a leisure centre FAQ) and Icelandic (swimming pool rules, a tenants' notice). The eighth is a
larger French collection of kinds not probed before: a support team's knowledge base, its monthly
meeting minutes (Word) and an outsourcing contract (HTML), 60+ paragraphs.

Questions as people type them: in the collection's language (paraphrased, without marks, with
typos, other word forms, Tamil in Latin letters once, Ukrainian with a Latin i once), in English,
and in a neighbour's language (Russian and Polish for Ukrainian, Czech and Polish for Slovak,
Latvian, Polish and Russian for Lithuanian, Hindi for Tamil, Thai and French for Khmer, Irish for
Welsh, Danish and Swedish for Icelandic, Spanish and German for French); two off-topic questions
per collection, three for French (doc None: nothing in the folder answers it). Within a collection
the questions alternate dev, held-out, dev... in the order written.

    python benchmarks/data/probe21/make_questions.py   # writes questions_dev.jsonl, questions_heldout.jsonl
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
    "uk_lviv": ("uk", [
        ("uk", "на скільки піднімуть внесок за квартиру", "protokol_zboriv_osbb", "зростає з 6,20 до 7,10 гривні", "7,10"),
        ("uk", "хто тепер у ревізійній комісії", "protokol_zboriv_osbb", "До ревізійної комісії обрано Тараса Гнатюка", "Тараса Гнатюка"),
        ("uk", "де взяти питну воду коли вимкнуть воду", "vidkliuchennia_vody", "Цистерна з питною водою", "Площа Кропивницького"),
        ("uk", "скільки коштувала заміна ліфта", "protokol_zboriv_osbb", "замінили ліфт у другому під'їзді", "1 240 000"),
        ("uk", "де ключi вiд укриття", "protokol_zboriv_osbb", "Ключі від укриття зберігаються", "старших по під'їздах"),
        ("uk", "чи треба писати заяву на перерахунок", "vidkliuchennia_vody", "Перерахунок плати", "окрема заява не потрібна"),
        ("uk", "вода каламутна що робити", "vidkliuchennia_vody", "може бути каламутною", "3–5 хвилин"),
        ("en", "how much does a parking pass cost", "protokol_zboriv_osbb", "лише мешканці з пропуском", "150 гривень"),
        ("en", "what will the solar panels power", "protokol_zboriv_osbb", "сонячні панелі на даху", "ліфти, насоси"),
        ("en", "phone number if the water is still off", "vidkliuchennia_vody", "гарячу лінію 1580", "1580"),
        ("ru", "сколько людей пришло на собрание", "protokol_zboriv_osbb", "41 співвласник із 70", "41"),
        ("ru", "будет ли горячая вода 14 апреля", "vidkliuchennia_vody", "Гаряча вода в цих будинках", "також буде відсутня"),
        ("pl", "kiedy nie będzie wody na Gródeckiej", "vidkliuchennia_vody", "з 8:00 до 20:00", "14 квітня"),
        ("uk", "розклад потягів Львів Київ", None, "", ""),
        ("en", "best borscht recipe", None, "", ""),
    ]),
    "sk_bratislava": ("sk", [
        ("sk", "kedy vyvazaju smeti", "vyvoz_odpadu", "vyváža dvakrát týždenne", "v pondelok a vo štvrtok"),
        ("sk", "kam dat stary gauč", "vyvoz_odpadu", "Objemný odpad", "Hálovej ulici"),
        ("sk", "kolko stoji poplatok za odpad pre dochodcu", "vyvoz_odpadu", "32 eur na osobu", "50 percent"),
        ("sk", "môžem vrátiť e-knihu", "reklamacie_eshop", "E-knihy, ktoré ste už stiahli", "vrátiť nemožno"),
        ("sk", "dokedy mi vratia peniaze", "reklamacie_eshop", "Peniaze vrátime na váš účet", "do 14 dní od doručenia"),
        ("sk", "kosti do hnedej nadoby?", "vyvoz_odpadu", "Bioodpad z kuchyne", "nepatria kosti"),
        ("sk", "ako dlho platí darčekový poukaz", "reklamacie_eshop", "Darčekové poukážky platia", "12 mesiacov"),
        ("en", "who pays shipping when I return a book", "reklamacie_eshop", "Náklady na vrátenie tovaru", "znáša zákazník"),
        ("en", "where do glass bottles go", "vyvoz_odpadu", "Sklo dávajte do zelených zvonov", "zelených zvonov"),
        ("en", "my bin was not emptied, who do I call", "vyvoz_odpadu", "nebola vyvezená", "02 5010 2222"),
        ("cs", "jak dlouho mám na reklamaci knihy", "reklamacie_eshop", "chybné strany", "24 mesiacov"),
        ("cs", "kde si můžu vyzvednout objednávku", "reklamacie_eshop", "Objednávku si môžete vyzdvihnúť", "Obchodnej ulici 12"),
        ("pl", "do którego pojemnika plastik", "vyvoz_odpadu", "Plasty, kovové obaly", "žltej nádoby"),
        ("sk", "aké bude zajtra počasie v Košiciach", None, "", ""),
        ("en", "how to renew a passport", None, "", ""),
    ]),
    "lt_vilnius": ("lt", [
        ("lt", "kiek knygu galima pasiimti", "bibliotekos_taisykles", "ne daugiau kaip 10 knygų", "10 knygų"),
        ("lt", "kiek kainuoja pavėlavimas grąžinti knygą", "bibliotekos_taisykles", "delspinigis", "0,10 euro"),
        ("lt", "ar biblioteka dirba sekmadieni", "bibliotekos_taisykles", "Sekmadienį ir per valstybines", "nedirba"),
        ("lt", "kodel atpigo sildymas", "sildymo_kaina", "Kaina sumažėjo", "biokuro"),
        ("lt", "šalta bute kur skambinti", "sildymo_kaina", "Radiatorių temperatūrą", "administratorių"),
        ("lt", "kiek mokesiu uz sildyma renovuotam name", "sildymo_kaina", "Renovuotame name", "45 eurus"),
        ("lt", "kaip gauti kompensacija uz sildyma", "sildymo_kaina", "kompensacijos", "spis.lt"),
        ("en", "what is the heating price in January", "sildymo_kaina", "8,9 ct/kWh", "8,9 ct/kWh"),
        ("en", "can a 12 year old get a library card", "bibliotekos_taisykles", "Vaikams iki 14 metų", "tėvų sutikimo"),
        ("en", "I lost a library book what now", "bibliotekos_taisykles", "Pametus ar sugadinus knygą", "rinkos vertę"),
        ("lv", "cik maksā drukāšana bibliotēkā", "bibliotekos_taisykles", "Spausdinti galima", "0,05 euro"),
        ("pl", "ile razy można przedłużyć wypożyczenie", "bibliotekos_taisykles", "pratęsti du kartus", "du kartus"),
        ("ru", "есть ли wifi в библиотеке", "bibliotekos_taisykles", "belaidis internetas", "nemokamas belaidis internetas"),
        ("lt", "kada prasideda krepšinio sezonas", None, "", ""),
        ("en", "how to cook cepelinai", None, "", ""),
    ]),
    "ta_chennai": ("ta", [
        ("ta", "தண்ணீர் எப்போது வராது", "kudineer_arivippu", "குடிநீர் விநியோகம் இருக்காது", "மார்ச் 18"),
        ("ta", "லாரி தண்ணீர் எண்", "kudineer_arivippu", "லாரி மூலம் தண்ணீர்", "044 4567 4567"),
        ("ta", "பள்ளியில் சேர என்ன சான்றிதழ் வேண்டும்", "palli_sergai", "பிறப்புச் சான்றிதழ்", "ஆதார் அட்டை"),
        ("ta", "பள்ளி கட்டணம் எவ்வளவு", "palli_sergai", "கல்விக் கட்டணம் இல்லை", "கல்விக் கட்டணம் இல்லை"),
        ("ta", "சனிக்கிழமை பள்ளி உண்டா", "palli_sergai", "சனிக்கிழமை விடுமுறை", "சனிக்கிழமை விடுமுறை"),
        ("ta", "admission kadaisi thethi enna", "palli_sergai", "மே 31", "மே 31"),
        ("ta", "கலங்கலான தண்ணீர் குடிக்கலாமா", "kudineer_arivippu", "கலங்கலான தண்ணீர் வரலாம்", "குடிக்க வேண்டாம்"),
        ("en", "which areas will have no water", "kudineer_arivippu", "அண்ணா நகர், வில்லிவாக்கம்", "அண்ணா நகர்"),
        ("en", "is there english medium in the school", "palli_sergai", "ஆங்கில வழி என", "இரண்டு பிரிவுகள்"),
        ("en", "free bus pass for students", "palli_sergai", "இலவச பயண அட்டை", "இலவச பயண அட்டை"),
        ("en", "whatsapp number for water complaints", "kudineer_arivippu", "94450 12345", "94450 12345"),
        ("hi", "स्कूल का समय क्या है", "palli_sergai", "காலை 9 மணிக்குத்", "மாலை 4 மணிக்கு"),
        ("hi", "क्या नाश्ता मुफ्त है", "palli_sergai", "காலை உணவு இலவசமாக", "காலை உணவு"),
        ("ta", "சென்னை சூப்பர் கிங்ஸ் அடுத்த போட்டி எப்போது", None, "", ""),
        ("en", "train ticket refund rules", None, "", ""),
    ]),
    "km_kandal": ("km", [
        ("km", "ខ្ចីបានប៉ុន្មាន", "kamchey_sournour", "អតិថិជនថ្មីអាចខ្ចីបាន", "៥០០០ ដុល្លារ"),
        ("km", "ការប្រាក់ប៉ុន្មានភាគរយ", "kamchey_sournour", "អត្រាការប្រាក់គឺ", "១,៥ ភាគរយ"),
        ("km", "ចាក់វ៉ាក់សាំងអស់លុយទេ", "vaccine_sechkdei_choundamnoeng", "ការចាក់វ៉ាក់សាំងគឺឥតគិតថ្លៃ", "ឥតគិតថ្លៃ"),
        ("km", "មន្ទីរពេទ្យបើកថ្ងៃអាទិត្យទេ", "vaccine_sechkdei_choundamnoeng", "ថ្ងៃអាទិត្យបិទ", "ថ្ងៃអាទិត្យបិទ"),
        ("km", "ត្រូវការប្លង់ដីទេ", "kamchey_sournour", "ទ្រព្យធានា", "១០០០ ដុល្លារ"),
        ("km", "កូនក្ដៅខ្លួន អាចចាក់វ៉ាក់សាំងបានទេ", "vaccine_sechkdei_choundamnoeng", "គ្រុនក្ដៅខ្លាំង", "រង់ចាំ"),
        ("km", "សងតាម Wing បានទេ", "kamchey_sournour", "ABA Mobile", "Wing"),
        ("en", "what documents do I need for a loan", "kamchey_sournour", "អត្តសញ្ញាណប័ណ្ណ", "សៀវភៅគ្រួសារ"),
        ("en", "measles vaccine for which ages", "vaccine_sechkdei_choundamnoeng", "កញ្ជ្រិល", "៩ ខែ"),
        ("en", "late payment penalty", "kamchey_sournour", "ការសងយឺត", "០,៥ ភាគរយ"),
        ("th", "ฉีดวัคซีนวันไหน", "vaccine_sechkdei_choundamnoeng", "កញ្ជ្រិល", "ថ្ងៃទី ៣"),
        ("th", "เบอร์โทรโรงพยาบาล", "vaccine_sechkdei_choundamnoeng", "០១២ ៣៤៥ ៦៧៨", "០១២ ៣៤៥ ៦៧៨"),
        ("fr", "quel est le taux d'interet du pret", "kamchey_sournour", "អត្រាការប្រាក់គឺ", "១,៥ ភាគរយ"),
        ("km", "អាកាសធាតុនៅសៀមរាបថ្ងៃស្អែក", None, "", ""),
        ("en", "angkor wat ticket price", None, "", ""),
    ]),
    "cy_llanrug": ("cy", [
        ("cy", "pryd mae'r maes chwarae yn agor", "cofnodion_cyngor_cymuned", "maes chwarae newydd", "1 Mai 2026"),
        ("cy", "faint yw'r praesept", "cofnodion_cyngor_cymuned", "codi'r praesept 3%", "£41,200"),
        ("cy", "oriau agor pwll nofio dydd sadwrn", "canolfan_hamdden_cwestiynau", "oriau agor y pwll nofio", "ar y penwythnos"),
        ("cy", "faint yw aelodaeth i blentyn", "canolfan_hamdden_cwestiynau", "aelodaeth fisol", "£18"),
        ("cy", "gwersi nofio plant", "canolfan_hamdden_cwestiynau", "gwersi nofio i blant", "dydd Sadwrn"),
        ("cy", "ga i ddod a nghi", "canolfan_hamdden_cwestiynau", "ni chaniateir cŵn", "ni chaniateir cŵn"),
        ("cy", "pwy oedd yn absennol o'r cyfarfod", "cofnodion_cyngor_cymuned", "Derbyniwyd ymddiheuriadau", "Meirion Evans"),
        ("en", "how much will the LED street lights save", "cofnodion_cyngor_cymuned", "oleuadau stryd i fylbiau LED", "£3,200"),
        ("en", "how do I cancel my gym membership", "canolfan_hamdden_cwestiynau", "un mis o rybudd", "un mis o rybudd"),
        ("en", "when is the next council meeting", "cofnodion_cyngor_cymuned", "cyfarfod nesaf", "13 Ebrill 2026"),
        ("en", "disabled parking at the leisure centre", "canolfan_hamdden_cwestiynau", "lle i bobl anabl", "chwe lle"),
        ("en", "what did parents complain about", "cofnodion_cyngor_cymuned", "parcio ar y palmant", "cwyno"),
        ("ga", "cé mhéad a chosain an páirc súgartha", "cofnodion_cyngor_cymuned", "Costiodd y gwaith £48,000", "£48,000"),
        ("cy", "tywydd yn Aberystwyth yfory", None, "", ""),
        ("en", "rugby world cup tickets", None, "", ""),
    ]),
    "is_reykjavik": ("is", [
        ("is", "hvad kostar i sund", "sundlaug_reglur", "Stakt gjald fyrir fullorðna", "1.330 krónur"),
        ("is", "hvenær er opið um helgar", "sundlaug_reglur", "Opnunartími", "9:00 til 19:00"),
        ("is", "ma taka myndir i klefanum", "sundlaug_reglur", "Óheimilt er að taka myndir", "Óheimilt"),
        ("is", "hversu mikið hækkar leigan", "tilkynning_leigjenda", "Leiga hækkar um 4,5 prósent", "4,5 prósent"),
        ("is", "hvenær fæ ég trygginguna til baka", "tilkynning_leigjenda", "Tryggingin jafngildir", "fjögurra vikna"),
        ("is", "ma eg hafa kott", "tilkynning_leigjenda", "Gæludýr eru leyfð", "skriflegu leyfi"),
        ("is", "uppsagnarfrestur", "tilkynning_leigjenda", "Uppsagnarfrestur er þrír mánuðir", "þrír mánuðir"),
        ("en", "how hot are the hot tubs", "sundlaug_reglur", "Heitu pottarnir", "38 til 44 gráður"),
        ("en", "do pensioners swim for free", "sundlaug_reglur", "eldri borgarar 67 ára", "frítt"),
        ("en", "who do I call when something breaks in the apartment", "tilkynning_leigjenda", "Bilanir skal tilkynna", "555 1234"),
        ("en", "can a 8 year old swim alone", "sundlaug_reglur", "Börn yngri en 10 ára", "syndum einstaklingi"),
        ("da", "hvornår er vaskerummet åbent", "tilkynning_leigjenda", "Þvottahúsið í kjallaranum", "kl. 8 til 22"),
        ("sv", "måste man duscha innan man badar", "sundlaug_reglur", "þvo sér án sundfata", "þvo sér án sundfata"),
        ("is", "veðurspá fyrir Akureyri", None, "", ""),
        ("en", "northern lights tour prices", None, "", ""),
    ]),
    "fr_facturo": ("fr", [
        ("fr", "mot de passe oublie le lien marche pas", "base_de_connaissances_support", "Le lien de réinitialisation reste valable 30 minutes", "30 minutes"),
        ("fr", "compte bloquer combien de temps", "base_de_connaissances_support", "Après cinq tentatives", "15 minutes"),
        ("fr", "comment suprimer une facture deja envoyee", "base_de_connaissances_support", "Une facture envoyée ne peut pas être supprimée", "créez un avoir"),
        ("fr", "j'ai perdu mon telephone et la double auth", "base_de_connaissances_support", "Si vous avez perdu votre téléphone", "48 heures ouvrées"),
        ("fr", "combien coute un utilisateur en plus", "base_de_connaissances_support", "Chaque utilisateur supplémentaire coûte", "6 € HT"),
        ("fr", "quand partent les relances", "base_de_connaissances_support", "Les relances de paiement partent", "3, 15 et 30 jours"),
        ("fr", "frais stripe", "base_de_connaissances_support", "Seuls les frais de Stripe", "1,5 % + 0,25 €"),
        ("fr", "pourquoi ma banque se synchronise plus", "base_de_connaissances_support", "la connexion a expiré", "180 jours"),
        ("fr", "credit mutuel synchro ne marche plus", "compte_rendu_reunion_support", "comptes du Crédit Mutuel", "20 novembre"),
        ("fr", "resiliation remboursement prorata", "base_de_connaissances_support", "aucun remboursement au prorata", "aucun remboursement"),
        ("fr", "ou sont hebergees les donnees", "base_de_connaissances_support", "hébergées en France", "OVHcloud à Roubaix"),
        ("fr", "fichier pour le controle fiscal", "base_de_connaissances_support", "Le fichier FEC est celui que demande", "FEC"),
        ("fr", "qui est de permanence entre noel et le nouvel an", "compte_rendu_reunion_support", "Mehdi et Aïcha assurent la permanence", "Mehdi et Aïcha"),
        ("fr", "combien de conversations en octobre", "compte_rendu_reunion_support", "5 240 conversations", "5 240"),
        ("fr", "preavis pour denoncer le contrat", "contrat_prestation_support", "reconduit tacitement", "trois mois avant"),
        ("fr", "penalite max si le prestataire rate les objectifs", "contrat_prestation_support", "réduction de 5 % du prix mensuel", "15 %"),
        ("fr", "tribunal competent", "contrat_prestation_support", "tribunal de commerce de Lyon", "tribunal de commerce de Lyon"),
        ("fr", "date du repas d'equipe", "compte_rendu_reunion_support", "Le repas d'équipe", "17 décembre"),
        ("en", "how long is the free trial", "base_de_connaissances_support", "L'essai gratuit dure 30 jours", "30 jours"),
        ("en", "how much does the outsourced support cost per month", "contrat_prestation_support", "Le prix forfaitaire est de 14 500 €", "14 500 €"),
        ("en", "when does the switch from Zendesk to Crisp happen", "compte_rendu_reunion_support", "Le passage de Zendesk à Crisp", "printemps 2027"),
        ("en", "how long are backups kept", "base_de_connaissances_support", "Les sauvegardes sont conservées 35 jours", "35 jours"),
        ("en", "invoice without VAT for a freelancer", "base_de_connaissances_support", "franchise de TVA", "art. 293 B du CGI"),
        ("en", "data breach notification deadline for the contractor", "contrat_prestation_support", "signale toute violation de données", "24 heures"),
        ("es", "cuánto cuesta el plan Equipo", "base_de_connaissances_support", "L'offre Solo coûte 12 €", "29 € HT"),
        ("de", "wie lange werden Rechnungen aufbewahrt", "base_de_connaissances_support", "Les factures sont conservées dix ans", "dix ans"),
        ("en", "support phone number", "base_de_connaissances_support", "01 84 60 22 10", "01 84 60 22 10"),
        ("fr", "recette de la tarte tatin", None, "", ""),
        ("en", "how to file my income tax return in Canada", None, "", ""),
        ("fr", "horaires de la piscine de Lyon", None, "", ""),
    ]),
}


def main() -> None:
    write_questions(QUESTIONS, HERE)

if __name__ == "__main__":
    main()
