"""«📏 Дисциплина» (seed 003, R1–R4): per manager the deals incorrect now (R2f), the deals that went inactive
in the period (R2h), the comments refused as not expanded (R3) and the duplicate contacts refused (R5) in the
period, and the open leads with no interaction for more than STALE_LEAD_DAYS; each list opens its cards, and
a list's user is authorised again against the scope (R1c)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.settings import Settings
from db.engine import writing
from db.models import Lead, RuleRefusal, User
from domain.access import Actor, Role
from domain.dates import add_months
from domain.errors import NotAllowed
from domain.periods import PeriodKind, period_of
from domain.report_scope import Scope, ScopeKind
from handlers.reports.registry import DRILLS, ReportQuery
from tests.factories import make_contact, make_deal, make_lead, make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD, convertible_lead, insert_deal
from tests.flows.interactions.helpers import REACHED, pick
from tests.harness import Harness, TgUser, first_line, t, tp

STRANGER_LEAD = 504
MOSCOW = ZoneInfo("Europe/Moscow")


class World:
    manager_id: int
    mate_id: int
    stranger_id: int
    incorrect_deal: int
    inactive_deal: int
    stale_lead: int
    fresh_lead: int


async def _aged(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int, days: int) -> None:
    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = datetime.now(UTC) - timedelta(days=days)


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> World:
    """Иван Петров: an incorrect deal (no product lines), a deal whose R2h deadline passed at midnight today,
    one that went inactive months ago, an active one; a lead 10 days old with no interaction, one 3 days
    old. Сидорова Анна (same team): one incorrect deal. «Юг Лид» leads another team."""
    world = World()
    active = await convertible_lead(sessionmaker, full_name="Иван Петров")
    world.manager_id = active.manager_id
    await insert_deal(sessionmaker, active)  # correct, last qualifying now: active
    yesterday = datetime.now(MOSCOW).date() - timedelta(days=1)
    basis = datetime.combine(add_months(yesterday, -2), time(12), MOSCOW).astimezone(UTC)
    went = await convertible_lead(sessionmaker, other_contact=True)
    world.inactive_deal = await insert_deal(sessionmaker, went, last_qualifying_at=basis)
    long_ago = await convertible_lead(
        sessionmaker,
        contact_id=await make_contact(
            sessionmaker, world.manager_id, name="Кузнецов Олег", phone="+79031112233", email="kuz@yandex.ru"
        ),
    )
    await insert_deal(sessionmaker, long_ago, last_qualifying_at=datetime.now(UTC) - timedelta(days=160))
    contact = await make_contact(
        sessionmaker, world.manager_id, name="Орлова Вера", phone="+79045556677", email="orlova@yandex.ru"
    )
    world.incorrect_deal = await make_deal(
        sessionmaker, await make_lead(sessionmaker, contact, world.manager_id), world.manager_id
    )
    world.stale_lead = await make_lead(sessionmaker, contact, world.manager_id)
    await _aged(sessionmaker, world.stale_lead, 10)
    world.fresh_lead = await make_lead(sessionmaker, contact, world.manager_id)
    await _aged(sessionmaker, world.fresh_lead, 3)
    world.mate_id = await make_user(sessionmaker, OTHER, full_name="Сидорова Анна")
    mate_contact = await make_contact(
        sessionmaker, world.mate_id, name="Зайцев Юрий", phone="+79058887766", email="zaytsev@yandex.ru"
    )
    await make_deal(sessionmaker, await make_lead(sessionmaker, mate_contact, world.mate_id), world.mate_id)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Ирина Иванова")
    world.stranger_id = await make_user(
        sessionmaker, STRANGER_LEAD, role="team_lead", team="Продажи Юг", full_name="Юг Лид"
    )
    return world


async def _refusals(harness: Harness, world: World) -> TgUser:
    """The manager walks the real forms: /log with a too-short and a shorthand comment (R3, twice), and a new
    contact that duplicates one of theirs by name and phone (R5, once)."""
    manager = harness.user(MANAGER)
    await manager.send("/log")
    await pick(manager, world.fresh_lead)
    await manager.click(REACHED)
    assert t("err-comment-too-short", min_words=3, words=1) in (await manager.send("цена"))[-1]
    assert first_line("interaction-ask-discussed") in (await manager.send("НД"))[-1]
    await _leaving(manager, "/new_contact")
    await manager.send("Орлова Вера")
    replies = await manager.send("+7 904 555-66-77")
    assert tp("contact-btn-fix") in manager.buttons(), replies
    return manager


async def _leaving(user: TgUser, command: str) -> None:
    """Send ``command``; a form left open asks first, and the user leaves it without saving."""
    await user.send(command)
    if tp("leave-form-leave") in user.buttons():
        await user.click(tp("leave-form-leave"))


async def _discipline_this_month(user: TgUser) -> list[str]:
    await _leaving(user, "/report")
    await user.click(tp("report-name-discipline"))
    return await user.click(tp("report-period-month"))


def _row(name: str, **figures: int) -> str:
    values = {"total": 0, "incorrect": 0, "inactive": 0, "r3": 0, "r5": 0, "stale": 0, "days": 7}
    return t("report-discipline-row", name=name, **{**values, **figures}).strip()


PETROV = _row("Иван Петров", total=6, incorrect=1, inactive=1, r3=2, r5=1, stale=1)
SIDOROVA = _row("Сидорова Анна", total=1, incorrect=1)


async def test_a_manager_walks_r3_and_r5_refusals_and_sees_every_count_and_opens_the_lists(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R3 and R5 refusals by the real forms are counted; R2f, R2h and the stale lead exactly; the lists open
    the deal and lead cards; the teammate's figures are not shown (R1c)."""
    world = await _world(sessionmaker)
    manager = await _refusals(harness, world)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count(RuleRefusal.id))) == 3
    text = (await _discipline_this_month(manager))[-1]
    assert PETROV in text and "Сидорова" not in text
    assert len(harness.calls(SendPhoto)) == 1
    labels = manager.buttons()
    assert not any("Сидорова" in label for label in labels)
    replies = await manager.click(tp("report-discipline-link-incorrect", name="Иван Петров", count=1))
    assert f"№{world.incorrect_deal} Орлова Вера" in manager.buttons()
    replies = await manager.click(f"№{world.incorrect_deal} ")
    assert (
        first_line("deal-card-title", id=str(world.incorrect_deal), status=t("deal-status-open"))
        in replies[-1]
    )

    await _discipline_this_month(manager)
    await manager.click(tp("report-discipline-link-inactive", name="Иван Петров", count=1))
    assert any(label.startswith(f"№{world.inactive_deal} ") for label in manager.buttons())
    await _discipline_this_month(manager)
    await manager.click(tp("report-discipline-link-stale_leads", name="Иван Петров", count=1))
    [lead_label] = [label for label in manager.buttons() if label.startswith("№")]
    assert lead_label.startswith(f"№{world.stale_lead} Орлова Вера")
    replies = await manager.click(lead_label)
    assert "Орлова Вера" in replies[-1] and str(world.stale_lead) in replies[-1]


