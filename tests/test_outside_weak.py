"""The weak flag for questions in a language the model does not know (qa/outside.py): USE-m3 puts
any two Greek texts close, so off-topic Greek questions scored over the dense bar and were shown
as answers. Real default model, real indexes (a Greek pool notice of benchmarks/weak17's dev)."""
from __future__ import annotations

import math

import pytest

from conftest import folder_index
from qa import Retriever, build_index
from qa.notices import MODEL_LANGUAGES

POOL = {
    "ωραριο.txt": "Δημοτικό Κολυμβητήριο Χαλανδρίου – Ενημέρωση για τη νέα περίοδο\n\n"
                  "Το κολυμβητήριο ανοίγει ξανά τη Δευτέρα 2 Σεπτεμβρίου μετά τις εργασίες συντήρησης. Το ωράριο "
                  "λειτουργίας είναι καθημερινά από τις 7:00 έως τις 21:00 και το Σάββατο από τις 9:00 έως τις 14:00. "
                  "Την Κυριακή παραμένει κλειστό.\n\n"
                  "Η μηνιαία κάρτα μέλους κοστίζει 25 ευρώ για τους δημότες και 35 ευρώ για τους μη δημότες. Οι "
                  "συνταξιούχοι και οι φοιτητές πληρώνουν μειωμένο αντίτιμο 15 ευρώ με την επίδειξη της αντίστοιχης "
                  "ταυτότητας.\n\n"
                  "Για την εγγραφή χρειάζεται ιατρική βεβαίωση από παθολόγο ή καρδιολόγο, που ισχύει για ένα χρόνο, "
                  "και μία φωτογραφία. Οι αιτήσεις γίνονται στη γραμματεία του κολυμβητηρίου ή ηλεκτρονικά στην "
                  "ιστοσελίδα του Δήμου.",
    "κανονες.txt": "Κανόνες της πισίνας\n\n"
                   "Τα τμήματα εκμάθησης κολύμβησης για παιδιά από 6 έως 12 ετών γίνονται Τρίτη και Πέμπτη στις 17:00. "
                   "Κάθε τμήμα έχει έως δώδεκα παιδιά και έναν προπονητή.\n\n"
                   "Στην πισίνα είναι υποχρεωτικό το σκουφάκι και οι σαγιονάρες. Πριν από την είσοδο στο νερό όλοι οι "
                   "λουόμενοι κάνουν ντους. Απαγορεύεται το φαγητό στον χώρο γύρω από την πισίνα.",
}
PHONE = "The iPhone 15 Pro Max costs 1,199 dollars at the Apple Store in Athens."
# dense 0.45-0.60 against the pool notice (over the 0.24 bar), one short or common word met
# The third passed from Session 17 to 18 (one of its four words met, κοστ, each as rare as the others:
# a coverage of exactly 0.25); Session 19's rule (words met by their first three letters, Lucene's
# IDF, a bar of 0.3) flags it.
OFF_TOPIC = ["Τι καιρό θα κάνει αύριο στη Θεσσαλονίκη;", "Πού μπορώ να βγάλω διαβατήριο;",
             "Πόσο κοστίζει το εισιτήριο του μετρό στην Αθήνα;"]
# Session 19's rule flags the second: Υπάρχουν ("are there"), which no passage holds, outweighs
# κολύμβησης and παιδιά, which every passage of a pool notice holds (coverage 0.03; the price of the
# rule, chosen on Sessions 17's and 18's folders: docs/quality.md, Session 19). Strict: the test
# fails the day it is answered again.
FLAGGED = pytest.mark.xfail(strict=True, reason="its one rare word is one no passage holds: coverage 0.03")
ANSWERED = [("Πόσο κάνει η κάρτα για φοιτητές;", "φοιτητές"), ("Υπάρχουν μαθήματα κολύμβησης για παιδιά;", "εκμάθησης"),
            ("Τι ώρα ανοίγει η πισίνα το Σάββατο;", "Σάββατο"), ("Πρέπει να φοράω σκουφάκι;", "σκουφάκι")]


def _build(folder, shards=None):
    return folder_index(folder, POOL, shards)


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    retriever = _build(tmp_path_factory.mktemp("pool"))
    yield retriever
    retriever.close()


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_in_a_language_the_model_does_not_know_are_weak(pool, question):
    hits = pool.search(question, k=3)
    assert hits and hits[0].lang == "el"
    assert all(h.weak for h in hits), [(h.text[:40], h.weak) for h in hits]


@pytest.mark.parametrize("question,word", [pytest.param(*a, marks=FLAGGED) if a[0].startswith("Υπάρχουν") else a
                                           for a in ANSWERED])
def test_answered_questions_are_not(pool, question, word):
    top = pool.search(question, k=3)[0]
    assert word in top.text and not top.weak


