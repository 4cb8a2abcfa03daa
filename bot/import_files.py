"""Issue 13, import: a file sent to the bot read into a table of text, before any rule (R4, R5) sees it.

:func:`read_table` takes the bytes of a ``.csv`` or a ``.xlsx`` and returns its header row and its rows as
text. It never evaluates anything and never trusts the file:

- the size is checked before anything is decoded, and the rows are counted while they are read, so a file over
  the limits is refused without being held whole as a table;
- a CSV is UTF-8 (with or without a BOM) or cp1251, its delimiter ``,``, ``;`` or a tab;
- an XLSX is a zip: its declared sizes and compression ratios are checked *before* openpyxl opens it (a zip
  bomb is refused), then the first sheet is streamed in read-only mode with formulas kept as their text
  (``data_only=False``) and never computed. openpyxl parses the XML with ``defusedxml`` when it is installed
  (it is a dependency), so entity tricks are refused too. Python's zipfile never inflates a member past its
  declared size, so the checked sizes bound the work;
- a cell that is a formula, or longer than :data:`CELL_MAX` characters, is kept (cut to the limit) and noted
  in :attr:`RawTable.cell_errors`; what that means for the row is the import's decision.

Every refusal is a :class:`~domain.errors.ValidationError` whose key is in ``locales/*/imports.ftl``; its
``reason`` names what went wrong, never a cell's content.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

from domain.errors import ValidationError

#: The longest text a cell may hold; a longer one is cut and noted.
CELL_MAX = 1000
#: An XLSX whose members declare more than this when unpacked is a zip bomb.
UNZIPPED_MAX = 200 * 1024 * 1024
#: ... and so is one member that unpacks to more than this many times its packed size (when it is large).
RATIO_MAX = 100
#: Below this unpacked size a member's ratio does not matter (a tiny XML file may pack very well).
RATIO_FLOOR = 1024 * 1024
#: More members than this is not a workbook anyone exported.
MEMBERS_MAX = 1000
#: Columns read from a sheet; cells further right are ignored (a lone cell at XFD must not cost 16,384).
COLUMNS_MAX = 256
#: How much of a CSV the delimiter is guessed from (and checked for control characters).
SNIFF_CHARS = 32 * 1024
SNIFF_LINES = 20
DELIMITERS = ",;\t"
MEGABYTE = 1024 * 1024

FORMULA = "import-err-cell-formula"
TOO_LONG = "import-err-cell-too-long"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


@dataclass(frozen=True)
class RawTable:
    """A file's first sheet as text: the header row and every non-blank row after it.

    ``rows[i]`` has exactly ``len(headers)`` cells, each stripped. ``cell_errors`` maps ``(i, column)`` to the
    key of what is wrong with that cell. ``row_numbers[i]`` is the row's number in the file as a spreadsheet
    counts it (the header row is 1, or further down when blank rows precede it), for the import's report.
    """

    headers: list[str]
    rows: list[list[str]]
    cell_errors: dict[tuple[int, int], str]
    source: str
    row_numbers: list[int] = field(default_factory=list)


def is_table_file(name: str | None) -> bool:
    """A file name the import takes (a .csv or a .xlsx); its content is checked by :func:`read_table`."""
    return (name or "").lower().endswith((".csv", ".xlsx"))


def read_table(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> RawTable:
    """The table in a ``.csv`` or ``.xlsx`` file, or a :class:`ValidationError` that says why not.

    ``max_rows`` bounds the rows after the header, ``max_bytes`` the file's size (issue 13, «Limits»).
    """
    if len(data) > max_bytes:
        raise ValidationError(
            "import-err-too-large", "file over the size limit", limit=max(1, round(max_bytes / MEGABYTE))
        )
    if not data.strip():
        raise ValidationError("import-err-empty", "empty file")
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC):
        raise ValidationError("import-err-format", "an old binary .xls or another OLE document")
    if extension == ".xlsx":
        if not data.startswith(_ZIP_MAGIC):
            raise ValidationError("import-err-broken", "an .xlsx that is not a zip")
        return _read_xlsx(data, max_rows)
    if extension == ".csv":
        if data.startswith(_ZIP_MAGIC):
            raise ValidationError("import-err-format", "a zip named .csv")
        return _read_csv(data, max_rows)
    raise ValidationError("import-err-format", "neither .csv nor .xlsx")


class _Builder:
    """Collects rows: skips blank ones, takes the first as the header, counts, pads, cuts and notes cells."""

    def __init__(self, source: str, max_rows: int) -> None:
        self.source = source
        self.max_rows = max_rows
        self.headers: list[str] | None = None
        self.rows: list[list[str]] = []
        self.numbers: list[int] = []
        self.errors: dict[tuple[int, int], str] = {}

    def add(self, number: int, cells: list[str]) -> None:
        """One row, ``number`` as a spreadsheet counts it. A text starting with «=» is a formula."""
        if not any(cells):
            return
        if self.headers is None:
            while cells and not cells[-1]:
                cells.pop()  # a trailing delimiter or an empty, formatted cell is not a column
            self.headers = [cell[:CELL_MAX] for cell in cells]
            return
        if len(self.rows) >= self.max_rows:
            raise ValidationError("import-err-too-many-rows", "too many rows", limit=self.max_rows)
        width = len(self.headers)
        if not any(cells[:width]):
            return  # what it holds lies outside every column
        index = len(self.rows)
        row = cells[:width] + [""] * (width - len(cells))
        for column, text in enumerate(row):
            if text.startswith("="):  # a formula first: it is the graver of the two
                self.errors[index, column] = FORMULA
            elif len(text) > CELL_MAX:
                self.errors[index, column] = TOO_LONG
            row[column] = text[:CELL_MAX]
        self.rows.append(row)
        self.numbers.append(number)

    def table(self) -> RawTable:
        if self.headers is None:
            raise ValidationError("import-err-empty", "no header row")
        if not self.rows:
            raise ValidationError("import-err-no-rows", "a header row and nothing under it")
        return RawTable(self.headers, self.rows, self.errors, self.source, self.numbers)


# --- CSV ---------------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 with a BOM, strict UTF-8, else cp1251; anything else is refused."""
    candidates: tuple[str, ...]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("import-err-encoding", "UTF-16 is not supported")
    else:
        candidates = ("utf-8", "cp1251")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.isdisjoint(text[:SNIFF_CHARS]) and "\x00" not in text:
            return text
        break  # control characters mean binary data, whichever way it is read
    raise ValidationError("import-err-encoding", "neither UTF-8 nor cp1251 text")


