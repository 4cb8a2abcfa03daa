"""The file an import sends back (issue 13): the original columns and «Результат» for every row, in the
source's format, with the reasons from the catalogs in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.import_report import report_file
from bot.settings import Settings
from bot.spreadsheets import csv_cell
from db.repo.import_runs import run
from db.repo.imports import preview
from tests.factories import make_contact, make_user
from tests.flows.imports.helpers import HEADERS, actor_of, new_job, row

Maker = async_sessionmaker[AsyncSession]


async def finished_job(sessionmaker: Maker, settings: Settings, source: str) -> tuple[int, int]:
    user_id = await make_user(sessionmaker, 710_001, role="team_lead")
    saved = await make_contact(
        sessionmaker,
        user_id,
        name="Орлов Олег",
        phone="+79140000000",
        birth=date(1966, 6, 6),
        email="o@mail.ru",
    )
    rows = [
        row("Иванов Иван", "+7 912 345-67-89", email="ivanov@mail.ru"),  # 1: created
        row("Орлов Олег", "+7 914 000-00-00", "01.01.1970", "orlov@mail.ru"),  # 2: duplicate of a contact
        row("Петров Пётр", "+7 495 123-45-67", email="p@mail.ru"),  # 3: landline
        row("Иванов Иван", "+7 912 345-67-89", "02.02.1972", "=cmd|calc@mail.ru"),  # 4: duplicate of row 1
    ]
    who = await actor_of(sessionmaker, user_id)
    job_id = await new_job(sessionmaker, who, rows, source=source)
    async with sessionmaker() as session:
        await preview(session, job_id, settings=settings, actor=who)
    await run(sessionmaker, job_id, settings=settings)
    return job_id, saved


def expected(saved: int) -> list[str]:
    return [
        "создан",
        f"дубликат: ФИО + телефон (контакт №{saved})",
        "ошибка: Это не мобильный номер. Телефон контакта должен быть мобильным, например +7 912 345-67-89.",
        "дубликат: ФИО + телефон (строка 1)",
    ]


async def test_xlsx_report_adds_the_result_column(sessionmaker: Maker, settings: Settings) -> None:
    """R4a/R5: each row's verdict, with the pair and the row or contact, or the form's reason."""
    job_id, saved = await finished_job(sessionmaker, settings, "xlsx")
    async with sessionmaker() as session:
        data, name = await report_file(session, job_id, TranslatorHub().get("ru"))
    assert name == "base-result.xlsx"
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0] == [*HEADERS, "Результат"]
    assert [line[-1] for line in values[1:]] == expected(saved)
    assert values[4][3] == "=cmd|calc@mail.ru"  # kept as text
    assert sheet.cell(row=5, column=4).data_type == "s"


async def test_csv_report_adds_the_result_column_in_english(sessionmaker: Maker, settings: Settings) -> None:
    job_id, saved = await finished_job(sessionmaker, settings, "csv")
    async with sessionmaker() as session:
        data, name = await report_file(session, job_id, TranslatorHub().get("en"))
    assert name == "base-result.csv"
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-1] == "Result"
    assert lines[1][-1] == "created"
    assert lines[2][-1] == f"duplicate: full name + phone (contact #{saved})"
    assert lines[3][-1].startswith("error: ")
    assert lines[4][-1] == "duplicate: full name + phone (row 1)"
    assert lines[4][3] == "'=cmd|calc@mail.ru"  # CSV injection defused


async def test_csv_report_in_russian(sessionmaker: Maker, settings: Settings) -> None:
    job_id, saved = await finished_job(sessionmaker, settings, "csv")
    async with sessionmaker() as session:
        data, _ = await report_file(session, job_id, TranslatorHub().get("ru"))
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [line[-1] for line in lines[1:]] == expected(saved)


@pytest.mark.parametrize("text", ["=1+1", "+7", "-2", "@SUM(A1)", "\tx"])
def test_formula_looking_cells_are_defused(text: str) -> None:
    assert csv_cell(text) == "'" + text
    assert csv_cell("Иванов") == "Иванов"
