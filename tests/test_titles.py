"""A passage's document title is searchable: a question naming a document finds its passages."""
from __future__ import annotations

import sqlite3

import pytest

from qa import Retriever, build_index
from qa.errors import StaleIndex
from qa.language import tokenize
from qa.layout import current_data
from qa.store import DB_NAME
from qa.titles import is_file_name, title_tokens, with_title

# Two documents whose passages are word for word the same: only their titles tell them apart.
BODY = "Use the x option to extract the files of an archive.\n\nThe v option lists each file as it goes.\n"


# Other documents, so that words in half of the passages still have some weight (BM25 IDF).
OTHERS = {"c.md": ("Garden diary", "Tomatoes need sun and water every day."),
          "d.md": ("Train timetable", "The first train leaves at six in the morning."),
          "e.md": ("Recipe book", "Bake the bread for forty minutes.")}


def _corpus(folder) -> None:
    folder.mkdir()
    _write(folder, "a.md", "Tarball archiver")
    _write(folder, "b.md", "Zipper utility")
    for name, (title, text) in OTHERS.items():
        _write(folder, name, title, text)


def _write(folder, name: str, title: str, body: str = BODY) -> None:
    (folder / name).write_text(f"---\ntitle: {title}\n---\n{body}", encoding="utf-8")


def _scores(retriever: Retriever, question: str, mode: str) -> dict[str, float]:
    """The best score of each document's passages about extracting. The same words in another
    document are no hit of their own but a place of the better one (`Passage.also_in`): that
    document ranks below it, counted here with a score just under it."""
    best: dict[str, float] = {}
    for hit in retriever.search(question, k=10, mode=mode):
        if "extract" in hit.text:
            best.setdefault(hit.source, hit.score)
            for place in hit.also_in:
                best.setdefault(place.split(" §")[0], hit.score - 1e-6)
    return best


def test_a_question_naming_a_title_finds_the_passage_of_that_document(tmp_path):
    docs = tmp_path / "docs"
    _corpus(docs)
    build_index([docs], index=tmp_path / "index", progress=False)
    retriever = Retriever.open(tmp_path / "index")
    for question, wanted, other in (("How does the tarball archiver extract files?", "a.md", "b.md"),
                                    ("How does the zipper extract files?", "b.md", "a.md")):
        for mode in ("lexical", "hybrid"):
            scores = _scores(retriever, question, mode)
            assert scores[wanted] > scores[other], (question, mode, scores)
            assert retriever.search(question, k=1, mode=mode)[0].source == wanted
    retriever.close()


def test_an_index_of_older_tokens_gets_title_terms_without_reembedding(tmp_path):
    docs = tmp_path / "docs"
    _corpus(docs)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:  # as tokens version 2 stored them
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'tokens_version'")
        for rowid, text, lang in conn.execute("SELECT id, text, lang FROM passages").fetchall():
            conn.execute("UPDATE lexical SET tokens = ? WHERE rowid = ?", (" ".join(tokenize(text, lang)), rowid))
    with pytest.raises(StaleIndex):
        Retriever.open(index)
    report = build_index([docs], index=index, progress=False)
    assert report.retokenized == 7 and report.passages_embedded == 0
    retriever = Retriever.open(index)
    assert retriever.search("How does the zipper extract files?", k=1, mode="lexical")[0].source == "b.md"
    retriever.close()


def test_a_file_name_or_no_title_adds_no_terms():
    assert title_tokens(None, "a.txt", "en") == [] and title_tokens("  ", "a.txt", "en") == []
    for title, source in (("000_00b606b2294fa235", "seeds/000_00b606b2294fa235.txt"),
                          ("budget.xlsx", "finance/budget.xlsx"), ("notes", "mail.eml › notes.txt")):
        assert is_file_name(title, source)
        assert title_tokens(title, source, "en") == []
    assert not is_file_name("Budget 2024", "finance/budget.xlsx")
    # a reader's cut of a long first line is a paragraph's first words, not a title
    assert title_tokens("The Normans were the people who in the 10th and 11th centuries gave their…", "p.txt",
                        "en") == []
    assert title_tokens("LS(1) Commandes de l'utilisateur LS(1)", "ls.txt", "fr") == tokenize(
        "LS(1) Commandes de l'utilisateur LS(1)", "fr")


def test_a_passage_that_holds_its_title_does_not_repeat_it():
    title = "LS(1)   User Commands   LS(1)"
    context = title_tokens(title, "ls.txt", "en")
    first = "LS(1)   User Commands   LS(1)\n\nNAME\n       ls - list directory contents"
    later = "-a, --all\n       do not ignore entries starting with ."
    assert with_title(["x"], first, title, context) == ["x"]
    assert with_title(["x"], later, title, context) == ["x", *context]
