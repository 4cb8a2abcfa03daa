"""«📤 Экспорт» under /clients, /leads and /deals, and ``/export`` for the calls and meetings (issue 13):
only what the user may see (R1c), other people's contacts masked as on screen (R5b), the deals under the
list's filter."""

from __future__ import annotations

from datetime import UTC, date, datetime

from aiogram.methods import SendDocument
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.spreadsheets import MONEY
from domain.values import Email, MobilePhone
from tests.factories import make_client, make_contact, make_interaction, make_lead, make_user
from tests.flows.deals.helpers import MANAGER, OTHER, convertible_lead, insert_deal
from tests.flows.exports.helpers import Files, column, csv_rows, export, sheet_of, xlsx_rows
from tests.harness import Harness, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
SOUTH = 530_104


async def test_a_client_export_masks_a_contact_person_of_another_team_as_the_card_does(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """R5b: the manager's client has his own contact person and one of the South's; the file shows his own
    phone and e-mail, and the South's masked exactly as the card masks them. R1c: the South's own client is
    not in the file."""
    me = await make_user(sessionmaker, 530_101, full_name="Иван Петров")
    south = await make_user(sessionmaker, SOUTH, team="Продажи Юг", full_name="Юрий Южный")
    mine = await make_contact(
        sessionmaker,
        me,
        name="Абрамов Пётр",
        phone="+79161110001",
        birth=date(1980, 1, 1),
        email="ab@mail.ru",
    )
    theirs = await make_contact(
        sessionmaker,
        south,
        name="Южанин Лев",
        phone="+79161110002",
        birth=date(1981, 1, 1),
        email="lev@mail.ru",
    )
    await make_client(sessionmaker, me, "ООО Ромашка", contact_ids=(mine, theirs))
    await make_client(sessionmaker, south, "ООО Южная")
    manager = harness.user(530_101)
    await manager.send("/clients")
    for fmt, read in (("xlsx", xlsx_rows), ("csv", csv_rows)):
        _, data = await export(manager, sent_files, fmt)
        rows = read(data)
        assert column(rows, "name") == ["ООО Ромашка"]
        assert column(rows, "status") == [tp("clients-status-potential")]
        persons = column(rows, "persons")[0]
        assert "Абрамов Пётр, +7 916 111-00-01, ab@mail.ru" in persons
        masked_phone, masked_email = MobilePhone("+79161110002").masked(), Email("lev@mail.ru").masked()
        assert f"Южанин Лев, {masked_phone}, {masked_email}" in persons
        assert "111-00-02" not in persons and "lev@mail.ru" not in persons


async def test_the_leads_export_holds_the_visible_leads_with_their_contacts(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """R1c: the manager's own leads (open and converted), never a colleague's of another team."""
    setup = await convertible_lead(sessionmaker)
    await insert_deal(sessionmaker, setup)
    second = await make_lead(
        sessionmaker, setup.contact_id, setup.manager_id, description="=cmd|' /C calc'!A0"
    )
    south = await make_user(sessionmaker, SOUTH, team="Продажи Юг")
    foreign = await make_contact(
        sessionmaker, south, name="Южанин Лев", phone="+79161110002", email="l@mail.ru"
    )
    await make_lead(sessionmaker, foreign, south)
    manager = harness.user(MANAGER)
    await manager.send("/leads")
    _, data = await export(manager, sent_files)
    rows = xlsx_rows(data)
    assert column(rows, "id") == [setup.lead_id, second]
    assert column(rows, "status") == [tp("lead-status-converted"), tp("lead-status-open")]
    assert column(rows, "contact") == ["Иванов Иван Иванович"] * 2
    assert column(rows, "phone") == ["+79123456789"] * 2
    assert column(rows, "description")[1] == "=cmd|' /C calc'!A0"  # text, never a formula
    _, data = await export(manager, sent_files, "csv")
    assert column(csv_rows(data), "description")[1] == "'=cmd|' /C calc'!A0"


async def test_the_deals_export_follows_the_lists_filter(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """The file holds the deals of the filter on screen: the open ones under «Все открытые», the won ones
    under «Выиграны»; sums are numbers in roubles with the money format, a colleague's deal is absent."""
    setup = await convertible_lead(sessionmaker)
    open_deal = await insert_deal(sessionmaker, setup, amount_minor=15_000_050)
    won_setup = await convertible_lead(sessionmaker, other_contact=True)
    won = await insert_deal(sessionmaker, won_setup, amount_minor=30_000_000, status="won")
    colleague = await make_user(sessionmaker, OTHER, full_name="Анна Сидорова")
    theirs = await make_contact(
        sessionmaker, colleague, name="Соседов Ян", phone="+79161110003", email="y@mail.ru"
    )
    other = await convertible_lead(sessionmaker, telegram_id=OTHER, contact_id=theirs)
    await insert_deal(sessionmaker, other)  # a teammate's: not visible to the manager (R1c)
    manager = harness.user(MANAGER)
    await manager.send("/deals")
    name, data = await export(manager, sent_files)
    assert name.startswith("deals-all-")
    rows = xlsx_rows(data)
    assert column(rows, "id") == [open_deal]
    assert column(rows, "amount") == [150000.5]
    amount = sheet_of(data).cell(row=2, column=rows[0].index(tp("export-col-amount")) + 1)
    assert amount.data_type == "n" and amount.number_format == MONEY
    assert column(rows, "status") == [tp("deal-status-open")]
    await manager.click(tp("deal-filter-won"))
    name, data = await export(manager, sent_files)
    assert name.startswith("deals-won-")
    rows = xlsx_rows(data)
    assert column(rows, "id") == [won] and column(rows, "amount") == [300000]
    assert column(rows, "contact") == ["Смирнова Ольга"]
    _, data = await export(manager, sent_files, "csv")
    assert column(csv_rows(data), "amount") == ["300000"]


async def test_export_command_exports_the_calls_and_meetings_one_may_see(
    harness: Harness, sessionmaker: Sessionmaker, sent_files: Files
) -> None:
    """``/export`` → «📞 Звонки и встречи» → CSV: the calls logged on the manager's leads (R1c), each with its
    moment on the manager's clock, its kind and outcome; another team's calls are absent."""
    setup = await convertible_lead(sessionmaker, occurred_at=datetime(2026, 11, 30, 9, 15, tzinfo=UTC))
    south = await make_user(sessionmaker, SOUTH, team="Продажи Юг")
    foreign = await make_contact(
        sessionmaker, south, name="Южанин Лев", phone="+79161110002", email="l@mail.ru"
    )
    await make_interaction(sessionmaker, south, lead_id=await make_lead(sessionmaker, foreign, south))
    manager = harness.user(MANAGER)
    await manager.send("/export")
    assert [
        tp(f"export-btn-{kind}") for kind in ("contacts", "clients", "leads", "deals", "interactions")
    ] == [b for b in manager.buttons() if b != tp("btn-cancel")]
    await manager.click(tp("export-btn-interactions"))
    await manager.click(tp("export-btn-csv"))
    [(name, data)] = sent_files
    assert name.startswith("interactions-")
    rows = csv_rows(data)
    assert column(rows, "id") == [str(setup.interaction_id)]
    assert column(rows, "occurred") == ["30.11.2026 12:15"]  # Europe/Moscow, the default zone
    assert column(rows, "kind") == [tp("kind-call")] and column(rows, "outcome") == [tp("outcome-reached")]
    assert column(rows, "contact") == ["Иванов Иван Иванович"]
    assert column(rows, "qualifying") == [tp("export-yes")]
    [document] = harness.calls(SendDocument)
    assert document.caption == t("export-done", count=1)
