"""«❌ Причины проигрыша» (seed 001, R2a): the deals lost in the period counted and summed by the reason from
the directory, by the stage they were lost at, and by manager, each with its share of the lost deals; a
chart by reason (at most 8 bars, then «прочие»), the reasons in «📥 Excel»; a manager sees only their own
deals, a team lead the team (R1c)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealCb
from bot.charts import Series, bars_png
from db.engine import writing
from db.models import Deal, LostReason
from tests.factories import make_user, reason_id
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD
from tests.flows.reports.helpers import deal_at, open_report, recent, span
from tests.harness import Harness, TgUser, t, tp

Sessionmaker = async_sessionmaker[AsyncSession]
STRANGER_LEAD = 504
NBSP = "\u00a0"
EXPENSIVE, COMPETITOR, NO_BUDGET = "Дорого", "Выбрали конкурента", "Нет бюджета"
IDENTIFICATION, QUALIFICATION, PROPOSAL, NEGOTIATION = (
    "Выявление потребности",
    "Квалификация",
    "Коммерческое предложение",
    "Переговоры",
)


def rub(roubles: int) -> str:
    return f"{roubles:,}".replace(",", NBSP) + f"{NBSP}₽"


async def _lost(
    sessionmaker: Sessionmaker,
    index: int,
    roubles: int,
    reason: str | None,
    stage: str | None,
    *,
    telegram_id: int = MANAGER,
    days_ago: int = 0,
) -> int:
    """A deal lost ``days_ago`` (a few seconds ago for 0) for ``roubles``, with the reason of that code (or
    only an old text), after 5 days at ``stage`` (or with no stage history)."""
    left = recent() - timedelta(days=days_ago)
    deal_id = await deal_at(
        sessionmaker,
        index,
        "lost",
        telegram_id=telegram_id,
        amount_minor=roubles * 100,
        status="lost",
        closed_at=left,
    )
    reason_key = await reason_id(sessionmaker, LostReason, reason) if reason else None
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        deal.lost_reason_id, deal.lost_reason = reason_key, None if reason else "Клиент пропал"
    if stage is not None:
        await span(
            sessionmaker, deal_id, "identification", left - timedelta(days=9), left - timedelta(days=5)
        )
        await span(sessionmaker, deal_id, stage, left - timedelta(days=5), left)
        await span(sessionmaker, deal_id, "lost", left)
    return deal_id


async def _lost_in_the_card(harness: Harness, sessionmaker: Sessionmaker) -> int:
    """The manager's deal at «Переговоры» for 120 000 ₽, lost from its card: «Выбрали конкурента», no text."""
    deal_id = await deal_at(sessionmaker, 4, "negotiation", amount_minor=12_000_000)
    await span(sessionmaker, deal_id, "negotiation", recent() - timedelta(days=3))
    manager = harness.user(MANAGER)
    await manager.send("/menu")
    await manager.press(DealCb(action="open", id=deal_id).pack())
    await manager.click(tp("deal-btn-lost"))
    await manager.click(COMPETITOR)
    await manager.click(tp("btn-skip"))
    replies = await manager.click(tp("deal-btn-lost-confirm"))
    assert t("deal-card-lost-reason", reason=COMPETITOR) in replies[-1]
    return deal_id


async def _world(harness: Harness, sessionmaker: Sessionmaker) -> None:
    """Иван Петров (manager): lost «Дорого» 100 000 ₽ at «Выявление потребности», «Дорого» 200 000 ₽ and
    «Нет бюджета» 50 000 ₽ at «Коммерческое предложение», 150 000 ₽ with only a text and no stage history,
    and 120 000 ₽ «Выбрали конкурента» at «Переговоры» (from the card). Сидорова Анна (same team): «Дорого»
    300 000 ₽ at «Квалификация», «Выбрали конкурента» 250 000 ₽ at «Коммерческое предложение». Not counted:
    the manager's 999 000 ₽ lost 70 days ago, and a 777 000 ₽ deal of another team."""
    await make_user(sessionmaker, MANAGER, full_name="Иван Петров")
    await make_user(sessionmaker, OTHER, full_name="Сидорова Анна")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Ирина Иванова")
    await make_user(sessionmaker, STRANGER_LEAD, role="team_lead", team="Продажи Юг", full_name="Юг Лид")
    await _lost(sessionmaker, 0, 100_000, "expensive", "identification")
    await _lost(sessionmaker, 1, 200_000, "expensive", "proposal")
    await _lost(sessionmaker, 2, 50_000, "no_budget", "proposal")
    await _lost(sessionmaker, 3, 150_000, None, None)
    await _lost(sessionmaker, 5, 300_000, "expensive", "qualification", telegram_id=OTHER)
    await _lost(sessionmaker, 6, 250_000, "competitor", "proposal", telegram_id=OTHER)
    await _lost(sessionmaker, 7, 999_000, "expensive", "proposal", days_ago=70)
    await _lost(sessionmaker, 8, 777_000, "expensive", "proposal", telegram_id=STRANGER_LEAD)
    await _lost_in_the_card(harness, sessionmaker)


