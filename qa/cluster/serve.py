"""`qa serve --index DIR --ray ADDRESS [--replicas R]`: a sharded index served by Ray Serve.

One Serve deployment per shard, R replicas each (the shard's store, FAISS index and sentence
vectors loaded once per replica; no model: a shard never embeds). The `qa serve` process is
the ingress: it embeds the question once, fans it out to every shard, merges and ranks as
`ShardedRetriever.search` does, and serves the same chat and `/ask` API (qa/cluster/chat.py).
A shard that cannot answer (all its replicas gone) leaves the reply partial: the passages of
the other shards, with `partial: true` and the missing shards in every passage of the API
answer and a notice in the chat.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from ..answer import ScoredSentences
from ..compat import check_fingerprint, check_model, check_probe
from ..encoder import CALIBRATIONS, Calibration, encoders
from ..errors import IndexNotFound, QAError, StaleIndex
from ..filters import Where, as_where, check_folders, choices, held_folders, merge_choices
from ..freshness import SourceCheck
from ..layout import current_data
from ..notices import model_languages
from ..lexical_stats import LexicalStats
from ..records import Passage
from ..retrieval import (CANDIDATES, WIDEN, WIDEST, Candidates, Query, Retriever, candidates_full, check_k,
                         check_mode, clean_question, distinct_top, gather_candidates, make_passages, places_of,
                         outside_coverages, prior_questions, question_terms, rank_candidates, vocabulary_of,
                         topics_of, with_spare)
from .. import followup
from ..sharded import (global_document, global_passages, global_rows, globalize, merge_candidates, possible_top,
                       shard_budget)
from ..shards import global_id, is_sharded, read_manifest, split_id
from ..store import DB_NAME, NAMES_MAX_PASSAGES, Store
from ..transliterate import Vocabulary
from ..web_examples import MAX_EXAMPLES, examples_from
from ..word_translation import WordVocabulary, merge_vocabularies
from . import connect

log = logging.getLogger("qa")

# How long the ingress waits for a shard before answering without it.
SHARD_TIMEOUT_S = float(os.environ.get("QA_SHARD_TIMEOUT", "10"))
# By default a Serve replica hands each request to a second event loop in its own thread,
# which hands a sync method to a thread pool: two thread hops each way, milliseconds apiece
# on a busy machine, for a shard's few milliseconds of FAISS and SQLite. Here a shard's
# methods run on the replica's own loop, one request at a time per replica (more at once:
# more replicas). No access log line per request either.
REPLICA_ENV = {"RAY_SERVE_RUN_USER_CODE_IN_SEPARATE_THREAD": "0", "RAY_SERVE_RUN_SYNC_IN_THREADPOOL": "0"}


class ShardsUnavailable(QAError):
    """No shard of the index answered."""


@dataclass
class _NoModel:
    """A shard replica's stand-in for the index's model: its name and dimension, never loaded
    (the ingress embeds the question; a shard only compares vectors)."""

    name: str
    dimension: int
    max_chars: int
    calibration: Calibration = field(default_factory=Calibration)
    loaded: bool = False
    fingerprint: str | None = None  # never loaded: nothing of its own to check against the index

    def encode_query(self, text: str) -> np.ndarray:
        raise QAError("a shard replica does not embed: the ingress sends the query vector")

    def encode_queries(self, texts) -> np.ndarray:
        return self.encode_query("")

    def probe(self) -> None:
        return None  # what the model gives is checked by the ingress, which loads it (`deploy`)


class ShardReplica:
    """A Serve replica of one shard: an ordinary `Retriever` of that shard, without its model."""

    def __init__(self, shard_dir: str, number: int, count: int) -> None:
        store = Store(current_data(shard_dir) / DB_NAME)
        try:
            meta = store.meta()
        finally:
            store.close()
        name = meta["model"]
        with encoders._lock:  # `Retriever` takes its model from this cache
            encoders._encoders.setdefault(name, _NoModel(name, int(meta["dimension"]),
                                                         int(meta.get("max_chars", 1500)),
                                                         CALIBRATIONS.get(name, Calibration())))
        self.retriever = Retriever(Path(shard_dir), nlist_scale=count)
        self.number, self.count = number, count

    def _view(self, refresh: bool = True):
        """The shard's view to answer from (picked up anew with `refresh`): refused, as
        `Retriever.search` refuses it, once another qa has re-tokenized the shard in place."""
        if refresh:
            self.retriever.refresh()
        view = self.retriever._view
        if view.unusable is not None:
            raise StaleIndex(view.unusable)
        return view

    def candidates(self, qvec: np.ndarray, tokens: list[str] | None, n: int, mode: str, qlang: str, k: int,
                   where: Where | None, calibration: Calibration, names: list[str] | None = None,
                   translated: list[str] | None = None, stats: LexicalStats | None = None
                   ) -> tuple[Candidates, dict[int, dict], int]:
        """This shard's candidates (global ids), the rows of those that can be in the top `k`,
        and the shard's passage count. `names`: the index terms that spell the question's names
        in another script (`ServedRetriever._names`); `translated`: the tokens of the index words
        nearest to the question's words (`qa.retrieval.question_terms`); `stats`: the lexical
        statistics of all shards (`lexical_stats`), which BM25 scores with."""
        view = self._view()  # documents added to the shard since
        found = gather_candidates(view, qvec, tokens, n, mode, where, budget=shard_budget(self.count),
                                  translated=translated, stats=stats, names_terms=names or [])
        local_ids = possible_top(found, qlang, mode, k, calibration)
        rows = global_rows(view.store.passages(local_ids), self.number, self.count)
        # sentences only where an answer may be picked, scored here: a float each, not a vector
        found.sentences = {i: ScoredSentences.of(found.sentences[i], qvec) for i in local_ids if i in found.sentences}
        found.sentence_cosines = {}  # what the scored sentences hold: not sent twice
        return globalize(found, self.number, self.count), rows, view.vectors.size

    def lexical_stats(self, terms: list[str]) -> LexicalStats:
        """This shard's lexical statistics for `terms` (`Store.lexical_stats`), to be summed."""
        return self._view().store.lexical_stats(terms)

    def terms(self) -> tuple[list[str], int]:
        """This shard's lexical terms (`Store.vocabulary`; none above NAMES_MAX_PASSAGES passages)
        and its passage count."""
        store = self._view().store
        count = store.counts()[1]
        return (store.vocabulary() if count <= NAMES_MAX_PASSAGES else []), count

    def vocabulary(self) -> tuple[WordVocabulary | None, int, dict[str, bytes]]:
        """This shard's stored words (`qa.word_translation`), its passage count, and the stored
        vectors of its words that no passage holds (`Store.idle_word_vectors`): with the
        words', every stored vector a question word can take (`ServedRetriever._stored_words`)."""
        view = self._view()
        words = vocabulary_of(view, vectors=True)
        return words, view.store.counts()[1], view.store.idle_word_vectors() if words is not None else {}

    def languages(self) -> frozenset[str]:
        """This shard's passages' languages (`Store.languages`)."""
        return self._view().languages()

    def rows(self, local_ids: list[int], qvec: np.ndarray) -> tuple[dict[int, dict], dict[int, ScoredSentences]]:
        """Stored rows and scored sentences of these passages (global ids)."""
        view = self._view(refresh=False)
        sentences = view.store.sentence_vectors(local_ids, view.encoder.dimension)
        return (global_rows(view.store.passages(local_ids), self.number, self.count),
                {global_id(i, self.number, self.count): ScoredSentences.of(v, qvec) for i, v in sentences.items()})

    def document(self, local_id: int) -> dict | None:
        return global_document(self.retriever.document(local_id), self.number, self.count)

    def context(self, local_id: int, before: int, after: int) -> list[dict]:
        return global_passages(self.retriever.context(local_id, before, after), self.number, self.count)

    def documents(self) -> list[dict]:
        self.retriever.refresh()
        return global_passages(self.retriever.store.documents(), self.number, self.count)

    def generation(self) -> int:
        self.retriever.refresh()
        return self.retriever.generation

    def stats(self) -> dict:
        self.retriever.refresh()
        return self.retriever.stats()

    def choices(self) -> dict[str, list[str]]:
        return choices(self.retriever.store)

    def term_passages(self, terms: list[str]) -> dict[str, int]:
        """How many of this shard's passages hold each of `terms` (`Store.term_passages`)."""
        return self._view().store.term_passages(terms)

    def holding(self, terms: list[str], local_ids: list[int]) -> dict[int, set[str]]:
        """Which of `terms` each of this shard's passages `local_ids` holds, by global id (`Store.holding`)."""
        held = self._view(refresh=False).store.holding(terms, local_ids)
        return {global_id(i, self.number, self.count): t for i, t in held.items()}

    def held_folders(self, folders: list[str]) -> set[str]:
        """Those of `folders` that hold a document of this shard (`qa.filters.held_folders`)."""
        self.retriever.refresh()
        return held_folders(self.retriever.store, folders)

    def examples(self) -> list[str]:
        return examples_from(self.retriever.store)


