"""Lexical query planning: which of a question's terms the FTS5 query keeps, and its text.

FTS5 scores every passage that holds any term of an OR query, so on large stores common
terms ("the", "und", "的"...) would make one question scan most of the index. The store
keeps the statistics (`Store.term_stats`) and runs the query (`Store.bm25`); this module
decides what is asked.
"""
from __future__ import annotations

from typing import Iterable

from .lexical_stats import LexicalStats
from .store import PRUNE_FROM_PASSAGES

# A term in more than this share of passages is left out (BM25 IDF <= ln 19)...
COMMON_TERM_SHARE = 0.05
# ...and terms are taken, rarest first, only while the passages they match stay under this.
POSTINGS_BUDGET = 15000
# The rarest terms kept whatever they cost.
MIN_TERMS = 2


def plan_terms(terms: list[str], stats: tuple[int, dict[str, float]] | None, budget_share: float = 1.0
               ) -> list[str]:
    """The terms worth asking, rarest first, given the store's (passages, {term: share of
    passages}) estimate; all of them when the store is too small to be sampled (`stats` None).
    A shard of a sharded index gets its share of the budget (`qa.sharded.shard_budget`): all
    shards together do one index's work and keep the terms one index would keep."""
    if stats is None:
        return terms
    n, share = stats
    budget = POSTINGS_BUDGET * budget_share
    kept, postings = [], 0.0
    for t in sorted(terms, key=lambda t: share.get(t, 0.0)):
        df = share.get(t, 0.0) * n
        if len(kept) < MIN_TERMS or (share.get(t, 0.0) <= COMMON_TERM_SHARE and postings + df <= budget):
            kept.append(t)
            postings += df
    return kept


def match_expression(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: any of `terms`, each quoted as one token."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def lexical_search(store, tokens: Iterable[str], limit: int, budget_share: float = 1.0, where=None,
                   stats: LexicalStats | None = None) -> list[tuple[int, float]]:
    """BM25 over `store`'s lexical index: (passage id, score), best first; higher is better.
    `where` (a `qa.filters.Where`) keeps the passages it allows; `budget_share`: the part of
    the pruning's postings budget this store gets (a shard's). `stats`: the statistics of the
    whole collection `store` is a shard of (`qa.lexical_stats`), which then score its passages
    as one index over the collection would, and plan its terms: every shard keeps the same."""
    terms = list(dict.fromkeys(t for t in tokens if t))
    if not terms:
        return []
    where_sql = where.sql() if where is not None else None
    if stats is not None:
        # exact shares of the whole collection, where one index samples its own (`Store.term_stats`)
        terms = plan_terms(terms, stats.shares() if stats.rows >= PRUNE_FROM_PASSAGES else None)
        return store.bm25_with(terms, stats, limit, where_sql)
    terms = plan_terms(terms, store.term_stats(), budget_share)
    return store.bm25(match_expression(terms), limit, where_sql)
