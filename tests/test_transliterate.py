"""Names across scripts: a question in Cyrillic or Arabic meets the names of Latin-script passages."""
from __future__ import annotations

import pytest

from qa import Retriever, build_index, retrieval
from qa.fusion import NAMES_WEIGHT
from qa.language import query_tokens
from qa.lexical_plan import lexical_search
from qa.transliterate import Vocabulary, candidate_words, skeleton

# English paragraphs alike but for the player's name: only the name tells them apart.
GAME = ("In the final game of the season, {} intercepted two passes and returned one of them for a "
        "touchdown, and his team won by ten points.")
PLAYERS = ["Josh Norman", "Luke Kuechly", "Dmitri Zhuravlyov", "Kevin Tremblay", "Marcus Bodnar",
           "Tariq Hamdan", "Oleg Rasputin", "Samir Nasrallah"]
RU = "Сколько передач перехватил Джош Норман?"
AR = "كم تمريرة اعترض جوش نورمان؟"
# Found by trying the players above: the encoder alone ranks Zhuravlyov's paragraph first
AR_TREMBLAY = "كم تمريرة اعترض كيفن ترمبلاي؟"


@pytest.fixture(scope="module")
def names_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    docs = folder / "docs"
    docs.mkdir()
    for player in PLAYERS:
        (docs / f"{player.split()[1].lower()}.txt").write_text(GAME.format(player), encoding="utf-8")
    build_index([docs], index=folder / "index", progress=False)
    retriever = Retriever.open(folder / "index")
    yield retriever
    retriever.close()


def test_skeletons_of_one_name_agree_across_scripts():
    assert skeleton("norman") == skeleton("nwrman") == skeleton("norman") == "nrmn"
    assert skeleton("panthers") == skeleton("p·enters") == skeleton("albanthrz"[2:])
    assert skeleton("dzhosh") == skeleton("josh") == skeleton("jwsh")


def test_candidate_words_are_names_and_numbers_in_other_scripts():
    # Cyrillic: capitalised words, as written and stemmed; lower-case words are not names
    assert {"dzhosh", "norman"} <= set(candidate_words(RU, "ru"))
    assert "perekhvatil" not in candidate_words(RU, "ru")
    # Arabic has no case: every word but function words; Arabic-Indic digits become digits
    assert {"jwsh", "nwrman"} <= set(candidate_words(AR, "ar"))
    assert "1995" in candidate_words("في عام ١٩٩٥", "ar")
    # Latin-script words are already in the lexical query
    assert candidate_words("Who is Josh Norman?", "en") == []


def test_vocabulary_matches_names_and_leaves_ambiguous_skeletons_out():
    vocabulary = Vocabulary(["norman", "josh", "touchdown", "grade", "guard", "gourd", "geordi", "garde",
                             "норман"])
    assert vocabulary.matches(["nwrman", "2015"]) == ["norman", "2015"]
    assert vocabulary.matches(["dzhosh"]) == []  # "js" is too short to tell a name
    assert vocabulary.matches(["grd"]) == []  # five terms share "jrd"


def test_a_russian_or_arabic_name_finds_the_english_paragraph(names_index):
    store = names_index.store
    for question, lang in [(RU, "ru"), (AR, "ar")]:
        # the question's own tokens are Cyrillic or Arabic: BM25 finds nothing...
        assert lexical_search(store, query_tokens(question, lang), 10) == []
        # ... its transliterated names find the paragraph that holds them, and only it
        found = retrieval.names_search(store, candidate_words(question, lang), 10)
        norman = {h.id for h in names_index.search("Josh Norman", k=3, mode="lexical")}
        assert [i for i, _ in found] and {i for i, _ in found} <= norman


def test_the_name_raises_its_paragraph_in_hybrid_search(names_index, monkeypatch):
    # the names query alone: the encoder's word translation (qa/word_translation.py) meets
    # these names too
    monkeypatch.setattr(type(names_index.store), "word_vocabulary", lambda self, version, dim: None)
    with_names = names_index.search(AR_TREMBLAY, k=3)
    norman = {h.source: h.score for h in names_index.search(AR, k=8)}
    monkeypatch.setattr(retrieval, "names_search", lambda *a, **k: [])
    without = names_index.search(AR_TREMBLAY, k=3)
    assert with_names[0].source.endswith("tremblay.txt")
    assert not without[0].source.endswith("tremblay.txt"), "the fixture no longer needs the name"
    # the passage holding the name gains the names weight, the others nothing
    plain = {h.source: h.score for h in names_index.search(AR, k=8)}
    gains = {s: round(norman[s] - plain[s], 3) for s in plain}
    assert gains.pop(next(s for s in gains if s.endswith("norman.txt"))) == NAMES_WEIGHT
    assert set(gains.values()) == {0.0}


