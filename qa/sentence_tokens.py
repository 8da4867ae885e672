"""The tokens of a passage's sentences, stored at index time for the answer sentence.

Choosing a hit's answer sentence needs the distinct tokens of each of its stored sentences
(`qa.answer`): tokenizing the ten hits' sentences at question time was about a sixth of a
search on a small index. `qa index` stores them with the passage (`passages.sentence_tokens`,
one line per stored sentence, its tokens separated by spaces), made exactly as the question
time path makes them: `qa.language.tokenize_each` of the stored sentences, in the passage's
language. They follow the lexical tokens: a new `TOKENS_VERSION` refuses the index until
`qa index` re-tokenizes it, and that re-makes these too.
"""
from __future__ import annotations

from typing import Sequence

from .language import tokenize_each

# 2: passages with stored sentences carry their sentences' tokens. An index of version 1
# gets them at its next `qa index` (nothing re-embedded); until then, and for any passage
# without them, the answer's sentences are tokenized at question time, as before.
SENTENCE_TOKENS_VERSION = 2


def sentence_tokens_of(text: str, spans: Sequence[tuple[int, int]], lang: str | None) -> list[list[str]]:
    """The tokens of each sentence `text[s:e]`, as the question-time path gives them."""
    return tokenize_each([text[s:e] for s, e in spans], lang) if spans else []


def pack(tokens: Sequence[Sequence[str]] | None) -> str | None:
    """The stored form of a passage's sentences' tokens (distinct, one line per sentence), or
    None (nothing stored: tokenized at question time) when a token could not be read back
    as itself (empty, or with white space in it)."""
    if not tokens:
        return None
    lines = []
    for sentence in tokens:
        distinct = list(dict.fromkeys(sentence))
        line = " ".join(distinct)
        # the line reads back as its tokens exactly when none is empty or holds white space
        if line.split() != distinct:
            return None
        lines.append(line)
    return "\n".join(lines)


def unpack(stored: str | None, count: int) -> list[list[str]] | None:
    """The per-sentence tokens of `pack`'s text for a passage of `count` stored sentences, or
    None when there are none or they do not match its sentences."""
    if stored is None:
        return None
    lines = stored.split("\n")
    return [line.split() for line in lines] if len(lines) == count else None


def tokens_current(meta: dict[str, str]) -> bool:
    """Whether every passage with stored sentences in this index (`Store.meta()`) has their tokens."""
    return int(meta.get("sentence_tokens_version", 1)) == SENTENCE_TOKENS_VERSION
