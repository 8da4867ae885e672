"""`build_index`: documents -> passages -> embeddings -> store + FAISS, incrementally."""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import stat
import sys
import time
import unicodedata
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from . import __version__
from .compat import (VERSIONS, StoredPassage, check_fingerprint, check_model, check_probe, index_command,
                     indexed_roots, languages_outdated, passages_outdated, probe_record, tokens_outdated)
from .context import CONTEXT_VERSION, context_current, document_head
from .encoder import DEFAULT_DIMENSION, DEFAULT_MAX_CHARS, DEFAULT_MODEL, Encoder, encoders, model_fingerprint
from .errors import IndexWriteError, ModelMismatch, QAError, StaleIndex
from .freshness import racy
from .language import (TOKENS_VERSION, detect_language, identifier_record, passage_languages, tokenize,
                       tokenize_with_sentences)
from .layout import (DATA_PREFIX, BuildLock, current_data, data_name, is_index, named_index, new_identity, pointer_error,
                     publish, remove_leftovers)
from .passages import SECTIONS_VERSION, chunk_document, section_words, sections_current
from .readers import OCR_SUFFIXES, READER_VERSIONS, SUFFIXES, OcrOptions, UnreadableDocument, read_document
from .readers.ocr import check_languages, same_engine
from .records import PART_SEPARATOR, BuildReport, Document
from . import sentence_matrix
from .sentence_matrix import SentenceMatrix
from . import word_index
from .word_translation import WORDS_VERSION, content_words, word_uses
from .sentence_tokens import SENTENCE_TOKENS_VERSION, sentence_tokens_of, tokens_current
from .sentences import SENTENCES_VERSION, sentence_spans
from .store import (DB_NAME, FORMAT_VERSION, NAMES_MAX_PASSAGES, FileState, NewPassage, Store, full_storage,
                    last_ids)
from .titles import title_tokens, with_title
from .vectors import FLAT, BrokenVectors, VectorIndex

log = logging.getLogger("qa")

MANIFEST_NAME = "manifest.json"
# Files of an index made before data folders existed, kept in the index folder itself.
LEGACY_FILES = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", "vectors.faiss", "vectors.json", MANIFEST_NAME)
# Larger files are almost always logs or dumps, and would take the encoder hours.
MAX_FILE_MB = 32
# Words embedded per model call and transaction, and passages read at once (`add_words`).
WORDS_BATCH = 4096
WORDS_PASSAGES = 2000


# Why a full run removes a document whose file it no longer finds (and whose content no new file has)
GONE = "no longer in the indexed folders"


@dataclass
class OtherShards:
    """What one shard's build knows of the other shards of its index (`qa.sharded_build`): their
    documents by file hash, as (store, id), whose stored vectors a new file of that content keeps
    (a file renamed into another shard: its name decides the shard); and the sources, gone, that
    may be such a file, which the shards keep until every shard is built (`held`)."""

    documents: dict[str, tuple[Path, int]]
    held: set[str]
    # the other shards' stores, whose words' vectors a shard's new words keep (`add_words`)
    stores: list[Path] = field(default_factory=list)
    # every shard's sources before the build: the report tells a held one renamed (`renamed_reasons`)
    sources: set[str] = field(default_factory=set)


@dataclass
class _Prepared:
    """A file read, hashed, parsed and cut into passages: ready to embed."""

    path: Path
    source: str
    size: int
    mtime_ns: int
    state: FileState | None
    hash: str = ""
    ctime_ns: int | None = None
    skip: str | None = None
    unchanged: bool = False
    reread: bool = False  # read again even if its content is unchanged: its reader changed
    # unchanged, read again only for its passages' sections (an index made before them)
    sections_only: bool = False
    title: str | None = None
    date: str | None = None
    lang: str | None = None
    text: str = ""
    passages: list[NewPassage] = field(default_factory=list)
    authors: str | None = None
    meta: dict = field(default_factory=dict)
    parts: list["_Prepared"] = field(default_factory=list)  # documents inside the file ("mail.eml › a.pdf")
    # what the index holds of the file before it is replaced (`Store.stored_vectors`): the
    # vectors of passages that come back with the same words and sentences are kept
    stored: tuple[dict, list] | None = None


def source_base(roots: Sequence[Path]) -> Path:
    """The folder that sources are relative to: the root itself when one folder is indexed,
    else the deepest folder holding every root (so `a/docs` and `b/docs` stay apart)."""
    folders = [Path(os.path.abspath(r)) if Path(r).is_dir() else Path(os.path.abspath(r)).parent for r in roots]
    if len(roots) == 1:
        return folders[0]
    return Path(os.path.commonpath([str(f) for f in folders]))


def printable(name: str) -> str:
    """A path as text that can be stored and printed: the bytes of a name that is not UTF-8
    (Python holds them as lone surrogates) written as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def origin_of(path: Path) -> str | None:
    """The absolute path of an indexed file, as stored; None when it is not text (a name that
    is not UTF-8): then no change to the file can be told (`qa.freshness`)."""
    origin = os.path.abspath(path)
    return origin if printable(origin) == origin else None


LINKED_FOLDER = "a symbolic link to a folder, not followed: index that folder itself (give its path too)"
UNLISTED = "cannot list this folder ({why}): its documents stay as indexed until it can be read"
PART_NAME = f'its name holds "{PART_SEPARATOR}", which names the documents inside a file: rename it to index it'


def discover(roots: Sequence[Path]
             ) -> tuple[list[tuple[Path, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """Files to index as (path, source), files passed over as (source, reason), and folders
    that could not be listed as (source, reason) (`unlisted`).

    Sources are paths relative to `source_base(roots)`: distinct files get distinct
    sources. Symbolic links are followed only to files inside their root.
    """
    base = source_base(roots)
    found: dict[str, Path] = {}
    passed: list[tuple[str, str]] = []
    unlisted: list[tuple[str, str]] = []

    def source_of(path: Path) -> str:
        return printable(Path(os.path.abspath(path)).relative_to(base).as_posix())

    def not_listed(exc: OSError) -> None:
        # a folder that cannot be read now (its permissions, a share gone for a moment) is
        # not a folder emptied: its files are not known to be gone. One deleted (or made a file)
        # since its parent was listed is gone, and its documents with it.
        if exc.filename is not None and not isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            unlisted.append((source_of(Path(exc.filename)), UNLISTED.format(why=exc.strerror or type(exc).__name__)))

    for root in roots:
        if root.is_file():
            source = source_of(root)
            if PART_SEPARATOR in source:
                passed.append((source, PART_NAME))
            else:
                found.setdefault(source, root)
            continue
        real_root = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root, onerror=not_listed):
            # an index inside the folder (`qa index .`) holds no documents of the user's but its
            # OCR cache (.txt) and uploads, which would come back as copies of other documents
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not is_index(Path(dirpath) / d))
            # os.walk does not enter a linked folder (a loop, or the same files twice): say so,
            # rather than leave a folder linked into the indexed one silently unindexed
            for d in [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
                passed.append((source_of(Path(dirpath) / d), LINKED_FOLDER))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                source = source_of(path)
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
                if PART_SEPARATOR in source:  # the store tells a file's parts from it by their source
                    passed.append((source, PART_NAME))
                    continue
                found.setdefault(source, path)  # nested roots list a file twice: once is enough
    # a folder given twice, or inside another given, is walked twice: each file passed over once
    return [(path, source) for source, path in found.items()], list(dict.fromkeys(passed)), list(dict.fromkeys(unlisted))


def under_unlisted(source: str, unlisted: Sequence[tuple[str, str]]) -> bool:
    """Whether a document's source lies in a folder that could not be listed (`discover`)."""
    return any(folder in ("", ".") or source == folder or source.startswith(folder + "/") for folder, _ in unlisted)


# The change time recorded for a file modified (or changed) within its clock's tick before it was
# read (`qa.freshness.racy`): none has it, so the next run reads and hashes the file (and
# `qa.freshness` compares its content), then records its times once they are old enough. The change
# time too: a file copied with its older modification time (`cp -p`, `rsync -t`, `tar x`) and copied
# again within the tick keeps its size and both times.
RACY_CTIME = -1


