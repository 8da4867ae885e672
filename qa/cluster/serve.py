"""`qa serve --index DIR --ray ADDRESS [--replicas R]`: a sharded index served by Ray Serve.

One Serve deployment per shard, R replicas each (the shard's store, FAISS index and sentence
vectors loaded once per replica; no model: a shard never embeds). The `qa serve` process is
the ingress: it embeds the question once, fans it out to every shard, merges and ranks as
`ShardedRetriever.search` does, and serves the same chat and `/ask` API. A shard that cannot
answer (all its replicas gone) leaves the reply partial: the passages of the other shards,
with `partial: true` and the missing shards in every passage of the API answer and a notice
in the chat.
"""
from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np

from ..encoder import encoders
from ..errors import BadQuestion, QAError
from ..language import detect_language, query_tokens
from ..layout import current_data
from ..records import Passage
from ..retrieval import (CANDIDATES, MODES, Candidates, Retriever, check_k, clean_question, gather_candidates,
                         make_passages, rank_candidates)
from ..sharded import global_document, global_passages, global_rows, globalize, merge_candidates, possible_top
from ..shards import read_manifest, split_id
from ..store import DB_NAME, Store
from . import connect

log = logging.getLogger("qa")

# How long the ingress waits for a shard before answering without it.
SHARD_TIMEOUT_S = float(os.environ.get("QA_SHARD_TIMEOUT", "10"))


class ShardsUnavailable(QAError):
    pass


class ShardReplica:
    """A Serve replica of one shard: an ordinary `Retriever` of that shard, without its model."""

    def __init__(self, shard_dir: str, number: int, count: int) -> None:
        from .index import PrecomputedEncoder

        store = Store(current_data(shard_dir) / DB_NAME)
        try:
            meta = store.meta()
        finally:
            store.close()
        # the shard searches with the ingress's query vector: give it the model's name and
        # dimension without loading the model
        with encoders._lock:
            encoders._encoders.setdefault(meta["model"], PrecomputedEncoder(
                meta["model"], int(meta.get("max_chars", 1500)), {}, int(meta["dimension"])))
        self.retriever = Retriever(Path(shard_dir))
        self.number, self.count = number, count

    def candidates(self, qvec: np.ndarray, tokens: list[str] | None, n: int, mode: str, qlang: str,
                   k: int) -> tuple[Candidates, dict[int, dict]]:
        """This shard's candidates, and the rows of those that can be in the top `k`."""
        self.retriever.refresh()  # documents added to the shard since
        view = self.retriever._view
        lexical = None
        if tokens is not None:
            lexical = Future()
            lexical.set_result(view.store.lexical_search(tokens, n))
        found = gather_candidates(view, qvec, n, mode, lexical)
        local_ids = possible_top(found, qlang, mode, k)
        rows = global_rows(view.store.passages(local_ids), self.number, self.count)
        return globalize(found, self.number, self.count), rows

    def rows(self, local_ids: list[int]) -> dict[int, dict]:
        return global_rows(self.retriever._view.store.passages(local_ids), self.number, self.count)

    def document(self, local_id: int) -> dict | None:
        return global_document(self.retriever.document(local_id), self.number, self.count)

    def context(self, local_id: int, before: int, after: int) -> list[dict]:
        return global_passages(self.retriever.context(local_id, before, after), self.number, self.count)

    def documents(self) -> list[dict]:
        return global_passages(self.retriever.store.documents(), self.number, self.count)

    def stats(self) -> dict:
        return self.retriever.stats()


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
    def __init__(self, retriever: "ServedRetriever") -> None:
        self._r = retriever

    def documents(self) -> list[dict]:
        docs = [d for rows in self._r._each("documents") if rows for d in rows]
        return sorted(docs, key=lambda d: d["source"])


