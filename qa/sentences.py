"""Sentence boundaries with character offsets (sentencex, per language)."""
from __future__ import annotations

import re
from functools import lru_cache

_WS = re.compile(r"\s")


def sentence_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, stripped of surrounding space."""
    return list(_cached_spans(text, lang))


@lru_cache(maxsize=4096)
def _cached_spans(text: str, lang: str | None) -> tuple[tuple[int, int], ...]:
    # the passages shown as answers come back often: split each once (bounded)
    return tuple(_sentence_spans(text, lang))


def _sentence_spans(text: str, lang: str | None) -> list[tuple[int, int]]:
    # sentencex (Wikimedia's segmenter, Rust): rules for ~300 languages with fallbacks,
    # abbreviations, and a line break inside a paragraph read as a wrapped line. It replaced
    # pysbd, which split hard-wrapped text (man pages, PDFs) at every line and cost ~6 ms a
    # passage (150x slower) for the same answer-hit@1 on XQuAD (docs/quality.md).
    import sentencex

    try:
        bounds = sentencex.get_sentence_boundaries(lang or "en", text)
    except BaseException as exc:  # odd input or language: one sentence is a safe answer
        # a panic in sentencex's Rust arrives as pyo3's PanicException, not an Exception
        # ("A\u00a0." in German): it stopped the whole build
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        bounds = []
    spans = []
    for bound in bounds:
        s, e = strip_span(text, bound["start_index"], bound["end_index"])
        if e > s:
            spans.append((s, e))
    return _join_at_commas(text, spans) or ([strip_span(text, 0, len(text))] if text.strip() else [])


# Sentences do not end with a comma; pysbd's Arabic rules split at "،" (kept as a guard for any segmenter), which
# left answers in fragments too short to be found (answer-hit@1 on Arabic XQuAD 0.53).
_COMMAS = (",", "،", "、", "，", ";", "؛")


def _join_at_commas(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for s, e in spans:
        if joined and text[joined[-1][1] - 1] in _COMMAS:
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    return joined


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` narrowed so that `text[start:end]` has no surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_long(text: str, start: int, end: int, max_chars: int, lang: str | None) -> list[tuple[int, int]]:
    """Cut `text[start:end]` into pieces of at most `max_chars` at sentence boundaries.

    A sentence longer than `max_chars` on its own is cut at the last space before the limit.
    """
    if end - start <= max_chars:
        return [(start, end)]
    sentences = [(start + s, start + e) for s, e in sentence_spans(text[start:end], lang)]
    units: list[tuple[int, int]] = []
    for s, e in sentences:
        while e - s > max_chars:
            cut = s + max_chars
            space = max((m.start() for m in _WS.finditer(text, s + max_chars // 2, cut)), default=-1)
            cut = space if space > s else cut
            units.append(strip_span(text, s, cut))
            s = strip_span(text, cut, e)[0]
        if e > s:
            units.append((s, e))
    pieces: list[tuple[int, int]] = []
    for s, e in units:
        if pieces and e - pieces[-1][0] <= max_chars:
            pieces[-1] = (pieces[-1][0], e)
        else:
            pieces.append((s, e))
    return pieces
