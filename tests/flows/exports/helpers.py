"""Pressing «📤 Экспорт», choosing the format, and reading the file the bot sent."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.harness import TgUser, tp

Files = list[tuple[str, bytes]]


async def export(user: TgUser, files: Files, fmt: str = "xlsx") -> tuple[str, bytes]:
    """From a list on screen: «📤 Экспорт», then the format; the file sent."""
    before = len(files)
    await user.click(tp("export-btn"))
    await user.click(tp(f"export-btn-{fmt}"))
    assert len(files) == before + 1, "no file was sent"
    return files[-1]


def sheet_of(data: bytes) -> Worksheet:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


def xlsx_rows(data: bytes) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet_of(data).iter_rows()]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def column(rows: list[list[Any]], key: str) -> list[Any]:
    """The values under the header of ``export-col-<key>``."""
    index = rows[0].index(tp(f"export-col-{key}"))
    return [row[index] for row in rows[1:]]