def _prepare(item: _Prepared, max_chars: int, ocr: OcrOptions | None = None) -> _Prepared:
    try:
        data = item.path.read_bytes()
    except OSError as exc:
        item.skip = f"cannot read ({exc.strerror or type(exc).__name__})"
        return item
    if racy(max(item.mtime_ns, item.ctime_ns or 0)):
        item.ctime_ns = RACY_CTIME
    item.hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    # the size of what was read, which the hash is of: a file written to since it was listed
    # keeps its older times, so the next look at it reads it again rather than trusting them
    item.size = len(data)
    if item.state is not None and item.state.hash == item.hash and not item.reread:
        if not item.sections_only:
            item.unchanged = True
            return item
    elif item.state is not None and item.state.hash == item.hash:
        # an unchanged file whose reader changed: if it reads as stored, only its passages'
        # sections and lexical tokens are written (`Store.fill_sections`), nothing is embedded
        item.sections_only = True
    else:
        item.sections_only = False
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
        parts.append(_fill(_Prepared(item.path, part.source, item.size, item.mtime_ns, None, item.hash,
                                     ctime_ns=item.ctime_ns), part,
                           max_chars))
        stack.extend(reversed(part.parts))
    item.parts = [part for part in parts if not part.skip]
    return item


def _fill(item: _Prepared, doc: Document, max_chars: int) -> _Prepared:
    lang = detect_language(doc.text[:5000])
    chunks = chunk_document(doc, int(max_chars), lang)
    if not chunks:
        item.skip = "no text"
        return item
    item.title, item.date, item.lang, item.text = doc.title, doc.date, lang, doc.text
    item.authors, item.meta = doc.authors, doc.meta
    texts = [doc.text[chunk.start:chunk.end] for chunk in chunks]
    context = title_tokens(doc.title, item.source, lang)
    for chunk, text, plang in zip(chunks, texts, passage_languages(texts, lang)):
        spans = sentence_spans(text, plang)
        tokens, sentence_tokens = tokenize_with_sentences(text, spans, plang)
        tokens = with_title(tokens, text, doc.title, context) + tokenize(section_words(chunk.section, text), plang)
        item.passages.append(NewPassage(chunk.paragraph, chunk.start, chunk.end, chunk.page, plang, text,
                                        tokens, spans, sentence_tokens, chunk.section))
    return item


def identify_again(text: str, passages: list[str]) -> tuple[str, list[str]]:
    """The languages a build now gives a stored document of `text` and its `passages`' texts
    (`_fill`): the document's and each passage's."""
    lang = detect_language(text[:5000])
    return lang, passage_languages(passages, lang)


def passage_tokens(text: str, lang: str | None, title: str | None, source: str, doc_lang: str | None,
                   section: str | None = None) -> list[str]:
    """A stored passage's lexical tokens: its words, its document's title terms and its section's."""
    return (with_title(tokenize(text, lang), text, title, title_tokens(title, source, doc_lang))
            + tokenize(section_words(section, text), lang))




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


def write_manifest(directory: Path, store: Store, encoder_name: str, dimension: int, kind: str,
                   index_params: dict | None = None) -> None:
    import faiss
    from importlib.metadata import PackageNotFoundError, version

    try:  # without importing it: the default model never needs torch
        st_version = version("sentence-transformers")
    except PackageNotFoundError:
        st_version = None
    meta = store.meta()
    manifest = {
        "format_version": FORMAT_VERSION,
        "identity": store.identity(),
        "model": encoder_name,
        "dimension": dimension,
        "index_type": kind,
        "index_params": index_params or {},
        "generation": store.generation(),
        **{key: int(meta.get(key, 1)) for key in VERSIONS},
        "versions": {"qa": __version__, "faiss": faiss.__version__,
                     "sentence_transformers": st_version, "numpy": np.__version__},
        "files": {d["source"]: d["hash"] for d in store.documents()},
    }
    tmp = directory / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    os.replace(tmp, directory / MANIFEST_NAME)


# Errors of the storage under the index, not of one document (those skip the document).
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO}


@contextmanager
def storage_errors(directory: Path) -> Iterator[None]:
    """A write to the index that failed (full disk, read-only or failing storage) as one clear
    `IndexWriteError`: what earlier transactions stored stays, and the next `qa index` goes on."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if not any(word in text for word in ("full", "disk I/O", "readonly", "unable to open")):
            raise
        # SQLite says "disk I/O error" when its write-ahead log cannot grow on a full disk
        cause = "the disk is full" if "full" in text or full_storage(directory) else text
    except OSError as exc:
        if exc.errno not in _STORAGE_ERRNOS:
            raise
        cause = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
    except RuntimeError as exc:  # FAISS's own writer, whose message names its C++ source, not the cause
        if "write error" not in str(exc) and "for writing" not in str(exc):
            raise
        cause = "the disk is full" if full_storage(directory) else "the vector index file could not be written"
    else:
        return
    raise IndexWriteError(f"cannot write the index at {directory} ({cause}); what was indexed before stays "
                          f"searchable: make room (or fix the storage) and run `qa index` again") from None


def existing_roots(paths: Sequence[str | os.PathLike] | str | os.PathLike) -> list[Path]:
    """The files and folders to index, each checked to exist."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    roots = [Path(p) for p in paths]
    if not roots:
        raise QAError("no file or folder to index")
    for root in roots:
        if not root.exists():
            raise QAError(f"no such file or folder: {root}")
    return roots


def recorded_ocr(index: str | os.PathLike) -> dict[str, object]:
    """The OCR options (`ocr`, `ocr_lang` of `build_index`) of the index's last full run: what
    files added later (the chat's uploads) are read with, so that the next run finds them
    read as the others were."""
    from .shards import databases

    for db in databases(index) if is_index(Path(index)) else []:
        if db.exists():
            store = Store(db)
            try:
                setting = store.meta().get("ocr")
            finally:
                store.close()
            if setting == "off":
                return {"ocr": False}
            try:
                return {"ocr_lang": check_languages(setting)} if setting not in (None, "unavailable", "mixed") else {}
            except QAError:  # its languages are no longer installed: the defaults
                return {}
    return {}


