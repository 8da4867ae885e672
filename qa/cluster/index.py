"""`qa index PATHS --shards N --ray ADDRESS`: the sharded index of `build_index`, built on a
Ray cluster.

Ray Data reads and parses the files that need embedding as tasks and embeds their passages
in a pool of actors (`map_batches`, one model load per actor): of a file read again, only
what its shard's writer will not keep from the index (`qa.indexer.embed_work`); then each shard is written by
one Ray task running the ordinary `build_index` of that shard, whose encoder answers from
the vectors the actors computed. So the shard's incremental logic, removals, skipped files
and crash safety are the single-machine ones, and the result is the same index (same
passages, same vectors). The index folder must be on storage every node sees.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..compat import StoredPassage, check_probe, indexed_roots, probe_record
from ..encoder import (CALIBRATIONS, DEFAULT_MODEL, PROBE_MIN_COSINE, Calibration, Encoder, canonical_model_name,
                       encoders, model_fingerprint)
from ..errors import ModelMismatch
from ..indexer import (MAX_FILE_MB, OtherShards, _prepare, _Prepared, add_sources, build_index, discover,
                       embed_work, existing_roots, reread_suffixes)
from ..layout import current_data
from ..readers.ocr import OcrOptions
from ..records import BuildReport
from ..sharded_build import (in_shard, merge_reports, other_shards, record_cited, remove_held, shard_states,
                             sharded_update)
from ..shards import ledger_path, shard_of
from ..store import DB_NAME, FileState, Store
from . import connect

log = logging.getLogger(__name__)

# Passages per batch sent to an embedding actor: large enough to keep the encoder busy,
# small enough that a retried batch costs little.
EMBED_BATCH = 128
# Tests only: "embed=MARKER" and/or "write=MARKER" (comma-separated) make the first embedding
# actor, or the first shard writer after its first stored batch, kill its own process
# (`os._exit`) once, the marker file recording that it happened: a worker lost mid-build at a
# fixed point, for Ray to retry. "pause=FILE": the driver, once the first shard writer has ended
# and its ids are recorded, writes that shard's number to FILE and waits (for the test to kill it).
CRASH_ONCE_ENV = "QA_CLUSTER_CRASH_ONCE"


def _crash_points() -> dict[str, str]:
    spec = os.environ.get(CRASH_ONCE_ENV, "")
    return dict(part.split("=", 1) for part in spec.split(",") if "=" in part)


def _crash_once(marker: str | None) -> None:
    """Kill this worker process if `marker` is given and no worker has done so yet."""
    if not marker:
        return
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    os._exit(17)


def _key(text: str, spans) -> tuple[str, str]:
    return text, json.dumps([list(s) for s in spans])


class PrecomputedEncoder(Encoder):
    """The model of an index, answering `encode_passages` from vectors computed elsewhere
    (by the embedding actors); anything else, or a passage it was not given, goes to the
    real model, loaded only then."""

    def __init__(self, name: str, max_chars: int, vectors: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]],
                 dimension: int | None = None, real: Encoder | None = None,
                 crash_marker: str | None = None, probe: np.ndarray | None = None,
                 check: Callable[[Encoder], None] | None = None) -> None:  # no model load: see `real`
        self.name = name
        # the real model, when this writer loads it (or finds it loaded in its process), is checked as
        # `qa index` checks a model it loads (`write_shard`): its node's copy may not be the actors'
        self._check = check
        self._real_checked = False
        # what the actors' model gives for the probe sentence, compared with every shard's record by the
        # driver before any writer runs (`check_actors_model`): recorded by a shard that has none
        self._probe = probe
        self.checked = probe is not None
        self.max_chars = max_chars
        self.calibration = CALIBRATIONS.get(name, Calibration())
        # the folder's (or hub revision's), as the index records it (`_build`): not asked of the real model,
        # which would load it (`EncoderCache.get`)
        self.fingerprint = model_fingerprint(self.name)
        self._vectors = vectors
        self._real = real
        self.loaded = True
        self.computed_here = 0
        self.used_real = False  # the model was asked for something (loaded here, unless cached)
        self._dimension_known = dimension
        self._calls = 0
        self._crash_marker = crash_marker

    def probe(self) -> np.ndarray | None:
        return self._probe  # the actors' (the model is not loaded here); None when no actor ran

    @property
    def real(self) -> Encoder:
        self.used_real = True
        if self._real is None:
            self._real = Encoder(self.name)
        if not self._real_checked:
            if self._check is not None:
                self._check(self._real)
            self._real_checked = True
        return self._real

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return self._dimension_known or self.real.dimension

    def encode_passages(self, texts, sentences):
        self._calls += 1
        if self._calls == 2:  # the first batch is stored in the shard by now
            _crash_once(self._crash_marker)
        keys = [_key(t, s) for t, s in zip(texts, sentences)]
        missing = [i for i, k in enumerate(keys) if k not in self._vectors]
        if missing:  # a file that changed between the actors' reading and this writer's
            vectors, per = self.real.encode_passages([texts[i] for i in missing], [sentences[i] for i in missing])
            for i, v, p in zip(missing, vectors, per):
                self._vectors[keys[i]] = (v, p)
            self.computed_here += len(missing)
        found = [self._vectors[k] for k in keys]
        dim = self.dimension
        return (np.ascontiguousarray(np.stack([v for v, _ in found]) if found else np.zeros((0, dim), np.float32)),
                [p for _, p in found])

    def encode_documents(self, texts, batch_size=None):
        """Texts other than passages, embedded by the real model in this writer."""
        return self.real.encode_documents(texts, batch_size)

    def encode_words(self, words):
        """The index's vocabulary words (`qa.indexer.add_words`), embedded by the real model in
        this writer."""
        return self.real.encode_words(words)

    def __getattr__(self, attr: str):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.real, attr)


@contextmanager
def _precomputed(model: str, encoder: PrecomputedEncoder):
    """`encoders.get(model)` gives `encoder` inside the block (in this worker process)."""
    key = canonical_model_name(model)
    with encoders._lock:
        previous = encoders._encoders.get(key)
        if previous is not None:
            encoder._real = previous
        encoders._encoders[key] = encoder
    try:
        yield
    finally:
        with encoders._lock:
            if previous is None:
                encoders._encoders.pop(key, None)
            else:
                encoders._encoders[key] = previous


@dataclass
class ShardWritten:
    """What one shard's writer did: its build's report, the passages it embedded itself (changed
    since the actors read them) and whether it used the model (for those, or for words that no
    shard holds)."""

    report: BuildReport
    embedded_here: int
    used_model: bool


def write_shard(roots: list[str], shard_dir: str, model: str, number: int, count: int, max_chars: int,
                dimension: int | None, rows: dict | None, options: dict,
                crash_marker: str | None = None, probe: np.ndarray | None = None) -> ShardWritten:
    """One shard's build (a Ray task): the ordinary `build_index` of that shard."""
    vectors = {(t, s): (v, np.frombuffer(b, dtype=np.float32).reshape(-1, v.shape[0]))
               for t, s, v, b in zip(rows["text"], rows["spans"], rows["vector"], rows["sentences"])} if rows else {}
    encoder = PrecomputedEncoder(canonical_model_name(model), max_chars, vectors, dimension,
                                 crash_marker=crash_marker, probe=probe, check=_writer_check(Path(shard_dir), probe))
    with _precomputed(model, encoder):
        report = build_index([Path(r) for r in roots], index=shard_dir, model=model, progress=False,
                             select=partial(in_shard, number, count), nlist_scale=count,
                             ledger=ledger_path(Path(shard_dir)), **options)
    return ShardWritten(report, encoder.computed_here, encoder.used_real)


