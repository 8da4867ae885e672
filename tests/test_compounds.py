"""German compounds in the lexical tokens (qa/compounds.py): a compound gives itself and its
stemmed parts, on the passage side and the question side alike, so that a question's part
finds a passage's compound and the other way round. Sentences and documents written by hand."""
from __future__ import annotations

import sqlite3

import pytest

from qa import Retriever, build_index
from qa.errors import StaleIndex
from qa.language import TOKENS_VERSION, query_tokens, tokenize, tokenize_each
from qa.layout import current_data
from qa.store import DB_NAME


def test_a_compound_gives_itself_and_its_stemmed_parts():
    assert tokenize("Nur die Zugriffszeit ändern.", "de") == ["nur", "die", "zugriffszeit", "zugriff", "zeit", "and"]
    # split again while a part is a compound itself; ß is case-folded to ss before splitting
    assert tokenize("Fußballweltmeisterschaft", "de") == ["fussballweltmeisterschaft", "fuss", "ball", "welt",
                                                           "meisterschaft"]
    # the question side too, after its stopwords are left out
    assert query_tokens("Wie ändere ich die Änderungszeit?", "de") == ["and", "anderungszeit", "ander", "zeit"]
    # words that are not compounds, short words and words with digits are not cut as compounds
    # (a word of letters and digits gives its runs as a code does: qa/word_forms.py)
    assert tokenize("Die Dateien wurden standardmäßig verhandelt, md5sum.", "de") == [
        "die", "datei", "wurd", "standardmass", "verhandelt", "md5sum", "md", "5", "sum"]
    # and the sentences' tokens (the answer sentence) follow the passage's
    assert tokenize_each(["Nur die Zugriffszeit ändern.", "Zeilennummern"], "de") == [
        tokenize("Nur die Zugriffszeit ändern.", "de"), tokenize("Zeilennummern", "de")]


def test_languages_without_a_splitter_keep_their_words():
    assert tokenize("Zugriffszeit", "en") == ["zugriffszeit"]
    assert tokenize("De toegangstijd", "nl") == ["de", "toegangstijd"]
    assert tokenize("Zugriffszeit", None) == ["zugriffszeit"]


PAGES = {
    "atime.txt": "Mit der Option -a wird nur die Zugriffszeit gesetzt.",
    "last.txt": "Der letzte Aufruf des Programms liegt weit zurück, die Ausgabe bleibt leer.",
    "change.txt": "Die Zeit der letzten Änderung einer Datei wird auf den angegebenen Wert gesetzt.",
    "group.txt": "Die Benutzer werden nach ihrer Gruppe sortiert ausgegeben.",
}


@pytest.fixture(scope="module")
def german_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compound-docs")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("compound-index")
    build_index([folder], index=index, progress=False)
    return folder, index


def test_a_part_in_the_question_finds_the_compound_first(german_index):
    _, index = german_index
    retriever = Retriever.open(index)
    try:
        # "Zeit", "Zugriffs": only atime.txt has them, inside "Zugriffszeit"; "letzten" is elsewhere
        hits = retriever.search("Zeit des letzten Zugriffs", k=4, mode="lexical")
        assert hits[0].source == "atime.txt", [(h.source, h.score) for h in hits]
        # the other way round: the question's compound, the page's parts ("Zeit", "Änderung")
        hits = retriever.search("Welche Änderungszeit?", k=4, mode="lexical")
        assert hits[0].source == "change.txt", [(h.source, h.score) for h in hits]
    finally:
        retriever.close()


def test_an_index_of_the_previous_tokens_version_is_retokenized(german_index, tmp_path):
    import shutil

    folder, built = german_index
    index = tmp_path / "index"
    shutil.copytree(built, index)
    db = current_data(index) / DB_NAME
    # what the previous version stored for the compound's page: its words, no parts
    old = "mit der option a wird nur die zugriffszeit gesetzt"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE lexical SET tokens = ? WHERE tokens LIKE '%zugriffszeit%'", (old,))
        conn.execute("INSERT OR REPLACE INTO meta VALUES('tokens_version', ?)", (str(TOKENS_VERSION - 1),))
    with pytest.raises(StaleIndex, match="nothing is re-embedded"):
        Retriever.open(index)
    report = build_index([folder], index=index, progress=False)
    assert report.retokenized == len(PAGES) and report.passages_embedded == 0
    with sqlite3.connect(db) as conn:
        tokens = conn.execute("SELECT tokens FROM lexical WHERE tokens LIKE '%zugriffszeit%'").fetchone()[0]
    assert "zugriffszeit zugriff zeit" in tokens
    retriever = Retriever.open(index)
    try:
        hits = retriever.search("Zeit des letzten Zugriffs", k=4, mode="lexical")
        assert hits[0].source == "atime.txt", [(h.source, h.score) for h in hits]
    finally:
        retriever.close()


# compounds, plain words, short words, umlauts and ß, a hyphen, a word the table cannot know
WORDS = ["Zugriffszeit", "Änderungszeit", "Fußballweltmeisterschaft", "fussballweltmeisterschaft", "Zeilennummern",
         "Aktualisierungsintervall", "Handbuchseiten", "Festplattenzugriffe", "Terminalsitzung", "Datei", "und",
         "Bahnhof", "Autobahnraststätte", "Kernel-Ringpuffer", "Systemprotokoll", "Zeichensatzkodierungen",
         "Lesesperre", "Schreibsperre", "standardmäßig", "Donaudampfschifffahrtsgesellschaft", "xqzvwptkl",
         "Überschrift", "Tabellenüberschrift", "abc", "Wochennummer", "Kalenderwoche", "Osterfeiertage"]


def test_the_mapped_table_splits_as_the_package_table(tmp_path, monkeypatch):
    """qa/compound_table.py: every split (all scored positions, in order) is the package's own,
    once built into the cache and once read back mapped; a damaged cache is rebuilt."""
    import numpy as np
    import split_words.splitter as sw
    from split_words import Splitter

    from qa.compound_table import cache_dir, load_tables

    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path))
    saved = sw.ngram_probs
    splitter = Splitter()
    try:
        sw.ngram_probs = None
        package = sw.get_ngram_probs()
        reference = [splitter.split_compound(w) for w in WORDS]
        assert reference[0][0][1:] == ("Zugriffs", "Zeit")  # the list splits: not a test that cannot fail
        for attempt in ("built and saved", "read back", "rebuilt"):
            if attempt == "rebuilt":
                (cache_dir() / "meta.json").write_text("{")
            tables = load_tables()
            assert (cache_dir() / "meta.json").exists()
            assert {name: len(t) for name, t in tables.items()} == {name: len(t) for name, t in package.items()}
            sw.ngram_probs = tables
            assert [splitter.split_compound(w) for w in WORDS] == reference, attempt
            assert tables["infix"].get("alanla", -1) == package["infix"]["alanla"]
            assert tables["suffix"].get("xqzvwptkl", -1) == -1
            sw.ngram_probs = package
        assert isinstance(load_tables()["infix"]._values.base, np.memmap)  # mapped, not loaded
    finally:
        sw.ngram_probs = saved
