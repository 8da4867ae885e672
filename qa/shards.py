"""A sharded index: N ordinary qa indexes under one folder, and the manifest that names them.

Layout: the index folder's `CURRENT` (see `layout.py`) names a data folder holding
`shards.json` and one ordinary index folder per shard (`shard-000/`, ...). A document goes
to the shard given by a stable hash of its source, so every run sends it to the same
shard; a rebuild writes a whole new set of shards and swaps them in with one rename.

Passage and document ids of a sharded index are the shard's own id times the number of
shards plus the shard's number: unique over the whole index, and the shard is found again
from the id alone.

Both the write path (`sharded_build`) and the read path (`sharded`) use this module.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BrokenIndex, QAError
from .layout import current_data, is_index, lost_pointer
from .store import DB_NAME, last_ids

MANIFEST = "shards.json"
SHARDS_FORMAT = 1
MAX_SHARDS = 1024
_SHARD_FOLDER = re.compile(r"^shard-[0-9]{3,}$")


@dataclass
class ShardManifest:
    """What `shards.json` records: the shard folders (relative to the data folder), the model
    and the identity of this set of shards."""

    shards: list[str]
    model: str | None
    identity: str
    assignment: str = "blake2b-64(source) mod shards"
    format: int = SHARDS_FORMAT
    # the highest document and passage ids, as cited, given out when the last update ended:
    # a shard lost since is built again with ids above them
    cited: dict[str, int] | None = None

    @property
    def count(self) -> int:
        return len(self.shards)


def shard_name(number: int) -> str:
    return f"shard-{number:03d}"


def shard_of(source: str, shards: int) -> int:
    """The shard a document belongs to: stable across runs, machines and Python versions."""
    digest = hashlib.blake2b(source.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def global_id(local: int, shard: int, shards: int) -> int:
    return local * shards + shard


def split_id(gid: int, shards: int) -> tuple[int, int]:
    """(shard, id inside the shard) of a sharded index's id."""
    return gid % shards, gid // shards


def is_sharded(index: str | os.PathLike) -> bool:
    try:
        return (current_data(index) / MANIFEST).exists()
    except OSError:
        return False


def databases(index: str | os.PathLike) -> list[Path]:
    """The store files of the index in use at `index`: its one, or one per shard."""
    data = current_data(index)
    if (data / MANIFEST).exists():
        return [current_data(data / name) / DB_NAME for name in read_manifest(data).shards]
    return [data / DB_NAME]


def read_manifest(data: Path) -> ShardManifest:
    try:
        raw = json.loads((data / MANIFEST).read_text(encoding="utf-8"))
        cited = {str(k): int(v) for k, v in raw["cited"].items()} if raw.get("cited") else None
        manifest = ShardManifest(shards=list(raw["shards"]), model=raw.get("model"), identity=raw["identity"],
                                 assignment=raw.get("assignment", ""), format=int(raw.get("format", 1)),
                                 cited=cited)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BrokenIndex(f"cannot read {data / MANIFEST} ({exc}); rebuild the index with "
                          "`qa index PATH --index DIR --shards N --rebuild`") from None
    if manifest.format > SHARDS_FORMAT:
        raise BrokenIndex(f"{data / MANIFEST} has format {manifest.format}, newer than this qa understands")
    if not manifest.shards or any("/" in s or s.startswith(".") for s in manifest.shards):
        raise BrokenIndex(f"{data / MANIFEST} names no usable shards; rebuild the index with --rebuild")
    return manifest


LEDGER_SUFFIX = ".ids.json"
INDEX_LEDGER = "ids.json"  # an index of one store: its ledger, in the index folder beside its data folders
_ID_TABLES = ("documents", "passages")


def ledger_path(shard_dir: Path) -> Path:
    """Where a shard records the ids it gives out: beside its folder, so that a shard lost
    (its folder deleted, its disk failed) leaves the record behind."""
    return shard_dir.parent / (shard_dir.name + LEDGER_SUFFIX)