def _row(name: str, deals: int, roubles: int, share: str) -> str:
    return t("report-lost-row", name=name, deals=deals, amount=rub(roubles), share=share)


def _block(title: str, *rows: tuple[str, int, int, str]) -> str:
    return "\n".join([t(title), *(_row(*row) for row in rows)])


async def _excel(harness: Harness, user: TgUser) -> list[list[Any]]:
    await user.click(tp("report-btn-excel"))
    document = harness.calls(SendDocument)[-1]
    assert document.document.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(document.document.data)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


Drawn = list[tuple[list[str], list[float]]]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Drawn:
    """The charts' labels and values, as drawn."""
    seen: Drawn = []

    async def recording(title: str, labels: Sequence[str], series: Sequence[Series], *args: Any) -> bytes:
        seen.append((list(labels), list(series[0].values)))
        return await bars_png(title, labels, series, *args)

    monkeypatch.setattr("handlers.reports.actions.bars_png", recording)
    return seen


async def test_a_manager_sees_their_lost_deals_by_reason_stage_and_manager_exactly(
    harness: Harness, sessionmaker: Sessionmaker, drawn: Drawn
) -> None:
    """R2a, R1c: only the manager's 5 deals lost this month (620 000 ₽), every count, sum and share exact;
    the deal lost from the card is there; nothing of the teammate's, of another team, or from before."""
    await _world(harness, sessionmaker)
    manager = harness.user(MANAGER)
    text = (await open_report(manager, "lost"))[-1]
    assert t("report-lost-total", deals=5, amount=rub(620_000)) in text
    no_reason, unknown = tp("report-lost-no-reason"), tp("report-stuck-stage-unknown")
    reasons = [(EXPENSIVE, 2, 300_000, "40%"), (no_reason, 1, 150_000, "20%")]
    reasons += [(COMPETITOR, 1, 120_000, "20%"), (NO_BUDGET, 1, 50_000, "20%")]
    assert _block("report-lost-reasons", *reasons) in text
    stages = [(PROPOSAL, 2, 250_000, "40%"), (unknown, 1, 150_000, "20%")]
    stages += [(NEGOTIATION, 1, 120_000, "20%"), (IDENTIFICATION, 1, 100_000, "20%")]
    assert _block("report-lost-stages", *stages) in text
    assert _block("report-lost-managers", ("Иван Петров", 5, 620_000, "100%")) in text
    assert "Сидорова" not in text and QUALIFICATION not in text
    assert "999" not in text and "777" not in text
    [photo] = harness.calls(SendPhoto)
    assert photo.chat_id == MANAGER
    assert drawn == [([EXPENSIVE, no_reason, COMPETITOR, NO_BUDGET], [2, 1, 1, 1])]
    rows = await _excel(harness, manager)
    assert rows[0] == [
        tp("report-col-reason"),
        tp("report-col-deals"),
        tp("report-col-amount"),
        tp("report-col-share"),
    ]
    assert rows[1:] == [
        [EXPENSIVE, 2, 300_000, 0.4],
        [no_reason, 1, 150_000, 0.2],
        [COMPETITOR, 1, 120_000, 0.2],
        [NO_BUDGET, 1, 50_000, 0.2],
    ]


