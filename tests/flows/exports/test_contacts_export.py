"""«📤 Экспорт» under /contacts (issue 13): the contacts the user may see (R1c), as XLSX with typed cells, a
frozen header and an autofilter, or as CSV for Excel; a formula-looking text is never a formula."""

from __future__ import annotations

from datetime import date, datetime

from aiogram.methods import SendDocument
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Contact
from tests.factories import make_contact, make_lead, make_user
from tests.flows.exports.helpers import Files, column, csv_rows, export, sheet_of, xlsx_rows
from tests.harness import Harness, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
FORMULA = '=HYPERLINK("http://evil","x")'


async def _world(sessionmaker: Sessionmaker) -> dict[str, int]:
    """North: Иван (manager, two contacts, one with a formula for a position), his teammate Анна (one
    contact), their lead; South: Юрий (one contact, and one shared with Иван through Иван's lead)."""
    ivan = await make_user(sessionmaker, 530_001, full_name="Иван Петров")
    anna = await make_user(sessionmaker, 530_002, full_name="Анна Сидорова")
    await make_user(sessionmaker, 530_003, role="team_lead", full_name="Ирина Иванова")
    yuri = await make_user(sessionmaker, 530_004, team="Продажи Юг", full_name="Юрий Южный")
    abramov = await make_contact(
        sessionmaker, ivan, name="Абрамов Пётр", phone="+79161234567", birth=date(1980, 5, 17),
        email="abramov@mail.ru",
    )  # fmt: skip
    await make_contact(
        sessionmaker, ivan, name="Борисов Олег", phone="+79161234568", birth=date(1981, 6, 1),
        email="borisov@mail.ru",
    )  # fmt: skip
    await make_contact(
        sessionmaker, anna, name="Соседов Ян", phone="+79161234569", birth=date(1982, 7, 2), email="s@mail.ru"
    )
    await make_contact(
        sessionmaker, yuri, name="Южанин Лев", phone="+79161234570", birth=date(1983, 8, 3), email="u@mail.ru"
    )
    shared = await make_contact(
        sessionmaker, yuri, name="Общий Ким", phone="+79161234571", birth=date(1984, 9, 4), email="o@mail.ru"
    )
    await make_lead(sessionmaker, shared, ivan)
    async with writing(sessionmaker) as session:
        await session.execute(update(Contact).where(Contact.id == abramov).values(position=FORMULA))
    return {"ivan": ivan, "abramov": abramov}


async def test_the_contacts_export_as_xlsx_holds_typed_cells_a_frozen_header_and_an_autofilter(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """R1c: Иван's file holds his own contacts and the one his lead makes visible, nobody else's; the header
    is frozen and filtered; the birth date is a date, the creation moment a moment on his clock; a position
    that looks like a formula stays text."""
    ids = await _world(sessionmaker)
    manager = harness.user(530_001)
    await manager.send("/contacts")
    assert tp("export-btn") in manager.buttons()
    name, data = await export(manager, sent_files, "xlsx")
    assert name.startswith("contacts-") and name.endswith(".xlsx")
    [document] = harness.calls(SendDocument)
    assert document.caption == t("export-done", count=3)
    rows = xlsx_rows(data)
    assert rows[0][:4] == [tp("export-col-id"), tp("export-col-surname"), tp("export-col-given_name"),
                           tp("export-col-patronymic")]  # fmt: skip
    assert column(rows, "surname") == ["Абрамов", "Борисов", "Общий"]
    assert column(rows, "id")[0] == ids["abramov"]
    assert column(rows, "phone")[0] == "+79161234567"  # E.164, ready for another system
    assert column(rows, "birth_date")[0] == datetime(1980, 5, 17)
    assert column(rows, "email")[0] == "abramov@mail.ru"
    assert column(rows, "responsible") == ["Иван Петров", "Иван Петров", "Юрий Южный"]
    created = column(rows, "created")[0]
    assert isinstance(created, datetime) and created.tzinfo is None
    sheet = sheet_of(data)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(rows)}"
    formula = sheet.cell(row=2, column=rows[0].index(tp("export-col-position")) + 1)
    assert formula.value == FORMULA and formula.data_type == "s"
    assert (
        sheet.cell(row=2, column=rows[0].index(tp("export-col-birth_date")) + 1).number_format == "DD.MM.YYYY"
    )


async def test_the_contacts_export_as_csv_is_for_excel_and_defuses_formulas(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """CSV: UTF-8 with a BOM, «;», days as DD.MM.YYYY; a formula-looking cell gets a leading apostrophe."""
    await _world(sessionmaker)
    manager = harness.user(530_001)
    await manager.send("/contacts")
    name, data = await export(manager, sent_files, "csv")
    assert name.endswith(".csv")
    rows = csv_rows(data)
    assert len(rows) == 4 and rows[0][1] == tp("export-col-surname")
    assert column(rows, "position")[0] == "'" + FORMULA
    assert column(rows, "birth_date")[0] == "17.05.1980"
    assert column(rows, "id")[0].isdigit()


async def test_a_team_lead_exports_the_team_and_never_another_team(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """R1c: the team lead's file holds the team's contacts (and the shared one through Иван's lead), never
    the South's own contact; the admin's holds all five."""
    await _world(sessionmaker)
    lead = harness.user(530_003)
    await lead.send("/contacts")
    _, data = await export(lead, sent_files)
    assert column(xlsx_rows(data), "surname") == ["Абрамов", "Борисов", "Соседов", "Общий"]
    south = harness.user(530_004)
    await south.send("/contacts")
    _, data = await export(south, sent_files)
    assert column(xlsx_rows(data), "surname") == ["Южанин", "Общий"]


async def test_the_format_is_asked_and_cancel_sends_nothing(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    await _world(sessionmaker)
    manager = harness.user(530_001)
    await manager.send("/contacts")
    replies = await manager.click(tp("export-btn"))
    assert replies[-1] == t("export-ask-format")
    assert manager.buttons() == [tp("export-btn-xlsx"), tp("export-btn-csv"), tp("btn-cancel")]
    await manager.click(tp("btn-cancel"))
    assert sent_files == [] and harness.calls(SendDocument) == []
    assert tp("export-btn") in manager.buttons()  # back on the list
