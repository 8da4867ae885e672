"""`Retriever.search`: the one retrieval function behind the API, the CLI and the web app."""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import AbstractSet, Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

from .answer import ScoredSentences, best_sentence
from .encoder import Calibration, encoders
from .citations import cue_time, paragraph_label, timed_place
from .compat import check_fingerprint, check_model, check_probe, check_readable, index_command, languages_notice
from .context import context_current
from .passages import sections_current
from .errors import BadQuestion, BrokenIndex, IndexNotFound, QAError, StaleIndex
from .filters import Where, allowed_ids, as_where, check_folders, choices, dense_candidates, held_folders
from .freshness import SourceCheck
from . import followup
from .fusion import WEAK_DENSE, candidate_pool, fuse, is_weak, lexical_evidence, mixed_score
from .language import query_tokens, question_language, question_words
from .layout import BuildLock, current_data, named_index, pointer_error
from .lexical_plan import lexical_search
from .lexical_stats import LexicalStats
from .mapped import answered
from .notices import language_notice, model_languages
from .outside import OUTSIDE_COVERAGE, coverages, outside
from .records import Passage
from .sentence_matrix import SentenceMatrix
from .shards import MANIFEST, is_sharded, orphan_error
from .store import DB_NAME, Store, full_storage, read_only_storage
from .transliterate import SOUNDED_LANGS, candidate_words
from .vectors import BrokenVectors, VectorIndex
from .weakbar import add_hubs
from .word_translation import WORDS_VERSION, WordVocabulary, content_words

# the weights of qa.fusion as they are (no per-model calibration)
DEFAULT_CALIBRATION = Calibration()

log = logging.getLogger("qa")

MAX_K = 100
MAX_QUESTION_CHARS = 2000
CANDIDATES = 50
MODES = ("hybrid", "dense", "lexical")
# The lexical search needs no query vector: it runs in one of these threads while the
# question is embedded and FAISS searched (SQLite and FAISS both release the GIL), which
# takes its time (up to ~13 ms at a million passages) off the query's.
LEXICAL_THREADS = 4
# Questions per model call and per FAISS call in `search_many` (bounds the batch's arrays).
QUERY_BATCH = 256
# Questions of a `search_many` batch whose candidates' stored data is read in one query of each
# kind (`StoredReads`): bounds what is held at once (their sentence vectors, a few MB).
READ_BATCH = 32


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise BadQuestion("the question must be text")
    # printable text holds no control or format character: nothing to replace
    cleaned = question if question.isprintable() else \
        "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise BadQuestion("the question is empty: type a question", "empty")
    return cleaned[:MAX_QUESTION_CHARS]


def searched_part(question: str) -> str:
    """The start of `question`, as typed (its line breaks kept), that `clean_question` keeps: a
    question longer than `MAX_QUESTION_CHARS` (spaces collapsed) is searched by that much only."""
    count, space = 0, False
    for i, ch in enumerate(question):
        if ch.isspace() or (unicodedata.category(ch)[0] == "C" and ch not in "\n\t"):
            space = count > 0
            continue
        count += 1 + space
        space = False
        if count > MAX_QUESTION_CHARS:
            return question[:i].rstrip()
    return question


def question_cut(question: str) -> dict | None:
    """How a question too long to be searched whole (a pasted text) was cut, for the API and the
    command line to say it as the chat does: {"length": its characters (spaces collapsed),
    "searched_chars": MAX_QUESTION_CHARS, "searched": the part searched, as typed (`searched_part`),
    "note": the same in one English sentence}; None for a question searched whole (or no text)."""
    if not isinstance(question, str):
        return None
    part = searched_part(question)
    if part == question:
        return None
    visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    length = len(" ".join(visible.split()))
    return {"length": length, "searched_chars": MAX_QUESTION_CHARS, "searched": part,
            "note": f"the question is {length} characters long: only its first {MAX_QUESTION_CHARS} were searched "
                    "(put the question itself first, or ask it on its own)"}


