"""Building and updating a sharded index: `build_index` once per shard, under one lock.

Each shard is an ordinary index built by `build_index` from the same paths, keeping only
the documents whose source hashes to it; so incremental updates, removal of vanished
files, `--add` and every guarantee of one index hold in each shard. `--rebuild` builds a
whole new set of shards beside the old one and swaps it in with one rename.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import fields
from functools import partial
from pathlib import Path
from typing import Iterator, Sequence

from .compat import VERSIONS
from .encoder import canonical_model_name
from .errors import QAError
from .indexer import (GONE, LEGACY_FILES, OtherShards, build_index, discover, documents_matching, existing_roots,
                      remove_documents, renamed_reasons, roots_after_removal, under_unlisted)
from .layout import (BuildLock, current_data, data_name, is_index, new_identity, pointer_error, publish,
                     remove_leftovers)
from .records import BuildReport
from .shards import (MANIFEST, MAX_SHARDS, ShardManifest, abandoned_cited, global_id, ledger_path, orphan_cited,
                     orphan_error, read_ledger, read_manifest, shard_name, shard_of, write_manifest)
from .store import DB_NAME, FileState, Store, last_ids
from .vectors import FLAT, VectorIndex, set_params, tune_together


def in_shard(shard: int, shards: int, source: str) -> bool:
    return shard_of(source, shards) == shard


def merge_reports(reports: Sequence[BuildReport], seconds: float) -> BuildReport:
    """One report for the whole index from the reports of its shards."""
    merged = BuildReport()
    for f in fields(BuildReport):
        values = [getattr(r, f.name) for r in reports]
        if f.name == "index_type":
            kinds = sorted({v for v in values if v})
            merged.index_type = f"{len(reports)} shards: " + " / ".join(kinds) if kinds else ""
        elif isinstance(getattr(merged, f.name), list):
            setattr(merged, f.name, [row for v in values for row in v])
        elif f.name != "seconds":
            setattr(merged, f.name, sum(values))
    merged.seconds = seconds
    return merged


def prepare_sharded(directory: Path, shards: int | None, model: str | None,
                    rebuild: bool) -> tuple[Path, ShardManifest, bool, Path]:
    """Under the index's lock: the data folder to build into, its manifest, whether it must be
    swapped in at the end, and the data folder in use now."""
    abandoned = None  # the index lost its pointer: not a new index, rebuilt only when asked
    if error := pointer_error(directory):
        if not rebuild:
            raise error
        abandoned = abandoned_cited(directory)
    remove_leftovers(directory)
    current = current_data(directory)
    existing = read_manifest(current) if (current / MANIFEST).exists() else None
    single = (current / DB_NAME).exists()
    if shards is not None and not 1 <= shards <= MAX_SHARDS:
        raise QAError(f"--shards must be between 1 and {MAX_SHARDS} (got {shards})")
    orphaned = orphan_error(directory, current) if existing is None and not single else None
    if orphaned is not None and not rebuild:  # its shards.json is gone: not a new index
        raise orphaned
    if not rebuild:
        if single:
            raise QAError(f"{directory} holds an index of one shard: add --rebuild to split it into {shards or 'N'} shards")
        if existing is not None and shards is not None and shards != existing.count:
            raise QAError(f"{directory} has {existing.count} shards, not {shards}: "
                          "add --rebuild to change the number of shards")
    if existing is not None and not rebuild:
        return current, existing, False, current
    count = shards if shards is not None else (existing.count if existing is not None else 1)
    identity = new_identity()
    data = directory / data_name(identity)
    data.mkdir()
    manifest = ShardManifest([shard_name(i) for i in range(count)], canonical_model_name(model), identity)
    write_manifest(data, manifest)
    swap = existing is not None or single
    if swap:  # ids as cited (a reply on screen, an API client) then name nothing in the new index
        cited = cited_ids(current, existing)
        for table, last in ((existing.cited or {}) if existing else {}).items():  # a shard lost since
            cited[table] = max(cited.get(table, 0), last)
        number_after(data, manifest, cited)
    elif orphaned is not None or abandoned:  # the ids they gave out, as cited, name nothing in the new index
        number_after(data, manifest, abandoned if orphaned is None else orphan_cited(current))
    if not swap:  # a new index: visible at once, so that a crash keeps what was done
        publish(directory, data)
    return data, manifest, swap, current


def cited_ids(current: Path, existing: ShardManifest | None) -> dict[str, int]:
    """The highest document and passage ids, as cited, that the index in use (sharded as
    `existing`, or of one store) has given out."""
    if existing is None:
        return last_ids(current / DB_NAME)
    highest: dict[str, int] = {}
    for shard, name in enumerate(existing.shards):
        # a shard lost: what it gave out is in the manifest's record and its ledger (a build
        # of it killed midway recorded its ids there alone)
        given = [read_ledger(ledger_path(current / name))]
        if is_index(current / name):
            given.append(last_ids(current_data(current / name) / DB_NAME))
        for table, last in ((t, n) for ids in given for t, n in ids.items()):
            highest[table] = max(highest.get(table, 0), global_id(last, shard, existing.count))
    return highest


def record_cited(data: Path, manifest: ShardManifest) -> None:
    """Raise `manifest.cited` (and `shards.json`) to the highest ids its shards have given out:
    a shard lost after it is built again numbered after them. Called between shards, so that
    the record never lags a shard updated by a build killed before its end."""
    cited = dict(manifest.cited or {})
    for table, last in cited_ids(data, manifest).items():
        cited[table] = max(cited.get(table, 0), last)
    if cited != (manifest.cited or {}):
        manifest.cited = cited
        write_manifest(data, manifest)


def number_after(data: Path, manifest: ShardManifest, cited: dict[str, int],
                 names: Sequence[str] | None = None) -> None:
    """Make the new shards of `data` (`names`, default all) empty indexes whose ids, as cited,
    start above `cited`: local id n of shard s is cited as n * count + s (`qa.shards.global_id`)."""
    if not cited:
        return
    local = {table: last // manifest.count for table, last in cited.items()}
    for name in manifest.shards if names is None else names:
        shard_dir = data / name
        shard_dir.mkdir(exist_ok=True)
        identity = new_identity()
        (shard_dir / data_name(identity)).mkdir()
        store = Store(shard_dir / data_name(identity) / DB_NAME, create=True, identity=identity, versions=VERSIONS)
        try:
            store.number_after(local)
        finally:
            store.close()
        publish(shard_dir, shard_dir / data_name(identity))


def finish_sharded(directory: Path, data: Path, swap: bool, previous: Path) -> None:
    if swap:
        publish(directory, data)
        remove_leftovers(directory)
        if previous == directory:  # an index of the older layout: its files go now
            for name in LEGACY_FILES:
                (directory / name).unlink(missing_ok=True)


@contextmanager
def sharded_update(index: str | os.PathLike, shards: int | None, model: str | None,
                   rebuild: bool) -> Iterator[tuple[Path, ShardManifest]]:
    """One build of a sharded index, on one machine or on Ray: locked, its data folder
    prepared (a new one beside the old for a rebuild), yielding (data folder, manifest);
    published when the body returns, removed if it fails so that the old index stays."""
    directory = Path(index)
    directory.mkdir(parents=True, exist_ok=True)
    with BuildLock(directory):
        data, manifest, swap, previous = prepare_sharded(directory, shards, model, rebuild)
        try:
            lost = [name for name in manifest.shards if not shard_built(data, name)]
            if not swap:  # ids given out by an update cut short, recorded before any is given out again
                record_cited(data, manifest)
            if manifest.cited and lost:  # built again from the files, numbered after what was cited
                number_after(data, manifest, manifest.cited, lost)
            yield data, manifest
            tune_shards(data, manifest)
            record_cited(data, manifest)
        except BaseException:
            if swap:
                shutil.rmtree(data, ignore_errors=True)  # the old index stays as it was
            raise
        finish_sharded(directory, data, swap, previous)


def tune_shards(data: Path, manifest: ShardManifest, force: bool = False) -> tuple[int, float] | None:
    """One nprobe for the approximate shards, tuned on the merged results
    (`qa.vectors.tune_together`), after a build that trained a shard's index anew (its
    params lack the joint tuning) or with `force`; recorded in each shard's saved stamp
    (the FAISS files are unchanged: nprobe is set when they are loaded): the recall target
    holds for what a sharded search returns, not for each shard alone."""
    folders = [current_data(data / name) for name in manifest.shards]
    stamps = [VectorIndex.stamp(folder) for folder in folders]
    approximate = [st for st in stamps if st.get("kind", FLAT) != FLAT]
    if not approximate or (not force and all("sharded_recall_at_10" in (st.get("params") or {})
                                             for st in approximate)):
        return None
    parts, stores = [], []
    try:
        for folder, st in zip(folders, stamps):
            store = Store(folder / DB_NAME)
            stores.append(store)
            dimension = int(store.meta()["dimension"])
            index = VectorIndex.load(folder, dimension, store.generation(), store.identity(), mmap=False)
            if index is None:
                raise QAError(f"the vector index of shard {folder} is older than its store: run the build again")
            parts.append((index, *store.all_vectors(dimension)))
        tuned = tune_together(parts)
        for folder, (index, _, _) in zip(folders, parts):
            if index.kind != FLAT:
                set_params(folder, index.params)
        return tuned
    finally:
        for store in stores:
            store.close()


def build_sharded(paths: Sequence[str | os.PathLike] | str | os.PathLike, index: str | os.PathLike,
                  shards: int | None = None, model: str | None = None, rebuild: bool = False,
                  progress: bool | None = None, batch_passages: int = 256, max_file_mb: float = 32,
                  approx_threshold: int | None = None, add: bool = False, ocr: bool = True,
                  ocr_lang: str | None = None) -> BuildReport:
    """Build or update the sharded index at `index` from `paths` (see `build_index`)."""
    started = time.perf_counter()
    roots = existing_roots(paths)
    with sharded_update(index, shards, model, rebuild) as (data, manifest):
        # with --add, a file given is named as the whole index knows it (it may be indexed under
        # its folder's name, in another shard than its own name's): updated there, not added twice
        known = shard_states(data, manifest) if add else None
        others = None if add else other_shards(roots, data, manifest)
        reports = []
        for number, name in enumerate(manifest.shards):
            reports.append(build_index(roots, index=data / name, model=model, progress=progress,
                                       batch_passages=batch_passages, max_file_mb=max_file_mb,
                                       approx_threshold=approx_threshold, add=add, ocr=ocr, ocr_lang=ocr_lang,
                                       select=partial(in_shard, number, manifest.count), nlist_scale=manifest.count,
                                       known=known, others=others, ledger=ledger_path(data / name)))
            record_cited(data, manifest)  # before the next shard: a kill there leaves this one's ids recorded
        remove_held(data, manifest, others, reports)
    return merge_reports(reports, time.perf_counter() - started)


def remove_held(data: Path, manifest: ShardManifest, others: OtherShards | None, reports: list[BuildReport]) -> None:
    """Once every shard is built: remove the documents whose file is gone that the shards kept
    (`others.held`) so that a new file of their content, in any shard, could keep their vectors;
    each shard's report counts its removals."""
    if others is None or not others.held:
        return
    after = shard_states(data, manifest)
    held = [(source, after[source]) for source in sorted(others.held) if source in after]
    reasons = dict.fromkeys(others.held, GONE)
    reasons.update(renamed_reasons(held, after, others.sources))
    for number, name in enumerate(manifest.shards):
        if gone := sorted(others.held & shard_sources(data, name)):
            removal = remove_documents(data / name, gone, missing_ok=True, exact=True, reason=reasons)
            report = reports[number]
            report.removed += removal.removed
            report.removed_files.extend(removal.removed_files)
            report.documents, report.passages = removal.documents, removal.passages


