"""Collections of several languages: a passage that answers in another language than the
question's is not buried under same-language passages that merely share the question's words
(`Calibration.cross_offset`), and a collection of one language ranks as without the offset."""
from __future__ import annotations

import dataclasses
import shutil
from contextlib import contextmanager

import pytest

from conftest import SEED_NAME, SEEDS

# English notes that share "generative AI" and "filed" with the questions, and answer neither.
STUDIO_NOTES = """# Studio notes

Our design studio uses generative AI to sketch furniture; the tools are cheap and the results are fast.

Last year the studio filed two design applications for a folding chair, with the help of a lawyer in Lyon.

Most of our clients ask whether AI will replace designers. We think it will not.
"""


@pytest.fixture(scope="module")
def mixed_retriever(tmp_path_factory):
    from qa import Retriever, build_index

    root = tmp_path_factory.mktemp("mixed-langs")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / SEED_NAME, docs / SEED_NAME)
    (docs / "studio-notes.md").write_text(STUDIO_NOTES, encoding="utf-8")
    build_index([docs], index=root / "index", progress=False)
    retriever = Retriever.open(root / "index")
    yield retriever
    retriever.close()


@contextmanager
def cross_offset(retriever, value: float):
    """The retriever's model calibrated with another cross-language offset, for one block."""
    encoder = retriever._view.encoder
    shipped = encoder.calibration
    encoder.calibration = dataclasses.replace(shipped, cross_offset=value)
    try:
        yield shipped
    finally:
        encoder.calibration = shipped


@pytest.mark.parametrize("question", ["Who filed most generative AI patents?",
                                      "Which country's inventors filed the most patents in generative AI?"])
def test_the_answer_in_another_language_comes_first(mixed_retriever, question):
    hits = mixed_retriever.search(question, k=3)
    assert hits[0].source == SEED_NAME and "brevets" in hits[0].text
    # without the offset the English notes, which share the question's words, came first
    with cross_offset(mixed_retriever, 0.0):
        assert mixed_retriever.search(question, k=3)[0].source == "studio-notes.md"


@pytest.mark.parametrize("question, french", [("Who filed most generative AI patents?", False),
                                              ("中国总理呼吁什么？", False),
                                              ("Où s'est ouverte la Conférence mondiale sur l'intelligence artificielle ?",
                                               True)])
def test_one_language_collection_ranks_as_without_the_offset(retriever, question, french):
    hits = retriever.search(question, k=8)
    with cross_offset(retriever, 0.0) as shipped:
        plain = retriever.search(question, k=8)
    assert shipped.cross_offset > 0  # the default model's, chosen on development data
    assert [h.id for h in hits] == [h.id for h in plain]
    # every passage is French: a French question's scores are unchanged, another language's
    # all moved by the offset
    assert {h.lang for h in hits} == {"fr"}
    shift = 0.0 if french else shipped.cross_offset
    assert [h.score for h in hits] == pytest.approx([h.score + shift for h in plain], abs=1e-9)