def _writer_check(shard_dir: Path, probe: np.ndarray | None) -> Callable[[Encoder], None]:
    """How a shard writer checks the model it loads itself (a file changed between the actors'
    reading and its own, words or heads to embed): against the shard's probe, else the actors'
    (which the driver checked), else a passage the shard holds, embedded again (`check_probe`)."""
    def check(real: Encoder) -> None:
        db = current_data(shard_dir) / DB_NAME
        meta: dict[str, str] = {}
        sample = None
        if db.exists():
            store = Store(db)
            try:
                meta = store.meta()
                if "model_probe" not in meta and probe is None and "dimension" in meta:
                    sample = store.first_passage(int(meta["dimension"]))
            finally:
                store.close()
        if "model_probe" not in meta and probe is not None:
            meta["model_probe"] = probe_record(probe)
        check_probe(meta, real, shard_dir, lambda: sample)

    return check


def parse_files(batch: dict, max_chars: int, ocr: bool, ocr_lang: str | None,
                same_content: dict[str, tuple[str, int]] | None = None) -> dict:
    """Ray Data task: read and cut files into passages (the single-machine `_prepare`, with
    the shard's OCR cache, which its writer then reads), and keep what its writer will embed:
    not the passages and heads of a file read again that the shard holds with the same words
    and sentences (their stored vectors are kept), nothing of a file whose content is as stored;
    nor those of a new file whose content (hash) an indexed document holds, in any shard
    (`same_content`: a file renamed or moved, its vectors kept by its writer, `qa.indexer._build`)."""
    out = {"shard": [], "text": [], "spans": []}
    stores: dict[str, Store] = {}
    try:
        for path, source, shard, cache, doc_id, digest, reread, db, dim in zip(
                batch["path"], batch["source"], batch["shard"], batch["ocr_cache"], batch["doc_id"], batch["hash"],
                batch["reread"], batch["db"], batch["dimension"]):
            options = OcrOptions(ocr, ocr_lang, Path(str(cache)), False)
            state = FileState(int(doc_id), str(digest), 0, 0) if int(doc_id) >= 0 else None
            item = _prepare(_Prepared(Path(str(path)), str(source), 0, 0, state, reread=bool(reread)),
                            max_chars, options)
            if item.skip or item.unchanged:
                continue  # the writer reports the one, touches the other
            holder = (str(db), state.doc_id) if state is not None else (same_content or {}).get(item.hash)
            if holder is not None and int(dim) > 0:
                if holder[0] not in stores:
                    stores[holder[0]] = Store(Path(holder[0]))
                item.stored = stores[holder[0]].stored_vectors(holder[1], int(dim))
            # a document's head (qa.context) is embedded with its passages, as the writer asks
            for text, spans in embed_work([item]).texts():
                out["shard"].append(int(shard))
                out["text"].append(text)
                out["spans"].append(_key(text, spans)[1])
    finally:
        for store in stores.values():
            store.close()
    return {"shard": np.asarray(out["shard"], dtype=np.int64), "text": np.asarray(out["text"], dtype=object),
            "spans": np.asarray(out["spans"], dtype=object)}


