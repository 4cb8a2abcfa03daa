"""«Воронка» on a dataset built by hand (seed 001: the funnel and stage-to-stage conversion): every figure of
the text and of the sheet is asserted exactly."""

from __future__ import annotations

import io

from aiogram.methods import SendDocument, SendPhoto
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Stage, User
from db.repo.directories import display_name
from tests.factories import make_contact, make_lead
from tests.flows.deals.helpers import MANAGER
from tests.flows.reports.helpers import deal_at, open_report, recent, span
from tests.harness import Harness, t

NBSP = "\u00a0"


def rub(whole: int) -> str:
    return f"{whole:,}".replace(",", NBSP) + f"{NBSP}₽"


async def _stages(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(Stage).where(Stage.kind == "open").order_by(Stage.position))
        return {stage.code or "": display_name(stage, "ru") for stage in rows}


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Five deals created today (each from its own lead) and one lead not made into a deal:
    - open at «identification», 100 000 ₽; two open at «qualification», 200 000 and 50 000 ₽ (both came
      from «identification»);
    - one won on 300 000 ₽ (identification → qualification → proposal → won);
    - one lost on 70 000 ₽ straight from «identification»."""
    at = recent()
    first = await deal_at(sessionmaker, 0, "identification", amount_minor=10_000_000)
    await span(sessionmaker, first, "identification", at)
    for index, amount in ((1, 20_000_000), (2, 5_000_000)):
        deal = await deal_at(sessionmaker, index, "qualification", amount_minor=amount)
        await span(sessionmaker, deal, "identification", at, at)
        await span(sessionmaker, deal, "qualification", at)
    won = await deal_at(sessionmaker, 3, "won", amount_minor=30_000_000, status="won", closed_at=at)
    for stage in ("identification", "qualification", "proposal"):
        await span(sessionmaker, won, stage, at, at)
    await span(sessionmaker, won, "won", at)
    lost = await deal_at(sessionmaker, 4, "lost", amount_minor=7_000_000, status="lost", closed_at=at)
    await span(sessionmaker, lost, "identification", at, at)
    await span(sessionmaker, lost, "lost", at)
    async with sessionmaker() as session:
        manager_id = await session.scalar(select(User.id).where(User.telegram_id == MANAGER))
    assert manager_id is not None
    spare = await make_contact(
        sessionmaker, manager_id, name="Гусев Лев", phone="+79160000099", email="gusev@yandex.ru"
    )
    await make_lead(sessionmaker, spare, manager_id)


async def test_every_funnel_figure(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await _world(sessionmaker)
    names = await _stages(sessionmaker)
    manager = harness.user(MANAGER)
    text = (await open_report(manager, "funnel"))[-1]
    ident, qual, proposal, nego = (
        names[code] for code in ("identification", "qualification", "proposal", "negotiation")
    )
    assert t("report-funnel-stage", stage=ident, deals=1, amount=rub(100_000)) in text
    assert t("report-funnel-stage", stage=qual, deals=2, amount=rub(250_000)) in text
    assert t("report-funnel-stage", stage=proposal, deals=0, amount=rub(0)) in text
    assert t("report-funnel-open-total", deals=3, amount=rub(350_000)) in text
    assert "Лиды: 6, из них в сделку — 5 (83%)" in text
    assert "Сделки: 5, из них выиграно — 1 (20%)" in text
    assert f"Выиграно: 1 на {rub(300_000)}" in text and f"Проиграно: 1 на {rub(70_000)}" in text
    assert f"Доля выигранных: 50% · средний чек: {rub(300_000)}" in text
    assert t("report-funnel-step", first=ident, second=qual, share="60%", reached=3, of=5) in text
    assert t("report-funnel-step", first=qual, second=proposal, share="33%", reached=1, of=3) in text
    assert t("report-funnel-step", first=proposal, second=nego, share="100%", reached=1, of=1) in text
    assert len(harness.calls(SendPhoto)) == 1

    await manager.click(t("report-btn-excel"))
    [document] = harness.calls(SendDocument)
    sheet = load_workbook(io.BytesIO(document.document.data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    by_stage = {row[0]: row[1:] for row in rows}
    assert by_stage[ident] == [1, 100_000, 1 / 3, 5]
    assert by_stage[qual] == [2, 250_000, 2 / 3, 3]
    assert by_stage[proposal] == [0, 0, 0, 1]
