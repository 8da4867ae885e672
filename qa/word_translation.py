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
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

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
# Question words whose vocabulary words a `WordVocabulary` remembers (`translate`): question
# words recur, and the product with a large vocabulary reads all of it (50,000 words: 100 MB).
MEMO_WORDS = 20000
# From this many vocabulary words, question words meet them through an inverted file (IVF,
# inner product, sqrt(N) lists, `ANN_NPROBE` of them searched) trained once per vocabulary at
# its first use, instead of the product with all of them (docs/performance.md, "Session 9:
# approximate word translation"). Below it (a per-language XQuAD pool: ~7,000 words) the
# product is exact and as before. ANN_NPROBE chosen on the mixed pool's dev questions.
ANN_FROM = 20000
ANN_NPROBE = 24
ANN_TRAIN_PER_LIST = 32
ANN_NITER = 6


def content_words(text: str, lang: str | None) -> list[str]:
    """The distinct words of `text` (`qa.language.words`) less the stopwords of `lang` and
    words without a letter (numbers already match as they are)."""
    stop = stopwords(lang)
    return list(dict.fromkeys(w for w in words(text) if w not in stop and any(ch.isalpha() for ch in w)))


@dataclass
class WordVocabulary:
    """The index's words: per word, its lexical tokens (`tokens[i]`) and its vector (row i),
    and the languages of the passages they come from."""

    tokens: list[list[str]]
    vectors: np.ndarray
    langs: frozenset[str]
    keys: list[tuple[str, str]] = field(default_factory=list)  # (word, language) of each row
    _memo: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _ann: faiss.Index | None = field(default=None, repr=False, compare=False)
    _ann_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # sent between processes (a Ray shard replica's words to the front): without what is
        # made at first use (the memo, the inverted file) and the lock
        return {"tokens": self.tokens, "vectors": self.vectors, "langs": self.langs, "keys": self.keys}

    def __setstate__(self, state: dict) -> None:
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

    def _top(self, word_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, the cosines and rows of its `NEAREST` vocabulary words (-1: none)."""
        if len(self.tokens) >= ANN_FROM:
            return self.ann().search(np.ascontiguousarray(word_vectors, dtype=np.float32), NEAREST)
        sims = word_vectors @ self.vectors.T
        k = min(NEAREST, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return np.take_along_axis(sims, top, axis=1), top

    def ann(self) -> faiss.Index:
        """The vocabulary's inverted file, trained at first use on a fixed sample of its words."""
        import faiss  # lazily, as everywhere on the read path (cold start)

        with self._ann_lock:
            if self._ann is None:
                vectors = np.ascontiguousarray(self.vectors, dtype=np.float32)
                lists = int(np.sqrt(len(vectors)))
                index = faiss.IndexIVFFlat(faiss.IndexFlatIP(vectors.shape[1]), vectors.shape[1], lists,
                                           faiss.METRIC_INNER_PRODUCT)
                index.cp.niter = ANN_NITER
                index.cp.min_points_per_centroid = ANN_TRAIN_PER_LIST  # no warning for the smaller sample
                sample = np.random.default_rng(0).choice(len(vectors), min(len(vectors), ANN_TRAIN_PER_LIST * lists),
                                                         replace=False)
                index.train(vectors[np.sort(sample)])
                index.add(vectors)
                index.nprobe = ANN_NPROBE
                self._ann = index
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
    shards): each (word, language) once, so that a question's words meet the same nearest
    words as in one index."""
    present = [p for p in parts if p is not None]
    if len(present) <= 1:
        return present[0] if present else None
    rows: dict[tuple[str, str], tuple[WordVocabulary, int]] = {}
    for part in present:
        for j, key in enumerate(part.keys):
            rows.setdefault(key, (part, j))
    chosen = list(rows.values())
    vectors = (np.stack([part.vectors[j] for part, j in chosen]) if chosen
               else np.zeros((0, present[0].vectors.shape[1]), np.float32))
    return WordVocabulary([part.tokens[j] for part, j in chosen], vectors,
                          frozenset().union(*(p.langs for p in present)), list(rows))


def word_uses(rows: Iterable[tuple[int, str | None, str]]) -> dict[tuple[str, str], int]:
    """How many of the passages `rows` ((id, language, text)) hold each (word, language)."""
    uses: dict[tuple[str, str], int] = {}
    for _, lang, text in rows:
        for w in content_words(text, lang):
            key = (w, lang or "")
            uses[key] = uses.get(key, 0) + 1
    return uses
