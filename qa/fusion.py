"""Scoring: the dense score of a passage, and its fusion with lexical evidence, aware of the
question's language and each passage's language. Weights were settled on XQuAD (en, es, de,
zh and the pairs between them) and confirmed on ar, ru, vi: see docs/quality.md."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

# Dense score = this share of the passage's cosine + the rest from its best sentence's cosine:
# a question matches the sentence that answers it better than the blur of a whole paragraph.
PASSAGE_SHARE = 0.5
# Lexical evidence (BM25 divided by this question's best BM25) weighs this much when the
# question and the passage are in the same language...
LEXICAL_WEIGHT_SAME = 0.5
# ... and little across languages, where only names and numbers match and a full weight
# would pull passages that merely share them above the dense ranking.
LEXICAL_WEIGHT_CROSS = 0.1
# A question in another script than the passages (Cyrillic or Arabic against Latin) shares
# none of their tokens; its likely names, transliterated and met with the index's terms by
# consonant skeleton (qa/transliterate.py), are a second BM25 query weighing this much in
# passages of another language than the question's. Chosen on XQuAD's development split
# (benchmarks/xling_translit.py, docs/quality.md).
NAMES_WEIGHT = 0.1
# The question's words translated by the encoder into the index's words (qa/word_translation.py)
# are a third BM25 query, weighing this much in passages of another language than the
# question's. Chosen on XQuAD's development pairs (benchmarks/xling_words.py, docs/quality.md).
WORDS_WEIGHT = 0.1


def dense_score(cosine: float, sentence_cosines: np.ndarray | None, context_cosine: float | None = None,
                context_weight: float = 0.0) -> float:
    """The passage's own score (its cosine and its best sentence's), mixed with `context_weight`
    of `context_cosine`, the question's cosine to its document's head (`qa.context`; None for a
    document of one passage, whose score stays its own)."""
    best = None if sentence_cosines is None or not len(sentence_cosines) else float(sentence_cosines.max())
    return mixed_score(cosine, best, context_cosine, context_weight)


def mixed_score(cosine: float, best_sentence: float | None, context_cosine: float | None = None,
                context_weight: float = 0.0) -> float:
    """`dense_score` given the best sentence's cosine (None: the passage has no stored sentences)."""
    own = cosine if best_sentence is None else PASSAGE_SHARE * cosine + (1.0 - PASSAGE_SHARE) * best_sentence
    if context_cosine is None or not context_weight:
        return own
    return (1.0 - context_weight) * own + context_weight * float(context_cosine)


def _normalised(hits: Sequence[tuple[int, float]]) -> dict[int, float]:
    top = max((s for _, s in hits), default=0.0)
    return {i: s / top for i, s in hits} if top > 0 else {}


def fuse(dense: Mapping[int, float], lexical: Sequence[tuple[int, float]], langs: Mapping[int, str | None],
         qlang: str, dense_scale: float = 1.0, names: Sequence[tuple[int, float]] = (),
         words: Sequence[tuple[int, float]] = (), cross_offset: float = 0.0) -> list[tuple[float, float, int]]:
    """(score, dense score, passage id) for every candidate of `dense` (dense scores, which
    cover the lexical candidates too) given BM25 scores `lexical`, passage languages `langs`
    and BM25 scores `names` of the question's transliterated names (counted in passages of
    another language than `qlang` only), and BM25 scores `words` of its words translated into
    the index's (the same).
    `dense_scale` and `cross_offset` are the model's (`Encoder.calibration`): the weights above
    are USE-m3's. `cross_offset` is added to passages in another language than the question's:
    in a collection of one language it moves no passage against another (all or none get it);
    in a collection of several it offsets what the same-language passages have by design (their
    full lexical weight, and the encoder's higher cosines within a language) against a passage
    that answers in another language (docs/quality.md, "Session 10: collections of several
    languages")."""
    lex, named, translated = _normalised(lexical), _normalised(names), _normalised(words)
    scored = []
    for i, d in dense.items():
        if langs.get(i) == qlang:
            lexical_part = LEXICAL_WEIGHT_SAME * lex.get(i, 0.0)
        else:
            lexical_part = (cross_offset + LEXICAL_WEIGHT_CROSS * lex.get(i, 0.0) + NAMES_WEIGHT * named.get(i, 0.0)
                            + WORDS_WEIGHT * translated.get(i, 0.0))
        scored.append((dense_scale * d + lexical_part, d, i))
    return scored


# Weak match (docs/quality.md, "Weak matches"): a passage is shown as a weak match when its
# dense score is under WEAK_DENSE and it holds less lexical evidence than WEAK_LEXICAL. The
# dense bar alone is set by off-topic questions (in en/es they reach 0.24 against XQuAD);
# the lexical evidence keeps correct passages that the encoder scores low (Arabic) but that
# share the question's rare words. Chosen on the development split.
WEAK_DENSE = 0.24
WEAK_LEXICAL = 1.5


