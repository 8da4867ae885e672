"""The answer sentence: the sentence of a passage that best answers the question."""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from .language import question_tokens, tokenize_each
from .records import Answer
from .script_stops import SENTENCE_STOPS
from .sentence_tokens import unpack
from .sentences import LIST_NUMBER, headed, mail_header_lines, sentence_spans, table_rows, within

# Share of the score that comes from the question's words found in the sentence.
LEXICAL_SHARE = 0.6
# The answer is two sentences, the best and its better neighbour, when that neighbour scores
# within this margin of the best (the choice is a near-tie) or the best is shorter than
# SHORT_SENTENCE characters (a fragment). Chosen on XQuAD's development split, see
# docs/quality.md: answer-hit@1 0.728 -> 0.801 (dev), with two sentences in ~37% of answers.
WINDOW_MARGIN = 0.2
SHORT_SENTENCE = 60
_PARAGRAPH_BREAK = re.compile(r"[^\S\n]*\n[^\S\n]*\n")
# a sentence ending with no full stop of any script, alone on its line, is a heading (`_is_heading`)
_SENTENCE_END = SENTENCE_STOPS


@dataclass
class ScoredSentences:
    """A passage's stored sentences already compared with the query vector: their spans and
    cosines. A remote shard computes them where the vectors are and sends a float per sentence
    instead of a vector (most of its reply's bytes otherwise)."""

    spans: list[tuple[int, int]]
    dense: np.ndarray

    @classmethod
    def of(cls, stored: tuple[list[tuple[int, int]], np.ndarray], qvec: np.ndarray) -> "ScoredSentences":
        spans, vectors = stored
        return cls(spans, vectors @ qvec)


def best_sentence(encoder, question: str, qvec: np.ndarray, text: str, lang: str | None,
                  sentences: tuple[list[tuple[int, int]], np.ndarray] | ScoredSentences | None = None,
                  tokens: str | None = None, continued: bool = False) -> Answer | None:
    """The best sentence of `text` by similarity to the question plus the share of the
    question's words it holds, with its better neighbour when that one is nearly as good or
    the best is a fragment (see WINDOW_MARGIN). `sentences` are the spans and vectors stored at
    index time (or the same already scored against `qvec`); without them the sentences are cut
    and embedded now. `tokens`: the stored sentences' tokens (`qa.sentence_tokens.pack`), read
    instead of tokenizing them now; ignored when the sentences are cut now. `continued`: the
    passage goes on from the one before (`Passage.continued`)."""
    dense = vectors = None
    if isinstance(sentences, ScoredSentences) and len(sentences.spans):
        spans, dense = sentences.spans, sentences.dense
    elif isinstance(sentences, tuple) and len(sentences[0]):
        spans, vectors = sentences
    else:
        spans, tokens = sentence_spans(text, lang), None
    if not spans:
        return None
    if len(spans) == 1:
        s, e = _without_mail_headers(text, *spans[0], mail_header_lines(text))
        return Answer(text[s:e], s, e)
    texts = [text[s:e] for s, e in spans]
    if dense is None:
        if vectors is None:
            vectors = encoder.encode_sentences(texts)
        dense = vectors @ qvec
    values = _score_list(question, dense, texts, lang, tokens)
    # an e-mail's From/To lines say who wrote to whom: with any other sentence beside them (its
    # subject, a body sentence) they are never the answer, nor half of it
    headers = mail_header_lines(text)
    mail = {i for i, span in enumerate(spans) if headers and within(headers, span)}
    if mail and len(mail) < len(spans):
        values = [float("-inf") if i in mail else v for i, v in enumerate(values)]
    rows = {row: i == 0 and headed(text, table, continued) for table in table_rows(text) for i, row in enumerate(table)} \
        if "|" in text else {}

    def heading(i: int) -> bool:
        # a table's header row names the columns, as a heading names the topic; so does the
        # question a help page answers and a paragraph's run-in heading: they hold the
        # question's words, not the answer
        span = spans[i]
        return (i in mail or _is_heading(text, span) or rows.get(span, False) or _is_question(text, span)
                or (i + 1 < len(spans) and _is_run_in_heading(text, span)))

    best, neighbour, values = best_and_neighbour(values, heading)
    s, e = spans[best]
    ns, ne = spans[neighbour]
    if spans[best] in rows or spans[neighbour] in rows or (neighbour in mail and best not in mail):
        # a row is a whole record: never half of two; a header line is no part of an answer
        return Answer(text[s:e], s, e)
    apart = _PARAGRAPH_BREAK.search(text, min(e, ne), max(s, ns)) is not None  # sentences of two paragraphs
    if not apart and (values(best) - values(neighbour) < WINDOW_MARGIN or e - s < SHORT_SENTENCE):
        s, e = min(s, ns), max(e, ne)
    s = _after_headings(text, s, e)
    s, e = _without_mail_headers(text, s, e, headers)
    return Answer(text[s:e], s, e)


