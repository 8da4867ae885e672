"""BM25 with the statistics of a whole collection, for the shards of a sharded index.

FTS5's `bm25()` scores a passage with its own table's statistics: the number of rows, their
average length and each term's document frequency (its IDF). A shard's are its own, so a
sharded index ranked passages otherwise than one index over the same documents (docs/scale.md,
"Session 17"). `bm25()` takes no outside statistics, so a shard searched for a sharded index
reads the terms' postings (FTS5's `fts5vocab` instance table: passage, occurrences) and the
passages' lengths (its docsize table) and scores them here with the statistics of all shards
(`LexicalStats`, summed from each shard's `Store.lexical_stats`), as FTS5 computes `bm25()`
(fts5_aux.c: k1 = 1.2, b = 0.75, IDF ln((N - n + 0.5) / (n + 0.5)), at least 1e-6): the same
operations in the same order, so one store scored with its own statistics gets FTS5's scores
to the bit (tests/test_shard_stats.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

# FTS5's bm25() constants (fts5_aux.c)
K1 = 1.2
B = 0.75
MIN_IDF = 1e-6


@dataclass(frozen=True)
class LexicalStats:
    """A lexical index's statistics for some terms: its rows (passages), their tokens in all
    and each term's document frequency (rows holding it; a term not asked about is absent)."""

    rows: int
    tokens: int
    df: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def combine(cls, parts: Iterable["LexicalStats"]) -> "LexicalStats":
        """The statistics of one index holding every part's rows (a sharded index's shards)."""
        rows = tokens = 0
        df: dict[str, int] = {}
        for part in parts:
            rows, tokens = rows + part.rows, tokens + part.tokens
            for term, n in part.df.items():
                df[term] = df.get(term, 0) + n
        return cls(rows, tokens, df)

    def idf(self, term: str) -> float:
        n = self.df.get(term, 0)
        idf = math.log((self.rows - n + 0.5) / (n + 0.5))
        return idf if idf > 0.0 else MIN_IDF

    def shares(self) -> tuple[int, dict[str, float]]:
        """(passages, {term: share of passages}) as `qa.lexical_plan.plan_terms` reads them."""
        return self.rows, {t: n / self.rows for t, n in self.df.items()} if self.rows else {}


def varints(blob: bytes) -> list[int]:
    """The integers of an FTS5 record (SQLite's varint: big-endian 7-bit groups, the ninth
    byte whole): its docsize rows and its averages record."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for j in range(9):
            byte = blob[i]
            i += 1
            if j == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out


def first_varints(blobs: Sequence[bytes]) -> np.ndarray:
    """The first integer of each record (`varints(blob)[0]`; 0 for an empty one): a passage's
    tokens in FTS5's docsize rows. Most take one or two bytes (under 16,384 tokens): read at
    once; the others one by one."""
    out = np.zeros(len(blobs), dtype=np.int64)
    if not blobs:
        return out
    sizes = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
    data = np.frombuffer(b"".join(blobs) + b"\0\0", dtype=np.uint8).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    b0, b1 = data[start], data[start + 1]  # b1: the next record's first byte (or the pad) when size is 0 or 1
    one = (sizes >= 1) & (b0 < 0x80)
    two = (sizes >= 2) & (b0 >= 0x80) & (b1 < 0x80)
    out[one] = b0[one]
    out[two] = ((b0[two] & 0x7F) << 7) | b1[two]
    for i in np.flatnonzero((sizes >= 1) & ~one & ~two).tolist():
        out[i] = varints(blobs[i])[0]
    return out


def bm25_top(terms: Sequence[str], postings: Sequence[tuple[np.ndarray, np.ndarray]], ids: np.ndarray,
             lengths: np.ndarray, stats: LexicalStats, limit: int) -> list[tuple[int, float]]:
    """The `limit` best of the passages `ids` (their token counts `lengths`) by BM25 for `terms`
    under `stats`: (passage id, score), best first, ties by id. `postings[j]`: the passages
    holding `terms[j]` (sorted ids, a subset of `ids`) and its occurrences in each."""
    if not len(ids) or not stats.rows:
        return []
    avgdl = stats.tokens / stats.rows
    # as fts5_aux.c: per phrase, idf * (f * (k1 + 1)) / (f + k1 * (1 - b + b * D / avgdl)), summed in order
    norm = K1 * (1 - B + B * lengths / avgdl)
    score = np.zeros(len(ids), dtype=np.float64)
    for term, (held, counts) in zip(terms, postings):
        if not len(held):
            continue
        rows = np.searchsorted(ids, held)
        f = counts.astype(np.float64)
        score[rows] = score[rows] + stats.idf(term) * ((f * (K1 + 1.0)) / (f + norm[rows]))
    order = np.lexsort((ids, -score))[:limit]
    return [(int(i), float(s)) for i, s in zip(ids[order], score[order])]
