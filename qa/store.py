"""The passage store: documents, passages, their vectors and the lexical index, in SQLite.

SQLite is the source of truth. Every change to a document (its passages, vectors and
lexical tokens) is one transaction, so a crash leaves either the old or the new
version of each file. The FAISS file is a cache derived from it (see `vectors.py`).
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, Sequence

import numpy as np

from .citations import number_parts, paragraph_label
from .lexical_stats import LexicalStats, bm25_top, first_varints, varints
from .records import PART_SEPARATOR
from .sentence_tokens import pack

# 2: documents keep the file they came from (`origin`), their authors and format metadata;
# the index records its identity and the versions of its tokens and passages. Format 1
# stores are upgraded when written.
FORMAT_VERSION = 2
# Term statistics for the lexical query planning (`qa.lexical_plan`) are sampled on stores of
# this many passages or more; smaller ones are searched with every term of a question.
PRUNE_FROM_PASSAGES = 50000
# Names across scripts (qa.transliterate) read the whole FTS5 vocabulary once per build (about
# 14 us a term here): up to this many passages that stays under a second or two; above it the
# names query is off rather than stall the first cross-script question after every build.
NAMES_MAX_PASSAGES = 50000
# (word, language) pairs looked up per query by `Store.known_words` (within SQLite's 999 variables).
KNOWN_WORDS_BATCH = 900
# Passages read to estimate the term statistics.
COMMON_SAMPLE = 20000
# Bytes of the database file that a connection reads through a memory map rather than a
# read call per page: none. A map saved the copies and calls of a search's few hundred
# scattered row reads (1 GiB from session 7), but every page a read touches stays counted in
# the process's memory, with the 15 pages the kernel maps around it, in each thread's
# connection: +296 MB after 50 questions and +745 MB after 330 at 100k passages, for 0-2.5%
# less CPU per search at 2k-100k (docs/performance.md, "Session 10"). Read calls leave the
# pages to the page cache.
MMAP_BYTES = 0
# Passages whose language and document a reader keeps in memory (`Store.candidate_data`), about
# 100 bytes each, with a tenth as many documents' heads (2 KB each with USE-m3): at most ~40 MB.
FACTS_CACHE = 200_000
DB_NAME = "passages.sqlite"


def _match(term: str) -> str:
    """FTS5's query for a lexical token as one phrase; for a prefix ("abc*": `Store.term_passages`),
    the tokens beginning with it and their Vietnamese tagged forms (~abc..., `qa.language.UNMARKED_TAG`)."""
    if term.endswith("*"):
        stem = term[:-1].replace('"', '""')
        return f'"{stem}"* OR "~{stem}"*'
    return '"' + term.replace('"', '""') + '"'
log = logging.getLogger("qa")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    title TEXT,
    date TEXT,
    lang TEXT,
    text TEXT NOT NULL,
    origin TEXT,
    authors TEXT,
    meta TEXT,
    context BLOB,
    ctime_ns INTEGER
);
CREATE TABLE IF NOT EXISTS passages(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER,
    lang TEXT,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    sentence_tokens TEXT,
    section TEXT
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS sentences(
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage_id);
-- the content words of the passages, in their language, with their lexical tokens (space
-- separated) and their vector (float16; qa/word_translation.py); lang '' for a passage without one
CREATE TABLE IF NOT EXISTS words(
    word TEXT NOT NULL,
    lang TEXT NOT NULL,
    tokens TEXT NOT NULL,
    vector BLOB NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0  -- passages (up to `words_through`) that hold the word
);
-- vectors in float16: a row of 1 KB, three to a page (a 2 KB row takes a 4 KB page of its own)
CREATE UNIQUE INDEX IF NOT EXISTS words_key ON words(word, lang);
-- qa.language makes the tokens: FTS5 only splits them at spaces (its default would cut
-- words at combining marks, apostrophes and decimal points)
CREATE VIRTUAL TABLE IF NOT EXISTS lexical USING fts5(tokens, tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cf Cn Cs'");
"""

# A passage's part of its paragraph and the paragraph's parts (`Store._add_parts`): the paragraph's
# bounds are the document's nearest passages, before and after, with another paragraph number.
_PART_SQL = """
WITH b AS (SELECT
  COALESCE((SELECT id FROM passages WHERE doc_id = :d AND id < :i AND paragraph <> :p ORDER BY id DESC LIMIT 1),
           -1) AS lo,
  COALESCE((SELECT id FROM passages WHERE doc_id = :d AND id > :i AND paragraph <> :p ORDER BY id LIMIT 1),
           9223372036854775807) AS hi)
SELECT (SELECT COUNT(*) FROM passages, b WHERE doc_id = :d AND id > b.lo AND id <= :i),
       (SELECT COUNT(*) FROM passages, b WHERE doc_id = :d AND id > b.lo AND id < b.hi)
"""


@dataclass
class FileState:
    doc_id: int
    hash: str
    size: int
    mtime_ns: int
    origin: str | None = None
    ctime_ns: int | None = None

    def same_file(self, st: os.stat_result) -> bool:
        """Whether the file (`os.stat`) is surely as indexed, without reading it: same size and
        times. The change time too: setting a modification time back (`os.utime`, a restore,
        a sync tool) sets it to now, and nothing sets it back."""
        return (self.size == st.st_size and self.mtime_ns == st.st_mtime_ns
                and self.ctime_ns == st.st_ctime_ns)


@dataclass
class NewPassage:
    paragraph: int
    start: int
    end: int
    page: int | None
    lang: str | None
    text: str
    tokens: list[str]
    sentences: list[tuple[int, int]] = field(default_factory=list)  # spans inside `text`
    sentence_tokens: list[list[str]] | None = None  # each sentence's tokens (`qa.sentence_tokens`)
    section: str | None = None  # the headings above it (`qa.passages`)