def test_a_question_in_the_models_languages_keeps_the_shipped_rule(pool):
    from qa.retrieval import Query, outside_coverages

    langs = MODEL_LANGUAGES["use-m3"]
    hits = pool.search(OFF_TOPIC[0], k=3)
    top = [(h.score, h.score, h.id) for h in hits]
    rows = {h.id: {"lang": h.lang} for h in hits}
    greek = Query.of(OFF_TOPIC[0], "hybrid", languages=pool.store.languages)
    english = Query.of("What will the weather be like in Thessaloniki tomorrow?", "hybrid")
    assert greek.lang == "el" and english.lang == "en"
    assert set(outside_coverages(pool.store, greek, top, rows, langs, 5)) == {h.id for h in hits}
    assert outside_coverages(pool.store, english, top, rows, langs, 5) is None
    assert outside_coverages(pool.store, greek, top, rows, None, 5) is None  # a model of unknown languages


def test_a_sharded_index_gives_one_indexs_flags(tmp_path, pool):
    two = _build(tmp_path / "two", shards=2)
    try:
        assert len(two.shards) == 2
        for question in [*OFF_TOPIC, *(q for q, _ in ANSWERED)]:
            one_flags = {h.text: h.weak for h in pool.search(question, k=5)}
            for h in two.search(question, k=5):
                assert one_flags.get(h.text, h.weak) == h.weak, (question, h.text[:40])
    finally:
        two.close()


def test_a_sharded_index_counts_a_word_s_passages_over_all_shards(tmp_path):
    """The coverage's IDF counts a word's passages in the whole collection (`ShardTerms`), as one
    index does, when they lie in several shards (the pool's two files share one of two shards:
    a third, in the other, holds the rules again)."""
    from qa.language import query_tokens
    from qa.outside import counted, prefix
    from qa.sharded import ShardTerms
    from qa.shards import shard_of

    files = {**POOL, "πισινα.txt": POOL["κανονες.txt"]}
    assert {shard_of(name, 2) for name in files} == {0, 1}
    for name in ("one", "two"):
        (tmp_path / name / "docs").mkdir(parents=True)
        for file, text in files.items():
            (tmp_path / name / "docs" / file).write_text(text + "\n", encoding="utf-8")
    build_index([tmp_path / "one" / "docs"], index=tmp_path / "one" / "index", progress=False)
    build_index([tmp_path / "two" / "docs"], index=tmp_path / "two" / "index", shards=2, progress=False)
    one, two = Retriever.open(tmp_path / "one" / "index"), Retriever.open(tmp_path / "two" / "index")
    try:
        questions = [*OFF_TOPIC, *(q for q, _ in ANSWERED)]
        tokens = [prefix(t) for t in counted([t for q in questions for t in query_tokens(q, "el")])]
        expected = one.store.term_passages(tokens)
        assert any(n > 1 for n in expected.values())
        assert ShardTerms([shard._view for shard in two.shards]).term_passages(tokens) == expected
        for question in questions:
            assert [(h.text, h.weak) for h in two.search(question, k=5)] == \
                [(h.text, h.weak) for h in one.search(question, k=5)], question
    finally:
        one.close(), two.close()


def test_a_passage_in_one_of_the_model_s_languages_keeps_the_shipped_rule(tmp_path):
    """The share of the question's words counts only for passages outside the model's languages
    too: a Greek question about a product found in an English passage (which holds its name, not
    its Greek words) is answered, not flagged weak for lacking them."""
    from qa.outside import counted, outside
    from qa.language import query_tokens

    (tmp_path / "docs").mkdir()
    for name, text in {**POOL, "phone.txt": PHONE}.items():
        (tmp_path / "docs" / name).write_text(text + "\n", encoding="utf-8")
    build_index([tmp_path / "docs"], index=tmp_path / "index", progress=False)
    r = Retriever.open(tmp_path / "index")
    try:
        question = "Πόσο κοστίζει σήμερα το καινούργιο iPhone 15 Pro Max;"
        top = r.search(question, k=3)[0]
        assert (top.lang, top.text.strip()) == ("en", PHONE) and not top.weak
        # it holds none of the question's Greek words, only its product's name: the coverage is not asked
        tokens = counted(query_tokens(question, "el"))
        assert set(tokens) & set(query_tokens(PHONE, "en")) == {"pro", "max"}
        assert not outside(MODEL_LANGUAGES["use-m3"], "el", top.lang)
    finally:
        r.close()


def test_the_coverage():
    from qa.outside import counted, coverage, outside, prefix

    langs = MODEL_LANGUAGES["use-m3"]
    assert outside(langs, "el", "el") and outside(langs, "am", None)
    assert not outside(langs, "el", "en") and not outside(langs, "en", "el") and not outside(None, "el", "el")
    # tokens under three letters are left out, a tagged Vietnamese form counted without its ~
    assert counted(["το", "κάρτα", "~khau", "γ", "κάρτα", "~kh"]) == ["κάρτα", "~khau"]
    assert counted(["της", "και", "ωρες"]) == ["της", "και", "ωρες"]
    # a word is met by its first three letters (an inflection no stemmer joins: verikoetta, verikokeeseen)
    assert [prefix(t) for t in ("verikoetta", "~khau", "κάρτα")] == ["ver*", "kha*", "κάρ*"]
    assert coverage(["κάρτα", "φοιτητ"], {"κάρ*", "φοι*"}, {"κάρ*": 1, "φοι*": 1}, 5) == 1.0
    assert coverage(["κάρτα", "διαβατηρι"], {"κάρ*"}, {"κάρ*": 1}, 5) == pytest.approx(0.5)
    # a word in every passage weighs little (Lucene's IDF: never nothing), one the collection lacks as a rare one
    assert 0.0 < coverage(["πισιν", "διαβατηρι"], {"πισ*"}, {"πισ*": 5}, 5) < 0.1
    # Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), to the value: a word in four passages of five
    # weighs log(1 + 1.5 / 4.5) (FTS5's, floored at 1e-6, made it nothing beside a rare word)
    rare, common = math.log(1 + 4.5 / 1.5), math.log(1 + 1.5 / 4.5)
    assert coverage(["πισιν", "διαβατηρι"], {"πισ*"}, {"πισ*": 4}, 5) == pytest.approx(common / (common + rare))
    assert coverage([], set(), {}, 5) == 0.0


