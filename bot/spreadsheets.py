"""Spreadsheets out of the bot: the data behind a report («📥 Excel») and the lists' exports («📤 Экспорт»).

An XLSX is written by XlsxWriter in its ``constant_memory`` mode, a row at a time, so that a large sheet is
never held in memory whole (it writes a large export about three times faster than openpyxl's write-only
mode). Cells are typed (numbers stay numbers, days are dates), the header row is frozen and carries an
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

import xlsxwriter  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
    out = io.BytesIO()
    book = _workbook(out)
    used: set[str] = set()
    for table in tables:
        title = _title(table.title)
        while title.lower() in used:  # sheet names are unique in a workbook, whatever their case
            title = title[:28] + f" {len(used) + 1}"
        used.add(title.lower())
        sheet = _Sheet(book, title, table.columns)
        for row in table.rows:
            sheet.append(row)
        sheet.finish()
    book.close()
    return out.getvalue()


def _title(text: str) -> str:
    """A sheet's name: no characters Excel forbids in one, at most 31 of them."""
    return safe_text(text).translate(_TITLE_FORBIDDEN)[:31].strip("'") or "Sheet"


_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _workbook(out: BinaryIO) -> Any:
    """An XlsxWriter workbook writing into ``out`` on ``close``. ``constant_memory``: each row goes to a
    temporary file as it is written (rows in order), so a large sheet is never held in memory. No text is ever
    turned into a formula, a number or a link: every text is written by ``write_string``."""
    return xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )


class _Sheet:
    """One sheet being written: the bold header row frozen, each column's width and number format, then the
    rows a cell at a time, each by the writer of its type."""

    def __init__(self, book: Any, title: str, columns: Sequence[Column]) -> None:
        self._sheet = sheet = book.add_worksheet(title)
        self._width = len(columns)
        formats: dict[str, Any] = {}

        def format_of(number_format: str | None) -> Any:
            if number_format is None:
                return None
            if number_format not in formats:
                formats[number_format] = book.add_format({"num_format": number_format})
            return formats[number_format]

        self._formats = [format_of(column.number_format) for column in columns]
        self._day, self._moment = format_of(DAY), format_of(MOMENT)
        sheet.freeze_panes(1, 0)
        bold = book.add_format({"bold": True})
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, safe_text(column.title), bold)
        self.count = 0

    def append(self, row: Sequence[Cell]) -> None:
        if len(row) != self._width:
            raise ValueError("a row's length differs from the header's")
        self.count += 1
        number, sheet = self.count, self._sheet
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    sheet.write_string(number, index, safe_text(value))
            elif isinstance(value, bool):
                sheet.write_boolean(number, index, value, self._formats[index])
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(number, index, value, self._formats[index])
            else:  # a day or a moment: a date cell, in the column's format or the usual one
                fallback = self._moment if isinstance(value, datetime) else self._day
                sheet.write_datetime(number, index, value, self._formats[index] or fallback)

    def finish(self) -> None:
        """The autofilter over the header and every row written."""
        self._sheet.autofilter(0, 0, self.count, self._width - 1)


# ---------------------------------------------------------------------------------------------------------
# Streams into a file: an export writes a batch of rows at a time
# ---------------------------------------------------------------------------------------------------------


class TableStream(Protocol):
    """A table written into a file row by row; ``close`` finishes the file."""

    def append(self, row: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class XlsxStream:
    """One sheet written into the binary file ``out``, finished on ``close``: rows go to XlsxWriter's
    temporary file as they come (``constant_memory``), never all held in memory."""

    def __init__(self, out: BinaryIO, title: str, columns: Sequence[Column]) -> None:
        self._book = _workbook(out)
        self._sheet = _Sheet(self._book, _title(title), columns)

    @property
    def count(self) -> int:
        return self._sheet.count

    def append(self, row: Sequence[Cell]) -> None:
        self._sheet.append(row)

    def close(self) -> None:
        self._sheet.finish()
        self._book.close()


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
