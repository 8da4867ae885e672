"""Which rows of a sheet are its header, as people lay sheets out.

Many sheets open with a title line ("Budget 2024" in A1) above the table, and many tables have
two header rows: a cell merged over several columns ("Dépenses" over B:C) with the columns' own
names below it ("Prévu", "Réalisé"). Taking the first row as the header row repeated with every
block of rows (`qa.readers.text.table_pieces`) then repeats the title line, and the blocks after
the first lose the column names. Here the title lines before the table are a caption of their
own, and two header rows under a merged cell become one ("Dépenses Prévu | Dépenses Réalisé")."""
from __future__ import annotations

import re


class Covered(str):
    """A cell that a merged cell to its left covers (empty, as the file stores it)."""

    __slots__ = ()


MAX_CAPTIONS = 10
_NUMBER = re.compile(r"[-+]?[\d\s.,]+%?\Z")


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _header_like(row: list[str]) -> bool:
    """A row of names: no cell a number or a date."""
    return all(not _NUMBER.match(cell) and not re.match(r"\d{4}-\d{2}-\d{2}", cell) for cell in row if cell.strip())


def split_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """(caption lines, the rows with one header row first): the sheet's leading lines of one cell
    above a row of several become captions; a header row with merged cells (`Covered` cells) and a
    row of names below it become one header row, each column named by both."""
    captions: list[str] = []
    first = next((i for i, row in enumerate(rows[:MAX_CAPTIONS + 1]) if _filled(row) >= 2), None)
    if first and len(rows) > first + 1 and all(_filled(row) == 1 for row in rows[:first]):
        captions = [next(cell for cell in row if cell.strip()) for row in rows[:first]]
        rows = rows[first:]
    if len(rows) > 2 and any(isinstance(cell, Covered) for cell in rows[0]) and _header_like(rows[1]):
        top, sub = rows[0], rows[1]
        names: list[str] = []
        above = ""
        for i in range(max(len(top), len(sub))):
            cell = top[i] if i < len(top) else ""
            above = above if isinstance(cell, Covered) else cell
            below = sub[i] if i < len(sub) else ""
            names.append(f"{above} {below}" if above and below and above != below else above or below)
        rows = [names, *rows[2:]]
    return captions, rows