def _without_mail_headers(text: str, s: int, e: int, headers: list[tuple[int, int]]) -> tuple[int, int]:
    """The answer `text[s:e]` less the e-mail header lines it starts or ends with, and what stands
    before them ("-----Original Message-----"): a reply quotes the header of the message it answers
    right above that message's first line, and with no full stop between them they are one sentence."""
    for hs, he in headers:
        if hs >= e or he <= s:
            continue
        if text[he:e].strip():
            s = max(s, he + len(text[he:e]) - len(text[he:e].lstrip()))
        elif text[s:hs].strip():
            e = min(e, hs - (len(text[s:hs]) - len(text[s:hs].rstrip())))
    return s, e


def best_and_neighbour(values: list[float], heading: Callable[[int], bool]
                       ) -> tuple[int, int, Callable[[int], float]]:
    """The best of two or more sentences scored `values` that is not a heading (`heading(i)`;
    any, if all are), its better neighbour (the one before on a tie) and the scores as they
    were compared (a heading's -inf unless all are headings). A sentence is looked at as a
    heading only when the choice depends on it: the best ones until one is not, and the two
    around it (looking at every sentence was most of the answers' own work besides scoring)."""
    if any(v != v for v in values):  # a NaN has no place in an order: every sentence looked at
        flags = [heading(i) for i in range(len(values))]
        scored = values if all(flags) else [float("-inf") if h else v for v, h in zip(values, flags)]
        best = scored.index(max(scored))
        score: Callable[[int], float] = scored.__getitem__
    else:
        seen: dict[int, bool] = {}

        def is_heading(i: int) -> bool:
            if i not in seen:
                seen[i] = heading(i)
            return seen[i]
        # best first, the first of equal scores first, as `list.index(max(...))` (a reversed sort is stable)
        order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
        best = next((i for i in order if not is_heading(i)), -1)
        if best < 0:  # all headings: compared as they are
            best, score = order[0], values.__getitem__
        else:
            score = lambda i: float("-inf") if is_heading(i) else values[i]  # noqa: E731
    if best == 0 or (best + 1 < len(values) and score(best + 1) > score(best - 1)):
        neighbour = best + 1
    else:
        neighbour = best - 1
    return best, neighbour, score


# A Markdown heading line ("## Refunds"): sentence splitting joins it to the sentence under it
# when no blank line separates them, as in most help pages and notes.
_MARKDOWN_HEADING = re.compile(r"[^\S\n]*#{1,6}[^\S\n][^\n]*\n\s*")


def _after_headings(text: str, s: int, e: int) -> int:
    """Where the answer `text[s:e]` starts once the Markdown heading lines it starts with are
    left out (they name the topic; the answer is under them): `s` if it has none or is one."""
    while (found := _MARKDOWN_HEADING.match(text, s, e)) and found.end() < e:
        s = found.end()
    return s


def _is_heading(text: str, span: tuple[int, int]) -> bool:
    """A line of its own above a blank line, with no sentence-final mark: a heading that
    `qa.passages` kept with the paragraph under it."""
    s, e = span
    return text[e - 1] not in _SENTENCE_END and _PARAGRAPH_BREAK.match(text, e) is not None


# A sentence that asks: a question mark, or Japanese's question particle か at the end; Armenian
# writes its question mark ՞ on the word asked about ("Որքա՞ն ժամանակում ... Գյումրի։").
_QUESTION_END = re.compile(r"(?:[?？؟\u037e\u1367]|か。?)[\s\"'”»」)]*$")
_ARMENIAN_QUESTION = "\u055e"


