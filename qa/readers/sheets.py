"""Spreadsheets (.xlsx, .xls, .ods, .csv): a sheet is a page; rows go with their header row."""
from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Iterator

from ..records import Document
from . import number_formats
from .archive import check_zip
from .office import LIBRARY_AUTHORS
from .sheet_header import Covered, split_header
from .text import UnreadableDocument, clean_cell, decode_text, join_blocks, table_pieces

# Bounds that keep a hostile sheet (a million formatted empty rows, a huge used range)
# from taking minutes or gigabytes: reading a sheet stops after this many empty rows in
# a row or this many cells, and wide rows are cut.
MAX_EMPTY_RUN = 10_000
MAX_CELLS = 2_000_000
MAX_COLUMNS = 256


def _bounded_rows(rows: Iterable[Iterable[object]]) -> Iterator[list[str]]:
    empty_run = cells = 0
    for row in rows:
        values = [v if isinstance(v, Covered) else clean_cell(v) for _, v in zip(range(MAX_COLUMNS), row)]
        while values and not values[-1] and not isinstance(values[-1], Covered):
            values.pop()
        cells += len(values) or 1
        if not values:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return
            continue
        empty_run = 0
        yield values
        if cells >= MAX_CELLS:
            return


def _sheet_pieces(name: str, rows: Iterable[Iterable[object]], page: int) -> list[tuple[str, int, bool]]:
    """The sheet's name (a heading), its title lines above the table, then its blocks of rows,
    each with the header row (`qa.readers.sheet_header`)."""
    captions, table = split_header(list(_bounded_rows(rows)))
    pieces = ["\n".join(captions)] if captions else []
    pieces += table_pieces(table)
    if not pieces:
        return []
    return [(name, page, True)] + [(piece, page, False) for piece in pieces]


def read_xlsx(data: bytes, source: str, kind: str = ".xlsx") -> Document:
    from openpyxl import load_workbook

    check_zip(data, kind)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, lxml errors...
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None
    try:
        pieces = []
        for number, sheet in enumerate(workbook.worksheets, start=1):
            if hasattr(sheet, "iter_rows"):  # chart sheets have no cells
                pieces.extend(_sheet_pieces(sheet.title, _xlsx_rows(sheet), number))
        props = workbook.properties
        title = (props.title or "").strip() or None
        authors = (props.creator or "").strip() or None
        authors = None if authors in LIBRARY_AUTHORS else authors
        when = props.created
    finally:
        workbook.close()
    return _document(source, pieces, title, when.date().isoformat() if when else None, authors, kind)


def _xlsx_rows(sheet) -> Iterator[list[object]]:
    """A sheet's rows of values, a number as its cell shows it (`qa.readers.number_formats`):
    percentages, currencies, no float noise; a formula's value the one the file cached. A cell a
    merged cell covers to its right is `Covered`; a cell merged down one column ("Abricots" over
    two rows) gives its value to each of its rows, as a reader of the sheet sees it."""
    covered, down = _merges(sheet)
    above: dict[tuple[int, int], object] = {}
    for r, row in enumerate(sheet.iter_rows(), start=1):  # from A1: rows and columns as numbered
        values: list[object] = []
        for c, cell in enumerate(row[:MAX_COLUMNS], start=1):
            value = getattr(cell, "value", None)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = number_formats.shown(value, getattr(cell, "number_format", None))
            if (r, c) in covered:
                value = Covered()
            elif (r, c) in down:
                top = down[(r, c)]
                value = above.get(top) if top != (r, c) else value
                above[(r, c)] = value
            values.append(value)
        yield values


# openpyxl's read-only sheets parse no merged cells: they are read from the sheet's XML, where
# <mergeCells> follows the rows
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
MAX_MERGES = 10_000
MAX_MERGED_CELLS = 200_000