def test_a_sharded_index_meets_the_names_in_every_shard(tmp_path, monkeypatch):
    import qa.sharded

    docs = tmp_path / "docs"
    docs.mkdir()
    for player in PLAYERS:
        (docs / f"{player.split()[1].lower()}.txt").write_text(GAME.format(player), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", shards=3, progress=False)
    sharded = Retriever.open(tmp_path / "index")
    try:
        assert isinstance(sharded, qa.sharded.ShardedRetriever)
        assert sharded.search(AR_TREMBLAY, k=3)[0].source.endswith("tremblay.txt")
        # the names query off: no terms of any shard to meet them in
        monkeypatch.setattr(qa.sharded.ShardedRetriever, "_names", lambda self, views: None)
        # word translation off too: the encoder also meets the name, and the names query alone is tested
        monkeypatch.setattr(qa.sharded.ShardedRetriever, "_vocabulary", lambda self, views: None)
        assert not sharded.search(AR_TREMBLAY, k=3)[0].source.endswith("tremblay.txt")
    finally:
        sharded.close()


def test_names_are_off_on_large_stores(tmp_path, monkeypatch):
    """Above NAMES_MAX_PASSAGES the vocabulary is not read (it would stall the first
    cross-script question after every build): the search still answers, from the encoder."""
    import qa.store

    docs = tmp_path / "docs"
    docs.mkdir()
    for player in PLAYERS:
        (docs / f"{player.split()[1].lower()}.txt").write_text(GAME.format(player), encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    monkeypatch.setattr(qa.store, "NAMES_MAX_PASSAGES", len(PLAYERS) - 1)
    retriever = Retriever.open(tmp_path / "index")
    try:
        assert retriever.store.names() is None
        assert retrieval.names_search(retriever.store, candidate_words(AR, "ar"), 10) == []
        hits = retriever.search(AR_TREMBLAY, k=3)
        assert hits and not hits[0].source.endswith("tremblay.txt")
    finally:
        retriever.close()


# A housing society's notice in Gujarati, one point a file: English loanwords written by their sound
# (પાર્કિંગ parking, સેક્રેટરી secretary, લિફ્ટ lift) are all an English question can share with it.
GUJARATI = {
    "samay": "કાર્યક્રમ દર રવિવારે સાંજે 7 વાગ્યાથી 10 વાગ્યા સુધી રહેશે. મોડા આવનાર સભ્યોએ શાંતિ જાળવવી.",
    "gadi": "મહેમાનોની ગાડીઓ માટે પાર્કિંગ પાછળના ગેટ પાસેના મેદાનમાં રહેશે. મુખ્ય રસ્તા પર ગાડી ઊભી રાખવી નહીં.",
    "sampark": "કોઈ પ્રશ્ન હોય તો સેક્રેટરી શ્રી મહેશભાઈ દેસાઈનો સાંજે સંપર્ક કરવો. તેઓ બી વિંગમાં રહે છે.",
    "lift": "સમારકામને કારણે સોમવારે બપોર સુધી લિફ્ટ બંધ રહેશે. વૃદ્ધ સભ્યો માટે સ્વયંસેવકો મદદ કરશે.",
    "fado": "દરેક ઘરે વાર્ષિક ફાળો 1,200 રૂપિયા આપવાનો રહેશે. રસીદ ઓફિસમાંથી મળશે.",
    "pani": "ટાંકીની સફાઈને કારણે ગુરુવારે સવારે પાણી નહીં આવે. પાણી અગાઉથી ભરી રાખવું.",
}


@pytest.fixture(scope="module")
def gujarati_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sounded")
    docs = folder / "docs"
    docs.mkdir()
    for name, text in GUJARATI.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    build_index([docs], index=folder / "index", progress=False)
    retriever = Retriever.open(folder / "index")
    yield retriever
    retriever.close()


def test_latin_words_meet_terms_in_the_scripts_of_south_asia():
    vocabulary = Vocabulary(["ਡਰਾਈਵਰ", "ਹੈਲਪਲਾਈਨ", "પાર્કિંગ", "driver", "norman"])
    words = candidate_words("how many driver posts are there", "en", sounded=True)
    # the Latin word meets the Gurmukhi term, not the Latin one the lexical query has already
    assert vocabulary.matches(words) == ["ਡਰਾਈਵਰ"]
    assert vocabulary.matches(candidate_words("helpline and parking", "en", sounded=True)) == ["ਹੈਲਪਲਾਈਨ", "પાર્કિંગ"]
    # names in other scripts still meet only the Latin terms
    assert vocabulary.matches(candidate_words("Кто такой Норман?", "ru", sounded=True)) == ["norman"]
    # a collection without these scripts: a Latin question has no such words
    assert candidate_words("how many driver posts are there", "en") == []


def test_an_english_question_finds_the_gujarati_point_by_its_loanwords(gujarati_index):
    for question, answer in [("parking for guests", "gadi.txt"), ("secretary phone number", "sampark.txt"),
                             ("is the lift working on monday", "lift.txt")]:
        hits = gujarati_index.search(question, k=3)
        assert hits[0].source.endswith(answer), (question, [h.source for h in hits])


def test_a_collection_without_those_scripts_reads_no_latin_words(names_index):
    query = retrieval.Query.of("who intercepted two passes", "hybrid", None, names_index.store.languages)
    assert query.words == []