class ServedRetriever:
    """`Retriever`'s interface over the Serve deployments of a sharded index's shards."""

    def __init__(self, directory: Path, handles: list, model: str, timeout_s: float = SHARD_TIMEOUT_S) -> None:
        self.directory = Path(directory)
        self.handles = handles
        self.encoder = encoders.get(model)
        self.timeout_s = timeout_s

    store = property(lambda self: _Documents(self))

    def _each(self, method: str, *args) -> list:
        """`method` on every shard; None for a shard that did not answer."""
        responses = [getattr(h, method).remote(*args) for h in self.handles]
        out = []
        for number, response in enumerate(responses):
            try:
                out.append(response.result(timeout_s=self.timeout_s))
            except Exception as exc:  # any failure of a remote shard: answer without it
                log.warning("shard %d did not answer (%s: %s)", number, type(exc).__name__, str(exc).strip().splitlines()[-1:])
                out.append(None)
        return out

    def search(self, question: str, k: int = 5, mode: str = "hybrid") -> ShardHits:
        question = clean_question(question)
        k = check_k(k)
        if mode not in MODES:
            raise BadQuestion(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        qlang = detect_language(question)
        n = max(CANDIDATES, k * 2)
        tokens = query_tokens(question, qlang) if mode != "dense" else None
        qvec = self.encoder.encode_query(question)  # once, here
        parts = self._each("candidates", qvec, tokens, n, mode, qlang, k)
        missing = [number for number, part in enumerate(parts) if part is None]
        if len(missing) == len(parts):
            raise ShardsUnavailable("no shard of the index could answer: check the Ray cluster (`ray status`)")
        found = merge_candidates([p[0] for p in parts if p is not None], n)
        top = rank_candidates(found, qlang, mode)[:k]
        rows: dict[int, dict] = {}
        for part in parts:
            if part is not None:
                rows.update(part[1])
        wanted: dict[int, list[int]] = {}
        for _, _, gid in top:
            if gid not in rows:  # not expected (see `possible_top`): fetched in a second round trip
                shard, local = split_id(gid, len(self.handles))
                wanted.setdefault(shard, []).append(local)
        responses = {shard: self.handles[shard].rows.remote(ids) for shard, ids in wanted.items()}
        for shard, response in responses.items():
            try:
                rows.update(response.result(timeout_s=self.timeout_s))
            except Exception as exc:  # gone between the two calls: its passages are left out
                log.warning("shard %d did not answer (%s: %s)", shard, type(exc).__name__, str(exc).strip().splitlines()[-1:])
                missing.append(shard)
        hits = make_passages(top, rows, self.encoder, question, qvec, found.sentences)
        return ShardHits(hits, sorted(set(missing)))

    def _one(self, gid: int, method: str, *args):
        shard, local = split_id(int(gid), len(self.handles))
        try:
            return getattr(self.handles[shard], method).remote(local, *args).result(timeout_s=self.timeout_s)
        except Exception as exc:  # a shard that cannot answer: nothing to show from it
            log.warning("shard %d did not answer (%s: %s)", shard, type(exc).__name__, str(exc).strip().splitlines()[-1:])
            return None

    def document(self, doc_id: int) -> dict | None:
        return self._one(doc_id, "document")

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        return self._one(passage_id, "context", before, after) or []

    def refresh(self) -> bool:
        return False  # each replica picks up its shard's updates itself

    def stats(self) -> dict:
        parts = [s for s in self._each("stats") if s]
        return {"documents": sum(s["documents"] for s in parts), "passages": sum(s["passages"] for s in parts),
                "model": self.encoder.name, "index_type": f"{len(self.handles)} shards on Ray Serve",
                "index": str(self.directory), "shards": len(self.handles), "shards_answering": len(parts)}

    def close(self) -> None:
        pass


def deploy(index: str | os.PathLike, address: str = "auto", replicas: int = 1, num_cpus: float = 0.1,
           spread: bool = False) -> ServedRetriever:
    """One Serve application per shard of the sharded index at `index`, `replicas` replicas
    each (with `spread`, at most one per node); returns the ingress's retriever."""
    if replicas < 1:
        raise QAError(f"--replicas must be at least 1 (got {replicas})")
    data = current_data(index)
    manifest = read_manifest(data)  # an error for an index that is not sharded
    connect(address)
    from ray import serve

    serve.start(proxy_location="Disabled")
    handles = []
    for number, name in enumerate(manifest.shards):
        app = serve.deployment(ShardReplica, name=f"shard-{number:03d}", num_replicas=replicas,
                               ray_actor_options={"num_cpus": num_cpus}, max_ongoing_requests=16,
                               max_replicas_per_node=1 if spread else None)
        handles.append(serve.run(app.bind(str((data / name).resolve()), number, manifest.count),
                                 name=app_name(manifest.identity, number), route_prefix=None))
    model = manifest.model or Retriever(data / manifest.shards[0]).encoder.name
    return ServedRetriever(Path(index), handles, model)


def app_name(identity: str, number: int) -> str:
    return f"qa-{identity}-{number:03d}"


def partial_notice(missing: list[int]) -> str:
    shards = ", ".join(str(m) for m in missing)
    return (f'<p class="qa-weak">⚠ Partial answer: shard{"s" if len(missing) > 1 else ""} {shards} of the index '
            "did not answer; passages they hold are missing.</p>")


def chat_app(retriever: ServedRetriever):
    """The chat's functions over a served index: a partial reply says so."""
    from ..render import error_reply, reply
    from ..web import ChatApp

    class ServedChatApp(ChatApp):
        def chat(self, question: str, k: float = 5) -> tuple[str, list[dict[str, Any]]]:
            try:
                hits = self.retriever.search(question, int(k))
            except QAError as exc:
                return error_reply(str(exc)), []
            contexts = {h.id: self.retriever.context(h.id) for h in hits}
            html = reply(hits, contexts)
            if hits.partial:
                html = partial_notice(hits.missing_shards) + html
            return html, self._dicts(hits)

        def ask(self, question: str, k: int = 5) -> list[dict[str, Any]]:
            try:
                return self._dicts(self.retriever.search(question, k))
            except QAError as exc:
                from ..web import _gradio

                raise _gradio().Error(str(exc)) from None

        @staticmethod
        def _dicts(hits: ShardHits) -> list[dict[str, Any]]:
            extra = {"partial": True, "missing_shards": hits.missing_shards} if hits.partial else {}
            return [{**h.to_dict(), **extra} for h in hits]

    return ServedChatApp(retriever)


def serve_on_ray(index: str = "index", address: str = "auto", replicas: int = 1, host: str = "127.0.0.1",
                 port: int = 7860, auth: tuple[str, str] | None = None, no_auth: bool = False) -> int:
    """`qa serve --ray`: deploy the shards, then serve the chat from this process; blocks."""
    import uvicorn

    from ..web import check_host, create_server_app

    warning = check_host(host, auth, no_auth)
    if warning:
        print(warning, file=sys.stderr)
    retriever = deploy(index, address, replicas)
    retriever.search("warm up", k=1)
    app = create_server_app(retriever, auth, app=chat_app(retriever))
    s = retriever.stats()
    print(f"qa: {s['documents']} documents, {s['passages']} passages in {s['shards']} shards on Ray Serve "
          f"({replicas} replica{'s' if replicas > 1 else ''} each), model {s['model']}", file=sys.stderr)
    print(f"qa: serving on http://{host}:{port}", file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    return 0