def _merges(sheet) -> tuple[set[tuple[int, int]], dict[tuple[int, int], tuple[int, int]]]:
    """(the cells a merged cell covers to its right in its first row; each cell of a merge one
    column wide -> that merge's top cell): (row, column) numbers from 1."""
    from openpyxl.utils import column_index_from_string

    ranges: set[tuple[bytes, ...]] = set()
    try:
        source = sheet._get_source()
    except Exception:  # not a read-only sheet of a file: no merges known
        return set(), {}
    with source:
        tail = b""
        while len(ranges) < MAX_MERGES and (chunk := source.read(1 << 20)):
            data = tail + chunk
            ranges.update(m.groups() for m in _MERGE_CELL.finditer(data))
            tail = data[-200:]
    covered: set[tuple[int, int]] = set()
    down: dict[tuple[int, int], tuple[int, int]] = {}
    for first_col, first_row, last_col, last_row in sorted(ranges):
        if len(covered) + len(down) >= MAX_MERGED_CELLS:  # a hostile file's merges over a million rows
            break
        c0, c1 = column_index_from_string(first_col.decode()), column_index_from_string(last_col.decode())
        r0, r1 = int(first_row), int(last_row)
        if c1 > c0:
            covered.update((r0, c) for c in range(c0 + 1, min(c1, MAX_COLUMNS) + 1))
        elif r1 > r0:
            down.update(((r, c0), (r0, c0)) for r in range(r0, min(r1, r0 + MAX_EMPTY_RUN) + 1))
    return covered, down


def read_xls(data: bytes, source: str) -> Document:
    """Excel 97-2003 (BIFF) workbooks, with xlrd; title, author and date from the file's summary."""
    import xlrd

    from .legacy import OLE_MAGIC, looks_like_html, ole_properties

    if data[:4] == b"PK\x03\x04":  # an .xlsx renamed .xls
        return read_xlsx(data, source)
    if not data.startswith(OLE_MAGIC):
        # "Export to Excel" buttons write a web page of tables, or tab-separated text, named .xls
        if looks_like_html(data):
            from .html import read_html

            return read_html(data, source)
        if b"\t" in data[:4096] and b"\x00" not in data[:4096]:
            return read_csv(data, source)
        raise UnreadableDocument("not an Excel 97-2003 file (no OLE2 header)")
    try:
        book = _open_xls(data)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise UnreadableDocument("password-protected .xls (save it without a password to index it)") from None
        raise UnreadableDocument(f"not a valid .xls ({' '.join(str(exc).split())[:120]})") from None
    except Exception as exc:  # xlrd raises AssertionError, IndexError, struct.error... on a damaged file
        raise UnreadableDocument(f"not a valid .xls ({type(exc).__name__})") from None
    try:
        pieces = []
        for number in range(book.nsheets):
            sheet = book.sheet_by_index(number)
            pieces.extend(_sheet_pieces(sheet.name, _xls_rows(book, sheet), number + 1))
            book.unload_sheet(number)
    except Exception as exc:
        raise UnreadableDocument(f"not a valid .xls ({type(exc).__name__})") from None
    finally:
        book.release_resources()
    return _document(source, pieces, *ole_properties(data), ".xls")


def _open_xls(data: bytes):
    """The workbook with its cells' formats (`formatting_info`), else without them: xlrd reads
    the formats of BIFF 8 files only, and a damaged format record should not lose the numbers."""
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(), formatting_info=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise
    except Exception:  # xlrd's formatting code fails on some files its plain reading reads
        pass
    return xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())


def _number_format(book, cell) -> str | None:
    """The cell's number format ("0.0%", '#,##0.00\\ "€"'), None when xlrd did not read formats."""
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


def _xls_rows(book, sheet) -> Iterator[list[object]]:
    """A sheet's rows of values, a number as its cell shows it (`qa.readers.number_formats`), as
    for .xlsx."""
    import xlrd

    for r in range(sheet.nrows):
        row: list[object] = []
        for cell in sheet.row_slice(r, 0, min(sheet.ncols, MAX_COLUMNS)):
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                value = number_formats.shown(value, _number_format(book, cell))
            elif cell.ctype == xlrd.XL_CELL_DATE:  # a date is a number of days with a date format
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                    pass
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:  # #DIV/0! and the like: an error code, not text
                value = None
            row.append(value)
        yield row