def read_ledger(path: Path) -> dict[str, int]:
    """The highest local ids a shard's ledger records ({} when it has none or cannot be read)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {table: int(raw[table]) for table in _ID_TABLES if table in raw}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


class IdLedger:
    """A shard store's `before_commit`: writes the highest document and passage ids a commit
    gives out to the shard's ledger before the commit, so that no id the store ever held
    (a reader may have cited it) is recorded nowhere else when the shard's writer is killed
    in the middle of its build and the shard is then lost."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recorded = read_ledger(path)

    def __call__(self, conn) -> None:
        rows = conn.execute("SELECT name, seq FROM sqlite_sequence WHERE name IN (?, ?)", _ID_TABLES)
        ids = {name: int(seq) for name, seq in rows}
        if all(last <= self.recorded.get(table, 0) for table, last in ids.items()):
            return
        merged = {table: max(ids.get(table, 0), self.recorded.get(table, 0)) for table in _ID_TABLES}
        _write_json(self.path, merged)
        self.recorded = merged


def _write_json(path: Path, value: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(value, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def orphan_shards(data: Path) -> list[str]:
    """The shard folders of a data folder without `shards.json` (deleted by hand): a sharded
    index that can no longer be read as one, nor be taken for no index."""
    if (data / MANIFEST).exists():
        return []
    try:
        return sorted(p.name for p in data.iterdir() if _SHARD_FOLDER.match(p.name) and p.is_dir())
    except OSError:
        return []


def orphan_error(index: str | os.PathLike, data: Path) -> BrokenIndex | None:
    """The one-line error for an index whose data folder holds shards but no `shards.json`."""
    names = orphan_shards(data)
    if not names:
        return None
    return BrokenIndex(f"the sharded index at {index} lacks its {MANIFEST} (deleted?): build it again with "
                       f"`qa index PATH --index {index} --shards {len(names)} --rebuild`")


def orphan_cited(data: Path) -> dict[str, int]:
    """Above every id, as cited, that the shards of a data folder without `shards.json` gave out
    (their stores and ledgers). Their count is unknown: local id n of a shard of at most
    `MAX_SHARDS` is cited below (n + 1) * MAX_SHARDS."""
    try:
        names = {p.name.removesuffix(LEDGER_SUFFIX) for p in data.iterdir()
                 if _SHARD_FOLDER.match(p.name.removesuffix(LEDGER_SUFFIX))}
    except OSError:
        return {}
    local: dict[str, int] = {}
    for name in names:
        given = [read_ledger(ledger_path(data / name))]
        try:
            if is_index(data / name):
                given.append(last_ids(current_data(data / name) / DB_NAME))
        except QAError:  # its pointer unreadable: its ledger alone
            pass
        for table, last in ((t, n) for ids in given for t, n in ids.items()):
            local[table] = max(local.get(table, 0), last)
    return {table: (last + 1) * MAX_SHARDS for table, last in local.items()}


def abandoned_cited(index: str | os.PathLike) -> dict[str, int]:
    """Above every id, as cited, that the data folders of an index folder that lost its pointer
    (`qa.layout.lost_pointer`) gave out: one store's ids, a sharded index's (its stores, ledgers
    and record), or those of shards without `shards.json` (`orphan_cited`)."""
    highest: dict[str, int] = {}
    for data in lost_pointer(index):
        if (data / DB_NAME).exists():
            found = [last_ids(data / DB_NAME)]
        elif (data / MANIFEST).exists():
            try:
                manifest = read_manifest(data)
            except BrokenIndex:
                found = [orphan_cited(data)]
            else:
                found = [manifest.cited or {}]
                for shard, name in enumerate(manifest.shards):
                    given = [read_ledger(ledger_path(data / name))]
                    try:
                        if is_index(data / name):
                            given.append(last_ids(current_data(data / name) / DB_NAME))
                    except QAError:
                        pass
                    found += [{t: global_id(n, shard, manifest.count) for t, n in ids.items()} for ids in given]
        else:
            found = [orphan_cited(data)]
        for table, last in ((t, n) for ids in found for t, n in ids.items()):
            highest[table] = max(highest.get(table, 0), last)
    return highest


def write_manifest(data: Path, manifest: ShardManifest) -> None:
    _write_json(data / MANIFEST, asdict(manifest))