def guess_delimiter(text: str) -> str:
    """``,``, ``;`` or a tab: csv.Sniffer on the first lines, checked against the header; else counted."""
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])
    counts = _unquoted_counts(sample)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts[sniffed]:
        return sniffed
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _unquoted_counts(sample: str) -> dict[str, int]:
    """How often each delimiter stands outside quotes in the first record (the header)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in sample:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def _read_csv(data: bytes, max_rows: int) -> RawTable:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text), strict=True)
    builder = _Builder("csv", max_rows)
    try:
        for number, record in enumerate(reader, start=1):
            builder.add(number, [cell.strip() for cell in record])
    except csv.Error as error:  # an unclosed quote, or a field over csv's own size limit
        raise ValidationError("import-err-broken", f"csv: {type(error).__name__}") from error
    return builder.table()


# --- XLSX --------------------------------------------------------------------------------------------------


def check_zip(data: bytes) -> None:
    """Refuse a zip bomb by what the archive declares, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError("import-err-broken", f"zip: {type(error).__name__}") from error
    if len(members) > MEMBERS_MAX:
        raise ValidationError("import-err-zip-bomb", "too many zip members")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > RATIO_MAX:
            raise ValidationError("import-err-zip-bomb", "a zip member packed over the ratio limit")
    if total > UNZIPPED_MAX:
        raise ValidationError("import-err-zip-bomb", "zip members over the unpacked size limit")


def _read_xlsx(data: bytes, max_rows: int) -> RawTable:
    check_zip(data)
    builder = _Builder("xlsx", max_rows)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            if book.worksheets:
                _read_sheet(book.worksheets[0], builder)
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a malformed workbook; every one means "broken"
        raise ValidationError("import-err-broken", f"xlsx: {type(error).__name__}") from error
    return builder.table()


def _read_sheet(sheet: Any, builder: _Builder) -> None:
    """The header row first (at most :data:`COLUMNS_MAX` wide), then the rows, each exactly as wide as it.

    The sheet's declared size is ignored (it may be wrong, or claim a million rows), and no row is read wider
    than the header, so a lone cell far to the right costs nothing.
    """
    sheet.reset_dimensions()
    header_number = 0
    first = sheet.iter_rows(max_col=COLUMNS_MAX, values_only=True)
    try:
        for header_number, values in enumerate(first, start=1):
            builder.add(header_number, [_text(value) for value in values])
            if builder.headers is not None:
                break
    finally:
        first.close()  # closes the sheet's XML stream
    if builder.headers is None:
        return
    rows = sheet.iter_rows(min_row=header_number + 1, max_col=len(builder.headers), values_only=True)
    for number, values in enumerate(rows, start=header_number + 1):
        builder.add(number, [_text(value) for value in values])


def _text(value: object) -> str:
    """A cell's value as text: dates as dd.mm.yyyy, whole numbers without «.0», formulas as written («=…»).

    With ``data_only=False`` openpyxl gives a formula as its text with the «=», an array formula as an object
    holding that text; neither is ever computed.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, ArrayFormula):
        return str(value.text or "=").strip()
    return "=" + type(value).__name__  # a data-table formula, or whatever else a formula may become


def number_text(value: float) -> str:
    """A number as a person wrote it: 79123456789.0 is «79123456789», 1.5e-07 is «0.00000015»."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")