def build_index(paths: Sequence[str | os.PathLike] | str | os.PathLike = ("seeds",), index: str | os.PathLike = "index",
                model: str | None = None, rebuild: bool = False, progress: bool | None = None,
                batch_passages: int = 256, max_file_mb: float = MAX_FILE_MB,
                approx_threshold: int | None = None, add: bool = False, ocr: bool = True,
                ocr_lang: str | None = None, shards: int | None = None,
                select: Callable[[str], bool] | None = None, nlist_scale: int = 1,
                known: dict[str, FileState] | None = None, others: OtherShards | None = None,
                ledger: Path | None = None) -> BuildReport:
    """Index the documents under `paths` into the folder `index`, incrementally.

    Unchanged files (same size and modification time, or same content hash) are not
    re-embedded; changed files are replaced. By default the index mirrors `paths`:
    documents not found there any more are removed. With `add`, the files under `paths`
    are indexed and every other document stays. A file that can no longer be indexed
    (too large, unreadable, no text...) leaves the index, with its reason in the report.

    `rebuild` builds a new index beside the old one and swaps it in when complete: a
    server reading the old one keeps answering from it until then. The FAISS index is
    exact below `approx_threshold` passages (default `qa.vectors.APPROX_THRESHOLD`) and
    approximate, tuned, at and above it. Scanned PDF pages and images are read by OCR
    unless `ocr` is false, in the languages `ocr_lang` ("fra+eng"; default
    `qa.readers.ocr.default_languages`).

    `shards` makes (or rebuilds) a sharded index of that many shards (`qa/sharded_build.py`);
    an existing sharded index is updated as one. `select` keeps only the sources it accepts
    (with `add`, as `known`, the documents of every shard, names the files: `add_sources`);
    `nlist_scale` sizes an approximate index's inverted lists for that many times its passages
    (a shard of N: the whole collection's, `VectorIndex.build`); `others`: the other shards
    (`OtherShards`); `ledger`: a shard's record of the ids it gives out (`qa.shards.IdLedger`; an
    index of one store keeps its own in the index folder).
    """
    from .shards import INDEX_LEDGER, IdLedger, abandoned_cited, is_sharded, orphan_cited, orphan_error

    if shards is not None or is_sharded(index):
        from .sharded_build import build_sharded

        return build_sharded(paths, index, shards=shards, model=model, rebuild=rebuild, progress=progress,
                             batch_passages=batch_passages, max_file_mb=max_file_mb,
                             approx_threshold=approx_threshold, add=add, ocr=ocr, ocr_lang=ocr_lang)
    started = time.perf_counter()
    roots = existing_roots(paths)
    directory = Path(index)
    if ocr and ocr_lang:
        ocr_lang = check_languages(ocr_lang)
    directory.mkdir(parents=True, exist_ok=True)
    # top level of the index folder: OCR results outlive a --rebuild
    options = OcrOptions(ocr, ocr_lang, directory / "ocr-cache", sys.stderr.isatty() if progress is None else progress)
    report = BuildReport()
    with BuildLock(directory), storage_errors(directory):
        # an index that lost a part (its pointer, shards.json) is not a new index: rebuilt only
        # when asked, its ids as cited then naming nothing in the new one
        orphaned: dict[str, int] = {}
        if error := pointer_error(directory):
            if not rebuild:
                raise error
            orphaned = abandoned_cited(directory)
        remove_leftovers(directory)
        current = current_data(directory)
        exists = (current / DB_NAME).exists()
        if not exists and (error := orphan_error(directory, current)):
            if not rebuild:
                raise error
            orphaned = orphan_cited(current)
        swap = rebuild and exists
        if rebuild or not exists:
            identity = new_identity()
            data = directory / data_name(identity)
            data.mkdir()
            if not swap:  # a new index: visible at once, so that a crash keeps what was done
                publish(directory, data)
        else:
            data, identity = current, new_identity()  # the identity is used only by an older store without one
        try:
            store = Store(data / DB_NAME, create=True, identity=identity, versions=VERSIONS)
            store.before_commit = IdLedger(ledger if ledger is not None else directory / INDEX_LEDGER)
            try:
                # ids as cited (a reply on screen, an API client) name nothing in a new store, nor in
                # one whose file was deleted or put back from an older copy: above the replaced
                # store's, the lost index's, and those the ledger recorded
                floor: dict[str, int] = {}
                for ids in (last_ids(current / DB_NAME) if swap else {}, orphaned, store.before_commit.recorded):
                    for table, last in ids.items():
                        floor[table] = max(floor.get(table, 0), last)
                given = last_ids(store.path)
                if any(last > given.get(table, 0) for table, last in floor.items()):
                    store.number_after({table: max(last, given.get(table, 0)) for table, last in floor.items()})
                _update(store, data, model, roots, report, progress, batch_passages, int(max_file_mb * 2**20),
                        approx_threshold, add, options, select, nlist_scale, known, others)
            finally:
                store.close()
        except BaseException:
            if swap:
                shutil.rmtree(data, ignore_errors=True)  # the old index stays as it was
            raise
        if swap:
            publish(directory, data)
            remove_leftovers(directory)
            if current == directory:  # an index of the older layout: its files go now
                for name in LEGACY_FILES:
                    (directory / name).unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


def _update(store: Store, data: Path, model: str | None, roots: list[Path], report: BuildReport,
            progress: bool | None, batch_passages: int, max_bytes: int, approx_threshold: int | None,
            add: bool, ocr: OcrOptions | None = None, select: Callable[[str], bool] | None = None,
            nlist_scale: int = 1, known: dict[str, FileState] | None = None,
            others: OtherShards | None = None) -> None:
    meta = store.meta()
    index = data.parent if data.name.startswith(DATA_PREFIX) else data  # the folder users name
    model_name = check_model(meta, model, index)
    why = passages_outdated(meta)
    if why and store.counts()[1]:
        raise StaleIndex(f"the index {named_index(index)}: {why}; rebuild it with "
                         f"{index_command(index, meta, '--rebuild')}")
    if languages_outdated(meta):
        # before the tokens: those written again below (a tokens version changed too) follow the new languages
        report.identified, report.relabelled = store.relabel(identify_again, passage_tokens, sentence_tokens_of,
                                                             identifier_record())
        if report.identified:
            log.info("identified the languages of %d passages again for another language identifier: %d passages "
                     "re-tokenized (nothing re-embedded)", report.identified, report.relabelled)
    if tokens_outdated(meta):
        report.retokenized = store.retokenize(passage_tokens, TOKENS_VERSION, sentence_tokens_of,
                                              SENTENCE_TOKENS_VERSION, word_tokens)
        log.info("re-tokenized %d passages for tokens version %d (nothing re-embedded)",
                 report.retokenized, TOKENS_VERSION)
    elif not tokens_current(meta):
        report.sentence_tokens = store.fill_sentence_tokens(sentence_tokens_of, SENTENCE_TOKENS_VERSION)
        log.info("stored the sentence tokens of %d passages for sentence tokens version %d (nothing re-embedded)",
                 report.sentence_tokens, SENTENCE_TOKENS_VERSION)
    if "model" in meta and "dimension" in meta:
        # an existing index: load the model only if something needs embedding
        encoder = _LazyEncoder(model_name, int(meta["dimension"]), meta.get("max_chars"), meta=meta, index=index,
                               stored=lambda: store.first_passage(int(meta["dimension"])))
    elif model_name == DEFAULT_MODEL:
        # a new index: the model (imports included, seconds of a cold build) loads in a thread
        # while the files are found and parsed, which need only its passage length
        encoder = _LazyEncoder(model_name, DEFAULT_DIMENSION, str(DEFAULT_MAX_CHARS), preload=True)
    else:
        encoder = encoders.get(model_name)
    if not context_current(meta):
        report.contexts = add_contexts(store, encoder)
    sections = not sections_current(meta) and store.counts()[1] > 0
    _build(store, data, encoder, roots, report, progress, batch_passages, max_bytes, approx_threshold, add,
           dirty=report.retokenized > 0 or report.contexts > 0 or report.sentence_tokens > 0 or report.relabelled > 0,
           ocr=ocr, select=select,
           nlist_scale=nlist_scale, fill_sections=sections, known=known, others=others)
    loaded = encoder.loaded_encoder if isinstance(encoder, _LazyEncoder) else encoder
    if loaded is not None and "model_probe" not in store.meta() and (vector := loaded.probe()) is not None:
        with store.transaction() as conn:  # what the model gives, checked when it is loaded again (`check_probe`)
            store.set_meta(conn, model_probe=probe_record(vector))
    if add and (grown := added_roots(meta.get("roots"), roots)) is not None:
        with store.transaction() as conn:
            # the folders a full run must be given to keep what --add brought in (`qa.compat.index_command`)
            store.set_meta(conn, roots=json.dumps(grown))
    if not add:
        with store.transaction() as conn:
            # what the index mirrors, named by the commands its messages tell (`qa.compat.index_command`)
            store.set_meta(conn, roots=json.dumps([os.path.abspath(root) for root in roots]))
            if not sections_current(meta):  # with --add, the files not named are still to read
                store.set_meta(conn, sections_version=str(SECTIONS_VERSION))
        if sections:
            log.info("stored the sections of %d documents for sections version %d (nothing re-embedded)",
                     report.sections, SECTIONS_VERSION)


