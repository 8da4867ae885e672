"""A light stemmer for Latvian, which Snowball (PyStemmer) has none for.

Lucene's LatvianStemmer (Apache-2.0), after Kārlis Kreslins' "A stemming algorithm for Latvian",
written again here: only the inflectional endings of nouns and adjectives (case, number, gender,
definiteness) come off, the first of `AFFIXES` that ends the word when the word has more vowels than
the ending asks and three letters stay; the consonant a genitive plural or a declension II, V or VI
ending softened (ņ, ļ, č, šņ, pj...) is written hard again, so that the forms of one noun meet:
paklājs, paklāju, paklājiem (carpet) all give paklāj; filtrs, filtru, filtram give filtr.
Verbs keep their endings (a light stemmer errs on the side of joining too little).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence


@dataclass(frozen=True)
class Affix:
    ending: str
    vowels: int  # the word must have more vowels than this
    palatalizes: bool  # the consonant before it may be softened: written hard again


AFFIXES = tuple(Affix(e, v, p) for e, v, p in (
    ("ajiem", 3, False), ("ajai", 3, False), ("ajam", 2, False), ("ajām", 2, False), ("ajos", 2, False),
    ("ajās", 2, False), ("iem", 2, True), ("ajā", 2, False), ("ais", 2, False), ("ai", 2, False),
    ("ei", 2, False), ("ām", 1, False), ("am", 1, False), ("ēm", 1, False), ("īm", 1, False),
    ("im", 1, False), ("um", 1, False), ("us", 1, True), ("as", 1, False), ("ās", 1, False),
    ("es", 1, False), ("os", 1, True), ("ij", 1, False), ("īs", 1, False), ("ēs", 1, False),
    ("is", 1, False), ("ie", 1, False), ("u", 1, True), ("a", 1, True), ("i", 1, True),
    ("e", 1, False), ("ā", 1, False), ("ē", 1, False), ("ī", 1, False), ("ū", 1, False),
    ("o", 1, False), ("s", 0, False), ("š", 0, False)))

VOWELS = frozenset("aeiouāēīū")

# softened consonant pairs at the stem's end, written hard again
_HARD_PAIRS = {"šņ": "sn", "žņ": "zn", "šļ": "sl", "žļ": "zl", "ļņ": "ln", "ļļ": "ll"}
_HARD = {"č": "c", "ļ": "l", "ņ": "n"}


def _unpalatalize(stem: str, removed: str) -> str:
    if removed.startswith("u"):  # a genitive plural of declension II, V or VI
        if stem.endswith("kš"):
            return stem[:-2] + "kst"
        if stem.endswith("ņņ"):
            return stem[:-2] + "nn"
    if stem[-2:] in ("pj", "bj", "mj", "vj"):  # a labial consonant's j
        return stem[:-1]
    if stem[-2:] in _HARD_PAIRS:
        return stem[:-2] + _HARD_PAIRS[stem[-2:]]
    if stem[-1:] in _HARD:
        return stem[:-1] + _HARD[stem[-1]]
    return stem


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The stem of a case-folded Latvian `word`."""
    vowels = sum(ch in VOWELS for ch in word)
    for affix in AFFIXES:
        if vowels > affix.vowels and len(word) >= len(affix.ending) + 3 and word.endswith(affix.ending):
            kept = word[:-len(affix.ending)]
            return _unpalatalize(kept, affix.ending) if affix.palatalizes else kept
    return word


class LatvianStemmer:
    """PyStemmer's interface (`stemWords`), for `qa.language`'s stemmers."""

    def stemWord(self, word: str) -> str:  # noqa: N802 (PyStemmer's names)
        return stem(word)

    def stemWords(self, words: Sequence[str]) -> list[str]:  # noqa: N802
        return [stem(w) for w in words]
