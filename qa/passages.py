"""Cut a `Document` into passages: paragraphs, headings attached, long ones split."""
from __future__ import annotations

import re

from .records import Block, Chunk, Document
from .sentences import split_long

# Bump when the passages or sentence spans cut from the same document text change
# (chunking, sentence splitting): stored offsets and vectors then no longer match what
# this code would make, and an index made with another version must be rebuilt.
PASSAGES_VERSION = 1
# 2: passages know their section (`passages.section`) and carry its headings' words on the lexical
# side. An index of version 1 gets them at its next `qa index`: its files are read again and cut
# as before, nothing is re-embedded; until then it is searched as before, without sections.
SECTIONS_VERSION = 2
# Between the headings of a passage's section path, in citations ("Billing › Refunds").
SECTION_SEPARATOR = " › "
# A heading's level when its format does not say (a heading with no `Block.level`): below
# every Markdown level, so that such a heading replaces the one before it and never closes a
# Markdown section.
_UNKNOWN_LEVEL = 7
_MARKDOWN_HEADING = re.compile(r"\A(#{1,6})[ \t]*(.*?)[ \t#]*\Z")


def chunk_document(doc: Document, max_chars: int, lang: str | None = None) -> list[Chunk]:
    """Passages of `doc`, numbered by paragraph (1-based).

    A heading is not a passage of its own: it opens the passage of the paragraph it
    introduces. A paragraph longer than `max_chars` becomes several passages that share
    its number. Every passage knows its section: the headings above it, outermost first (the
    document's title and headings guessed from short lines of plain text left out), so that the second paragraph of "Refunds" is cited, and can be
    found, as part of "Refunds".
    """
    chunks: list[Chunk] = []
    number = 0
    heading_start: int | None = None
    path: list[tuple[int, str]] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.heading and not block.guessed:
            path = _under(path, _heading(doc.text, block), doc.title)
        next_same_page = i + 1 < len(blocks) and blocks[i + 1].page == block.page
        if block.heading and next_same_page:
            if heading_start is None:
                heading_start = block.start
            continue
        number += 1
        start = heading_start if heading_start is not None else block.start
        heading_start = None
        section = SECTION_SEPARATOR.join(text for _, text in path) or None
        # the heading (at most a line) rides on the first piece, even past max_chars
        pieces = split_long(doc.text, block.start, block.end, max_chars, lang)
        pieces[0] = (start, pieces[0][1])
        chunks.extend(Chunk(number, s, e, block.page_at(s), section) for s, e in pieces if e > s)
    return chunks


def section_words(section: str | None, text: str) -> str:
    """The words a passage's lexical tokens take from its section: its headings, one a line,
    unless the passage holds its own heading (the first of its section), which then counts
    already (dev: docs/quality.md, "Session 13")."""
    if not section:
        return ""
    headings = section.split(SECTION_SEPARATOR)
    return "" if headings[-1] in " ".join(text.split()) else "\n".join(headings)


def sections_current(meta: dict[str, str]) -> bool:
    """Whether this index's passages (`Store.meta()`) know their sections."""
    return int(meta.get("sections_version", 1)) == SECTIONS_VERSION


def _heading(text: str, block: Block) -> tuple[int, str]:
    """A heading block's level (Markdown's `#`s, the reader's `Block.level`, else `_UNKNOWN_LEVEL`)
    and its words."""
    line = " ".join(text[block.start:block.end].split())
    if m := _MARKDOWN_HEADING.match(line):
        return len(m.group(1)), m.group(2)
    return block.level or _UNKNOWN_LEVEL, line


def _under(path: list[tuple[int, str]], heading: tuple[int, str], title: str | None) -> list[tuple[int, str]]:
    """The section path once `heading` opens: the headings above its level kept, it added (not
    the document's title, said by the citation already)."""
    level, words = heading
    kept = [h for h in path if h[0] < level]
    if not words or (title and " ".join(title.split()).lstrip("# ") == words):
        return kept
    return kept + [heading]
