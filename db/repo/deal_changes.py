"""A deal's changes from its card: the stage, a product line, won or lost (R1c checked inside each write).

Each change runs in one ``write_tx`` that reloads the deal and re-checks that it is open and that the actor
may act on it, so a stale or forged button changes nothing; every change leaves an audit entry.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import Deal, DealLine
from db.repo import audit
from db.repo.deals import NotAllowed, get_deal
from db.repo.directories import get_product, get_stage, outcome_stage
from db.repo.visibility import may_act
from domain import errors
from domain.access import Actor
from domain.deals import DealStatus


class DealClosed(errors.Closed):
    """The deal is won or lost: it no longer changes."""


async def _open_deal_for_update(session: AsyncSession, actor: Actor, deal_id: int) -> Deal:
    """The open deal ``actor`` may change (R1c, checked inside the caller's write); ``NotAllowed`` for
    someone else's deal, ``DealClosed`` when it is won, lost or gone."""
    deal = await get_deal(session, deal_id)
    if deal is not None and not await may_act(session, actor, deal.responsible_id):
        raise NotAllowed
    if deal is None or deal.status != DealStatus.OPEN.value:
        raise DealClosed
    return deal


async def change_stage(session: AsyncSession, actor: Actor, deal_id: int, stage_id: int) -> None:
    actor_id = actor.user_id
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        stage = await get_stage(session, stage_id)
        if stage is None or not stage.is_active or stage.kind != "open":
            raise ValueError("not an active open stage")
        if stage.id == deal.stage_id:
            return
        before = {"stage_id": deal.stage_id, "stage": deal.stage.name, "code": deal.stage.code}
        deal.stage_id = stage.id
        audit.record(
            session,
            actor_id=actor_id,
            entity="deal",
            entity_id=deal.id,
            action="stage_changed",
            before=before,
            after={"stage_id": stage.id, "stage": stage.name, "code": stage.code},
        )


async def add_line(
    session: AsyncSession, actor: Actor, deal_id: int, product_id: int, amount_minor: int
) -> None:
    actor_id = actor.user_id
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        product = await get_product(session, product_id)
        if product is None or product.group_id != deal.product_group_id or not product.is_active:
            raise ValueError("product is not in the deal's group")
        line = DealLine(deal_id=deal.id, product_id=product.id, amount_minor=amount_minor)
        session.add(line)
        await session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            entity="deal",
            entity_id=deal.id,
            action="line_added",
            after={"line_id": line.id, "product": product.name, "amount_minor": amount_minor},
        )


async def close_deal(
    session: AsyncSession, actor: Actor, deal_id: int, outcome: DealStatus, lost_reason: str | None = None
) -> None:
    """Won or lost: status, closed_at, the outcome stage row, and an audit entry (R1c checked inside)."""
    actor_id = actor.user_id
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        stage = await outcome_stage(session, outcome.value)
        before = {
            "status": deal.status,
            "stage_id": deal.stage_id,
            "stage": deal.stage.name,
            "code": deal.stage.code,
        }
        deal.status = outcome.value
        deal.closed_at = utcnow()
        if stage is not None:
            deal.stage_id = stage.id
        if outcome is DealStatus.LOST:
            deal.lost_reason = lost_reason
        after: dict[str, object] = {"status": outcome.value}
        if stage is not None:
            after |= {"stage_id": stage.id, "stage": stage.name, "code": stage.code}
        audit.record(
            session,
            actor_id=actor_id,
            entity="deal",
            entity_id=deal.id,
            action=outcome.value,
            before=before,
            after=after,
        )
