"""`build_index`: documents -> passages -> embeddings -> store + FAISS, incrementally."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import __version__
from .encoder import Encoder, canonical_model_name, encoders
from .errors import IndexBusy, ModelMismatch, QAError
from .language import detect_language, tokenize
from .passages import chunk_document
from .readers import SUFFIXES, OcrOptions, UnreadableDocument, read_document
from .readers.ocr import check_languages
from .records import BuildReport, Document
from .sentences import sentence_spans
from .store import DB_NAME, FORMAT_VERSION, FileState, NewPassage, Store
from .vectors import FLAT, VectorIndex

MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".lock"
# Larger files are almost always logs or dumps, and would take the encoder hours.
MAX_FILE_MB = 32


@dataclass
class _Prepared:
    """A file read, hashed, parsed and cut into passages: ready to embed."""

    path: Path
    source: str
    size: int
    mtime_ns: int
    state: FileState | None
    hash: str = ""
    skip: str | None = None
    unchanged: bool = False
    title: str | None = None
    date: str | None = None
    lang: str | None = None
    text: str = ""
    passages: list[NewPassage] = field(default_factory=list)
    authors: str | None = None
    meta: dict = field(default_factory=dict)
    parts: list["_Prepared"] = field(default_factory=list)  # documents inside the file ("mail.eml › a.pdf")


def discover(roots: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files to index as (path, source) and files passed over as (source, reason).

    Sources are paths relative to their root (prefixed by the root's name when several
    roots are indexed together). Symbolic links are followed only to files inside the root.
    """
    found: list[tuple[Path, str]] = []
    passed: list[tuple[str, str]] = []
    for root in roots:
        prefix = root.name + "/" if len(roots) > 1 and root.is_dir() else ""
        if root.is_file():
            found.append((root, root.name))
            continue
        real_root = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root, onerror=None):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                source = prefix + path.relative_to(root).as_posix()
                if path.suffix.lower() not in SUFFIXES:
                    passed.append((source, f"unsupported format {path.suffix.lower() or '(no extension)'}"))
                    continue
                if path.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):
                        passed.append((source, "broken or looping symbolic link"))
                        continue
                    if not target.is_relative_to(real_root):
                        passed.append((source, "symbolic link to outside the indexed folder"))
                        continue
                found.append((path, source))
    return found, passed


def _prepare(item: _Prepared, max_chars: int, ocr: OcrOptions | None = None) -> _Prepared:
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        item.skip = f"cannot read ({exc.strerror or type(exc).__name__})"
        return item
    item.hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    if item.state is not None and item.state.hash == item.hash:
        item.unchanged = True
        return item
    try:
        doc = read_document(item.path, item.source, data, ocr)
    except UnreadableDocument as exc:
        item.skip = str(exc)
        return item
    except Exception as exc:  # a parser bug on one file must not stop the others
        item.skip = f"cannot parse ({type(exc).__name__})"
        return item
    _fill(item, doc, max_chars)
    parts, stack = [], list(reversed(doc.parts))
    while stack:  # parts of parts (an attachment's attachments) are parts of the file
        part = stack.pop()
        parts.append(_fill(_Prepared(item.path, part.source, item.size, item.mtime_ns, None, item.hash), part,
                           max_chars))
        stack.extend(reversed(part.parts))
    item.parts = [part for part in parts if not part.skip]
    return item


def _fill(item: _Prepared, doc: Document, max_chars: int) -> _Prepared:
    lang = detect_language(doc.text[:5000])
    chunks = chunk_document(doc, max_chars, lang)
    if not chunks:
        item.skip = "no text"
        return item
    item.title, item.date, item.lang, item.text = doc.title, doc.date, lang, doc.text
    item.authors, item.meta = doc.authors, doc.meta
    texts = [doc.text[chunk.start:chunk.end] for chunk in chunks]
    for chunk, text, plang in zip(chunks, texts, _passage_languages(texts, lang)):
        item.passages.append(NewPassage(chunk.paragraph, chunk.start, chunk.end, chunk.page, plang, text,
                                        tokenize(text, plang), sentence_spans(text, plang)))
    return item


# Identifying every passage's language was two thirds of parsing. A document's passages
# take its language when a sample of them, spread over the document, all agree with it;
# only a document that mixes languages is identified passage by passage. 0: always.
LANG_SAMPLE = 5


