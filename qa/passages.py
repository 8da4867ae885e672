"""Cut a `Document` into passages: paragraphs, headings attached, long ones split."""
from __future__ import annotations

from .records import Chunk, Document
from .sentences import split_long

# Bump when the passages or sentence spans cut from the same document text change
# (chunking, sentence splitting): stored offsets and vectors then no longer match what
# this code would make, and an index made with another version must be rebuilt.
PASSAGES_VERSION = 1


def chunk_document(doc: Document, max_chars: int, lang: str | None = None) -> list[Chunk]:
    """Passages of `doc`, numbered by paragraph (1-based).

    A heading is not a passage of its own: it opens the passage of the paragraph it
    introduces. A paragraph longer than `max_chars` becomes several passages that share
    its number.
    """
    chunks: list[Chunk] = []
    number = 0
    heading_start: int | None = None
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        next_same_page = i + 1 < len(blocks) and blocks[i + 1].page == block.page
        if block.heading and next_same_page:
            if heading_start is None:
                heading_start = block.start
            continue
        number += 1
        start = heading_start if heading_start is not None else block.start
        heading_start = None
        # the heading (at most a line) rides on the first piece, even past max_chars
        pieces = split_long(doc.text, block.start, block.end, max_chars, lang)
        pieces[0] = (start, pieces[0][1])
        chunks.extend(Chunk(number, s, e, block.page_at(s)) for s, e in pieces if e > s)
    return chunks

