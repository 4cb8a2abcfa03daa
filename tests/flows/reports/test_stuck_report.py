"""«Где застревают сделки» (seed 001): days in each stage (median, 90th percentile), the deals stuck now past
the stage's own period (R2h) or its median, the stage where lost deals were lost, and the stuck deals each
opening its card; a manager never sees another's deals (R1c)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Stage
from db.repo.reports.stuck import past_limit
from tests.factories import make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD
from tests.flows.reports.helpers import deal_at, open_report, recent, span, stage_id
from tests.harness import Harness, t, tp

IDENTIFICATION, QUALIFICATION, PROPOSAL = "Выявление потребности", "Квалификация", "Коммерческое предложение"


async def _closed(
    sessionmaker: async_sessionmaker[AsyncSession], index: int, stage: str, days: int, outcome: str, **kw: int
) -> int:
    """A deal that spent exactly ``days`` at ``stage``, then was won or lost a few seconds ago."""
    left = recent()
    deal_id = await deal_at(sessionmaker, index, outcome, status=outcome, closed_at=left, **kw)  # type: ignore[arg-type]
    await span(sessionmaker, deal_id, stage, left - timedelta(days=days), left)
    await span(sessionmaker, deal_id, outcome, left)
    return deal_id


async def _resting(
    sessionmaker: async_sessionmaker[AsyncSession], index: int, stage: str, days: int, **kw: int
) -> int:
    """An open deal at ``stage`` for ``days`` so far."""
    deal_id = await deal_at(sessionmaker, index, stage, **kw)  # type: ignore[arg-type]
    await span(sessionmaker, deal_id, stage, datetime.now(UTC).replace(microsecond=0) - timedelta(days=days))
    return deal_id


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """The manager: at «Выявление потребности» 2, 4, 6 and 10 days (the first two lost, the others won);
    at «Квалификация» 12 days then lost, and one open for 20 days; at «Коммерческое предложение» (its own
    period: 1 month) open for 40 and for 10 days. A teammate: at «Квалификация» 14 days then lost, and one
    open for 50 days."""
    async with writing(sessionmaker) as session:
        proposal = await session.get(Stage, await stage_id(sessionmaker, "proposal"))
        assert proposal is not None
        proposal.period_months = 1
    for index, (days, outcome) in enumerate([(2, "lost"), (4, "lost"), (6, "won"), (10, "won")]):
        await _closed(sessionmaker, index, "identification", days, outcome)
    deals = {
        "over_period": await _resting(sessionmaker, 4, "proposal", 40),
        "fresh": await _resting(sessionmaker, 5, "proposal", 10),
        "lost_qualified": await _closed(sessionmaker, 6, "qualification", 12, "lost"),
        "over_median": await _resting(sessionmaker, 7, "qualification", 20),
        "mate_lost": await _closed(sessionmaker, 8, "qualification", 14, "lost", telegram_id=OTHER),
        "mate_stuck": await _resting(sessionmaker, 9, "qualification", 50, telegram_id=OTHER),
    }
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Иванова Ирина")
    return deals


def _line(stage: str, median: str, p90: str, stuck: int, lost: int) -> str:
    return t("report-stuck-stage", stage=stage, median=median, p90=p90, stuck=stuck, lost=lost)


async def test_a_manager_sees_days_in_stage_stuck_deals_and_where_deals_were_lost(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Seed 001, R2h: medians and 90th percentiles exact; stuck past the own period or the median."""
    deals = await _world(sessionmaker)
    manager = harness.user(MANAGER)
    text = (await open_report(manager, "stuck"))[-1]
    assert _line(IDENTIFICATION, "5", "8,8", 0, 2) in text
    assert _line(QUALIFICATION, "16", "19,2", 1, 1) in text
    assert _line(PROPOSAL, "25", "37", 1, 0) in text
    assert _line("Переговоры", "—", "—", 0, 0) in text
    assert t("report-stuck-total", stuck=2) in text
    assert "50" not in text and "14" not in text  # the teammate's deals are not the manager's (R1c)
    assert [button for button in manager.buttons() if button.startswith("#")] == [
        f"#{deals['over_period']} Орлов П. · {PROPOSAL} · 40 дн.",
        f"#{deals['over_median']} Зайцева М. · {QUALIFICATION} · 20 дн.",
    ]
    assert len(harness.calls(SendPhoto)) == 1

    await manager.click(tp("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    stages_sheet, deals_sheet = load_workbook(io.BytesIO(document.document.data)).worksheets
    rows = [[cell.value for cell in row] for row in stages_sheet.iter_rows(min_row=2)]
    assert rows[0] == [IDENTIFICATION, 5, pytest.approx(8.8), 0, 2]
    assert rows[1] == [QUALIFICATION, pytest.approx(16, abs=1e-3), pytest.approx(19.2, abs=1e-3), 1, 1]
    assert rows[2] == [PROPOSAL, pytest.approx(25, abs=1e-3), pytest.approx(37, abs=1e-3), 1, 0]
    # One table per sheet: the stuck deals are the second.
    assert deals_sheet.title == tp("report-sheet-stuck-deals")
    assert [[cell.value for cell in row][:2] for row in deals_sheet.iter_rows(min_row=2)] == [
        [deals["over_period"], "Орлов Павел"],
        [deals["over_median"], "Зайцева Мария"],
    ]


async def test_a_stuck_deal_opens_its_card(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    deals = await _world(sessionmaker)
    manager = harness.user(MANAGER)
    await open_report(manager, "stuck")
    replies = await manager.click(f"#{deals['over_median']} ")
    assert f"Сделка №{deals['over_median']}" in replies[-1]


async def test_the_team_lead_sees_the_team_and_the_manager_only_their_own(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: the team's figures include the teammate's deals; the manager's never do."""
    deals = await _world(sessionmaker)
    lead = harness.user(TEAM_LEAD)
    await open_report(lead, "stuck")
    text = (await lead.click("Продажи Север"))[-1]
    assert _line(QUALIFICATION, "17", "41", 2, 2) in text
    assert t("report-stuck-total", stuck=3) in text
    assert any(button.startswith(f"#{deals['mate_stuck']} ") for button in lead.buttons())
    manager = harness.user(MANAGER)
    await open_report(manager, "stuck")
    assert not any(button.startswith(f"#{deals['mate_stuck']} ") for button in manager.buttons())


async def test_no_history_says_so_and_draws_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Петров Пётр")
    text = (await open_report(harness.user(MANAGER), "stuck"))[-1]
    assert t("report-stuck-empty") in text
    assert not harness.calls(SendPhoto)


def test_r2h_a_months_period_counts_calendar_months_from_entering_the_stage() -> None:
    """R2h: a month from 31 January ends on 28 February (clamped), at the same time of day."""
    entered = datetime(2027, 1, 31, 10, 0, tzinfo=UTC)
    assert not past_limit(entered, 1, datetime(2027, 2, 28, 10, 0, tzinfo=UTC))
    assert past_limit(entered, 1, datetime(2027, 2, 28, 10, 0, 1, tzinfo=UTC))
    assert not past_limit(entered, 2, datetime(2027, 3, 31, 9, 59, tzinfo=UTC))