def added_roots(recorded: str | None, added: Sequence[Path]) -> list[str] | None:
    """The index's recorded folders (meta `roots`, JSON) with the paths a `qa index --add` was given:
    a full run of the recorded folders alone would take out every document the --add brought in.
    A path inside a recorded folder adds nothing; a recorded one inside a path given goes. None when
    nothing changes, or when the index recorded no folders (one made before they were recorded):
    the added paths alone would name a command that takes its other documents out."""
    try:
        roots = json.loads(recorded or "null")
    except ValueError:
        return None
    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) for r in roots):
        return None

    grown = list(roots)
    for path in (os.path.abspath(p) for p in added):
        if any(_inside(path, root) for root in grown):
            continue
        grown = [root for root in grown if not _inside(root, path)] + [path]
    return None if grown == roots else grown


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def roots_after_removal(recorded: str | None, removed: Iterable[str | None], kept: Iterable[str | None]
                        ) -> list[str] | None:
    """The index's recorded folders (meta `roots`, JSON) once the documents of the files `removed`
    (their origins) are taken out by `qa remove` and those of `kept` stay: a folder whose every
    document was removed goes, since a full run of it would index them all again (a folder added
    with --add, then removed). None when nothing changes."""
    try:
        roots = json.loads(recorded or "null")
    except ValueError:
        return None
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        return None
    removed, kept = [o for o in removed if o], [o for o in kept if o]
    left = [root for root in roots
            if not any(_inside(o, root) for o in removed) or any(_inside(o, root) for o in kept)]
    return None if left == roots else left


def add_contexts(store: Store, encoder) -> int:
    """Embed the head of every document of several passages that has no context vector (an
    index made before contexts existed), in one transaction, and record the context version:
    passages are not re-embedded. Returns how many documents got one."""
    docs = store.documents_without_context()
    vectors = encoder.encode_passages([document_head(*row[1:]) for row in docs], [[]] * len(docs))[0] if docs else []
    with store.transaction() as conn:
        store.set_contexts(conn, {row[0]: vector for row, vector in zip(docs, vectors)})
        store.set_meta(conn, context_version=str(CONTEXT_VERSION))
        if docs:
            store.bump_generation(conn)
    if docs:
        log.info("embedded the head of %d documents for context version %d (no passage re-embedded)",
                 len(docs), CONTEXT_VERSION)
    return len(docs)


def word_tokens(word: str, lang: str | None) -> list[str]:
    """A stored word's tokens: a question's (`variants` false), since they stand for the word in
    a question that word translation meets (`qa.word_translation`)."""
    return tokenize(word, lang, variants=False)


def add_words(store: Store, encoder, batch: int = WORDS_BATCH, elsewhere: Sequence[Path] = ()) -> int:
    """Embed the content words of the passages added since the last build (every passage, for
    an index made before words were stored) that the `words` table lacks, in their passage's
    language (`qa.word_translation`), and count the passages holding each word (a removed
    passage uncounts its words: `delete_document`). Returns how many words were embedded (a
    word stored already in another language, or by another shard, is not). A
    store too large for the channel gets none (they come if it shrinks back). `elsewhere`: other
    stores of the same model (a sharded index's other shards) whose words' vectors are kept too."""
    if store.counts()[1] > NAMES_MAX_PASSAGES:
        return 0  # searched without word translation (`Store.word_vocabulary`): nothing to embed
    meta = store.meta()
    through = words_through(store)
    if through < 0 and "words_version" in meta:  # counted by another version: counted again
        with store.transaction() as conn:
            store.reset_word_uses(conn)
    last, pending, uses, added = through, {}, {}, 0

    def flush(pending: dict[tuple[str, str], str | None], uses: dict[tuple[str, str], int], last: int) -> int:
        known = store.known_words(pending)
        fresh = [p for p in pending if p not in known]
        # a word's vector depends on its spelling only: one met in several languages, or stored
        # already in another, is embedded once (as embedded again it could differ only by the
        # float16 rounding step that the other words of a batch may move)
        spelled = list(dict.fromkeys(w for w, _ in fresh))
        vectors: dict[str, np.ndarray | bytes] = store.stored_word_vectors(spelled) if fresh else {}
        new = [w for w in spelled if w not in vectors]
        for db in elsewhere if new else ():  # a file renamed into this shard brings another shard's words
            other = Store(db)
            try:
                vectors.update(other.stored_word_vectors(new))
            except sqlite3.Error:  # a store that cannot be read: its words are embedded here
                pass
            finally:
                other.close()
            new = [w for w in new if w not in vectors]
            if not new:
                break
        if new:
            vectors.update(zip(new, encoder.encode_words(new)))
        with store.transaction() as conn:  # tokens of new words only (`pending` holds their passage's language)
            store.add_words(conn, [(w, lang, word_tokens(w, pending[(w, lang)]), vectors[w]) for w, lang in fresh],
                            uses, last, WORDS_VERSION)
        # those embedded: a word stored again in another language (its passage's identified again) keeps its vector
        return len(new)

    # One batch of words is embedded and stored (in its own thread) while the next one is
    # collected: collecting is single-threaded Python that left the encoder idle. Batches are
    # embedded and stored in order, one at a time.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-words") as flusher:
        running: Future | None = None

        def submit() -> None:
            nonlocal running, pending, uses, added
            if running is not None:
                added += running.result()
            running = flusher.submit(flush, pending, uses, last)
            pending, uses = {}, {}

        while rows := store.passages_after(last, WORDS_PASSAGES):
            for passage_id, lang, text in rows:
                for w in content_words(text, lang):
                    key = (w, lang or "")
                    uses[key] = uses.get(key, 0) + 1
                    if key not in pending:
                        pending[key] = lang
                last = passage_id
                if len(pending) >= batch:
                    submit()
        if pending or last != through or "words_version" not in meta:
            submit()
        if running is not None:
            added += running.result()
    if added:
        log.info("embedded %d words of the passages' vocabulary (word translation, word translation version %d)",
                 added, WORDS_VERSION)
    return added


def words_through(store: Store) -> int:
    """The last passage id whose words `add_words` counted (-1: none, or another version's)."""
    meta = store.meta()
    return int(meta.get("words_through", -1)) if meta.get("words_version") == str(WORDS_VERSION) else -1


def delete_document(store: Store, conn, doc_id: int) -> list[int]:
    """`Store.delete_document`, the words of its counted passages uncounted in the same
    transaction (a word no passage holds is no longer met: as in an index built afresh)."""
    through = words_through(store)
    if through >= 0:
        gone = word_uses(r for r in store.document_passages(conn, doc_id) if r[0] <= through)
        if gone:
            store.count_words(conn, {key: -n for key, n in gone.items()})
    return store.delete_document(conn, doc_id)


def documents_matching(states: dict[str, FileState], given: str | os.PathLike) -> dict[str, FileState]:
    """The indexed documents that `given` names: a source as cited (a file, or a folder of
    them) or the path of an indexed file or folder on this machine; refused (`QAError`) when the two
    name different documents. Names as given first; when none matches, in one Unicode form: a file
    copied from macOS is named in decomposed form, the name typed at a terminal in composed form
    (the same on screen)."""
    for form in (str, nfc):
        wanted = form(str(given).strip().rstrip("/"))
        absolute = form(os.path.abspath(given))
        cited = {source: state for source, state in states.items()
                 if form(source) == wanted or form(source).startswith(wanted + "/")}
        here = {source: state for source, state in states.items()
                if state.origin and (form(state.origin) == absolute
                                     or form(state.origin).startswith(absolute.rstrip(os.sep) + os.sep))}
        if cited and here and cited.keys() != here.keys():
            # run from a subfolder, `a.txt` is the document cited `a.txt` and the file here, cited
            # `sub/a.txt`: taking both out would remove a document nobody named
            raise QAError(f"{str(given)!r} names two things: {_named(cited)} as cited, and {_named(here)} "
                          "as a path from this folder; give the full path of the file to remove")
        if cited and not here and _unindexed_file(absolute, states, cited):
            # the same, `sub/a.txt` not indexed (added since): the name as cited would take out
            # another file's document
            raise QAError(f"{str(given)!r} names two things: {_named(cited)} as cited, and {absolute} as a path "
                          "from this folder, which is not indexed; give the full path of the file to remove")
        if cited or here:
            return {**cited, **here}
    return {}


def _unindexed_file(path: str, states: dict[str, FileState], cited: dict[str, FileState]) -> bool:
    """Whether `path` is a file, or a folder, that no indexed document comes from (in any Unicode
    form) while every document of `cited` comes from a file there elsewhere (of a folder moved since
    it was indexed, the name as cited is the only one left that names them)."""
    if not os.path.exists(path):
        return False
    path = nfc(path)
    inside = path.rstrip(os.sep) + os.sep
    return (not any(state.origin and (nfc(state.origin) == path or nfc(state.origin).startswith(inside))
                    for state in states.values())
            and all(state.origin and os.path.exists(state.origin) for state in cited.values()))


