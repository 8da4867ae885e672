"""Subtitles and captions (.srt, .vtt): an interview's, a hearing's or a video's words as paragraphs,
each passage cited with the time its first words are said.

A cue is two seconds of speech, a line or two: a passage a cue would be a citation per breath and a
vector of half a sentence. Cues are joined into paragraphs, as a transcript prints them: a paragraph
ends at a new speaker (WebVTT's `<v Name>`, a caption's `>>`), at a pause after the end of a sentence,
or, grown past `PARAGRAPH_CHARS`, at the end of a sentence (past `MAX_PARAGRAPH_CHARS`, auto captions
without punctuation: at the next cue). A block's `page` is the second its first cue starts, and each
later cue's start is a `later_pages` entry, so that a passage cut from a long paragraph starts at the
cue it begins in; the document's `meta["timed"]` tells retrieval to cite these as times ("00:12:05",
`Passage.time`), not pages, and its `meta["cues"]` ([offset, second] of every cue) the time of the cue
an answer sentence begins in (`Answer.time`), which a passage of several cues is cited at. The files are parsed by pysubs2 (timings, WebVTT headers, notes and
styles, SRT's and WebVTT's inline tags); the lines that auto captions roll up from one cue into the
next are read once."""
from __future__ import annotations

import re

from ..records import Block, Document
from ..script_stops import SENTENCE_STOPS, class_of
from .text import UnreadableDocument, check_text, decode_text

SUBTITLE_SUFFIXES = frozenset({".srt", ".vtt"})
PARAGRAPH_CHARS = 600
MAX_PARAGRAPH_CHARS = 1000
# a silence this long after the end of a sentence ends a paragraph
PAUSE_MS = 2000
MAX_CUES = 100_000
# WebVTT's voice span, "<v Marie Dubois>" or "<v.loud Jean>": kept through pysubs2 (which drops
# tags) as private-use marks around the name
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_MARKED_VOICE = re.compile("\ue000([^\ue001]*)\ue001")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")  # what pysubs2 leaves: <c>, <ruby>...
# auto captions' word timings, "<00:00:01.500>": pysubs2 would take them for a cue's timing
_WORD_TIME = re.compile(r"<(?:\d+:)?\d\d:\d\d[.,]\d+>")
# A cue ending a sentence (in any script: `qa.script_stops`), before closing quotes
_SENTENCE_END = re.compile(class_of(SENTENCE_STOPS) + r"[\"'»”’)\]]*\Z")


def _prepared(text: str) -> str:
    """The file's text for pysubs2: voices marked, word timings out."""
    text = _WORD_TIME.sub("", text)
    return _VOICE.sub(lambda m: f"\ue000{' '.join(m.group(1).split())}\ue001", text)


def _parse(text: str, suffix: str):
    import pysubs2

    fmt = "vtt" if suffix == ".vtt" else "srt"
    for format_ in (fmt, None):  # a .srt that is WebVTT (or the other way round) read as what it is
        try:
            return pysubs2.SSAFile.from_string(text, format_=format_)
        except Exception:  # pysubs2 raises its own errors, ValueError, IndexError... on a damaged file
            continue
    raise UnreadableDocument(f"not a valid {suffix} (no cues with timings found)")


def _cues(subs) -> list[tuple[int, int, str | None, str]]:
    """(start ms, end ms, speaker or None, text in one line) of each cue with words, in time order; lines a
    cue repeats from the one before (rolled-up captions) left out."""
    cues, previous = [], set()
    for event in sorted((e for e in subs if not e.is_comment), key=lambda e: e.start)[:MAX_CUES]:
        raw = event.plaintext
        speaker = None
        if m := _MARKED_VOICE.search(raw):
            speaker = m.group(1) or None
            raw = _MARKED_VOICE.sub(" ", raw)
        lines = [" ".join(_TAG.sub("", line).split()) for line in raw.split("\n")]
        lines = [line for line in lines if line]
        new = [line for line in lines if line not in previous]
        previous = set(lines)
        if new:
            cues.append((max(event.start, 0), max(event.end, event.start, 0), speaker, " ".join(new)))
    return cues


def _vtt_title(text: str) -> str | None:
    """A WebVTT file's own title: the words after "WEBVTT" on its first line."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if first.startswith("WEBVTT"):
        rest = first[6:].strip(" \t-–—:")
        return rest or None
    return None


def read_subtitles(data: bytes, source: str, suffix: str) -> Document:
    text = check_text(decode_text(data), source)
    said = _cues(_parse(_prepared(text), suffix))
    if not said:
        raise UnreadableDocument(f"no subtitles in {suffix}")
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    paragraph: list[tuple[int, str]] = []  # (start ms, text) of the open paragraph's cues
    # [offset, second] of every cue in the text: a passage's answer sentence is cited at its own cue's
    # time (`qa.citations.cue_time`), not at the passage's first cue's
    cues: list[list[int]] = []
    speaker: str | None = None
    last_end = 0

    def close() -> None:
        nonlocal pos
        if not paragraph:
            return
        if parts:
            parts.append("\n\n")
            pos += 2
        start, later, body = pos, [], []
        for n, (ms, words) in enumerate(paragraph):
            if n:
                body.append(" ")
                pos += 1
                later.append((pos, ms // 1000))
            cues.append([pos if n else start, ms // 1000])
            body.append(words)
            pos += len(words)
        parts.append("".join(body))
        blocks.append(Block(start, pos, paragraph[0][0] // 1000, later_pages=tuple(later)))
        paragraph.clear()

    for ms, end, who, words in said:
        new_speaker = (who is not None and who != speaker) or words.startswith(">>")
        words = words.lstrip("> ") or words  # broadcast captions' speaker mark
        if paragraph:
            size = sum(len(w) + 1 for _, w in paragraph)
            ended = bool(_SENTENCE_END.search(paragraph[-1][1]))
            if (new_speaker or size >= MAX_PARAGRAPH_CHARS or (ended and size >= PARAGRAPH_CHARS)
                    or (ended and ms - last_end >= PAUSE_MS)):
                close()
        if who is not None and who != speaker:
            speaker = who
            words = f"{who}: {words}"  # said once, where the speaker starts
        paragraph.append((ms, words))
        last_end = end
    close()
    return Document(source, "".join(parts), blocks, _vtt_title(text), None, None,
                    meta={"timed": True, "cues": cues})
