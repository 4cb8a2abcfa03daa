"""Spreadsheets out of the bot: the data behind a report («📥 Excel»), and later the lists' exports.

An XLSX is written in openpyxl's write-only mode, a row at a time, so that a large sheet is never held in
memory whole. Cells are typed (numbers stay numbers, days are dates), the header row is frozen and carries an
autofilter. A text that looks like a formula (``=``, ``+``, ``-``, ``@``) is stored as text, never as a
formula, so that a contact named ``=HYPERLINK(...)`` cannot run anything in the reader's spreadsheet; control
characters that XLSX cannot hold are dropped.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

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


def _write_sheet(
    book: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]
) -> None:
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
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _cell(sheet: WriteOnlyWorksheet, value: Cell, column: Column) -> SheetCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # the stubs omit int, Decimal, date
    if column.number_format is not None and value is not None:
        cell.number_format = column.number_format
    return cell