def other_shards(roots: Sequence[Path], data: Path, manifest: ShardManifest) -> OtherShards:
    """For each shard's build, the others' (`qa.indexer.OtherShards`): every document of the
    index by its file's hash, and the documents whose file is gone but whose size a new file has
    (renamed, perhaps into another shard: its name decides the shard), kept until every shard is
    built so that the new file keeps their vectors."""
    documents: dict[str, tuple[Path, int]] = {}
    states: dict[str, FileState] = {}
    for name in manifest.shards:
        found = shard_file_states(data, name)
        states.update(found)
        db = current_data(data / name) / DB_NAME
        documents.update((state.hash, (db, state.doc_id)) for state in found.values())
    files, _, unlisted = discover(roots)
    # a document in a folder that could not be listed is not gone (`qa.indexer._build`)
    seen = {source for _, source in files} | {source for source in states if under_unlisted(source, unlisted)}
    sizes = set()
    for path, source in files:
        if source not in states:
            try:
                sizes.add(path.stat().st_size)
            except OSError:
                continue
    return OtherShards(documents, {source for source, state in states.items()
                                   if source not in seen and state.size in sizes},
                       [current_data(data / name) / DB_NAME for name in manifest.shards
                        if (current_data(data / name) / DB_NAME).exists()], set(states))