def _named(found: dict[str, FileState]) -> str:
    shown = [f"{source} ({state.origin})" if state.origin else source for source, state in sorted(found.items())[:2]]
    return ", ".join(shown) + (f" and {len(found) - 2} more" if len(found) > 2 else "")


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def remove_documents(index: str | os.PathLike, paths: Sequence[str | os.PathLike],
                     missing_ok: bool = False, reason: str | dict[str, str] = "removed on request",
                     exact: bool = False, roots: bool = True) -> BuildReport:
    """Remove documents from the index at `index`: each path is a source as cited (a file,
    or a folder of them) or the path of an indexed file or folder on this machine. A path
    that names no document is an error, unless `missing_ok`. `reason`: the report's; `exact`:
    the paths are sources, each naming its document only (a shard's files gone: `qa.sharded_build`).
    `roots`: a recorded folder left without documents goes from the record (`roots_after_removal`)."""
    from .shards import is_sharded

    if any(not str(given).strip() for given in paths):
        # os.path.abspath("") is the current folder: an empty argument would remove all under it
        raise QAError("an empty path names no document: give a source as cited or the path of an indexed file")
    if is_sharded(index):
        from .sharded_build import remove_sharded

        return remove_sharded(index, paths)
    started = time.perf_counter()
    directory = Path(index)
    report = BuildReport()
    with BuildLock(directory), storage_errors(directory):
        data = current_data(directory)
        if not (data / DB_NAME).exists():
            from .shards import orphan_error

            raise pointer_error(directory) or orphan_error(directory, data) or QAError(f"no index at {directory}")
        store = Store(data / DB_NAME, create=True, identity=new_identity(), versions=VERSIONS)
        try:
            meta = store.meta()
            if "model" not in meta:
                raise QAError(f"the index at {directory} is empty")
            states = store.file_states()
            chosen: dict[str, FileState] = {}
            for given in paths:
                matches = ({str(given): states[str(given)]} if str(given) in states else {}) if exact \
                    else documents_matching(states, given)
                if not matches and not missing_ok:
                    raise QAError(f"no indexed document matches {given!r}: give a source as cited "
                                  "(see `qa ask` or the chat) or the path of an indexed file")
                chosen.update(matches)
            writer = _Writer(store, data, int(meta["dimension"]), None)
            writer.remove(sorted(chosen.items()), reason, report)
            writer.finish(meta["model"], report)
            left = roots_after_removal(meta.get("roots"), (s.origin for s in chosen.values()),
                                       (s.origin for s in store.file_states().values())) if roots and not exact else None
            if left is not None:
                with store.transaction() as conn:  # the commands an index tells name what is left
                    store.set_meta(conn, roots=json.dumps(left))
        finally:
            store.close()
    report.seconds = time.perf_counter() - started
    return report


class _LazyEncoder:
    """The index's encoder, loaded on first use: an unchanged folder never loads the model."""

    def __init__(self, name: str, dimension: int, max_chars: str | None = None, preload: bool = False,
                 meta: dict[str, str] | None = None, index: Path | None = None,
                 stored: Callable[[], StoredPassage | None] | None = None) -> None:
        self.name = name
        self.dimension = dimension
        # the index's record, to check the model as loaded against (a hub model may be fetched anew),
        # and a passage it holds, for an index that records no probe
        self._meta, self._index, self._stored = meta or {}, index, stored
        if max_chars is not None:
            self.max_chars = int(max_chars)  # known from the index: reading it loads nothing
        self._encoder: Encoder | None = None
        # `preload`: a new index's model, loaded at once in a thread of its own
        self._loading: Future | None = None
        if preload:
            loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-model")
            self._loading = loader.submit(encoders.get, name)
            loader.shutdown(wait=False)

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    @property
    def loaded_encoder(self) -> Encoder | None:
        return self._encoder

    def __getattr__(self, attr: str):
        if attr.startswith("__") or attr in ("_encoder", "_loading", "_meta", "_index", "_stored"):
            raise AttributeError(attr)
        if self._encoder is None:
            encoder = self._loading.result() if self._loading is not None else encoders.get(self.name)
            if encoder.dimension != self.dimension:
                raise ModelMismatch(f"the index holds {self.dimension}-d vectors but model {self.name!r} gives "
                                    f"{encoder.dimension}-d; rebuild it with `qa index --rebuild`")
            check_fingerprint(self._meta, encoder.fingerprint, self._index or Path(self.name))
            check_probe(self._meta, encoder, self._index or Path(self.name), self._stored)
            self._encoder = encoder
        return getattr(self._encoder, attr)


class _Writer:
    """The vector side of one build: the FAISS index, read (or rebuilt from the store) only
    once something changes, and saved with the manifest at the end."""

    def __init__(self, store: Store, data: Path, dimension: int, approx_threshold: int | None,
                 nlist_scale: int = 1) -> None:
        self.store = store
        self.data = data
        self.dimension = dimension
        self.approx_threshold = approx_threshold
        self.nlist_scale = nlist_scale
        self._vectors: VectorIndex | None = None
        self.dirty = False

    def vectors(self) -> VectorIndex:
        if self._vectors is None:
            generation = self.store.generation()
            try:
                index = VectorIndex.load(self.data, self.dimension, generation, self.store.identity(), mmap=False)
            except BrokenVectors as exc:
                log.warning("the saved vector index is not usable (%s): rebuilding it from the store", exc)
                index = None
            if index is None:
                index = VectorIndex.from_store(self.store, self.dimension, threshold=self.approx_threshold,
                                               nlist_scale=self.nlist_scale)
            self._vectors = index
        return self._vectors

    def remove(self, documents: list[tuple[str, FileState]], reason: str | dict[str, str],
               report: BuildReport) -> None:
        """Remove these documents (source, state) from the store and the vectors, in one transaction."""
        if not documents:
            return
        vectors = self.vectors()
        removed: list[int] = []
        with self.store.transaction() as conn:
            for _, state in documents:
                removed.extend(delete_document(self.store, conn, state.doc_id))
            self.store.bump_generation(conn)
        vectors.remove(removed)
        for source, _ in documents:
            report.removed_files.append((source, reason if isinstance(reason, str) else reason[source]))
        report.removed += len(documents)
        self.dirty = True

    def finish(self, model_name: str, report: BuildReport) -> None:
        """Save the vectors and the manifest if anything changed (or they are missing)."""
        report.documents, report.passages = self.store.counts()
        stamp = VectorIndex.stamp(self.data)
        fresh = (stamp.get("generation") == self.store.generation()
                 and stamp.get("identity") in (None, self.store.identity())
                 and (self.data / MANIFEST_NAME).exists())
        if not self.dirty and fresh:
            report.index_type = VectorIndex.describe_kind(stamp.get("kind", FLAT), stamp.get("params") or {})
            if SentenceMatrix.stamp(self.data).get("generation") != self.store.generation():
                sentence_matrix.write(self.store, self.data, self.dimension, self.store.identity())
            self.words(model_name)  # made now for an index of before it; else its digest matches
            return  # nothing changed: the saved index stands, never read
        vectors = self.vectors()
        if vectors.needs_rebuild(self.approx_threshold):
            # the corpus crossed the size threshold (or outgrew its training): switch type
            if vectors.kind == FLAT:
                ids, array = vectors.vectors()
                vectors = VectorIndex.build(ids, array, threshold=self.approx_threshold, nlist_scale=self.nlist_scale)
                del ids, array
            else:
                vectors = VectorIndex.from_store(self.store, self.dimension, threshold=self.approx_threshold,
                                                 nlist_scale=self.nlist_scale)
            self._vectors = vectors
        # before the build is counted: a search that reads the words again for it finds their file
        self.words(model_name)
        if self.dirty:
            with self.store.transaction() as conn:
                self.store.finish_build(conn)
        report.index_type = vectors.describe()
        vectors.save(self.data, self.store.generation(), self.store.identity())
        sentence_matrix.write(self.store, self.data, self.dimension, self.store.identity())
        write_manifest(self.data, self.store, model_name, self.dimension, vectors.kind, vectors.params)


    def words(self, model_name: str) -> None:
        """The vocabulary's inverted file (`qa.word_index`) brought to the store's words: none
        for a shard of a sharded index (its shards' words are merged when searched), another
        model's index or one too large for word translation (`add_words`)."""
        from .shards import MANIFEST as SHARDS

        meta = self.store.meta()
        shard = self.nlist_scale > 1 or any((folder / SHARDS).exists() for folder in (self.data.parent, self.data.parent.parent))
        wanted = (model_name == DEFAULT_MODEL and not shard and meta.get("words_version") == str(WORDS_VERSION)
                  and self.store.counts()[1] <= NAMES_MAX_PASSAGES)
        started = time.process_time()
        done = word_index.update(self.store.connection(), self.data, self.store.identity(), self.dimension, wanted)
        if done not in ("none", "unchanged"):
            log.info("the words' inverted file: %s in %.1f s CPU", done, time.process_time() - started)


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f}" if size >= 10 * 2**20 else f"{size / 2**20:.2g}"


