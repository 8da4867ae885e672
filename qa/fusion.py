"""Fusion of dense and lexical evidence, aware of the question's and each passage's language."""
from __future__ import annotations

from typing import Mapping, Sequence

# Lexical evidence counts in full between a question and a passage in the same language,
# and barely across languages, where shared names and numbers pull wrong passages up.
LEXICAL_WEIGHT_SAME = 0.35
LEXICAL_WEIGHT_CROSS = 0.05


def fuse(dense: Mapping[int, float], lexical: Sequence[tuple[int, float]], langs: Mapping[int, str | None],
         qlang: str) -> list[tuple[float, float, int]]:
    """(score, cosine, passage id) for every candidate of `dense` (cosines, which cover the
    lexical candidates too) given BM25 scores `lexical` and passage languages `langs`."""
    lex_max = max((s for _, s in lexical), default=0.0)
    lex = {i: s / lex_max for i, s in lexical} if lex_max > 0 else {}
    scored = []
    for i, cos in dense.items():
        weight = LEXICAL_WEIGHT_SAME if langs.get(i) == qlang else LEXICAL_WEIGHT_CROSS
        scored.append((cos + weight * lex.get(i, 0.0), cos, i))
    return scored