class EmbedPassages:
    """Ray Data actor: the model loaded once, passages embedded batch after batch."""

    def __init__(self, model: str, crash_marker: str | None = None,
                 samples: Sequence[tuple[str, list]] = ()) -> None:
        self.encoder = encoders.get(model)
        self.crash_marker = crash_marker
        # `samples`: a stored passage (text, spans) of each shard that records no probe
        self.samples = [(str(t), [tuple(s) for s in spans]) for t, spans in samples]
        self.told = False

    def __call__(self, batch: dict) -> dict:
        _crash_once(self.crash_marker)
        texts = [str(t) for t in batch["text"]]
        spans = [[tuple(s) for s in json.loads(j)] for j in batch["spans"]]
        vectors, per = self.encoder.encode_passages(texts, spans)
        # what this actor's model gives (`check_actors_model`), in its first batch's first row: each
        # actor loads its own, perhaps of another package version on another node
        check = np.asarray([b""] * len(texts), dtype=object)
        if not self.told and len(texts):
            rows = [self.encoder.probe()]
            if self.samples:
                rows.extend(self.encoder.encode_passages([t for t, _ in self.samples], [s for _, s in self.samples])[0])
            check[0] = np.ascontiguousarray(np.stack(rows), dtype=np.float32).tobytes()
            self.told = True
        return {"shard": batch["shard"], "text": batch["text"], "spans": batch["spans"], "vector": vectors,
                "sentences": np.asarray([np.ascontiguousarray(p, dtype=np.float32).tobytes() for p in per],
                                        dtype=object), "check": check}


