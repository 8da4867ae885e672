"""An index whose passages another language identifier labelled (made before Swahili and Tagalog
were among `qa.language.LANGUAGES`: a Swahili notice stored as Indonesian) is searched with a
warning naming the command, and a plain `qa index` identifies its documents' and passages'
languages again and re-tokenizes what depends on them, nothing re-embedded; sharded indexes too
(docs/reliability.md "Session 19: an index labelled by an older language identifier")."""
from __future__ import annotations

import logging
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest

import qa.language
from conftest import SEED_NAME, SEEDS
from qa import Retriever, build_index
from qa.cli import main as cli_main
from qa.layout import current_data
from qa.shards import read_manifest
from qa.store import DB_NAME
from test_languages_outside import KLINIKI, SWAHILI

# The identifier as it was before session 19: without Swahili and Tagalog
BEFORE = [lang for lang in qa.language.LANGUAGES if lang not in ("sw", "tl")]
QUESTION = SWAHILI[0]  # "Kliniki ya watoto inafunguliwa siku gani?": on which days is the children's clinic open?


@contextmanager
def identifier_of(languages: list[str]):
    """The identifier restricted to `languages` in this process (its loaded model dropped before
    and after: it is loaded again for the list in force)."""
    kept = qa.language.LANGUAGES
    qa.language.LANGUAGES = list(languages)
    qa.language.detect_language._model = None
    try:
        yield
    finally:
        qa.language.LANGUAGES = kept
        qa.language.detect_language._model = None


def write_docs(folder: Path) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "kliniki.txt").write_text(KLINIKI + "\n", encoding="utf-8")
    shutil.copy(SEEDS / SEED_NAME, docs / SEED_NAME)  # French: its languages stay
    return docs


def stores(index: Path) -> list[Path]:
    data = current_data(index)
    if (data / DB_NAME).exists():
        return [data / DB_NAME]
    return [current_data(data / name) / DB_NAME for name in read_manifest(data).shards]


def languages_of(index: Path) -> dict[str, tuple[str, list[str]]]:
    """{source: (document's language, its passages' languages by id)} over every store of `index`."""
    found = {}
    for db in stores(index):
        with sqlite3.connect(db) as conn:
            for source, lang in conn.execute("SELECT source, lang FROM documents"):
                langs = [r[0] for r in conn.execute("SELECT p.lang FROM passages p JOIN documents d ON d.id = p.doc_id "
                                                     "WHERE d.source = ? ORDER BY p.id", (source,))]
                found[source] = (lang, langs)
    return found


def stored_tokens(index: Path) -> dict[str, list[tuple[str, str | None]]]:
    """{passage text: [(lexical tokens, sentence tokens)]} over every store of `index`."""
    found: dict[str, list] = {}
    for db in stores(index):
        with sqlite3.connect(db) as conn:
            for text, tokens, sentence_tokens in conn.execute(
                    "SELECT p.text, l.tokens, p.sentence_tokens FROM passages p JOIN lexical l ON l.rowid = p.id"):
                found.setdefault(text, []).append((tokens, sentence_tokens))
    return found


def vectors_of(index: Path) -> dict[str, bytes]:
    found = {}
    for db in stores(index):
        with sqlite3.connect(db) as conn:
            found.update(conn.execute("SELECT text, vector FROM passages"))
    return found


def ask(index: Path, mode: str):
    retriever = Retriever.open(index)
    try:
        return retriever.search(QUESTION, k=3, mode=mode)
    finally:
        retriever.close()


@pytest.mark.parametrize("shards", [None, 2])
def test_an_index_of_the_older_identifier_is_identified_again_by_a_plain_qa_index(tmp_path, caplog, capsys, shards):
    docs = write_docs(tmp_path)
    index = tmp_path / "index"
    with identifier_of(BEFORE):
        build_index([docs], index=index, shards=shards, progress=False)
    stale = languages_of(index)
    assert stale["kliniki.txt"] == ("id", ["id"] * 4)  # the Swahili notice, as the older identifier read it
    assert stale[SEED_NAME][0] == "fr"
    vectors = vectors_of(index)

    # searched meanwhile, with the command that repairs it; the question is told the passages are Indonesian
    with caplog.at_level(logging.WARNING, logger="qa"):
        before = ask(index, "hybrid")
    assert any("another language identifier" in r.getMessage() and f"`qa index {docs} --index {index}`" in r.getMessage()
               for r in caplog.records)
    assert before[0].lang == "id" and "found are in Indonesian" in before[0].notice
    lexical_before = ask(index, "lexical")
    assert lexical_before[0].lang == "id" and lexical_before[0].paragraph == 1

    # a plain `qa index` of the folder, as the warning says: one line tells it
    assert cli_main(["index", str(docs), "--index", str(index)]) == 0
    said = capsys.readouterr()
    assert "11 passages' languages identified again (4 changed, re-tokenized); 0 passages embedded" in said.out + said.err

    assert languages_of(index) == {**stale, "kliniki.txt": ("sw", ["sw"] * 4)}
    assert vectors_of(index) == vectors  # nothing re-embedded
    after = ask(index, "hybrid")
    assert after[0].lang == "sw" and after[0].paragraph == 1 and after[0].notice is None
    lexical_after = ask(index, "lexical")
    # the question's "inafunguliwa" (is opened) was stemmed as Indonesian in the passage, not in the question
    assert lexical_after[0].paragraph == 1 and lexical_after[0].score > lexical_before[0].score + 1

    # what a fresh index of the same files stores (languages, lexical and sentence tokens), with no warning
    fresh = tmp_path / "fresh"
    build_index([docs], index=fresh, shards=shards, progress=False)
    assert languages_of(fresh) == languages_of(index)
    assert stored_tokens(fresh) == stored_tokens(index)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa"):
        ask(index, "hybrid")
    assert not any("another language identifier" in r.getMessage() for r in caplog.records)

    # done once: the next run identifies nothing again, embeds nothing
    report = build_index([docs], index=index, progress=False)
    assert report.identified == 0 and report.passages_embedded == 0 and report.words == 0


