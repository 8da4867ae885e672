"""Questions in languages the default model (USE-m3) does not know: identified as theirs (Swahili and
Tagalog were read as Indonesian, Polish, Italian, Estonian...), and told in the CLI, the API and the
chat when the documents are in another language, and not when they are in the question's
(docs/quality.md "Session 19: languages the identifier did not know")."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, folder_index
from qa.cli import format_hits, main as cli_main
from qa.language import NOTICE_PROBABILITY, detect_language
from qa.notices import model_languages
from qa.render import escape_text, notice_text, reply
from servers import free_port, wait_until_up

# Hand-written questions about the seed (a French article on Li Qiang's speech on AI in Shanghai),
# one per language outside USE-m3's, with the name the notice gives the language.
ABOUT_THE_SEED = {
    "sw": ("Waziri Mkuu wa China alitoa wito wa nini kuhusu akili bandia?", "Swahili"),
    "tl": ("Saan nagsalita ang Punong Ministro ng Tsina tungkol sa artipisyal na intelihensiya?", "Tagalog"),
    "id": ("Negara mana yang mengajukan paten AI generatif paling banyak?", "Indonesian"),
    "ms": ("Di manakah Perdana Menteri China berucap tentang kecerdasan buatan?", "Malay"),
    "hu": ("Hol beszélt a kínai miniszterelnök a mesterséges intelligenciáról?", "Hungarian"),
    "fi": ("Missä Kiinan pääministeri puhui tekoälystä?", "Finnish"),
    "cs": ("Kde mluvil čínský premiér o umělé inteligenci?", "Czech"),
    "ro": ("Unde a vorbit premierul chinez despre inteligența artificială?", "Romanian"),
    "el": ("Πού μίλησε ο Κινέζος πρωθυπουργός για την τεχνητή νοημοσύνη;", "Greek"),
    "he": ("איפה נאם ראש ממשלת סין על בינה מלאכותית?", "Hebrew"),
    "hi": ("चीन के प्रधानमंत्री ने कृत्रिम बुद्धिमत्ता पर भाषण कहाँ दिया?", "Hindi"),
    "bn": ("চীনের প্রধানমন্ত্রী কৃত্রিম বুদ্ধিমত্তা নিয়ে কোথায় বক্তৃতা দিয়েছেন?", "Bangla"),
    "ta": ("சீனப் பிரதமர் செயற்கை நுண்ணறிவு பற்றி எங்கே பேசினார்?", "Tamil"),
    "uk": ("Де прем'єр-міністр Китаю говорив про штучний інтелект?", "Ukrainian"),
    "fa": ("نخست‌وزیر چین درباره هوش مصنوعی کجا سخنرانی کرد؟", "Persian"),
    "vi": ("Thủ tướng Trung Quốc phát biểu về trí tuệ nhân tạo ở đâu?", "Vietnamese"),
    "ca": ("On va parlar el primer ministre xinès sobre la intel·ligència artificial?", "Catalan"),
    "sk": ("Kde hovoril čínsky premiér o umelej inteligencii?", "Slovak"),
    "hr": ("Gdje je kineski premijer govorio o umjetnoj inteligenciji?", "Croatian"),
}

# Short questions as people type them in Swahili and Tagalog (none of them was read as its language)
SHORT = {
    "sw": ["Kliniki inafunguliwa saa ngapi?", "Dawa ya kisukari inapatikana wapi?", "Bei ya chanjo ni kiasi gani?",
           "Naweza kupata majibu ya vipimo lini?", "Je, wodi ya dharura iko wazi usiku?"],
    "tl": ["Anong oras bukas ang klinika?", "Saan puwedeng magpakuha ng dugo?", "Libre ba ang gamot sa diabetes?",
           "Kailan lalabas ang resulta ng pagsusuri?", "May doktor ba tuwing Linggo?"],
}

# A Swahili notice of a health centre (hand-written), and questions about it
KLINIKI = """Kituo cha Afya Mwananyamala – Tangazo kwa Wananchi

Kliniki ya watoto inafunguliwa kila Jumanne na Alhamisi kuanzia saa mbili asubuhi hadi saa sita mchana. Chanjo za watoto walio chini ya miaka mitano zinatolewa bure. Mama anatakiwa kuleta kadi ya kliniki ya mtoto.