async def test_the_team_lead_sees_the_team_and_not_another_team(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1c: the team's 7 lost deals (1 170 000 ₽) with the teammate's, never the other team's 777 000 ₽."""
    await _world(harness, sessionmaker)
    lead = harness.user(TEAM_LEAD, first_name="Ирина", last_name="Иванова")
    await open_report(lead, "lost")
    text = (await lead.click("Продажи Север"))[-1]
    assert t("report-lost-total", deals=7, amount=rub(1_170_000)) in text
    no_reason, unknown = tp("report-lost-no-reason"), tp("report-stuck-stage-unknown")
    reasons = [(EXPENSIVE, 3, 600_000, "43%"), (COMPETITOR, 2, 370_000, "29%")]
    reasons += [(no_reason, 1, 150_000, "14%"), (NO_BUDGET, 1, 50_000, "14%")]
    assert _block("report-lost-reasons", *reasons) in text
    stages = [(PROPOSAL, 3, 500_000, "43%"), (QUALIFICATION, 1, 300_000, "14%"), (unknown, 1, 150_000, "14%")]
    stages += [(NEGOTIATION, 1, 120_000, "14%"), (IDENTIFICATION, 1, 100_000, "14%")]
    assert _block("report-lost-stages", *stages) in text
    managers = [("Иван Петров", 5, 620_000, "71%"), ("Сидорова Анна", 2, 550_000, "29%")]
    assert _block("report-lost-managers", *managers) in text
    assert "Юг Лид" not in text and "777" not in text
    rows = await _excel(harness, lead)
    assert rows[1:] == [
        [EXPENSIVE, 3, 600_000, pytest.approx(3 / 7)],
        [COMPETITOR, 2, 370_000, pytest.approx(2 / 7)],
        [no_reason, 1, 150_000, pytest.approx(1 / 7)],
        [NO_BUDGET, 1, 50_000, pytest.approx(1 / 7)],
    ]


async def test_the_other_teams_lead_sees_only_their_team(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """R1c: another team's lead gets their own 777 000 ₽ deal and none of ours."""
    await _world(harness, sessionmaker)
    stranger = harness.user(STRANGER_LEAD, first_name="Юг", last_name="Лид")
    await open_report(stranger, "lost")
    text = (await stranger.click("Продажи Юг"))[-1]
    assert t("report-lost-total", deals=1, amount=rub(777_000)) in text
    assert _row(EXPENSIVE, 1, 777_000, "100%") in text and _row(PROPOSAL, 1, 777_000, "100%") in text
    assert "Петров" not in text and "Сидорова" not in text


async def test_a_period_with_no_lost_deals_says_so_and_draws_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """Last month holds none of the deals (lost this month or 70 days ago): the empty message, no chart,
    and the sheet has only its header."""
    await _world(harness, sessionmaker)
    manager = harness.user(MANAGER)
    photos = len(harness.calls(SendPhoto))
    text = (await open_report(manager, "lost", "last_month"))[-1]
    assert t("report-lost-empty") in text
    assert tp("report-lost-reasons") not in text
    assert len(harness.calls(SendPhoto)) == photos
    assert len(await _excel(harness, manager)) == 1


async def test_more_than_eight_reasons_are_drawn_as_seven_and_the_others(
    harness: Harness, sessionmaker: Sessionmaker, drawn: Drawn
) -> None:
    """The chart stays readable on a phone: 9 reasons → 7 bars and «прочие (2)» summing the rest."""
    await make_user(sessionmaker, MANAGER, full_name="Иван Петров")
    async with writing(sessionmaker) as session:
        session.add_all([LostReason(code="late", name="Поздно"), LostReason(code="quality", name="Качество")])
    codes = ["expensive", "competitor", "no_budget", "unreachable", "need_gone", "other", "late", "quality"]
    for index, code in enumerate(codes):
        await _lost(sessionmaker, index, 100_000 - index * 1_000, code, "proposal")
    await _lost(sessionmaker, 8, 1_000, None, None)
    await open_report(harness.user(MANAGER), "lost")
    [(labels, values)] = drawn
    assert labels == [
        EXPENSIVE,
        COMPETITOR,
        NO_BUDGET,
        "Не дозвонились",
        "Потребность отпала",
        "Другое",
        "Поздно",
        tp("report-others", count=2),
    ]
    assert values == [1, 1, 1, 1, 1, 1, 1, 2]
