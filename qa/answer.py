"""The answer sentence: the sentence of a passage that best answers the question."""
from __future__ import annotations

import numpy as np

from .language import tokenize
from .records import Answer
from .sentences import sentence_spans

# Share of the score that comes from the question's words found in the sentence.
LEXICAL_SHARE = 0.3


def best_sentence(encoder, question: str, qvec: np.ndarray, text: str, lang: str | None) -> Answer | None:
    spans = sentence_spans(text, lang)
    if not spans:
        return None
    if len(spans) == 1:
        s, e = spans[0]
        return Answer(text[s:e], s, e)
    sentences = [text[s:e] for s, e in spans]
    dense = encoder.encode_sentences(sentences) @ qvec
    qtokens = set(tokenize(question, lang))
    scores = []
    for sentence, cos in zip(sentences, dense):
        overlap = len(qtokens & set(tokenize(sentence, lang))) / len(qtokens) if qtokens else 0.0
        scores.append(float(cos) + LEXICAL_SHARE * overlap)
    best = int(np.argmax(scores))
    s, e = spans[best]
    return Answer(text[s:e], s, e)
