"""`qa.mapped.Rows`: a question's few rows of a table (USE's embedding table, the language
identifier's feature table) read with pread, given as the map gives them (session 22). Real `.npy`
files written here; every lookup compared with numpy's own indexing of the same array."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import mapped_kb
from qa import mapped
from qa.mapped import FEW_ROWS, Rows


def _table(path: Path, rows: int = 3000, columns: int = 16, order: str = "C") -> np.ndarray:
    table = np.asarray(np.arange(rows * columns, dtype=np.float32).reshape(rows, columns) / 7, order=order)
    np.save(path, table)
    return table


@pytest.mark.parametrize("ids", [[5], [2999, 0, 1], [7, 7, 3, 7], list(range(40, 0, -3)), [-1, -3000, 12]],
                         ids=["one", "unsorted", "repeated", "descending", "from_the_end"])
def test_rows_are_the_tables_rows_in_the_order_asked(tmp_path, ids):
    table = _table(tmp_path / "t.npy")
    rows = Rows(tmp_path / "t.npy")
    for asked in (ids, np.asarray(ids, dtype=np.int64), np.asarray(ids, dtype=np.int32)):
        got = rows[asked]
        assert got.dtype == table.dtype and np.array_equal(got, table[ids]), asked


def test_a_row_past_the_end_is_numpys_index_error(tmp_path):
    _table(tmp_path / "t.npy")
    rows = Rows(tmp_path / "t.npy")
    with pytest.raises(IndexError):
        rows[[1, 3000]]


def test_a_column_major_table_gives_its_rows(tmp_path):
    table = _table(tmp_path / "f.npy", rows=50, order="F")
    rows = Rows(tmp_path / "f.npy")
    assert np.array_equal(rows[[3, 49, 0]], table[[3, 49, 0]])


def test_a_table_cut_short_is_refused_not_read_as_zeros(tmp_path):
    table = _table(tmp_path / "t.npy")
    rows = Rows(tmp_path / "t.npy")  # its map made while whole
    size = (tmp_path / "t.npy").stat().st_size
    with open(tmp_path / "t.npy", "r+b") as f:
        f.truncate(size - table.strides[0] * 10)  # the last 10 rows gone
    assert np.array_equal(rows[[0, 1]], table[[0, 1]])
    with pytest.raises(OSError, match="shorter than its header says"):
        rows[[2995]]


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc")
def test_up_to_few_rows_are_read_without_mapping_the_table(tmp_path):
    # FEW_ROWS rows spread over a table of 64 MB: none of its pages enters the process
    table = np.lib.format.open_memmap(tmp_path / "big.npy", mode="w+", dtype=np.float32, shape=(262144, 64))
    table[:: 512] = 1.0
    table.flush()
    del table
    rows = Rows(tmp_path / "big.npy")
    path = str((tmp_path / "big.npy").resolve())
    mapped.release()
    assert mapped_kb(path) == 0
    ids = np.arange(0, 262144, 262144 // FEW_ROWS)[:FEW_ROWS]
    assert len(ids) == FEW_ROWS and (rows[ids] == 1.0).all()
    assert mapped_kb(path) == 0
    rows[np.append(ids, 1)]  # more: read from the map
    assert mapped_kb(path) > 0