def test_the_word_vocabulary_follows_the_new_languages_without_embedding(tmp_path):
    """Word translation keeps its words by language: the notice's words, stored as Indonesian, are
    counted again as Swahili, their vectors kept (none embedded), the Indonesian rows left unused."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kliniki.txt").write_text(KLINIKI + "\n", encoding="utf-8")
    index = tmp_path / "index"
    with identifier_of(BEFORE):
        assert build_index([docs], index=index, progress=False).words > 0
    report = build_index([docs], index=index, progress=False)
    assert report.identified == 4 and report.relabelled == 4
    assert report.passages_embedded == 0 and report.words == 0 and report.contexts == 0
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        used = dict(conn.execute("SELECT lang, COUNT(*) FROM words WHERE uses > 0 GROUP BY lang"))
        moved = conn.execute("SELECT COUNT(*) FROM words s JOIN words i ON i.word = s.word AND i.lang = 'id' "
                             "WHERE s.lang = 'sw' AND s.vector = i.vector").fetchone()[0]
    assert set(used) == {"sw"} and moved == used["sw"]


def test_another_identifier_record_alone_identifies_again_and_changes_nothing(tmp_path):
    """A record of another identifier (py3langid's model upgraded, `IDENTIFIER_VERSION` bumped) makes
    `qa index` identify every passage again; where the languages are the same, nothing is written."""
    docs = write_docs(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    languages, tokens = languages_of(index), stored_tokens(index)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        record = conn.execute("SELECT value FROM meta WHERE key = 'identifier'").fetchone()[0]
        assert record == qa.language.identifier_record()
        conn.execute("UPDATE meta SET value = '1:0000000000000000' WHERE key = 'identifier'")
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
    report = build_index([docs], index=index, progress=False)
    assert report.identified == 11 and report.relabelled == 0 and report.passages_embedded == 0
    assert languages_of(index) == languages and stored_tokens(index) == tokens
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'identifier'").fetchone()[0] == record
        assert conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0] == generation


def test_the_record_is_of_the_languages_and_the_model():
    record = qa.language.identifier_record()
    assert record.startswith(f"{qa.language.IDENTIFIER_VERSION}:")
    with identifier_of(BEFORE):
        assert qa.language.identifier_record() != record
    with identifier_of(list(reversed(qa.language.LANGUAGES))):  # the order does not matter
        assert qa.language.identifier_record() == record


# Session 20's mutation audit (benchmarks/mutants20.py) ------------------------------------------------

def test_a_searcher_open_during_the_repair_reads_the_new_languages(tmp_path):
    """A `qa serve` open on the index while `qa index` repairs it: the repair changes what the stored
    passages say (their languages, their tokens), so the index's generation moves, as after any build
    that writes passages (`Store.retokenize` too), and the searcher's refresh takes a new view. (Its
    rows are read live and its caches are keyed by the build count, so without the bump its answers
    were the same here: this pins the store's rule, which the saved vectors' stamps rely on.)"""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kliniki.txt").write_text(KLINIKI + "\n", encoding="utf-8")
    index = tmp_path / "index"
    with identifier_of(BEFORE):
        build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    try:
        assert retriever.search(QUESTION, k=1)[0].lang == "id"
        generation = retriever.generation
        assert build_index([docs], index=index, progress=False).relabelled == 4
        assert retriever.refresh()  # as `qa serve` does before each question (`ChatApp.refresh`)
        (hit,) = retriever.search(QUESTION, k=1)
        assert retriever.generation > generation
        assert hit.lang == "sw" and hit.notice is None
    finally:
        retriever.close()


def test_a_document_whose_language_alone_changed_has_its_passages_tokens_written_again(tmp_path):
    """A passage's lexical tokens hold its document's title tokenized in the document's language
    (`qa.indexer.passage_tokens`): when only the document's language changes (its passages keep
    theirs), its passages' tokens are written again all the same."""
    from qa.indexer import passage_tokens
    from qa.sentence_tokens import sentence_tokens_of
    from qa.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "vergers.md").write_text("# Récoltes et vergers normands\n\nLes pommes sont récoltées en septembre "
                                     "dans les vergers.\n\nLe cidre est pressé en octobre.\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    store = Store(current_data(tmp_path / "index") / DB_NAME)
    try:
        query = ("SELECT p.id, p.text, p.lang, d.title, d.source, p.section, l.tokens FROM passages p "
                 "JOIN documents d ON d.id = p.doc_id JOIN lexical l ON l.rowid = p.id ORDER BY p.id")
        rows = store.connection().execute(query).fetchall()
        langs = [row[2] for row in rows]
        assert set(langs) == {"fr"} and rows[0][3]
        seen, written = store.relabel(lambda text, passages: ("en", langs), passage_tokens, sentence_tokens_of, "test")
        assert (seen, written) == (len(rows), len(rows))
        after = store.connection().execute(query).fetchall()
        assert [row[2] for row in after] == langs
        assert [row[6] for row in after] == [" ".join(passage_tokens(text, lang, title, source, "en", section))
                                             for _, text, lang, title, source, section, _ in rows]
        assert [row[6] for row in after] != [row[6] for row in rows]  # the title's tokens are English ones now
    finally:
        store.close()