def clean_questions(questions: Sequence[str]) -> list[str]:
    """`clean_question` of each of a list of questions."""
    if isinstance(questions, (str, bytes)) or not isinstance(questions, Iterable):
        raise BadQuestion(f"the questions must be a list of texts, not {type(questions).__name__}")
    return [clean_question(q) for q in questions]


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise BadQuestion(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


@dataclass(frozen=True)
class Query:
    """A cleaned question with its language, lexical tokens (None: no lexical search), the
    words that may be names written in another script than the documents' and its content
    words to translate into the index's (`qa.word_translation`; both hybrid only)."""

    text: str
    lang: str
    tokens: list[str] | None
    words: list[str]
    content: list[str] = field(default_factory=list)
    # the earlier question(s) this follow-up is read with (`qa.followup.read_with`), or None
    prior: str | None = None

    @classmethod
    def of(cls, text: str, mode: str, prior: str | None = None,
           languages: Collection[str] | Callable[[], Collection[str]] | None = None,
           topic: str | None = None) -> "Query":
        """`languages`: the collection's (`Store.languages`), or a function giving them, among which
        an uncertain question's language is read (`qa.language.question_language`), and which say
        whether its Latin words may spell terms in the scripts of South Asia (hybrid). `topic`: the
        title of the document the earlier question found (`topics_of`), whose tokens join the
        lexical query instead of the earlier question's (`qa.followup.reads_topic`)."""
        query = cls._of(text, mode, languages)
        if prior is None:
            return query
        # the earlier question's words join the lexical sides; its vector is mixed in by `question_terms`
        earlier = cls._of(prior, mode, languages)
        join = lambda a, b: None if a is None else list(dict.fromkeys([*a, *(b or [])]))  # noqa: E731
        prior_tokens = earlier.tokens if followup.PRIOR_LEXICAL else None
        if topic is not None and query.tokens is not None and followup.reads_topic(text, mode):
            prior_tokens = query_tokens(topic, question_language(topic, languages))
        return cls(text, query.lang, join(query.tokens, prior_tokens),
                   join(query.words, earlier.words),
                   join(query.content, earlier.content), prior)

    @classmethod
    def _of(cls, text: str, mode: str, languages: Collection[str] | Callable[[], Collection[str]] | None = None
            ) -> "Query":
        lang = question_language(text, languages)
        hybrid = mode == "hybrid"
        sounded = hybrid and _sounded(languages)
        # the question's word breaks, made once for its tokens (`question_words`) serve its content words
        return cls(text, lang, None if mode == "dense" else query_tokens(text, lang),
                   candidate_words(text, lang, sounded) if hybrid else [],
                   content_words(text, lang, question_words(text, lang)[0]) if hybrid else [])


def _sounded(languages: Collection[str] | Callable[[], Collection[str]] | None) -> bool:
    """Whether the collection (its passages' `languages`, or a function giving them) holds a language
    written in a script of South Asia, whose terms a question's Latin words may spell
    (`qa.transliterate.LatinWord`)."""
    if callable(languages):
        languages = languages()
    return bool(languages) and not SOUNDED_LANGS.isdisjoint(languages)


def prior_questions(questions: Sequence[str], previous: Sequence[Sequence[str] | None] | None
                    ) -> list[str | None]:
    """Per question, the earlier question(s) it is read with (`qa.followup.read_with`), or None."""
    if previous is None:
        return [None] * len(questions)
    if isinstance(previous, (str, bytes)) or len(previous) != len(questions):
        raise BadQuestion("previous must hold one list of earlier questions per question")
    out = []
    for question, earlier in zip(questions, previous):
        if isinstance(earlier, (str, bytes)):
            raise BadQuestion("the earlier questions must be a list of texts, not one text")
        out.append(followup.read_with(question, earlier_questions(earlier)))
    return out


def topics_of(priors: Sequence[str | None], search: Callable[[list[str]], Sequence[Sequence[Passage]]]
              ) -> dict[str, str]:
    """Per earlier question read with, the title of the document of its first passage as
    `search` finds it alone (`Query.of`'s `topic`); none for a passage without a title."""
    asked = list(dict.fromkeys(p for p in priors if p is not None))
    found = search(asked) if asked else []
    return {p: hits[0].title for p, hits in zip(asked, found) if hits and hits[0].title}


def earlier_questions(earlier: Iterable[str | None] | None) -> list[str]:
    """A conversation's earlier questions, cleaned (`clean_question`), without those of no text:
    one of invisible characters only was refused when asked, but the chat keeps every question
    asked, and it must not make each later one fail as "empty"."""
    if earlier is None:
        return []
    if not isinstance(earlier, Iterable) or isinstance(earlier, (Mapping, AbstractSet)):
        # a dict or a set would give its keys, in no order of the conversation
        raise BadQuestion(f"the earlier questions must be a list of texts, not {type(earlier).__name__}")
    out = []
    for p in earlier:
        if p is None:
            continue
        if not isinstance(p, str):
            raise BadQuestion(f"the earlier questions must be texts, not {type(p).__name__}")
        try:
            out.append(clean_question(p))
        except BadQuestion:  # nothing left once cleaned
            continue
    return out


def check_k(k: int) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise BadQuestion(f"k must be a whole number, not {k!r}") from None
    if k < 1:
        raise BadQuestion(f"k must be at least 1 (got {k})")
    return min(k, MAX_K)


@dataclass
class _Loaded:
    """One consistent view of an index: its data folder, store, model and vectors. A search
    takes one view and uses it throughout, so that a swap to a rebuilt index mid-question
    never mixes two indexes."""

    data: Path
    identity: str | None
    store: Store
    encoder: object
    vectors: VectorIndex
    generation: int
    # every document of several passages has its context vector (`qa.context`); an index made
    # before contexts existed is searched without any until `qa index` adds them
    context: bool = True
    # the sentences' vectors in one mapped file of this generation (`qa.sentence_matrix`), or
    # None: read from the store
    sentences: SentenceMatrix | None = None
    # the passages' languages (`Store.languages`), read at the first question whose language the
    # identifier is unsure of (`languages`), not at every open and refresh: a scan of the passages
    _languages: frozenset[str] | None = field(default=None, repr=False)
    # why this view must not be searched: its store was updated in place by another version of qa
    # (its tokens or passages), which `_load` refuses at an open (`Retriever._refresh`)
    unusable: str | None = None

    def languages(self) -> frozenset[str]:
        if self._languages is None:
            self._languages = self.store.languages()
        return self._languages

    def sentence_vectors(self, ids: Sequence[int], reads: "Store | StoredReads | None" = None
                         ) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """`Store.sentence_vectors` of these passages: from `reads` when given (a batch's
        reads), else from the mapped file, else from the store."""
        dim = self.encoder.dimension
        if reads is not None and reads is not self.store:
            return reads.sentence_vectors(ids, dim)
        if self.sentences is not None:
            return self.sentences.sentence_vectors(ids, self.store, dim)
        return self.store.sentence_vectors(ids, dim)


class Retriever:
    """A loaded index and its model. Thread-safe for searching; open once, ask many times."""

    def __init__(self, directory: Path, model: str | None = None, nlist_scale: int = 1) -> None:
        """Open the index at `directory` (use `Retriever.open`). `nlist_scale` is for a shard of
        that many: a vector index repaired from its store gets the lists `qa index` gives it."""
        self.directory = Path(directory)
        self._nlist_scale = nlist_scale
        self._retired: list[Store] = []
        self._reload_lock = threading.Lock()
        # one refresh at a time: questions asked at once after a rebuild load it once, and a
        # store is retired by one swap only (`_swap_to`)
        self._refresh_lock = threading.Lock()
        self._lexical_pool: ThreadPoolExecutor | None = None
        self._warned: set[str] = set()
        self._sources = SourceCheck()  # cited files compared with what was indexed
        self._view = self._load(self.directory, model)

    # one view at a time: these read the current one
    store = property(lambda self: self._view.store)
    encoder = property(lambda self: self._view.encoder)
    vectors = property(lambda self: self._view.vectors)
    generation = property(lambda self: self._view.generation)
    identity = property(lambda self: self._view.identity)

    @classmethod
    def open(cls, index: str | os.PathLike = "index", model: str | None = None) -> "Retriever":
        if is_sharded(index):  # same interface, searching every shard (qa/sharded.py)
            from .sharded import ShardedRetriever

            return ShardedRetriever(Path(index), model)
        return cls(Path(index), model)

    def _load(self, directory: Path, model: str | None = None) -> _Loaded:
        """Open the index's current data folder: store, model, vectors (repaired if needed)."""
        data = current_data(directory)
        db = data / DB_NAME
        if not db.exists():
            if error := pointer_error(directory) or orphan_error(directory, data):
                raise error
            raise IndexNotFound(f"no index at {directory}: build one with `qa index PATH --index {directory}`")
        try:
            store = Store(db)
            meta = store.meta()
        except sqlite3.DatabaseError as exc:
            if not os.access(data, os.W_OK) and not read_only_storage(data):
                raise BrokenIndex(f"cannot open the index at {directory}: SQLite writes its lock files beside the "
                                  f"store even to read it, and {data} is not writable by this user; give write "
                                  "access to it, or use a copy of the index") from None
            if "disk I/O" in str(exc) and full_storage(data):
                raise BrokenIndex(f"cannot open the index at {directory}: its disk is full (SQLite needs a little room "
                                  "beside the store even to read it); make room and try again: the index is not "
                                  "damaged") from None
            raise BrokenIndex(f"the index at {named_index(directory)} is damaged ({exc}); "
                              f"rebuild it with {index_command(directory, {}, '--rebuild')}") from None
        except PermissionError:
            raise BrokenIndex(f"no permission to read the index at {directory}") from None
        except OSError as exc:
            raise BrokenIndex(f"cannot read the index at {directory} ({exc.strerror or exc})") from None
        if "model" not in meta:
            raise IndexNotFound(f"the index at {directory} is empty: build it with `qa index PATH --index {directory}`")
        model_name = check_model(meta, model, directory)
        check_readable(meta, directory)
        encoder = encoders.get(model_name)
        check_fingerprint(meta, encoder.fingerprint, directory)  # as loaded: a hub model may have been fetched anew
        # what it gives: a package upgraded under the same name (an index without a probe: a passage it holds)
        check_probe(meta, encoder, directory, lambda: store.first_passage(encoder.dimension))
        generation = store.generation()
        identity = meta.get("identity")
        vectors = self._load_vectors(directory, data, store, encoder.dimension, generation, identity)
        if not sections_current(meta):
            self._warn_once(f"sections:{directory}", f"the index at {named_index(directory)} was made before "
                            f"passages knew their sections: run {index_command(directory, meta)} once to add them "
                            "(nothing is re-embedded); until then no citation names its section")
        if notice := languages_notice(meta, directory):
            self._warn_once(f"languages:{directory}", notice)
        return _Loaded(data, identity, store, encoder, vectors, generation, self._context(meta, directory),
                       SentenceMatrix.load(data, encoder.dimension, generation, identity))

    def _context(self, meta: dict[str, str], directory: Path) -> bool:
        if context_current(meta):
            return True
        self._warn_once(f"context:{directory}", f"the index at {named_index(directory)} has no document context "
                        f"vectors yet: run {index_command(directory, meta)} once to add them (nothing is re-embedded)")
        return False

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message)

    def _load_vectors(self, directory: Path, data: Path, store: Store, dimension: int, generation: int,
                      identity: str | None) -> VectorIndex:
        """The saved vectors of this generation. When they are missing or broken and no build
        is running, they are rebuilt from the store and saved once, so the next start reads
        them instead of rebuilding again."""
        try:
            vectors = VectorIndex.load(data, dimension, generation, identity)
            broken = None
        except BrokenVectors as exc:
            vectors, broken = None, str(exc)
        if vectors is not None:
            return vectors
        lock = BuildLock(directory)
        try:
            acquired = lock.try_acquire()
        except QAError as exc:  # read-only storage: repair in memory, every time
            self._warn_once(f"readonly:{data}", f"{exc}: the vector index is rebuilt in memory")
            return VectorIndex.from_store(store, dimension, nlist_scale=self._nlist_scale)
        if not acquired:
            # a build is writing: use the store's vectors as they are, and wait for its save
            return VectorIndex.from_store(store, dimension, nlist_scale=self._nlist_scale)
        try:
            if store.generation() != generation:  # a build finished meanwhile
                return VectorIndex.from_store(store, dimension, nlist_scale=self._nlist_scale)
            self._warn_once(f"vectors:{data}:{generation}",
                            f"the saved vector index of {directory} is "
                            + (f"not usable ({broken})" if broken else "older than its store (a build was interrupted)")
                            + ": rebuilt from the store and saved")
            vectors = VectorIndex.from_store(store, dimension, nlist_scale=self._nlist_scale)
            try:
                vectors.save(data, generation, identity)
            except OSError as exc:
                self._warn_once(f"save:{data}", f"cannot save the repaired vector index ({exc.strerror or exc})")
            return vectors
        finally:
            lock.release()

    def refresh(self) -> bool:
        """Pick up a newer complete index written by `qa index`: more documents in the same
        index, or a rebuilt one (perhaps with another model). True if the view changed.
        Until a new index is complete, searches keep the view they have."""
        with self._refresh_lock:
            return self._refresh()

    def _refresh(self) -> bool:
        view = self._view
        try:
            data = current_data(self.directory)
        except QAError as exc:
            self._warn_once(f"pointer:{exc}", f"{exc}; still answering from the index loaded before")
            return False
        if data != view.data:
            return self._swap_to(data)
        generation = view.store.generation()
        if generation == view.generation:
            if view.sentences is None:  # written since by a `qa index` that changed nothing else
                sentences = SentenceMatrix.load(view.data, view.vectors.dimension, generation, view.identity)
                if sentences is not None:
                    with self._reload_lock:
                        self._view = replace(view, sentences=sentences)
            return False  # the same answers either way
        view.store.forget_columns()
        try:
            # the store is shared with what wrote it: another qa's `qa index` rewrites its tokens in place
            check_readable(view.store.meta(), self.directory)
        except StaleIndex as exc:
            unusable = (f"{exc} (another qa updated it while this one was answering from it: answer from it with "
                        "that qa, or run the command with this one)")
            self._warn_once(f"unusable:{view.data}:{generation}", unusable)
            with self._reload_lock:
                self._view = replace(view, generation=generation, unusable=unusable)
            return True
        try:
            vectors = VectorIndex.load(view.data, view.vectors.dimension, generation, view.identity)
        except BrokenVectors as exc:
            if BuildLock(self.directory).held_elsewhere():
                return False  # a build is writing: its save will replace the file
            self._warn_once(f"refresh:{view.data}:{generation}", f"the saved vector index of {self.directory} is "
                            f"not usable ({exc}); rebuilding it from the store")
            vectors = self._load_vectors(self.directory, view.data, view.store, view.vectors.dimension, generation,
                                         view.identity)
        if vectors is None:
            if BuildLock(self.directory).held_elsewhere():
                return False  # a build is still writing: keep answering from what we have
            vectors = self._load_vectors(self.directory, view.data, view.store, view.vectors.dimension, generation,
                                         view.identity)
        context = view.context or self._context(view.store.meta(), self.directory)
        sentences = SentenceMatrix.load(view.data, view.vectors.dimension, generation, view.identity)
        with self._reload_lock:
            # a new view: an incremental update may add documents in another language
            self._view = _Loaded(view.data, view.identity, view.store, view.encoder, vectors, generation, context,
                                 sentences)
        return True

    def _swap_to(self, data: Path) -> bool:
        old = self._view
        if (data / MANIFEST).exists():  # rebuilt in shards: another kind of reader (`refreshed`)
            return False
        try:
            loaded = self._load(self.directory)
        except QAError as exc:
            self._warn_once(f"swap:{data}", f"the index at {self.directory} was replaced but cannot be used ({exc}); "
                            "still answering from the index loaded before")
            return False
        with self._reload_lock:
            self._view = loaded
            # stores two swaps old are closed: searches that started before the last swap are done
            for store in self._retired:
                store.close()
            self._retired = [old.store]
        model = "" if loaded.encoder.name == old.encoder.name else f", model {loaded.encoder.name}"
        log.warning("the index at %s was rebuilt: now answering from it (%d passages%s)", self.directory,
                    loaded.store.counts()[1], model)
        return True

    def stats(self) -> dict:
        view = self._view
        documents, passages = view.store.counts()
        return {"documents": documents, "passages": passages, "model": view.encoder.name,
                "index_type": view.vectors.kind, "index": str(self.directory)}

    def document(self, doc_id: int) -> dict | None:
        """An indexed document by its id in the index (never by a path)."""
        return self.store.document(int(doc_id))

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[dict]:
        """A passage with its neighbouring passages in the same document, in order."""
        return self.store.neighbours(int(passage_id), before, after)

    def search(self, question: str, k: int = 5, mode: str = "hybrid", where: Where | dict | None = None,
               previous: Sequence[str] | None = None) -> list[Passage]:
        """The `k` passages that best answer `question`, best first.

        `mode` is "hybrid" (the default: dense and lexical evidence fused by language),
        "dense" (the sentence encoder alone) or "lexical" (BM25 alone); the last two are
        for measuring what each half brings. `where` (a `qa.filters.Where` or a dict of its
        fields: folders, langs, since, until) keeps only passages of matching documents;
        candidates are drawn from those, so `k` of them come back when they exist.
        `previous`: the conversation's earlier questions, oldest first. A question that cannot
        stand alone ("When?", "Et son prix ?") is then read with them (`qa.followup`), and its
        passages say so in `followup_of`; a question that names its own topic is searched alone.
        """
        return self.search_many([question], k, mode, where, None if previous is None else [previous])[0]

    def search_many(self, questions: Sequence[str], k: int = 5, mode: str = "hybrid",
                    where: Where | dict | None = None, previous: Sequence[Sequence[str] | None] | None = None
                    ) -> list[list[Passage]]:
        """`search` for each question, in order (the same passages): the questions are
        embedded in one call to the model and searched in one FAISS call per `QUERY_BATCH`.
        `previous`: each question's earlier questions (see `search`)."""
        questions = clean_questions(questions)
        k, mode, where = check_k(k), check_mode(mode), as_where(where)
        priors = prior_questions(questions, previous)
        view = self._view  # one index throughout, even if a rebuild is swapped in meanwhile
        if view.unusable is not None:
            raise StaleIndex(view.unusable)
        if where is not None and where.folders:
            check_folders(where, held_folders(view.store, where.folders), lambda: choices(view.store)["folders"])
        topics = topics_of([p if p is not None and followup.reads_topic(q, mode) else None
                            for q, p in zip(questions, priors)], lambda asked: self.search_many(asked, 1, mode, where))
        out = widen_short(questions, priors, k, view.vectors.size,
                          lambda qs, ps, n: self._search_with(view, qs, ps, k, mode, where, n, topics))
        answered(len(questions))  # the mapped tables' pages given back now and then (qa.mapped)
        return out

    def _search_with(self, view: _Loaded, questions: list[str], priors: list[str | None], k: int, mode: str,
                     where: Where | None, n: int, topics: dict[str, str] | None = None
                     ) -> tuple[list[list[Passage]], list[bool]]:
        """`search_many` in `view` with `n` candidates of each kind; with each question's hits,
        whether any of its candidate lists was full (more candidates may exist)."""
        calibration = view.encoder.calibration
        out: list[list[Passage]] = []
        full: list[bool] = []
        for first in range(0, len(questions), QUERY_BATCH):
            batch = [Query.of(q, mode, p, view.languages, (topics or {}).get(p) if p else None)
                     for q, p in zip(questions[first:first + QUERY_BATCH], priors[first:first + QUERY_BATCH])]
            pool = self._lexical_threads()
            if mode == "lexical":
                hits, fulls = self._lexical_with(view, batch, k, where, n, pool)
                out.extend(hits)
                full.extend(fulls)
                continue
            lexical = [submit_lexical(pool, view.store, q, n, where) for q in batch]
            names = [pool.submit(names_search, view.store, q.words, n, where) if q.words else None for q in batch]
            vocabulary = vocabulary_of(view) if any(q.content for q in batch) else None
            qvecs, terms = question_terms(view.encoder, batch, vocabulary, view.store.stored_word_vectors)
            translated = [pool.submit(lexical_top, view.store, t, n, where) if t else None for t in terms]
            nearest = nearest_candidates(view, qvecs, n, mode, where)
            for part in range(0, len(batch), READ_BATCH):
                end = part + READ_BATCH
                lex = [result_of(f) for f in lexical[part:end]]
                named = [result_of(f) for f in names[part:end]]
                said = [result_of(f) for f in translated[part:end]]
                reads = (StoredReads.of(view, mode, nearest[part:end], lex, [a + b for a, b in zip(named, said)])
                         if len(lex) > 1 else view.store)
                tops, founds = [], []
                for q, qvec, near, lx, nm, wd in zip(batch[part:end], qvecs[part:end], nearest[part:end], lex, named,
                                                     said):
                    found = describe_candidates(view, qvec, mode, near, lx, names=nm, reads=reads, words=wd)
                    founds.append(found)
                    tops.append(rank_candidates(found, q.lang, mode, calibration))
                tops, also, rows = read_shown(tops, k, view.store.passages, view.store.places, self._sources.outdated)
                rows = add_hubs(rows, view.store, view.encoder, context=view.context)
                for q, qvec, top, found, more in zip(batch[part:end], qvecs[part:end], tops, founds, also):
                    out.append(self._passages(view, q, qvec, top, found, rows, more))
                    full.append(candidates_full(found, n))
        return out, full

    def _passages(self, view: _Loaded, q: Query, qvec: np.ndarray, top: list[tuple[float, float, int]],
                  found: Candidates, rows: dict[int, dict], more: dict[int, list[str]] | None) -> list[Passage]:
        """The `Passage`s of one question's shown `top`, marked when their files changed since."""
        covered = outside_coverages(view.store, q, top, rows, model_languages(view.encoder), view.vectors.size)
        hits = make_passages(top, rows, view.encoder, q.text, qvec, found, view.vectors.size, q.lang, more,
                             q.prior, covered)
        self._sources.mark(hits, rows)
        return hits

    def _lexical_with(self, view: _Loaded, batch: list[Query], k: int, where: Where | None, n: int,
                      pool: ThreadPoolExecutor) -> tuple[list[list[Passage]], list[bool]]:
        """`_search_with` of one batch in lexical mode, with the same passages. BM25 alone ranks,
        so the candidates' stored vectors and sentences (a hit's dense score for its weak flag, its
        answer) are read for the passages shown only (for all when the weak rule weighs the whole
        pool: `weighs_pool`); a question that `widen_short` will search again (fewer than `k`
        distinct passages, its list full: a paragraph in more places than `n`) is left there, no
        passages made; and a widened pass asks the model for the questions' vectors only when it
        keeps one. At 100,000 passages of copied paragraphs every question was searched three times
        over, each time reading every candidate's sentences (docs/performance.md, session 19)."""
        calibration = view.encoder.calibration
        lexical = [submit_lexical(pool, view.store, q, n, where) for q in batch]
        encode = lambda: question_terms(view.encoder, batch, None, view.store.stored_word_vectors)[0]  # noqa: E731
        # a first pass embeds while BM25 runs, as the other modes do; a widened one mostly re-asks
        qvecs = encode() if n <= max(CANDIDATES, 2 * k) else None
        out: list[list[Passage]] = []
        full: list[bool] = []
        for part in range(0, len(batch), READ_BATCH):
            queries = batch[part:part + READ_BATCH]
            lex = [result_of(f) for f in lexical[part:part + READ_BATCH]]
            ranked = [rank_candidates(Candidates([], lx, {}, {}, {}), q.lang, "lexical", calibration)
                      for q, lx in zip(queries, lex)]
            tops, also, rows = read_shown(ranked, k, view.store.passages, view.store.places, self._sources.outdated)
            again = [len(top) < k and len(lx) >= n and n < min(view.vectors.size, WIDEST) for top, lx in zip(tops, lex)]
            if all(again):
                out.extend([] for _ in queries)
                full.extend(True for _ in queries)
                continue
            if qvecs is None:
                qvecs = encode()
            rows = add_hubs(rows, view.store, view.encoder, context=view.context)
            wanted = [lx if weighs_pool(calibration, top, rows, q.lang) else shown_of(lx, top)
                      for q, top, lx in zip(queries, tops, lex)]
            reads = (StoredReads.of(view, "lexical", [[] for _ in wanted], wanted, [[] for _ in wanted])
                     if len(wanted) > 1 else view.store)
            for j, (q, top, more, lx) in enumerate(zip(queries, tops, also, lex)):
                if again[j]:
                    out.append([])
                    full.append(True)
                    continue
                qvec = qvecs[part + j]
                found = replace(describe_candidates(view, qvec, "lexical", [], wanted[j], reads=reads), lexical=lx)
                top = [(bm25, found.dense.get(i, 0.0), i) for bm25, _, i in top]
                out.append(self._passages(view, q, qvec, top, found, rows, more))
                full.append(candidates_full(found, n))
        return out, full

    def _lexical_threads(self) -> ThreadPoolExecutor:
        with self._reload_lock:
            if self._lexical_pool is None:
                self._lexical_pool = ThreadPoolExecutor(LEXICAL_THREADS, thread_name_prefix="qa-lexical")
            return self._lexical_pool

    def close(self) -> None:
        if self._lexical_pool is not None:
            self._lexical_pool.shutdown(wait=True)
            self._lexical_pool = None
        for store in [*self._retired, self.store]:
            store.close()
        self._retired = []