def lexical_evidence(bm25: float, passages: int) -> float:
    """A passage's BM25 for the question in units of the largest IDF a word can have in this
    collection (FTS5's, ln((N - 0.5) / 1.5) for a word in one passage of N): about how many of
    the question's rare words it holds, a scale that does not grow with the collection as raw
    BM25 does."""
    return bm25 / math.log(max(passages - 0.5, 3.0) / 1.5)


# Across languages the question's words translated into the index's (WORDS_WEIGHT's BM25, in the
# units of `lexical_evidence`) vouch for a passage the encoder scores low: a hit that would be weak
# is not when that evidence reaches WEAK_WORDS and its dense score WEAK_WORDS_FLOOR (off-topic
# questions' words meet index words too, but rarely many of one passage's rare ones). USE-m3's
# (only its indexes store words), chosen on the development split (docs/quality.md, "Session 9:
# the weak bar with translated words", benchmarks/weak_words.py).
WEAK_WORDS = 2.5
WEAK_WORDS_FLOOR = 0.20


# A passage in which one sentence answers can score low as a whole (its other sentences and its
# document's head pull the mixed score down): a hit that would be weak is not when its best
# sentence's own cosine reaches WEAK_SENTENCE, that sentence is at least WEAK_SENTENCE_CHARS long
# and its dense score reaches WEAK_SENTENCE_FLOOR. Off-topic questions' best sentences reach 0.38
# (short ones by chance), so the bar frees few. USE-m3's (`Calibration.weak_sentence`), chosen on
# the development split (docs/quality.md, "Session 12: the weak bar and the best sentence",
# benchmarks/weak_sentence.py).
WEAK_SENTENCE = 0.36
WEAK_SENTENCE_CHARS = 30
WEAK_SENTENCE_FLOOR = 0.19


# Across languages USE-m3 scores a correct passage about as low as an unrelated one in the question's
# language (a Spanish answer to an Arabic question at 0.16-0.23), so the passage's own score cannot
# tell them apart; the question's own scores over the collection can: a question the collection is
# about has its WEAK_QUESTION_TOP best dense candidates higher (XQuAD dev, cross-language gold flagged
# weak: mean 0.148 at the 10th percentile, 0.184 median) than an off-topic question has (0.130 median,
# 0.184 at the 99th). A hit in another language than the question's that would be weak is not when
# that mean reaches the model's bar (`Calibration.weak_question`) and its dense score
# WEAK_QUESTION_FLOOR (most off-topic hits stay under it: 0.176 at the 90th percentile); only when no
# passage shown is in the question's language, as in the collections it was chosen on. Chosen on
# the development split (docs/quality.md, "Session 18: the weak bar across languages and the
# question's own scores", benchmarks/weak18_cross_rules.py).
WEAK_QUESTION = 0.18
WEAK_QUESTION_FLOOR = 0.18
WEAK_QUESTION_TOP = 10


def question_closeness(dense: Iterable[float]) -> float:
    """The mean of the question's WEAK_QUESTION_TOP best dense candidate scores, a missing one
    counting 0 (a folder of fewer passages says less of the question, and frees less)."""
    return sum(heapq.nlargest(WEAK_QUESTION_TOP, dense)) / WEAK_QUESTION_TOP


# Where a question's closeness alone does not free a cross-language hit, the hit's place among the
# question's own candidates can: a logistic model of the hit's dense score, the question's closeness,
# the hit's z-score against every candidate's dense score (the nearest and the lexical, names and
# translated-word candidates) and its best sentence's cosine, fitted on the development split only
# (cross-language gold flagged weak against off-topic questions' cross-language hits flagged weak),
# its bar the lowest that frees no development off-topic question's top hit. In raw units: a hit is
# freed when WEAK_POOL . (dense, closeness, z, best sentence) reaches the model's bar
# (`Calibration.weak_pool`: WEAK_POOL_BAR for USE-m3), its dense score WEAK_POOL_FLOOR, and the
# question has WEAK_POOL_MIN candidates or more: as many as the vector search's list
# (`qa.retrieval.CANDIDATES`), so that the pool is the question's neighbourhood, not a whole small
# collection (chosen at 20 on XQuAD, whose pools always give 50 or more; raised after the merged
# small folders of benchmarks/small_folders.py let one off-topic question more through each). The
# z-score weighs *against* (given the dense score, a hit that stands out of a low pool is not an
# answer more often: off-topic questions' best hits stand out too). Same scope as the
# closeness. docs/quality.md, "Session 19: the weak bar from the question's own candidates",
# benchmarks/weak19_rules.py.
WEAK_POOL = (46.79804, 36.78462, -1.220834, 4.591982)
WEAK_POOL_BAR = 14.86617
WEAK_POOL_FLOOR = 0.12
WEAK_POOL_MIN = 50


