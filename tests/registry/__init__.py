"""Client registry, counterparties and routes through the real dispatcher; shared helpers below."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import ClientCb
from db.base import utcnow
from db.engine import writing
from db.models import AuditEntry, Deal, Lead, Stage, User
from tests.factories import make_client as make_client  # the factory's older home, kept for importers
from tests.harness import TgUser

Sessionmaker = async_sessionmaker[AsyncSession]


async def count(sessionmaker: Sessionmaker, model: type, *where: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def make_deal(
    sessionmaker: Sessionmaker, lead_id: int, *, status: str = "open", client_id: int | None = None
) -> int:
    async with writing(sessionmaker) as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        stage = await session.scalar(select(Stage).where(Stage.kind == "open").order_by(Stage.position))
        assert stage is not None
        deal = Deal(
            lead_id=lead_id,
            contact_id=lead.contact_id,
            client_id=client_id,
            party_key=f"contact:{lead.contact_id}:{lead_id}",
            product_group_id=1,
            stage_id=stage.id,
            status=status,
            comment="Обсудили поставку сканеров, договорились о КП",
            responsible_id=lead.responsible_id,
            created_by_id=lead.responsible_id,
            closed_at=utcnow() if status != "open" else None,
        )
        session.add(deal)
        await session.flush()
        return deal.id


async def set_permission(sessionmaker: Sessionmaker, user_id: int, value: bool | None) -> None:
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == user_id).values(can_convert_clients=value))


async def audit_actions(sessionmaker: Sessionmaker, entity: str, entity_id: int) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return list(rows)


async def open_client(u: TgUser, client_id: int) -> list[str]:
    """Open a client's card by a client button outside the dialogs, as a notice or search results carry it
    (a forged press when the user cannot see the client)."""
    await u.send("/clients")
    return await u.press(ClientCb(action="open", id=client_id).pack())