def _passage_languages(texts: list[str], lang: str) -> list[str]:
    def identify(text: str) -> str:
        # a passage's first few hundred characters tell its language as well as all of them
        return detect_language(text[:400]) if len(text) >= 40 else lang

    if LANG_SAMPLE and len(texts) > LANG_SAMPLE:
        step = len(texts) / LANG_SAMPLE
        if all(identify(texts[int(i * step)]) == lang for i in range(LANG_SAMPLE)):
            return [lang] * len(texts)
    return [identify(text) for text in texts]


# While a build runs, the interpreter switches threads every 0.5 ms instead of 5 ms.
# The parse thread's pure-Python work holds the GIL that the encoder threads must retake
# after every numpy call; at the default interval each retake can wait up to 5 ms,
# which starved the encoder far beyond parsing's own CPU cost. (A parse process was
# measured too: its start-up and pickling cost more than they saved on 2 cores.)
BUILD_SWITCH_INTERVAL = 0.0005


def _prefetch(items: Iterable[_Prepared], max_chars: int, window: int = 1024,
              window_bytes: int = 64 * 2**20, ocr: OcrOptions | None = None) -> Iterator[_Prepared]:
    """Parse files in a worker thread while the caller embeds, keeping order.

    The parser runs up to `window` files or `window_bytes` of them ahead: a batch of
    passages spans many small files, and a parser kept only a few files ahead stalled
    while the encoder ran, then made the encoder wait (2 s of an 18 s build)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-parse") as pool:
        pending: deque[tuple[Future, int]] = deque()
        queued = 0
        for item in items:
            pending.append((pool.submit(_prepare, item, max_chars, ocr), item.size))
            queued += item.size
            while pending and (len(pending) >= window or queued >= window_bytes):
                future, size = pending.popleft()
                queued -= size
                yield future.result()
        while pending:
            yield pending.popleft()[0].result()


class _Lock:
    """An exclusive lock on an index folder for the length of a build."""

    def __init__(self, directory: Path) -> None:
        from filelock import FileLock, Timeout

        self._lock = FileLock(str(directory / LOCK_NAME))
        self._timeout = Timeout
        self.directory = directory

    def __enter__(self) -> "_Lock":
        try:
            self._lock.acquire(timeout=0)
        except self._timeout:
            raise IndexBusy(f"another `qa index` is writing {self.directory}; wait for it to finish") from None
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()


def check_model(meta: dict[str, str], requested: str | None, directory: Path) -> str:
    """The model to use with an index: the one it was built with. Asking for another is an error."""
    version = int(meta.get("format_version", FORMAT_VERSION))
    if version > FORMAT_VERSION:
        raise QAError(f"index {directory} has format {version}, newer than this qa understands ({FORMAT_VERSION}); "
                      "upgrade qa or rebuild it with `qa index --rebuild`")
    built = meta.get("model")
    if built is None:
        return canonical_model_name(requested)
    if requested is not None and canonical_model_name(requested) != built:
        raise ModelMismatch(
            f"index {directory} was built with model {built!r}, not {canonical_model_name(requested)!r}; "
            f"rebuild it with `qa index PATH --index {directory} --model {requested} --rebuild` "
            "or use another --index")
    return built


def write_manifest(directory: Path, store: Store, encoder_name: str, dimension: int, kind: str,
                   index_params: dict | None = None) -> None:
    import faiss
    from importlib.metadata import PackageNotFoundError, version

    try:  # without importing it: the default model never needs torch
        st_version = version("sentence-transformers")
    except PackageNotFoundError:
        st_version = None
    manifest = {
        "format_version": FORMAT_VERSION,
        "model": encoder_name,
        "dimension": dimension,
        "index_type": kind,
        "index_params": index_params or {},
        "generation": store.generation(),
        "versions": {"qa": __version__, "faiss": faiss.__version__,
                     "sentence_transformers": st_version, "numpy": np.__version__},
        "files": {d["source"]: d["hash"] for d in store.documents()},
    }
    tmp = directory / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    os.replace(tmp, directory / MANIFEST_NAME)


def build_index(paths: Sequence[str | os.PathLike] | str | os.PathLike = ("seeds",), index: str | os.PathLike = "index",
                model: str | None = None, rebuild: bool = False, progress: bool | None = None,
                batch_passages: int = 256, max_file_mb: float = MAX_FILE_MB,
                approx_threshold: int | None = None, ocr: bool = True, ocr_lang: str | None = None) -> BuildReport:
    """Index the documents under `paths` into the folder `index`, incrementally.

    Unchanged files (same size and modification time, or same content hash) are not
    re-embedded; changed files are replaced; files no longer present are removed.
    The FAISS index is exact below `approx_threshold` passages (default
    `qa.vectors.APPROX_THRESHOLD`) and approximate, tuned, at and above it.
    Scanned PDF pages and images are read by OCR unless `ocr` is false, in the
    languages `ocr_lang` ("fra+eng"; default `qa.readers.ocr.default_languages`).
    """
    started = time.perf_counter()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    roots = [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise QAError(f"no such file or folder: {root}")
    directory = Path(index)
    if ocr and ocr_lang:
        ocr_lang = check_languages(ocr_lang)
    directory.mkdir(parents=True, exist_ok=True)
    # top level of the index folder: OCR results outlive a --rebuild
    options = OcrOptions(ocr, ocr_lang, directory / "ocr-cache", sys.stderr.isatty() if progress is None else progress)
    report = BuildReport()
    with _Lock(directory):
        if rebuild:
            for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", "vectors.faiss", "vectors.json", MANIFEST_NAME):
                (directory / name).unlink(missing_ok=True)
        store = Store(directory / DB_NAME, create=True)
        try:
            model_name = check_model(store.meta(), model, directory)
            meta = store.meta()
            if "model" in meta and "dimension" in meta:
                # an existing index: load the model only if something needs embedding
                encoder = _LazyEncoder(model_name, int(meta["dimension"]))
            else:
                encoder = encoders.get(model_name)
            _build(store, directory, encoder, roots, report, progress, batch_passages, int(max_file_mb * 2**20),
                   approx_threshold, options)
        finally:
            store.close()
    report.seconds = time.perf_counter() - started
    return report


class _LazyEncoder:
    """The index's encoder, loaded on first use: an unchanged folder never loads the model."""

    def __init__(self, name: str, dimension: int) -> None:
        self.name = name
        self.dimension = dimension
        self._encoder: Encoder | None = None

    def __getattr__(self, attr: str):
        if self._encoder is None:
            encoder = encoders.get(self.name)
            if encoder.dimension != self.dimension:
                raise ModelMismatch(f"the index holds {self.dimension}-d vectors but model {self.name!r} gives "
                                    f"{encoder.dimension}-d; rebuild it with `qa index --rebuild`")
            self._encoder = encoder
        return getattr(self._encoder, attr)


