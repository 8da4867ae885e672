"""A PDF page's text in reading order where the order of its content stream is not: two columns
and tables.

pypdf reads a page in the order its content stream draws it. A paper or a newsletter whose
producer draws the page line by line across both columns comes out with each line of the left
column joined to the right column's line beside it, and a table drawn cell by cell comes out a
cell a line. pdfium's text page knows where each run of text stands (`FPDFText_GetRect`: a run
is a line's text up to a jump in x, so a column's line, or a table cell, is one run); this module
finds, from those runs, a column gutter that no line crosses or table columns that the cells of
consecutive lines line up on, and reads such a page as a reader does: a column after the other,
a table a row a line ("Commune | Habitants"). A page with neither is left to pypdf (`None`), read
exactly as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from .page_text import cut_sentence, with_gaps

# The gutter is looked for in the middle of the text's width: columns narrower than this share
# of it are margins' notes, not columns.
GUTTER_ZONE = 0.25
# Each column holds at least this many lines, most of them prose: a line of a column has
# this many characters at least (a table's cells are shorter).
MIN_COLUMN_LINES = 3
MIN_COLUMN_CHARS = 20
# Lines crossing the gutter (a title, an abstract set across the page) are at most this share.
MAX_CROSSING = 0.5
# Two runs of a line are two cells when the space between them is at least this many times
# the text's height (a space between words is about a third of it).
CELL_GAP = 1.0

# At most this many characters x runs compared at once (memory: 8 bytes each).
MATRIX_CELLS = 2_000_000
# A page of more runs than this is left to pypdf (a plot's labels, a map: no prose, no table to read).
MAX_RUNS = 5_000


@dataclass(frozen=True)
class Run:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Line:
    runs: list[Run] = field(default_factory=list)

    @property
    def top(self) -> float:
        return max(r.y1 for r in self.runs)

    @property
    def bottom(self) -> float:
        return min(r.y0 for r in self.runs)

    @property
    def text(self) -> str:
        return joined(self.runs)


# Runs closer than this share of their height are one word cut where the font changes
# ("libtasn1.h" in a monospace font, then "."): no space between them.
WORD_GAP = 0.2


def joined(items: list[Run]) -> str:
    """The runs' texts left to right, a space between two only where space stands between them."""
    out = ""
    previous: Run | None = None
    for run in sorted(items, key=lambda r: r.x0):
        if previous is not None:
            out += " " if run.x0 - previous.x1 > WORD_GAP * (previous.y1 - previous.y0) else ""
        out += run.text
        previous = run
    return out


def runs(textpage) -> list[Run]:
    """The page's runs of text (pdfium's text rectangles) with their text as pdfium bounds it:
    a rectangle's text takes in the accents and descenders of the lines above and below when
    lines are set tight, good enough to count a line's characters (`exact_text` reads them)."""
    out = []
    for i in range(textpage.count_rects()):
        x0, y0, x1, y1 = textpage.get_rect(i)
        text = _clean(textpage.get_text_bounded(x0, y0, x1, y1))
        if text:
            out.append(Run(x0, y0, x1, y1, text))
    return out