# In the question's language, a hit that only its dense score frees, just over the bar (under
# WEAK_FAR_DENSE) and with little lexical evidence, is weak when the question's closeness is under
# the model's bar (`Calibration.weak_far`: WEAK_FAR for USE-m3): the collection holds nothing near
# the question and this passage is its nearest miss ("What time does the bakery open?" against a
# paragraph on a market's opening in 1835). Only with WEAK_POOL_MIN candidates or more (a small
# folder's closeness counts its missing passages as 0). Chosen on the development split as the
# lowest bar that flags a development off-topic question's top hit (dev: 11 -> 10 of 208 passing,
# 2 of 4,738 monolingual gold flagged more); docs/quality.md, "Session 22: weak matches across
# languages", benchmarks/weak22_rules.py.
WEAK_FAR = 0.165
WEAK_FAR_DENSE = 0.27


@dataclass(frozen=True)
class CandidatePool:
    """A question's candidates' dense scores as the weak rule reads them."""

    closeness: float  # `question_closeness`
    mean: float
    std: float
    count: int


def candidate_pool(dense: Iterable[float]) -> CandidatePool:
    scores = np.fromiter(dense, dtype=np.float64)
    if not len(scores):
        return CandidatePool(0.0, 0.0, 0.0, 0)
    return CandidatePool(question_closeness(scores.tolist()), float(scores.mean()), float(scores.std()), len(scores))


def pool_score(dense: float, sentence: float | None, pool: CandidatePool) -> float:
    """WEAK_POOL's weighted sum for a hit (`sentence`: its best sentence's cosine, None counting 0)."""
    z = (dense - pool.mean) / (pool.std + 1e-9)  # a pool of equal scores has no spread
    a, b, c, d = WEAK_POOL
    return a * dense + b * pool.closeness + c * z + d * (sentence or 0.0)


def is_weak(dense: float, evidence: float, dense_bar: float = WEAK_DENSE, hub: float | None = None,
            hub_margin: float | None = None, words: float = 0.0, sentence: float | None = None,
            sentence_chars: int = 0, sentence_bar: float | None = None, closeness: float | None = None,
            closeness_bar: float | None = None, pool: CandidatePool | None = None,
            pool_bar: float | None = None, far: CandidatePool | None = None, far_bar: float | None = None) -> bool:
    """`dense_bar` is the model's (`Encoder.calibration`): WEAK_DENSE is USE-m3's. With the
    passage's hubness `hub` (qa/weakbar.py) and the model's `hub_margin`
    (`Calibration.weak_hub_margin`), the bar is the passage's own: hub + hub_margin. `words`:
    the passage's lexical evidence for the question's translated words (0 without them).
    `sentence`: its best sentence's cosine to the question (None without stored sentences),
    `sentence_chars` that sentence's length; `sentence_bar`: the model's bar on it
    (`Calibration.weak_sentence`; None: the sentence frees nothing; not with the hub bar).
    `closeness`: for a passage in another language than the question's, `question_closeness` of
    the question's candidates (None: the passage is in the question's language); `closeness_bar`:
    the model's bar on it (`Calibration.weak_question`; None: it frees nothing). `pool`: for such a
    passage, the question's `candidate_pool`; `pool_bar`: the model's bar on `pool_score`
    (`Calibration.weak_pool`; None: it frees nothing). `far`: for a passage in the question's
    language, the question's `candidate_pool`; `far_bar`: the model's bar on its closeness
    (`Calibration.weak_far`; None: it flags nothing)."""
    if hub is not None and hub_margin is not None:
        dense_bar = hub + hub_margin
        # the sentence bar was chosen against the fixed bar: over a hub's own bar it lets off-topic
        # questions through (a short option line of a man page matches a "Sunday" question)
        sentence_bar = None
        closeness_bar = pool_bar = far_bar = None  # chosen against the fixed bar too
    if (far_bar is not None and far is not None and far.count >= WEAK_POOL_MIN and far.closeness < far_bar
            and dense < WEAK_FAR_DENSE and evidence < WEAK_LEXICAL):
        return True
    if dense >= dense_bar or evidence >= WEAK_LEXICAL:
        return False
    if words >= WEAK_WORDS and dense >= WEAK_WORDS_FLOOR:
        return False
    if (sentence_bar is not None and sentence is not None and sentence >= sentence_bar
            and sentence_chars >= WEAK_SENTENCE_CHARS and dense >= WEAK_SENTENCE_FLOOR):
        return False
    if (closeness_bar is not None and closeness is not None and closeness >= closeness_bar
            and dense >= WEAK_QUESTION_FLOOR):
        return False
    return not (pool_bar is not None and pool is not None and pool.count >= WEAK_POOL_MIN
                and dense >= WEAK_POOL_FLOOR and pool_score(dense, sentence, pool) >= pool_bar)