def _build(store: Store, directory: Path, encoder: Encoder, roots: list[Path], report: BuildReport,
           progress: bool | None, batch_passages: int, max_bytes: int, approx_threshold: int | None = None,
           ocr: OcrOptions | None = None) -> None:
    meta = store.meta()
    if "model" in meta and int(meta.get("dimension", encoder.dimension)) != encoder.dimension:
        raise ModelMismatch(f"index {directory} holds {meta['dimension']}-d vectors but the model gives "
                            f"{encoder.dimension}-d; rebuild it with `qa index --rebuild`")
    with store.transaction() as conn:
        store.set_meta(conn, model=encoder.name, dimension=str(encoder.dimension))

    generation = store.generation()
    stamp = VectorIndex.stamp(directory)
    dirty = stamp.get("generation") != generation
    loaded: list[VectorIndex] = []

    def load_vectors() -> VectorIndex:
        """The FAISS index, read (or rebuilt from the store) only once something changes."""
        if not loaded:
            index = VectorIndex.load(directory, encoder.dimension, generation, mmap=False)
            if index is None:
                index = VectorIndex.from_store(store, encoder.dimension, threshold=approx_threshold)
            loaded.append(index)
        return loaded[0]

    files, passed = discover(roots)
    report.skipped.extend(passed)
    states = store.file_states()
    seen = {source for _, source in files}

    gone = [state for source, state in states.items() if source not in seen]
    if gone:
        with store.transaction() as conn:
            for state in gone:
                load_vectors().remove(store.delete_document(conn, state.doc_id))
            store.bump_generation(conn)
        report.removed = len(gone)
        dirty = True

    todo: list[_Prepared] = []
    for path, source in files:
        try:
            st = path.stat()
        except OSError as exc:
            report.skipped.append((source, f"cannot read ({exc.strerror or type(exc).__name__})"))
            continue
        if not stat.S_ISREG(st.st_mode):
            report.skipped.append((source, "not a regular file"))
            continue
        if st.st_size > max_bytes:
            report.skipped.append((source, f"too large ({st.st_size / 2**20:.0f} MB; the limit is "
                                           f"{max_bytes / 2**20:.0f} MB, raise it with --max-file-mb)"))
            continue
        state = states.get(source)
        if state is not None and state.size == st.st_size and state.mtime_ns == st.st_mtime_ns:
            report.unchanged += 1
            continue
        todo.append(_Prepared(path, source, st.st_size, st.st_mtime_ns, state))

    if todo:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, BUILD_SWITCH_INTERVAL))
        try:
            _embed_files(store, encoder, load_vectors, todo, report, progress, batch_passages, ocr)
        finally:
            sys.setswitchinterval(switch)
        dirty = dirty or report.added + report.updated > 0

    report.documents, report.passages = store.counts()
    if not dirty and (directory / MANIFEST_NAME).exists():
        report.index_type = VectorIndex.describe_kind(stamp.get("kind", FLAT), stamp.get("params") or {})
        return  # nothing changed: the saved index stands, never read
    vectors = load_vectors()
    if vectors.needs_rebuild(approx_threshold):
        # the corpus crossed the size threshold (or outgrew its training): switch type
        if vectors.kind == FLAT:
            ids, array = vectors.vectors()
            vectors = VectorIndex.build(ids, array, threshold=approx_threshold)
            del ids, array
        else:
            vectors = VectorIndex.from_store(store, encoder.dimension, threshold=approx_threshold)
        dirty = True
    report.index_type = vectors.describe()
    vectors.save(directory, store.generation())
    write_manifest(directory, store, encoder.name, encoder.dimension, vectors.kind, vectors.params)