@dataclass(frozen=True)
class _TermsOnRay:
    """The shards on Ray as one lexical index for `qa.outside.coverages` (as `qa.sharded.ShardTerms`
    is for shards in one process): a term's passages counted over the shards that answer."""

    served: "ServedRetriever"

    def term_passages(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in self.served._each("term_passages", list(terms)):
            for t, n in (part or {}).items():
                out[t] = out.get(t, 0) + n
        return out

    def holding(self, terms: Sequence[str], ids: Sequence[int]) -> dict[int, set[str]]:
        wanted: dict[int, list[int]] = {}
        for gid in ids:
            shard, local = split_id(gid, len(self.served.handles))
            wanted.setdefault(shard, []).append(local)
        out: dict[int, set[str]] = {}
        for shard, local_ids in wanted.items():
            try:
                out.update(self.served._call_once(shard, "holding", list(terms), local_ids))
            except Exception as exc:  # gone since its rows were read: its passages hold nothing here
                _warn(shard, exc)
        return out


class ShardHits(list):
    """`search`'s passages, and the shards that did not answer."""

    missing_shards: list[int]

    def __init__(self, hits: list[Passage], missing: list[int]) -> None:
        super().__init__(hits)
        self.missing_shards = missing

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)


class _Documents:
    """The documents of every answering shard, as `Store.documents()` gives them."""

    def __init__(self, retriever: "ServedRetriever") -> None:
        self._r = retriever

    def documents(self) -> list[dict]:
        docs = [d for rows in self._r._each("documents") if rows for d in rows]
        return sorted(docs, key=lambda d: d["source"])


