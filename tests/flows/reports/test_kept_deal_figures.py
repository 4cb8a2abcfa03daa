"""What the reports read from the deal row itself: its total, kept by the database with every change of its
lines, and the R3 verdict of its comment (R2f), judged again at startup when the comment policy changed.
Both run on SQLite and PostgreSQL (``conftest.py``)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders import sweep
from bot.settings import Settings
from db.engine import writing
from db.models import Deal, DealLine
from db.repo import deal_changes
from domain.access import Actor, Role
from tests.flows.deals.helpers import MANAGER, convertible_lead, insert_deal, product_id
from tests.harness import Harness, t, tp


async def _total(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(Deal.total_minor).where(Deal.id == deal_id)) or 0)


async def test_the_kept_total_follows_every_change_of_the_lines(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A deal made with a line, a line added, an amount changed, a line removed, all lines gone: the total on
    the deal equals the sum of its lines after each."""
    lead = await convertible_lead(sessionmaker)
    deal_id = await insert_deal(sessionmaker, lead, amount_minor=150_000_00)
    assert await _total(sessionmaker, deal_id) == 150_000_00
    actor = Actor(lead.manager_id, Role.MANAGER, None)
    product = await product_id(sessionmaker, "Сканер штрихкодов")
    async with sessionmaker() as session:
        await deal_changes.add_line(session, actor, deal_id, product, 20_000_00)
    assert await _total(sessionmaker, deal_id) == 170_000_00
    async with sessionmaker() as session:
        lines = list(await session.scalars(select(DealLine).where(DealLine.deal_id == deal_id)))
    first, added = sorted(lines, key=lambda line: line.id)
    async with sessionmaker() as session:
        await deal_changes.change_line_amount(session, actor, deal_id, added.id, 35_000_00)
    assert await _total(sessionmaker, deal_id) == 185_000_00
    async with sessionmaker() as session:
        await deal_changes.remove_line(session, actor, deal_id, first.id)
    assert await _total(sessionmaker, deal_id) == 35_000_00
    async with writing(sessionmaker) as session:
        await session.execute(delete(DealLine).where(DealLine.deal_id == deal_id))
    assert await _total(sessionmaker, deal_id) == 0


async def test_a_stricter_comment_policy_makes_the_deals_incorrect_in_the_report_after_startup(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """R2f/R3: a deal saved with an expanded comment is correct; when the company then asks for at least 20
    words, the startup sweep judges every open deal again, and the discipline report counts it as incorrect
    and lists it."""
    lead = await convertible_lead(sessionmaker, full_name="Иван Петров")
    deal_id = await insert_deal(sessionmaker, lead)
    manager = harness.user(MANAGER)

    async def discipline() -> str:
        await manager.send("/report")
        await manager.click(tp("report-name-discipline"))
        return (await manager.click(tp("report-period-month")))[-1]

    values = {"total": 0, "incorrect": 0, "inactive": 0, "r3": 0, "r5": 0, "stale": 0, "days": 7}
    clean = t("report-discipline-row", name="Иван Петров", **values).strip()
    assert clean in await discipline()

    strict = settings.model_copy(update={"comment_min_words": 20})
    await sweep(sessionmaker, strict, full_check=True)
    flagged = t("report-discipline-row", name="Иван Петров", **{**values, "total": 1, "incorrect": 1})
    assert flagged.strip() in await discipline()
    await manager.click(tp("report-discipline-link-incorrect", name="Иван Петров", count=1))
    assert any(label.startswith(f"№{deal_id} ") for label in manager.buttons())

    await sweep(sessionmaker, settings, full_check=True)  # the policy relaxed again: correct again
    assert clean in await discipline()
