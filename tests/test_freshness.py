"""A cited file edited or deleted after `qa index`: every way in says so, until `qa index` runs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from qa import Retriever, build_index
from qa.render import reply

ORCHARD = ("Le verger de la coopérative compte 420 cerisiers et 180 pommiers.\n\n"
           "La récolte des cerises commence à la mi-juin et dure trois semaines.\n")
HARBOUR = ("The harbour of Saint-Malo is protected by a granite breakwater built in 1837.\n\n"
           "Ferries leave for Portsmouth twice a day in summer.\n")


def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    (docs / "verger.txt").write_text(ORCHARD, encoding="utf-8")
    (docs / "port.txt").write_text(HARBOUR, encoding="utf-8")
    return docs


def cited(retriever, question: str, source: str):
    return next(h for h in retriever.search(question, k=4) if h.source == source)


@pytest.mark.parametrize("shards", [None, 2])
def test_edited_touched_and_deleted_files_are_told_apart(tmp_path, shards):
    docs = folder(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, shards=shards, progress=False)
    retriever = Retriever.open(index)
    orchard_q, harbour_q = "Combien de cerisiers compte le verger ?", "When was the breakwater built?"
    assert cited(retriever, orchard_q, "verger.txt").source_changed is None
    assert cited(retriever, harbour_q, "port.txt").source_changed is None

    # touched, same bytes: not changed (the content decides, as for `qa index`)
    st = (docs / "port.txt").stat()
    os.utime(docs / "port.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert cited(retriever, harbour_q, "port.txt").source_changed is None
    # same size, other bytes, new time: changed
    (docs / "port.txt").write_text(HARBOUR.replace("1837", "1838"), encoding="utf-8")
    assert cited(retriever, harbour_q, "port.txt").source_changed == "changed"
    (docs / "verger.txt").unlink()
    hit = cited(retriever, orchard_q, "verger.txt")
    assert hit.source_changed == "removed" and hit.to_dict()["source_changed"] == "removed"
    # and the chat says so (its label once read "Removed {name}", the page's word for an upload taken out)
    html = reply([hit], "en")
    assert "file removed since indexing" in html and "Removed" not in html

    build_index([docs], index=index, shards=shards, progress=False)
    retriever = Retriever.open(index)
    hits = retriever.search(orchard_q, k=4) + retriever.search(harbour_q, k=4)
    assert {h.source for h in hits} == {"port.txt"} and all(h.source_changed is None for h in hits)


def test_each_cited_file_is_checked_on_its_own(tmp_path):
    """One reply cites both files, one edited: only its passages say so, whichever comes first."""
    docs = folder(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    (docs / "port.txt").write_text(HARBOUR.replace("1837", "1838"), encoding="utf-8")
    retriever = Retriever.open(index)
    for question, first in (("When was the breakwater built?", "port.txt"),
                            ("Combien de cerisiers compte le verger ?", "verger.txt")):
        hits = retriever.search(question, k=4)
        assert hits[0].source == first and {h.source for h in hits} == {"port.txt", "verger.txt"}
        assert {(h.source, h.source_changed) for h in hits} == {("port.txt", "changed"), ("verger.txt", None)}


def test_an_index_whose_documents_folder_is_gone_claims_nothing(tmp_path):
    docs = folder(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    shutil.rmtree(docs)  # an index copied to another machine, or its folder moved
    hits = Retriever.open(index).search("When was the breakwater built?", k=4)
    assert hits and all(h.source_changed is None for h in hits)


def test_the_cli_and_the_chat_say_the_file_changed(tmp_path):
    docs = folder(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    (docs / "verger.txt").write_text(ORCHARD.replace("420", "450"), encoding="utf-8")
    question = "Combien de cerisiers compte le verger ?"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "qa", "ask", question, "--index", str(index), "-k", "2"],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("[1] verger.txt") and "file changed since indexing: run qa index" in first
    hits = Retriever.open(index).search(question, k=2)
    html = reply(hits, "fr")
    stale = sum(h.source == "verger.txt" for h in hits)
    assert stale >= 1 and html.count('class="qa-stale"') == stale and "fichier modifié depuis" in html


def test_other_bytes_behind_the_same_size_and_time_are_seen(tmp_path):
    """A file rewritten with the same size and its modification time set back (`os.utime`, a
    restore, a sync tool): `qa index` kept the old passages as unchanged, and answers quoted
    them without saying the file changed."""
    docs = folder(tmp_path)
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    question = "When was the breakwater built?"
    path = docs / "port.txt"
    st = path.stat()
    path.write_text(HARBOUR.replace("1837", "1912"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert cited(retriever, question, "port.txt").source_changed == "changed"

    report = build_index([docs], index=index, progress=False)
    assert (report.updated, report.unchanged) == (1, 1)
    retriever.refresh()
    hit = cited(retriever, question, "port.txt")
    assert "1912" in hit.text and hit.source_changed is None
    # a copy of the folder (new inode times, same bytes) is read again, never re-embedded
    copy = tmp_path / "copy"
    shutil.copytree(docs, copy)
    for name in ("port.txt", "verger.txt"):
        os.utime(copy / name, ns=((docs / name).stat().st_atime_ns, (docs / name).stat().st_mtime_ns))
    shutil.rmtree(docs)
    copy.rename(docs)
    again = build_index([docs], index=index, progress=False)
    assert (again.unchanged, again.passages_embedded) == (2, 0)
    assert cited(retriever, question, "port.txt").source_changed is None


def test_a_moved_folder_indexed_again_is_watched_where_it_is_now(tmp_path):
    """The documents' folder moved, then `qa index` of its new place: the files were unchanged
    so the index kept their old paths, and an edit at the new place was never said."""
    docs = folder(tmp_path / "a")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    (tmp_path / "a").rename(tmp_path / "b")
    docs = tmp_path / "b" / "docs"
    assert build_index([docs], index=index, progress=False).unchanged == 2
    (docs / "port.txt").write_text(HARBOUR.replace("1837", "1912"), encoding="utf-8")
    assert cited(Retriever.open(index), "When was the breakwater built?", "port.txt").source_changed == "changed"


def test_a_file_that_grew_while_indexed_is_not_called_changed(tmp_path, monkeypatch):
    """A file appended to between `qa index` listing it and reading it: the index holds what was
    read, but kept the size listed, so every answer said the file had changed since."""
    import qa.indexer

    docs = folder(tmp_path)
    prepare = qa.indexer._prepare

    def grow_then_prepare(item, *args, **kwargs):
        if item.source == "port.txt":  # at the same point of every run: listed, not yet read
            with open(item.path, "a", encoding="utf-8") as fh:
                fh.write("\nThe lighthouse was lit in 1840.\n")
        return prepare(item, *args, **kwargs)

    monkeypatch.setattr(qa.indexer, "_prepare", grow_then_prepare)
    build_index([docs], index=tmp_path / "index", progress=False)
    hit = cited(Retriever.open(tmp_path / "index"), "When was the lighthouse lit?", "port.txt")
    assert "1840" in hit.text and hit.source_changed is None
