"""A short question's language read among the collection's when the identifier is unsure."""
from __future__ import annotations

import pytest

from qa.language import detect_language, question_language

# a Czech pool's rules, and questions typed without marks that the identifier takes for
# Slovak, Slovenian or Serbian (Session 14's probe)
PARAGRAPHS = {
    "vstupne.txt": "Celodenní vstupenka pro dospělé stojí 150 Kč, pro děti od 3 do 15 let 80 Kč.",
    "permanentky.txt": "Sezónní permanentka pro dospělé stojí 1 800 Kč a je nepřenosná.",
    "skrinky.txt": "Uzamykatelnou skříňku si můžete pronajmout na pokladně za 30 Kč a vratnou zálohu 100 Kč.",
    "tobogan.txt": "Tobogán smějí používat děti od 8 let a osoby vyšší než 120 cm.",
}
QUESTIONS = [("permanentka cena", "permanentky.txt"), ("pronajem skrinky", "skrinky.txt"),
             ("od kolika let tobogan", "tobogan.txt")]


@pytest.fixture(scope="module")
def czech(tmp_path_factory):
    from qa import Retriever, build_index

    folder = tmp_path_factory.mktemp("czech-docs")
    for name, text in PARAGRAPHS.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("czech-index")
    build_index([folder], index=index, progress=False)
    retriever = Retriever.open(index)
    yield retriever
    retriever.close()


@pytest.mark.parametrize("question, source", QUESTIONS)
def test_a_question_taken_for_a_close_language_is_read_in_the_collections(czech, question, source):
    assert detect_language(question) != "cs"  # what the identifier says alone
    assert question_language(question, czech._view.languages) == "cs"
    assert czech.search(question, k=2, mode="lexical")[0].source == source


def test_a_question_the_identifier_is_sure_of_keeps_its_language():
    assert question_language("¿Cuánto cuesta la entrada para los niños?", {"cs"}) == "es"
    assert question_language("How much is a season pass?", {"cs"}) == "en"
    # asked for the collection's languages only when unsure
    assert question_language("How much is a season pass?", lambda: pytest.fail("asked")) == "en"


# texts of many languages and scripts, names, a word, nothing, and Persian typed with Arabic letters
READ_TEXTS = ["¿Cuánto cuesta la entrada para los niños?", "How much is a season pass?", "permanentka cena",
              "Wann wurde der Sauerstoff entdeckt?", "氧气是谁发现的？", "Кто открыл кислород?",
              "من اكتشف الأكسجين؟", "Ai là người phát hiện ra oxy?", "Li Qiang", "AI?", "123", "?", "", " ",
              "جريمه تاخير كتاب چقدر است", "پ", "東京", "Москва", "Quelle est la durée du prêt ?", "ok"]


@pytest.mark.parametrize("text", READ_TEXTS)
def test_one_reading_of_a_question_gives_the_language_and_shares_of_two(text):
    from qa.language import shares_of

    lang, ranked = detect_language.read(text)
    assert lang == detect_language(text)
    assert shares_of(ranked) == detect_language.shares(text)
