"""Searching a sharded index: every shard searches (vectors and BM25) in a thread, one
ranking over all of them. The question is embedded once; BM25 is scored in every shard with
the statistics of all of them (rows, tokens and the question's terms' document frequencies,
summed: `qa.lexical_stats`), and names in another script are met in the terms of all shards,
so a passage gets the lexical score one index over the same documents would give it; the
lexical normalisation (BM25 divided by the question's best) is taken over all shards; the
candidate set is the one a single index would have (the global top-n of the vector search
and of BM25), so that the split does not change the results, and only those candidates are
scored further (stored vectors, sentences), each by its shard: the shards together do one
index's work. `ShardedRetriever` has `Retriever`'s interface.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .errors import BrokenIndex, IndexNotFound, QAError, StaleIndex
from .filters import Where, as_where, check_folders, choices, held_folders, merge_choices
from .layout import current_data
from .mapped import answered
from .freshness import SourceCheck
from .lexical_stats import LexicalStats
from .records import Passage
from .encoder import Calibration
from .retrieval import (DEFAULT_CALIBRATION, QUERY_BATCH, Candidates, Query, Retriever, _Loaded,
                        check_k, check_mode, clean_questions, describe_candidates, lexical_top, make_passages,
                        nearest_candidates, prior_questions, question_terms, rank_candidates,
                        read_shown, result_of, submit_lexical, vocabulary_of, candidates_full, outside_coverages,
                        topics_of, widen_short)
from . import followup
from .notices import model_languages
from .store import NAMES_MAX_PASSAGES
from .shards import ShardManifest, global_id, read_manifest, split_id
from .transliterate import Vocabulary
from .weakbar import add_hubs
from .word_translation import WordVocabulary, merge_vocabularies

log = logging.getLogger("qa")

MAX_THREADS = 32


@dataclass(frozen=True)
class ShardTerms:
    """The shards' lexical indexes as one for `qa.outside.coverages`: a term's passages counted
    over all shards, the passages holding a term by their sharded ids."""

    views: Sequence[_Loaded]

    def term_passages(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for view in self.views:
            for t, n in view.store.term_passages(terms).items():
                out[t] = out.get(t, 0) + n
        return out

    def holding(self, terms: Sequence[str], ids: Sequence[int]) -> dict[int, set[str]]:
        count, wanted = len(self.views), {}
        for gid in ids:
            shard, local = split_id(gid, count)
            wanted.setdefault(shard, []).append(local)
        return {global_id(i, shard, count): held for shard, local_ids in wanted.items()
                for i, held in self.views[shard].store.holding(terms, local_ids).items()}


def globalize(found: Candidates, shard: int, shards: int) -> Candidates:
    """A shard's candidates with the sharded index's ids."""
    def g(i: int) -> int:
        return global_id(i, shard, shards)

    return Candidates(nearest=[(g(i), s) for i, s in found.nearest], lexical=[(g(i), s) for i, s in found.lexical],
                      dense={g(i): d for i, d in found.dense.items()}, langs={g(i): v for i, v in found.langs.items()},
                      sentences={g(i): v for i, v in found.sentences.items()},
                      names=[(g(i), s) for i, s in found.names],
                      sentence_cosines={g(i): v for i, v in found.sentence_cosines.items()},
                      words=[(g(i), s) for i, s in found.words])


def merge_candidates(parts: Sequence[Candidates], n: int) -> Candidates:
    """The candidates one index holding every shard's passages would have: the top `n` of
    the vector search, of BM25, of the names' and of the translated words' BM25 over all shards
    (ids already global)."""
    def best(attr: str) -> list[tuple[int, float]]:
        return sorted(chain.from_iterable(getattr(p, attr) for p in parts), key=lambda t: (-t[1], t[0]))[:n]

    nearest, lexical, names, words = best("nearest"), best("lexical"), best("names"), best("words")
    keep = {i for part in (nearest, lexical, names, words) for i, _ in part}

    def kept(attr: str) -> dict:
        return {i: v for p in parts for i, v in getattr(p, attr).items() if i in keep}

    return Candidates(nearest, lexical, kept("dense"), kept("langs"), kept("sentences"), names,
                      kept("sentence_cosines"), words=words)


def collection_stats(views: Sequence[_Loaded], terms: Iterable[str]) -> LexicalStats | None:
    """The lexical statistics of all shards together for `terms` (`qa.lexical_stats`); None
    without terms (no lexical search). Read in this thread: a shard's takes a few hundredths
    of a millisecond, less than handing it to another thread and back."""
    terms = list(dict.fromkeys(terms))
    if not terms:
        return None
    return LexicalStats.combine(v.store.lexical_stats(terms) for v in views)


def top_per_shard(found: Sequence[list[tuple[int, float]]], n: int) -> list[list[tuple[int, float]]]:
    """Of every shard's (local id, score) lists, best first, the entries among the `n` best
    over all shards (ties by global id, as `merge_candidates` orders them), per shard."""
    count = len(found)
    best = sorted(((-score, global_id(i, s, count), s, i, score) for s, part in enumerate(found) for i, score in part))
    out: list[list[tuple[int, float]]] = [[] for _ in found]
    for _, _, s, i, score in best[:n]:
        out[s].append((i, score))
    return out


def shard_budget(shards: int) -> float:
    """A shard's share of the lexical pruning's postings budget (`qa.lexical_plan.plan_terms`)
    when it plans with its own sampled statistics: together the shards scan what one index
    would, and keep the terms it would keep (the hash split makes pruned shards, >= 50k
    passages, all but equal in size). A search given the whole collection's statistics plans
    with those instead (`qa.lexical_plan.lexical_search`)."""
    return 1.0 / max(1, shards)


def possible_top(found: Candidates, qlang: str, mode: str, k: int,
                 calibration: Calibration = DEFAULT_CALIBRATION) -> list[int]:
    """The candidates of one shard that can be among the `k` best of the whole index, without
    knowing the other shards: the lexical weight of a fused score is divided by the best BM25
    over all shards, at least this shard's best, so a candidate's score is linear in a factor
    between 0 and its value here; one that `k` others of this shard beat at both ends is beaten
    throughout, and cannot be in the top `k`. (Lets a remote shard send the rows of its possible
    top passages with its candidates: one round trip.)"""
    ranked = rank_candidates(found, qlang, mode, calibration)
    if not ranked:
        return []
    ids = np.asarray([i for _, _, i in ranked])
    high = np.asarray([score for score, _, _ in ranked])
    scale, offset = calibration.dense_scale, calibration.cross_offset
    low = (np.asarray([scale * found.dense.get(int(i), 0.0) + (offset if found.langs.get(int(i)) != qlang else 0.0)
                       for i in ids])
           if mode == "hybrid" else high)
    beaten = ((low[None, :] > low[:, None]) & (high[None, :] > high[:, None])).sum(axis=1)
    return [int(i) for i in ids[beaten < k]]


def global_rows(rows: dict[int, dict], shard: int, shards: int) -> dict[int, dict]:
    """`Store.passages` rows of one shard keyed and labelled with the sharded index's ids."""
    out = {}
    for local, row in rows.items():
        gid = global_id(local, shard, shards)
        out[gid] = {**row, "id": gid, "doc_id": global_id(row["doc_id"], shard, shards)}
    return out