@dataclass
class _ActorsModel:
    """What the actors' model gave (`EmbedPassages`' check), as `qa.compat.check_probe` asks a model."""

    name: str
    given: np.ndarray  # the probe's vector, then one per sample
    samples: list[tuple[str, list]]

    def probe(self) -> np.ndarray:
        return self.given[0]

    def encode_passages(self, texts, spans) -> tuple[np.ndarray, list]:
        rows = [self.given[1 + self.samples.index((t, [tuple(s) for s in sp]))] for t, sp in zip(texts, spans)]
        return np.stack(rows), [None] * len(rows)


def shard_records(data: Path, shards: list[str]) -> list[tuple[Path, dict[str, str], StoredPassage | None]]:
    """Per existing shard: its folder, its record (`Store.meta`) and, when it records no probe, a
    passage it holds (`Store.first_passage`), for `check_actors_model`."""
    out = []
    for name in shards:
        db = current_data(data / name) / DB_NAME
        if not db.exists():
            continue
        store = Store(db)
        try:
            meta = store.meta()
            sample = None
            if "model_probe" not in meta and "dimension" in meta:
                sample = store.first_passage(int(meta["dimension"]))
            out.append((data / name, meta, sample))
        finally:
            store.close()
    return out


def check_actors_model(model: str, checks: list[np.ndarray], records, samples: list[tuple[str, list]]) -> None:
    """Refuse the build before any shard is written when what an actor's model gave (`checks`: per
    actor, the probe's vector then the samples') is not what a shard's model gave (its probe, or its
    stored passage embedded again): vectors of another model would join the index's."""
    for given in checks[1:]:  # each actor loads its own model: on another node, perhaps another version of it
        cosine = float(given[0] @ checks[0][0] / ((np.linalg.norm(given[0]) * np.linalg.norm(checks[0][0])) or 1.0))
        if cosine < PROBE_MIN_COSINE:
            raise ModelMismatch(f"the Ray actors' copies of model {model} give other vectors (a test sentence's agree to "
                                f"cosine {cosine:.3f}): install the same model (and qa) on every node")
    for given in checks:
        actors = _ActorsModel(model, given, samples)
        for folder, meta, sample in records:
            if "model" not in meta:
                continue
            check_probe(meta, actors, folder, (lambda s=sample: (s[0], [tuple(x) for x in s[1]], s[2]) if s else None))


@dataclass
class _Planned:
    """A file that may need embedding, and what its shard holds of it (`doc_id` -1: nothing)."""

    path: str
    source: str
    shard: int
    doc_id: int = -1
    hash: str = ""
    reread: bool = False
    # new, of the size of an indexed document: perhaps that file renamed, its vectors kept
    same_size: bool = False


