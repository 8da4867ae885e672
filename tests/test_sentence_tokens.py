"""The tokens of the passages' sentences stored at index time (qa/sentence_tokens.py): the same
answers as tokenizing them at question time, on real indexes (single, sharded, older ones)."""
from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from qa import Retriever, build_index
from qa.answer import sentence_tokens
from qa.indexer import remove_documents
from qa.language import tokenize_each
from qa.layout import current_data
from qa.sentence_tokens import unpack
from qa.shards import read_manifest
from qa.store import DB_NAME

# Paragraphs of several sentences in several languages and scripts: every hit's answer is
# chosen among sentences, so their tokens count.
DOCS = {
    "en/rivers.txt": "The Rhine rises in the Swiss Alps. It flows north through Germany and the Netherlands. "
                     "Barges carry coal and grain on it. Its delta empties into the North Sea near Rotterdam.\n\n"
                     "The Danube is the second longest river in Europe. It passes through Vienna, Budapest and "
                     "Belgrade. It ends in the Black Sea in Romania.",
    "en/bread.txt": "Bake the bread for forty minutes. The crust should sound hollow when tapped. Let it cool on "
                    "a rack before cutting. Fresh yeast makes the crumb lighter than dry yeast does.",
    "de/zug.txt": "Der Nachtzug verlässt Wien um zehn Uhr. Er erreicht Paris am nächsten Morgen. Die Schlafwagen "
                  "haben Betten für zwei oder vier Reisende. Frühstück wird vor der Ankunft serviert.",
    "fr/pommes.txt": "Les pommes de Normandie sont récoltées en septembre. La coopérative les presse pour faire du "
                     "cidre. L'eau-de-vie de cidre s'appelle le calvados. Elle vieillit deux ans en fût de chêne.",
    "zh/river.txt": "长江是中国最长的河流。它发源于青藏高原。长江流经上海注入东海。三峡大坝位于湖北省宜昌市。",
    "ru/moscow.txt": "Москва является столицей России. Город стоит на Москве-реке. Метро открылось в 1935 году. "
                     "Кремль находится в центре города.",
}
QUESTIONS = ["Where does the Rhine rise?", "Which sea does the Danube end in?", "How long should bread bake?",
             "Wann verlässt der Nachtzug Wien?", "Comment s'appelle l'eau-de-vie de cidre ?", "长江注入哪个海？",
             "Когда открылось метро в Москве?", "What do barges carry on the Rhine?"]


def _write(folder, docs=DOCS) -> None:
    for name, text in docs.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text + "\n", encoding="utf-8")


def _answers(retriever, mode: str = "hybrid", many: bool = False) -> list[list[dict]]:
    """Every field of every hit (passages, order, scores, answers, notices)."""
    found = retriever.search_many(QUESTIONS, k=6, mode=mode) if many else \
        [retriever.search(q, k=6, mode=mode) for q in QUESTIONS]
    return [[dataclasses.asdict(h) for h in hits] for hits in found]


def _fresh_answers(retriever, **kwargs) -> tuple[list[list[dict]], int]:
    """`_answers` with the question-time token cache emptied first, and how many sentences
    were tokenized at question time meanwhile."""
    sentence_tokens.cache_clear()
    out = _answers(retriever, **kwargs)
    return out, len(sentence_tokens._sets)


def _stored(db) -> dict[int, tuple[str, str | None, list[tuple[int, int]], str | None]]:
    """Per passage with stored sentences: its text, language, sentence spans (in text order)
    and stored tokens."""
    with sqlite3.connect(db) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(passages)")}
        tokens = "sentence_tokens" if "sentence_tokens" in columns else "NULL"
        rows = {i: (text, lang, [], stored) for i, text, lang, stored in
                conn.execute(f"SELECT id, text, lang, {tokens} FROM passages")}
        for pid, s, e in conn.execute('SELECT passage_id, start, "end" FROM sentences ORDER BY passage_id, start'):
            rows[pid][2].append((s, e))
    return {i: row for i, row in rows.items() if row[2]}


def _check_stored(db) -> int:
    """Every passage's stored tokens are those of the question-time path; returns how many."""
    stored = _stored(db)
    for text, lang, spans, packed in stored.values():
        assert packed is not None, text
        expected = tokenize_each([text[s:e] for s, e in spans], lang)
        assert [set(t) for t in unpack(packed, len(spans))] == [set(t) for t in expected]
    return len(stored)