Dawa za shinikizo la damu na kisukari zinapatikana katika duka la dawa la kituo kila siku isipokuwa Jumapili. Wagonjwa wenye bima ya afya ya taifa hawalipii dawa hizi.

Maabara inapima damu na mkojo kuanzia saa moja na nusu asubuhi. Majibu ya vipimo yanatolewa baada ya siku mbili kupitia ujumbe mfupi wa simu.

Kwa dharura usiku, piga simu namba 0800 110 555 au fika moja kwa moja katika wodi ya dharura iliyo nyuma ya jengo kuu."""
SWAHILI = ["Kliniki ya watoto inafunguliwa siku gani?", "Je, chanjo za watoto ni bure?",
           "Majibu ya kipimo cha damu yanatoka lini?", "Nipige simu namba gani usiku wa dharura?"]
TAGALOG = "Anong araw bukas ang klinika para sa mga bata?"
ENGLISH = "On which days is the children's clinic open?"


@pytest.mark.parametrize("lang", sorted(SHORT))
def test_short_swahili_and_tagalog_questions_are_read_as_theirs(lang):
    for question in SHORT[lang]:
        assert detect_language(question) == lang, question
        assert detect_language.probability(question) >= NOTICE_PROBABILITY, question


def test_questions_in_languages_outside_the_model_are_told_in_the_cli_and_the_api(retriever, seed_index, capsys):
    languages = model_languages(retriever.encoder)
    for lang, (question, name) in ABOUT_THE_SEED.items():
        assert lang not in languages
        hits = retriever.search(question, k=3)
        assert hits and {h.lang for h in hits} == {"fr"}, question
        notice = hits[0].notice
        assert notice is not None and notice.key == "unknown_language", (lang, question)
        assert f"seems to be in {name}," in notice and "French" in notice and "e5-small" in notice
        assert hits[0].to_dict()["notice"] == str(notice)
        assert format_hits(hits).count(str(notice)) == 1
        assert reply(hits).count(escape_text(notice)) == 1
    # the CLI itself, as printed and as JSON
    question, name = ABOUT_THE_SEED["sw"]
    assert cli_main(["ask", "--index", str(seed_index), "-k", "2", question]) == 0
    out = capsys.readouterr().out
    assert out.count("Note: Your question seems to be in Swahili,") == 1
    assert cli_main(["ask", "--index", str(seed_index), "-k", "2", "--json", question]) == 0
    passages = json.loads(capsys.readouterr().out)
    assert all("seems to be in Swahili," in p["notice"] for p in passages)


def test_a_folder_in_swahili_tells_other_languages_and_not_swahili(tmp_path, capsys):
    r = folder_index(tmp_path, {"kliniki.txt": KLINIKI})
    try:
        for question in SWAHILI:
            hits = r.search(question, k=3)
            assert hits and {h.lang for h in hits} == {"sw"}, question
            assert all(h.notice is None for h in hits), (question, hits[0].notice)
        hits = r.search(TAGALOG, k=3)
        notice = hits[0].notice
        assert notice is not None and notice.key == "unknown_language"
        assert "seems to be in Tagalog," in notice and "found are in Swahili" in notice
        assert "tagalog" in notice_text(notice, "fr") and "swahili" in notice_text(notice, "fr")
        hits = r.search(ENGLISH, k=3)
        notice = hits[0].notice
        assert notice is not None and notice.key == "unknown_documents"
        assert "found are in Swahili" in notice and "seems to be in English" in notice
    finally:
        r.close()
    assert cli_main(["ask", "--index", str(tmp_path / "index"), "-k", "2", SWAHILI[0]]) == 0
    assert "Note:" not in capsys.readouterr().out
    assert cli_main(["ask", "--index", str(tmp_path / "index"), "-k", "2", TAGALOG]) == 0
    assert capsys.readouterr().out.count("Note: Your question seems to be in Tagalog,") == 1


@pytest.fixture(scope="module")
def served_swahili(tmp_path_factory):
    """`qa serve` over the Swahili notice."""
    root = tmp_path_factory.mktemp("kliniki")
    folder_index(root, {"kliniki.txt": KLINIKI}).close()
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--index", str(root / "index"), "--port", str(port)],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(proc, url):
        proc.kill()
        pytest.fail("qa serve did not start:\n" + (root / "serve.log").read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_the_http_api_and_the_chat_tell_a_tagalog_question_and_not_a_swahili_one(served_swahili, browser):
    from gradio_client import Client

    from test_web import ask_in_page, open_page

    client = Client(served_swahili, verbose=False)
    told = client.predict(TAGALOG, 3, api_name="/ask")
    assert told and all("seems to be in Tagalog," in h["notice"] for h in told)
    assert all(h["notice"] is None for h in client.predict(SWAHILI[1], 3, api_name="/ask"))
    page = open_page(browser, served_swahili)
    ask_in_page(page, TAGALOG)
    notice = page.locator("#qa-turn-1 .qa-notice").inner_text()
    assert notice.startswith("Your question seems to be in Tagalog,") and "Swahili" in notice
    ask_in_page(page, SWAHILI[2])
    assert page.locator("#qa-turn-2 .qa-notice").count() == 0
    page.context.close()


from test_web import browser  # noqa: E402,F401  (fixture)


# Kazakh in Cyrillic (hand-written): read as Russian or Ukrainian, whose stemmers took its words
# two ways within one document and whose notices never told an English question that the model
# does not know the documents' language (docs/quality.md "Session 22").
KAZAKH_SHORT = ["Емхана қашан ашылады?", "Жол ақысы қанша тұрады?", "Балабақшаға қалай тіркелуге болады?",
                "Пәтер жалдау шартын қайдан аламын?", "Автобус аялдамасы қай жерде?"]
EMHANA = """Қалалық №5 емхана – тұрғындарға хабарландыру

