"""The weak decision for a question in a language the index's model does not know, about passages
in such a language (docs/quality.md, "Session 17: weak matches in languages the model does not know").

For a script it was not trained on, USE-m3 puts any two texts close: an off-topic Greek, Amharic or
Bengali question scores 0.4-0.7 against every passage of its language, far over the dense bar, so
the shipped rule lets it through. There the question's words are the evidence left: such a hit is
also weak when it holds too small a share of them, each word weighed by its rarity in the
collection (FTS5's IDF; a word the collection lacks counts as a word of one passage). Words of
fewer than OUTSIDE_MIN_CHARS characters are left out of the share, on both sides: in languages
without a function-word list (Greek articles, Swahili "ya", Tagalog "ng", Amharic "ነው") they are
what an off-topic question meets, and question words ("gani", "რა", "কত") are what a right passage
lacks. Chosen on a development split of languages (benchmarks/weak17_rules.py).

Session 18 chose again with the function-word lists mended, on fresh languages
(benchmarks/weak18_rules.py): Lucene's IDF (FTS5's weighs nothing for a word in half the passages)
and every token counted was one question better on dev, the same on held-out languages, and let
two off-topic Greek questions through (one of four words met: coverage exactly 0.25); so this
rule stays (docs/quality.md, Session 18).

Session 19 found the right passages it flags sharing no word form with their question but an
inflection no stemmer joins (Finnish verikoetta / verikokeeseen, Hungarian táskámat / táskát,
Ukrainian посилка / посилку): a question's word now counts as held by a passage holding a token
that begins with the same OUTSIDE_PREFIX characters, each word weighed by Lucene's IDF (always
positive) of the passages holding it so. Chosen on Sessions 17's and 18's folders (dev), read once
on fresh held-out languages (benchmarks/outside19_rules.py; docs/quality.md, Session 19).
"""
from __future__ import annotations

import math
from typing import AbstractSet, Mapping, Sequence

OUTSIDE_COVERAGE = 0.3
OUTSIDE_MIN_CHARS = 3
OUTSIDE_PREFIX = 3


def outside(languages: AbstractSet[str] | None, question_lang: str | None, passage_lang: str | None) -> bool:
    """Whether the question and the passage are both in languages outside the model's `languages`
    (None: unknown, nothing is outside)."""
    return bool(languages) and (question_lang or "") not in languages and (passage_lang or "") not in languages


def counted(tokens: Sequence[str]) -> list[str]:
    """The question's tokens the share counts (distinct; a Vietnamese tagged form without its ~)."""
    return [t for t in dict.fromkeys(tokens) if len(t.lstrip("~")) >= OUTSIDE_MIN_CHARS]


def prefix(token: str) -> str:
    """The lexical index's prefix term (`qa.store.Store.term_passages`) a question's token is matched by."""
    return token.lstrip("~")[:OUTSIDE_PREFIX] + "*"


def _idf(n: int, passages: int) -> float:
    # Lucene's: positive however many passages hold the word (FTS5's is nothing for a word in half
    # of them, which in a folder of four passages is most of a right answer's words)
    return math.log(1 + (passages - n + 0.5) / (n + 0.5))


def coverage(tokens: Sequence[str], held: AbstractSet[str], passages_with: Mapping[str, int], passages: int) -> float:
    """The IDF-weighted share of `tokens` (already `counted`) that a passage holding the prefix terms
    `held` holds, in a collection of `passages` where prefix term p is in `passages_with[p]` of them
    (0 when absent: then the token counts as one passage's)."""
    keys = [prefix(t) for t in tokens]
    total = sum(_idf(max(passages_with.get(k, 0), 1), passages) for k in keys)
    if not total:
        return 0.0
    return sum(_idf(passages_with[k], passages) for k in keys if k in held and passages_with.get(k)) / total


def coverages(store, tokens: Sequence[str], ids: Sequence[int], passages: int) -> dict[int, float]:
    """`coverage` of each passage `ids` of `store` for the question's `tokens`."""
    tokens = counted(tokens)
    if not tokens or not ids:
        return {i: 0.0 for i in ids}
    keys = list(dict.fromkeys(prefix(t) for t in tokens))
    passages_with = store.term_passages(keys)
    held = store.holding([k for k in keys if passages_with.get(k)], ids)
    return {i: coverage(tokens, held.get(i, set()), passages_with, passages) for i in ids}
