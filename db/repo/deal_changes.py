"""A deal's changes from its card: the stage, the product lines (added, re-priced, removed), the comment (R3),
the product group (R2i), the responsible, won or lost (R1c checked inside each write).

Each change runs in one ``write_tx`` that reloads the deal and re-checks that it is open and that the actor
may act on it, so a stale or forged button changes nothing; every change leaves an audit entry.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import Deal, DealLine, Product, ProductGroup, User
from db.repo import audit, outbox, stage_history
from db.repo.deals import DuplicateDeal, NotAllowed, get_deal, open_deal_of_party
from db.repo.directories import Kind, get_product, get_stage, outcome_stage
from db.repo.outcome_reasons import chosen_reason
from db.repo.visibility import may_act
from domain import errors
from domain.access import Actor, Role
from domain.comments import CommentPolicy, check_expanded_text
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
    """Move the open deal to another active pipeline stage: the deal, its stage history (the open span
    closed, a new one opened) and an audit entry in one write (R1c checked inside)."""
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
        await stage_history.move(session, deal.id, stage.id, actor_id=actor_id)
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
    session: AsyncSession,
    actor: Actor,
    deal_id: int,
    outcome: DealStatus,
    *,
    reason_id: int | None = None,
    text: str | None = None,
) -> None:
    """Won or lost: status, closed_at, the outcome stage row, its span in the stage history, and an audit
    entry (R1c checked inside).

    R2a: a lost deal keeps the reason chosen from «Причины проигрыша» (``ReasonGone`` when it does not exist
    or was switched off: nothing is saved) and the optional text next to it.
    """
    actor_id = actor.user_id
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        lost: dict[str, object] = {}
        if outcome is DealStatus.LOST:
            reason = await chosen_reason(session, Kind.LOST, reason_id or 0)
            deal.lost_reason_id, deal.lost_reason = reason.id, text or None
            lost = {"lost_reason_id": reason.id, "reason": reason.name, "lost_reason": text or None}
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
        # The history rests on the outcome stage; with no outcome stage row it ends with the last stage.
        await stage_history.move(
            session, deal.id, stage.id if stage else None, actor_id=actor_id, at=deal.closed_at
        )
        after: dict[str, object] = {"status": outcome.value}
        if stage is not None:
            after |= {"stage_id": stage.id, "stage": stage.name, "code": stage.code}
        after |= lost
        audit.record(
            session,
            actor_id=actor_id,
            entity="deal",
            entity_id=deal.id,
            action=outcome.value,
            before=before,
            after=after,
        )


# --- edits after the save: the comment, the lines, the group, the responsible --------------------------


class LastLine(errors.Conflict):
    """R2f: a deal keeps at least one product line; the last one is changed, not removed."""

    key = "deal-last-line"


def _line_of(deal: Deal, line_id: int) -> DealLine:
    for line in deal.lines:
        if line.id == line_id:
            return line
    raise ValueError("not a line of this deal")


async def edit_comment(
    session: AsyncSession, actor: Actor, deal_id: int, comment: str, policy: CommentPolicy
) -> None:
    """R3: the new comment is judged again inside the write; an unexpanded one changes nothing."""
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        verdict = check_expanded_text(comment, policy)
        if not verdict.ok:
            reason = verdict.reasons[0]
            raise errors.ValidationError(reason.key, "comment is not expanded", **reason.params)
        before = {"comment": deal.comment}
        deal.comment, deal.comment_expanded = comment, True
        audit.record_changes(
            session,
            actor_id=actor.user_id,
            entity="deal",
            entity_id=deal.id,
            before=before,
            after={"comment": comment},
        )


async def change_line_amount(
    session: AsyncSession, actor: Actor, deal_id: int, line_id: int, amount_minor: int
) -> None:
    if amount_minor <= 0:
        raise ValueError("amount is not above zero")
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        line = _line_of(deal, line_id)
        if line.amount_minor == amount_minor:
            return
        before = line.amount_minor
        line.amount_minor = amount_minor
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="deal",
            entity_id=deal.id,
            action="line_changed",
            before={"line_id": line.id, "amount_minor": before},
            after={"line_id": line.id, "amount_minor": amount_minor},
        )


async def remove_line(session: AsyncSession, actor: Actor, deal_id: int, line_id: int) -> None:
    """R2f: the last line is refused (``LastLine``); the deal keeps at least one product."""
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        line = _line_of(deal, line_id)
        if len(deal.lines) <= 1:
            raise LastLine("the last product line")
        product = await get_product(session, line.product_id)
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="deal",
            entity_id=deal.id,
            action="line_removed",
            before={
                "line_id": line.id,
                "product": product.name if product else None,
                "amount_minor": line.amount_minor,
            },
        )
        deal.lines.remove(line)
        await session.delete(line)


async def lines_outside(session: AsyncSession, deal: Deal, group_id: int) -> list[DealLine]:
    """The deal's lines whose product is not in ``group_id`` (they go when the group changes)."""
    inside = set(
        await session.scalars(
            select(Product.id).where(
                Product.group_id == group_id, Product.id.in_([line.product_id for line in deal.lines])
            )
        )
    )
    return [line for line in deal.lines if line.product_id not in inside]


