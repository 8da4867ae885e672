"""Numbers, versions, codes, hyphenated words and number words as people type them
(qa/word_forms.py, qa/number_words.py; docs/quality.md "Session 15")."""
from __future__ import annotations

import pytest

from qa.language import query_tokens, tokenize
from conftest import answer_and_other_index


def test_numbers_with_separators_give_their_digits_joined():
    # thousands grouped by threes: one number however grouped
    assert "480000" in tokenize("480.000 Euro", "de")
    assert "480000" in tokenize("480,000 euros", "en")
    assert "480000" in query_tokens("budget 480000", "de")
    assert "15000" in tokenize("15 000 heures", "fr")
    assert "1094" in tokenize("1 094 euros", "pt")
    assert "1842.7" in tokenize("1 842,7 mil pessoas", "pt") and "1842.7" in query_tokens("1842,7", "pt")
    # decimals: 4,90 and 4.90 are one number; a version with or without its v
    assert "4.90" in tokenize("4,90 €", "fr") and "4.90" in query_tokens("frais 4.90", "fr")
    assert "2.3.1" in tokenize("firmware 2.3.1", "en") and "2.3.1" in query_tokens("whats new in v2.3.1", "en")
    # the version's v is not a code's letter
    assert "v2" not in query_tokens("v2.3.1", "en")
    # the pieces stay: 70,000 still meets 70.000 and 70 000
    assert tokenize("70,000", "en")[:2] == ["70", "000"]
    # numbers joined by a hyphen are a range, not a number
    assert "13" not in tokenize("1-3 iş günü", "tr")


def test_codes_give_their_letters_and_digits_and_their_latin_form():
    assert {"mc", "9400", "mc9400"} <= set(tokenize("Zebra MC9400", "de"))
    assert {"mc", "9400"} <= set(query_tokens("zebra mc 9400", "de"))
    assert {"15000", "h"} <= set(query_tokens("15000h", "fr"))
    # a Russian keyboard's Cyrillic е in a Latin code
    assert "e21" in query_tokens("ошибка е21", "ru")
    assert "e21" in tokenize("Код E21", "ru")
    # a word of Cyrillic letters without digits is a word, not a code
    assert tokenize("ошибка", "ru") == ["ошибк"]


def test_a_hyphenated_word_also_gives_the_word_without_the_hyphen():
    assert "wifi" in tokenize("Wi-Fi password", "en") and "wifi" in query_tokens("wifi password", "en")
    assert "email" in tokenize("par e-mail", "fr")
    assert "nbax3000" in tokenize("NB-AX3000", "en")


def test_number_words_give_their_digits():
    assert "30" in tokenize("un délai de trente jours", "fr")
    assert "30" in query_tokens("refund thirty days", "en")
    assert "2" in query_tokens("garantía dos años", "es") and "2" in tokenize("deux ans", "fr")
    # one is an article too, and French neuf is also "new": left alone
    assert "1" not in tokenize("un article neuf", "fr") and "9" not in tokenize("un article neuf", "fr")


# (name, the answering paragraph, another paragraph, a question typed otherwise than the first)
PARAGRAPHS = [
    ("version", "Firmware 2.3.1 fixes the guest network timer and improves mesh stability.",
     "Firmware 3.2.1 adds parental controls; firmware 1.3.2 added a night mode for the lights.",
     "whats new in v2.3.1"),
    ("decimal", "Les frais de retour sont de 4,90 € par colis, déduits du remboursement.",
     "Frais de retour : 4 colis au plus, 90 jours.",
     "frais de retour 4.90"),
    ("thousands", "Vom genehmigten Budget in Höhe von 480.000 Euro ist die Hälfte gebunden.",
     "Das Budget für 480 Scanner wurde im Jahr 2000 genehmigt.",
     "budget 480000"),
    ("cyrillic-code", "Код E21 означает, что вода не сливается: очистите сливной фильтр.",
     "Код E35 означает перегрев. Если ошибка повторяется, вызовите мастера.",
     "ошибка е21"),
    ("spaced-code", "Die größte Position sind 40 Handscanner vom Typ Zebra MC9400 zu je 2.150 Euro.",
     "Der Typ der Drucker von Zebra ist noch offen, der Preis auch.",
     "zebra mc 9400 preis"),
    ("number-word", "Vous disposez d'un délai de trente jours pour un retour sans frais.",
     "Le remboursement est effectué sous 14 jours après la réception du retour.",
     "retour sous 30 jours ?"),
    ("hyphen", "To rename the Wi-Fi network, open the app.",
     "To rename the guest network, open the app settings and tap the network.",
     "rename wifi network"),
]


@pytest.fixture(scope="module")
def forms_index(tmp_path_factory):
    retriever = answer_and_other_index(tmp_path_factory, PARAGRAPHS, "forms")
    yield retriever
    retriever.close()


@pytest.mark.parametrize("name,answer,other,question", PARAGRAPHS, ids=[p[0] for p in PARAGRAPHS])
def test_a_question_typed_otherwise_finds_its_paragraph_by_words_alone(forms_index, name, answer, other, question):
    hits = forms_index.search(question, k=3, mode="lexical")
    assert hits, question
    assert hits[0].source == f"{name}-answer.txt", [(h.source, h.score) for h in hits]


def test_a_hyphen_before_a_clitic_joins_nothing():
    """French writes pronouns after a hyphen (a-t-il, dit-elle, est-ce): joined, the pair made rare
    tokens ("at", "til") that matched every passage with the same turn of phrase, and a French
    question about chips ranked the paragraph saying "a-t-il déclaré" above the one answering."""
    from qa.language import query_tokens, tokenize

    tokens = tokenize("« Aucun pays ne peut faire exception », a-t-il déclaré, dit-elle. Est-ce vrai ?", "fr")
    assert not {"at", "til", "ditel", "ditelle", "estc", "estce"} & set(tokens)
    assert "at" not in query_tokens("Pourquoi Washington a-t-il restreint la vente de semi-conducteurs ?", "fr")
    assert {"email", "wifi"} <= set(tokenize("The Wi-Fi and the e-mail", "en"))  # spellings of one word still meet
    assert "lhe" not in "".join(t for t in tokenize("disse-lhe que chama-se", "pt") if len(t) > 4)