def _plan(roots: list[Path], data: Path, shards: list[str], max_bytes: int,
          ocr_setting: str, ocr_engine: str | None = None, add: bool = False
          ) -> tuple[list[_Planned], int | None, dict[str, tuple[str, int]]]:
    """Files that may need embedding: what is new or changed (size or modification time)
    against each shard's store, or read by a reader that changed since (or by OCR set
    otherwise); the dimension of the shards' vectors, if one has any; and the indexed documents,
    in any shard, of the size of a new file, by their file's hash, as (store, id): a new file of
    such a content keeps their vectors. The shard's writer decides exactly; this only chooses
    what the actors embed ahead. With `add`, files are named, and given to the shard that holds
    them, as the writers name and place them (`add_sources`, `_update`'s `mine`): by `discover`'s
    names, every file of `qa index --ray docs/fr --add` indexed as "fr/…" was embedded by the
    actors for another shard, and a new one again by its writer."""
    files, _, _ = discover(roots)
    recorded: list[str] | None = None
    states: dict[int, dict] = {}
    stale: dict[int, set[str]] = {}
    holds: dict[int, set[str]] = {}
    dimension = None
    dbs: dict[int, str] = {}
    for number, name in enumerate(shards):
        db = current_data(data / name) / DB_NAME
        if db.exists():
            dbs[number] = str(db.resolve())
            store = Store(db)
            try:
                states[number] = store.file_states()
                meta = store.meta()
                stale[number] = reread_suffixes(meta, ocr_setting, ocr_engine)
                # a file holding documents of a stale format is read again too (`qa.indexer._build`)
                holds[number] = {source for source, suffixes in store.part_suffixes().items()
                                 if suffixes & stale[number]}
            finally:
                store.close()
            dimension = int(meta["dimension"]) if "dimension" in meta else dimension
            recorded = recorded or indexed_roots(meta)
    holder: dict[str, int] = {}
    if add:
        holder = {source: number for number, found in states.items() for source in found}
        files = add_sources(files, {source: state for found in states.values() for source, state in found.items()},
                            recorded)
    todo = []
    sizes: set[int] = set()
    planned_sizes: list[int] = []
    for path, source in files:
        number = holder[source] if source in holder else shard_of(source, len(shards))
        try:
            st = path.stat()
        except OSError:
            continue
        if st.st_size > max_bytes:
            continue
        state = states.get(number, {}).get(source)
        reread = path.suffix.lower() in stale.get(number, set()) or source in holds.get(number, set())
        if state is not None and state.same_file(st) and not reread:
            continue
        todo.append(_Planned(os.path.abspath(path), source, number, *((state.doc_id, state.hash, reread)
                                                                        if state is not None else ())))
        planned_sizes.append(st.st_size)
        if state is None:
            sizes.add(st.st_size)
    # a file's hash is of its bytes: only a document of a new file's size may have its content
    same_content = {state.hash: (dbs[number], state.doc_id) for number, found in states.items()
                    for state in found.values() if state.size in sizes}
    indexed = {state.size for found in states.values() for state in found.values()}
    for planned, size in zip(todo, planned_sizes):
        planned.same_size = planned.doc_id < 0 and size in indexed
    return todo, dimension, same_content


def _max_chars(data: Path, shards: list[str], model: str) -> int:
    """The model's passage length limit, from an existing shard or the model (loaded here
    only for a new index of a model other than the default)."""
    for name in shards:
        db = current_data(data / name) / DB_NAME
        if db.exists():
            store = Store(db)
            try:
                value = store.meta().get("max_chars")
            finally:
                store.close()
            if value:
                return int(value)
    if model == DEFAULT_MODEL:
        return 1500
    return encoders.get(model).max_chars