async def change_group(session: AsyncSession, actor: Actor, deal_id: int, group_id: int) -> int:
    """R2i: no other open deal of the deal's party in the new group (``DuplicateDeal`` names it). The lines
    whose product is not in the new group are removed; returns how many."""
    party: str | None = None
    try:
        async with write_tx(session):
            deal = await _open_deal_for_update(session, actor, deal_id)
            party = deal.party_key
            group = await session.get(ProductGroup, group_id)
            if group is None or not group.is_active:
                raise ValueError("product group switched off")
            if group.id == deal.product_group_id:
                return 0
            existing = await open_deal_of_party(session, deal.party_key, group.id)
            if existing is not None and existing.id != deal.id:
                raise DuplicateDeal(existing.id)
            dropped = await lines_outside(session, deal, group.id)
            before = {"product_group_id": deal.product_group_id, "lines": len(deal.lines)}
            for line in dropped:
                deal.lines.remove(line)
                await session.delete(line)
            deal.product_group_id = group.id
            await session.flush()
            audit.record_changes(
                session,
                actor_id=actor.user_id,
                entity="deal",
                entity_id=deal.id,
                before=before,
                after={"product_group_id": group.id, "lines": len(deal.lines)},
            )
            return len(dropped)
    except IntegrityError:
        await session.rollback()
        # Another deal of the party opened in the group meanwhile; the index refused this change.
        winner = await open_deal_of_party(session, party, group_id) if party else None
        if winner is None:
            raise
        raise DuplicateDeal(winner.id) from None


async def reassign(session: AsyncSession, actor: Actor, deal_id: int, to_id: int) -> None:
    """R1c, R2c: a team lead or an admin hands the deal to someone they may act for; the old and the new
    responsible are both told (``outbox.DEAL_REASSIGNED``)."""
    async with write_tx(session):
        deal = await _open_deal_for_update(session, actor, deal_id)
        member = await session.get(User, to_id)
        if (
            actor.role not in (Role.TEAM_LEAD, Role.ADMIN)
            or member is None
            or not member.is_active
            or not await may_act(session, actor, member.id)
        ):
            raise NotAllowed
        old_id = deal.responsible_id
        if old_id == member.id:
            return
        deal.responsible_id = member.id
        audit.record_changes(
            session,
            actor_id=actor.user_id,
            entity="deal",
            entity_id=deal.id,
            before={"responsible_id": old_id},
            after={"responsible_id": member.id},
        )
        for recipient in (old_id, member.id):
            await outbox.queue_notice(
                session,
                kind=outbox.DEAL_REASSIGNED,
                recipient_id=recipient,
                payload={"deal_id": deal.id, "by_id": actor.user_id, "from_id": old_id, "to_id": member.id},
            )