def _unique_source(source: str, path: Path, states: dict[str, FileState], taken: set[str]) -> str:
    """With `add`, a source already used by another file gets its parent folders in front
    until it is unique (`report.pdf` -> `q3/report.pdf`)."""
    origin = os.path.abspath(path)
    state = states.get(source)
    if (state is None or state.origin in (None, origin)) and source not in taken:
        return source
    parts = Path(origin).parts
    for depth in range(2, len(parts)):
        candidate = printable("/".join(parts[-depth:]))
        state = states.get(candidate)
        if (state is None or state.origin == origin) and candidate not in taken:
            return candidate
    return printable(origin.lstrip("/"))


def add_sources(files: list[tuple[Path, str]], states: dict[str, FileState],
                recorded: Sequence[str] | None = None) -> list[tuple[Path, str]]:
    """The sources of files indexed with `add` (`discover`'s (path, source)), given the index's
    documents (`states`): a file indexed before under another source (a folder of it indexed, now
    the file alone) keeps that source, updated, not indexed twice; a new file inside the index's
    recorded folders (`recorded`, `qa.compat.indexed_roots`) is named as the documents indexed
    there are (`named_as_indexed`); a source another file holds gets parent folders in front
    (`_unique_source`)."""
    taken: set[str] = set()
    renamed = []
    indexed_as = {state.origin: source for source, state in states.items() if state.origin}
    bases = folder_bases(recorded, states)
    listed: dict[str, bool] = {}
    for path, source in files:
        known = indexed_as.get(origin_of(path))
        if known is None or known in taken:
            source = _unique_source(named_as_indexed(path, bases, listed) or source, path, states, taken)
        else:
            source = known
        taken.add(source)
        renamed.append((path, source))
    return renamed


def folder_bases(recorded: Sequence[str] | None, states: dict[str, FileState]) -> dict[str, str]:
    """For each of the index's recorded folders (`qa.compat.indexed_roots`) that holds indexed
    documents, the folder their sources are relative to ("/home/me/docs/" for "fr/pain.txt"), as
    most of them are named: the last full run's base."""
    counts: dict[str, dict[str, int]] = {}
    for source, state in states.items():
        origin = state.origin
        if not recorded or not origin or not origin.endswith("/" + source):
            continue
        root = next((r for r in recorded if _inside(origin, r)), None)
        if root is not None:
            base = counts.setdefault(root, {})
            base[origin[:-len(source)]] = base.get(origin[:-len(source)], 0) + 1
    return {root: max(found, key=lambda b: (found[b], len(b))) for root, found in counts.items()}


def named_as_indexed(path: Path, bases: dict[str, str], listed: dict[str, bool] | None = None) -> str | None:
    """The source of a new file given to `--add` inside a recorded folder (`bases`: `folder_bases`):
    relative to the folder its indexed neighbours are named from, as a full run names it. None when
    a full run does not list it (hidden, or in a hidden or index folder), or no recorded folder holds
    it. `qa index docs/fr --add` named a new `docs/fr/vin.txt` "vin.txt" beside "fr/pain.txt": a
    folder filter `fr` left it out, and the next full run renamed it (a new id, its links broken)."""
    origin = os.path.abspath(path)
    root = next((r for r in bases if _inside(origin, r)), None)
    if root is None or not origin.startswith(bases[root]):
        return None
    listed = {} if listed is None else listed  # by folder, for the files of one build

    def walked(folder: str) -> bool:
        if folder == root or not _inside(folder, root):
            return True
        if folder not in listed:
            listed[folder] = (not os.path.basename(folder).startswith(".") and not is_index(Path(folder))
                              and walked(os.path.dirname(folder)))
        return listed[folder]

    folder, name = os.path.split(origin)
    if name.startswith(".") or not walked(folder):
        return None
    return printable(origin[len(bases[root]):].replace(os.sep, "/"))


def stale_readers(meta: dict) -> set[str]:
    """Suffixes whose reader changed since the index read its files (`meta`: `Store.meta()`):
    files of these are read again even when unchanged. Every suffix when the sentence
    boundaries changed (`SENTENCES_VERSION`; an index made before it recorded them: 1)."""
    read_with = json.loads(meta.get("reader_versions", "{}"))
    if meta.get("sentences_version", "1") != str(SENTENCES_VERSION):
        return {*READER_VERSIONS, *read_with}
    return {suffix for suffix in {*READER_VERSIONS, *read_with}
            if read_with.get(suffix, 1) != READER_VERSIONS.get(suffix, 1)}


def reread_suffixes(meta: dict, ocr_setting: str, ocr_engine: str | None = None) -> set[str]:
    """Suffixes whose files a build reads again even when unchanged: their reader changed, or
    OCR (`OcrOptions.setting`, run by `OcrOptions.engine`) now reads them otherwise than the
    index (`meta`) records."""
    otherwise = meta.get("ocr", ocr_setting) != ocr_setting or other_engine(meta, ocr_engine)
    return stale_readers(meta) | (OCR_SUFFIXES if otherwise else set())


def other_engine(meta: dict, ocr_engine: str | None) -> bool:
    """Whether OCR now runs with another Tesseract, or other language data, than the index's scans
    were read with (an index that records none, made before it was recorded, tells nothing)."""
    recorded = meta.get("ocr_engine")
    return ocr_engine is not None and recorded not in (None, "") and not same_engine(recorded, ocr_engine)


