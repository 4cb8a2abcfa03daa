"""Issue 13, import: a file sent to the bot read into a table of text, before any rule (R4, R5) sees it.

:func:`open_table` takes the bytes of a ``.csv`` or a ``.xlsx`` and reads its header row; its rows are then
read as a stream (:class:`TableReader`), a batch at a time, so a 100k-row file is never held as Python objects
at once (:func:`scan_table` reads it through once for the column step; :func:`read_table` collects a small
one whole). It never evaluates anything and never trusts the file:

- the size is checked before anything is decoded, and the rows are counted while they are read, so a file over
  the limits is refused without being held whole as a table;
- a CSV is UTF-8 (with or without a BOM) or cp1251, its delimiter ``,``, ``;`` or a tab; its encoding is
  checked over the whole file a piece at a time, and its rows decoded as they are read;
- an XLSX is a zip: its declared sizes and compression ratios are checked *before* openpyxl opens it (a zip
  bomb is refused), then the first sheet is streamed in read-only mode with formulas kept as their text
  (``data_only=False``) and never computed. openpyxl parses the XML with ``defusedxml`` when it is installed
  (it is a dependency), so entity tricks are refused too. Python's zipfile never inflates a member past its
  declared size, so the checked sizes bound the work;
- a cell that is a formula, or longer than :data:`CELL_MAX` characters, is kept (cut to the limit) and noted
  in :attr:`FileRow.errors`; what that means for the row is the import's decision.

Every refusal is a :class:`~domain.errors.ValidationError` whose key is in ``locales/*/imports.ftl``; its
``reason`` names what went wrong, never a cell's content.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
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
#: How much of a CSV is checked for its encoding at a time.
_DECODE_PIECE = 1024 * 1024

FORMULA = "import-err-cell-formula"
TOO_LONG = "import-err-cell-too-long"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


@dataclass(frozen=True)
class FileRow:
    """A non-blank row after the header: its number as a spreadsheet counts it (the header row is 1, or
    further down when blank rows precede it), exactly as many stripped cells as there are headers (cut to
    :data:`CELL_MAX`), and column → the key of what is wrong with that cell (usually nothing)."""

    number: int
    cells: list[str]
    errors: dict[int, str]


@dataclass(frozen=True)
class RawTable:
    """A small file's first sheet as text, all held at once (see :func:`read_table`).

    ``rows[i]`` has exactly ``len(headers)`` cells, each stripped. ``cell_errors`` maps ``(i, column)`` to the
    key of what is wrong with that cell. ``row_numbers[i]`` is the row's number in the file.
    """

    headers: list[str]
    rows: list[list[str]]
    cell_errors: dict[tuple[int, int], str]
    source: str
    row_numbers: list[int] = field(default_factory=list)


class TableReader:
    """A file's first sheet read as a stream: the header row is read when it is opened (:func:`open_table`),
    the rows one at a time by :meth:`rows` or a batch at a time by :meth:`batches`, so that a large file's
    rows are never all held as Python objects at once. Reading them again starts from the top.

    A file over the row limit, or broken further down, raises its ``ValidationError`` while it is read.
    """

    def __init__(self, source: str, headers: list[str], rows: Callable[[], Iterator[FileRow]]) -> None:
        self.source = source
        self.headers = headers
        self._rows = rows

    def rows(self) -> Iterator[FileRow]:
        return self._rows()

    def batches(self, size: int) -> Iterator[list[FileRow]]:
        rows = self.rows()
        while batch := list(islice(rows, size)):
            yield batch


def is_table_file(name: str | None) -> bool:
    """A file name the import takes (a .csv or a .xlsx); its content is checked by :func:`open_table`."""
    return (name or "").lower().endswith((".csv", ".xlsx"))


def open_table(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> TableReader:
    """The ``.csv`` or ``.xlsx`` file opened for reading, its header row read, or a :class:`ValidationError`
    that says why not. ``max_rows`` bounds the rows after the header, ``max_bytes`` the file's size (issue 13,
    «Limits»). Whether any row follows the header is known only once the rows are read (:func:`scan_table`).
    """
    if len(data) > max_bytes:
        raise ValidationError(
            "import-err-too-large", "file over the size limit", limit=max(1, round(max_bytes / MEGABYTE))
        )
    if not data or data.isspace():  # as ``not data.strip()``, without a copy of the file
        raise ValidationError("import-err-empty", "empty file")
    extension = PurePath(filename or "").suffix.lower()
    if data.startswith(_OLE_MAGIC):
        raise ValidationError("import-err-format", "an old binary .xls or another OLE document")
    if extension == ".xlsx":
        if not data.startswith(_ZIP_MAGIC):
            raise ValidationError("import-err-broken", "an .xlsx that is not a zip")
        return _open_xlsx(data, max_rows)
    if extension == ".csv":
        if data.startswith(_ZIP_MAGIC):
            raise ValidationError("import-err-format", "a zip named .csv")
        return _open_csv(data, max_rows)
    raise ValidationError("import-err-format", "neither .csv nor .xlsx")


@dataclass(frozen=True)
class TableSummary:
    """What the column step shows of a file: its headers, the first filled value of each column, and how
    many rows it has; read through once by :func:`scan_table`, without holding its rows."""

    source: str
    headers: list[str]
    samples: list[str]
    rows: int


def scan_table(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> TableSummary:
    """Every row of the file read once and dropped: the whole file is checked (the row limit, a break further
    down, a header with nothing under it), and a :class:`TableSummary` is kept."""
    reader = open_table(data, filename, max_rows=max_rows, max_bytes=max_bytes)
    samples = [""] * len(reader.headers)
    empty = set(range(len(samples)))
    count = 0
    for row in reader.rows():
        count += 1
        for column in [column for column in empty if row.cells[column]]:
            samples[column] = row.cells[column]
            empty.discard(column)
    if not count:
        raise ValidationError("import-err-no-rows", "a header row and nothing under it")
    return TableSummary(reader.source, reader.headers, samples, count)


def read_table(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> RawTable:
    """The whole table of a small file at once (a :class:`TableReader` collected), or a
    :class:`ValidationError` that says why not. The import itself reads a file as a stream."""
    reader = open_table(data, filename, max_rows=max_rows, max_bytes=max_bytes)
    rows, numbers, errors = [], [], {}
    for index, row in enumerate(reader.rows()):
        rows.append(row.cells)
        numbers.append(row.number)
        errors.update({(index, column): key for column, key in row.errors.items()})
    if not rows:
        raise ValidationError("import-err-no-rows", "a header row and nothing under it")
    return RawTable(reader.headers, rows, errors, reader.source, numbers)


class _Rows:
    """Takes a file's rows in order: skips blank ones, takes the first as the header, then counts, pads, cuts
    and notes the cells of the others."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.headers: list[str] | None = None
        self.count = 0

    def header(self, cells: list[str]) -> bool:
        """Whether this row (a blank one is not) was taken as the header."""
        if not any(cells):
            return False
        while cells and not cells[-1]:
            cells.pop()  # a trailing delimiter or an empty, formatted cell is not a column
        self.headers = [cell[:CELL_MAX] for cell in cells]
        return True

    def row(self, number: int, cells: list[str]) -> FileRow | None:
        """One row after the header, ``number`` as a spreadsheet counts it; ``None`` for a blank one. A text
        starting with «=» is a formula."""
        assert self.headers is not None
        if not any(cells):
            return None
        if self.count >= self.max_rows:
            raise ValidationError("import-err-too-many-rows", "too many rows", limit=self.max_rows)
        width = len(self.headers)
        if not any(cells[:width]):
            return None  # what it holds lies outside every column
        self.count += 1
        row = cells[:width] + [""] * (width - len(cells))
        errors: dict[int, str] = {}
        for column, text in enumerate(row):
            if text.startswith("="):  # a formula first: it is the graver of the two
                errors[column] = FORMULA
            elif len(text) > CELL_MAX:
                errors[column] = TOO_LONG
            else:
                continue
            row[column] = text[:CELL_MAX]
        return FileRow(number, row, errors)


