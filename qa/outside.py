"""The weak decision for a question in a language the index's model does not know, about passages
in such a language (docs/quality.md, "Session 17: weak matches in languages the model does not know").

For a script it was not trained on, USE-m3 puts any two texts close: an off-topic Greek, Amharic or
Bengali question scores 0.4-0.7 against every passage of its language, far over the dense bar, so
the shipped rule lets it through. There the question's words are the evidence left: such a hit is
also weak when it holds too small a share of them (its lexical tokens: function words are already
left out, `qa.language.function_words`), each word weighed by its rarity in the collection. The
weight is Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), which stays positive: FTS5's (Session
17's) is nothing for a word in half the passages or more, which in a folder of four passages is
most of a right answer's words ("Tiêm ... bao lâu?": tiêm is in every passage). A word the
collection lacks counts as a word of one passage. Session 17 left out words of fewer than four
characters, a proxy for function words while the package lists of Greek, Hebrew, Vietnamese...
were wrong; with the lists mended every token counts. Chosen on a development split of languages
(benchmarks/weak18_rules.py; docs/quality.md, Session 18).
"""
from __future__ import annotations

import math
from typing import AbstractSet, Mapping, Sequence

OUTSIDE_COVERAGE = 0.25
OUTSIDE_MIN_CHARS = 1


def outside(languages: AbstractSet[str] | None, question_lang: str | None, passage_lang: str | None) -> bool:
    """Whether the question and the passage are both in languages outside the model's `languages`
    (None: unknown, nothing is outside)."""
    return bool(languages) and (question_lang or "") not in languages and (passage_lang or "") not in languages


def counted(tokens: Sequence[str]) -> list[str]:
    """The question's tokens the share counts (distinct; a Vietnamese tagged form without its ~)."""
    return [t for t in dict.fromkeys(tokens) if len(t.lstrip("~")) >= OUTSIDE_MIN_CHARS]


def _idf(n: int, passages: int) -> float:
    # Lucene's: positive however common the word (FTS5's is floored to nothing at n >= N/2)
    return math.log(1 + (passages - n + 0.5) / (n + 0.5))


def coverage(tokens: Sequence[str], held: AbstractSet[str], passages_with: Mapping[str, int], passages: int) -> float:
    """The IDF-weighted share of `tokens` (already `counted`) that a passage holding `held` holds,
    in a collection of `passages` where token t is in `passages_with[t]` of them (0 when absent)."""
    total = sum(_idf(max(passages_with.get(t, 0), 1), passages) for t in tokens)
    if not total:
        return 0.0
    return sum(_idf(passages_with[t], passages) for t in tokens if t in held and passages_with.get(t)) / total


def coverages(store, tokens: Sequence[str], ids: Sequence[int], passages: int) -> dict[int, float]:
    """`coverage` of each passage `ids` of `store` for the question's `tokens`."""
    tokens = counted(tokens)
    if not tokens or not ids:
        return {i: 0.0 for i in ids}
    passages_with = store.term_passages(tokens)
    held = store.holding([t for t in tokens if passages_with.get(t)], ids)
    return {i: coverage(tokens, held.get(i, set()), passages_with, passages) for i in ids}