def _build(store: Store, directory: Path, encoder: Encoder, roots: list[Path], report: BuildReport,
           progress: bool | None, batch_passages: int, max_bytes: int, approx_threshold: int | None = None,
           add: bool = False, dirty: bool = False, ocr: OcrOptions | None = None,
           select: Callable[[str], bool] | None = None, nlist_scale: int = 1, fill_sections: bool = False,
           known: dict[str, FileState] | None = None, others: OtherShards | None = None) -> None:
    """`fill_sections`: the index was made before sections; its unchanged files are read again
    for them (nothing re-embedded). `known`: with `add`, the documents of the whole index (every
    shard's), which name the files given (`add_sources`)."""
    meta = store.meta()
    if "model" in meta and int(meta.get("dimension", encoder.dimension)) != encoder.dimension:
        raise ModelMismatch(f"index {directory} holds {meta['dimension']}-d vectors but the model gives "
                            f"{encoder.dimension}-d; rebuild it with `qa index --rebuild`")
    with store.transaction() as conn:
        values = {"model": encoder.name, "dimension": str(encoder.dimension)}
        # a local folder's content or a hub model's revision, as loaded if it is: another model under
        # the same name is told (`check_model`, `check_fingerprint`)
        fingerprint = encoder.fingerprint if isinstance(encoder, Encoder) else model_fingerprint(encoder.name)
        if fingerprint is not None:
            values["model_fingerprint"] = fingerprint
        if isinstance(encoder, Encoder) or "max_chars" in vars(encoder):  # known without loading the model
            values["max_chars"] = str(encoder.max_chars)
        store.set_meta(conn, **values)

    writer = _Writer(store, directory, encoder.dimension, approx_threshold, nlist_scale)
    writer.dirty = dirty
    files, passed, unlisted = discover(roots)
    states = store.file_states()
    if add:  # named before a shard takes its own: a file indexed in another shard is updated there
        files = add_sources(files, states if known is None else known, indexed_roots(meta))
    if select is not None:  # one shard of a sharded index: its own documents only
        # with `add`, a file indexed in a shard is updated in that shard, whatever its name's hash
        mine = select if not add or known is None else (
            lambda source: source in states or (select(source) and source not in known))
        files = [(path, source) for path, source in files if mine(source)]
        passed = [(source, why) for source, why in passed if select(source)]
    report.skipped.extend(passed)
    # every shard keeps its documents there; one tells it (the folder's name picks it, as a file's)
    report.skipped.extend(row for row in unlisted if select is None or select(row[0]))
    seen = {source for _, source in files}
    not_indexable: dict[str, str] = dict(passed)
    ocr_setting = (ocr or OcrOptions()).setting()
    ocr_engine = (ocr or OcrOptions()).engine()
    stale = reread_suffixes(meta, ocr_setting, ocr_engine)
    # a file holding documents of a stale format (a web page attached to an e-mail) is read again too
    holds_stale = {source for source, suffixes in store.part_suffixes().items() if suffixes & stale} if stale else set()

    todo: list[_Prepared] = []
    moved: dict[int, str] = {}  # unchanged files found elsewhere than recorded (their folder moved)
    for path, source in files:
        try:
            st = path.stat()
        except OSError as exc:
            not_indexable[source] = f"cannot read ({exc.strerror or type(exc).__name__})"
            continue
        if not stat.S_ISREG(st.st_mode):
            not_indexable[source] = "not a regular file"
            continue
        if st.st_size > max_bytes:
            not_indexable[source] = (f"too large ({_mb(st.st_size)} MB; the limit is "
                                     f"{_mb(max_bytes)} MB, raise it with --max-file-mb)")
            continue
        state = states.get(source)
        reread = state is not None and (path.suffix.lower() in stale or source in holds_stale)
        if state is not None and state.same_file(st) and not reread:
            if state.origin != origin_of(path) and origin_of(path) is not None:
                moved[state.doc_id] = origin_of(path)
            if fill_sections:  # counted unchanged once its sections are stored
                todo.append(_Prepared(path, source, st.st_size, st.st_mtime_ns, state, ctime_ns=st.st_ctime_ns,
                                      sections_only=True))
            else:
                report.unchanged += 1
            continue
        todo.append(_Prepared(path, source, st.st_size, st.st_mtime_ns, state, reread=reread, ctime_ns=st.st_ctime_ns,
                              sections_only=fill_sections and state is not None))
    report.skipped.extend((s, r) for s, r in not_indexable.items() if (s, r) not in passed)
    if add and states and (meta.get("ocr", ocr_setting) != ocr_setting or other_engine(meta, ocr_engine)) \
            and any(item.path.suffix.lower() in OCR_SUFFIXES for item in todo):
        # files read with other OCR settings than the index records: the next full run reads
        # every such file again, whatever its settings (set first: a run cut short counts too)
        with store.transaction() as conn:
            store.set_meta(conn, ocr="mixed")
    if moved:  # where `source_changed` and `qa remove PATH` look for them
        with store.transaction() as conn:
            for doc_id, origin in moved.items():
                store.set_origin(conn, doc_id, origin)

    # documents whose file is gone, or can no longer be indexed, leave the index
    gone = [(source, state) for source, state in states.items()
            if source in not_indexable or (not add and source not in seen and not under_unlisted(source, unlisted))]
    reasons = {source: ("can no longer be indexed: " + not_indexable[source] if source in not_indexable
                        else GONE) for source, _ in gone}
    # a file gone of the size of a new one may be that file renamed or moved: it leaves once the
    # new files are stored, so that one of the same content keeps its vectors (`_embed_files`)
    sizes = {item.size for item in todo if item.state is None}
    held = others.held if others is not None else set()  # removed once every shard is built
    later = [(source, state) for source, state in gone
             if state.size in sizes and source not in not_indexable and source not in held]
    writer.remove([g for g in gone if g not in later and (g[0] in not_indexable or g[0] not in held)],
                  reasons, report)

    if todo:
        # an indexed document of a new file's content (the file renamed, moved or copied): its
        # stored vectors serve the new document's passages of the same text and sentences
        same_content: dict[str, tuple[Path | None, int]] = dict(others.documents) if others is not None else {}
        same_content.update((state.hash, (None, state.doc_id)) for state in states.values())
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, BUILD_SWITCH_INTERVAL))
        try:
            _embed_files(store, encoder, writer, todo, report, progress, batch_passages, ocr, same_content)
        finally:
            sys.setswitchinterval(switch)
        if getattr(encoder, "loaded", True) and "max_chars" not in meta:
            with store.transaction() as conn:
                store.set_meta(conn, max_chars=str(encoder.max_chars))
    if later:
        reasons.update(renamed_reasons(later, store.file_states(), states))
    writer.remove(later, reasons, report)
    if encoder.name == DEFAULT_MODEL:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, BUILD_SWITCH_INTERVAL))  # words are collected beside the encoder
        try:
            elsewhere = [db for db in others.stores if db.resolve() != store.path.resolve()] if others is not None else []
            report.words = add_words(store, encoder, elsewhere=elsewhere)
        finally:
            sys.setswitchinterval(switch)
        writer.dirty = writer.dirty or report.words > 0
    # set last: a build cut short reads them again; `add` read only the files given, so the
    # other files of a stale format still hold the older reader's (or OCR settings') text
    if (stale or "reader_versions" not in meta or "ocr" not in meta
            or (ocr_engine and meta.get("ocr_engine") != ocr_engine)) and (not add or not states):
        with store.transaction() as conn:
            store.set_meta(conn, reader_versions=json.dumps(READER_VERSIONS, sort_keys=True), ocr=ocr_setting,
                           ocr_engine=ocr_engine or "", sentences_version=str(SENTENCES_VERSION))
    writer.finish(encoder.name, report)


def renamed_reasons(gone: Iterable[tuple[str, FileState]], after: dict[str, FileState],
                    before: Iterable[str]) -> dict[str, str]:
    """Why documents whose file is gone left the index, for those whose content a document new in
    this run (in `after`, the index's documents once built; not among the sources `before` it) holds:
    the file renamed or moved, or the same file named anew (a full run of several folders names every
    file from their common parent). `GONE` said the file was gone."""
    before = set(before)
    new: dict[str, list[tuple[str, FileState]]] = {}
    for source, state in sorted(after.items()):
        if source not in before:
            new.setdefault(state.hash, []).append((source, state))
    reasons = {}
    for source, state in gone:
        if state.hash in new:
            # of several files of that content (copies), the same file, else one of the same name
            now, found = min(new[state.hash], key=lambda item: (item[1].origin != state.origin or state.origin is None,
                                                               PurePosixPath(item[0]).name != PurePosixPath(source).name))
            same = state.origin is not None and state.origin == found.origin
            reasons[source] = f"indexed again as {now} (the same file)" if same else f"renamed or moved to {now}"
    return reasons


