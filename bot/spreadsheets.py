"""Spreadsheets out of the bot: the data behind a report («📥 Excel») and the lists' exports («📤 Экспорт»).

An XLSX is written in openpyxl's write-only mode, a row at a time, so that a large sheet is never held in
memory whole. Cells are typed (numbers stay numbers, days are dates), the header row is frozen and carries an
autofilter. A text that looks like a formula (``=``, ``+``, ``-``, ``@``) is stored as text, never as a
formula, so that a contact named ``=HYPERLINK(...)`` cannot run anything in the reader's spreadsheet; control
characters that XLSX cannot hold are dropped.

A CSV is written for Excel in a Russian locale: UTF-8 with a BOM, ``;`` between cells, days as «DD.MM.YYYY»
and a decimal comma. A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe (CSV injection). An export streams into a file on disk through :class:`XlsxStream` or
:class:`CsvStream`, a batch of rows at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Cell = str | int | float | Decimal | date | datetime | None

#: Excel's own limit on the length of a cell's text.
CELL_MAX = 32_767
#: Number formats by kind of column.
MONEY = "#,##0.00"
PERCENT = "0.0%"
DAY = "DD.MM.YYYY"
MOMENT = "DD.MM.YYYY HH:MM"
#: A text cell starting with one of these is read as a formula by a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column's header, width (in characters) and number format."""

    title: str
    width: int = 16
    number_format: str | None = None


def safe_text(value: str) -> str:
    """Text as it may stand in a cell: no control characters, at most Excel's length."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_MAX]


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook: its title, columns and rows (``rows`` may be a generator)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]]


def write_xlsx(sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A workbook of one sheet (see :func:`write_book`)."""
    return write_book([Table(sheet_title, columns, rows)])


def write_book(tables: Sequence[Table]) -> bytes:
    """One sheet per table: a bold, frozen header with an autofilter over every row written, then the rows.

    Each row is written and dropped before the next is read. A moment is written as given: pass it on the
    reader's clock, without a time zone (XLSX has none).
    """
    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        title = safe_text(table.title)[:31] or "Sheet"
        while title in used:  # sheet names are unique in a workbook
            title = title[:28] + f" {len(used) + 1}"
        used.add(title)
        _write_sheet(book, title, table.columns, table.rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open_sheet(book: Workbook, title: str, columns: Sequence[Column]) -> Any:
    """A new sheet (a ``WriteOnlyWorksheet``) with its column widths and its bold header row, frozen."""
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=safe_text(column.title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet


def _write_sheet(
    book: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]
) -> None:
    sheet = _open_sheet(book, title, columns)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _cell(sheet: WriteOnlyWorksheet, value: Cell, column: Column) -> SheetCell | Cell:
    """A cell to append. A plain value where openpyxl already types it right (text that cannot be read as a
    formula or an error code, a number with no format, nothing): a large export is much faster so."""
    if isinstance(value, str):
        text = safe_text(value)
        if not text.startswith(("=", "#")):
            return text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if value is None or (column.number_format is None and isinstance(value, int | float | Decimal)):
        return value
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # the stubs omit int, Decimal, date
    if column.number_format is not None and value is not None:
        cell.number_format = column.number_format
    return cell


# ---------------------------------------------------------------------------------------------------------
# Streams into a file: an export writes a batch of rows at a time
# ---------------------------------------------------------------------------------------------------------


class TableStream(Protocol):
    """A table written into a file row by row; ``close`` finishes the file."""

    def append(self, row: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class XlsxStream:
    """One sheet in write-only mode, saved into the binary file ``out`` on ``close``: rows are flushed to
    openpyxl's temporary file as they come, never all held in memory."""

    def __init__(self, out: BinaryIO, title: str, columns: Sequence[Column]) -> None:
        self._out, self._columns = out, columns
        self._book = Workbook(write_only=True)
        self._sheet = _open_sheet(self._book, safe_text(title)[:31] or "Sheet", columns)
        self.count = 0

    def append(self, row: Sequence[Cell]) -> None:
        self._sheet.append([_cell(self._sheet, v, c) for v, c in zip(row, self._columns, strict=True)])
        self.count += 1

    def close(self) -> None:
        self._sheet.auto_filter.ref = f"A1:{get_column_letter(len(self._columns))}{self.count + 1}"
        self._book.save(self._out)  # a zip file may be an open file


def csv_cell(value: Cell) -> str:
    """A cell as CSV text for Excel in a Russian locale; a formula-looking text gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class CsvStream:
    """A CSV (UTF-8 with a BOM, ``;``) written to an open binary file a row at a time."""

    def __init__(self, out: BinaryIO, columns: Sequence[Column]) -> None:
        self._out = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        self._writer = csv.writer(self._out, delimiter=";", lineterminator="\r\n")
        self._writer.writerow([csv_cell(column.title) for column in columns])
        self._width = len(columns)
        self.count = 0

    def append(self, row: Sequence[Cell]) -> None:
        if len(row) != self._width:
            raise ValueError("a row's length differs from the header's")
        self._writer.writerow([csv_cell(value) for value in row])
        self.count += 1

    def close(self) -> None:
        self._out.flush()
        self._out.detach()  # the caller owns the file


def write_csv(table: Table) -> bytes:
    """A small table as CSV bytes (see :class:`CsvStream`)."""
    out = io.BytesIO()
    stream = CsvStream(out, table.columns)
    for row in table.rows:
        stream.append(row)
    stream.close()
    return out.getvalue()