async def test_a_team_lead_sees_the_team_by_violations_with_the_sheet(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The team's rows, most violations first; the sheet holds every column; another team sees none (R1c)."""
    world = await _world(sessionmaker)
    await _refusals(harness, world)
    lead = harness.user(TEAM_LEAD, first_name="Ирина", last_name="Иванова")
    await _discipline_this_month(lead)
    text = (await lead.click("Продажи Север"))[-1]
    assert PETROV in text and SIDOROVA in text
    assert text.index("Иван Петров") < text.index("Сидорова Анна") < text.index("Ирина Иванова")
    assert tp("report-discipline-link-incorrect", name="Сидорова Анна", count=1) in lead.buttons()
    await lead.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["Иван Петров", 1, 1, 2, 1, 1, 6],
        ["Сидорова Анна", 1, 0, 0, 0, 0, 1],
        ["Ирина Иванова", 0, 0, 0, 0, 0, 0],
    ]

    stranger = harness.user(STRANGER_LEAD, first_name="Юг", last_name="Лид")
    await _discipline_this_month(stranger)
    text = (await stranger.click("Продажи Юг"))[-1]
    assert "Петров" not in text and "Сидорова" not in text
    assert not any("Петров" in label or "Сидорова" in label for label in stranger.buttons())


def _query(session: AsyncSession, settings: Settings, actor: Actor, scope: Scope) -> ReportQuery:
    period = period_of(PeriodKind.MONTH, datetime.now(MOSCOW).date())
    start, end = period.utc_bounds(MOSCOW)
    return ReportQuery(
        session,
        actor,
        scope,
        "—",
        period,
        start,
        end,
        datetime.now(UTC),
        MOSCOW,
        settings,
        TranslatorHub().get("ru"),
    )


@pytest.mark.parametrize("name", ["incorrect", "inactive", "stale_leads"])
async def test_a_forged_drill_user_outside_the_scope_opens_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, name: str
) -> None:
    """R1c: the list's user must be in the (authorised) scope: another team's lead forging our manager's id,
    or a manager forging a teammate's, opens nothing; the same list in the right scope opens."""
    world = await _world(sessionmaker)
    builder = DRILLS[name]
    async with sessionmaker() as session:
        south = await session.get(User, world.stranger_id)
        assert south is not None and south.team_id is not None
        stranger = Actor(world.stranger_id, Role.TEAM_LEAD, south.team_id)
        their_team = Scope(ScopeKind.TEAM, south.team_id)
        with pytest.raises(NotAllowed):
            await builder(_query(session, settings, stranger, their_team), str(world.manager_id))
        me, mine = Actor(world.manager_id, Role.MANAGER, None), Scope(ScopeKind.USER, world.manager_id)
        with pytest.raises(NotAllowed):
            await builder(_query(session, settings, me, mine), str(world.mate_id))
        title, links = await builder(_query(session, settings, me, mine), str(world.manager_id))
        assert "Иван Петров" in title and len(links) == 1
