"""Deactivating a user, and handing a user's open leads and deals to someone else in the team: one at a
time or all of them, whether the owner is still active (a team lead rebalancing the team) or deactivated.

Every change re-checks its author inside the write transaction: an active admin for deactivation; for a
reassignment, an active admin, or an active team lead of the former owner's team. Every change is audited
(entity ``user``; a reassignment as ``reassigned`` on the lead or deal). Both sides are told through the
outbox: the new owner, and the former owner when still active (and not the one who did it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import label_of
from db.engine import write_tx
from db.models import Contact, Deal, Lead, ProductGroup, Task, User
from db.repo import audit, outbox
from db.repo.paging import slice_page
from db.repo.users import Refused, admin_actor, get_user, other_active_admins, target_user
from domain.access import Role

OPEN = "open"


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenWork:
    leads: int
    deals: int

    @property
    def total(self) -> int:
        return self.leads + self.deals


async def open_work(session: AsyncSession, user_id: int) -> OpenWork:
    leads = await session.scalar(
        select(func.count()).select_from(Lead).where(Lead.responsible_id == user_id, Lead.status == OPEN)
    )
    deals = await session.scalar(
        select(func.count()).select_from(Deal).where(Deal.responsible_id == user_id, Deal.status == OPEN)
    )
    return OpenWork(int(leads or 0), int(deals or 0))


@dataclass(frozen=True)
class WorkItem:
    """An open lead (``kind`` "l") or deal ("d") of the former owner, with what names it."""

    kind: str
    id: int
    contact: str
    group: str | None


async def open_work_page(session: AsyncSession, user_id: int, page: int) -> tuple[list[WorkItem], bool]:
    """The owner's open leads, then open deals, oldest first."""
    leads = (
        await session.execute(
            select(Lead.id, Contact.surname, Contact.given_name, Contact.patronymic, label_of(ProductGroup))
            .join(Contact, Contact.id == Lead.contact_id)
            .outerjoin(ProductGroup, ProductGroup.id == Lead.product_group_id)
            .where(Lead.responsible_id == user_id, Lead.status == OPEN)
            .order_by(Lead.id)
        )
    ).all()
    deals = (
        await session.execute(
            select(Deal.id, Contact.surname, Contact.given_name, Contact.patronymic, label_of(ProductGroup))
            .join(Contact, Contact.id == Deal.contact_id)
            .outerjoin(ProductGroup, ProductGroup.id == Deal.product_group_id)
            .where(Deal.responsible_id == user_id, Deal.status == OPEN)
            .order_by(Deal.id)
        )
    ).all()

    def name(row: tuple[object, ...]) -> str:
        return " ".join(str(part) for part in row[1:4] if part)

    items = [WorkItem("l", row[0], name(row), row[4]) for row in leads]
    items += [WorkItem("d", row[0], name(row), row[4]) for row in deals]
    return slice_page(items, page)


async def _open_counts(session: AsyncSession, model: type[Lead] | type[Deal]) -> dict[int, int]:
    rows = await session.execute(
        select(model.responsible_id, func.count()).where(model.status == OPEN).group_by(model.responsible_id)
    )
    return {int(user_id): int(count) for user_id, count in rows}


async def owners_with_work(session: AsyncSession, actor: User) -> list[tuple[User, OpenWork]]:
    """Whose open leads and deals ``actor`` may hand over: anyone's for an admin, the own team's for a team
    lead (never the actor's own). Deactivated people first, then by name."""
    query = select(User).where(User.id != actor.id).order_by(User.is_active, User.full_name, User.id)
    if actor.role != Role.ADMIN.value:
        query = query.where(User.team_id == actor.team_id, User.team_id.is_not(None))
    leads, deals = await _open_counts(session, Lead), await _open_counts(session, Deal)
    found: list[tuple[User, OpenWork]] = []
    for user in await session.scalars(query):
        work = OpenWork(leads.get(user.id, 0), deals.get(user.id, 0))
        if work.total:
            found.append((user, work))
    return found