# ---------------------------------------------------------------- shared with qa/sharded.py
# A search is: the vector and lexical top-n (`nearest_candidates`, `lexical_top`), their dense
# scores from stored vectors and sentences (`describe_candidates`), one ranking
# (`rank_candidates`), the top passages (`make_passages`). A sharded index keeps the global
# top-n of its shards' before describing them, each in its shard, and merges before ranking;
# a Ray shard replica runs its first steps in one call (`gather_candidates`).


def refreshed(reader):
    """`reader.refresh()`, and the reader to ask from now on: a new one when the index was
    rebuilt as another kind since (one store rebuilt in shards, `qa index --shards N --rebuild`),
    which the reader given cannot load (its data folder is then removed under it)."""
    reader.refresh()
    from .sharded import ShardedRetriever

    if not isinstance(reader, (Retriever, ShardedRetriever)):  # a reader of another process (Ray)
        return reader
    with reader._refresh_lock:
        replaced = getattr(reader, "_replaced_by", None)
        if replaced is not None:
            return replaced
        try:
            if is_sharded(reader.directory) == isinstance(reader, ShardedRetriever):
                return reader
            replaced = Retriever.open(reader.directory)
        except QAError as exc:
            reader._warn_once(f"kind:{exc}", f"the index at {reader.directory} was replaced but cannot be used "
                                             f"({exc}); still answering from the index loaded before")
            return reader
        reader._replaced_by = replaced
    stats = replaced.stats()
    log.warning("the index at %s was rebuilt: now answering from it (%d passages, %s)", reader.directory,
                stats["passages"], stats["index_type"])
    return replaced


