"""A PDF's page texts as a reader sees the pages: running headers and footers left out, and
paragraphs apart.

pypdf gives a page's text line by line, with no blank line between paragraphs and with the
lines every page repeats (a report's title, "Page 3", "Confidential") where the page's content
stream has them, often first. Left there, they open a passage of every page and are glued to
its first sentence, which then becomes the highlighted answer with "Page 3" in it; and a page
without paragraph breaks is one passage of up to 1,500 characters, or several cut at random
sentences.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Block
from ..script_stops import SENTENCE_STOPS, class_of

# Space above a line, in line spacings, that sets a paragraph apart (a blank line is 2; word
# processors' space after a paragraph, 1.4-1.8).
GAP = 1.3
# The lines of a page's top and bottom looked at for running headers and footers.
EDGE_LINES = 3
# A line ends its paragraph when it ends a sentence and is shorter than this share of the
# document's full line (a justified or ragged paragraph's last line stops short).
PARAGRAPH_END = 0.85
# A line with no final mark this much shorter than a full line is a heading or a list item.
SHORT_LINE = 0.6
_DIGITS = re.compile(r"\d+")
# A page number line, as `_key` gives it ("page 0 of 0", "seite 0 von 0", "- 0 -")
_PAGE_NUMBER = re.compile(r"^[\W_]*(?:page|pages|seite|página|pagina|pág\.|p\.|страница|стр\.|頁)?\s*0"
                          r"(?:\s*(?:/|of|de|von|sur|di|из|из)\s*0)?[\W_]*$")
# A line that ends a sentence: the full stops of every script (`qa.script_stops`; without the
# scripts' own, ։ ። । ۔ ။ ។, a short line closing an Armenian or Hindi paragraph ran on into the
# next), and on purpose a line ending with : or ; (a list follows) or closing a quote or a bracket.
_SENTENCE_END = re.compile(class_of(SENTENCE_STOPS | frozenset(":;»\"”’)")) + "$")


def _key(line: str) -> str:
    """A line compared across pages: page numbers and dates vary, case and spacing aside."""
    return " ".join(_DIGITS.sub("0", line).split()).casefold()


def _places(page: list[str]) -> dict[int, int]:
    """Line index -> place of a page's first and last EDGE_LINES lines with text (0, 1, 2 from
    the top; -1, -2, -3 from the bottom; blank lines are not counted)."""
    filled = [i for i, line in enumerate(page) if line.strip()]
    n = len(filled)
    return {i: (rank if rank < EDGE_LINES else rank - n) for rank, i in enumerate(filled)
            if rank < EDGE_LINES or rank >= n - EDGE_LINES}


def _running(lines: list[list[str]]) -> tuple[list[dict[int, int]], set[tuple[int, str]]]:
    """Each page's edge places (`_places`) and the (place, line) pairs found on at least half of
    the pages, two at least."""
    places = [_places(page) for page in lines]
    seen = Counter((place, _key(page[i])) for page, edge in zip(lines, places) for i, place in edge.items())
    return places, {item for item, count in seen.items() if count >= max(2, (len(lines) + 1) // 2)}


def without_running_lines(pages: list[str]) -> list[str]:
    """`pages` without the lines found at the same place (the same line from the top or the
    bottom) on at least half of them, two pages at least: headers and footers, page numbers
    included ("Page 3 of 9" is "Page 0 of 0" on every page)."""
    if len(pages) < 2:
        return pages
    lines = [page.split("\n") for page in pages]
    places, running = _running(lines)
    if not running:
        return pages
    return ["\n".join(line for i, line in enumerate(page)
                      if i not in edge or (edge[i], _key(line)) not in running).strip()
            for page, edge in zip(lines, places)]


def running_header(pages: list[str]) -> str | None:
    """The first running line at the top of the first page that has words (a report's title,
    as its pages repeat it), or None. Only lines above the page's own text count: a line every
    page repeats below it is a footer ("Further details are available from the desk…" after
    each page's two lines was the second line from the top, and a handbook's title)."""
    if len(pages) < 2:
        return None
    lines = [page.split("\n") for page in pages]
    places, running = _running(lines)
    for i, line in enumerate(lines[0]):
        if not line.strip():
            continue
        place, key = places[0].get(i), _key(line)
        if place is None or place < 0 or (place, key) not in running:
            return None  # the page's own text starts here: what repeats below it is no header
        if sum(c.isalpha() for c in key) >= 4 and not _PAGE_NUMBER.match(key):
            return " ".join(line.split())
    return None


def with_gaps(lines: list[str], ys: list[float] | None) -> str:
    """A page's text lines, with a blank line where the space above a line is clearly more than
    the page's usual line spacing (`GAP`): paragraphs set apart by space, as most word
    processors set them. `ys`: each line's baseline from the page's foot (None: not known, as
    when the text and the positions read differ in lines)."""
    if ys is None or len(ys) != len(lines) or len(lines) < 3:
        return "\n".join(lines)
    steps = [a - b for a, b in zip(ys, ys[1:])]
    usual = sorted(step for step in steps if step > 0)
    if not usual:
        return "\n".join(lines)
    usual_step = usual[len(usual) // 2]
    out = [lines[0]]
    for line, step in zip(lines[1:], steps):
        if step > GAP * usual_step or step < -usual_step:  # more space, or a new column
            out.append("")
        out.append(line)
    return "\n".join(out)


def full_line(pages: list[str]) -> int | None:
    """The length of a full line of the pages' running text (None: too few lines to tell)."""
    lengths = sorted(len(line.strip()) for page in pages for line in page.split("\n") if line.strip())
    if len(lengths) < 8:
        return None
    return lengths[int(len(lengths) * 0.8)]  # most lines of running text are close to it