Емхана дүйсенбіден жұмаға дейін сағат 8:00-ден 20:00-ге дейін жұмыс істейді. Сенбі күні тек кезекші дәрігер қабылдайды.

Дәрігерге жазылу үшін 1414 нөміріне қоңырау шалыңыз немесе eGov Mobile қосымшасын пайдаланыңыз.

Тұмауға қарсы екпе қазан айында тегін салынады. Алдымен 60 жастан асқандар мен жүкті әйелдер қабылданады."""


def test_short_kazakh_questions_and_a_kazakh_notice_are_read_as_kazakh():
    for question in KAZAKH_SHORT:
        assert detect_language(question) == "kk", question
        assert detect_language.probability(question) >= NOTICE_PROBABILITY, question
    for paragraph in EMHANA.split("\n\n")[1:]:
        assert detect_language(paragraph) == "kk", paragraph


def test_russian_and_ukrainian_without_kazakh_letters_are_not_kazakh():
    # a Russian question with a Mongolian name (XQuAD ru) that the identifier alone reads as Kazakh
    for text, lang in [("Кем был сын Аюрбарибады?", "ru"), ("Когда открывается поликлиника?", "ru"),
                       ("Де прем'єр-міністр Китаю говорив про штучний інтелект?", "uk")]:
        assert detect_language(text) == lang, text
        assert detect_language.read(text)[0] == lang, text


def test_a_folder_in_kazakh_is_kazakh_and_an_english_question_is_told(tmp_path):
    r = folder_index(tmp_path, {"emhana.txt": EMHANA})
    try:
        hits = r.search("Екпе тегін бе?", k=3)
        assert hits and {h.lang for h in hits} == {"kk"} and "екпе" in hits[0].text.casefold()
        assert all(h.notice is None for h in hits)
        notice = r.search("Is the flu vaccine free?", k=3)[0].notice
        assert notice is not None and notice.key == "unknown_documents" and "found are in Kazakh" in notice
    finally:
        r.close()


def test_kazakh_with_only_i_or_in_capitals_is_kazakh():
    # (mutants23) a short Kazakh text whose only letter Russian does not write is і ("Who are you?",
    # "I looked for you"), and a notice's heading and question in capitals: Kazakh all the same
    for text in ["Сіз кімсіз?", "Мен сізді іздедім", "ҚАЛАЛЫҚ ЕМХАНА ЖҰМЫС ІСТЕЙДІ", "ЕМХАНА ҚАШАН АШЫЛАДЫ?"]:
        assert detect_language(text) == "kk" and detect_language.read(text)[0] == "kk", text