class Store:
    """One SQLite database. Readers get a connection per thread; writers use `transaction`."""

    def __init__(self, path: Path, create: bool = False, identity: str | None = None,
                 versions: dict[str, int] | None = None) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(str(self.path))
        self._local = threading.local()
        self._open: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}
        self._open_lock = threading.Lock()
        self._term_stats: tuple[str, tuple[int, dict[str, float]] | None] | None = None
        self._stats_lock = threading.Lock()
        self._names: tuple[int, object] | None = None
        self._words: tuple[int, object] | None = None
        # passages' (language, document) and documents' context vectors, once read (`candidate_data`)
        self._known: tuple[dict[int, tuple[str | None, int]], dict[int, np.ndarray | None]] = ({}, {})
        self._facts_lock = threading.Lock()
        # called inside each transaction before its commit (a shard's `qa.shards.IdLedger`)
        self.before_commit: Callable[[sqlite3.Connection], None] | None = None
        if create:
            conn = self.connection()
            conn.executescript(_SCHEMA)
            with self.transaction() as conn:
                fresh = conn.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0
                columns = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
                for column in ("origin", "authors", "meta"):  # stores made before these columns existed
                    if column not in columns:
                        conn.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
                if "context" not in columns:
                    conn.execute("ALTER TABLE documents ADD COLUMN context BLOB")
                if "ctime_ns" not in columns:  # NULL: unknown, so the file is hashed once more
                    conn.execute("ALTER TABLE documents ADD COLUMN ctime_ns INTEGER")
                if "uses" not in {r[1] for r in conn.execute("PRAGMA table_info(words)")}:  # words version 1
                    conn.execute("ALTER TABLE words ADD COLUMN uses INTEGER NOT NULL DEFAULT 0")
                passage_columns = {r[1] for r in conn.execute("PRAGMA table_info(passages)")}
                if "sentence_tokens" not in passage_columns:
                    conn.execute("ALTER TABLE passages ADD COLUMN sentence_tokens TEXT")
                if "section" not in passage_columns:  # NULL until `qa index` fills it (sections version)
                    conn.execute("ALTER TABLE passages ADD COLUMN section TEXT")
                conn.execute("INSERT OR REPLACE INTO meta VALUES('format_version', ?)", (str(FORMAT_VERSION),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES('generation', '0')")
                conn.execute("INSERT OR IGNORE INTO meta VALUES('builds', '0')")
                if identity:
                    conn.execute("INSERT OR IGNORE INTO meta VALUES('identity', ?)", (identity,))
                # a store made before versions were recorded was made with version 1 of each
                for key, value in (versions or {}).items():
                    conn.execute("INSERT OR IGNORE INTO meta VALUES(?, ?)", (key, str(value if fresh else 1)))

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")  # said even as 0: a build of SQLite may map by default
            self._local.conn = conn
            with self._open_lock:
                # a long-running server's threads come and go: close what dead ones opened
                for ident, (thread, old) in list(self._open.items()):
                    if not thread.is_alive():
                        old.close()
                        del self._open[ident]
                self._open[threading.get_ident()] = (threading.current_thread(), conn)
        return conn

    def close(self) -> None:
        """Close the connections of every thread (call when no thread uses the store)."""
        with self._open_lock:
            for _, conn in self._open.values():
                conn.close()
            self._open.clear()
            self._local = threading.local()

    # ------------------------------------------------------------ meta

    def meta(self) -> dict[str, str]:
        return dict(self.connection().execute("SELECT key, value FROM meta"))

    def set_meta(self, conn: sqlite3.Connection, **values: object) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta VALUES(?, ?)",
                         [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in values.items()])

    def generation(self) -> int:
        row = self.connection().execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def identity(self) -> str | None:
        row = self.connection().execute("SELECT value FROM meta WHERE key='identity'").fetchone()
        return row[0] if row else None

    def builds(self) -> int:
        """Completed builds that changed the store: statistics derived from the whole
        store are refreshed once per build, not at every batch."""
        row = self.connection().execute("SELECT value FROM meta WHERE key='builds'").fetchone()
        return int(row[0]) if row else 0

    # ------------------------------------------------------------ writing

    def transaction(self) -> "_Transaction":
        return _Transaction(self.connection(), self.before_commit)

    def number_after(self, last: dict[str, int]) -> None:
        """Give this (new) store's documents and passages ids above `last` ({"documents": id,
        "passages": id}, as `last_ids` reads them): after a rebuild, an id the replaced index gave
        out (a reply on screen, an API client) then names nothing here rather than another
        document or passage."""
        with self.transaction() as conn:
            for name, seq in last.items():
                conn.execute("DELETE FROM sqlite_sequence WHERE name=?", (name,))
                conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES(?, ?)", (name, seq))

    def file_states(self) -> dict[str, FileState]:
        """Indexed files by source (their parts, "mail.eml › a.pdf", follow them: not listed)."""
        conn = self.connection()
        # a store made by an earlier qa, read before `qa index` adds its columns (`qa eval`'s check)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
        origin, ctime = ("origin" if "origin" in columns else "NULL"), ("ctime_ns" if "ctime_ns" in columns else "NULL")
        rows = conn.execute(f"SELECT source, id, hash, size, mtime_ns, {origin}, {ctime} FROM documents "
                            "WHERE instr(source, ?) = 0", (PART_SEPARATOR,))
        return {source: FileState(i, h, s, m, o, c) for source, i, h, s, m, o, c in rows}

    def part_suffixes(self) -> dict[str, set[str]]:
        """The suffixes of the documents inside each indexed file that has some, by the file's
        source ("mail.eml › a.docx › b.pdf": {".docx", ".pdf"} of "mail.eml"): the readers that
        read them."""
        out: dict[str, set[str]] = {}
        for (source,) in self.connection().execute("SELECT source FROM documents WHERE instr(source, ?) > 0",
                                                   (PART_SEPARATOR,)):
            top, *parts = source.split(PART_SEPARATOR)
            out.setdefault(top, set()).update(os.path.splitext(part)[1].lower() for part in parts)
        return out

    def delete_document(self, conn: sqlite3.Connection, doc_id: int) -> list[int]:
        """Delete a document and its parts; returns the ids of their passages."""
        ids: list[int] = []
        row = conn.execute("SELECT source FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is not None:
            prefix = row[0] + PART_SEPARATOR
            for (part,) in conn.execute("SELECT id FROM documents WHERE source >= ? AND source < ?",
                                        (prefix, prefix + "\U0010ffff")).fetchall():
                ids.extend(self._delete_one(conn, part))
        return ids + self._delete_one(conn, doc_id)

    def _delete_one(self, conn: sqlite3.Connection, doc_id: int) -> list[int]:
        ids = [r[0] for r in conn.execute("SELECT id FROM passages WHERE doc_id=?", (doc_id,))]
        conn.executemany("DELETE FROM lexical WHERE rowid=?", [(i,) for i in ids])
        conn.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        return ids

    def insert_document(self, conn: sqlite3.Connection, source: str, hash_: str, size: int, mtime_ns: int,
                        title: str | None, date: str | None, lang: str | None, text: str,
                        passages: Sequence[NewPassage], vectors: np.ndarray,
                        sentence_vectors: Sequence[np.ndarray] = (), origin: str | None = None,
                        authors: str | None = None, meta: dict | None = None,
                        context: np.ndarray | None = None, ctime_ns: int | None = None) -> list[int]:
        """`context`: the vector of the document's head (`qa.context`), for a document of
        several passages."""
        cur = conn.execute(
            "INSERT INTO documents(source, hash, size, mtime_ns, title, date, lang, text, origin, authors, meta, "
            "context, ctime_ns) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (source, hash_, size, mtime_ns, title, date, lang, text, origin, authors,
             json.dumps(meta, ensure_ascii=False) if meta else None, _blob(context), ctime_ns))
        doc_id = cur.lastrowid
        if not passages:
            return []
        # ids assigned here, under the write lock of the transaction, so that all rows go
        # in with one executemany (AUTOINCREMENT: never below the highest id ever used)
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='passages'").fetchone()
        first = (row[0] if row else 0) + 1
        ids = list(range(first, first + len(passages)))
        blobs = np.ascontiguousarray(vectors, dtype=np.float32)
        stored = [len(sv) for sv in sentence_vectors] + [0] * (len(passages) - len(sentence_vectors))
        conn.executemany(
            'INSERT INTO passages(id, doc_id, paragraph, start, "end", page, lang, text, vector, sentence_tokens, '
            "section) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            [(i, doc_id, p.paragraph, p.start, p.end, p.page, p.lang, p.text, blobs[j].tobytes(),
              _sentence_tokens(p, stored[j]), p.section)
             for j, (i, p) in enumerate(zip(ids, passages))])
        conn.executemany("INSERT INTO lexical(rowid, tokens) VALUES(?, ?)",
                         [(i, " ".join(p.tokens)) for i, p in zip(ids, passages)])
        # one statement for the document's sentences, in the order (and so with the rowids)
        # that one per passage gave them
        conn.executemany('INSERT INTO sentences(passage_id, start, "end", vector) VALUES(?,?,?,?)',
                         [(i, s, e, v.tobytes())
                          for i, p, sv in zip(ids, passages, sentence_vectors)
                          for (s, e), v in zip(p.sentences, np.ascontiguousarray(sv, dtype=np.float32))])
        return ids

    def documents_without_context(self) -> list[tuple[int, str | None, str, str | None, str]]:
        """(id, title, source, lang, text) of the documents of several passages that have no
        context vector: those of an index made before contexts existed."""
        return self.connection().execute(
            "SELECT d.id, d.title, d.source, d.lang, d.text FROM documents d WHERE d.context IS NULL "
            "AND (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id) > 1").fetchall()

    def set_contexts(self, conn: sqlite3.Connection, contexts: dict[int, np.ndarray]) -> None:
        conn.executemany("UPDATE documents SET context=? WHERE id=?", [(_blob(v), i) for i, v in contexts.items()])

    def touch_document(self, conn: sqlite3.Connection, doc_id: int, size: int, mtime_ns: int,
                       ctime_ns: int | None = None, origin: str | None = None) -> None:
        conn.execute("UPDATE documents SET size=?, mtime_ns=?, ctime_ns=? WHERE id=?",
                     (size, mtime_ns, ctime_ns, doc_id))
        if origin is not None:
            self.set_origin(conn, doc_id, origin)

    def set_origin(self, conn: sqlite3.Connection, doc_id: int, origin: str) -> None:
        """Where an indexed file is now (its folder moved), for it and its parts."""
        row = conn.execute("SELECT source FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is not None:
            prefix = row[0] + PART_SEPARATOR
            conn.execute("UPDATE documents SET origin=? WHERE id=? OR (source >= ? AND source < ?)",
                         (origin, doc_id, prefix, prefix + "\U0010ffff"))

    def bump_generation(self, conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
        return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    def finish_build(self, conn: sqlite3.Connection) -> None:
        conn.execute("INSERT OR IGNORE INTO meta VALUES('builds', '0')")
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='builds'")

    def retokenize(self, tokenize, version: int, sentence_tokens=None, sentence_version: int | None = None,
                   word_tokens=None) -> int:
        """Rebuild the lexical index from the stored passages with
        `tokenize(text, lang, title, source, document's lang)` (no re-embedding), in one
        transaction, and record the tokens' `version`; with `sentence_tokens(text, spans, lang)`,
        the tokens of every passage's stored sentences too (`fill_sentence_tokens`); with
        `word_tokens(word, lang)`, those of the stored words (word translation), whose passage
        counts are then counted again from the first passage (`words_through` -1): the new
        tokens may spell a passage's words otherwise."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM lexical")
            rows = conn.execute("SELECT p.id, p.text, p.lang, d.title, d.source, d.lang, p.section FROM passages p "
                                "JOIN documents d ON d.id = p.doc_id").fetchall()
            conn.executemany("INSERT INTO lexical(rowid, tokens) VALUES(?, ?)",
                             [(row[0], " ".join(tokenize(*row[1:]))) for row in rows])
            self.set_meta(conn, tokens_version=str(version))
            if sentence_tokens is not None:
                self._write_sentence_tokens(conn, sentence_tokens, only_missing=False)
                self.set_meta(conn, sentence_tokens_version=str(sentence_version))
            if word_tokens is not None:
                stored = conn.execute("SELECT rowid, word, lang FROM words").fetchall()
                conn.executemany("UPDATE words SET tokens=? WHERE rowid=?",
                                 [(" ".join(word_tokens(word, lang or None)), rowid) for rowid, word, lang in stored])
                if stored:
                    self.set_meta(conn, words_through="-1")
            self.bump_generation(conn)
            self.finish_build(conn)
        return len(rows)

    def relabel(self, identify, tokenize, sentence_tokens, record: str) -> tuple[int, int]:
        """Give every document and passage the languages `identify(document's text, its passages'
        texts)` gives (document's, [passages']), in one transaction (nothing re-embedded): the
        lexical tokens `tokenize(text, lang, title, source, document's lang, section)` and the
        sentences' `sentence_tokens(text, spans, lang)` of each passage whose language, or whose
        document's, changed written again, and the words (word translation) counted again from
        the first passage (`words_through` -1: they are kept by language). Records the
        identifier's `record`. Returns (passages identified, passages whose tokens were written)."""
        with self.transaction() as conn:
            seen, changed, moved, documents = 0, [], 0, []
            # one document's text at a time (the identifier reads its first 5,000 characters, as a build)
            for doc_id, doc_lang, text, title, source in conn.execute(
                    "SELECT id, lang, substr(text, 1, 5000), title, source FROM documents ORDER BY id"):
                rows = conn.execute("SELECT id, lang, text, section FROM passages WHERE doc_id = ? ORDER BY id",
                                    (doc_id,)).fetchall()
                if not rows:
                    continue
                seen += len(rows)
                lang, langs = identify(text, [row[2] for row in rows])
                if lang != doc_lang:
                    documents.append((lang, doc_id))
                for (pid, old, ptext, section), plang in zip(rows, langs):
                    moved += plang != old
                    if plang != old or lang != doc_lang:
                        changed.append((pid, ptext, plang, title, source, lang, section))
            conn.executemany("UPDATE documents SET lang = ? WHERE id = ?", documents)
            conn.executemany("UPDATE passages SET lang = ? WHERE id = ?", [(row[2], row[0]) for row in changed])
            conn.executemany("DELETE FROM lexical WHERE rowid = ?", [(row[0],) for row in changed])
            conn.executemany("INSERT INTO lexical(rowid, tokens) VALUES(?, ?)",
                             [(row[0], " ".join(tokenize(*row[1:]))) for row in changed])
            if changed:
                self._write_sentence_tokens(conn, sentence_tokens, only_missing=False, only=[row[0] for row in changed])
            if moved and conn.execute("SELECT 1 FROM words LIMIT 1").fetchone():
                self.set_meta(conn, words_through="-1")
            self.set_meta(conn, identifier=record)
            if changed:
                self.bump_generation(conn)
                self.finish_build(conn)
        return seen, len(changed)

    def fill_sentence_tokens(self, sentence_tokens, version: int) -> int:
        """Store `sentence_tokens(text, spans, lang)` for every passage with stored sentences
        and no stored tokens (an index made before they were stored: nothing re-embedded), in
        one transaction, and record their `version`. Returns how many passages got them."""
        with self.transaction() as conn:
            filled = self._write_sentence_tokens(conn, sentence_tokens, only_missing=True)
            self.set_meta(conn, sentence_tokens_version=str(version))
            if filled:  # searchers notice the change (`forget_columns`)
                self.bump_generation(conn)
        return filled

    def _write_sentence_tokens(self, conn: sqlite3.Connection, sentence_tokens, only_missing: bool,
                               batch: int = 2000, only: Sequence[int] | None = None) -> int:
        """`only`: these passages' alone (with stored sentences), written again."""
        where = " AND p.sentence_tokens IS NULL" if only_missing else ""
        ids = [r[0] for r in conn.execute(
            f"SELECT p.id FROM passages p WHERE EXISTS (SELECT 1 FROM sentences s WHERE s.passage_id = p.id){where} "
            "ORDER BY p.id")]
        if only is not None:
            wanted = set(only)
            ids = [i for i in ids if i in wanted]
        elif not only_missing:
            conn.execute("UPDATE passages SET sentence_tokens = NULL")
        for first in range(0, len(ids), batch):
            chunk = ids[first:first + batch]
            marks = ",".join("?" * len(chunk))
            spans: dict[int, list[tuple[int, int]]] = {}
            for pid, s, e in conn.execute(f'SELECT passage_id, start, "end" FROM sentences WHERE passage_id IN '
                                          f"({marks}) ORDER BY passage_id, rowid", chunk):
                spans.setdefault(pid, []).append((s, e))
            rows = conn.execute(f"SELECT id, text, lang FROM passages WHERE id IN ({marks})", chunk).fetchall()
            updates = []
            for pid, text, lang in rows:
                ordered = sorted(spans.get(pid, []), key=lambda span: span[0])  # the order a search reads them in
                updates.append((pack(sentence_tokens(text, ordered, lang)), pid))
            conn.executemany("UPDATE passages SET sentence_tokens = ? WHERE id = ?", updates)
        return len(ids)

    # ------------------------------------------------------------ reading

    def fill_sections(self, doc_id: int, source: str, documents: list[tuple[str, list[NewPassage]]],
                      fields: list[tuple] | None = None) -> bool:
        """Give the stored passages of a file's documents (the file `source`, id `doc_id`, and its
        parts, by source) the sections and lexical tokens of `documents` as cut again now, in one
        transaction, when every stored passage is where the new cut puts it; False (nothing
        written) otherwise. `fields` (a file read again by a changed reader): each document's
        (title, date, authors, meta, text) as read now, which must be what is stored, with the
        passages' paragraphs, pages and sentences, and the file's parts, or nothing is written."""
        with self.transaction() as conn:
            updates = []
            if fields is not None:
                prefix = source + PART_SEPARATOR
                parts = conn.execute("SELECT COUNT(*) FROM documents WHERE source >= ? AND source < ?",
                                     (prefix, prefix + "\U0010ffff")).fetchone()[0]
                if parts != len(documents) - 1:
                    return False
            for n, (name, passages) in enumerate(documents):
                row = conn.execute("SELECT id, title, date, authors, meta, text FROM documents WHERE "
                                   + ("id=?" if name == source else "source=?"),
                                   (doc_id if name == source else name,)).fetchone()
                if row is None:
                    return False
                if fields is not None:
                    title, date, authors, meta, text = fields[n]
                    if row[1:] != (title, date, authors, json.dumps(meta, ensure_ascii=False) if meta else None, text):
                        return False
                stored = conn.execute('SELECT id, start, "end", paragraph, page FROM passages WHERE doc_id=? '
                                      'ORDER BY start, id', (row[0],)).fetchall()
                if [r[1:3] for r in stored] != [(p.start, p.end) for p in passages]:
                    return False
                if fields is not None:
                    if [r[1:] for r in stored] != [(p.start, p.end, p.paragraph, p.page) for p in passages]:
                        return False
                    for (i, *_), p in zip(stored, passages):
                        spans = conn.execute('SELECT start, "end" FROM sentences WHERE passage_id=? ORDER BY rowid',
                                             (i,)).fetchall()
                        if spans != [tuple(span) for span in p.sentences]:
                            return False
                updates.extend((r[0], p) for r, p in zip(stored, passages))
            conn.executemany("UPDATE passages SET section=? WHERE id=?", [(p.section, i) for i, p in updates])
            conn.executemany("UPDATE lexical SET tokens=? WHERE rowid=?", [(" ".join(p.tokens), i) for i, p in updates])
            self.bump_generation(conn)
        return True

    def languages(self) -> frozenset[str]:
        """The languages of the passages (`qa.language.question_language` reads a question among them)."""
        rows = self.connection().execute("SELECT DISTINCT lang FROM passages WHERE lang IS NOT NULL").fetchall()
        return frozenset(r[0] for r in rows)

    def counts(self) -> tuple[int, int]:
        conn = self.connection()
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        return docs, passages

    def iter_vectors(self, dim: int, batch: int = 20000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        cur = self.connection().execute("SELECT id, vector FROM passages ORDER BY id")
        while rows := cur.fetchmany(batch):
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            yield ids, vectors

    def all_vectors(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """Every passage's (ids, vectors), in id order, in two preallocated arrays."""
        n = self.counts()[1]
        ids = np.empty(n, dtype=np.int64)
        vectors = np.empty((n, dim), dtype=np.float32)
        pos = 0
        for chunk_ids, chunk in self.iter_vectors(dim):
            m = min(len(chunk_ids), n - pos)
            ids[pos:pos + m], vectors[pos:pos + m] = chunk_ids[:m], chunk[:m]
            pos += m
        return ids[:pos], vectors[:pos]

    def stored_vectors(self, doc_id: int, dim: int) -> tuple[dict[tuple[str, tuple], tuple[np.ndarray, np.ndarray]],
                                                             list[tuple[str, str | None, str | None, str, bytes]]]:
        """What a document and its parts hold, for a build that reads their file again: per
        passage (text, sentence spans), its vector and its sentences' vectors; and per document
        (source, title, lang, text, context vector) for those with a context."""
        conn = self.connection()
        row = conn.execute("SELECT source FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return {}, []
        prefix = row[0] + PART_SEPARATOR
        docs = conn.execute("SELECT id, source, title, lang, text, context FROM documents WHERE id=? "
                            "OR (source >= ? AND source < ?)", (doc_id, prefix, prefix + "\U0010ffff")).fetchall()
        ids = [d[0] for d in docs]
        rows = conn.execute(f"SELECT id, text, vector FROM passages WHERE doc_id IN ({','.join('?' * len(ids))})",
                            ids).fetchall()
        sentences = self.sentence_vectors([r[0] for r in rows], dim)
        empty = np.zeros((0, dim), np.float32)
        kept = {}
        for i, text, vector in rows:
            spans, vectors = sentences.get(i, ([], empty))
            kept[(text, tuple(spans))] = (np.frombuffer(vector, dtype=np.float32, count=dim), vectors)
        heads = [(source, title, lang, text, context) for _, source, title, lang, text, context in docs if context]
        return kept, heads

    def first_passage(self, dim: int) -> tuple[str, list[tuple[int, int]], np.ndarray] | None:
        """A stored passage (the shortest of the first 16: the quickest to embed again): its text, its
        sentences' spans and its vector, which embedding the text with those spans again gives with the
        index's model (`qa.compat.check_probe`)."""
        row = self.connection().execute(
            "SELECT id, text, vector FROM passages WHERE id IN (SELECT id FROM passages ORDER BY id LIMIT 16) "
            "ORDER BY length(text), id LIMIT 1").fetchone()
        if row is None:
            return None
        spans, _ = self.sentence_vectors([row[0]], dim).get(row[0], ([], None))
        return row[1], [(int(s), int(e)) for s, e in spans], np.frombuffer(row[2], dtype=np.float32, count=dim)

    def vectors_for(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        if not ids:
            return {}
        rows = self.connection().execute(
            f"SELECT id, vector FROM passages WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        return {i: np.frombuffer(v, dtype=np.float32, count=dim) for i, v in rows}

    def sentence_vectors(self, ids: Sequence[int], dim: int) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Per passage id: its sentences' spans (inside the passage text) and vectors, in order.
        Passages indexed without sentence vectors (older indexes) are absent."""
        if not ids or not self._has_sentences():
            return {}
        # in the order of the passage_id index (passage, then rowid): no sort of the rows and
        # their vectors in a temporary B-tree, which was most of this query's time. A
        # passage's sentences are inserted in text order, so this is (passage, start) order;
        # checked below all the same.
        rows = self.connection().execute(
            f'SELECT passage_id, start, "end", vector FROM sentences WHERE passage_id IN ({",".join("?" * len(ids))}) '
            "ORDER BY passage_id, rowid", list(ids)).fetchall()
        if not rows:
            return {}
        pids, starts, ends, blobs = zip(*rows)
        p, s = np.array(pids), np.array(starts)
        if np.any((p[1:] == p[:-1]) & (s[1:] < s[:-1])):  # not in text order: written by another program
            order = np.lexsort((s, p)).tolist()
            pids, starts, ends, blobs = ([column[j] for j in order] for column in (pids, starts, ends, blobs))
        # one block for the whole candidate set; each passage's rows are a view of it
        block = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(rows), dim)
        out: dict[int, tuple[list[tuple[int, int]], np.ndarray]] = {}
        first = 0
        for pid, group in groupby(pids):
            last = first + sum(1 for _ in group)
            out[pid] = (list(zip(starts[first:last], ends[first:last])), block[first:last])
            first = last
        return out

    def context_vectors(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        """Per passage id: its document's context vector (`qa.context`), for the passages of
        documents that have one."""
        if not ids or not self._has_contexts():
            return {}
        rows = self.connection().execute(
            f"SELECT p.id, d.context FROM passages p JOIN documents d ON d.id = p.doc_id "
            f"WHERE p.id IN ({','.join('?' * len(ids))}) AND d.context IS NOT NULL", list(ids))
        return {i: np.frombuffer(v, dtype=np.float32, count=dim) for i, v in rows}

    def _has_contexts(self) -> bool:
        if getattr(self, "_context_column", None) is None:
            self._context_column = any(r[1] == "context" for r in
                                       self.connection().execute("PRAGMA table_info(documents)"))
        return self._context_column

    def _has_sentences(self) -> bool:
        if getattr(self, "_sentences_table", None) is None:
            self._sentences_table = self.connection().execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='sentences'").fetchone() is not None
        return self._sentences_table

    def passages(self, ids: Sequence[int]) -> dict[int, dict]:
        if not ids:
            return {}
        rows = self.connection().execute(
            'SELECT p.id, p.doc_id, p.paragraph, p.start, p."end", p.page, p.lang, p.text, '
            f"d.source, d.title, d.date, {self._document_extras('d')}, {self._sentence_tokens_column('p')}, "
            f"d.origin, d.size, d.mtime_ns, d.hash, {self._ctime_column('d')}, {self._section_column('p')}, "
            # a later piece of a paragraph cut in several (`qa.sentences.split_long`): a table
            # there goes on from the piece before, without its header row (`qa.sentences.headed`).
            # A document's passages are stored in order, one after the other: its passage before
            # is the id before (one lookup by key, not a scan of a long document's passages)
            "EXISTS(SELECT 1 FROM passages q WHERE q.id = p.id - 1 AND q.doc_id = p.doc_id "
            "AND q.paragraph = p.paragraph) "
            f"FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id IN ({','.join('?' * len(ids))})",
            list(ids))
        # the file as indexed (`qa.freshness`: is the cited file still that one?)
        keys = ("id", "doc_id", "paragraph", "start", "end", "page", "lang", "text", "source", "title", "date",
                "authors", "meta", "sentence_tokens", "origin", "file_size", "file_mtime_ns", "file_hash",
                "file_ctime_ns", "section", "continued")
        out = {r[0]: dict(zip(keys, r)) for r in rows}
        for row in out.values():
            row["meta"] = json.loads(row["meta"]) if row["meta"] else {}
            row["continued"] = bool(row["continued"])
        self._add_parts(out.values())
        return out

    def _add_parts(self, rows: Iterable[dict]) -> None:
        """Set `part` and `parts` (`qa.citations`) on passage rows (with "id", "doc_id", "paragraph"):
        None for a paragraph of one passage. A paragraph's passages are stored one after the other:
        its bounds are the nearest passages of the document with another paragraph number, found by
        walking the document's ids from the passage (a few steps: as many as its parts)."""
        rows = list(rows)
        if not rows:
            return
        conn = self.connection()
        split = {r[0] for r in conn.execute(
            "SELECT p.id FROM passages p WHERE p.id IN ({}) AND EXISTS(SELECT 1 FROM passages q "
            "WHERE q.id IN (p.id - 1, p.id + 1) AND q.doc_id = p.doc_id AND q.paragraph = p.paragraph)".format(
                ",".join("?" * len(rows))), [row["id"] for row in rows])}
        for row in rows:
            row["part"] = row["parts"] = None
            if row["id"] in split:
                row["part"], row["parts"] = conn.execute(_PART_SQL, {
                    "i": row["id"], "d": row["doc_id"], "p": row["paragraph"]}).fetchone()

    def places(self, ids: Sequence[int]) -> dict[int, tuple[str, str, dict]]:
        """Passages' text, citation ("source §paragraph") and file as indexed (origin, file_size,
        file_mtime_ns, file_ctime_ns, file_hash, as `passages` names them), keyed by id: what
        telling two places of the same words apart (and a file changed or deleted since from one
        as indexed: `qa.freshness`) needs, without reading whole rows."""
        if not ids:
            return {}
        rows = self.connection().execute(
            "SELECT p.id, p.doc_id, p.paragraph, p.text, d.source, d.origin, d.size, d.mtime_ns, "
            f"{self._ctime_column('d')}, d.hash FROM passages p JOIN documents d ON d.id = p.doc_id "
            f"WHERE p.id IN ({','.join('?' * len(ids))})", list(ids)).fetchall()
        keys = ("origin", "file_size", "file_mtime_ns", "file_ctime_ns", "file_hash")
        parts = [{"id": i, "doc_id": doc_id, "paragraph": paragraph} for i, doc_id, paragraph, *_ in rows]
        self._add_parts(parts)
        return {i: (text, f"{source} {paragraph_label(paragraph, part['part'], part['parts'])}",
                    dict(zip(keys, file)))
                for (i, _, paragraph, text, source, *file), part in zip(rows, parts)}

    def _document_extras(self, alias: str) -> str:
        """The authors and meta columns, or NULLs in an index made before they existed (read-only)."""
        if getattr(self, "_extras", None) is None:
            columns = {row[1] for row in self.connection().execute("PRAGMA table_info(documents)")}
            self._extras = "authors" in columns
        return f"{alias}.authors, {alias}.meta" if self._extras else "NULL, NULL"

    def _ctime_column(self, alias: str) -> str:
        """The files' change times, or NULL in an index made before they were kept (read-only)."""
        if getattr(self, "_ctimes", None) is None:
            self._ctimes = any(row[1] == "ctime_ns" for row in self.connection().execute("PRAGMA table_info(documents)"))
        return f"{alias}.ctime_ns" if self._ctimes else "NULL"

    def forget_columns(self) -> None:
        """Look again for the columns an older index lacks, and for the document heads: `qa
        index` may have added them."""
        self._tokens_column = None
        self._ctimes = None
        self._sections = None
        # the columns and table `qa index` adds to a store made before them (`Store.__init__`):
        # a reader that looked once kept searching without document heads after its refresh
        self._context_column = None
        self._extras = None
        self._sentences_table = None
        with self._facts_lock:
            self._known = ({}, {})

    def _sentence_tokens_column(self, alias: str) -> str:
        """The stored sentences' tokens (`qa.sentence_tokens`), or NULL in an index made before
        they were stored (read-only)."""
        if getattr(self, "_tokens_column", None) is None:
            self._tokens_column = any(row[1] == "sentence_tokens" for row in
                                      self.connection().execute("PRAGMA table_info(passages)"))
        return f"{alias}.sentence_tokens" if self._tokens_column else "NULL"

    def _section_column(self, alias: str) -> str:
        """The passages' sections, or NULL in an index made before they were kept (read-only)."""
        if getattr(self, "_sections", None) is None:
            self._sections = any(row[1] == "section" for row in self.connection().execute("PRAGMA table_info(passages)"))
        return f"{alias}.section" if self._sections else "NULL"

    def passage_langs(self, ids: Sequence[int]) -> dict[int, str | None]:
        if not ids:
            return {}
        rows = self.connection().execute(
            f"SELECT id, lang FROM passages WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        return dict(rows)

    def langs_and_vectors(self, ids: Sequence[int], want_vectors: set[int], dim: int
                          ) -> tuple[dict[int, str | None], dict[int, np.ndarray]]:
        """`passage_langs(ids)` and `vectors_for(want_vectors)` (a subset of `ids`) in one query."""
        if not ids:
            return {}, {}
        rows = self.connection().execute(
            f"SELECT id, lang, vector FROM passages WHERE id IN ({','.join('?' * len(ids))})", list(ids))
        langs, vectors = {}, {}
        for i, lang, v in rows:
            langs[i] = lang
            if i in want_vectors:
                vectors[i] = np.frombuffer(v, dtype=np.float32, count=dim)
        return langs, vectors

    def candidate_data(self, ids: Sequence[int], langs_of: Collection[int], contexts: bool, dim: int
                       ) -> tuple[dict[int, str | None], dict[int, np.ndarray]]:
        """What a search needs of its candidates `ids` besides vectors: the languages of those in
        `langs_of` (`passage_langs`) and, with `contexts`, every one's document context vector
        (`context_vectors`). Kept in memory once read (`_learn`): reading them was a fifth of a
        small index's search, a SQLite row lookup (about a microsecond) for each candidate."""
        contexts = contexts and self._has_contexts()
        wanted = list(ids) if contexts else [i for i in ids if i in langs_of]
        facts, heads = self._known
        unknown = [i for i in wanted if i not in facts]
        if unknown:
            facts, heads = self._learn(unknown, dim)
        langs: dict[int, str | None] = {}
        found: dict[int, np.ndarray] = {}
        for i in wanted:
            fact = facts.get(i)
            if fact is None:  # not in the store
                continue
            if i in langs_of:
                langs[i] = fact[0]
            if contexts:
                head = heads[fact[1]]
                if head is not None:
                    found[i] = head
        return langs, found

    def _learn(self, ids: Sequence[int], dim: int
               ) -> tuple[dict[int, tuple[str | None, int]], dict[int, np.ndarray | None]]:
        """Keep the language and document of passages `ids`, and their documents' context
        vectors; returns what is kept. A passage id is never reused nor its row changed (a
        changed document's passages are new rows), nor a document's head but when `qa index`
        adds heads to an index of before, which a reader takes up at its next refresh
        (`forget_columns`)."""
        with self._facts_lock:
            facts, heads = self._known
            if len(facts) + len(ids) > FACTS_CACHE or len(heads) > FACTS_CACHE // 10:
                facts, heads = self._known = ({}, {})
            head = "d.context" if self._has_contexts() else "NULL"
            rows = self.connection().execute(
                f"SELECT p.id, p.lang, p.doc_id, {head} FROM passages p LEFT JOIN documents d ON d.id = p.doc_id "
                f"WHERE p.id IN ({','.join('?' * len(ids))})", list(ids))
            for i, lang, doc, context in rows:
                if doc not in heads:
                    heads[doc] = None if context is None else np.frombuffer(context, dtype=np.float32, count=dim)
                facts[i] = (lang, doc)
            return facts, heads

    def bm25(self, match: str, limit: int, where: tuple[str, Sequence] | None = None
             ) -> list[tuple[int, float]]:
        """The `limit` best passages for an FTS5 MATCH expression (`qa.lexical_plan`): (passage id,
        BM25), best first, higher is better; `where`: an SQL condition on passages `p` and their
        documents `d`, with its parameters (`qa.filters.Where.sql`)."""
        if where is None:
            rows = self.connection().execute(
                "SELECT rowid, rank FROM lexical WHERE lexical MATCH ? ORDER BY rank LIMIT ?", (match, limit))
        else:
            clause, params = where
            rows = self.connection().execute(
                "SELECT rowid, rank FROM lexical WHERE lexical MATCH ? AND rowid IN "
                f"(SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {clause}) "
                "ORDER BY rank LIMIT ?", [match, *params, limit])
        return [(i, -score) for i, score in rows]

    def lexical_stats(self, terms: Iterable[str]) -> LexicalStats:
        """This store's lexical statistics for `terms` (`qa.lexical_stats`): its rows and tokens,
        from FTS5's averages record, and each term's document frequency, from its vocabulary;
        read in one snapshot."""
        terms = list(dict.fromkeys(terms))
        conn = self.connection()
        self._vocabulary_tables(conn)
        conn.execute("BEGIN")
        try:
            row = conn.execute("SELECT block FROM lexical_data WHERE id = 1").fetchone()
            totals = varints(row[0]) if row is not None and row[0] else []
            df: dict[str, int] = {}
            for first in range(0, len(terms), KNOWN_WORDS_BATCH):
                part = terms[first:first + KNOWN_WORDS_BATCH]
                df.update(conn.execute(f"SELECT term, doc FROM temp.lexical_vocabulary WHERE term IN "
                                       f"({','.join('?' * len(part))})", part).fetchall())
        finally:
            conn.execute("COMMIT")
        rows, tokens = (totals[0], totals[1]) if len(totals) >= 2 else (0, 0)
        return LexicalStats(rows, tokens, {t: df.get(t, 0) for t in terms})

    def bm25_with(self, terms: Sequence[str], stats: LexicalStats, limit: int,
                  where: tuple[str, Sequence] | None = None) -> list[tuple[int, float]]:
        """`bm25` of any of `terms` scored with the statistics `stats` (of a whole sharded index)
        instead of this store's own: the terms' postings and the passages' lengths read here,
        scored by `qa.lexical_stats.bm25_top`."""
        conn = self.connection()
        self._vocabulary_tables(conn)
        postings: list[tuple[np.ndarray, np.ndarray]] = []
        docs, sizes = [], []
        conn.execute("BEGIN")  # one snapshot: postings and lengths
        try:
            for term in terms:
                # each posting with its passage's length record: one query a term, none a passage
                found = conn.execute("SELECT g.doc, g.n, d.sz FROM (SELECT doc, COUNT(*) AS n FROM temp.lexical_instances "
                                     "WHERE term = ? GROUP BY doc) g JOIN lexical_docsize d ON d.id = g.doc",
                                     (term,)).fetchall()
                held, counts, size = zip(*found) if found else ((), (), ())
                postings.append((np.asarray(held, dtype=np.int64), np.asarray(counts, dtype=np.int64)))
                docs.append(postings[-1][0])
                sizes.extend(size)
            every = np.concatenate(docs) if docs else np.zeros(0, np.int64)
            ids, first = np.unique(every, return_index=True)
            lengths = first_varints([sizes[i] for i in first.tolist()]).astype(np.float64)
            if where is not None and len(ids):
                allowed = self._allowed(conn, ids.tolist(), where)
                keep = np.isin(ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
                ids, lengths = ids[keep], lengths[keep]
                kept = [np.isin(held, ids) for held, _ in postings]
                postings = [(held[k], counts[k]) for (held, counts), k in zip(postings, kept)]
        finally:
            conn.execute("COMMIT")
        return bm25_top(terms, postings, ids, lengths, stats, limit)

    @staticmethod
    def _allowed(conn: sqlite3.Connection, ids: list[int], where: tuple[str, Sequence]) -> set[int]:
        """Those of passages `ids` that `where` (`qa.filters.Where.sql`) allows."""
        clause, params = where
        allowed: set[int] = set()
        for first in range(0, len(ids), KNOWN_WORDS_BATCH):
            part = ids[first:first + KNOWN_WORDS_BATCH]
            allowed.update(i for (i,) in conn.execute(
                f"SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE ({clause}) AND p.id IN "
                f"({','.join('?' * len(part))})", [*params, *part]))
        return allowed

    @staticmethod
    def _vocabulary_tables(conn: sqlite3.Connection) -> None:
        """FTS5's vocabulary of the lexical index, per term (rows holding it) and per occurrence."""
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_vocabulary USING fts5vocab(main, 'lexical', 'row')")
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexical_instances "
                     "USING fts5vocab(main, 'lexical', 'instance')")

    def vocabulary(self) -> list[str]:
        """Every distinct term of the lexical index (FTS5's vocabulary)."""
        conn = self.connection()
        self._vocabulary_tables(conn)
        return [t for (t,) in conn.execute("SELECT term FROM temp.lexical_vocabulary")]

    def term_passages(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages hold each of `terms` (those held by none are left out). A term ending
        in "*" is a prefix: the passages holding a token that begins with it (`_match`)."""
        if not terms:
            return {}
        conn = self.connection()
        self._vocabulary_tables(conn)
        out = {}
        for t in dict.fromkeys(terms):
            if t.endswith("*"):
                (n,) = conn.execute("SELECT count(*) FROM lexical WHERE lexical MATCH ?", (_match(t),)).fetchone()
            else:
                n = next((n for (n,) in conn.execute("SELECT doc FROM temp.lexical_vocabulary WHERE term = ?", (t,))), 0)
            if n:
                out[t] = n
        return out

    def holding(self, terms: Sequence[str], ids: Sequence[int]) -> dict[int, set[str]]:
        """Which of `terms` each passage of `ids` holds (one FTS5 query a term; a prefix as in
        `term_passages`)."""
        out: dict[int, set[str]] = {}
        if not terms or not ids:
            return out
        conn, marks = self.connection(), ",".join("?" * len(ids))
        for t in dict.fromkeys(terms):
            # `+rowid`: the ids are kept by SQLite from one pass of the match, not handed to FTS5, which
            # would expand a prefix again for each id (4-6 ms a question of 7 prefixes, 0.8-1.2 this way)
            for (i,) in conn.execute(f"SELECT rowid FROM lexical WHERE lexical MATCH ? AND +rowid IN ({marks})",
                                     [_match(t), *ids]):
                out.setdefault(i, set()).add(t)
        return out

    def names(self):
        """The index's Latin-script terms by consonant skeleton (`qa.transliterate.Vocabulary`),
        for questions in other scripts; made on first use, once per completed build. None on
        stores of more than NAMES_MAX_PASSAGES passages."""
        from .transliterate import Vocabulary

        builds = self.builds()
        with self._stats_lock:
            if self._names is None or self._names[0] != builds:
                small = self.counts()[1] <= NAMES_MAX_PASSAGES
                self._names = (builds, Vocabulary(self.vocabulary()) if small else None)
            return self._names[1]

    def passages_after(self, last: int, limit: int) -> list[tuple[int, str | None, str]]:
        """(id, language, text) of the first `limit` passages whose id is above `last`, by id."""
        return self.connection().execute("SELECT id, lang, text FROM passages WHERE id > ? ORDER BY id LIMIT ?",
                                         (last, limit)).fetchall()

    def known_words(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of the (word, language) `pairs` that the `words` table holds."""
        pairs = list(pairs)
        conn, known = self.connection(), set()
        for first in range(0, len(pairs), KNOWN_WORDS_BATCH):  # one query per batch, not per word
            part = pairs[first:first + KNOWN_WORDS_BATCH]
            spelled = list({w for w, _ in part})
            known.update(conn.execute(f"SELECT word, lang FROM words WHERE word IN ({','.join('?' * len(spelled))})",
                                      spelled).fetchall())
        return known & set(pairs)

    def idle_word_vectors(self) -> dict[str, bytes]:
        """The stored (float16) vectors of the words no passage holds any more (`uses` 0, kept
        for when they come back): with the vocabulary's own (`word_vocabulary`), every vector
        `stored_word_vectors` can give."""
        return dict(self.connection().execute("SELECT word, vector FROM words WHERE uses <= 0").fetchall())

    def stored_word_vectors(self, spelled: Iterable[str]) -> dict[str, bytes]:
        """The stored (float16) vector of each of the words `spelled` that the `words` table holds
        in some language: a word's vector depends on its spelling only."""
        spelled = list(spelled)
        conn, found = self.connection(), {}
        for first in range(0, len(spelled), KNOWN_WORDS_BATCH):
            part = spelled[first:first + KNOWN_WORDS_BATCH]
            found.update(conn.execute(f"SELECT word, vector FROM words WHERE word IN ({','.join('?' * len(part))})",
                                      part).fetchall())
        return found

    def add_words(self, conn: sqlite3.Connection, rows: Sequence[tuple[str, str, list[str], np.ndarray | bytes]],
                  uses: dict[tuple[str, str], int], through: int, version: int) -> None:
        """Store new (word, language, tokens, vector) rows (a vector as an array, or as stored:
        float16 bytes) and add `uses` (passages holding each (word, language)) to the words'
        counts; the passages up to id `through` are covered."""
        # a new row gets its count at once: one statement per word instead of two
        conn.executemany("INSERT OR REPLACE INTO words VALUES(?, ?, ?, ?, ?)",
                         [(w, lang, " ".join(tokens),
                           v if isinstance(v, bytes) else np.asarray(v, dtype=np.float16).tobytes(),
                           uses.get((w, lang), 0))
                          for w, lang, tokens, v in rows])
        new = {(w, lang) for w, lang, _, _ in rows}
        self.count_words(conn, {key: n for key, n in uses.items() if key not in new})
        self.set_meta(conn, words_through=str(through), words_version=str(version))

    def count_words(self, conn: sqlite3.Connection, uses: dict[tuple[str, str], int]) -> None:
        """Add `uses` (negative when passages go) to the words' passage counts. A word no passage
        holds keeps its row (and vector, for when it comes back) but is not met."""
        conn.executemany("UPDATE words SET uses = uses + ? WHERE word = ? AND lang = ?",
                         [(n, w, lang) for (w, lang), n in uses.items()])

    def reset_word_uses(self, conn: sqlite3.Connection) -> None:
        """Every word's count back to 0 (its vector kept), before the passages are counted again."""
        conn.execute("UPDATE words SET uses = 0")

    def document_passages(self, conn: sqlite3.Connection, doc_id: int) -> list[tuple[int, str | None, str]]:
        """(id, language, text) of the passages of a document and its parts (what
        `delete_document` deletes)."""
        row = conn.execute("SELECT source FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return []
        prefix = row[0] + PART_SEPARATOR
        return conn.execute(
            "SELECT p.id, p.lang, p.text FROM passages p JOIN documents d ON d.id = p.doc_id "
            "WHERE d.id = ? OR (d.source >= ? AND d.source < ?)", (doc_id, prefix, prefix + "\U0010ffff")).fetchall()

    def word_vocabulary(self, version: int, dim: int, vectors: bool = False):
        """The index's words (`qa.word_translation.WordVocabulary`), read once per completed
        build; None for an index whose words were not stored by this `version` (made before
        them, or by another model), or of more than NAMES_MAX_PASSAGES passages. From
        `word_index.ANN_FROM` words they are met through the inverted file `qa index` saved
        beside the store, without their vectors, if it holds exactly these words; else (a
        build cut short or still writing) through the exact product, until it does. With
        `vectors` (a shard's words, to be merged), always with their vectors."""
        from . import word_index
        from .word_translation import WordVocabulary

        builds = self.builds()
        try:  # a build writes the file after its last change of the words: looked at again
            saved = (self.path.parent / word_index.IVF_NAME).stat()
            key = (builds, vectors, saved.st_mtime_ns, saved.st_size, saved.st_ino)
        except OSError:
            key = (builds, vectors)
        with self._stats_lock:
            if self._words is None or self._words[0] != key:
                meta = self.meta()
                usable = meta.get("words_version") == str(version) and self.counts()[1] <= NAMES_MAX_PASSAGES
                vocabulary = None
                if usable:
                    conn = self.connection()
                    conn.execute("BEGIN")  # one snapshot: the words and their vectors
                    try:
                        ids, keys, tokens = word_index.active_rows(conn)
                        ann = None
                        if not vectors and len(ids) >= word_index.ANN_FROM:
                            ann = word_index.load(self.path.parent, meta.get("identity"), dim, ids, keys)
                        held = None if ann is not None else word_index.active_vectors(conn, len(ids), dim)
                    finally:
                        conn.execute("COMMIT")
                    if held is not None and not vectors and len(ids) >= word_index.ANN_FROM:
                        log.warning("the words' inverted file of %s is missing or older than its words: they are "
                                    "met by the exact product (slower) until `qa index` runs on it", self.path.parent)
                    fetch = ((lambda rowids: word_index.read_vectors(self.connection(), rowids, dim))
                             if ann is not None else None)
                    vocabulary = WordVocabulary([t.split() for t in tokens], held, frozenset(k[1] for k in keys),
                                                keys, ids if ann is not None else None, fetch=fetch, _ann=ann)
                self._words = (key, vocabulary)
            return self._words[1]

    def term_stats(self) -> tuple[int, dict[str, float]] | None:
        """(passages, {term: share of passages}) estimated on a fixed sample of passages,
        once per completed build (~0.5 s), or None under `PRUNE_FROM_PASSAGES`. Not once per
        generation: a build bumps that at every batch, and searches during a long re-index
        would each sample again."""
        builds = self.builds()  # a store file keeps its identity: the build count suffices
        key = str(builds)
        with self._stats_lock:  # shared by the threads that search: computed once
            cached = self._term_stats
            if cached is not None and cached[0] == key:
                return cached[1]
            stats = self._sample_term_stats(builds)
            self._term_stats = (key, stats)
            return stats

    @property
    def term_stats_samples(self) -> int:
        """How many times term statistics were sampled (for tests of the caching)."""
        return getattr(self, "_samples", 0)

    def _sample_term_stats(self, generation: int) -> tuple[int, dict[str, float]] | None:
        self._samples = getattr(self, "_samples", 0) + 1
        conn = self._unmapped()
        try:
            return self._term_sample(conn, generation)
        finally:
            conn.close()

    def _unmapped(self) -> sqlite3.Connection:
        """A connection of its own that reads by read calls, not through the memory map. For a
        one-off read of rows scattered over the whole file: through the map, each row's page
        and the pages the kernel maps around it (fault-around) would stay in the process's
        RSS: ~700 MB for the term sample of a 100k-passage store (docs/performance.md,
        "Session 9"); read calls leave them to the page cache."""
        conn = _connect(self.path)
        conn.execute("PRAGMA mmap_size=0")
        return conn

    def _term_sample(self, conn: sqlite3.Connection, generation: int) -> tuple[int, dict[str, float]] | None:
        # ids between the lowest and the highest: a rebuild numbers after the index it replaced
        n, low, top = conn.execute("SELECT COUNT(*), MIN(rowid), MAX(rowid) FROM lexical").fetchone()
        stats = None
        if n >= PRUNE_FROM_PASSAGES and top:
            rng = np.random.default_rng(generation)
            ids = np.unique(rng.integers(low, top + 1, COMMON_SAMPLE * 2)).tolist()
            rng.shuffle(ids)
            counts: dict[str, int] = {}
            seen = 0
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for (tokens,) in conn.execute(
                        f"SELECT tokens FROM lexical WHERE rowid IN ({','.join('?' * len(chunk))})", chunk):
                    seen += 1
                    for t in set(tokens.split()):
                        counts[t] = counts.get(t, 0) + 1
                if seen >= COMMON_SAMPLE:
                    break
            if seen:
                stats = (n, {t: c / seen for t, c in counts.items()})
        return stats

    def document(self, doc_id: int) -> dict | None:
        row = self.connection().execute(
            f"SELECT id, source, title, date, text, {self._document_extras('documents')}, lang FROM documents WHERE id=?",
            (doc_id,)).fetchone()
        if row is None:
            return None
        passages = self.connection().execute(
            'SELECT id, paragraph, start, "end", page, lang FROM passages WHERE doc_id=? ORDER BY start',
            (doc_id,)).fetchall()
        rows = [dict(zip(("id", "paragraph", "start", "end", "page", "lang"), p)) for p in passages]
        number_parts(rows)
        return {"id": row[0], "source": row[1], "title": row[2], "date": row[3], "text": row[4],
                "authors": row[5], "meta": json.loads(row[6]) if row[6] else {}, "lang": row[7],
                "passages": rows}

    def neighbours(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        """The passage and up to `before`/`after` passages around it in its document, in order."""
        conn = self.connection()
        row = conn.execute("SELECT doc_id, start FROM passages WHERE id=?", (passage_id,)).fetchone()
        if row is None:
            return []
        doc_id, start = row
        cols = 'id, paragraph, start, "end", page, text'
        prev = conn.execute(f"SELECT {cols} FROM passages WHERE doc_id=? AND start<? ORDER BY start DESC LIMIT ?",
                            (doc_id, start, before)).fetchall()
        rest = conn.execute(f"SELECT {cols} FROM passages WHERE doc_id=? AND start>=? ORDER BY start LIMIT ?",
                            (doc_id, start, after + 1)).fetchall()
        keys = ("id", "paragraph", "start", "end", "page", "text")
        return [dict(zip(keys, r)) for r in [*reversed(prev), *rest]]

    def documents(self) -> list[dict]:
        rows = self.connection().execute(
            "SELECT d.id, d.source, d.title, d.date, d.hash, COUNT(p.id) FROM documents d "
            "LEFT JOIN passages p ON p.doc_id = d.id GROUP BY d.id ORDER BY d.source")
        return [dict(zip(("id", "source", "title", "date", "hash", "passages"), r)) for r in rows]


def _sentence_tokens(passage: NewPassage, stored: int) -> str | None:
    """The packed tokens of a new passage's sentences, when they are those of the `stored`
    sentences in the order a search reads them (text order), else None."""
    spans, tokens = passage.sentences, passage.sentence_tokens
    if not tokens or stored != len(spans) or len(tokens) != len(spans) \
            or any(b[0] < a[0] for a, b in zip(spans, spans[1:])):
        return None
    return pack(tokens)


def last_ids(path: Path) -> dict[str, int]:
    """The highest document and passage ids the store at `path` has given out ({} when it
    cannot be read: a rebuild then numbers from 1)."""
    if not Path(path).is_file():  # connecting would create an empty store there
        return {}
    try:
        old = _connect(path)
        try:
            rows = old.execute("SELECT name, seq FROM sqlite_sequence WHERE name IN ('documents', 'passages')")
            return {name: int(seq) for name, seq in rows.fetchall()}
        finally:
            old.close()
    except sqlite3.Error:
        return {}


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        conn.close()
        if not read_only_storage(path.parent):
            raise
        # SQLite reads a WAL store only with its shared-memory file beside it, which read-only
        # storage cannot hold: nothing can write there either, so the store is read as it is,
        # unless its write-ahead log holds transactions (a writer was killed): then read-only
        try:
            pending = path.with_name(path.name + "-wal").stat().st_size > 0
        except OSError:
            pending = False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{'mode=ro' if pending else 'immutable=1'}", uri=True,
                               timeout=60, isolation_level=None, check_same_thread=False)
    return conn


def full_storage(folder: Path) -> bool:
    """True when the file system of `folder` has under 1 MB free: SQLite cannot make the
    shared-memory file it needs beside a store even to read it ("disk I/O error")."""
    try:
        room = os.statvfs(folder)
    except OSError:
        return False
    return room.f_bavail * room.f_frsize < 2**20


def read_only_storage(folder: Path) -> bool:
    """True when `folder` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _blob(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.ascontiguousarray(vector, dtype=np.float32).tobytes()


class _Transaction:
    def __init__(self, conn: sqlite3.Connection,
                 before_commit: Callable[[sqlite3.Connection], None] | None = None) -> None:
        self.conn = conn
        self.before_commit = before_commit

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                if self.before_commit is not None:
                    self.before_commit(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:  # the hook's write failed (a full disk) or the commit did
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        elif self.conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
            self.conn.execute("ROLLBACK")
