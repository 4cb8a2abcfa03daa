"""The XLSX behind a report: typed cells, a frozen header with an autofilter, and text that looks like a
formula kept as text (a contact named «=HYPERLINK(...)» must not run in the reader's spreadsheet)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from bot.spreadsheets import DAY, MONEY, Column, write_xlsx


def test_typed_cells_frozen_header_and_filter() -> None:
    columns = [Column("Сделка"), Column("Сумма", number_format=MONEY), Column("Закрыта", number_format=DAY)]
    rows = ([f"#{n}", Decimal("1500.50") * n, date(2026, 11, n)] for n in range(1, 4))
    book = load_workbook(io.BytesIO(write_xlsx("Воронка", columns, rows)))
    sheet = book["Воронка"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert [cell.value for cell in sheet[1]] == ["Сделка", "Сумма", "Закрыта"]
    assert sheet["B3"].value == 3001 and sheet["B3"].number_format == MONEY
    assert sheet["C4"].value == datetime(2026, 11, 3)
    assert sheet["C4"].number_format == DAY


def test_formula_looking_text_stays_text_and_control_characters_go() -> None:
    rows = [['=HYPERLINK("http://x")'], ["+7 912 345-67-89"], ["@SUM(A1)"], ["bell\x07ring"]]
    sheet = load_workbook(io.BytesIO(write_xlsx("x", [Column("Имя")], rows)))["x"]
    values = [sheet.cell(row=n, column=1) for n in range(2, 6)]
    assert [cell.data_type for cell in values] == ["s", "s", "s", "s"]
    assert values[0].value == '=HYPERLINK("http://x")'
    assert values[3].value == "bellring"
