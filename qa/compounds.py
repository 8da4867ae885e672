"""The parts of compound words, for the lexical tokens of languages that write compounds as
one word: a German question's "Zeitstempel" should meet a page's "Zugriffszeit" on "zeit".

German uses CharSplit (package `split-words`, MIT: n-gram probabilities of word starts,
middles and ends learnt from a million German nouns; no dictionary, so it splits words it
has never seen). Other languages have no splitter and keep their words as they are.
"""
from __future__ import annotations

import threading
from functools import lru_cache

# Chosen on development data (docs/quality.md, "Session 8: German compounds"): the German
# manual pages of benchmarks/title_dev.py and XQuAD's even paragraphs.
MIN_PART = 4  # characters of each part
MIN_SCORE = 0.5  # CharSplit's score of the split (start + end probability less the inner one)
MAX_PARTS = 4  # a part that is itself a compound is split again, up to this many parts

SPLIT_LANGUAGES = frozenset({"de"})

_lock = threading.Lock()
_splitter = None


def _german():
    global _splitter
    if _splitter is None:
        with _lock:
            if _splitter is None:
                import split_words.splitter
                from split_words import Splitter

                from .compound_table import load_tables

                # its table, mapped from the model cache instead of read from its JSON (2.5 s
                # CPU and ~250 MB in each process; mapped: 0.02 s); the splitter reads this global
                split_words.splitter.ngram_probs = load_tables()
                _splitter = Splitter()
    return _splitter


@lru_cache(maxsize=1 << 16)
def _best_split(word: str) -> tuple[str, str] | None:
    """The best-scoring split of `word` into two parts of at least MIN_PART characters,
    if its score reaches MIN_SCORE."""
    for score, body, head in _german().split_compound(word):
        if score < MIN_SCORE:
            return None
        if len(body) >= MIN_PART and len(head) >= MIN_PART:
            return body.casefold(), head.casefold()
    return None


@lru_cache(maxsize=1 << 16)
def german_parts(word: str) -> tuple[str, ...]:
    """The parts of a German compound (case-folded, unstemmed), or () for a word that is not one."""
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    parts = [word]
    while len(parts) < MAX_PARTS:
        for i, part in enumerate(parts):
            split = _best_split(part) if len(part) >= 2 * MIN_PART else None
            if split:
                parts[i:i + 1] = split
                break
        else:
            break
    return tuple(parts) if len(parts) > 1 else ()


# Persian (and Urdu) write the parts of many words apart with a zero-width non-joiner
# (دانش‌آموزان, کتاب‌ها, می‌شود), which people also type as a space or leave out: such a word is
# followed by its parts, as a compound (Persian's stemmer drops the non-joiner in the word).
_ZWNJ = "\u200c"


# Parts shorter than this are affixes (می, ها, ای), which the stemmer takes off the word itself.
_MIN_JOINED_PART = 3


def _joined_parts(word: str) -> list[str]:
    """The parts of a word written with zero-width non-joiners, when two or more of them are
    words, not affixes: دانش‌آموزان gives دانش and آموزان, کتاب‌ها none (the stemmer gives کتاب)."""
    if _ZWNJ not in word or not "\u0600" <= word[0] <= "\u06ff":
        return []
    parts = [p for p in word.split(_ZWNJ) if len(p) >= _MIN_JOINED_PART]
    return parts if len(parts) > 1 else []


def with_parts(words: list[str], lang: str | None) -> list[str]:
    """`words`, each compound followed by its parts, in a language with a splitter, and each
    Arabic-script word with a zero-width non-joiner followed by its parts in any language;
    `words` itself otherwise."""
    if lang not in SPLIT_LANGUAGES:
        if not any(_ZWNJ in w for w in words):
            return words
        return [part for w in words for part in [w, *_joined_parts(w)]]
    out: list[str] = []
    for word in words:
        out.append(word)
        out.extend(german_parts(word))
    return out
