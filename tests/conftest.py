"""Shared fixtures: real files, the real default model, real indexes in temp folders."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_NAME = "000_00b606b2294fa235.txt"


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


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seeds."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_NAME, folder / SEED_NAME)
    return folder