async def may_reassign_from(session: AsyncSession, actor: User, owner: User) -> bool:
    """An active admin for anyone; an active team lead for their own team's people."""
    if not actor.is_active:
        return False
    if actor.role == Role.ADMIN.value:
        return True
    return actor.role == Role.TEAM_LEAD.value and actor.team_id is not None and actor.team_id == owner.team_id


async def reassign_targets(session: AsyncSession, owner: User) -> list[User]:
    """Who may take the work: active members of the owner's team (its team lead included); an owner with no
    team can only be handed to an active admin."""
    query = (
        select(User).where(User.is_active.is_(True), User.id != owner.id).order_by(User.full_name, User.id)
    )
    if owner.team_id is not None:
        query = query.where(User.team_id == owner.team_id)
    else:
        query = query.where(User.role == Role.ADMIN.value)
    return list(await session.scalars(query))


async def reassignment_recipients(session: AsyncSession, owner: User) -> list[User]:
    """Who is told about a deactivated manager's open work: the team's active team leads, else the admins."""
    if owner.team_id is not None:
        leads = list(
            await session.scalars(
                select(User).where(
                    User.team_id == owner.team_id,
                    User.role == Role.TEAM_LEAD.value,
                    User.is_active.is_(True),
                    User.id != owner.id,
                )
            )
        )
        if leads:
            return leads
    return list(
        await session.scalars(
            select(User).where(User.role == Role.ADMIN.value, User.is_active.is_(True), User.id != owner.id)
        )
    )


# ---------------------------------------------------------------------------------------------
# Changing a user (admins)
# ---------------------------------------------------------------------------------------------


async def set_active(
    session: AsyncSession, actor_id: int, user_id: int, active: bool, admin_ids: Collection[int]
) -> bool:
    """Deactivate or reactivate. Never yourself, never the last active admin, never an ``ADMIN_IDS`` admin
    (the bot would re-activate them at their next message)."""
    async with write_tx(session):
        await admin_actor(session, actor_id)
        user = await target_user(session, user_id)
        if user.is_active == active:
            return False
        if not active:
            if user.id == actor_id:
                raise Refused("team-not-yourself")
            if user.telegram_id in admin_ids:
                raise Refused("team-admin-id-locked")
            if user.role == Role.ADMIN.value and not await other_active_admins(session, user.id):
                raise Refused("team-last-admin")
        user.is_active = active
        audit.record(
            session,
            actor_id=actor_id,
            entity="user",
            entity_id=user.id,
            action="activated" if active else "deactivated",
            before={"is_active": not active},
            after={"is_active": active},
        )
        if not active and (await open_work(session, user.id)).total:
            for recipient in await reassignment_recipients(session, user):
                if recipient.id != actor_id:
                    await outbox.queue_notice(
                        session,
                        kind=outbox.WORK_HANDOVER,
                        recipient_id=recipient.id,
                        payload={"owner_id": user.id},
                    )
    return True


# ---------------------------------------------------------------------------------------------
# Reassigning a deactivated owner's open work
# ---------------------------------------------------------------------------------------------


async def _reassign_checks(
    session: AsyncSession, actor_id: int, owner_id: int, to_id: int
) -> tuple[User, User]:
    actor = await get_user(session, actor_id)
    owner = await get_user(session, owner_id)
    if actor is None or owner is None or owner.id == actor.id:
        raise Refused("button-stale")
    if not await may_reassign_from(session, actor, owner):
        raise Refused("access-denied")
    target = next((u for u in await reassign_targets(session, owner) if u.id == to_id), None)
    if target is None:
        raise Refused("button-stale")
    return owner, target