def shard_built(data: Path, name: str) -> bool:
    """Whether shard `name` has a store: its folder deleted, or its store file alone (by hand, a
    failed disk), it is lost, and built again numbered after the ids it gave out."""
    return is_index(data / name) and (current_data(data / name) / DB_NAME).is_file()


def shard_file_states(data: Path, name: str) -> dict[str, FileState]:
    """The indexed files of shard `name` of the sharded index in `data`, by source (none for a
    shard not built yet)."""
    db = current_data(data / name) / DB_NAME
    if not db.exists():
        return {}
    store = Store(db)
    try:
        return store.file_states()
    finally:
        store.close()


def shard_sources(data: Path, name: str) -> set[str]:
    """The indexed sources of shard `name` of the sharded index in `data`."""
    return set(shard_file_states(data, name))


def shard_states(data: Path, manifest: ShardManifest) -> dict[str, FileState]:
    """The indexed files of every shard of the sharded index in `data`, by source."""
    states: dict[str, FileState] = {}
    for name in manifest.shards:
        states.update(shard_file_states(data, name))
    return states


def remove_sharded(index: str | os.PathLike, paths: Sequence[str | os.PathLike]) -> BuildReport:
    """`remove_documents` on a sharded index: each path must name documents in some shard."""
    started = time.perf_counter()
    directory = Path(index)
    with BuildLock(directory):
        data = current_data(directory)
        manifest = read_manifest(data)
        states = {}
        for name in manifest.shards:
            db = current_data(data / name) / DB_NAME
            if db.exists():
                store = Store(db)
                try:
                    states[name] = store.file_states()
                finally:
                    store.close()
        # matched over the whole index, then removed by source in the shards that hold them: a name
        # matched in one shard as given is not matched in another in its other Unicode form
        every = {source: state for s in states.values() for source, state in s.items()}
        chosen: set[str] = set()
        for given in paths:
            matches = documents_matching(every, given)
            if not matches:
                raise QAError(f"no indexed document matches {given!r}: give a source as cited "
                              "(see `qa ask` or the chat) or the path of an indexed file")
            chosen.update(matches)
        reports = [remove_documents(data / name, sorted(chosen & s.keys()), exact=True, roots=False)
                   for name, s in states.items() if chosen & s.keys()]
        # over the whole index: a folder may have documents left in another shard than the one emptied
        kept = [state.origin for source, state in every.items() if source not in chosen]
        for name in states:
            store = Store(current_data(data / name) / DB_NAME)
            try:
                left = roots_after_removal(store.meta().get("roots"), (every[s].origin for s in chosen), kept)
                if left is not None:
                    with store.transaction() as conn:
                        store.set_meta(conn, roots=json.dumps(left))
            finally:
                store.close()
        report = merge_reports(reports, time.perf_counter() - started)
        report.documents = report.passages = 0  # the whole index's, not the touched shards'
        for name in states:
            store = Store(current_data(data / name) / DB_NAME)
            try:
                documents, passages = store.counts()
            finally:
                store.close()
            report.documents += documents
            report.passages += passages
    return report