def build_on_ray(paths: Sequence[str | os.PathLike], index: str | os.PathLike, shards: int | None = None,
                 address: str = "auto", model: str | None = None, rebuild: bool = False, add: bool = False,
                 max_file_mb: float = MAX_FILE_MB, approx_threshold: int | None = None,
                 progress: bool | None = None, actors: int | None = None, ocr: bool = True,
                 ocr_lang: str | None = None, batch_passages: int = 256) -> BuildReport:
    """Build or update the sharded index at `index` on the Ray cluster at `address`."""
    started = time.perf_counter()
    roots = existing_roots(paths)
    ray = connect(address)
    import ray.data

    with sharded_update(index, shards, model, rebuild) as (data, manifest):
        records = shard_records(data, manifest.shards)
        # without --model, the shards' own record: `qa index --model NEWPLACE` (a model folder moved)
        # records the new place there, not in shards.json
        model_name = canonical_model_name(model) if model else next(
            (meta["model"] for _, meta, _ in records if "model" in meta), manifest.model or DEFAULT_MODEL)
        todo, dimension, same_content = _plan(roots, data, manifest.shards, int(max_file_mb * 2**20),
                                              OcrOptions(ocr, ocr_lang).setting(), OcrOptions(ocr, ocr_lang).engine(),
                                              add)
        if add:
            same_content = {}  # as `build_sharded`: --add offers no other shard's documents
        max_chars = _max_chars(data, manifest.shards, model_name)
        crash = _crash_points()
        samples = [(s[0], [list(x) for x in s[1]]) for _, _, s in records if s is not None]
        checks: list[np.ndarray] = []
        rows = _embed(ray, todo, data, manifest.shards, dimension, model_name, max_chars, actors, progress, ocr,
                      ocr_lang, crash.get("embed"), same_content, samples=samples, checks=checks)
        # the actors' model against every shard's, before anything is written (the writers never load it)
        check_actors_model(model_name, checks, records, [(t, [tuple(x) for x in s]) for t, s in samples])
        options = {"add": add, "max_file_mb": max_file_mb, "approx_threshold": approx_threshold, "ocr": ocr,
                   "ocr_lang": ocr_lang, "batch_passages": batch_passages}
        whole = None
        if add:
            # a file given is named as the whole index knows it (indexed under its folder's name,
            # perhaps in another shard than its own name's): updated there, not added twice
            # (`qa.sharded_build.build_sharded` does the same)
            options["known"] = shard_states(data, manifest)
        else:
            # as `build_sharded`: a new file keeps the vectors of a document of its content in any
            # shard (renamed into another shard), whose file, gone, every shard keeps until all are
            # built; a shard's new words keep the other shards' vectors. Only the documents of a new
            # file's size are sent (`_plan`): the writers' lookups are the same
            whole = other_shards(roots, data, manifest)
            options["others"] = OtherShards({h: (Path(db), doc_id) for h, (db, doc_id) in same_content.items()},
                                            whole.held, whole.stores)
        # a writer whose process dies is run again: the shard's build resumes from what it stored
        writer = ray.remote(num_cpus=1, max_retries=3)(write_shard)
        # known without the model: a writer with nothing new to embed never loads it
        dimension = next((int(part["vector"][0].shape[0]) for part in rows.values()), dimension)
        probe = checks[0][0] if checks else None
        refs = [writer.remote([os.path.abspath(r) for r in roots], str((data / name).resolve()), model_name,
                              number, manifest.count, max_chars, dimension, rows.get(number), options,
                              crash.get("write"), probe)
                for number, name in enumerate(manifest.shards)]
        written = _gather(ray, refs, data, manifest, crash.get("pause"))
        reports = [w.report for w in written]
        remove_held(data, manifest, whole, reports)  # with every source before the build: a rename told
        if here := sum(w.embedded_here for w in written):
            log.info("the shard writers embedded %d passages themselves (their files changed during the build)", here)
        if used := sum(w.used_model for w in written):
            log.info("%d shard writers used the model (for passages or words that no shard held)", used)
    return merge_reports(reports, time.perf_counter() - started)