def _document(source, pieces, title, date, authors, kind) -> Document:
    if not pieces:
        raise UnreadableDocument(f"no text in {kind}")
    text, blocks = join_blocks(pieces)
    return Document(source, text, blocks, title or source.rsplit("/", 1)[-1], date, authors)


def _ods_rows(table) -> Iterator[list[object]]:
    from odf.namespaces import TABLENS

    from .odf_text import own_text

    repeat_rows = (TABLENS, "number-rows-repeated")
    repeat_cols = (TABLENS, "number-columns-repeated")
    for row in table.childNodes:
        if row.qname[1] != "table-row":
            continue
        cells: list[object] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            value = own_text(cell)  # not a comment's text, a cell's paragraphs apart
            if cell.qname[1] == "covered-table-cell":  # under a merged cell
                value = Covered(value)
            count = int(cell.attributes.get(repeat_cols, 1) or 1)
            # repeated empty cells pad a row to the sheet's width: keep a few for alignment
            cells.extend([value] * min(count, MAX_COLUMNS if value else 16))
        times = int(row.attributes.get(repeat_rows, 1) or 1)
        # "a million empty rows" is one element repeated: never expanded
        for _ in range(min(times, MAX_EMPTY_RUN if any(cells) else 1)):
            yield cells


def read_ods(data: bytes, source: str, kind: str = ".ods") -> Document:
    from odf.opendocument import load
    from odf.table import Table

    check_zip(data, kind)
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableDocument(f"not a valid {kind} ({type(exc).__name__})") from None
    pieces = []
    for number, table in enumerate(document.spreadsheet.getElementsByType(Table), start=1):
        pieces.extend(_sheet_pieces(str(table.getAttribute("name") or f"Sheet {number}"), _ods_rows(table), number))
    title, date, authors = odf_metadata(document)
    return _document(source, pieces, title, date, authors, kind)


def odf_metadata(document) -> tuple[str | None, str | None, str | None]:
    """(title, date, authors) from an OpenDocument's meta.xml."""
    from odf import dc, meta
    from odf.teletype import extractText

    def first(kind) -> str | None:
        found = document.meta.getElementsByType(kind)
        value = extractText(found[0]).strip() if found else ""
        return value or None

    date = first(meta.CreationDate) or first(dc.Date)
    return first(dc.Title), date[:10] if date else None, first(meta.InitialCreator) or first(dc.Creator)


_DELIMITERS = ",;\t|"


def _dialect(sample: str, delimiters: str = _DELIMITERS) -> type[csv.Dialect]:
    """The CSV dialect of `sample`, its delimiter the one that cuts most lines into the same
    number of cells (two or more). The standard sniffer counts characters line by line: decimal
    commas ("1 250,00") in a ";"-separated file (what Excel writes in French, German, Spanish...)
    above title lines of one cell made it choose ",", cutting every amount in two."""
    lines = sample.splitlines()[:200]
    if len(sample) == 20000 and len(lines) > 1:
        lines = lines[:-1]  # cut by the sample's end
    best, best_score = delimiters[0], (0, 0)
    for delimiter in delimiters:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in row)]
        except csv.Error:
            continue
        widths = [n for n in counts if n >= 2]
        if not widths:
            continue
        mode = max(set(widths), key=lambda n: (widths.count(n), n))
        score = (widths.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=best)  # its quoting, with our delimiter
    except csv.Error:
        sniffed = csv.excel
    return type("Sniffed", (sniffed,), {"delimiter": best})


def read_csv(data: bytes, source: str, kind: str = ".csv") -> Document:
    """A .csv, its delimiter guessed; a .tsv (`kind`), cells apart at tabs."""
    text = decode_text(data)
    if "\x00" in text[:10000]:
        raise UnreadableDocument(f"binary content, not {'CSV' if kind == '.csv' else 'TSV'}")
    dialect = _dialect(text[:20000], "\t" if kind == ".tsv" else _DELIMITERS)
    try:
        rows = csv.reader(io.StringIO(text, newline=""), dialect)
        pieces = _sheet_pieces(source.rsplit("/", 1)[-1], rows, 1)
    except csv.Error as exc:
        raise UnreadableDocument(f"malformed CSV ({exc})") from None
    return _document(source, pieces, None, None, None, kind)
