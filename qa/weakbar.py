"""A passage's hubness: how close it sits to *any* question, for a weak-match bar relative to
the passage rather than one number for every collection (docs/quality.md, "Session 6").

Short passages (a man page's option and its one-line description) score 0.25-0.38 against
questions about tiramisu or routers, above the bar chosen on XQuAD's article paragraphs. A
passage's hubness is the mean of its HUB_PROBES best dense scores against everyday questions
that no collection answers (qa/probes.py), each the score a search gives (its document's head
weighed in as `qa.fusion.dense_score` weighs it, when the index has heads); with
`Calibration.weak_hub_margin` set, a passage is a weak match when its dense score is under its
hubness + that margin (and its lexical evidence is low, as before).

It depends on the passage (and its document's head) and the model only, never on the rest of
the collection: adding or removing documents cannot leave it stale, and a sharded index gives
every passage the value one index would. It is computed when a search shows the passage (k
passages, their stored vectors), so nothing is stored in the index.
"""
from __future__ import annotations

import threading
import weakref
from typing import Sequence

import numpy as np

from .fusion import PASSAGE_SHARE
from .probes import PROBES

# Mean of this many best probe scores, and USE-m3's margin over it: chosen on the development
# data (benchmarks/weak_rules.py; HUB_PROBES among 1, 2, 3, 5, 10; the margin is the smallest
# that flags every development off-topic question against the XQuAD en and es pools and the
# German man pages), in Session 6, before the document context. No calibration uses a hub
# margin: held-out figures of Sessions 6 and 7 (docs/quality.md).
HUB_PROBES = 5
HUB_MARGIN = 0.12

_probe_vectors: "weakref.WeakKeyDictionary[object, np.ndarray]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def probe_vectors(encoder) -> np.ndarray:
    """The probes' query vectors under `encoder` (embedded once per loaded model)."""
    with _lock:
        vectors = _probe_vectors.get(encoder)
    if vectors is None:
        vectors = np.asarray(encoder.encode_queries(list(PROBES)), dtype=np.float32)
        with _lock:
            _probe_vectors[encoder] = vectors
    return vectors


def probe_scores(vectors: np.ndarray, sentences: Sequence[np.ndarray | None], probes: np.ndarray,
                 contexts: Sequence[np.ndarray | None] | None = None, context_weight: float = 0.0) -> np.ndarray:
    """Passages x probes: the dense score (qa.fusion.dense_score) of each probe against each
    passage (rows of `vectors`, with its sentence vectors or None, and its document head's
    vector or None in `contexts`), the score the weak rule reads for a question."""
    cos = vectors @ probes.T
    scores = cos.copy()
    for row, sent in enumerate(sentences):
        if sent is not None and len(sent):
            scores[row] = PASSAGE_SHARE * cos[row] + (1.0 - PASSAGE_SHARE) * (sent @ probes.T).max(axis=0)
    if contexts is not None and context_weight:
        for row, head in enumerate(contexts):
            if head is not None:
                scores[row] = (1.0 - context_weight) * scores[row] + context_weight * (head @ probes.T)
    return scores


def hubness(vectors: np.ndarray, sentences: Sequence[np.ndarray | None], probes: np.ndarray,
            contexts: Sequence[np.ndarray | None] | None = None, context_weight: float = 0.0) -> np.ndarray:
    """Hubness of each passage against `probes` (arguments as `probe_scores`): its best
    HUB_PROBES probe scores averaged."""
    scores = probe_scores(vectors, sentences, probes, contexts, context_weight)
    m = min(HUB_PROBES, scores.shape[1])
    return -np.sort(-scores, axis=1)[:, :m].mean(axis=1)


def passage_hubs(store, encoder, ids: Sequence[int], context: bool = True) -> dict[int, float]:
    """Hubness of the passages `ids` of `store` (their stored passage and sentence vectors and,
    with `context` (the index has its document heads, `qa.context`), their document's head
    weighed as the dense score weighs it: the bar and the score it is compared with agree)."""
    ids = list(ids)
    if not ids:
        return {}
    dim = encoder.dimension
    vectors = store.vectors_for(ids, dim)
    sentences = store.sentence_vectors(ids, dim)
    known = [i for i in ids if i in vectors]
    if not known:
        return {}
    weight = encoder.calibration.context_weight if context else 0.0
    heads = store.context_vectors(known, dim) if weight else {}
    values = hubness(np.stack([vectors[i] for i in known]),
                     [sentences[i][1] if i in sentences else None for i in known], probe_vectors(encoder),
                     [heads.get(i) for i in known], weight)
    return dict(zip(known, values.tolist()))


def add_hubs(rows: dict[int, dict], store, encoder, ids: Sequence[int] | None = None,
             context: bool = True) -> dict[int, dict]:
    """`rows` (store.passages of `ids`, keyed by the same ids) with each row's "hub" when the
    model's weak rule uses it (`Calibration.weak_hub_margin`); unchanged otherwise. `context`:
    whether the search reads document heads (`passage_hubs`)."""
    if encoder.calibration.weak_hub_margin is None:
        return rows
    ids = list(rows) if ids is None else list(ids)
    hubs = passage_hubs(store, encoder, ids, context)
    for i, hub in hubs.items():
        if i in rows:
            rows[i]["hub"] = hub
    return rows