def _gather(ray, refs: list, data: Path, manifest, pause: str | None = None) -> list[ShardWritten]:
    """The shard writers' results, in shard order. As each writer ends, the ids its shard gave out
    are recorded in `shards.json` (`record_cited`), as the build without Ray does between shards:
    a build cut short (its driver killed) then a shard lost would otherwise number that shard's
    documents again from the record of the update before. `pause` (tests only): a file created
    once the first writer's ids are recorded, holding its shard's number; the driver then waits
    to be killed."""
    order = {ref: number for number, ref in enumerate(refs)}
    results: dict[int, ShardWritten] = {}
    waiting = list(refs)
    while waiting:
        done, waiting = ray.wait(waiting, num_returns=1)
        for ref in done:
            results[order[ref]] = ray.get(ref)
        record_cited(data, manifest)
        if pause and len(results) == 1:
            Path(pause).write_text(str(order[done[0]]), encoding="utf-8")
            time.sleep(600)
    return [results[number] for number in range(len(refs))]


def _embed(ray, todo: list[_Planned], data: Path, shards: list[str], dimension: int | None, model: str,
           max_chars: int, actors: int | None, progress: bool | None, ocr: bool, ocr_lang: str | None,
           crash_marker: str | None = None, same_content: dict[str, tuple[str, int]] | None = None,
           samples: Sequence[tuple[str, list]] = (), checks: list[np.ndarray] | None = None) -> dict[int, dict]:
    """Passages of the files in `todo` that their shard's writer will embed, embedded by an
    actor pool: per shard, columns text, spans, vector, sentences. Each actor's model's probe and
    `samples` (stored passages) embedded are added to `checks` (`EmbedPassages`)."""
    if not todo:
        return {}
    from tqdm import tqdm

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    if actors is None:
        actors = max(1, int(ray.cluster_resources().get("CPU", 1)))
    caches = [str((data / name / "ocr-cache").resolve()) for name in shards]
    dbs = [str((current_data(data / name) / DB_NAME).resolve()) for name in shards]
    ds = ray.data.from_items([{**asdict(t), "ocr_cache": caches[t.shard], "db": dbs[t.shard],
                               "dimension": dimension or 0} for t in todo],
                             override_num_blocks=min(len(todo), 4 * actors))
    ds = ds.map_batches(parse_files, fn_kwargs={"max_chars": max_chars, "ocr": ocr, "ocr_lang": ocr_lang,
                                                "same_content": same_content or {}},
                        batch_size=16, batch_format="numpy", num_cpus=0.25)
    if all(t.doc_id >= 0 or t.same_size for t in todo):
        # files read again (a reader changed, a few edited) or new ones perhaps renamed (an indexed
        # document has their size): their shards usually keep most of what they hold, often all;
        # parsed first, so that no actor loads the model for nothing (otherwise parsing and
        # embedding overlap)
        ds = ds.materialize()
        count = ds.count()
        if count == 0:
            return {}
        actors = min(actors, -(-count // EMBED_BATCH))  # each actor loads the model: no more than the work needs
    ds = ds.map_batches(EmbedPassages, fn_constructor_kwargs={"model": model, "crash_marker": crash_marker,
                                                              "samples": list(samples)},
                        batch_size=EMBED_BATCH,
                        batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=0.75,
                        # a killed actor is restarted and its batches retried
                        max_restarts=-1, max_task_retries=-1)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(unit=" passages", desc="embedding on Ray", disable=not show, file=sys.stderr)
    parts: dict[int, dict[str, list]] = {}
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for i, shard in enumerate(batch["shard"]):
            part = parts.setdefault(int(shard), {"text": [], "spans": [], "vector": [], "sentences": []})
            part["text"].append(str(batch["text"][i]))
            part["spans"].append(str(batch["spans"][i]))
            part["vector"].append(np.asarray(batch["vector"][i], dtype=np.float32))
            part["sentences"].append(bytes(batch["sentences"][i]))
            if checks is not None and (told := bytes(batch["check"][i])):
                checks.append(np.frombuffer(told, dtype=np.float32).reshape(1 + len(samples), -1))
        bar.update(len(batch["shard"]))
    bar.close()
    return parts