def global_document(found: dict | None, shard: int, shards: int) -> dict | None:
    """`Retriever.document` of one shard with the sharded index's ids."""
    if found is None:
        return None
    return {**found, "id": global_id(found["id"], shard, shards),
            "passages": [{**p, "id": global_id(p["id"], shard, shards)} for p in found["passages"]]}


def global_passages(rows: list[dict], shard: int, shards: int) -> list[dict]:
    """`Store.neighbours` / `Store.documents` rows with the sharded index's ids."""
    return [{**r, "id": global_id(r["id"], shard, shards)} for r in rows]


@dataclass
class _ShardSet:
    """One consistent set of shards: the data folder, its manifest and a `Retriever` per shard."""

    data: Path
    manifest: ShardManifest
    shards: list[Retriever]


class _Documents:
    """The documents of every shard, as `Store.documents()` gives them for one index."""

    def __init__(self, shard_set: _ShardSet) -> None:
        self._set = shard_set

    def documents(self) -> list[dict]:
        count = len(self._set.shards)
        docs = [d for s, r in enumerate(self._set.shards) for d in global_passages(r.store.documents(), s, count)]
        return sorted(docs, key=lambda d: d["source"])


class ShardedRetriever:
    """A sharded index and its model (`Retriever.open` returns one for a sharded index).
    Thread-safe for searching; open once, ask many times."""

    def __init__(self, directory: Path, model: str | None = None) -> None:
        self.directory = Path(directory)
        self._model = model
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()  # one refresh at a time (`Retriever.refresh`)
        self._pool: ThreadPoolExecutor | None = None
        self._words: tuple[tuple, WordVocabulary | None] | None = None  # (`_vocabulary`'s key, merged words)
        self._spelled: tuple[tuple, Vocabulary | None] | None = None  # (`_names`'s key, all shards' terms)
        self._retired: list[_ShardSet] = []
        self._warned: set[str] = set()
        self._sources = SourceCheck()  # cited files compared with what was indexed
        self._set = self._load()

    def _load(self) -> _ShardSet:
        data = current_data(self.directory)
        manifest = read_manifest(data)
        shards: list[Retriever] = []
        try:
            for name in manifest.shards:
                try:
                    shards.append(Retriever(data / name, self._model, nlist_scale=manifest.count))
                except IndexNotFound:
                    raise IndexNotFound(f"the sharded index at {self.directory} lacks its shard {name} (a first "
                                        f"build did not finish?): run `qa index PATH --index {self.directory}`") from None
        except BaseException:
            for shard in shards:
                shard.close()
            raise
        if len({s.encoder.name for s in shards}) > 1:
            for shard in shards:
                shard.close()
            raise BrokenIndex(f"the shards of {self.directory} were built with different models; rebuild it with "
                              f"`qa index PATH --index {self.directory} --rebuild`")
        return _ShardSet(data, manifest, shards)

    @property
    def shards(self) -> list[Retriever]:
        return self._set.shards

    encoder = property(lambda self: self._set.shards[0].encoder)
    generation = property(lambda self: tuple(shard.generation for shard in self._set.shards))
    identity = property(lambda self: self._set.manifest.identity)
    store = property(lambda self: _Documents(self._set))

    def _threads(self, count: int) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                # lexical searches and candidate gathering of every shard at once (both
                # release the GIL in SQLite and FAISS)
                self._pool = ThreadPoolExecutor(min(MAX_THREADS, 2 * count), thread_name_prefix="qa-shard")
            return self._pool

    def search(self, question: str, k: int = 5, mode: str = "hybrid", where: Where | dict | None = None,
               previous: Sequence[str] | None = None) -> list[Passage]:
        """The `k` passages of all shards that best answer `question`, best first (see
        `Retriever.search`; filters apply per document, so in every shard alike)."""
        return self.search_many([question], k, mode, where, None if previous is None else [previous])[0]

    def search_many(self, questions: Sequence[str], k: int = 5, mode: str = "hybrid",
                    where: Where | dict | None = None, previous: Sequence[Sequence[str] | None] | None = None
                    ) -> list[list[Passage]]:
        """`search` for each question, in order: the questions are embedded in one call to the
        model, and each shard searches its vectors for all of them in one FAISS call."""
        questions = clean_questions(questions)
        k, mode, where = check_k(k), check_mode(mode), as_where(where)
        priors = prior_questions(questions, previous)
        views = [shard._view for shard in self._set.shards]  # one view per shard throughout
        if unusable := next((v.unusable for v in views if v.unusable is not None), None):
            raise StaleIndex(unusable)
        if where is not None and where.folders:
            held = set().union(*(held_folders(v.store, where.folders) for v in views))
            check_folders(where, held, lambda: merge_choices([choices(v.store) for v in views])["folders"])
        topics = topics_of([p if p is not None and followup.reads_topic(q, mode) else None
                            for q, p in zip(questions, priors)], lambda asked: self.search_many(asked, 1, mode, where))
        out = widen_short(questions, priors, k, sum(v.vectors.size for v in views),
                          lambda qs, ps, n: self._search_with(views, qs, ps, k, mode, where, n, topics))
        answered(len(questions))  # the mapped tables' pages given back now and then (qa.mapped)
        return out

    def _search_with(self, views: list[_Loaded], questions: list[str], priors: list[str | None], k: int,
                     mode: str, where: Where | None, n: int, topics: dict[str, str] | None = None
                     ) -> tuple[list[list[Passage]], list[bool]]:
        """`search_many` in the shards' `views` with `n` candidates of each kind over all shards;
        with each question's hits, whether any of its candidate lists was full."""
        encoder = views[0].encoder
        pool = self._threads(len(views))
        passages = sum(v.vectors.size for v in views)
        budget = shard_budget(len(views))
        out: list[list[Passage]] = []
        full: list[bool] = []
        for first in range(0, len(questions), QUERY_BATCH):
            languages = lambda: frozenset().union(*(v.languages() for v in views))  # noqa: E731 (read when needed)
            batch = [Query.of(q, mode, p, languages, (topics or {}).get(p) if p else None)
                     for q, p in zip(questions[first:first + QUERY_BATCH], priors[first:first + QUERY_BATCH])]
            # once for all shards, the questions and their words to translate in one call
            vocabulary = self._vocabulary(views) if any(q.content for q in batch) else None
            qvecs, terms = question_terms(encoder, batch, vocabulary, lambda words: self._stored_words(views, words))
            # names met in the whole collection's terms, as one index meets them
            spelled = self._names(views) if any(q.words for q in batch) else None
            named = [spelled.matches(q.words) if spelled is not None and q.words else [] for q in batch]
            # BM25 with the whole collection's statistics for every lexical query of the batch
            stats = collection_stats(views, [t for q, nm, tr in zip(batch, named, terms)
                                             for t in chain(q.tokens or (), nm, tr)])
            lexical = [[submit_lexical(pool, v.store, q, n, where, budget, stats) for v in views] for q in batch]
            names = [[pool.submit(lexical_top, v.store, nm, n, where, budget, stats) if nm else None for v in views]
                     for nm in named]
            translated = [[pool.submit(lexical_top, v.store, t, n, where, budget, stats) if t else None
                           for v in views] for t in terms]
            nearest = [pool.submit(nearest_candidates, v, qvecs, n, mode, where) for v in views]
            nearest = [part.result() for part in nearest]  # [shard][question]
            for j, (q, qvec) in enumerate(zip(batch, qvecs)):
                # the candidates one index would have, then the costly part (stored vectors and
                # sentences) only for those, each in its shard: not n per shard
                near = [nearest[s][j] for s in range(len(views))]
                lex = [result_of(f) for f in lexical[j]]
                named = [result_of(f) for f in names[j]]
                said = [result_of(f) for f in translated[j]]
                kept_near, kept_lex, kept_names = top_per_shard(near, n), top_per_shard(lex, n), top_per_shard(named, n)
                kept_said = top_per_shard(said, n)
                parts = {s: pool.submit(describe_candidates, views[s], qvec, mode, kept_near[s], kept_lex[s],
                                        dict(near[s]), kept_names[s], words=kept_said[s])
                         for s in range(len(views)) if kept_near[s] or kept_lex[s] or kept_names[s] or kept_said[s]}
                found = merge_candidates([globalize(p.result(), s, len(views)) for s, p in parts.items()], n)
                ranked = rank_candidates(found, q.lang, mode, encoder.calibration)
                (top,), (also,), rows = read_shown([ranked], k, lambda ids: self._rows(views, ids),
                                                   lambda ids: self._places(views, ids), self._sources.outdated)
                covered = outside_coverages(ShardTerms(views), q, top, rows, model_languages(encoder), passages)
                out.append(make_passages(top, rows, encoder, q.text, qvec, found, passages, q.lang, also, q.prior,
                                         covered))
                self._sources.mark(out[-1], rows)
                full.append(candidates_full(found, n))
        return out, full

    def _vocabulary(self, views: Sequence[_Loaded]) -> WordVocabulary | None:
        """The words of all shards as one index's (`merge_vocabularies`), merged once per
        change of any shard; none above NAMES_MAX_PASSAGES passages in all, as one index."""
        key = tuple((str(v.store.path), v.store.builds()) for v in views)  # a rebuilt set has new paths
        with self._lock:
            if self._words is None or self._words[0] != key:
                small = sum(v.store.counts()[1] for v in views) <= NAMES_MAX_PASSAGES
                self._words = (key, merge_vocabularies([vocabulary_of(v, vectors=True) for v in views]) if small else None)
            return self._words[1]

    def _names(self, views: Sequence[_Loaded]) -> Vocabulary | None:
        """The terms of all shards by skeleton (`Store.names` of one index holding them), made
        once per change of any shard; none above NAMES_MAX_PASSAGES passages in all, as one index."""
        key = tuple((str(v.store.path), v.store.builds()) for v in views)
        with self._lock:
            if self._spelled is None or self._spelled[0] != key:
                small = sum(v.store.counts()[1] for v in views) <= NAMES_MAX_PASSAGES
                self._spelled = (key, Vocabulary(chain.from_iterable(v.store.vocabulary() for v in views))
                                 if small else None)
            return self._spelled[1]

    @staticmethod
    def _stored_words(views: Sequence[_Loaded], words: list[str]) -> dict[str, bytes]:
        """`Store.stored_word_vectors` over the shards (a spelling's vector is the same in each)."""
        found: dict[str, bytes] = {}
        for view in views:
            missing = [w for w in words if w not in found]
            if not missing:
                break
            found.update(view.store.stored_word_vectors(missing))
        return found

    @staticmethod
    def _rows(views: Sequence[_Loaded], ids: list[int]) -> dict[int, dict]:
        count = len(views)
        wanted: dict[int, list[int]] = {}
        for gid in ids:
            shard, local = split_id(gid, count)
            wanted.setdefault(shard, []).append(local)
        rows = {}
        for shard, local_ids in wanted.items():
            view = views[shard]
            rows.update(global_rows(add_hubs(view.store.passages(local_ids), view.store, view.encoder,
                                             context=view.context), shard, count))
        return rows

    @staticmethod
    def _places(views: Sequence[_Loaded], ids: list[int]) -> dict[int, tuple[str, str, dict]]:
        """`Store.places` of the shards' passages `ids` (global ids)."""
        count = len(views)
        wanted: dict[int, list[int]] = {}
        for gid in ids:
            shard, local = split_id(gid, count)
            wanted.setdefault(shard, []).append(local)
        return {global_id(local, shard, count): place for shard, local_ids in wanted.items()
                for local, place in views[shard].store.places(local_ids).items()}

    def refresh(self) -> bool:
        """Pick up what `qa index` wrote since: updated shards, or a rebuilt set of shards.
        True if anything changed."""
        with self._refresh_lock:
            return self._refresh()

    def _refresh(self) -> bool:
        current = self._set
        try:
            data = current_data(self.directory)
        except QAError as exc:
            self._warn_once(f"pointer:{exc}", f"{exc}; still answering from the index loaded before")
            return False
        if data == current.data:
            changed = [shard.refresh() for shard in current.shards]  # every shard, no short cut
            return any(changed)
        try:
            loaded = self._load()
        except QAError as exc:
            self._warn_once(f"swap:{data}", f"the index at {self.directory} was replaced but cannot be used "
                            f"({exc}); still answering from the index loaded before")
            return False
        with self._lock:
            self._set = loaded
            for old in self._retired:  # sets two swaps old: searches begun before the last swap are done
                for shard in old.shards:
                    shard.close()
            self._retired = [current]
        log.warning("the index at %s was rebuilt: now answering from it (%d shards)", self.directory,
                    len(loaded.shards))
        return True

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message)

    def stats(self) -> dict:
        shard_stats = [shard.stats() for shard in self._set.shards]
        kinds = sorted({s["index_type"] for s in shard_stats})
        return {"documents": sum(s["documents"] for s in shard_stats),
                "passages": sum(s["passages"] for s in shard_stats), "model": shard_stats[0]["model"],
                "index_type": f"{len(shard_stats)} shards: " + " / ".join(kinds), "index": str(self.directory),
                "shards": len(shard_stats)}

    def document(self, doc_id: int) -> dict | None:
        """An indexed document by its id in the index."""
        count = len(self._set.shards)
        shard, local = split_id(int(doc_id), count)
        return global_document(self._set.shards[shard].document(local), shard, count)

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        """A passage with its neighbouring passages in the same document, in order."""
        count = len(self._set.shards)
        shard, local = split_id(int(passage_id), count)
        return global_passages(self._set.shards[shard].context(local, before, after), shard, count)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        for shard_set in [*self._retired, self._set]:
            for shard in shard_set.shards:
                shard.close()
        self._retired = []
