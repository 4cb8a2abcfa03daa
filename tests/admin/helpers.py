"""Shared set-up for the admin tests: the admin, people in teams, and deals stored like converted ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import AuditEntry, Deal, DealLine, Lead, Product, ProductGroup, Stage, User
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_interaction, make_lead
from tests.harness import Harness, TgUser

GOOD_COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"


async def admin(harness: Harness) -> TgUser:
    """The ADMIN_IDS admin, registered by their first message."""
    user = harness.user(ADMIN_ID, first_name="Анна", last_name="Админова")
    await user.send("/menu")
    return user


def person(harness: Harness, telegram_id: int, full_name: str) -> TgUser:
    """The Telegram side of a user made with ``make_user(..., full_name=...)``: the bot refreshes the stored
    name from Telegram at every update, so both must agree."""
    first, _, last = full_name.partition(" ")
    return harness.user(telegram_id, first_name=first, last_name=last or None)


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type, *where: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def row(sessionmaker: async_sessionmaker[AsyncSession], model: type, row_id: int) -> Any:
    async with sessionmaker() as session:
        return await session.get(model, row_id)


async def user_by_tg(sessionmaker: async_sessionmaker[AsyncSession], telegram_id: int) -> User:
    async with sessionmaker() as session:
        found = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


async def audit(
    sessionmaker: async_sessionmaker[AsyncSession], entity: str, entity_id: int | None = None
) -> list[AuditEntry]:
    async with sessionmaker() as session:
        query = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == entity_id)
        return list(await session.scalars(query))


async def stage_by_code(sessionmaker: async_sessionmaker[AsyncSession], code: str) -> Stage:
    async with sessionmaker() as session:
        found = await session.scalar(select(Stage).where(Stage.code == code))
        assert found is not None
        return found


async def open_stage_names(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(Stage.name)
                .where(Stage.kind == "open", Stage.is_active.is_(True))
                .order_by(Stage.position, Stage.id)
            )
        )


async def open_lead(
    sessionmaker: async_sessionmaker[AsyncSession],
    manager_id: int,
    *,
    name: str = "Иванов Иван Иванович",
    phone: str = "+79123456789",
    email: str = "ivanov@mail.ru",
) -> tuple[int, int]:
    """A contact and an open lead with a qualifying call (R1d); returns (contact id, lead id)."""
    contact_id = await make_contact(sessionmaker, manager_id, name=name, phone=phone, email=email)
    lead_id = await make_lead(sessionmaker, contact_id, manager_id)
    await make_interaction(sessionmaker, manager_id, lead_id=lead_id)
    return contact_id, lead_id


async def insert_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    manager_id: int,
    contact_id: int,
    lead_id: int,
    *,
    stage_code: str = "identification",
    last_qualifying_at: datetime | None = None,
) -> int:
    """An open, correct deal, stored as the conversion stores it."""
    async with writing(sessionmaker) as session:
        group_id = await session.scalar(select(ProductGroup.id).where(ProductGroup.name == "Оборудование"))
        product = await session.scalar(
            select(Product.id).where(Product.group_id == group_id).order_by(Product.id)
        )
        stage = await session.scalar(select(Stage.id).where(Stage.code == stage_code))
        assert group_id is not None and product is not None and stage is not None
        deal = Deal(
            lead_id=lead_id,
            contact_id=contact_id,
            party_key=f"contact:{contact_id}",
            product_group_id=group_id,
            stage_id=stage,
            status="open",
            comment=GOOD_COMMENT,
            responsible_id=manager_id,
            last_qualifying_at=last_qualifying_at,
            created_by_id=manager_id,
            lines=[DealLine(product_id=product, amount_minor=15_000_000)],
        )
        session.add(deal)
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.status = "converted"
        await session.flush()
        return deal.id


def dialog_button(harness: Harness, telegram_id: int, widget_data: str) -> str:
    """The callback data a dialog button ``widget_data`` (``"off"``, ``"months:3"``) would have on the user's
    latest dialog message: a forged press of a hidden button or of an item no window offered."""
    for message in reversed(harness.messages_to(telegram_id)):
        markup = message.reply_markup
        if markup is None:
            continue
        for row in markup.inline_keyboard:
            for button in row:
                if button.callback_data and "\x1d" in button.callback_data:
                    return button.callback_data.split("\x1d")[0] + "\x1d" + widget_data
    raise AssertionError("no dialog message in this chat")
