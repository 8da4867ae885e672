"""Spreadsheets (.xlsx, .xls, .ods, .csv): a sheet is a page; rows go with their header row."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from ..records import Document
from . import number_formats
from .archive import check_zip
from .office import LIBRARY_AUTHORS
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
        values = [clean_cell(v) for _, v in zip(range(MAX_COLUMNS), row)]
        while values and not values[-1]:
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
    pieces = table_pieces(list(_bounded_rows(rows)))
    if not pieces:
        return []
    return [(name, page, True)] + [(piece, page, False) for piece in pieces]


def read_xlsx(data: bytes, source: str) -> Document:
    from openpyxl import load_workbook

    check_zip(data, ".xlsx")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, lxml errors...
        raise UnreadableDocument(f"not a valid .xlsx ({type(exc).__name__})") from None
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
    return _document(source, pieces, title, when.date().isoformat() if when else None, authors, ".xlsx")


def _xlsx_rows(sheet) -> Iterator[list[object]]:
    """A sheet's rows of values, a number as its cell shows it (`qa.readers.number_formats`):
    percentages, currencies, no float noise; a formula's value the one the file cached."""
    for row in sheet.iter_rows():
        values: list[object] = []
        for cell in row[:MAX_COLUMNS]:
            value = getattr(cell, "value", None)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = number_formats.shown(value, getattr(cell, "number_format", None))
            values.append(value)
        yield values


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
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
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


def _xls_rows(book, sheet) -> Iterator[list[object]]:
    import xlrd

    for r in range(sheet.nrows):
        row: list[object] = []
        for cell in sheet.row_slice(r, 0, min(sheet.ncols, MAX_COLUMNS)):
            value = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:  # a date is a number of days with a date format
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
            count = int(cell.attributes.get(repeat_cols, 1) or 1)
            # repeated empty cells pad a row to the sheet's width: keep a few for alignment
            cells.extend([value] * min(count, MAX_COLUMNS if value else 16))
        times = int(row.attributes.get(repeat_rows, 1) or 1)
        # "a million empty rows" is one element repeated: never expanded
        for _ in range(min(times, MAX_EMPTY_RUN if any(cells) else 1)):
            yield cells


def read_ods(data: bytes, source: str) -> Document:
    from odf.opendocument import load
    from odf.table import Table

    check_zip(data, ".ods")
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableDocument(f"not a valid .ods ({type(exc).__name__})") from None
    pieces = []
    for number, table in enumerate(document.spreadsheet.getElementsByType(Table), start=1):
        pieces.extend(_sheet_pieces(str(table.getAttribute("name") or f"Sheet {number}"), _ods_rows(table), number))
    title, date, authors = odf_metadata(document)
    return _document(source, pieces, title, date, authors, ".ods")


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


def read_csv(data: bytes, source: str) -> Document:
    text = decode_text(data)
    if "\x00" in text[:10000]:
        raise UnreadableDocument("binary content, not CSV")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = csv.reader(io.StringIO(text, newline=""), dialect)
        pieces = _sheet_pieces(source.rsplit("/", 1)[-1], rows, 1)
    except csv.Error as exc:
        raise UnreadableDocument(f"malformed CSV ({exc})") from None
    return _document(source, pieces, None, None, None, ".csv")