def _embed_files(store: Store, encoder, writer: _Writer, todo: list[_Prepared], report: BuildReport,
                 progress: bool | None, batch_passages: int, ocr: OcrOptions | None = None,
                 same_content: dict[str, tuple[Path | None, int]] | None = None) -> None:
    """Parse (worker thread), embed, and store the files to (re)index, batch by batch.
    `same_content`: indexed documents by their file's hash, as (store, id; None: this store),
    whose vectors a new file of that content keeps."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(todo), unit="file", desc="indexing", disable=not show, file=sys.stderr)
    batch: list[_Prepared] = []
    batch_size = 0
    max_chars = _MaxChars(encoder)
    # A batch is embedded in its own thread while the previous one is stored: the store's
    # inserts (and preparing the next batch) no longer leave the encoder's workers idle.
    # Everything reaches the store in the order of the files, as when each batch was stored
    # before the next was embedded.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-embed") as embedder:
        embedding: tuple[list[_Prepared], Future] | None = None

        def store_embedded() -> None:
            nonlocal embedding
            if embedding is not None:
                done, future = embedding
                embedding = None
                _store_batch(store, writer, done, *future.result(), report)
                bar.set_postfix(passages=report.passages_embedded, refresh=False)

        for item in _prefetch(todo, max_chars, ocr=ocr):
            bar.update(1)
            if item.skip:
                report.skipped.append((item.source, item.skip))
                if item.state is not None:  # indexed before, unreadable now: it must not stay searchable
                    store_embedded()
                    writer.remove([(item.source, item.state)], "can no longer be indexed: " + item.skip, report)
                continue
            if item.sections_only:
                store_embedded()
                docs = (item, *item.parts)
                fields = [(d.title, d.date, d.authors, d.meta, d.text) for d in docs] if item.reread else None
                if store.fill_sections(item.state.doc_id, item.source, [(d.source, d.passages) for d in docs], fields):
                    report.sections += len(docs)
                    writer.dirty = True
                    with store.transaction() as conn:
                        store.touch_document(conn, item.state.doc_id, item.size, item.mtime_ns, item.ctime_ns,
                                             origin_of(item.path))
                    report.unchanged += 1
                    continue
                # read or cut otherwise than stored (a changed reader): indexed again
            if item.unchanged:
                store_embedded()
                with store.transaction() as conn:
                    store.touch_document(conn, item.state.doc_id, item.size, item.mtime_ns, item.ctime_ns,
                                         origin_of(item.path))
                report.unchanged += 1
                continue
            if item.state is not None:
                item.stored = store.stored_vectors(item.state.doc_id, encoder.dimension)
            elif same_content and item.hash in same_content:
                item.stored = _stored_in(store, *same_content[item.hash], encoder.dimension)
            batch.append(item)
            batch_size += len(item.passages) + sum(len(part.passages) for part in item.parts)
            if batch_size >= batch_passages:
                future = embedder.submit(_embed_batch, encoder, batch)
                store_embedded()
                embedding = (batch, future)
                batch, batch_size = [], 0
        if batch:
            future = embedder.submit(_embed_batch, encoder, batch)
            store_embedded()
            embedding = (batch, future)
        store_embedded()
    bar.close()


def _stored_in(store: Store, db: Path | None, doc_id: int, dimension: int) -> tuple[dict, list]:
    """`Store.stored_vectors` of a document of this store (`db` None) or of the store at `db`."""
    if db is None:
        return store.stored_vectors(doc_id, dimension)
    other = Store(db)
    try:
        return other.stored_vectors(doc_id, dimension)
    finally:
        other.close()


class _MaxChars:
    """The encoder's passage length limit, read only when a file's content changed: for an
    index that does not record it, reading it loads the model."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder

    def __int__(self) -> int:
        return int(self._encoder.max_chars)


@dataclass
class _EmbedWork:
    """What embedding a batch takes (`embed_work`): its passages then the heads of its documents
    of several passages, as texts with their sentence spans (`keys`); the stored vectors found
    for them (`kept`, by key); and which of them (`todo`, positions in `keys`) must be embedded."""

    passages: list[NewPassage]
    several: list[_Prepared]
    keys: list[tuple[str, tuple]]
    kept: dict
    todo: list[int]

    def texts(self) -> list[tuple[str, list]]:
        """The (text, sentence spans) to embed, in the order of `todo`."""
        return [(self.keys[i][0], list(self.keys[i][1])) for i in self.todo]


def embed_work(batch: list[_Prepared]) -> _EmbedWork:
    """What `_embed_batch` embeds of `batch` and what it keeps; a Ray build's actors embed
    exactly `texts()` of each file (qa/cluster/index.py)."""
    docs = [doc for item in batch for doc in (item, *item.parts)]
    passages = [p for doc in docs for p in doc.passages]
    # a document of several passages: its head's vector, the context of its passages' scores,
    # embedded in the same call as a passage without sentences
    several = [doc for doc in docs if len(doc.passages) > 1]
    heads = [document_head(d.title, d.source, d.lang, d.text) for d in several]
    # a file read again (changed, or its reader changed) keeps the vectors of the passages and
    # heads whose words (and sentences) it still has: the same text gives the same vectors
    kept, kept_heads = _kept_vectors(batch)
    keys = [(p.text, tuple(p.sentences)) for p in passages] + [(h, ()) for h in heads]
    n = len(passages)
    # a head's key is a passage's without sentences: looked up among heads only
    found = {i: kept[key] if i < n else (kept_heads[key], None) for i, key in enumerate(keys)
             if key in (kept if i < n else kept_heads)}
    return _EmbedWork(passages, several, keys, found, [i for i in range(len(keys)) if i not in found])


def _embed_batch(encoder: Encoder, batch: list[_Prepared]
                 ) -> tuple[np.ndarray, list[np.ndarray], dict[int, np.ndarray], int]:
    """The vectors of a batch's passages, of their sentences, and of the heads of its documents
    of several passages (by `id` of the document), and how many of them were kept from the index
    rather than embedded (passages only)."""
    work = embed_work(batch)
    n = len(work.passages)
    # each passage's sentences get a vector too: they sharpen ranking and give the answer
    # sentence without encoding anything at question time
    texts = work.texts()
    new, new_sentences = encoder.encode_passages([t for t, _ in texts], [s for _, s in texts]) if texts else (None, [])
    vectors = np.empty((len(work.keys), encoder.dimension), np.float32)
    per_passage: list[np.ndarray] = [None] * len(work.keys)  # type: ignore[list-item]
    for j, i in enumerate(work.todo):
        vectors[i], per_passage[i] = new[j], new_sentences[j]
    for i, (vector, sentences) in work.kept.items():
        vectors[i], per_passage[i] = vector, sentences
    contexts = {id(doc): vector for doc, vector in zip(work.several, vectors[n:])}
    return vectors[:n], per_passage[:n], contexts, n - sum(i < n for i in work.todo)


def _kept_vectors(batch: list[_Prepared]) -> tuple[dict, dict]:
    """The stored vectors of a batch's files read again: by (passage text, sentence spans), and
    by document head text (`qa.context.document_head`)."""
    kept: dict = {}
    heads: dict = {}
    for item in batch:
        if item.stored is None:
            continue
        passages, documents = item.stored
        kept.update(passages)
        for source, title, lang, text, context in documents:
            heads[(document_head(title, source, lang, text), ())] = np.frombuffer(context, dtype=np.float32)
    return kept, heads


def _store_batch(store: Store, writer: _Writer, batch: list[_Prepared], embedded: np.ndarray,
                 per_passage: list[np.ndarray], contexts: dict[int, np.ndarray], kept: int,
                 report: BuildReport) -> None:
    """A batch's documents, passages and vectors (`_embed_batch`) into the store and the vector
    index, in one transaction."""
    docs = [doc for item in batch for doc in (item, *item.parts)]
    vectors = writer.vectors()
    new_ids: list[int] = []
    old_ids: list[int] = []
    offset = 0
    with store.transaction() as conn:
        for item in batch:
            if item.state is not None:
                old_ids.extend(delete_document(store, conn, item.state.doc_id))
                report.updated += 1
            else:
                report.added += 1
        for item in docs:
            n = len(item.passages)
            new_ids.extend(store.insert_document(conn, item.source, item.hash, item.size, item.mtime_ns,
                                                 item.title, item.date, item.lang, item.text, item.passages,
                                                 embedded[offset:offset + n], per_passage[offset:offset + n],
                                                 origin=origin_of(item.path), authors=item.authors,
                                                 meta=item.meta, context=contexts.get(id(item)),
                                                 ctime_ns=item.ctime_ns))
            offset += n
        store.bump_generation(conn)
    vectors.remove(old_ids)
    vectors.add(np.asarray(new_ids, dtype=np.int64), embedded)
    writer.dirty = True
    report.passages_embedded += len(embedded) - kept
    report.passages_kept += kept