@dataclass
class Candidates:
    """What one index knows about a question's candidates before fusion."""

    nearest: list[tuple[int, float]]  # the vector index's top-n (id, cosine), best first
    lexical: list[tuple[int, float]]  # the lexical top-n (id, raw BM25), best first
    dense: dict[int, float]  # dense score of every candidate (nearest and lexical)
    langs: dict[int, str | None]  # language of the lexical and names candidates (hybrid mode)
    # stored sentences of every candidate (spans, vectors); a remote shard's come scored (ScoredSentences)
    sentences: dict[int, tuple[list[tuple[int, int]], np.ndarray] | ScoredSentences]
    names: list[tuple[int, float]] = field(default_factory=list)  # BM25 of the transliterated names, best first
    # the cosines of a candidate's stored sentences with the question, when computed here (the
    # answer sentence of a hit reads them instead of computing them again)
    sentence_cosines: dict[int, np.ndarray] = field(default_factory=dict)
    words: list[tuple[int, float]] = field(default_factory=list)  # BM25 of the translated words, best first


def lexical_top(store: Store, terms: list[str], n: int, where: Where | None = None, budget: float = 1.0,
                stats: LexicalStats | None = None) -> list[tuple[int, float]]:
    """BM25 top-n (passage id, raw score) of `terms`, among the passages `where` allows;
    `budget`: this store's share of the pruning budget (a shard's, `qa.sharded.shard_budget`);
    `stats`: the whole collection's statistics when `store` is a shard (`qa.lexical_stats`)."""
    return lexical_search(store, terms, n, budget, where, stats)