def _ends_paragraph(line: str, full: int) -> bool:
    return _SENTENCE_END.search(line) is not None and len(line) < PARAGRAPH_END * full


def with_paragraphs(pages: list[str], full: int | None) -> list[str]:
    """`pages` with a blank line after each line that ends a paragraph: one that ends a sentence
    and stops short of a `full` line, or a much shorter one (a heading, a list item) before a
    line that starts with a capital or a digit. A page that has blank lines already (OCR)
    keeps them; a table's rows ("a | b", `qa.readers.pdf_layout`) stay one block."""
    if full is None:
        return pages
    out = []
    for page in pages:
        lines = page.split("\n")
        kept: list[str] = []
        for i, line in enumerate(lines):
            kept.append(line)
            text = line.strip()
            after = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if not text or not after or (" | " in text and " | " in after):  # a table's rows (`pdf_layout`)
                continue
            short = (len(text) < SHORT_LINE * full and (after[0].isupper() or after[0].isdigit())
                     and not text.endswith((",", "-")))
            if _ends_paragraph(text, full) or short:
                kept.append("")
        out.append("\n".join(kept))
    return out


def cut_sentence(last_line: str, next_char: str) -> bool:
    """Whether a page's last line and the next page's first character are one sentence cut in
    two: the line ends no sentence, or the next page starts in lower case. (A full line that
    ends a sentence may end its paragraph or not: left apart, at worst a paragraph is two
    passages cut at a sentence.)"""
    return _SENTENCE_END.search(last_line) is None or next_char.islower()


def across_pages(text: str, blocks: list[Block]) -> list[Block]:
    """`blocks` (a page's paragraphs, page after page) with a paragraph that a page break cuts
    in the middle of a sentence made one again: the last of a page (not a heading) goes on with
    the first of the next page (cited by the page it starts on; its
    later part knows its own page, `Block.page_at`)."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if (last is not None and block.page != last.page_at(last.end) and not last.heading and not block.heading
                and cut_sentence(text[last.start:last.end].rsplit("\n", 1)[-1].strip(), text[block.start])):
            out[-1] = Block(last.start, block.end, last.page,
                            later_pages=last.later_pages + ((block.start, block.page),) + block.later_pages)
        else:
            out.append(block)
    return out
