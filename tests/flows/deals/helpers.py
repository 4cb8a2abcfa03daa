"""Shared set-up for the deal flow tests: people, a convertible lead, and walking /new_deal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import AuditEntry, Deal, DealLine, Lead, Product, ProductGroup, Stage, User
from tests.factories import make_contact, make_interaction, make_lead, make_user
from tests.harness import Harness, TgUser, tp

MANAGER = 501
OTHER = 502
TEAM_LEAD = 503
GOOD_COMMENT = "Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца"


@dataclass
class Setup:
    manager_id: int
    contact_id: int
    lead_id: int
    interaction_id: int


async def convertible_lead(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    telegram_id: int = MANAGER,
    full_name: str = "Петров Пётр",
    contact_id: int | None = None,
    occurred_at: datetime | None = None,
    description: str = "Интересуется сканерами для склада",
    other_contact: bool = False,
) -> Setup:
    """A manager with an open lead that has a qualifying call (R1d)."""
    async with sessionmaker() as session:
        existing = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    manager_id = existing or await make_user(sessionmaker, telegram_id, full_name=full_name)
    if contact_id is None:
        if other_contact:
            contact_id = await make_contact(
                sessionmaker,
                manager_id,
                name="Смирнова Ольга",
                phone="+79217654321",
                birth=date(1990, 7, 1),
                email="smirnova@yandex.ru",
            )
        else:
            contact_id = await make_contact(sessionmaker, manager_id)
    lead_id = await make_lead(sessionmaker, contact_id, manager_id, description=description)
    interaction_id = await make_interaction(
        sessionmaker, manager_id, lead_id=lead_id, occurred_at=occurred_at
    )
    return Setup(manager_id, contact_id, lead_id, interaction_id)


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type, *where: object) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def deals(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Deal]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Deal).order_by(Deal.id)))


async def lines_of(sessionmaker: async_sessionmaker[AsyncSession], deal_id: int) -> list[DealLine]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(DealLine).where(DealLine.deal_id == deal_id)))


async def lead_status(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int) -> str:
    async with sessionmaker() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        return lead.status


async def audit_actions(
    sessionmaker: async_sessionmaker[AsyncSession], entity: str, entity_id: int
) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
                .order_by(AuditEntry.id)
            )
        )


async def group_id(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(select(ProductGroup.id).where(ProductGroup.name == name))
        assert found is not None
        return found


async def product_id(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(select(Product.id).where(Product.name == name))
        assert found is not None
        return found


async def stage_id(sessionmaker: async_sessionmaker[AsyncSession], code: str) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(select(Stage.id).where(Stage.code == code))
        assert found is not None
        return found


async def set_lead_group(sessionmaker: async_sessionmaker[AsyncSession], lead_id: int, group: str) -> None:
    """The product group a lead was taken for (the deal form pre-fills it)."""
    gid = await group_id(sessionmaker, group)
    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.product_group_id = gid


async def set_stage_period(
    sessionmaker: async_sessionmaker[AsyncSession], code: str, months: int | None
) -> None:
    async with writing(sessionmaker) as session:
        stage = await session.scalar(select(Stage).where(Stage.code == code))
        assert stage is not None
        stage.period_months = months


async def insert_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    setup: Setup,
    *,
    group: str = "Оборудование",
    comment: str = GOOD_COMMENT,
    last_qualifying_at: datetime | None = None,
    amount_minor: int = 15_000_000,
    status: str = "open",
) -> int:
    """A deal row made directly (for the list and card tests), as the conversion would store it."""
    gid = await group_id(sessionmaker, group)
    async with writing(sessionmaker) as session:
        product = await session.scalar(select(Product.id).where(Product.group_id == gid).order_by(Product.id))
        stage = await session.scalar(select(Stage.id).where(Stage.kind == "open").order_by(Stage.position))
        assert product is not None and stage is not None
        deal = Deal(
            lead_id=setup.lead_id,
            contact_id=setup.contact_id,
            party_key=f"contact:{setup.contact_id}",
            product_group_id=gid,
            stage_id=stage,
            status=status,
            comment=comment,
            responsible_id=setup.manager_id,
            last_qualifying_at=last_qualifying_at,
            created_by_id=setup.manager_id,
            lines=[DealLine(product_id=product, amount_minor=amount_minor)],
        )
        session.add(deal)
        lead = await session.get(Lead, setup.lead_id)
        assert lead is not None
        lead.status = "converted"
        await session.flush()
        return deal.id


async def reach_summary(
    user: TgUser,
    *,
    lead: str = "Иванов",
    group: str = "Оборудование",
    product: str = "Сканер штрихкодов",
    amount: str = "150 000",
    comment: str | None = None,
) -> list[str]:
    """Walk /new_deal up to the summary; returns the summary's replies. The qualifying call's comment is
    offered as the deal's; ``comment`` replaces it through «✏️ Комментарий»."""
    await user.send("/new_deal")
    await user.click(lead)
    await user.click(group)
    await user.click(product)
    replies = await user.send(amount)
    if comment is not None:
        await user.click(tp("deal-btn-edit-comment"))
        replies = await user.send(comment)
    return replies


async def new_deal(harness: Harness, user: TgUser, **kwargs: str) -> list[str]:
    await reach_summary(user, **kwargs)
    return await user.click(tp("btn-save"))