def _refused(exc: BaseException) -> None:
    """Raise the refusal of a shard that another qa re-tokenized in place (`ShardReplica._view`),
    as `ShardedRetriever` does: answered without that shard, the reply would be partial with no
    reason given (the shard is there, and says what to do)."""
    if isinstance(exc, StaleIndex):
        cause = getattr(exc, "cause", None)  # Ray's error carries the replica's own as its cause
        raise StaleIndex(str(cause if isinstance(cause, StaleIndex) else exc)) from None


def _warn(shard: int, exc: BaseException) -> None:
    lines = str(exc).strip().splitlines()
    log.warning("shard %d did not answer (%s%s)", shard, type(exc).__name__, f": {lines[-1]}" if lines else "")


class ServedRetriever:
    """`Retriever`'s interface (what `qa.web_app.ChatApp` and the API use) over the Serve
    deployments of a sharded index's shards. Read-only: documents are added with `qa index`."""

    def __init__(self, directory: Path, handles: list, model: str, identity: str, apps: list[str],
                 timeout_s: float = SHARD_TIMEOUT_S) -> None:
        self.directory = Path(directory)
        # Serve's own gRPC channel to the replica its router picks (`_by_reference=False`),
        # rather than a Ray actor call whose reply comes back streamed in two parts (the
        # replica's accept, then the result): about half of a shard call's cost here.
        self.handles = [h.options(_by_reference=False) for h in handles]
        self.encoder = encoders.get(model)
        self.identity = identity
        self.apps = apps
        self.timeout_s = timeout_s
        # (shard generations, merged words, {spelling: its row in them}, {spelling: stored vector} of idle words)
        self._words: tuple[tuple, WordVocabulary | None, dict[str, int], dict[str, bytes]] | None = None
        self._langs: tuple[tuple, frozenset[str]] | None = None  # (shard generations, their passages' languages)
        self._spelled: tuple[tuple, Vocabulary | None] | None = None  # (shard generations, all shards' terms)
        self._sources = SourceCheck()

    store = property(lambda self: _Documents(self))

    @property
    def generation(self) -> tuple:
        """The shards' generations (None for a shard that did not answer): changes when any shard does."""
        return tuple(self._each("generation"))

    def _call_once(self, shard: int, method: str, *args):
        return getattr(self.handles[shard], method).remote(*args).result(timeout_s=self.timeout_s)

    def _call(self, shard: int, method: str, *args):
        """`method` of one shard; a call that fails (a replica that died) is tried once more,
        which Serve routes to a live replica if the shard has one."""
        try:
            return self._call_once(shard, method, *args)
        except Exception as exc:  # any failure of a remote shard
            _refused(exc)
            _warn(shard, exc)
        return self._call_once(shard, method, *args)

    def _each(self, method: str, *args) -> list:
        """`method` on every shard at once; None for a shard that did not answer (tried twice)."""
        responses = [getattr(h, method).remote(*args) for h in self.handles]
        out = []
        for number, response in enumerate(responses):
            try:
                out.append(response.result(timeout_s=self.timeout_s))
                continue
            except Exception as exc:  # any failure of a remote shard: once more, then answer without it
                _refused(exc)
                _warn(number, exc)
            try:
                out.append(self._call_once(number, method, *args))
            except Exception as exc:
                _refused(exc)
                _warn(number, exc)
                out.append(None)
        return out

    def refresh(self) -> bool:
        return False  # each replica picks up its shard's updates itself

    def _vocabulary(self) -> WordVocabulary | None:
        """All shards' words as one index's (`qa.word_translation.merge_vocabularies`), fetched
        again when any shard's generation moved (one round trip to ask; shards that do not
        answer are left out, as from the search); none above NAMES_MAX_PASSAGES passages in
        all, as one index."""
        key = self.generation
        if self._words is None or self._words[0] != key:
            parts = [p for p in self._each("vocabulary") if p is not None]
            small = sum(count for _, count, _ in parts) <= NAMES_MAX_PASSAGES
            merged = merge_vocabularies([v for v, _, _ in parts]) if small else None
            rows = {word: row for row, (word, _) in enumerate(merged.keys)} if merged is not None else {}
            idle = {w: v for _, _, vectors in parts for w, v in vectors.items()} if merged is not None else {}
            self._words = (key, merged, rows, idle)
        return self._words[1]

    def _stored_words(self, words: list[str]) -> dict[str, bytes]:
        """`Store.stored_word_vectors` over all shards, from what `_vocabulary` fetched (no round
        trip): the question words the index holds take their stored vectors, as in one index."""
        if self._words is None:
            return {}
        _, merged, rows, idle = self._words
        found = {w: merged.vectors[rows[w]].astype(np.float16).tobytes() for w in words if w in rows}
        found.update((w, idle[w]) for w in words if w not in found and w in idle)
        return found

    def _names(self) -> Vocabulary | None:
        """All shards' terms by skeleton, as one index's `Store.names`, fetched again when any
        shard's generation moved; none above NAMES_MAX_PASSAGES passages in all, as one index."""
        key = self.generation
        if self._spelled is None or self._spelled[0] != key:
            parts = [p for p in self._each("terms") if p is not None]
            small = sum(count for _, count in parts) <= NAMES_MAX_PASSAGES
            self._spelled = (key, Vocabulary(t for terms, _ in parts for t in terms) if small else None)
        return self._spelled[1]

    def _stats(self, terms: list[str]) -> LexicalStats | None:
        """The lexical statistics of the answering shards together for `terms` (one round trip);
        None without terms."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return None
        return LexicalStats.combine(p for p in self._each("lexical_stats", terms) if p is not None)

    def _languages(self) -> frozenset[str]:
        """All shards' passages' languages, asked again when any shard's generation moved."""
        key = self.generation
        if self._langs is None or self._langs[0] != key:
            self._langs = (key, frozenset().union(*(p for p in self._each("languages") if p is not None)))
        return self._langs[1]

    def search(self, question: str, k: int = 5, mode: str = "hybrid", where: Where | dict | None = None,
               previous: Sequence[str] | None = None) -> ShardHits:
        """`ShardedRetriever.search` with the shards on Ray Serve: the same passages in the same
        order; `missing_shards` names the shards that did not answer."""
        k, mode, where = check_k(k), check_mode(mode), as_where(where)
        question = clean_question(question)
        if where is not None and where.folders:
            held = self._each("held_folders", list(where.folders))
            if None not in held:  # (a shard that did not answer may hold the folder)
                check_folders(where, set().union(*held), lambda: self.filter_choices()["folders"])
        prior = prior_questions([question], None if previous is None else [previous])[0]
        topic = (topics_of([prior], lambda asked: [self.search(asked[0], 1, mode, where)]).get(prior)
                 if prior is not None and followup.reads_topic(question, mode) else None)
        query = Query.of(question, mode, prior, self._languages, topic)  # cached by generation
        question, qlang = query.text, query.lang
        n = max(CANDIDATES, k * 2)
        vocabulary = self._vocabulary() if query.content else None
        qvecs, terms = question_terms(self.encoder, [query], vocabulary, self._stored_words)  # once, here
        qvec = qvecs[0]
        spelled = self._names() if query.words else None
        names = spelled.matches(query.words) if spelled is not None else []
        # BM25 in every shard with the statistics of all: the passages one index would rank
        stats = self._stats([*(query.tokens or ()), *names, *terms[0]])
        calibration = self.encoder.calibration
        while True:
            parts = self._each("candidates", qvec, query.tokens, n, mode, qlang, with_spare(k), where, calibration,
                               names, terms[0], stats)
            missing = [number for number, part in enumerate(parts) if part is None]
            if len(missing) == len(parts):
                raise ShardsUnavailable("no shard of the index answered: check the Ray cluster (`ray status`)")
            answered = [p for p in parts if p is not None]
            found = merge_candidates([p[0] for p in answered], n)
            every = rank_candidates(found, qlang, mode, calibration)
            ranked = every[:with_spare(k)]
            rows: dict[int, dict] = {}
            for part in answered:
                rows.update(part[1])
            # rare (see `possible_top`): fetched in a second round trip
            self._fetch_rows([gid for _, _, gid in ranked if gid not in rows], rows, found, missing, qvec)
            top, also = distinct_top(ranked, places_of(rows), k, self._sources.outdated)
            if len(top) < k and len(every) > len(ranked):
                # more copies than the spare (a mail footer in every message): the other candidates too
                self._fetch_rows([gid for _, _, gid in every[len(ranked):] if gid not in rows], rows, found, missing,
                                 qvec)
                top, also = distinct_top(every, places_of(rows), k, self._sources.outdated)
            if len(top) >= k or not candidates_full(found, n) or n >= min(sum(p[2] for p in answered), WIDEST):
                break
            n = min(n * WIDEN, WIDEST)  # more copies than candidates: searched again with more (`widen_short`)
        passages = sum(p[2] for p in answered)
        covered = outside_coverages(_TermsOnRay(self), query, top, rows, model_languages(self.encoder), passages)
        hits = make_passages(top, rows, self.encoder, question, qvec, found, passages, qlang, also, prior, covered)
        self._sources.mark(hits, rows)  # the files, where this process sees them (else nothing is said)
        return ShardHits(hits, sorted(set(missing)))

    def _fetch_rows(self, gids: list[int], rows: dict[int, dict], found: Candidates, missing: list[int],
                    qvec: np.ndarray) -> None:
        """The stored rows (into `rows`) and scored sentences (into `found`) of passages `gids`,
        one call per shard; a shard gone meanwhile joins `missing`, its passages left out."""
        wanted: dict[int, list[int]] = {}
        for gid in gids:
            shard, local = split_id(gid, len(self.handles))
            wanted.setdefault(shard, []).append(local)
        for shard, ids in wanted.items():
            try:
                more, sentences = self._call_once(shard, "rows", ids, qvec)
                rows.update(more)
                found.sentences.update(sentences)
            except Exception as exc:  # gone between the two calls: its passages are left out
                _refused(exc)
                _warn(shard, exc)
                if shard not in missing:
                    missing.append(shard)

    def _one(self, gid: int, method: str, *args):
        shard, local = split_id(int(gid), len(self.handles))
        try:
            return self._call(shard, method, local, *args)
        except Exception as exc:  # a shard that cannot answer: nothing to show from it
            _warn(shard, exc)
            return None

    def document(self, doc_id: int) -> dict | None:
        return self._one(doc_id, "document")

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        return self._one(passage_id, "context", before, after) or []

    def filter_choices(self) -> dict[str, list[str]]:
        parts = [c for c in self._each("choices") if c]
        return merge_choices(parts) if parts else {"folders": [], "folder_tree": [], "langs": [], "dates": []}

    def examples(self) -> list[str]:
        found: list[str] = []
        for some in self._each("examples"):
            found.extend(e for e in some or [] if e not in found)
        return found[:MAX_EXAMPLES]

    def stats(self) -> dict:
        parts = [s for s in self._each("stats") if s]
        return {"documents": sum(s["documents"] for s in parts), "passages": sum(s["passages"] for s in parts),
                "model": self.encoder.name, "index_type": f"{len(self.handles)} shards on Ray Serve",
                "index": str(self.directory), "shards": len(self.handles), "shards_answering": len(parts)}

    def undeploy(self) -> None:
        """Delete the shards' Serve applications."""
        from ray import serve

        for name in self.apps:
            serve.delete(name, _blocking=False)

    def close(self) -> None:
        pass


