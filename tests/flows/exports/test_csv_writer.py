"""The CSV writer next to ``write_book`` (issue 13): Excel in a Russian locale reads it as it is meant, and a
cell never becomes a formula (CSV injection)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.spreadsheets import Column, Table, csv_cell, write_csv


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+79161234567", "'+79161234567"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tтаб", "'\tтаб"),
        ("\rвозврат", "'\rвозврат"),
        ("Иванов", "Иванов"),
        ("a=b", "a=b"),
        (None, ""),
        (-5, "-5"),
        (Decimal("1500.50"), "1500,50"),
        (2.5, "2,5"),
        (date(2026, 3, 1), "01.03.2026"),
        (datetime(2026, 3, 1, 9, 5), "01.03.2026 09:05"),
    ],
)
def test_a_cell_as_csv_text(value: object, text: str) -> None:
    assert csv_cell(value) == text  # type: ignore[arg-type]


def test_write_csv_is_utf8_with_a_bom_and_semicolons() -> None:
    table = Table("t", [Column("Имя"), Column("Сумма")], [("Пётр; «Ромашка»", Decimal("10.5")), ("=1+1", 3)])
    data = write_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'Имя;Сумма\r\n"Пётр; «Ромашка»";10,5\r\n\'=1+1;3\r\n'


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        write_csv(Table("t", [Column("a")], [("x", "y")]))
