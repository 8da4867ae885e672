"""The vocabulary's inverted file, made by `qa index` and read by searches (docs/performance.md,
"Session 10: word vocabulary from index time"; docs/scale.md, "Session 18").

From `ANN_FROM` vocabulary words (the `words` table's rows that some passage holds: `uses` > 0),
question words meet them through a FAISS IVF of 8-bit codes (`CODEC`, inner product, sqrt(N)
lists) instead of the product with all of them (qa/word_translation.py). `qa index` makes it
(`update`) and saves it in `words.ivf` beside the store: one file, a header then the FAISS
index, written whole to a temporary file and renamed, as the other files of a data folder. Its
ids are the words' rowids (a row is never deleted nor its vector changed: a word no passage
holds keeps its row with `uses` 0), and its header the digest of the (rowid, word, language)
of the rows it holds. A search uses it only when that digest is the store's own at the time it
reads the vocabulary (`load`): a file of before a change of the words (a build cut short, or
still writing) is never met; the vocabulary is then searched by the exact product, never by an
inverted file trained at question time.

The inverted file is a function of the words alone (`build`: trained on a sample of them taken
in their (word, language) order, in that order, and filled in that order), never of the
index's history nor of its rows' order: a build that changes the words trains it afresh, so an
index grown file by file has the inverted file of one built afresh, and a sharded index, which
trains one on its shards' merged words (in memory, `WordVocabulary.ann`), has the one that one
index over the same files has: it answers alike above `ANN_FROM` words too.

Both the write path (`indexer`) and the read path (`store`) use this module.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    import faiss

IVF_NAME = "words.ivf"
MAGIC = b"QAWORDI1"
# From this many vocabulary words the inverted file is used (below it, a per-language XQuAD
# pool: ~7,000 words, the exact product costs less than a millisecond per word).
ANN_FROM = 20000
# The codes and the lists searched: chosen on the mixed pool's development questions
# (benchmarks/words_codec.py; docs/performance.md, "Session 10").
CODEC = "8bit_uniform"
NPROBE = 16
TRAIN_PER_LIST = 32
NITER = 6
READ_BATCH = 900  # rowids per query (within SQLite's 999 variables)
# How the file was made (`Header.training`): "keys" = `build`; a file without it (before
# session 18: trained on the rows in rowid order, updated by id) is read, and made again by
# the next `qa index`.
TRAINING = "keys"

# IVFs trained in this process (`train`): the read path of one index never adds to it (tests)
trainings = 0


@dataclass
class Header:
    identity: str | None
    dimension: int
    words: int
    digest: str
    trained_on: int
    nlist: int
    codec: str
    training: str = ""


def digest(ids: np.ndarray, keys: Sequence[tuple[str, str]]) -> str:
    """What identifies a set of vocabulary rows: their rowids, words and languages."""
    h = hashlib.blake2b(np.ascontiguousarray(ids, dtype=np.int64).tobytes(), digest_size=16)
    h.update("\n".join(f"{w}\t{lang}" for w, lang in keys).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def train(sample: np.ndarray, nlist: int, codec: str = CODEC) -> "faiss.IndexIVF":
    """An empty IVF of `nlist` lists and `codec` codes (inner product) trained on `sample`."""
    import faiss

    global trainings
    trainings += 1
    d = sample.shape[1]
    quantizer = faiss.IndexFlatIP(d)
    if codec == "flat":
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    else:
        qtype = {"8bit_uniform": faiss.ScalarQuantizer.QT_8bit_uniform, "8bit": faiss.ScalarQuantizer.QT_8bit,
                 "fp16": faiss.ScalarQuantizer.QT_fp16}[codec]
        index = faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, qtype, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()
    index.cp.niter = NITER
    index.cp.min_points_per_centroid = TRAIN_PER_LIST  # no warning for the smaller sample
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.nprobe = min(NPROBE, nlist)
    return index


def sample_rows(n: int, nlist: int) -> np.ndarray:
    """The fixed sample of rows (positions among `n`) an IVF of `nlist` lists is trained on."""
    return np.sort(np.random.default_rng(0).choice(n, min(n, TRAIN_PER_LIST * nlist), replace=False))


def lists_for(n: int) -> int:
    return max(1, int(np.sqrt(n)))


def canonical(keys: Sequence[tuple[str, str]]) -> np.ndarray:
    """The rows' positions in (word, language) order: an order of the words alone."""
    return np.asarray(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def build(vectors: np.ndarray, keys: Sequence[tuple[str, str]], ids: np.ndarray | None = None
          ) -> "faiss.IndexIVF":
    """The inverted file of these words (`vectors[i]` the vector of `keys[i]`; its ids `ids`,
    else the rows): trained on the fixed sample of them in (word, language) order, then every
    word added in that order. Equal words (keys and vectors), equal inverted file, whatever
    the rows' order: one index's and a sharded index's merged words meet the same words."""
    order = canonical(keys)
    nlist = lists_for(len(order))
    ordered = np.ascontiguousarray(vectors[order], dtype=np.float32)
    index = train(ordered[sample_rows(len(order), nlist)], nlist)
    index.add_with_ids(ordered, order if ids is None else np.asarray(ids, dtype=np.int64)[order])
    return index


def search(index: "faiss.IndexIVF", vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`index.search` as its two steps (nearest lists, then those lists), one OpenMP thread:
    as `qa.vectors._ivf_search`, the same results for less CPU."""
    from .vectors import _single_query_threads

    _single_query_threads()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    index.nprobe = min(index.nprobe, index.nlist)
    coarse, lists = index.quantizer.search(x, index.nprobe)
    return index.search_preassigned(x, k, lists, coarse)


# ------------------------------------------------------------ the file

def read_header(path: Path) -> tuple[Header, int] | None:
    """The header of a saved file and where its index starts (None: missing or unreadable)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None
            length = int.from_bytes(fh.read(8), "little")
            header = Header(**json.loads(fh.read(length)))
    except (OSError, ValueError, TypeError):
        return None
    return header, len(MAGIC) + 8 + length


def load(folder: Path, identity: str | None, dimension: int, ids: np.ndarray,
         keys: Sequence[tuple[str, str]]) -> "faiss.IndexIVF | None":
    """The saved IVF if it holds exactly the rows (`ids`, `keys`) of index `identity`, else None."""
    import faiss

    path = Path(folder) / IVF_NAME
    found = read_header(path)
    if found is None:
        return None
    header, start = found
    if header.identity != identity or header.dimension != dimension or header.words != len(ids) \
            or header.digest != digest(ids, keys):
        return None
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            index = faiss.read_index(faiss.PyCallbackIOReader(fh.read))
    except (OSError, RuntimeError):
        return None
    if not isinstance(index, faiss.IndexIVF) or index.ntotal != len(ids) or index.d != dimension:
        return None
    index.nprobe = min(NPROBE, index.nlist)
    return index


def write(folder: Path, header: Header, index: "faiss.IndexIVF") -> None:
    """Save `index` with its `header`: written whole to a temporary file, then renamed."""
    import faiss

    path = Path(folder) / IVF_NAME
    tmp = path.with_suffix(".tmp")
    text = json.dumps(header.__dict__).encode()
    with open(tmp, "wb") as fh:
        fh.write(MAGIC + len(text).to_bytes(8, "little") + text)
        writer = faiss.PyCallbackIOWriter(fh.write)
        faiss.write_index(index, writer)
        del writer
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# ------------------------------------------------------------ made by `qa index`

def active_rows(conn) -> tuple[np.ndarray, list[tuple[str, str]], list[str]]:
    """(rowids, (word, language), tokens) of the words some passage holds, by rowid: the
    vocabulary a search meets (`Store.word_vocabulary`)."""
    rows = conn.execute("SELECT rowid, word, lang, tokens FROM words WHERE uses > 0 ORDER BY rowid").fetchall()
    return (np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), [(r[1], r[2]) for r in rows],
            [r[3] for r in rows])


def active_vectors(conn, count: int, dimension: int) -> np.ndarray:
    """The float32 vectors of the `count` rows of `active_rows`, in its order (the same snapshot)."""
    out = np.empty((count, dimension), np.float32)
    cur, row = conn.execute("SELECT vector FROM words WHERE uses > 0 ORDER BY rowid"), 0
    while part := cur.fetchmany(4096):
        if row + len(part) > count:
            raise RuntimeError("the words changed while they were read")
        out[row:row + len(part)] = np.frombuffer(b"".join(r[0] for r in part), dtype=np.float16
                                                 ).reshape(len(part), dimension)
        row += len(part)
    if row != count:
        raise RuntimeError("the words changed while they were read")
    return out


def read_vectors(conn, ids: Sequence[int], dimension: int) -> np.ndarray:
    """The float32 vectors of these rowids, in their order (a row's vector never changes)."""
    ids = [int(i) for i in ids]
    out = np.empty((len(ids), dimension), np.float32)
    for first in range(0, len(ids), READ_BATCH):
        part = ids[first:first + READ_BATCH]
        got = dict(conn.execute(f"SELECT rowid, vector FROM words WHERE rowid IN ({','.join('?' * len(part))})",
                                part).fetchall())
        out[first:first + len(part)] = np.frombuffer(b"".join(got[i] for i in part), dtype=np.float16
                                                     ).reshape(len(part), dimension)
    return out


def update(conn, folder: Path, identity: str | None, dimension: int, wanted: bool) -> str:
    """Bring `words.ivf` in `folder` to the store's vocabulary (`conn`: the writer's, under
    the build lock: the words do not change meanwhile): nothing when it holds it already (made
    by `build`), else made afresh by `build` (an inverted file updated by id would keep the
    training of an earlier vocabulary: another inverted file than one index built afresh, or
    a sharded index's); removed when not `wanted` (no words, another model, a sharded index's
    shard) or under ANN_FROM words. Returns what was done."""
    path = Path(folder) / IVF_NAME
    ids, keys, _ = active_rows(conn) if wanted else (np.zeros(0, np.int64), [], [])
    if len(ids) < ANN_FROM:
        if path.exists():
            path.unlink()
            return "removed"
        return "none"
    current = digest(ids, keys)
    found = read_header(path)
    old = found[0] if found is not None and found[0].identity == identity and found[0].dimension == dimension \
        else None
    if old is not None and old.digest == current and old.words == len(ids) and old.codec == CODEC \
            and old.training == TRAINING:
        return "unchanged"
    vectors = active_vectors(conn, len(ids), dimension)
    from .vectors import _all_cores_for_blas

    with _all_cores_for_blas():
        index = build(vectors, keys, ids)
    del vectors
    if index.ntotal != len(ids):
        raise RuntimeError(f"the words' inverted file holds {index.ntotal} words, the store {len(ids)}")
    write(folder, Header(identity, dimension, len(ids), current, len(ids), int(index.nlist), CODEC, TRAINING), index)
    return "trained"