def _same_without_stored(retriever, dbs, **kwargs) -> None:
    """The answers with the stored tokens (none tokenized at question time) are the answers
    once they are gone (from `dbs`, the index's stores)."""
    answers, tokenized = _fresh_answers(retriever, **kwargs)
    assert tokenized == 0
    for db in dbs:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE passages SET sentence_tokens = NULL")
    again, tokenized = _fresh_answers(retriever, **kwargs)
    assert again == answers and tokenized > 0


def _make_old(db) -> None:
    """The index as a qa made before stored sentence tokens left it: no column, no version."""
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE passages DROP COLUMN sentence_tokens")
        conn.execute("DELETE FROM meta WHERE key = 'sentence_tokens_version'")


def test_answers_from_stored_tokens_are_those_of_question_time_tokens(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    _write(docs)
    build_index([docs], index=index, progress=False)
    db = current_data(index) / DB_NAME
    assert _check_stored(db) >= 6
    retriever = Retriever.open(index)
    results = {}
    for mode in ("hybrid", "dense", "lexical"):
        results[mode], tokenized = _fresh_answers(retriever, mode=mode)
        assert tokenized == 0, mode  # no sentence tokenized at question time
        assert _fresh_answers(retriever, mode=mode, many=True) == (results[mode], 0)
    assert any(len(h["answer"]["text"]) < len(h["text"]) for hits in results["hybrid"] for h in hits)

    # an index made before sentence tokens were stored: answered exactly as before, its
    # sentences tokenized at question time...
    _make_old(db)
    old = Retriever.open(index)
    for mode in ("hybrid", "dense", "lexical"):
        answers, tokenized = _fresh_answers(old, mode=mode)
        assert answers == results[mode] and tokenized > 0, mode
        assert _fresh_answers(old, mode=mode, many=True)[0] == results[mode]
    # ... until the next `qa index` stores them, embedding nothing
    report = build_index([docs], index=index, progress=False)
    assert report.sentence_tokens == len(_stored(db)) and report.passages_embedded == 0
    assert _check_stored(db) == report.sentence_tokens
    assert old.refresh()
    for mode in ("hybrid", "dense", "lexical"):
        assert _fresh_answers(old, mode=mode) == (results[mode], 0)
    assert build_index([docs], index=index, progress=False).sentence_tokens == 0  # once
    old.close()
    retriever.close()


def test_added_removed_and_retokenized_passages_keep_their_tokens_right(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    _write(docs, {k: v for k, v in DOCS.items() if not k.startswith("en/")})
    build_index([docs], index=index, progress=False)
    db = current_data(index) / DB_NAME
    # a removal on an older index adds the column, empty: answered with question-time tokens...
    _make_old(db)
    remove_documents(index, ["ru/moscow.txt"])
    before = _stored(db)
    assert {packed for *_, packed in before.values()} == {None}
    retriever = Retriever.open(index)
    assert _fresh_answers(retriever)[1] > 0
    # ... until the next `qa index`, even one that adds files: theirs are stored as they come in
    extra = tmp_path / "extra"
    _write(extra, {k: v for k, v in DOCS.items() if k.startswith("en/")})
    report = build_index([extra], index=index, progress=False, add=True)
    assert report.sentence_tokens == len(before) and report.passages_embedded > 0
    _check_stored(db)
    assert retriever.refresh()
    _same_without_stored(retriever, [db])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'sentence_tokens_version'")
    nulled = len(_stored(db))
    assert build_index([docs], index=index, progress=False, add=True).sentence_tokens == nulled  # not Moscow's
    _check_stored(db)
    retriever.refresh()
    mixed, tokenized = _fresh_answers(retriever)
    assert tokenized == 0

    # another tokenizer (a tokens version this qa does not make): `qa index` re-makes the
    # sentences' tokens with the passages' lexical tokens
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE passages SET sentence_tokens = 'stale'")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'tokens_version'")
    report = build_index([docs], index=index, progress=False, add=True)
    assert report.retokenized > 0 and report.passages_embedded == 0
    _check_stored(db)
    retriever.refresh()
    assert _fresh_answers(retriever) == (mixed, 0)
    retriever.close()


@pytest.mark.parametrize("many", [False, True])
def test_a_sharded_index_answers_from_its_shards_stored_tokens(tmp_path, many):
    docs, index = tmp_path / "docs", tmp_path / "index"
    _write(docs)
    build_index([docs], index=index, shards=3, progress=False)
    data = current_data(index)
    shards = [current_data(data / name) / DB_NAME for name in read_manifest(data).shards]
    assert sum(_check_stored(db) for db in shards) >= 6
    retriever = Retriever.open(index)
    _same_without_stored(retriever, shards, many=many)
    retriever.close()
