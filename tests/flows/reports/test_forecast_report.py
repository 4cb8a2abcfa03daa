"""«Прогноз» (issue 12): open deals by expected close month from this month on, weighted by the stage's
probability (the admin's or the default); overdue dates on their own line, undated deals counted apart; a
manager never sees another's deals (R1c)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Stage
from domain.dates import add_months
from handlers.reports.funnel import money
from tests.factories import make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD
from tests.flows.reports.helpers import deal_at, open_report, stage_id
from tests.harness import Harness, t, tp

RUB = 100  # kopecks


def _this_month() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Moscow")).date().replace(day=1)


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> date:
    """The manager's open deals: this month 100 000 ₽ at «Выявление потребности» (10 %) and 200 000 ₽ at
    «Коммерческое предложение» (50 %); next month 50 000 ₽ at «Закрытие сделки» (90 %); in two months
    10 000 ₽ at «Переговоры» with no own probability (the default for the 4th of 6 stages: 58 %); last
    month (overdue) 40 000 ₽ at «Квалификация» (25 %); no date 70 000 ₽. A won deal this month and a
    teammate's 1 000 000 ₽ deal this month are not the manager's forecast."""
    month = _this_month()
    async with writing(sessionmaker) as session:
        negotiation = await session.get(Stage, await stage_id(sessionmaker, "negotiation"))
        assert negotiation is not None
        negotiation.probability = None
    await deal_at(sessionmaker, 0, "identification", amount_minor=100_000 * RUB, expected_close=month)
    await deal_at(
        sessionmaker, 1, "proposal", amount_minor=200_000 * RUB, expected_close=month + timedelta(14)
    )
    await deal_at(sessionmaker, 2, "closing", amount_minor=50_000 * RUB, expected_close=add_months(month, 1))
    await deal_at(
        sessionmaker, 3, "negotiation", amount_minor=10_000 * RUB, expected_close=add_months(month, 2)
    )
    await deal_at(
        sessionmaker, 4, "qualification", amount_minor=40_000 * RUB, expected_close=month - timedelta(1)
    )
    await deal_at(sessionmaker, 5, "identification", amount_minor=70_000 * RUB)
    await deal_at(sessionmaker, 6, "won", amount_minor=999 * RUB, status="won", expected_close=month)
    await deal_at(
        sessionmaker,
        7,
        "identification",
        amount_minor=1_000_000 * RUB,
        expected_close=month,
        telegram_id=OTHER,
    )
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Иванова Ирина")
    return month


def _line(
    month: date | str, deals: int, amount: int, weighted: int, key: str = "report-forecast-month"
) -> str:
    label = month if isinstance(month, str) else f"{month:%m.%Y}"
    return t(key, month=label, deals=deals, amount=money(amount * RUB), weighted=money(weighted * RUB))


async def test_a_manager_gets_the_forecast_by_month_weighted_by_stage(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Every figure exact: counts, sums, weighted sums (own and default probabilities), overdue, undated."""
    month = await _world(sessionmaker)
    manager = harness.user(MANAGER)
    text = (await open_report(manager, "forecast", "last_month"))[-1]
    assert f"{datetime.now(ZoneInfo('Europe/Moscow')):%d.%m.%Y}" in text  # looks forward from today
    assert _line(tp("report-forecast-overdue-label"), 1, 40_000, 10_000, "report-forecast-overdue") in text
    assert _line(month, 2, 300_000, 110_000) in text
    assert _line(add_months(month, 1), 1, 50_000, 45_000) in text
    assert _line(add_months(month, 2), 1, 10_000, 5_800) in text
    assert (
        t("report-forecast-total", deals=5, amount=money(400_000 * RUB), weighted=money(170_800 * RUB))
        in text
    )
    assert t("report-forecast-undated", deals=1, amount=money(70_000 * RUB)) in text
    assert "999" not in text and "1\u00a0000\u00a0000" not in text  # won deals, the teammate's deal (R1c)
    assert len(harness.calls(SendPhoto)) == 1

    await manager.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    first = datetime.combine(month, datetime.min.time())
    assert rows == [
        [tp("report-forecast-overdue-label"), 1, 40_000, 10_000],
        [first, 2, 300_000, 110_000],
        [datetime.combine(add_months(month, 1), datetime.min.time()), 1, 50_000, 45_000],
        [datetime.combine(add_months(month, 2), datetime.min.time()), 1, 10_000, 5_800],
        [tp("report-forecast-undated-label"), 1, 70_000, 7_000],
    ]


async def test_the_team_lead_sees_the_teams_forecast(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: the team's forecast includes the teammate's deal; the member's own does not."""
    month = await _world(sessionmaker)
    lead = harness.user(TEAM_LEAD)
    await open_report(lead, "forecast")
    text = (await lead.click("Продажи Север"))[-1]
    assert _line(month, 3, 1_300_000, 210_000) in text
    await lead.click(tp("report-btn-scope"))
    text = (await lead.click(f"Менеджер {OTHER}"))[-1]
    assert _line(month, 1, 1_000_000, 100_000) in text and "Выявление" not in text


async def test_no_open_deals_says_there_is_nothing_to_forecast(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Петров Пётр")
    text = (await open_report(harness.user(MANAGER), "forecast"))[-1]
    assert t("report-forecast-empty") in text
    assert not harness.calls(SendPhoto)