# --- CSV ---------------------------------------------------------------------------------------------------


def encoding_of(data: bytes) -> str:
    """A CSV's encoding: UTF-8 with a BOM, strict UTF-8, else cp1251; anything else is refused.

    The whole file is checked a piece at a time, never decoded whole: the rows are decoded as they are read.
    """
    candidates: tuple[str, ...]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("import-err-encoding", "UTF-16 is not supported")
    else:
        candidates = ("utf-8", "cp1251")
    if b"\x00" not in data:
        view = memoryview(data)
        for encoding in candidates:
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                head = decoder.decode(view[:_DECODE_PIECE])
                for start in range(_DECODE_PIECE, len(data), _DECODE_PIECE):
                    decoder.decode(view[start : start + _DECODE_PIECE])
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            if _CONTROL.isdisjoint(head[:SNIFF_CHARS]):
                return encoding
            break  # control characters mean binary data, whichever way it is read
    raise ValidationError("import-err-encoding", "neither UTF-8 nor cp1251 text")


def decode(data: bytes) -> str:
    """The text of a (small) CSV, decoded as :func:`encoding_of` finds it."""
    return data.decode(encoding_of(data))


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


def _csv_records(data: bytes, encoding: str, delimiter: str) -> Generator[tuple[int, list[str]]]:
    """The file's records, numbered from 1, decoded as they are read."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in record]
    except csv.Error as error:  # an unclosed quote, or a field over csv's own size limit
        raise ValidationError("import-err-broken", f"csv: {type(error).__name__}") from error


def _open_csv(data: bytes, max_rows: int) -> TableReader:
    encoding = encoding_of(data)
    head = codecs.getincrementaldecoder(encoding)().decode(data[: SNIFF_CHARS * 4])
    delimiter = guess_delimiter(head)
    header = _Rows(max_rows)
    records = _csv_records(data, encoding, delimiter)
    for _, cells in records:
        if header.header(cells):
            break
    records.close()
    if header.headers is None:
        raise ValidationError("import-err-empty", "no header row")
    headers = header.headers

    def rows() -> Iterator[FileRow]:
        taken = _Rows(max_rows)
        taken.headers = headers
        records = _csv_records(data, encoding, delimiter)
        for _, cells in records:  # up to the header again
            if any(cells):
                break
        for number, cells in records:
            if (row := taken.row(number, cells)) is not None:
                yield row

    return TableReader("csv", headers, rows)


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


@contextmanager
def _workbook(data: bytes) -> Iterator[Any]:
    """The workbook's first sheet in read-only mode (``None`` when it has none); anything openpyxl raises on a
    malformed workbook means "broken"."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            yield book.worksheets[0] if book.worksheets else None
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a malformed workbook; every one means "broken"
        raise ValidationError("import-err-broken", f"xlsx: {type(error).__name__}") from error


