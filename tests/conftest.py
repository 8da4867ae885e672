"""Shared fixtures: real files, the real default model, real indexes in temp folders."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_NAME = "000_00b606b2294fa235.txt"


@pytest.fixture(autouse=True)
def _qa_logger_as_it_was():
    """`qa.cli.main` run in the test process gives the "qa" logger a handler on that test's captured
    stderr and the INFO level: left in place, later tests' logs went to a closed file and INFO lines
    into their caplog (test_integrity's refresh test failed after test_languages_outside)."""
    logger = logging.getLogger("qa")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the seed corpus, built once for the session."""
    from qa import build_index

    directory = tmp_path_factory.mktemp("seed-index")
    build_index([SEEDS], index=directory, progress=False)
    return directory


@pytest.fixture(scope="session")
def retriever(seed_index):
    from qa import Retriever

    return Retriever.open(seed_index)


def xquad_spanish_pool(folder: Path, shards: int | None = None):
    """A real index of XQuAD's 240 Spanish paragraphs (the pool of benchmarks/quality.py) in `folder`
    (in `shards` shards if given); returns the open `Retriever`."""
    from qa import Retriever, build_index
    from qa.evaluate import write_corpus
    from qa.squad import load_squad

    xquad = ROOT.parent / "shared" / "bench" / "xquad" / "xquad.es.json"
    if not xquad.exists():
        pytest.fail(f"XQuAD is missing at {xquad.parent} (the shared benchmark data)")
    write_corpus(load_squad(xquad).contexts, folder / "corpus")
    build_index([folder / "corpus"], index=folder / "index", shards=shards, progress=False)
    return Retriever.open(folder / "index")


@pytest.fixture(scope="session")
def spanish_pool(tmp_path_factory):
    """XQuAD's Spanish pool in one index, built once for the session (test_weak_pool, test_weak_far:
    they only search it)."""
    retriever = xquad_spanish_pool(tmp_path_factory.mktemp("xquad-es"))
    yield retriever
    retriever.close()


@pytest.fixture(scope="session")
def spanish_pool_in_two_shards(tmp_path_factory):
    """The same pool in 2 shards, built once for the session."""
    retriever = xquad_spanish_pool(tmp_path_factory.mktemp("xquad-es-two"), shards=2)
    yield retriever
    retriever.close()


@pytest.fixture(scope="session")
def languages_server(tmp_path_factory):
    """`qa serve` over the mixed corpus and an Arabic document, started once for the session: the
    browser tests of test_web_gone_folder, test_web_headings and test_web_languages ask it (each
    started its own, the same)."""
    from mixed_corpus import write_mixed
    from qa import build_index
    from test_web_daily import serving
    from test_web_languages import FRUIT_AR

    root = tmp_path_factory.mktemp("languages")
    docs = write_mixed(root / "docs")
    (docs / "ar").mkdir()
    (docs / "ar" / "tuffah.md").write_text(FRUIT_AR, encoding="utf-8")
    index = root / "index"
    build_index([docs], index=index, progress=False)
    with serving(index, root / "serve.log") as server:
        yield server


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seeds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_NAME, folder / SEED_NAME)
    return folder


def ask_at_terminal(args: list[str], lines: list[str], timeout: float = 600,
                    program: tuple[str, ...] = ("-m", "qa")) -> tuple[int, str, str]:
    """`qa ask ARGS` run at a real pseudo-terminal, each of `lines` typed in turn:
    (exit code, stdout, stderr). `program`: what Python runs, given "ask" and ARGS."""
    import os
    import pty
    import select
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, *program, "ask", *args], cwd=ROOT, env=env, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(slave)
    try:
        for line in lines:
            os.write(master, (line + "\n").encode())
        out, err = proc.communicate(timeout=timeout)
    finally:
        proc.kill()
        while select.select([master], [], [], 0)[0]:  # the terminal's echo, unread
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
        os.close(master)
    return proc.returncode, out, err


def answer_and_other_index(tmp_path_factory, rows, name: str):
    """A real index of two files per row (`key`, answer, other, question): `key-answer.txt`, which
    answers the row's question, and `key-other.txt`, on a neighbouring subject. Returns the open
    `Retriever` (the caller closes it)."""
    from qa import Retriever, build_index

    folder = tmp_path_factory.mktemp(f"{name}-docs")
    for key, answer, other, _ in rows:
        (folder / f"{key}-answer.txt").write_text(answer, encoding="utf-8")
        (folder / f"{key}-other.txt").write_text(other, encoding="utf-8")
    index = tmp_path_factory.mktemp(f"{name}-index")
    build_index([folder], index=index, progress=False)
    return Retriever.open(index)


def folder_index(folder: Path, files: dict[str, str], shards: int | None = None):
    """A real index of `files` (name: text) written into `folder`/docs, built into `folder`/index
    (in `shards` shards if given); returns the open `Retriever` (the caller closes it)."""
    from qa import Retriever, build_index

    (folder / "docs").mkdir(parents=True)
    for name, text in files.items():
        (folder / "docs" / name).write_text(text + "\n", encoding="utf-8")
    build_index([folder / "docs"], index=folder / "index", shards=shards, progress=False)
    return Retriever.open(folder / "index")


def mapped_kb(path) -> int:
    """KB of this process's resident pages mapped from the file `path`."""
    kb, current = 0, None
    for line in open("/proc/self/smaps"):
        parts = line.split()
        if parts and "-" in parts[0] and not parts[0].endswith(":"):
            current = parts[5] if len(parts) > 5 else None
        elif parts and parts[0] == "Rss:" and current == str(path):
            kb += int(parts[1])
    return kb