def app_name(identity: str, number: int) -> str:
    return f"qa-{identity}-{number:03d}"


def ingress_model(data: Path, manifest, index: Path) -> str:
    """The model the ingress embeds questions with (the shards' replicas never load it), loaded
    here and checked against the index as `Retriever` checks it: what it is and what it gives."""
    store = Store(current_data(data / manifest.shards[0]) / DB_NAME)
    try:
        meta = store.meta()
        model = check_model(meta, None, index)
        encoder = encoders.get(model)
        check_fingerprint(meta, encoder.fingerprint, index)
        check_probe(meta, encoder, index, lambda: store.first_passage(encoder.dimension))
    finally:
        store.close()
    return encoder.name


def deploy(index: str | os.PathLike, address: str = "auto", replicas: int = 1, num_cpus: float = 0.1,
           spread: bool = False) -> ServedRetriever:
    """One Serve application per shard of the sharded index at `index`, `replicas` replicas
    each (with `spread`, at most one per node); returns the ingress's retriever."""
    if replicas < 1:
        raise QAError(f"--replicas must be at least 1 (got {replicas})")
    if not is_sharded(index):
        if not (current_data(index) / DB_NAME).exists():
            raise IndexNotFound(f"no index at {index}: build one with `qa index PATH --index {index} --shards N`")
        raise QAError(f"the index at {index} is not sharded: `qa serve --ray` serves a sharded index; split it "
                      f"with `qa index PATH --index {index} --shards N --rebuild`, or serve it without --ray")
    data = current_data(index)
    manifest = read_manifest(data)
    model = ingress_model(data, manifest, Path(index))
    connect(address)
    from ray import serve

    serve.start(proxy_location="Disabled")
    targets = []
    for number, name in enumerate(manifest.shards):
        app = serve.deployment(ShardReplica, name=f"shard-{number:03d}", num_replicas=replicas,
                               ray_actor_options={"num_cpus": num_cpus, "runtime_env": {"env_vars": REPLICA_ENV}},
                               logging_config={"enable_access_log": False}, max_ongoing_requests=16,
                               max_replicas_per_node=1 if spread else None)
        targets.append(serve.RunTarget(app.bind(str((data / name).resolve()), number, manifest.count),
                                       name=app_name(manifest.identity, number), route_prefix=None))
    handles = serve.run_many(targets)  # every shard's replicas start at once
    apps = [target.name for target in targets]
    return ServedRetriever(Path(index), handles, model, manifest.identity, apps)


def serve_on_ray(index: str = "index", address: str = "auto", replicas: int = 1, host: str = "127.0.0.1",
                 port: int = 7860, auth: tuple[str, str] | None = None, no_auth: bool = False) -> int:
    """`qa serve --ray`: deploy the shards, then serve the chat from this process; blocks."""
    import uvicorn

    from ..web import check_host, create_server_app, is_loopback, model_label
    from .chat import ServedChatApp

    warning = check_host(host, auth, no_auth)
    if warning:
        print(warning, file=sys.stderr)
    retriever = deploy(index, address, replicas)
    retriever.search("warm up", k=1)
    app = create_server_app(retriever, auth, loopback=is_loopback(host), app=ServedChatApp(retriever))
    s = retriever.stats()
    print(f"qa: {s['documents']} documents, {s['passages']} passages in {s['shards']} shards on Ray Serve "
          f"({replicas} replica{'s' if replicas > 1 else ''} each), model {model_label(s['model'])}; "
          "read-only (add documents with `qa index`)", file=sys.stderr)
    print(f"qa: serving on http://{host or '0.0.0.0'}:{port}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