def _is_question(text: str, span: tuple[int, int]) -> bool:
    """A sentence that asks (a help page's "Can I cancel?"): it says what the passage answers."""
    s, e = span
    return _QUESTION_END.search(text, s, e) is not None or _ARMENIAN_QUESTION in text[s:e]


# A run-in heading: a paragraph opened by a few words and a period ("Parkolás. Az uszoda...",
# "Borg. Bij het ophalen..."), as policies and news items write them; its few words score high
# against a question on its topic. XQuAD: 3 of 8,334 sentences.
RUN_IN_WORDS = 4


def _is_run_in_heading(text: str, span: tuple[int, int]) -> bool:
    s, e = span
    # after its list number, if numbered ("6. Biciclete. Bicicletele nu se mai țin pe holuri.")
    numbered = LIST_NUMBER.match(text, s, e)
    words = text[numbered.end() if numbered else s:e].split()
    return ((s == 0 or text[s - 1] == "\n") and text[e - 1] == "." and 0 < len(words) <= RUN_IN_WORDS
            and not any(ch.isdigit() for word in words for ch in word))


def sentence_scores(question: str, qvec: np.ndarray, texts: list[str], vectors: np.ndarray,
                    lang: str | None) -> np.ndarray:
    return _scores(question, vectors @ qvec, texts, lang)


def _scores(question: str, dense: np.ndarray, texts: list[str], lang: str | None, stored: str | None = None
            ) -> np.ndarray:
    return np.array(_score_list(question, dense, texts, lang, stored))


def _score_list(question: str, dense: np.ndarray, texts: list[str], lang: str | None, stored: str | None = None
                ) -> list[float]:
    """Each sentence's score: its cosine plus LEXICAL_SHARE of the share of the question's
    words it holds (in Python floats: for a few sentences, numpy's calls cost more than the
    arithmetic, which is the same double arithmetic)."""
    qtokens = token_set(question, lang)
    values = dense.tolist()
    if not qtokens:  # no word to find: the sentences need no tokens
        return [d + LEXICAL_SHARE * 0.0 for d in values]
    each = unpack(stored, len(texts))
    if each is None:
        each = sentence_tokens(texts, lang)
    n = len(qtokens)
    return [d + LEXICAL_SHARE * (len(qtokens.intersection(tokens)) / n) for d, tokens in zip(values, each)]


@lru_cache(maxsize=4096)
def token_set(text: str, lang: str | None) -> frozenset[str]:
    """The distinct tokens of a question `text` in language `lang`, cached: a search tokenizes
    its question once for all its passages of that language, on words broken once for all
    languages (`qa.language.question_words`; ICU word breaks and stemming were a fifth of a
    search)."""
    return frozenset(question_tokens(text, lang))


class _SentenceTokens:
    """The distinct tokens of a passage's sentences (`token_set` of each), through a bounded
    LRU cache: the sentences of the passages shown come back often, and those not cached are
    tokenized together (`qa.language.tokenize_each`), which costs a quarter less than one
    call each (tokenizing the answers' sentences was a third of a batch of searches)."""

    def __init__(self, size: int = 4096) -> None:
        self._sets: OrderedDict[tuple[str, str | None], frozenset[str]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str], lang: str | None) -> list[frozenset[str]]:
        out: list[frozenset[str] | None] = [None] * len(texts)
        missing: list[int] = []
        with self._lock:
            for j, text in enumerate(texts):
                tokens = self._sets.get((text, lang))
                if tokens is None:
                    missing.append(j)
                else:
                    self._sets.move_to_end((text, lang))
                    out[j] = tokens
        if missing:
            fresh = tokenize_each([texts[j] for j in missing], lang)
            with self._lock:
                for j, tokens in zip(missing, fresh):
                    out[j] = self._sets[(texts[j], lang)] = frozenset(tokens)
                while len(self._sets) > self._size:
                    self._sets.popitem(last=False)
        return out  # type: ignore[return-value]

    def cache_clear(self) -> None:
        with self._lock:
            self._sets.clear()


sentence_tokens = _SentenceTokens()