def _hand_over(
    session: AsyncSession, actor_id: int, entity: str, record: Lead | Deal, owner_id: int, to_id: int
) -> None:
    record.responsible_id = to_id
    audit.record(
        session,
        actor_id=actor_id,
        entity=entity,
        entity_id=record.id,
        action="reassigned",
        before={"responsible_id": owner_id},
        after={"responsible_id": to_id},
    )


async def _move_tasks(
    session: AsyncSession, owner_id: int, to_id: int, leads: list[int], deals: list[int]
) -> None:
    """The open tasks of the handed-over records go with them."""
    if not leads and not deals:
        return
    rows = await session.scalars(
        select(Task).where(
            Task.assignee_id == owner_id,
            Task.done_at.is_(None),
            (Task.lead_id.in_(leads)) | (Task.deal_id.in_(deals)),
        )
    )
    for task in rows:
        task.assignee_id = to_id


async def _tell_former_owner(
    session: AsyncSession, owner: User, actor_id: int, to_id: int, payload: dict[str, int]
) -> None:
    """The other side: an active former owner learns what was handed to whom (not when they did it)."""
    if owner.is_active and owner.id != actor_id:
        await outbox.queue_notice(
            session,
            kind=outbox.WORK_TAKEN,
            recipient_id=owner.id,
            payload={**payload, "to_id": to_id, "by_id": actor_id},
        )


async def reassign_one(
    session: AsyncSession, actor_id: int, owner_id: int, kind: str, record_id: int, to_id: int
) -> None:
    """Hand one open lead ("l") or deal ("d") of the owner to ``to_id``."""
    async with write_tx(session):
        owner, _target_user = await _reassign_checks(session, actor_id, owner_id, to_id)
        record: Lead | Deal | None = (
            await session.get(Lead, record_id, populate_existing=True)
            if kind == "l"
            else await session.get(Deal, record_id, populate_existing=True)
        )
        if record is None or record.responsible_id != owner_id or record.status != OPEN:
            raise Refused("team-reassign-gone")
        _hand_over(session, actor_id, "lead" if kind == "l" else "deal", record, owner_id, to_id)
        await _move_tasks(
            session, owner_id, to_id, [record_id] if kind == "l" else [], [record_id] if kind == "d" else []
        )
        if to_id != actor_id:
            await outbox.queue_notice(
                session,
                kind=outbox.WORK_ASSIGNED,
                recipient_id=to_id,
                payload={"lead_id" if kind == "l" else "deal_id": record_id, "by_id": actor_id},
            )
        key = "lead_id" if kind == "l" else "deal_id"
        await _tell_former_owner(session, owner, actor_id, to_id, {key: record_id})


async def reassign_all(session: AsyncSession, actor_id: int, owner_id: int, to_id: int) -> OpenWork:
    """Hand every open lead and deal of the owner to ``to_id`` in one write."""
    async with write_tx(session):
        owner, _target_user = await _reassign_checks(session, actor_id, owner_id, to_id)
        leads = list(
            await session.scalars(select(Lead).where(Lead.responsible_id == owner_id, Lead.status == OPEN))
        )
        deals = list(
            await session.scalars(select(Deal).where(Deal.responsible_id == owner_id, Deal.status == OPEN))
        )
        for lead in leads:
            _hand_over(session, actor_id, "lead", lead, owner_id, to_id)
        for deal in deals:
            _hand_over(session, actor_id, "deal", deal, owner_id, to_id)
        await _move_tasks(session, owner_id, to_id, [lead.id for lead in leads], [deal.id for deal in deals])
        if to_id != actor_id and (leads or deals):
            await outbox.queue_notice(
                session,
                kind=outbox.WORK_ASSIGNED_ALL,
                recipient_id=to_id,
                payload={"owner_id": owner_id, "by_id": actor_id, "leads": len(leads), "deals": len(deals)},
            )
        if leads or deals:
            await _tell_former_owner(
                session, owner, actor_id, to_id, {"leads": len(leads), "deals": len(deals)}
            )
    return OpenWork(len(leads), len(deals))
