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
    if "|" in text and (tables := table_rows(text)):
        return _with_rows(text, lang, tables)
    return _prose_spans(text, lang)


def _prose_spans(text: str, lang: str | None) -> list[tuple[int, int]]:
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
        for s, e in _ethiopic_stops(text, bound["start_index"], bound["end_index"]):
            s, e = strip_span(text, s, e)
            if e > s:
                spans.append((s, e))
    return _join_broken(text, spans) or ([strip_span(text, 0, len(text))] if text.strip() else [])


# Amharic's full stop ። is often typed as two word separators ፡፡, or as two colons after an
# Ethiopic letter (ነው::): sentencex ends no sentence there, and a passage was one sentence.
_ETHIOPIC_STOP = re.compile("(?<=[\u1200-\u137f])(?:\u1361\u1361|::)(?=\\s)")


def _ethiopic_stops(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`(start, end)` cut after each full stop typed as ፡፡ or :: in it (`_ETHIOPIC_STOP`)."""
    cuts = [m.end() for m in _ETHIOPIC_STOP.finditer(text, start, end)] if "\u1361" in text or "::" in text else []
    return [(s, e) for s, e in zip([start, *cuts], [*cuts, end])]


# A table's rows, as the readers write them ("cell | cell | cell" a line, the header row first,
# qa.readers.text.table_pieces) or as Markdown has them: a block of at least two lines, every
# one with a cell bar. A row is a record, its sentence: sentencex reads the block's line breaks
# as a wrapped line and gave the whole table as one sentence, highlighted as the answer.
_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")


def table_rows(text: str) -> list[list[tuple[int, int]]]:
    """The tables of `text`: for each, the spans of its rows (lines with a letter or digit; a
    Markdown table's |---| line is none), the header row first."""
    tables = []
    for block in _BLOCK.finditer(text):
        lines = [m.span() for m in re.finditer(r"[^\n]+", block.group())]
        if len(lines) < 2 or not all("|" in block.group()[s:e] for s, e in lines):
            continue
        rows = [strip_span(text, block.start() + s, block.start() + e) for s, e in lines]
        rows = [(s, e) for s, e in rows if any(c.isalnum() for c in text[s:e])]
        if len(rows) >= 2:
            tables.append(rows)
    return tables


# An e-mail's header lines: "From:" and "To:" as the mail reader writes them above a message's
# body (qa.readers.mail.read_message), and the header lines a reply or a forward quotes in its
# body, as mail programs write them in English, German, French, Spanish, Italian and Dutch.
MAIL_LABELS = frozenset("""from to cc bcc date sent subject reply-to
von an datum gesendet betreff kopie de à a envoyé objet para enviado fecha asunto
da inviato oggetto van aan verzonden onderwerp""".split())
# Labels a single line may be taken as a header by (a lone "A: ..." or "De: ..." line is a
# FAQ's answer or a sentence as often): the reader's own, else a line with an address.
_LONE_LABELS = frozenset({"from", "to", "cc"})
_MAIL_LINE = re.compile(r"[ \t]*([^\W\d_][\w-]{0,11})[ \t]?:[ \t]*\S[^\n]*")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mail_header_lines(text: str) -> list[tuple[int, int]]:
    """The spans of `text`'s runs of e-mail header lines ("From: Léa Moreau <lea@example.org>"
    "To: Support"): two or more such lines in a row, or one with the reader's label or an address.
    They say who wrote to whom, never what the message says."""
    if ":" not in text:
        return []
    found: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if len(run) >= 2 or (run and (run[0][2] in _LONE_LABELS or _ADDRESS.search(text, run[0][0], run[0][1]))):
            found.append(strip_span(text, run[0][0], run[-1][1]))
        run.clear()
    start = 0
    for line in text.split("\n"):
        header = _MAIL_LINE.fullmatch(line)
        if header and header.group(1).lower() in MAIL_LABELS:
            run.append((start, start + len(line), header.group(1).lower()))
        else:
            close()
        start += len(line) + 1
    close()
    return found


def within(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether `span` lies inside one of `spans` (sorted, apart)."""
    return any(s <= span[0] and span[1] <= e for s, e in spans)


# A Markdown table's line under its header row: cells of dashes, with colons for alignment.
_SEPARATOR = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*")


def headed(text: str, rows: list[tuple[int, int]], continued: bool = False) -> bool:
    """Whether a table's first row (`table_rows`) is its header row. The readers' tables repeat
    theirs in every passage (`qa.readers.text.table_pieces`); a Markdown table ("| a | b |" rows)
    has it above its |---| line, and a long one cut into passages (`split_long`) goes on in the
    next passage without either: there every row is a record. A table of "a | b" lines has no
    such line: in a passage that goes on from the one before (`continued`, a later piece of its
    paragraph), a table at its start goes on from there too."""
    markdown = all(text[s:e].startswith("|") and text[s:e].endswith("|") for s, e in rows)
    if len(rows) < 2:
        return True
    if not markdown:
        return not (continued and not text[:rows[0][0]].strip())
    return any(_SEPARATOR.fullmatch(line) for line in text[rows[0][1]:rows[1][0]].split("\n") if line.strip())


def _with_rows(text: str, lang: str | None, tables: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Sentences of the text around the tables, and the tables' rows, in text order."""
    spans: list[tuple[int, int]] = []
    at = 0
    for rows in tables:
        start, end = rows[0][0], rows[-1][1]
        if text[at:start].strip():
            spans.extend((at + s, at + e) for s, e in _prose_spans(text[at:start], lang))
        spans.extend(rows)
        at = end
    if text[at:].strip():
        spans.extend((at + s, at + e) for s, e in _prose_spans(text[at:], lang))
    return spans


# Bump when the same text gets other sentence spans: an index records it, and `qa index` reads
# its files again, embedding only the passages whose spans moved (a passage's sentence vectors
# come from its own forward pass cut at them; the others keep theirs). 2: a break after an
# abbreviation the segmenter does not know is joined (`_continues`). 3: a period after a short word
# in a text with its script's own full stops is an abbreviation's (`_OWN_STOPS`); Amharic's full
# stop typed as ፡፡ or :: ends a sentence (`_ETHIOPIC_STOP`). 4: a list number opening a line is
# no sentence of its own (`LIST_NUMBER`).
SENTENCES_VERSION = 4

# Sentences do not end with a comma; pysbd's Arabic rules split at "،" (kept as a guard for any segmenter), which
# left answers in fragments too short to be found (answer-hit@1 on Arabic XQuAD 0.53).
_COMMAS = (",", "،", "、", "，", ";", "؛")
# sentencex's abbreviation lists miss many everyday ones (Polish godz. r. tys., Swedish t.ex. kl.,
# Dutch d.w.z. o.a., Hungarian kb., Indonesian dll.): it ends a sentence there and the answer
# is shown cut in two. A break after an abbreviation-like word (periods inside it, or at most
# four letters) is joined when the next sentence starts with a small letter, or with a number
# after a word in small letters ("o godz. 21:30", "kl. 7-19", "kb. 10 000 Ft"). Not after a
# longer word: manual pages start sentences with commands in small letters ("passwd also...").
_ABBREVIATION = re.compile(r"(?:^|[\s(])((?:[^\W\d_]+\.){2,}|[^\W\d_]{1,4}\.)$")


def _join_broken(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for s, e in spans:
        if joined and _continues(text, joined[-1], s):
            joined[-1] = (joined[-1][0], e)
        else:
            joined.append((s, e))
    return joined


# Full stops of scripts that have their own (Devanagari and Bengali ।, Urdu ۔, Ethiopic ።,
# Myanmar ။): a text that ends its sentences with one writes a period after abbreviations
# (Hindi डॉ. "Dr.", कि.मी. "km"; Bengali ডা., মো.), and these scripts have no small letters to
# tell a sentence's start by: "डॉ." was cut off as a sentence of its own.
_OWN_STOPS = re.compile("[\u0964\u06d4\u1362\u104b]")
# Georgian's letters (Mkhedruli) are small letters to Unicode, whose capitals (Mtavruli) are
# written in all-capital headings only: a Georgian sentence starts with one, and any sentence
# ending with a word of four letters or fewer (არის "is", იყო "was", ღიაა "is open") was joined
# to the next as if that word were an abbreviation.
_GEORGIAN = re.compile("[\u10d0-\u10ff]")


# A century or a volume in Roman numerals after an abbreviation (Georgian ახ. წ. XIX, "AD 19th";
# Russian ок. XV века; ch. XII): of two letters or more, so that English "it. I" is left alone.
_ROMAN = re.compile(r"[IVXLC]{2,}(?=\s)")


def _caseless(char: str) -> bool:
    """A letter of a script without small and capital letters (Georgian's counted as one)."""
    return char.isalpha() and (not (char.isupper() or char.islower()) or _GEORGIAN.match(char) is not None)


# A list number opening a line ("5. Mobile phones", "2. Plata întreținerii. ..."), as minutes and
# notices number their headings and points: the segmenter ends a sentence after it, and "5." alone
# was a sentence, shown as an answer where the model knows the language too little to rank it low.
LIST_NUMBER = re.compile(r"\d{1,3}\.")


def _list_number(text: str, span: tuple[int, int], start: int) -> bool:
    """Whether `text[span]` is a list number opening its line, with the sentence at `start` on the same line."""
    s, e = span
    return (LIST_NUMBER.fullmatch(text, s, e) is not None and "\n" not in text[e:start]
            and not text[text.rfind("\n", 0, s) + 1:s].strip())


def _continues(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether the sentence starting at `start` goes on the `previous` one: that one ends with
    a comma, or is a list number opening its line (`LIST_NUMBER`), or ends with an
    abbreviation-like word (`_ABBREVIATION`) before a small letter, or before a number or a
    Roman numeral (`_ROMAN`) when the word is in small letters. Before a letter of a script
    without case (`_caseless`), the word must have periods inside (ე.ი.) or be an initial
    (Arabic د. "Dr.", ك.; Georgian ქ. "city"), or of two letters in Georgian, whose sentences
    hardly end with one (ძვ. წ. "BC"; Arabic's often do: له، به); in a text with its script's
    own full stops (`_OWN_STOPS`), of at most four characters besides its periods."""
    last, first = text[previous[1] - 1], text[start]
    if last in _COMMAS:
        return True
    if last != ".":
        return False
    if previous[1] - previous[0] <= 4 and _list_number(text, previous, start):
        return True
    roman = _ROMAN.match(text, start) is not None
    if _caseless(first) or roman and _caseless(text[previous[1] - 2]):
        before = text[max(previous[0], previous[1] - 16):previous[1] - 1].split()
        if not before or any(c.isdigit() for c in before[-1]):
            return False
        word = before[-1].lstrip("(")
        if _OWN_STOPS.search(text):
            return len(word.replace(".", "")) <= 4
        return "." in word.strip("().") or word.isalpha() and len(word) <= (2 if _GEORGIAN.match(word) else 1)
    if not (first.islower() or first.isdigit() or roman):
        return False
    found = _ABBREVIATION.search(text, max(previous[0], previous[1] - 12), previous[1])
    return found is not None and (first.islower() or found.group(1).islower())


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
