"""How a passage names its place in its document: its paragraph, and which part of it when a long
paragraph was cut in several passages (`qa.passages`).

Every passage of a paragraph cut in three was cited "§1" (three citations "longpara.txt · §1" in one
reply, three margins "§1" in the document panel): which part was only told by its text. A part is
cited "§1 (2/3)", the same in every language of the chat (numbers and a slash), and says how many
parts there are, so that the first one is told from a whole paragraph too. `paragraph` keeps its
meaning (the paragraph's number, which scripts read); `part` and `parts` are None for a paragraph of
one passage.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable


def paragraph_label(paragraph: int, part: int | None = None, parts: int | None = None) -> str:
    """"§1", or "§1 (2/3)" for the second of three passages of paragraph 1."""
    if part is None or not parts or parts < 2:
        return f"§{paragraph}"
    return f"§{paragraph} ({part}/{parts})"


def number_parts(passages: Iterable[dict]) -> None:
    """Set `part` and `parts` on a document's passages (dicts with "paragraph", in document order):
    1-based among the passages of their paragraph, None where a paragraph is one passage."""
    runs: list[list[dict]] = []
    for p in passages:
        if runs and runs[-1][0]["paragraph"] == p["paragraph"]:
            runs[-1].append(p)
        else:
            runs.append([p])
    for run in runs:
        for n, p in enumerate(run, start=1):
            p["part"], p["parts"] = (n, len(run)) if len(run) > 1 else (None, None)


def element_id(paragraph: int, part: int | None = None) -> str:
    """A passage's HTML id in the document panel: unique per passage, "qa-para-1" for a whole
    paragraph (as before: links made to it still open it), "qa-para-1-2" for its second part."""
    return f"qa-para-{paragraph}" + (f"-{part}" if part else "")


def clock(seconds: int) -> str:
    """A transcript's place: "00:12:05" for 725 seconds from its start."""
    seconds = max(int(seconds), 0)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def timed_place(page: int | None, meta: dict) -> tuple[int | None, str | None]:
    """(page, time) of a stored passage: a transcript's (its document's `meta["timed"]`) stores the
    second its cue starts where others store their page, and is cited by that time."""
    if meta.get("timed"):
        return None, None if page is None else clock(page)
    return page, None


def cue_time(meta: dict, offset: int) -> str | None:
    """When a transcript's words at `offset` (in its document's text) are said: the start of the cue
    they are in (its document's `meta["cues"]`, [offset, second] of each cue in order), or None where
    the cues are not known (not a transcript, or one indexed before they were kept)."""
    cues = meta.get("cues") if meta.get("timed") else None
    if not cues:
        return None
    at = bisect_right([start for start, _ in cues], offset) - 1
    return clock(cues[max(at, 0)][1])


def cited_time(hit) -> str | None:
    """The time a transcript's passage (a `Passage`) is cited at: its answer sentence's cue where
    known (a passage of several cues starts before it), else the passage's first cue."""
    return (hit.answer.time if hit.answer is not None and hit.answer.time else None) or hit.time