# Right passages that share with their question only an inflected form no stemmer joins, which
# Session 18's rule flagged (benchmarks/weak18: Finnish verikoetta / verikokeeseen, Hungarian táskámat /
# táskát, Ukrainian посилка / посилки): met by their first letters, they are not weak.
INFLECTED = [("fi_terveys", "Saako ennen verikoetta syödä?"), ("hu_muzeum", "Hova tehetem a táskámat?"),
             ("uk_poshta", "скільки днів йде посилка")]


@pytest.mark.parametrize("folder,question", INFLECTED)
def test_right_passages_met_by_inflected_forms_are_not_weak(tmp_path, folder, question):
    import json

    from conftest import ROOT

    data = json.loads((ROOT / "benchmarks" / "weak18" / f"{folder}.json").read_text(encoding="utf-8"))
    gold = next(q["gold"] for q in data["questions"] if q["q"] == question)
    r = folder_index(tmp_path, data["docs"])
    try:
        hits = r.search(question, k=5)
        right = next(h for h in hits if gold in h.text)
        assert right.lang == data["lang"] and not right.weak, (right.rank, right.text[:60])
    finally:
        r.close()


def test_a_prefix_meets_the_tagged_forms_of_vietnamese_typed_without_marks(tmp_path):
    """Vietnamese (outside USE-m3's languages) typed without marks is searched by its tagged forms
    (~mat for mất: `qa.language.TAGGED_UNMARKED`); a prefix term meets them too (`qa.store._match`),
    else such a question's words met nothing and its right passage's coverage was 0."""
    from qa.language import query_tokens
    from qa.outside import OUTSIDE_COVERAGE, counted, coverages, prefix

    r = folder_index(tmp_path, {"the.txt": "Mất thẻ ngân hàng thì phải gọi tổng đài để khóa thẻ ngay.",
                                "xe.txt": "Xe buýt số 12 chạy từ bến Lương Yên đến sân bay Nội Bài."})
    try:
        question = "mat the ngan hang thi phai lam gi"
        (hit,) = [h for h in r.search(question, k=2) if h.source == "the.txt"]
        store = r._view.store
        assert "~mat" in query_tokens(question, "vi") and prefix("~mat") == "mat*"
        assert store.term_passages(["mat*", "xyz*"]) == {"mat*": 1}
        assert store.holding(["mat*"], [hit.id]) == {hit.id: {"mat*"}}
        tokens = query_tokens(question, "vi")
        assert coverages(store, tokens, [hit.id], 2)[hit.id] >= OUTSIDE_COVERAGE, counted(tokens)
    finally:
        r.close()


def test_holding_reads_each_prefix_once_not_once_per_passage(pool):
    """`Store.holding` keeps the passages asked for out of FTS5's plan (`+rowid IN`): handed to FTS5,
    each id was a lookup of its own that expanded the prefix again (4-6 ms a Vietnamese question of
    7 prefixes at 2.4k-20k passages against 0.8-1.2 ms; docs/performance.md, Session 22). The same
    passages either way: checked against the whole match filtered here."""
    store = pool._view.store
    conn = store.connection()
    ids = [i for (i,) in conn.execute("SELECT id FROM passages ORDER BY id")]
    terms = ["κολ*", "πισ*", "ευρ*", "σάβ*", "xyz*"]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        held = store.holding(terms, ids[::-1] + ids[:1])
    finally:
        conn.set_trace_callback(None)
    from qa.store import _match

    expected: dict[int, set[str]] = {}
    for t in terms:
        for (i,) in conn.execute("SELECT rowid FROM lexical WHERE lexical MATCH ?", (_match(t),)):
            if i in ids:
                expected.setdefault(i, set()).add(t)
    assert held == expected and len(held) >= 3 and {"κολ*", "πισ*"} <= set().union(*held.values())
    matches = [s for s in statements if "MATCH" in s]
    assert len(matches) == len(terms)
    for sql in matches:
        ((*_, plan),) = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        # FTS5's index string: "M1" the match alone; "=" would be a rowid handed to it
        assert plan.startswith("SCAN lexical VIRTUAL TABLE INDEX") and "=" not in plan.split("INDEX", 1)[1], plan
