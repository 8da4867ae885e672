"""Filters inside retrieval: folder, language, dates; `k` results still come back."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa import Retriever, build_index
from qa.errors import BadQuestion
from qa.filters import choices, make_where
from conftest import ROOT
from mixed_corpus import write_mixed


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    docs = write_mixed(root / "docs")
    index = root / "index"
    build_index([docs], index=index, progress=False)
    r = Retriever.open(index)
    yield r, index
    r.close()


def test_folder_filter_returns_k_passages_of_that_folder_only(mixed):
    r, _ = mixed
    question = "Quand les pommes sont-elles récoltées en Normandie ?"
    unfiltered = r.search(question, k=5)
    assert unfiltered[0].source == "fr/pommes.md"
    hits = r.search(question, k=5, where={"folders": ["en"]})
    assert len(hits) == 5 and {h.source.split("/")[0] for h in hits} == {"en"}
    assert hits[0].source == "en/apples.md" and [h.rank for h in hits] == [1, 2, 3, 4, 5]
    # a single file works as a folder
    only = r.search(question, k=3, where=make_where(folders="en/trains.md"))
    assert [h.source for h in only] == ["en/trains.md"] * 3


def test_language_filter(mixed):
    r, _ = mixed
    hits = r.search("When are apples picked?", k=6, where={"langs": ["fr"]})
    assert len(hits) == 6 and {h.source for h in hits} == {"fr/pommes.md"}


def test_date_filter_leaves_out_undated_and_out_of_range(mixed):
    r, _ = mixed
    hits = r.search("apples", k=10, where={"since": "2024", "until": "2024-12"})
    assert len(hits) == 6 and {h.source for h in hits} == {"en/apples.md"}
    hits = r.search("apples", k=20, where={"until": "2023-05"})
    assert {h.source for h in hits} == {"fr/pommes.md"}
    hits = r.search("trains", k=20, where={"since": "2025-03-16"})
    assert hits == []
    # both ends are inclusive: a document dated on the day itself is in
    hits = r.search("trains", k=20, where={"since": "2025-03-15", "until": "2025-03-15"})
    assert hits and {h.source for h in hits} == {"en/trains.md"}
    # a day inside the month that ends the range is not "after" it: the month covers its days
    hits = r.search("trains", k=20, where={"since": "2025-03-15", "until": "2025-03"})
    assert hits and {h.source for h in hits} == {"en/trains.md"}


def test_filters_combine_in_every_mode(mixed):
    r, _ = mixed
    where = {"folders": ["en", "notes.md"], "langs": ["en"], "until": "2024-12-31"}
    for mode in ("hybrid", "dense", "lexical"):
        hits = r.search("apples cooperative", k=4, mode=mode, where=where)
        assert len(hits) == 4 and {h.source for h in hits} == {"en/apples.md"}, mode


def test_bad_filters_are_clear_errors(mixed):
    r, _ = mixed
    with pytest.raises(BadQuestion, match="YYYY"):
        r.search("apples", where={"since": "last week"})
    for impossible in ("2024-13", "2024-13-45", "2024-02-30", "2024-00"):  # shaped like dates, no such day
        with pytest.raises(BadQuestion, match="YYYY"):
            make_where(until=impossible)
    assert make_where(since="2024-02-29", until="2024-12").sql()  # a leap day and a month are dates
    with pytest.raises(BadQuestion, match="inside the index"):
        r.search("apples", where={"folders": ["../etc"]})
    with pytest.raises(BadQuestion, match="unknown filter"):
        r.search("apples", where={"path": "/etc"})
    with pytest.raises(BadQuestion, match="after"):
        make_where(since="2025", until="2024")


def test_choices_lists_top_level_entries_languages_and_dates(mixed):
    r, _ = mixed
    c = choices(r.store)
    assert c["folders"] == ["en/", "fr/", "notes.md"]
    assert set(c["langs"]) == {"en", "fr"} and c["dates"] == ["2023-05-10", "2025-03-15"]


def test_cli_ask_with_filters(mixed):
    _, index = mixed
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "qa", "ask", "Quand les pommes sont-elles récoltées ?", "--index",
                          str(index), "-k", "3", "--in", "en", "--since", "2024-01", "--json"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert len(hits) == 3 and {h["source"] for h in hits} == {"en/apples.md"}
    bad = subprocess.run([sys.executable, "-m", "qa", "ask", "x", "--index", str(index), "--until", "soon"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 1 and bad.stderr.startswith("qa: error: until must be a date")


def test_large_filters_search_the_vector_index_with_the_same_results(mixed, monkeypatch):
    """Above EXACT_FILTERED matching passages the vector index is searched with a growing
    candidate list instead of scoring every match: same passages, same order."""
    import qa.filters

    r, _ = mixed
    where = {"folders": ["en"], "since": "2024"}
    question = "Quand les pommes sont-elles récoltées en Normandie ?"
    exact = [(h.id, h.score) for h in r.search(question, k=8, mode="dense", where=where)]
    monkeypatch.setattr(qa.filters, "EXACT_FILTERED", 0)
    widened = [(h.id, h.score) for h in r.search(question, k=8, mode="dense", where=where)]
    assert len(exact) == 8 and widened == exact


def test_a_filter_matching_more_passages_than_the_candidates_keeps_the_best_of_them(tmp_path):
    """A filter matching more passages than a search's candidates (CANDIDATES) but few enough to
    score them all: the best of them are kept, the same as the unfiltered search finds there."""
    from qa.retrieval import CANDIDATES

    docs = tmp_path / "docs"
    (docs / "gares").mkdir(parents=True)
    for i in range(CANDIDATES + 20):
        (docs / "gares" / f"bulletin{i:03d}.txt").write_text(
            f"Bulletin {i}: le train numéro {i} part de la gare de Lyon à {i % 24} heures vers la ville {i}.",
            encoding="utf-8")
    (docs / "recettes.txt").write_text("La tarte aux pommes cuit quarante minutes au four.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    r = Retriever.open(index)
    try:
        question = "Quand part le train numéro 37 ?"
        unfiltered = [(h.id, h.source) for h in r.search(question, k=3, mode="dense")]
        assert len(unfiltered) == 3 and all(source.startswith("gares/") for _, source in unfiltered)
        filtered = r.search(question, k=3, mode="dense", where={"folders": ["gares"]})
        assert [(h.id, h.source) for h in filtered] == unfiltered
    finally:
        r.close()


def test_dates_written_otherwise_than_iso_are_filtered_as_dates(tmp_path):
    """A date kept as written ("2024-3-5", "May 5, 2024", an HTML "July 5, 2024" cut to ten
    characters) was compared as text: `--since 2024-10` returned March and May, `--until
    2024-06` returned nothing (Session 13)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "mars.md").write_text("date: 2024-3-5\n\n# Mars\n\nLa récolte des kiwis a eu lieu en mars.\n",
                                  encoding="utf-8")
    (docs / "mai.md").write_text("---\ntitle: Mai\ndate: May 5, 2024\n---\n\nLa récolte des kiwis a eu lieu en mai.\n",
                                 encoding="utf-8")
    (docs / "oct.md").write_text("---\ntitle: Octobre\ndate: 2024-10-20T08:00:00Z\n---\n\n"
                                 "La récolte des kiwis a eu lieu en octobre.\n", encoding="utf-8")
    (docs / "juillet.html").write_text("<html><head><title>Juillet</title><meta name='date' content='July 5, 2024'>"
                                       "</head><body><p>La récolte des kiwis a eu lieu en juillet.</p></body></html>",
                                       encoding="utf-8")
    (docs / "vague.md").write_text("---\ntitle: Vague\ndate: un jour\n---\n\nLa récolte des kiwis, un jour.\n",
                                   encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    r = Retriever.open(tmp_path / "index")

    def dated(**where):
        return {(h.source, h.date) for h in r.search("récolte des kiwis", k=10, where=where or None)}

    assert dated() == {("mars.md", "2024-03-05"), ("mai.md", "2024-05-05"), ("oct.md", "2024-10-20"),
                       ("juillet.html", "2024-07-05"), ("vague.md", None)}
    assert {s for s, _ in dated(since="2024-10")} == {"oct.md"}
    assert {s for s, _ in dated(until="2024-06")} == {"mars.md", "mai.md"}
    assert {s for s, _ in dated(since="2024-04", until="2024-07")} == {"mai.md", "juillet.html"}
    r.close()


def test_a_file_filter_keeps_the_documents_inside_the_file(tmp_path):
    """A message's attachments are cited "mail.eml › facture.pdf" and leave with it (`qa remove
    mail.eml`), but the filter on "mail.eml" left them out and listed each as a top-level entry
    of its own (Session 13)."""
    import formats

    docs = tmp_path / "docs"
    docs.mkdir()
    formats.make_eml(docs / "mail.eml")
    (docs / "autre.md").write_text("# Autre\n\nLa facture du plombier est de 300 euros.\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", progress=False)
    r = Retriever.open(tmp_path / "index")
    assert choices(r.store)["folders"] == ["autre.md", "mail.eml"]
    hits = r.search("Combien coûte la toiture de la grange ?", k=3, where={"folders": ["mail.eml"]})
    assert hits[0].source == "mail.eml › facture.pdf"
    assert {h.source for h in hits} <= {"mail.eml", "mail.eml › facture.pdf"}
    r.close()


def test_a_folder_filter_is_not_a_name_prefix(tmp_path):
    """`--in notes` is the folder notes/, not notes-old/ beside it."""
    docs = tmp_path / "docs"
    for folder, text in (("notes", "Le marché de Quimper ouvre le samedi matin."),
                         ("notes-old", "Le marché de Quimper ouvrait le mercredi autrefois.")):
        (docs / folder).mkdir(parents=True)
        (docs / folder / "marche.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    r = Retriever.open(index)
    try:
        for mode in ("hybrid", "dense", "lexical"):
            hits = r.search("Quand ouvre le marché de Quimper ?", k=5, mode=mode, where={"folders": ["notes"]})
            assert [h.source for h in hits] == ["notes/marche.txt"], mode
    finally:
        r.close()


def test_a_folder_named_in_decomposed_unicode_is_found_by_its_name_as_typed(tmp_path):
    """A folder copied from macOS is named in decomposed form ("Cafe" + U+0301); typed at a
    terminal, or pasted, the same name is composed ("Caf" + U+00E9), and looks the same. `--in` with
    it found nothing at all (an empty answer, as if the folder held nothing), and `qa remove`
    said no indexed document matched."""
    import unicodedata

    from qa import Retriever, build_index
    from qa.indexer import remove_documents

    decomposed, composed = unicodedata.normalize("NFD", "Café"), unicodedata.normalize("NFC", "Café")
    docs = tmp_path / "docs"
    (docs / decomposed).mkdir(parents=True)
    (docs / "autre").mkdir()
    (docs / decomposed / "menu.md").write_text("Le café de la place ouvre à sept heures.", encoding="utf-8")
    (docs / "autre" / "pommes.md").write_text("Les pommes du verger sont récoltées en septembre.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    try:
        for typed in (decomposed, composed, composed + "/menu.md"):
            hits = retriever.search("Quand ouvre le café ?", k=2, where={"folders": [typed]})
            assert [h.source for h in hits] == [f"{decomposed}/menu.md"], typed
        assert [h.source for h in retriever.search("pommes", k=2, where={"folders": ["autre"]})] == ["autre/pommes.md"]
    finally:
        retriever.close()
    assert remove_documents(index, [composed + "/menu.md"]).removed == 1


def test_removing_a_name_removes_that_file_not_its_look_alike_in_the_other_unicode_form(tmp_path):
    """Two files whose names differ only by their Unicode form (both can exist on Linux): `qa
    remove` with one name takes out that file alone; the other form is matched only when the name
    as given matches nothing."""
    import unicodedata

    from qa import build_index
    from qa.indexer import remove_documents

    decomposed, composed = unicodedata.normalize("NFD", "café.md"), unicodedata.normalize("NFC", "café.md")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / decomposed).write_text("Le café de la place ouvre à sept heures.", encoding="utf-8")
    (docs / composed).write_text("Le café de la gare ouvre à six heures.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    report = remove_documents(index, [composed])
    assert report.removed_files == [(composed, "removed on request")] and report.documents == 1


def test_a_folder_filter_naming_nothing_is_a_clear_error(mixed):
    """A typo in `--in` (or the chat's or the API's folders) gave an empty answer and exit 0,
    which reads as "nothing in there answers": it is a one-line error naming what the index holds."""
    r, index = mixed
    for folders in (["Ofice"], ["en", "Ofice"]):
        with pytest.raises(BadQuestion, match=r"no indexed document is in 'Ofice': the index holds en/, fr/") as caught:
            r.search("When are apples picked?", k=3, where={"folders": folders})
        assert caught.value.key == "folder_unknown"
    # a file and a folder deeper down that hold documents are no error
    assert r.search("When are apples picked?", k=2, where={"folders": ["en/apples.md"]})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    bad = subprocess.run([sys.executable, "-m", "qa", "ask", "When are apples picked?", "--index", str(index),
                          "--in", "nope"], capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("qa: error: no indexed document is in 'nope'") and bad.stderr.count("\n") == 1


def test_a_folder_filter_naming_nothing_is_an_error_in_a_sharded_index_too(tmp_path):
    docs = tmp_path / "docs"
    for folder, text in (("notes", "Le marché de Quimper ouvre le samedi matin."),
                         ("mails", "La réunion du comité est reportée à jeudi."),
                         ("minutes", "Le comité a voté le budget du marché.")):
        (docs / folder).mkdir(parents=True)
        (docs / folder / "texte.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, shards=2, progress=False)
    r = Retriever.open(index)
    try:
        with pytest.raises(BadQuestion, match=r"no indexed document is in 'note': the index holds mails/, minutes/, notes/"):
            r.search("Quand ouvre le marché ?", k=3, where={"folders": ["note"]})
        # every folder is held by one shard only, and found
        for folder in ("notes", "mails", "minutes"):
            assert [h.source for h in r.search("Quand ouvre le marché ?", k=3, where={"folders": [folder]})] \
                == [f"{folder}/texte.txt"]
    finally:
        r.close()


def test_a_folder_filter_naming_nothing_names_at_most_eight_top_folders():
    """The error names the index's top-level folders: all of them up to `SHOWN_FOLDERS`, with
    ", ..." only when some are left out; a filter naming a held folder and an unknown one names
    the unknown one."""
    from qa.filters import SHOWN_FOLDERS, Where, check_folders

    tops = [f"f{n}/" for n in range(SHOWN_FOLDERS + 1)]
    where = Where(folders=("f1", "nope"))
    with pytest.raises(BadQuestion) as caught:
        check_folders(where, {"f1"}, lambda: tops[:SHOWN_FOLDERS])
    assert str(caught.value) == f"no indexed document is in 'nope': the index holds {', '.join(tops[:SHOWN_FOLDERS])}"
    with pytest.raises(BadQuestion) as caught:
        check_folders(where, {"f1"}, lambda: tops)
    assert str(caught.value).endswith(f"the index holds {', '.join(tops[:SHOWN_FOLDERS])}, ...")
    with pytest.raises(BadQuestion, match="the index holds no document yet"):
        check_folders(Where(folders=("nope",)), set(), lambda: [])
    check_folders(where, {"f1", "nope"}, lambda: tops)  # both held: no error