def names_search(store: Store, words: list[str], n: int, where: Where | None = None) -> list[tuple[int, float]]:
    """BM25 of the index terms that spell `words`, a question's likely names and numbers written
    in another script (`qa.transliterate.candidate_words`): (passage id, score), best first."""
    vocabulary = store.names() if words else None
    terms = vocabulary.matches(words) if vocabulary is not None else []
    return lexical_top(store, terms, n, where) if terms else []


def question_terms(encoder, batch: Sequence[Query], vocabulary: WordVocabulary | None,
                   stored: Callable[[list[str]], dict[str, bytes]] | None = None
                   ) -> tuple[np.ndarray, list[list[str]]]:
    """The questions' vectors and, per question, the tokens of the `vocabulary` words nearest
    to its content words (none when the vocabulary has no passage in another language than
    the question's), with one call to the model for the questions and the words whose vector
    `stored` (`Store.stored_word_vectors` of the index the vocabulary comes from) does not hold."""
    wanted = [q.content if vocabulary is not None and vocabulary.acts_for(q.lang) else [] for q in batch]
    unique = list(dict.fromkeys(w for content in wanted for w in content))
    # words translated before are neither embedded nor met with the vocabulary again
    known, unique = vocabulary.recall(unique) if vocabulary is not None else ({}, [])
    # a word the index holds (most of a question's words in its own language) has its vector
    # stored by `qa index`: a word's vector depends on its spelling only (docs/performance.md,
    # "Session 16: word translation where it pays")
    held = {w: word_vector(v) for w, v in stored(unique).items()} if stored is not None and unique else {}
    embed = [w for w in unique if w not in held]
    priors = [q.prior for q in batch if q.prior is not None]
    both = encoder.encode_queries([q.text for q in batch] + embed + priors)
    if unique:
        embedded = dict(zip(embed, both[len(batch):len(batch) + len(embed)]))
        known.update(vocabulary.translate(unique, np.stack([held[w] if w in held else embedded[w] for w in unique])))
    qvecs = both[:len(batch)]
    if priors:
        qvecs = qvecs.copy()
        rows = iter(both[len(batch) + len(embed):])
        for j, q in enumerate(batch):
            if q.prior is not None:
                qvecs[j] = fold_vector(qvecs[j], next(rows))
    return qvecs, [list(dict.fromkeys(t for w in content for t in known[w])) for content in wanted]


