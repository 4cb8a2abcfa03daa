"""Reminders and alerts: the sweep, the preview and the scheduler, against a real SQLite database.

Helpers shared by the modules here: deals and tasks inserted straight through the models.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Deal, DealLine, Lead, OutboxMessage, Product, Stage, Task
from tests.factories import make_contact, make_lead

MSK = ZoneInfo("Europe/Moscow")
GOOD_COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"
_numbers = itertools.count(1)


async def make_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    responsible_id: int,
    *,
    basis: datetime,
    qualifying: bool = True,
    comment: str = GOOD_COMMENT,
    with_line: bool = True,
    stage_period_months: int | None = None,
) -> int:
    """An open deal whose R2h basis is ``basis``: its last qualifying interaction, or (``qualifying=False``)
    its creation. ``updated_at`` is the basis too, so the deal is not "recently changed"."""
    n = next(_numbers)
    contact = await make_contact(
        sessionmaker,
        responsible_id,
        phone=f"+7912{n:07d}",
        email=f"client{n}@mail.ru",
        birth=date(1950, 1, 1) + timedelta(days=n),
    )
    lead_id = await make_lead(sessionmaker, contact, responsible_id)
    async with writing(sessionmaker) as session:
        await session.execute(update(Lead).where(Lead.id == lead_id).values(status="converted"))
        product = await session.scalar(select(Product).order_by(Product.id))
        assert product is not None
        stage_id = await session.scalar(select(Stage.id).where(Stage.kind == "open").order_by(Stage.id))
        if stage_period_months is not None:
            stage = Stage(name=f"Stage {n}", kind="open", position=100 + n, period_months=stage_period_months)
            session.add(stage)
            await session.flush()
            stage_id = stage.id
        assert stage_id is not None
        deal = Deal(
            lead_id=lead_id,
            contact_id=contact,
            party_key=f"test:{lead_id}",
            product_group_id=product.group_id,
            stage_id=stage_id,
            comment=comment,
            responsible_id=responsible_id,
            created_by_id=responsible_id,
            last_qualifying_at=basis if qualifying else None,
            created_at=basis if not qualifying else basis.replace(year=basis.year - 1),
            updated_at=basis,
        )
        if with_line:
            deal.lines = [DealLine(product_id=product.id, amount_minor=15_000_000)]
        session.add(deal)
        await session.flush()
        return deal.id


async def make_task(
    sessionmaker: async_sessionmaker[AsyncSession],
    assignee_id: int,
    due_at: datetime,
    title: str = "Позвонить",
) -> int:
    async with writing(sessionmaker) as session:
        task = Task(title=title, due_at=due_at, assignee_id=assignee_id, created_by_id=assignee_id)
        session.add(task)
        await session.flush()
        return task.id


async def outbox(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def keys(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    return sorted(row.dedupe_key for row in await outbox(sessionmaker))


def payload(row: OutboxMessage) -> dict[str, object]:
    return dict(json.loads(row.payload))


async def clear_outbox(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with writing(sessionmaker) as session:
        await session.execute(delete(OutboxMessage))