def _open_xlsx(data: bytes, max_rows: int) -> TableReader:
    check_zip(data)
    header = _Rows(max_rows)
    with _workbook(data) as sheet:
        header_number = _read_header(sheet, header) if sheet is not None else 0
    if header.headers is None:
        raise ValidationError("import-err-empty", "no header row")
    headers = header.headers

    def rows() -> Iterator[FileRow]:
        taken = _Rows(max_rows)
        taken.headers = headers
        with _workbook(data) as sheet:
            sheet.reset_dimensions()
            values = sheet.iter_rows(min_row=header_number + 1, max_col=len(headers), values_only=True)
            for number, cells in enumerate(values, start=header_number + 1):
                if (row := taken.row(number, [_text(value) for value in cells])) is not None:
                    yield row

    return TableReader("xlsx", headers, rows)


def _read_header(sheet: Any, header: _Rows) -> int:
    """The header row, at most :data:`COLUMNS_MAX` wide: its number. The sheet's declared size is ignored
    (it may be wrong, or claim a million rows), and no row is read wider than the header (:func:`_open_xlsx`),
    so a lone cell far to the right costs nothing.
    """
    sheet.reset_dimensions()
    first = sheet.iter_rows(max_col=COLUMNS_MAX, values_only=True)
    try:
        for number, values in enumerate(first, start=1):
            if header.header([_text(value) for value in values]):
                return number
    finally:
        first.close()  # closes the sheet's XML stream
    return 0


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