def word_vector(stored: bytes) -> np.ndarray:
    """A word's vector as the `words` table stores it (float16), as float32 of unit length."""
    vector = np.frombuffer(stored, dtype=np.float16).astype(np.float32)
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def fold_vector(own: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """A follow-up's query vector: its own with PRIOR_WEIGHT of the earlier question's, unit length."""
    mixed = own + followup.PRIOR_WEIGHT * prior
    return (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)


def submit_lexical(pool: ThreadPoolExecutor, store: Store, query: Query, n: int, where: Where | None,
                   budget: float = 1.0, stats: LexicalStats | None = None) -> Future | None:
    """The question's lexical top-n (`lexical_top`), searched in `pool` (None when it has no
    lexical search)."""
    return None if query.tokens is None else pool.submit(lexical_top, store, query.tokens, n, where, budget, stats)


def vocabulary_of(view: _Loaded, vectors: bool = False) -> WordVocabulary | None:
    """The index's stored words (`Store.word_vocabulary`; with `vectors`: a shard's, to be
    merged), None if it has none."""
    if vectors:
        return view.store.word_vocabulary(WORDS_VERSION, view.encoder.dimension, vectors=True)
    return view.store.word_vocabulary(WORDS_VERSION, view.encoder.dimension)


def gather_candidates(view: _Loaded, qvec: np.ndarray, tokens: list[str] | None, n: int, mode: str,
                      where: Where | None = None, words: list[str] | None = None, budget: float = 1.0,
                      translated: list[str] | None = None, stats: LexicalStats | None = None,
                      names_terms: list[str] | None = None) -> Candidates:
    """One question's candidates in one index, step by step in this thread (a Ray shard
    replica's work): its lexical top-n (`tokens`; None: none), names (`words`), its words
    translated into the index's (`translated`: their tokens, `question_terms`), vector top-n.
    A shard of a sharded index gets the whole collection's lexical statistics (`stats`) and the
    index terms that spell the names (`names_terms`, met in the whole collection's vocabulary)."""
    lexical = lexical_top(view.store, tokens, n, where, budget, stats) if tokens is not None else []
    if names_terms is not None:
        names = lexical_top(view.store, names_terms, n, where, budget, stats) if names_terms else []
    else:
        names = names_search(view.store, words, n, where) if words else []
    translated = lexical_top(view.store, translated, n, where, budget, stats) if translated else []
    nearest = nearest_candidates(view, qvec.reshape(1, -1), n, mode, where)[0]
    return describe_candidates(view, qvec, mode, nearest, lexical, names=names, words=translated)


def result_of(future: Future | None) -> list:
    return future.result() if future is not None else []


def nearest_candidates(view: _Loaded, qvecs: np.ndarray, n: int, mode: str, where: Where | None = None
                       ) -> list[list[tuple[int, float]]]:
    """The vector search's top-n (id, cosine) of each query vector (rows of `qvecs`), best first
    (none in lexical mode)."""
    if mode == "lexical":
        return [[] for _ in range(len(qvecs))]
    if where is None:
        return view.vectors.search_many(qvecs, n)
    allowed = allowed_ids(view.store, where)  # once for all the questions
    return dense_candidates(view.store, view.vectors, qvecs, n, allowed, view.encoder.dimension)


class StoredReads:
    """What `describe_candidates` reads from a store (`Store.candidate_data`, `vectors_for`,
    `sentence_vectors`), read at once for the candidates of several questions: one query of
    each kind instead of one per question, and a passage that is a candidate of several
    questions (most, in a small collection) read once. Gives exactly what the store gives."""

    def __init__(self, langs: dict[int, str | None], vectors: dict[int, np.ndarray],
                 sentences: dict[int, tuple[list[tuple[int, int]], np.ndarray]],
                 contexts: dict[int, np.ndarray] | None = None) -> None:
        self._langs, self._vectors, self._sentences = langs, vectors, sentences
        self._contexts = contexts or {}

    @classmethod
    def of(cls, view: _Loaded, mode: str, nearest: list[list[tuple[int, float]]],
           lexical: list[list[tuple[int, float]]], names: list[list[tuple[int, float]]]) -> "StoredReads":
        """The stored data of every candidate of these questions (their nearest, lexical and
        names candidates, in order) in `view`'s index."""
        store, dim = view.store, view.encoder.dimension
        others = list(dict.fromkeys(i for hits in [*lexical, *names] for i, _ in hits))
        every = list(dict.fromkeys([*(i for hits in nearest for i, _ in hits), *others]))
        langs, contexts = store.candidate_data(every, set(every) if mode == "hybrid" else (),
                                               bool(context_weight(view)), dim)
        return cls(langs, candidate_vectors(view, store, others), view.sentence_vectors(every), contexts)

    def candidate_data(self, ids: Sequence[int], langs_of: Collection[int], contexts: bool, dim: int
                       ) -> tuple[dict[int, str | None], dict[int, np.ndarray]]:
        return ({i: self._langs[i] for i in ids if i in langs_of and i in self._langs},
                {i: self._contexts[i] for i in ids if i in self._contexts} if contexts else {})

    def vectors_for(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        return {i: self._vectors[i] for i in ids if i in self._vectors}

    def sentence_vectors(self, ids: Sequence[int], dim: int) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        return {i: self._sentences[i] for i in ids if i in self._sentences}


def context_weight(view: _Loaded) -> float:
    """The share of a dense score that the document's head gives in this view (0: none read)."""
    return view.encoder.calibration.context_weight if view.context else 0.0


def candidate_vectors(view: _Loaded, reads: "Store | StoredReads", ids: Sequence[int]) -> dict[int, np.ndarray]:
    """The stored vectors of passages `ids`: from the view's flat vector index, which holds them
    as the store does, else (an approximate index, or a passage added since) from `reads`."""
    if isinstance(reads, StoredReads):
        return reads.vectors_for(ids, view.encoder.dimension)
    vectors = view.vectors.stored_vectors(ids)
    rest = [i for i in ids if i not in vectors]
    if rest:
        vectors.update(reads.vectors_for(rest, view.encoder.dimension))
    return vectors


def describe_candidates(view: _Loaded, qvec: np.ndarray, mode: str, nearest: list[tuple[int, float]],
                        lexical: list[tuple[int, float]], known: dict[int, float] | None = None,
                        names: list[tuple[int, float]] | None = None, reads: Store | StoredReads | None = None,
                        words: list[tuple[int, float]] | None = None) -> Candidates:
    """`Candidates` of the chosen `nearest` and `lexical` ids: the dense score of each (the
    cosines of lexical ones read from the store unless `known` has them), languages, stored
    sentences. The costly step: a sharded index runs it only for the candidates kept over
    all shards. `reads`: where the stored data comes from (default the view's store;
    `StoredReads` of a batch of questions)."""
    names, words = names or [], words or []
    reads = reads if reads is not None else view.store
    cosines = dict(nearest)
    others = [*lexical, *names, *words]
    if known:
        for i, _ in others:
            if i in known and i not in cosines:
                cosines[i] = known[i]
    missing = list(dict.fromkeys(i for i, _ in others if i not in cosines))
    dim = view.encoder.dimension
    weight = context_weight(view)
    # every candidate's language (hybrid: the fusion weighs a passage by whether it is in the
    # question's language) and document head
    langs_of = set(cosines).union(missing) if mode == "hybrid" else ()
    langs, contexts = reads.candidate_data([*cosines, *missing], langs_of, bool(weight), dim)
    vectors = candidate_vectors(view, reads, missing) if missing else {}
    for i in missing:
        if i in vectors:
            cosines[i] = float(vectors[i].dot(qvec))
    ids = list(cosines)
    sentences = view.sentence_vectors(ids, reads)
    # each passage's sentences compared in a product of their own (stacked, the rows of one
    # product round differently), their best taken at once
    stored = [sentences.get(i) for i in ids]
    having = [j for j, s in enumerate(stored) if s is not None and len(s[1])]
    best: list[float | None] = [None] * len(ids)
    products = [stored[j][1].dot(qvec) for j in having]
    if having:
        offsets = list(accumulate((len(c) for c in products[:-1]), initial=0))
        for j, value in zip(having, np.maximum.reduceat(np.concatenate(products), offsets).tolist()):
            best[j] = value
    dense = {i: mixed_score(cosines[i], b, float(contexts[i].dot(qvec)) if i in contexts else None, weight)
             for i, b in zip(ids, best)}
    return Candidates(nearest, lexical, dense, langs, sentences, names,
                      sentence_cosines=dict(zip((ids[j] for j in having), products)), words=words)


def rank_candidates(found: Candidates, qlang: str, mode: str, calibration: Calibration = DEFAULT_CALIBRATION
                    ) -> list[tuple[float, float, int]]:
    """(score, dense score, passage id), best first, fused with the model's `calibration`
    (its dense scale and cross-language offset: `qa.fusion.fuse`)."""
    if mode == "dense":
        scored = [(d, d, i) for i, d in found.dense.items()]
    elif mode == "lexical":
        scored = [(bm25, found.dense.get(i, 0.0), i) for i, bm25 in found.lexical]
    else:
        scored = fuse(found.dense, found.lexical, found.langs, qlang, calibration.dense_scale, found.names,
                      found.words, calibration.cross_offset)
    # by score, best first, then by id: two stable sorts (a key tuple per candidate cost more)
    scored.sort(key=itemgetter(2))
    scored.sort(key=itemgetter(0), reverse=True)
    return scored


def outside_coverages(store: Store, q: Query, top: list[tuple[float, float, int]], rows: dict[int, dict],
                      languages: AbstractSet[str] | None, passages: int) -> dict[int, float] | None:
    """For a question in a language outside the model's `languages`, the share of its words that
    each shown passage in such a language holds (`qa.outside.coverages`); None otherwise."""
    if not languages or (q.lang or "") in languages:
        return None
    ids = [i for _, _, i in top if i in rows and outside(languages, q.lang, rows[i]["lang"])]
    if not ids:
        return None
    return coverages(store, q.tokens if q.tokens is not None else query_tokens(q.text, q.lang), ids, passages)


def shown_of(candidates: list[tuple[int, float]], top: list[tuple[float, float, int]]) -> list[tuple[int, float]]:
    """The `candidates` (id, score) that `top` shows, in their order."""
    shown = {i for _, _, i in top}
    return [c for c in candidates if c[0] in shown]


def weighs_pool(calibration: Calibration, top: list[tuple[float, float, int]], rows: dict[int, dict],
                qlang: str) -> bool:
    """Whether the weak flags of `top` weigh the dense scores of every candidate (`candidate_pool`)."""
    # only where the rule was chosen: every passage shown in another language than the question's (a
    # collection in other languages); where some are in its language, its closeness counts them too
    # and an off-topic question near the collection's everyday topics frees the others
    across = all(rows[i]["lang"] != qlang for _, _, i in top if i in rows)
    return (calibration.weak_question is not None or calibration.weak_pool is not None) and across


def make_passages(top: list[tuple[float, float, int]], rows: dict[int, dict], encoder, question: str,
                  qvec: np.ndarray, found: Candidates, passages: int, qlang: str,
                  also_in: dict[int, list[str]] | None = None, prior: str | None = None,
                  covered: Mapping[int, float] | None = None) -> list[Passage]:
    """The `Passage`s of the top candidates, from their stored rows (keyed by passage id; with
    their "hub" when the model's weak rule uses it, `qa.weakbar.add_hubs`), with the weak-match
    flag (over a collection of `passages`), the reply's notice and the answer; `also_in`: the
    other places of a candidate's words (`distinct_top`); `prior`: the earlier question(s) a
    follow-up was read with (`followup_of`); `covered`: for a question outside the model's
    languages, the share of its words each passage in such a language holds (`outside_coverages`:
    under OUTSIDE_COVERAGE the passage is weak whatever its dense score; None: not such a
    question, and the dense and lexical rule alone decides)."""
    bm25, translated = dict(found.lexical), dict(found.words)
    calibration = encoder.calibration
    weighs = weighs_pool(calibration, top, rows, qlang)
    whole = candidate_pool(found.dense.values()) if weighs or calibration.weak_far is not None else None
    pool = whole if weighs else None
    far = whole if calibration.weak_far is not None else None
    small = calibration.small_bars(passages)
    lexical_frees = small is None or small.lexical_frees
    hits, scored = [], {}
    for score, dense, i in top:
        row = rows.get(i)
        if row is None:
            continue  # removed by a concurrent build since the search
        scored[i] = sentences = scored_sentences(found, i, qvec)
        best = int(np.argmax(sentences.dense)) if sentences is not None and len(sentences.dense) else None
        page, time = timed_place(row["page"], row["meta"])
        hits.append(Passage(rank=len(hits) + 1, score=round(float(score), 4), text=row["text"],
                            source=row["source"], paragraph=row["paragraph"], start=row["start"],
                            end=row["end"], page=page, title=row["title"], date=row["date"],
                            id=i, doc_id=row["doc_id"], lang=row["lang"],
                            weak=is_weak(dense, lexical_evidence(bm25.get(i, 0.0), passages) if lexical_frees else 0.0,
                                         small.bar(row["lang"] == qlang) if small is not None else
                                         calibration.weak_threshold(WEAK_DENSE, row["lang"] == qlang),
                                         row.get("hub"), calibration.weak_hub_margin,
                                         lexical_evidence(translated.get(i, 0.0), passages) if lexical_frees else 0.0,
                                         None if best is None else float(sentences.dense[best]),
                                         0 if best is None else sentences.spans[best][1] - sentences.spans[best][0],
                                         calibration.weak_sentence,
                                         None if row["lang"] == qlang or pool is None else pool.closeness,
                                         calibration.weak_question, None if row["lang"] == qlang else pool,
                                         calibration.weak_pool, far if row["lang"] == qlang else None,
                                         calibration.weak_far)
                            or (covered is not None and i in covered and covered[i] < OUTSIDE_COVERAGE),
                            authors=row["authors"], ocr=row["page"] in row["meta"].get("ocr_pages", ()),
                            also_in=list((also_in or {}).get(i, ())), section=row.get("section"),
                            continued=row.get("continued", False), part=row.get("part"),
                            parts=row.get("parts"), time=time))
    notice = language_notice(encoder.name, model_languages(encoder), qlang, [h.lang for h in hits], question)
    for hit in hits:
        hit.notice = notice
        hit.followup_of = prior
        hit.answer = best_sentence(encoder, question, qvec, hit.text, hit.lang, scored[hit.id],
                                   rows[hit.id].get("sentence_tokens"), hit.continued)
        if hit.time and hit.answer is not None:
            hit.answer.time = cue_time(rows[hit.id]["meta"], hit.start + hit.answer.start)
    return hits


def candidates_full(found: "Candidates", n: int) -> bool:
    """Whether a search's candidate lists (`n` of each kind) may have left candidates out."""
    return any(len(hits) >= n for hits in (found.nearest, found.lexical, found.names, found.words))


# How many times more candidates a search takes again when its `k` hits were fewer than `k`
# different passages and its candidate lists were full (`widen_short`), up to WIDEST of each kind:
# each candidate's stored sentences are read and scored, and a footer in 100k mails of a
# million passages must not make one question read 200k of them.
WIDEN = 4
WIDEST = 4096


def widen_short(questions: list[str], priors: list[str | None], k: int, passages: int,
                search: Callable[[list[str], list[str | None], int], tuple[list[list[Passage]], list[bool]]]
                ) -> list[list[Passage]]:
    """`search(questions, priors, n)` with `n = max(CANDIDATES, 2k)` candidates of each kind; the
    questions that got fewer than `k` hits while a candidate list was full (one paragraph in more
    places than `n`: a mail footer in every message, its copies every candidate) are searched
    again with `WIDEN` times more, until they have `k`, every passage (`passages`) was one or
    `WIDEST` were searched."""
    n = max(CANDIDATES, k * 2)
    out, full = search(questions, priors, n)
    short = [j for j, hits in enumerate(out) if len(hits) < k and full[j]]
    while short and n < min(passages, WIDEST):
        n = min(n * WIDEN, WIDEST)
        again, more = search([questions[j] for j in short], [priors[j] for j in short], n)
        for j, hits, f in zip(short, again, more):
            out[j], full[j] = hits, f
        short = [j for j in short if len(out[j]) < k and full[j]]
    return out


# Candidates read beyond the k shown, in case some repeat a better one's words (a thread whose
# every reply quotes the first message): up to this many repeats leave k distinct passages at
# once; with more, the other candidates are read too (`read_shown`).
DUPLICATE_SPARE = 10


def with_spare(k: int) -> int:
    """How many ranked candidates to read for `k` distinct passages (`distinct_top`)."""
    return k + DUPLICATE_SPARE


# `distinct_top` compares two candidates' whole texts only when their first this many words agree:
# cutting a text's first words is cheap, splitting all of it is not (20 candidates a question).
_HEAD_WORDS = 8


def distinct_top(ranked: list[tuple[float, float, int]], places: dict[int, tuple[str, str, dict]], k: int,
                 outdated: Callable[[dict | None], bool] | None = None
                 ) -> tuple[list[tuple[float, float, int]], dict[int, list[str]]]:
    """The first `k` of `ranked` whose words (whitespace aside) no better one holds, and for
    each the citations of the others that hold them. `places`: a candidate's text, citation and
    file as indexed (`Store.places`); one without is no longer in the index (a searcher not yet
    refreshed after an update: its vectors name passages replaced since) and is passed over, so
    that `k` come from the others. `outdated(file)`: whether a file changed or was deleted since it
    was indexed (`SourceCheck.outdated`); of words held in several places, a place whose file
    did is neither shown while another's is as indexed nor named among the others."""
    entries: list[list[tuple[float, float, int]]] = []  # places of the same words, best first
    shown: dict[tuple[str, ...], list[int]] = {}  # entries by their first place's first words
    words: dict[int, list[str]] = {}  # an entry's words, once needed
    for item in ranked:
        place = places.get(item[2])
        if place is None:
            continue
        head = tuple(place[0].split(None, _HEAD_WORDS)[:_HEAD_WORDS])
        same = None
        if head in shown:
            # the same text is the same words (copies of a paragraph: no split); the entries of a
            # head hold different words, so the one found either way is the same
            same = next((e for e in shown[head] if places[entries[e][0][2]][0] == place[0]), None)
            if same is None:
                mine = place[0].split()
                same = next((e for e in shown[head]
                             if words.setdefault(e, places[entries[e][0][2]][0].split()) == mine), None)
        if same is not None:  # the same words in another place: shown once, where they rank best
            entries[same].append(item)
        else:
            shown.setdefault(head, []).append(len(entries))
            entries.append([item])
    top: list[tuple[float, float, int]] = []
    also: dict[int, list[str]] = {}
    swapped = False
    for entry in entries[:k]:
        if outdated is not None and len(entry) > 1:
            live = [item for item in entry if not outdated(places[item[2]][2])]
            if live and live[0] is not entry[0]:
                swapped = True
            entry = live or entry[:1]  # every place changed: the best, which its citation says
        top.append(entry[0])
        if len(entry) > 1:
            also[entry[0][2]] = [places[item[2]][1] for item in entry[1:]]
    if swapped:  # a place as indexed shown in a changed one's stead, with its own score
        top.sort(key=itemgetter(0), reverse=True)
    return top, also


def read_shown(ranked: Sequence[list[tuple[float, float, int]]], k: int,
               rows_of: Callable[[list[int]], dict[int, dict]],
               places_of_ids: Callable[[list[int]], dict[int, tuple[str, str, dict]]],
               outdated: Callable[[dict | None], bool] | None = None
               ) -> tuple[list[list[tuple[float, float, int]]], list[dict[int, list[str]]], dict[int, dict]]:
    """Each ranked list's `distinct_top` and the stored rows of the passages shown (ascending id):
    whole rows (`rows_of`) for each list's first `k`, what is shown unless a repeat is among
    them; only texts and citations (`places_of_ids`) for the spare (`with_spare`), and for the
    rest of a list whose spare held too many repeats for `k` distinct passages; rows again for a
    candidate shown in a repeat's stead (or in a changed file's: `outdated`, `distinct_top`). Each
    passage is read once when nothing repeats."""
    spare = with_spare(k)
    rows = rows_of(list(dict.fromkeys(i for top in ranked for _, _, i in top[:k])))
    places = places_of(rows)
    places.update(places_of_ids([i for i in dict.fromkeys(i for top in ranked for _, _, i in top[k:spare])
                                 if i not in rows]))
    tops, also = [], []
    for top in ranked:
        shown, more = distinct_top(top[:spare], places, k, outdated)
        if len(shown) < k and len(top) > spare:
            # more copies than the spare (a mail footer in every message): the other candidates too
            places.update(places_of_ids([i for _, _, i in top[spare:] if i not in places]))
            shown, more = distinct_top(top, places, k, outdated)
        tops.append(shown)
        also.append(more)
    ids = sorted({i for top in tops for _, _, i in top})
    if promoted := [i for i in ids if i not in rows and i in places]:
        rows.update(rows_of(promoted))
    return tops, also, {i: rows[i] for i in ids if i in rows}


def places_of(rows: dict[int, dict]) -> dict[int, tuple[str, str, dict]]:
    """`distinct_top`'s places from full stored rows (`Store.passages`)."""
    return {i: (row["text"], f"{row['source']} {paragraph_label(row['paragraph'], row.get('part'), row.get('parts'))}",
                row) for i, row in rows.items()}


def scored_sentences(found: Candidates, i: int, qvec: np.ndarray) -> ScoredSentences | None:
    """Candidate `i`'s stored sentences with their cosines to the question (None: none stored):
    as scored here, as a remote shard sent them, or computed now."""
    stored = found.sentences.get(i)
    if stored is None or isinstance(stored, ScoredSentences):
        return stored
    cosines = found.sentence_cosines.get(i)
    return ScoredSentences(stored[0], cosines if cosines is not None else stored[1] @ qvec)


class RetrieverCache:
    """Open retrievers by index folder, so that module-level `search` loads each once."""

    def __init__(self) -> None:
        self._open: dict[str, Retriever] = {}
        self._lock = threading.Lock()

    def get(self, index: str | os.PathLike = "index") -> Retriever:
        key = str(Path(index).resolve())
        with self._lock:
            if key not in self._open:
                self._open[key] = Retriever.open(index)
            return self._open[key]

    def clear(self) -> None:
        with self._lock:
            for retriever in self._open.values():
                retriever.close()
            self._open.clear()


retrievers = RetrieverCache()


def search(question: str, k: int = 5, index: str | os.PathLike = "index", mode: str = "hybrid",
           where: Where | dict | None = None, previous: Sequence[str] | None = None) -> list[Passage]:
    """Search the index at `index` (default `index/`) with a cached `Retriever`, brought to
    the index's latest complete state first (`Retriever.refresh`). `previous`: the
    conversation's earlier questions (`Retriever.search`)."""
    retriever = retrievers.get(index)
    retriever.refresh()
    return retriever.search(question, k, mode=mode, where=where, previous=previous)
