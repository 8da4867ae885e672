"""Indexing never dies on one file; bad questions get clear answers; the index survives crashes."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.layout import current_data
from qa import Retriever, build_index
from qa.errors import BadQuestion, IndexBusy, QAError
from qa.store import DB_NAME, Store
from conftest import ROOT
from hostile import make_hostile_corpus


def run_qa(*args, cwd=None, timeout=900):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    expect = make_hostile_corpus(corpus, mbox_messages=300)  # 10,000: test_formats_hostile.py
    return corpus, expect


def test_hostile_corpus_indexes_every_good_file(hostile, tmp_path):
    corpus, expect = hostile
    index = tmp_path / "index"
    result = run_qa("index", str(corpus), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    skipped = dict(report["skipped"])
    indexed = {d["source"] for d in Store(current_data(index) / DB_NAME).documents()}
    assert len(expect) >= 30
    for source, expectation in expect.items():
        if expectation == "indexed":
            assert source in indexed, (source, skipped.get(source))
        else:
            assert source not in indexed
            assert skipped.get(source, "").startswith(expectation), (source, skipped.get(source))
            assert "\n" not in skipped[source]
    # every readable part: the 1 MB line became many passages
    retriever = Retriever.open(index)
    assert retriever.stats()["passages"] > 500
    assert retriever.search("pommes de Noël", k=3)
    # the same on a second run, with nothing embedded again
    again = json.loads(run_qa("index", str(corpus), "--index", str(index), "--json").stdout)
    assert again["passages_embedded"] == 0 and again["added"] == 0
    assert sorted(map(tuple, again["skipped"])) == sorted(map(tuple, report["skipped"]))
    assert (again["documents"], again["passages"]) == (report["documents"], report["passages"])


def test_nothing_indexable_exits_non_zero(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    result = run_qa("index", str(tmp_path / "docs"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1 and "nothing could be indexed" in result.stderr
    assert "skipped empty.txt: no text" in result.stdout


def test_file_vanishing_during_indexing(tmp_path, monkeypatch):
    import qa.indexer

    docs = tmp_path / "many"
    docs.mkdir()
    for i in range(200):
        (docs / f"f{i:04d}.txt").write_text(f"Paragraphe numéro {i} sur les pommes du verger.\n", encoding="utf-8")
    victims = [docs / f"f{i:04d}.txt" for i in range(180, 200)]
    index = tmp_path / "index"
    prepare = qa.indexer._prepare

    def vanish_then_prepare(item, *args, **kwargs):
        # the files were listed and their sizes taken; they go as the first one is read,
        # at the same point of every run (a timed race passed or failed with the machine's speed)
        if victims[0].exists():
            for v in victims:
                v.unlink()
        return prepare(item, *args, **kwargs)

    monkeypatch.setattr(qa.indexer, "_prepare", vanish_then_prepare)
    report = build_index([docs], index=index, progress=False)
    monkeypatch.setattr(qa.indexer, "_prepare", prepare)
    reasons = dict(report.skipped)
    assert set(reasons) == {v.name for v in victims}
    assert {r.split(" (")[0] for r in reasons.values()} == {"cannot read"}
    final = build_index([docs], index=index, progress=False)
    sources = {d["source"] for d in Store(current_data(index) / DB_NAME).documents()}
    assert sources == {p.name for p in docs.iterdir()}
    assert final.documents == 200 - len(victims) and final.passages_embedded == 0


# ------------------------------------------------------------------ bad questions

BAD_QUESTIONS = [
    "x" * 1_000_000,
    "?!.,;:…",
    "🍎🍏🤖🔥",
    "pommes\x00\x01\x02\x1b[31m verger",
    "ما هي الدولة التي قدمت معظم براءات الاختراع؟",
    "שאלה בעברית על פטנטים",
    "Kiel la ĉina ĉefministro parolis pri artefarita inteligenteco?",
    "'; DROP TABLE passages; --",
    '" OR 1=1 -- NEAR( AND * ^ lexical MATCH',
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "[click](javascript:alert(1)) ![x](http://example.com/x.png) **bold** $x$",
]


@pytest.mark.parametrize("question", BAD_QUESTIONS, ids=range(len(BAD_QUESTIONS)))
def test_bad_questions_get_a_sensible_answer(retriever, question):
    hits = retriever.search(question, k=3)
    assert 1 <= len(hits) <= 3
    for h in hits:
        assert h.answer is None or h.text[h.answer.start:h.answer.end] == h.answer.text
    assert Store(current_data(retriever.directory) / DB_NAME).counts()[1] == 7  # nothing was dropped


@pytest.mark.parametrize("question,k", [("", 5), ("   \n\t ", 5), ("\x00\x00", 5), ("pommes", 0), ("pommes", -1),
                                        ("pommes", "beaucoup"), (None, 5)])
def test_bad_input_is_a_clear_error(retriever, question, k):
    with pytest.raises(BadQuestion) as info:
        retriever.search(question, k=k)
    assert str(info.value) and "\n" not in str(info.value)


def test_bad_questions_on_the_command_line(seed_index):
    for args in (["x" * 100_000], ["🍎🍏"], ["'; DROP TABLE passages; --"], ["pommes", "-k", "1000000000"]):
        result = run_qa("ask", *args, "--index", str(seed_index), "--json")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert json.loads(result.stdout)
    clamp = run_qa("ask", "pommes", "-k", "1000000000", "--index", str(seed_index))
    assert "lowered to 100" in clamp.stderr
    for args in ([""], ["pommes", "-k", "-1"], ["\x01"]):
        result = run_qa("ask", *args, "--index", str(seed_index))
        assert result.returncode == 1 and result.stderr.startswith("qa: error: ") and "Traceback" not in result.stderr


# ------------------------------------------------------------------ crash safety

def index_consistent(index: Path) -> tuple[set[str], int]:
    """The index loads and every vector it searches points at a stored passage."""
    retriever = Retriever.open(index)
    store = retriever.store
    ids = {int(i) for i in retriever.vectors.ids()}
    docs, passages = store.counts()
    assert retriever.vectors.size == passages == len(ids)
    assert ids == set(store.passages(list(ids)).keys())
    sources = {d["source"] for d in store.documents()}
    hits = retriever.search("pommes du verger", k=5)
    assert len(hits) == min(5, passages) and {h.source for h in hits} <= sources
    retriever.close()
    return sources, passages


def killed_build_state(index: Path) -> str:
    """What a killed build left, read from its files (no `Retriever` that would repair it):
    "empty" (nothing stored yet), "saved" (the FAISS file and its stamp reflect the store:
    same identity, same generation, same passage ids) or "behind" (the store went on after
    the last save: then the stamp is older, never newer or of another index, and the first
    reader repairs and saves it once)."""
    from qa.vectors import VectorIndex

    data = current_data(index)
    if not (data / DB_NAME).exists():
        return "empty"
    store = Store(data / DB_NAME)
    try:
        meta = store.meta()
        if "model" not in meta or store.counts()[0] == 0:
            return "empty"
        stored = {int(i) for chunk, _ in store.iter_vectors(512) for i in chunk}
        stamp = VectorIndex.stamp(data)
        if stamp.get("generation") == store.generation():
            assert stamp["identity"] == store.identity()
            saved = VectorIndex.load(data, 512, store.generation(), store.identity(), mmap=False)
            assert {int(i) for i in saved.ids()} == stored
            return "saved"
        assert stamp == {} or (stamp["identity"] == store.identity() and stamp["generation"] < store.generation())
        Retriever.open(index).close()
        stamp = VectorIndex.stamp(data)
        assert stamp["generation"] == store.generation()
        saved = VectorIndex.load(data, 512, store.generation(), store.identity(), mmap=False)
        assert {int(i) for i in saved.ids()} == stored
        return "behind"
    finally:
        store.close()


def store_generation(index: Path) -> int:
    try:
        with sqlite3.connect(f"file:{current_data(index) / DB_NAME}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
    except (sqlite3.Error, QAError, TypeError):
        return 0


def orchard(docs: Path, fruit: str, files: int = 400) -> Path:
    """`files` documents of four numbered paragraphs about `fruit`: enough batches for a signal
    to land in the middle of `qa index`."""
    docs.mkdir()
    for i in range(files):
        (docs / f"doc{i:03d}.txt").write_text(
            "\n\n".join(f"Document {i}, paragraphe {j} : les {fruit} du verger numéro {i * 10 + j}."
                        for j in range(4)), encoding="utf-8")
    return docs


def test_sigkill_during_indexing_never_corrupts(tmp_path):
    docs = orchard(tmp_path / "docs", "pommes")
    index = tmp_path / "index"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(3)
    outcomes = []
    for trial in range(4):
        before = store_generation(index)
        proc = subprocess.Popen([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # kill at a random moment after this run stored its first batch (start-up takes from
        # seconds to a minute on a loaded machine: a fixed delay often killed nothing)
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline and store_generation(index) <= before:
            time.sleep(0.1)
        time.sleep(rng.uniform(0, 2))
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes.append((killed, killed_build_state(index)))
        if outcomes[-1][1] != "empty":
            index_consistent(index)
        # change the corpus between trials so that later runs update and remove too
        (docs / f"doc{trial:03d}.txt").write_text(f"Version {trial} du document, pommes.", encoding="utf-8")
        (docs / f"doc{399 - trial:03d}.txt").unlink()
    # at least one kill landed mid-build with documents stored
    assert any(killed and state != "empty" for killed, state in outcomes), outcomes
    result = run_qa("index", str(docs), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    sources, passages = index_consistent(index)
    assert sources == {p.name for p in docs.iterdir()}
    clean = build_index([docs], index=tmp_path / "clean", progress=False)
    assert passages == clean.passages


def test_ctrl_c_during_indexing_exits_130_and_leaves_the_index_whole(tmp_path):
    """Ctrl-C (SIGINT) while `qa index` stores its batches: "qa: interrupted", exit status 130 (as
    a shell reports a command a user interrupted, so a script tells it from a failure), and the
    index is what a finished earlier run left plus whole batches: the next run finishes it."""
    docs = orchard(tmp_path / "docs", "poires")
    index = tmp_path / "index"
    proc = subprocess.Popen([sys.executable, "-m", "qa", "index", str(docs), "--index", str(index)],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while proc.poll() is None and time.time() < deadline and store_generation(index) == 0:
        time.sleep(0.05)  # its first batch stored: the build is under way
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.strip().splitlines()[-1:]) == (130, ["qa: interrupted"]), err
    assert killed_build_state(index) != "empty"
    index_consistent(index)
    result = run_qa("index", str(docs), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    sources, _ = index_consistent(index)
    assert sources == {p.name for p in docs.iterdir()}


def test_two_builds_at_once_the_second_refuses(corpus, tmp_path):
    from filelock import FileLock

    index = tmp_path / "index"
    index.mkdir()
    with FileLock(str(index / ".lock")):
        with pytest.raises(IndexBusy, match="another `qa index`"):
            build_index([corpus], index=index, progress=False)
        result = run_qa("index", str(corpus), "--index", str(index))
        assert result.returncode == 1 and "another `qa index` is writing" in result.stderr
    assert build_index([corpus], index=index, progress=False).added == 1


def test_open_retriever_picks_up_a_finished_reindex(corpus, tmp_path):
    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    retriever = Retriever.open(index)
    assert not retriever.refresh()
    (corpus / "new.md").write_text("# Kiwis\n\nLes kiwis de Nouvelle-Zélande arrivent en avril.", encoding="utf-8")
    build_index([corpus], index=index, progress=False)
    assert retriever.refresh()
    assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source == "new.md"


def test_index_of_a_newer_format_is_a_clear_error(corpus, tmp_path):
    from qa.store import FORMAT_VERSION

    index = tmp_path / "index"
    build_index([corpus], index=index, progress=False)
    with sqlite3.connect(current_data(index) / DB_NAME) as conn:  # the very next format, not only a far one
        conn.execute("UPDATE meta SET value=? WHERE key='format_version'", (str(FORMAT_VERSION + 1),))
    with pytest.raises(QAError, match="newer than this qa"):
        Retriever.open(index)
    result = run_qa("ask", "pommes", "--index", str(index))
    assert result.returncode == 1 and "upgrade qa or rebuild" in result.stderr


@pytest.fixture
def tmpfs(tmp_path):
    """`tmpfs(size)`: a real file system of that size at a new folder (needs root, as the tests
    run in CI), unmounted after the test."""
    mounted = []

    def mount(size: str) -> Path:
        disk = tmp_path / f"disk{len(mounted)}"
        disk.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
                          capture_output=True).returncode != 0:
            if os.environ.get("CI") == "true":  # CI runs as root: the full-disk tests must run there
                pytest.fail("mounting a tmpfs failed (it needs root)")
            pytest.skip("mounting a tmpfs needs root")
        mounted.append(disk)
        return disk

    yield mount
    for disk in mounted:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_a_clear_error_and_the_next_run_finishes(tmpfs, tmp_path):
    small_disk = tmpfs("256k")
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(10):
        (docs / f"d{i:02d}.txt").write_text("\n\n".join(
            f"Document {i}, paragraphe {j} : les pommes du verger numéro {i * 10 + j} mûrissent en septembre."
            for j in range(3)), encoding="utf-8")
    index = small_disk / "index"
    result = run_qa("index", str(docs), "--index", str(index))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"qa: error: cannot write the index at {index} (the disk is full)")
    assert len(result.stderr.strip().splitlines()) == 1
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    build_index([docs], index=index, progress=False)
    sources, passages = index_consistent(index)
    assert len(sources) == 10 and passages == 30


def test_a_disk_that_fills_while_the_sentence_matrix_is_written_is_a_clear_error(tmpfs, tmp_path):
    """The sentences' matrix was a sparse file written through a memory map: on a full disk the
    write of a page killed `qa index` with SIGBUS (exit -7, no message) where every other write
    gives the one-line full-disk error (benchmarks/disk_full.py: a tmpfs of 1.2 times the index)."""
    from qa.sentence_matrix import MATRIX_NAME

    disk = tmpfs("64m")
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(40):
        (docs / f"verger{i:02d}.txt").write_text(" ".join(
            f"Le verger numéro {i} compte {j + 10} pommiers de la variété {j * 7 + i} plantés en {1950 + j}."
            for j in range(16)), encoding="utf-8")
    index = disk / "index"
    build_index([docs], index=index, progress=False)
    matrix = current_data(index) / MATRIX_NAME
    needed = matrix.stat().st_size
    assert needed > 1_000_000
    matrix.unlink()  # the next run writes it again, and nothing else
    room = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as fh:  # leave 256 KB: room for the store's small writes, not the matrix
        fh.write(b"\0" * (room.f_bavail * room.f_frsize - 256 * 1024))
    result = run_qa("index", str(docs), "--index", str(index))
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith(f"qa: error: cannot write the index at {index} (the disk is full)")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not matrix.with_suffix(".tmp").exists()  # nothing left taking the room
    filler.unlink()
    result = run_qa("index", str(docs), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["passages_embedded"] == 0 and matrix.stat().st_size == needed
    index_consistent(index)

    # a disk with almost no room left: SQLite's "disk I/O error" is said as what it is
    (current_data(index) / "vectors.faiss").unlink()  # something to write
    room = os.statvfs(disk)
    with open(filler, "wb") as fh:
        fh.write(b"\0" * (room.f_bavail * room.f_frsize - 8 * 1024))
    result = run_qa("index", str(docs), "--index", str(index))
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith(f"qa: error: cannot write the index at {index} (the disk is full)"), result.stderr
    assert not (current_data(index) / "vectors.faiss.tmp").exists()
    filler.unlink()
    assert run_qa("index", str(docs), "--index", str(index)).returncode == 0
    index_consistent(index)


@pytest.fixture
def coarse_disk(tmp_path):
    """A real ext4 file system whose inodes keep times to the second (128-byte inodes, as ext3's;
    FAT keeps them to 2 s), loop-mounted at a new folder (needs root), unmounted after the test."""
    image, disk = tmp_path / "coarse.img", tmp_path / "coarse"
    disk.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(64 * 2**20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", "-I", "128", str(image)], capture_output=True)
    if made.returncode != 0 or subprocess.run(["mount", "-o", "loop", str(image), str(disk)],
                                              capture_output=True).returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("making or mounting an ext4 image failed (it needs root and mkfs.ext4)")
        pytest.skip("mounting an ext4 image needs root and mkfs.ext4")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_file_written_again_within_its_clock_tick_after_being_read_is_read_again(coarse_disk, tmp_path):
    """On a file system that keeps times to the second, a file written, read by `qa index` and
    written again (the same size) within one second keeps its size and times: the next run took it
    as unchanged, and its older text answered for good (git's "racy clean" case)."""
    docs = coarse_disk / "docs"
    docs.mkdir()
    (docs / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)  # the model loaded: a later run takes a moment
    kiwis = docs / "kiwis.md"
    for _ in range(5):
        time.sleep(1.02 - time.time() % 1)  # at the start of a second
        kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")
        # read a while after the write, as a file saved then indexed is: within the second its
        # times are kept to, but beyond a finer clock's tick (a rule for those would pass)
        time.sleep(0.3)
        build_index([docs], index=index, progress=False)
        kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en juillet.", encoding="utf-8")  # the same size
        written = kiwis.stat()
        if int(written.st_mtime) == int(written.st_ctime) and time.time() % 1 > written.st_mtime % 1 \
                and int(time.time()) == int(written.st_mtime):
            break  # the second write fell in the second of the first and of the read
    else:
        pytest.skip("the run did not fit in one second")
    assert_indexed_again_reads_the_new_text(docs, index)


def test_a_file_edited_within_the_second_its_check_read_it_is_told_changed(coarse_disk, tmp_path):
    """On a file system that keeps times to the second, a cited file touched (or saved unchanged)
    and then edited within the same second, the same size: the question asked in between hashed it
    as indexed and kept that hash by its size and times, which the edit did not move; every later
    answer citing it said nothing of the edit (`source_changed` None), for as long as the server
    ran, its quote no longer the file's."""
    kiwis, index = kiwis_indexed(coarse_disk, tmp_path)
    retriever = Retriever.open(index)
    try:
        for _ in range(5):
            time.sleep(1.02 - time.time() % 1)  # at the start of a second
            kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")  # saved as it was
            time.sleep(0.3)
            assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source_changed is None
            kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en juillet.", encoding="utf-8")  # the same size
            written = kiwis.stat()
            if int(written.st_mtime) == int(written.st_ctime) == int(time.time()):
                break  # the edit fell in the second of the save and of the question
            kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")
        else:
            pytest.skip("the run did not fit in one second")
        assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source_changed == "changed"
        time.sleep(3.1)  # once its times are old enough, what is known of the file is kept again
        assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source_changed == "changed"
    finally:
        retriever.close()


def test_a_file_copied_with_its_older_time_within_the_second_of_a_check_is_told_changed(coarse_disk, tmp_path):
    """A file written and given back an older modification time (`cp -p`, `rsync -t`, `tar x`), asked
    about within the same second, then written again the same size and given the same older time:
    only its change time moved, within the second its times are kept to. A check that took the file's
    hash as lasting because its modification time was old kept it by (size, times), and every later
    answer citing it said nothing of the second copy."""
    kiwis, index = kiwis_indexed(coarse_disk, tmp_path)
    older = (int(time.time()) - 3600) * 10**9  # an hour ago, as the copy's source was written
    retriever = Retriever.open(index)
    try:
        for _ in range(5):
            time.sleep(1.02 - time.time() % 1)  # at the start of a second
            kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")
            os.utime(kiwis, ns=(older, older))  # copied as it was, with its older time
            copied = kiwis.stat().st_ctime_ns
            time.sleep(0.3)
            assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source_changed is None
            kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en juillet.", encoding="utf-8")  # the same size
            os.utime(kiwis, ns=(older, older))
            if kiwis.stat().st_ctime_ns == copied and int(time.time()) == copied // 10**9:
                break  # the second copy fell in the second of the first and of the question
        else:
            pytest.skip("the run did not fit in one second")
        assert retriever.search("Quand arrivent les kiwis ?", k=1)[0].source_changed == "changed"
    finally:
        retriever.close()


def test_a_file_copied_with_its_older_time_within_the_second_it_was_indexed_is_read_again(coarse_disk, tmp_path):
    """As above, with `qa index` between the two copies: the run took the file's times as lasting
    (its modification time was old), recorded them, and the next run found size and times as
    recorded and kept the first copy's text for good."""
    docs = coarse_disk / "docs"
    docs.mkdir()
    (docs / "pommes.md").write_text("Les pommes du verger normand sont récoltées en septembre.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)  # the model loaded: a later run takes a moment
    kiwis = docs / "kiwis.md"
    older = (int(time.time()) - 3600) * 10**9
    for _ in range(5):
        time.sleep(1.02 - time.time() % 1)
        kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")
        os.utime(kiwis, ns=(older, older))
        copied = kiwis.stat().st_ctime_ns
        time.sleep(0.3)
        build_index([docs], index=index, progress=False)
        kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en juillet.", encoding="utf-8")  # the same size
        os.utime(kiwis, ns=(older, older))
        if kiwis.stat().st_ctime_ns == copied and int(time.time()) == copied // 10**9:
            break
    else:
        pytest.skip("the run did not fit in one second")
    assert_indexed_again_reads_the_new_text(docs, index)


def kiwis_indexed(disk: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A folder on `disk` of one file, kiwis.md (January), indexed: the file and the index."""
    docs = disk / "docs"
    docs.mkdir()
    kiwis = docs / "kiwis.md"
    kiwis.write_text("Les kiwis de Nouvelle-Zélande arrivent en janvier.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    return kiwis, index


def assert_indexed_again_reads_the_new_text(docs: Path, index: Path) -> None:
    """`qa index` run again answers from kiwis.md's second text (July), not its first."""
    build_index([docs], index=index, progress=False)
    retriever = Retriever.open(index)
    try:
        hit = retriever.search("Quand arrivent les kiwis ?", k=1)[0]
        assert hit.source == "kiwis.md" and "juillet" in hit.text, hit.text
    finally:
        retriever.close()


def closed_copy(index: Path, target: Path) -> Path:
    """A copy of an index as a finished `qa index` leaves it: no write-ahead log or shared
    memory file beside its store (the session's open readers keep them on the original)."""
    import shutil

    shutil.copytree(index, target)
    with sqlite3.connect(current_data(target) / DB_NAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert not (current_data(target) / (DB_NAME + "-shm")).exists()
    return target


def test_an_index_on_read_only_storage_answers(seed_index, tmpfs, tmp_path):
    disk = tmpfs("8m")
    closed_copy(seed_index, disk / "index")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = run_qa("ask", "Qui a appelé à une coopération internationale ?", "--index", str(disk / "index"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["source"] == "000_00b606b2294fa235.txt"
    # a folder this user may not write in (root without its right to override permissions)
    closed_copy(seed_index, tmp_path / "locked")
    for folder in (tmp_path / "locked", current_data(tmp_path / "locked")):
        folder.chmod(0o555)
    result = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", sys.executable, "-m", "qa",
                             "ask", "pommes", "--index", str(tmp_path / "locked")],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 1 and "is not writable by this user" in result.stderr, result.stderr


def test_an_upload_to_an_index_on_read_only_storage_is_a_clear_error(seed_index, tmpfs, tmp_path):
    """`qa serve` of an index on read-only storage answers; a file dropped on its page failed with
    an unhandled OSError (the page said only "Error"), not what `qa index` says there."""
    from qa.errors import IndexWriteError
    from qa.web_uploads import UploadPolicy, Uploads

    disk = tmpfs("8m")
    closed_copy(seed_index, disk / "index")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    (tmp_path / "kiwis.md").write_text("Les kiwis arrivent en avril.", encoding="utf-8")
    with pytest.raises(IndexWriteError, match=r"cannot write the index at .* \(Read-only file system\)"):
        Uploads(disk / "index", UploadPolicy()).add([(str(tmp_path / "kiwis.md"), "kiwis.md")])


def test_an_index_on_a_full_disk_is_not_called_damaged(seed_index, tmpfs):
    """`qa ask` (or `qa serve`) of an index whose disk is full: SQLite cannot make its shared-memory
    file to read the store ("disk I/O error"), and qa said "the index is damaged; rebuild it", a
    rebuild that cannot run there and that, done by deleting the index first, numbers ids from 1."""
    disk = tmpfs("8m")
    closed_copy(seed_index, disk / "index")
    room = os.statvfs(disk)
    with open(disk / "filler", "wb") as fh:
        fh.write(b"\0" * (room.f_bavail * room.f_frsize))
    result = run_qa("ask", "Qui a appelé à une coopération internationale ?", "--index", str(disk / "index"))
    assert result.returncode == 1
    assert "its disk is full" in result.stderr and "damaged (" not in result.stderr, result.stderr
    (disk / "filler").unlink()
    assert run_qa("ask", "Qui a appelé à une coopération internationale ?", "--index", str(disk / "index")).returncode == 0


def test_a_new_version_of_an_upload_on_a_full_disk_leaves_the_earlier_one_in_place(tmpfs, tmp_path):
    """A new version of an upload dropped on the page of a server whose disk fills while the file is
    copied: the earlier version (the one the index holds) had been moved aside into uploads.earlier/
    and the new one was left cut short in its place; the next version dropped moved that cut file
    over the earlier one, which was then lost (and put back in its stead if the new one was refused)."""
    from qa.errors import IndexWriteError
    from qa.web_uploads import UploadPolicy, Uploads

    disk = tmpfs("16m")
    index = disk / "index"
    april = tmp_path / "april.md"
    april.write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en avril.", encoding="utf-8")
    assert Uploads(index, UploadPolicy()).add([(str(april), "kiwis.md")]).added == ["kiwis.md"]
    june = tmp_path / "june.md"
    june.write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.\n\n"
                    + "\n\n".join(f"Le verger numéro {i} compte des kiwis." for i in range(10000)), encoding="utf-8")
    filler = disk / "filler"
    room = os.statvfs(disk)
    with open(filler, "wb") as fh:
        fh.write(b"\0" * (room.f_bavail * room.f_frsize - 256 * 1024))  # room to read the index, not for the file
    with pytest.raises(IndexWriteError, match="the disk is full"):
        Uploads(index, UploadPolicy()).add([(str(june), "kiwis.md")])
    assert (index / "uploads" / "kiwis.md").read_bytes() == april.read_bytes()
    assert not (index / "uploads.earlier").exists() or not any((index / "uploads.earlier").iterdir())
    hit = Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0]
    assert "avril" in hit.text and hit.source_changed is None
    filler.unlink()
    june.write_text("Les kiwis de Nouvelle-Zélande arrivent sur les marchés en juin.", encoding="utf-8")
    assert Uploads(index, UploadPolicy()).add([(str(june), "kiwis.md")]).replaced == ["kiwis.md"]
    assert "juin" in Retriever.open(index).search("Quand arrivent les kiwis ?", k=1)[0].text


def test_a_file_name_that_is_not_utf8_stops_nothing(tmp_path):
    """A file named in another encoding (an old archive's `caf\\xe9.txt`): its name could not be
    stored and the whole run died on it ("unexpected error: UnicodeEncodeError")."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("Les kiwis de Nouvelle-Zélande arrivent en avril.", encoding="utf-8")
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.txt"), "w", encoding="utf-8") as fh:
        fh.write("Le café de la place ouvre à sept heures.")
    with open(os.path.join(os.fsencode(docs), b"vieux\xe9.xyz"), "w") as fh:
        fh.write("?")
    index = tmp_path / "index"
    result = run_qa("index", str(docs), "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 2 and report["skipped"] == [["vieux\\xe9.xyz", "unsupported format .xyz"]]
    assert build_index([docs], index=index, progress=False).unchanged == 2  # the next run finds it unchanged
    assert Retriever.open(index).search("Quand ouvre le café ?", k=1)[0].source == "caf\\xe9.txt"


def test_a_file_named_in_another_encoding_added_again_is_updated_not_indexed_twice(tmp_path):
    """`qa index --add` of a file whose name is not UTF-8, indexed before: its path cannot be
    recorded, and it must still be taken for the document its name names (updated), not a new
    file under its folder's name beside the older copy, which kept answering with the old text."""
    docs = tmp_path / "docs"
    docs.mkdir()
    cafe = os.path.join(os.fsencode(docs), b"caf\xe9.txt")
    with open(cafe, "w", encoding="utf-8") as fh:
        fh.write("Le café de la place ouvre à sept heures.")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    with open(cafe, "w", encoding="utf-8") as fh:
        fh.write("Le café de la place ouvre à huit heures, le dimanche aussi.")
    report = build_index([os.fsdecode(cafe)], index=index, add=True, progress=False)
    assert (report.added, report.updated, report.documents) == (0, 1, 1), report.summary()
    hits = Retriever.open(index).search("Quand ouvre le café ?", k=2)
    assert [(h.source, "huit" in h.text) for h in hits] == [("caf\\xe9.txt", True)]


def test_a_file_made_unreadable_leaves_the_index(tmp_path):
    """`chmod 000` changes neither size nor modification time: the file was taken as unchanged
    and its passages kept answering (root without its right to override permissions)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kiwis.md").write_text("Les kiwis de Nouvelle-Zélande arrivent en avril.", encoding="utf-8")
    (docs / "pommes.md").write_text("Les pommes du verger sont récoltées en septembre.", encoding="utf-8")
    index = tmp_path / "index"
    build_index([docs], index=index, progress=False)
    (docs / "kiwis.md").chmod(0)
    result = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", sys.executable, "-m", "qa",
                             "index", str(docs), "--index", str(index), "--json"],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["removed_files"] == [
        ["kiwis.md", "can no longer be indexed: cannot read (Permission denied)"]]