def _embed_files(store: Store, encoder, load_vectors, todo: list[_Prepared], report: BuildReport,
                 progress: bool | None, batch_passages: int, ocr: OcrOptions | None = None) -> None:
    """Parse (worker thread), embed, and store the files to (re)index, batch by batch."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(todo), unit="file", desc="indexing", disable=not show, file=sys.stderr)
    batch: list[_Prepared] = []
    batch_size = 0
    for item in _prefetch(todo, encoder.max_chars, ocr=ocr):
        bar.update(1)
        if item.skip:
            report.skipped.append((item.source, item.skip))
            continue
        if item.unchanged:
            with store.transaction() as conn:
                store.touch_document(conn, item.state.doc_id, item.size, item.mtime_ns)
            report.unchanged += 1
            continue
        batch.append(item)
        batch_size += len(item.passages) + sum(len(part.passages) for part in item.parts)
        if batch_size >= batch_passages:
            _write_batch(store, encoder, load_vectors(), batch, report)
            bar.set_postfix(passages=report.passages_embedded, refresh=False)
            batch, batch_size = [], 0
    if batch:
        _write_batch(store, encoder, load_vectors(), batch, report)
    bar.close()


def _write_batch(store: Store, encoder: Encoder, vectors: VectorIndex, batch: list[_Prepared],
                 report: BuildReport) -> None:
    docs = [doc for item in batch for doc in (item, *item.parts)]
    passages = [p for doc in docs for p in doc.passages]
    texts = [p.text for p in passages]
    # each passage's sentences get a vector too: they sharpen ranking and give the answer
    # sentence without encoding anything at question time
    embedded, per_passage = encoder.encode_passages(texts, [p.sentences for p in passages])
    new_ids: list[int] = []
    old_ids: list[int] = []
    offset = 0
    with store.transaction() as conn:
        for item in batch:
            if item.state is not None:
                old_ids.extend(store.delete_document(conn, item.state.doc_id))
                report.updated += 1
            else:
                report.added += 1
        for item in docs:
            n = len(item.passages)
            new_ids.extend(store.insert_document(conn, item.source, item.hash, item.size, item.mtime_ns,
                                                 item.title, item.date, item.lang, item.text, item.passages,
                                                 embedded[offset:offset + n], per_passage[offset:offset + n],
                                                 authors=item.authors, meta=item.meta))
            offset += n
        store.bump_generation(conn)
    vectors.remove(old_ids)
    vectors.add(np.asarray(new_ids, dtype=np.int64), embedded)
    report.passages_embedded += len(texts)
