"""Word translation by the encoder: a lexical channel across languages (docs/quality.md,
"Session 9: word translation by the encoder").

Across languages BM25 only matches names, numbers and cognates. The default model (USE-m3)
embeds single words in one space for its 16 languages, close to their translations
(boulanger / baker). `qa index` embeds the index's vocabulary once (the content words of
its passages, in their language, with their lexical tokens: `words` table, qa/store.py);
at question time each content word of the question is embedded and met with its `NEAREST`
vocabulary words at cosine `THRESHOLD` or more, and their tokens are one BM25 query, weighing
`qa.fusion.WORDS_WEIGHT` in passages of another language than the question's. Chosen on
XQuAD's development pairs (benchmarks/xling_words.py).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from . import word_index
from .language import stopwords, words

if TYPE_CHECKING:
    import faiss

# 1: the `words` table holds the content words of every passage up to meta `words_through`.
# 2: with the number of those passages that hold each word (`uses`): a word no passage holds any
#    more (its documents removed or changed) is no longer met, as in an index built afresh.
WORDS_VERSION = 2
# Vocabulary words met per question word, and the cosine they need (dev: k=2 best of 1-3;
# any threshold from 0.3 to 0.5 gives the same ranking, the nearest words score above it).
NEAREST = 2
THRESHOLD = 0.5
# Words met beyond `NEAREST` through an inverted file, to break ties among them (`_untie`).
TIED = 4
# Words an inverted file gives per question word, then scored again with their stored vectors
# (`_rescored`): its 8-bit codes round the cosines, and a word's vector can differ in its last
# bits from one index to another (embedded in another batch): the codes' rounding would then
# rank them otherwise, the exact cosines tie them (`TIE_GAP`).
CANDIDATES = 10
# Cosines this close are a tie, ranked by (word, language) (`_untie`): a word spelled alike in
# several languages has one vector, and words embedded in other batches (an index's history)
# differ by a float16 rounding step of their vector (~1e-5 of cosine; some words' vectors are
# alike but for it).
TIE_GAP = 1e-4
# Question words whose vocabulary words a `WordVocabulary` remembers (`translate`): question
# words recur, and the product with a large vocabulary reads all of it (50,000 words: 100 MB).
MEMO_WORDS = 20000


def content_words(text: str, lang: str | None, found: Sequence[str] | None = None) -> list[str]:
    """The distinct words of `text` (`qa.language.words`; `found`: those words, already
    found) less the stopwords of `lang` and words without a letter (numbers already match
    as they are)."""
    stop = stopwords(lang)
    found = words(text, lang) if found is None else found
    # most words are letters only: `isalpha` answers for them without a generator per word
    return list(dict.fromkeys(w for w in found if w not in stop and (w.isalpha() or any(ch.isalpha() for ch in w))))


@dataclass
class WordVocabulary:
    """The index's words: per word, its lexical tokens (`tokens[i]`), and the languages of the
    passages they come from. Met by the product with their `vectors` (row i) under
    `word_index.ANN_FROM` words, else through an inverted file: the one `qa index` saved
    (`ann`, its ids the words' rowids `ids`: no vectors held), or, `trainable` (a sharded
    index's vocabularies merged), one trained at first use on `vectors`."""

    tokens: list[list[str]]
    vectors: np.ndarray | None
    langs: frozenset[str]
    keys: list[tuple[str, str]] = field(default_factory=list)  # (word, language) of each row
    ids: np.ndarray | None = None  # the rowid of each row (sorted), the ids of a saved `ann`
    trainable: bool = False
    # the float32 vectors of some rowids (`ids`), read from the store: an index's saved `ann`
    # holds no vectors, and its candidates are scored again with theirs (`_rescored`)
    fetch: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False, compare=False)
    _memo: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _ann: faiss.Index | None = field(default=None, repr=False, compare=False)
    _ann_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # sent between processes (a Ray shard replica's words to the front): without the memo
        # and the lock; the inverted file only when it is all there is (no vectors)
        state = {"tokens": self.tokens, "vectors": self.vectors, "langs": self.langs, "keys": self.keys,
                 "ids": self.ids, "trainable": self.trainable}
        if self.vectors is None and self._ann is not None:
            import faiss

            state["_ann"] = faiss.serialize_index(self._ann)
        return state

    def __setstate__(self, state: dict) -> None:
        if state.get("_ann") is not None:
            import faiss

            state["_ann"] = faiss.deserialize_index(state["_ann"])
            state["_ann"].nprobe = min(word_index.NPROBE, state["_ann"].nlist)
        self.__init__(**state)

    def acts_for(self, lang: str) -> bool:
        """Whether the index has passages in another language than `lang` (the channel
        counts only there: a question in the language of all the passages skips it)."""
        return bool(self.langs - {lang})

    def terms(self, word_vectors: np.ndarray) -> list[str]:
        """The lexical tokens of the vocabulary words nearest to each of `word_vectors`."""
        return list(dict.fromkeys(t for found in self._nearest(word_vectors) for t in found))

    def _nearest(self, word_vectors: np.ndarray) -> list[list[str]]:
        """Per row of `word_vectors`, the lexical tokens of its nearest vocabulary words."""
        if not len(word_vectors) or not len(self.tokens):
            return [[] for _ in range(len(word_vectors))]
        out = []
        for scores, columns in zip(*self._top(word_vectors)):
            found: dict[str, None] = {}
            for s, c in zip(scores, columns):
                if c >= 0 and s >= THRESHOLD:
                    found.update(dict.fromkeys(self.tokens[c]))
            out.append(list(found))
        return out

    @property
    def approximate(self) -> bool:
        """Whether the words are met through an inverted file (else: the exact product)."""
        return self._ann is not None or (self.trainable and len(self.tokens) >= word_index.ANN_FROM)

    def _top(self, word_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, the cosines and rows of its `NEAREST` vocabulary words (-1: none)."""
        if self.approximate:
            scores, found = word_index.search(self.ann(), word_vectors, max(CANDIDATES, NEAREST + TIED))
            if self.ids is not None:  # rowids -> rows
                rows = np.minimum(np.searchsorted(self.ids, found), len(self.ids) - 1)
                found = np.where((found >= 0) & (self.ids[rows] == found), rows, -1)
            return self._untie(self._rescored(word_vectors, scores, found), found)
        sims = word_vectors @ self.vectors.T
        k = min(NEAREST, sims.shape[1])
        # every word as near as the k-th or tied with it, scored again row by row, ranked by
        # `_untie`: which of tied words the product's rows give first is the order they were
        # inserted in, i.e. the index's history
        kth = np.partition(sims, sims.shape[1] - k, axis=1)[:, sims.shape[1] - k] - 2 * TIE_GAP
        width = max(k, max((int(np.count_nonzero(row >= bar)) for row, bar in zip(sims, kth)), default=k))
        found = np.full((len(sims), width), -1, dtype=np.int64)
        scores = np.full((len(sims), width), -np.inf, dtype=np.float32)
        for i, (row, bar) in enumerate(zip(sims, kth)):
            near = np.flatnonzero(row >= bar)
            found[i, :len(near)] = near
            # the same operations for every vocabulary row, wherever it is: equal vectors, equal scores
            scores[i, :len(near)] = (self.vectors[near] * word_vectors[i]).sum(axis=1, dtype=np.float32)
        return self._untie(scores, found)

    def _rescored(self, word_vectors: np.ndarray, scores: np.ndarray, found: np.ndarray) -> np.ndarray:
        """The exact cosines of the rows `found` (-1: none), as the exact product scores them
        (elementwise product and sum, row by row): from the vectors held, else read by rowid
        (`fetch`); the codes' `scores` when neither is there (a copy sent to another process)."""
        wanted = np.unique(found[found >= 0])
        if self.vectors is not None:
            vectors, at = self.vectors, None
        elif self.fetch is not None and self.ids is not None:
            vectors, at = self.fetch(self.ids[wanted]), wanted
        else:
            return scores
        out = np.full(found.shape, -np.inf, dtype=np.float32)
        for i, row in enumerate(found):
            held = row >= 0
            rows = row[held] if at is None else np.searchsorted(at, row[held])
            out[i, held] = (vectors[rows] * word_vectors[i]).sum(axis=1, dtype=np.float32)
        return out

    def _untie(self, scores: np.ndarray, found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The `NEAREST` of each row's candidates, tied scores (within `TIE_GAP` of the best of
        their tie) in the order of their (word, language): a word spelled alike in several
        languages has one vector, and which of them an inverted file or the product lists first
        depends on the order they were added in (an index updated against one built afresh, a
        sharded index's merged words against one index's)."""
        top_scores = np.full((len(found), NEAREST), -np.inf, dtype=np.float32)
        top = np.full((len(found), NEAREST), -1, dtype=np.int64)
        for i, (row_scores, row) in enumerate(zip(scores.tolist(), found.tolist())):
            ranked = sorted(((s, c) for s, c in zip(row_scores, row) if c >= 0), key=lambda sc: -sc[0])
            chosen: list[tuple[float, int]] = []
            while ranked and len(chosen) < NEAREST:
                tie = [sc for sc in ranked if sc[0] >= ranked[0][0] - TIE_GAP]
                ranked = ranked[len(tie):]
                chosen.extend(sorted(tie, key=lambda sc: self.keys[sc[1]] if self.keys else ()))
            for j, (s, c) in enumerate(chosen[:NEAREST]):
                top_scores[i, j], top[i, j] = s, c
        return top_scores, top

    def ann(self) -> faiss.Index:
        """The vocabulary's inverted file: the one given, or at first use the one `qa index`
        would make for these words (`word_index.build`; `trainable` only: an index's own is
        made by `qa index`)."""
        with self._ann_lock:
            if self._ann is None:
                if not self.trainable or self.vectors is None:
                    raise RuntimeError("this vocabulary has no inverted file and may not train one")
                # as `qa index` makes one index's (a function of the words alone, not of their rows' order)
                self._ann = word_index.build(self.vectors, self.keys)  # ids: the rows
            return self._ann

    def recall(self, words: list[str]) -> tuple[dict[str, list[str]], list[str]]:
        """The tokens remembered for those of `words` translated before (`translate`), and the others."""
        known = {w: found for w in words if (found := self._memo.get(w)) is not None}
        return known, [w for w in words if w not in known]

    def translate(self, words: list[str], vectors: np.ndarray) -> dict[str, list[str]]:
        """Per word (its vector a row of `vectors`), the lexical tokens of its nearest vocabulary
        words, remembered: `terms` of each word alone, computed once per word."""
        found = dict(zip(words, self._nearest(vectors)))
        if len(self._memo) + len(found) > MEMO_WORDS:
            self._memo.clear()
        self._memo.update(found)
        return found


def merge_vocabularies(parts: Sequence[WordVocabulary | None]) -> WordVocabulary | None:
    """The vocabulary of one index holding the passages of all `parts` (a sharded index's
    shards, read with their vectors): each (word, language) once, so that a question's words
    meet the same nearest words as in one index; from `word_index.ANN_FROM` words through an
    inverted file trained at its first use, in memory."""
    present = [p for p in parts if p is not None]
    if not present:
        return None
    if len(present) == 1:
        one = present[0]
        return WordVocabulary(one.tokens, one.vectors, one.langs, one.keys, trainable=True)
    rows: dict[tuple[str, str], tuple[WordVocabulary, int]] = {}
    for part in present:
        for j, key in enumerate(part.keys):
            rows.setdefault(key, (part, j))
    chosen = list(rows.values())
    vectors = (np.stack([part.vectors[j] for part, j in chosen]) if chosen
               else np.zeros((0, present[0].vectors.shape[1]), np.float32))
    return WordVocabulary([part.tokens[j] for part, j in chosen], vectors,
                          frozenset().union(*(p.langs for p in present)), list(rows), trainable=True)


def word_uses(rows: Iterable[tuple[int, str | None, str]]) -> dict[tuple[str, str], int]:
    """How many of the passages `rows` ((id, language, text)) hold each (word, language)."""
    uses: dict[tuple[str, str], int] = {}
    for _, lang, text in rows:
        for w in content_words(text, lang):
            key = (w, lang or "")
            uses[key] = uses.get(key, 0) + 1
    return uses
