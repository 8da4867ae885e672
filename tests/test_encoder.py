"""The default model goes through sentence-transformers; its opt-in numpy path gives the same vectors; caches are exact."""
from __future__ import annotations

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


def test_sentence_cache_returns_the_encoder_vectors():
    encoder = encoders.get("use-m3")
    direct = encoder.encode_documents(TEXTS)
    encoder.prefetch_sentences(TEXTS[:2])
    cached = encoder.encode_sentences(TEXTS)  # part cached, part not, with duplicates
    assert np.allclose(direct, cached, atol=1e-6)
    norms = np.linalg.norm(direct, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