def exact_text(textpage, items: list[Run]) -> list[Run]:
    """`items` with each run's text made of the characters whose origin (on the baseline) it
    holds: when it is in two runs, the one whose foot is nearest below it. (pdfium's own text of
    a rectangle takes every character whose box touches it.)"""
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = textpage.raw
    codes: list[int] = []
    origins: list[tuple[float, float]] = []  # (nan, nan): a line break pdfium puts; (inf, inf): a space
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(page, i)
        codes.append(code)
        if code in (0x0D, 0x0A):
            origins.append((np.nan, np.nan))
        elif pdfium_c.FPDFText_IsGenerated(page, i):  # a space pdfium puts between words
            origins.append((np.inf, np.inf))
        else:
            pdfium_c.FPDFText_GetCharOrigin(page, i, x, y)
            origins.append((x.value, y.value))
    if not codes or not items:
        return items
    at = np.array(origins)
    box = np.array([(r.x0, r.y0, r.x1, r.y1) for r in items])
    # an origin stands left of its glyph's box by the glyph's side bearing ("1": a quarter em)
    left = box[:, 0] - 0.4 * (box[:, 3] - box[:, 1]) - 1
    best: list[int] = []
    step = max(1, MATRIX_CELLS // len(items))  # characters compared with every run at once
    for first in range(0, len(at), step):
        cx, cy = at[first:first + step, :1], at[first:first + step, 1:]
        with np.errstate(invalid="ignore"):
            inside = (cx >= left) & (cx <= box[:, 2] + 1) & (cy >= box[:, 1] - 1) & (cy <= box[:, 3])
            foot = np.where(inside, cy - box[:, 1], np.inf)
        best += np.where(inside.any(axis=1), foot.argmin(axis=1), -1).tolist()
    chars: list[list[str]] = [[] for _ in items]
    last = -1
    for code, (ox, _), k in zip(codes, origins, best):
        if ox != ox:  # nan: a line break
            last = -1
        elif ox == np.inf:
            if last >= 0:
                chars[last].append(" ")
        else:
            if k >= 0:
                chars[k].append(chr(code) if 0 <= code < 0x110000 else "")
            last = k
    return [Run(r.x0, r.y0, r.x1, r.y1, _clean("".join(c)) or r.text) for r, c in zip(items, chars)]


def _clean(text: str) -> str:
    # pdfium gives a hyphen that ends a line as \x02; its own line breaks as \r\n
    return " ".join(text.replace("\x02", "-").replace("\ufffe", "-").split())


def lines_of(items: list[Run]) -> list[Line]:
    """`items` grouped into lines, top to bottom: runs whose heights overlap by half the smaller."""
    lines: list[Line] = []
    for run in sorted(items, key=lambda r: (-(r.y0 + r.y1) / 2, r.x0)):
        for line in lines[-3:]:
            overlap = min(line.top, run.y1) - max(line.bottom, run.y0)
            if overlap > 0.5 * min(line.top - line.bottom, run.y1 - run.y0):
                line.runs.append(run)
                break
        else:
            lines.append(Line([run]))
    return lines


def gutter(lines: list[Line], height: float) -> float | None:
    """The x of a gutter between two columns of prose (None: no such gutter). It is the middle of
    the widest stretch of x, in the middle of the text's width, that the fewest lines' cells
    (`cells`: a space between words, even where pdfium cuts a run at a change of font, is no
    gutter) cross; the stretch is a text height wide at least, at most `MAX_CROSSING` of the
    lines cross it, and at least `MIN_COLUMN_LINES` lines of `MIN_COLUMN_CHARS` characters
    (median) stand on each side of it, most of them one cell."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    spans = [[(group[0].x0, group[-1].x1) for group in cells(line, height)] for line in lines]
    left, right = min(a for line in spans for a, _ in line), max(b for line in spans for _, b in line)
    width = right - left
    xs = [left + GUTTER_ZONE * width + step for step in range(int((1 - 2 * GUTTER_ZONE) * width) + 1)]
    if not xs:
        return None
    counts = _crossing(spans, np.array(xs)).tolist()
    fewest = min(counts)
    best: tuple[float, float] = (0.0, -1.0)  # the widest stretch of x that `fewest` lines cross
    start = None
    for x, count in zip(xs + [None], counts + [None]):
        if count == fewest and start is None:
            start = x
        elif count != fewest and start is not None:
            end = x - 1 if x is not None else xs[-1]
            if end - start > best[1] - best[0]:
                best = (start, end)
            start = None
    if fewest > MAX_CROSSING * len(lines) or best[1] - best[0] < height:
        return None
    middle = (best[0] + best[1]) / 2
    apart = [(line, span) for line, span in zip(lines, spans) if not any(a < middle < b for a, b in span)]
    for on_side in (lambda a, b: b <= middle, lambda a, b: a >= middle):
        side = [Line([r for r in line.runs if on_side(r.x0, r.x1)]) for line, _ in apart]
        side = [line for line in side if line.runs]
        several = sum(sum(on_side(a, b) for a, b in span) > 1 for _, span in apart)
        if len(side) < MIN_COLUMN_LINES or median(len(line.text) for line in side) < MIN_COLUMN_CHARS:
            return None
        # a column's line is one cell: lines of several cells on a side are a table's, unless
        # the side is two columns itself (three columns)
        if several > len(side) / 2 and gutter(side, height) is None:
            return None
    return middle


def _crossing(spans: list[list[tuple[float, float]]], xs) -> "np.ndarray":
    """For each x of `xs`, how many lines have a span (a, b) with a < x < b."""
    crossed = np.zeros((len(spans), len(xs)), dtype=bool)
    for i, line in enumerate(spans):
        for a, b in line:
            crossed[i] |= (xs > a) & (xs < b)
    return crossed.sum(axis=0)


def cells(line: Line, height: float) -> list[list[Run]]:
    """A line's runs grouped into cells: runs further apart than `CELL_GAP` text heights."""
    out: list[list[Run]] = []
    for run in sorted(line.runs, key=lambda r: r.x0):
        if out and run.x0 - out[-1][-1].x1 < CELL_GAP * height:
            out[-1].append(run)
        else:
            out.append([run])
    return out


def _gaps(groups: list[list[Run]]) -> list[tuple[float, float]]:
    return [(a[-1].x1, b[0].x0) for a, b in zip(groups, groups[1:])]


# a list's marker standing apart from its item ("•", "–", "1.", "a)", "iv."): a list, not a table
_MARKER = re.compile(r"^(?:[^\w\s]|[(\[]?(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)\]:])$")
# dot leaders of a table of contents or an index ("Introduction . . . . . 3", "Porting . . . 1")
_LEADERS = re.compile(r"(?:(?:\.\s?){4,}|…)\s*[\divxlc]*$")


def _row_gaps(line: Line, height: float) -> list[tuple[float, float]]:
    """The gaps between a line's cells when it can be a table's row (none when it cannot): two
    cells with a letter or digit at least, not a list's item nor a line of a table of contents."""
    groups = cells(line, height)
    texts = [" ".join(r.text for r in group) for group in groups]
    if len(groups) < 2 or sum(any(c.isalnum() for c in text) for text in texts) < 2 \
            or _MARKER.match(texts[0]) or any(_LEADERS.search(text) for text in texts):
        return []
    return _gaps(groups)


def _common(gaps: list[tuple[float, float]], other: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The gaps of `gaps` that a gap of `other` overlaps, narrowed to the overlap."""
    out = []
    for a0, a1 in gaps:
        for b0, b1 in other:
            if min(a1, b1) > max(a0, b0):
                out.append((max(a0, b0), min(a1, b1)))
                break
    return out


# A row's cell wraps over at most this many more lines (a description set in a narrow column).
MAX_WRAPPED = 6


@dataclass(frozen=True)
class Table:
    rows: list[list[int]]  # each row's lines (indexes in the page's lines): its own, then its cells' wrapped lines
    bounds: list[float]  # the x of each boundary between two columns


def _inside(line: Line, gaps: list[tuple[float, float]], height: float) -> bool:
    """Whether no cell of `line` crosses one of the table's gaps between columns: a line of
    wrapped cells."""
    return all(not any(group[0].x0 < a and group[-1].x1 > b for a, b in gaps) for group in cells(line, height))


def tables(lines: list[Line], height: float) -> list[Table]:
    """Runs of at least two consecutive rows of two cells or more whose cells line up; between
    two rows, lines whose cells stay within the columns are the row's cells wrapped
    ("Moulin à café en acier, réglage de la" / "mouture en douze crans"). A wrapped last row's
    lines are left out of the table (they cannot be told from a paragraph that follows it). Two
    of the rows at least stand one under the other, with no wrapped line between them."""
    found = []
    i = 0
    while i < len(lines):
        gaps = _row_gaps(lines[i], height)
        rows = [[i]]
        j = i + 1
        while gaps and j < len(lines):
            k = j
            while k < len(lines) and k - j < MAX_WRAPPED and not _row_gaps(lines[k], height) \
                    and _inside(lines[k], gaps, height):
                k += 1
            shared = _common(gaps, _row_gaps(lines[k], height)) if k < len(lines) else []
            if not shared:
                break
            rows[-1].extend(range(j, k))
            rows.append([k])
            gaps, j = shared, k + 1
        # two rows one under the other at least (a header and its first row): two definitions
        # with "[Function]" at the right margin and their text between are no table
        if gaps and any(len(row) == 1 for row in rows[:-1]):
            table = Table(rows, [(a + b) / 2 for a, b in gaps])
            if not _prose_columns(table, lines):
                found.append(table)
            i = j
        else:
            i += 1
    return found


def _prose_columns(table: Table, lines: list[Line]) -> bool:
    """Whether every column of `table` holds lines of prose (`MIN_COLUMN_CHARS`, median): short
    columns of running text, too few lines for `gutter`, not a table."""
    columns = zip(*(_row([lines[row[0]]], table.bounds).split(" | ") for row in table.rows))
    return all(median(len(cell) for cell in column) >= MIN_COLUMN_CHARS for column in columns)


def _row(lines: list[Line], bounds: list[float]) -> str:
    """A row's cells, each cell's wrapped lines joined by a space."""
    columns: list[list[str]] = [[] for _ in range(len(bounds) + 1)]
    for line in lines:
        parts: list[list[Run]] = [[] for _ in columns]
        for run in line.runs:
            parts[sum((run.x0 + run.x1) / 2 > b for b in bounds)].append(run)
        for column, part in zip(columns, parts):
            if part:
                column.append(joined(part))
    return " | ".join(" ".join(column) for column in columns)


def _prose(lines: list[Line]) -> str:
    """Lines of running text, a blank line where the space above one sets a paragraph apart."""
    return with_gaps([line.text for line in lines], [line.top for line in lines])


def page_text(textpage) -> str | None:
    """The page's text read a column after the other and a table a row a line, or None when it
    has neither (pypdf's reading is right)."""
    if textpage.count_rects() > MAX_RUNS:
        return None
    items = runs(textpage)
    lines = lines_of(items)
    if len(lines) < 2:
        return None
    height = median(r.y1 - r.y0 for r in items)
    middle = gutter(lines, height)
    found = [] if middle is not None else tables(lines, height)
    if middle is None and not found:
        return None
    exact = dict(zip(items, exact_text(textpage, items)))
    lines = [Line([exact[r] for r in line.runs]) for line in lines]
    if middle is not None:
        return _columns(lines, middle, height)
    parts: list[str] = []
    start = 0
    for table in found:
        first, end = table.rows[0][0], table.rows[-1][-1] + 1
        if first > start:
            parts.append(_prose(lines[start:first]))
        parts.append("\n".join(_row([lines[i] for i in row], table.bounds) for row in table.rows))
        start = end
    if start < len(lines):
        parts.append(_prose(lines[start:]))
    return "\n\n".join(part for part in parts if part)


def _columns(lines: list[Line], middle: float, height: float) -> str:
    """Lines that cross the gutter read in place; between them, the left column's lines, then the
    right's. A column's last line and the next column's first are one paragraph unless the
    paragraph ends there (it ends a sentence and the next column starts with no lower-case
    letter, as a paragraph is cut by a page break: `qa.readers.page_text.cut_sentence`). The
    page's first and last lines are read in place too when space sets them apart (a running
    header's page number at the top right is no line of the right column: left at the page's
    edge, `qa.readers.page_text.without_running_lines` finds it)."""
    parts: list[str] = []
    band: list[Line] = []
    steps = sorted(a.top - b.top for a, b in zip(lines, lines[1:]))
    apart = 2 * steps[len(steps) // 2] if steps else 0.0
    edges = {i for i, gap in ((0, lines[0].top - lines[1].top), (len(lines) - 1, lines[-2].top - lines[-1].top))
             if len(lines) > 2 and gap > apart}

    def flush() -> None:
        for keep in (lambda r: r.x1 <= middle, lambda r: r.x0 >= middle):
            side = [Line([r for r in line.runs if keep(r)]) for line in band]
            side = [line for line in side if line.runs]
            inner = gutter(side, height) if side else None  # three columns: a side of two
            if inner is not None:
                parts.append(_columns(side, inner, height))
            elif side:
                parts.append(_prose(side))
        band.clear()

    spanning: list[Line] = []
    for i, line in enumerate(lines):
        if i in edges or any(group[0].x0 < middle < group[-1].x1 for group in cells(line, height)):
            if band:
                flush()
            spanning.append(line)
            continue
        if spanning:
            parts.append(_prose(spanning))
            spanning = []
        band.append(line)
    if band:
        flush()
    if spanning:
        parts.append(_prose(spanning))
    text = parts[0]
    for part in parts[1:]:
        last = text.rsplit("\n", 1)[-1].strip()
        text += ("\n" if cut_sentence(last, part.lstrip()[:1]) else "\n\n") + part
    return text
