"""Data visibility and the right to act (SPEC "Access", R1c), as SQL filters and checks.

- A manager sees their own leads and deals, and the contacts linked to them or that they own.
- A team lead sees the whole team's.
- An admin sees everything.
Every handler and every button calls these again: a callback is never trusted.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Contact, Deal, Lead, User
from domain.access import Actor, Role, can_see, may_act_on


def owner_filter(actor: Actor, responsible: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """SQL condition: the record's responsible user is visible to ``actor``."""
    if actor.role == Role.ADMIN:
        return true()
    if actor.role == Role.TEAM_LEAD and actor.team_id is not None:
        team = select(User.id).where(User.team_id == actor.team_id).scalar_subquery()
        return or_(responsible == actor.user_id, responsible.in_(team))
    return responsible == actor.user_id


def contact_filter(actor: Actor) -> ColumnElement[bool]:
    """SQL condition over ``Contact``: its responsible person, or one of its leads or deals, is visible."""
    if actor.role == Role.ADMIN:
        return true()
    return or_(
        owner_filter(actor, Contact.responsible_id),
        exists().where(Lead.contact_id == Contact.id, owner_filter(actor, Lead.responsible_id)),
        exists().where(Deal.contact_id == Contact.id, owner_filter(actor, Deal.responsible_id)),
    )


async def team_of(session: AsyncSession, user_id: int) -> int | None:
    return await session.scalar(select(User.team_id).where(User.id == user_id))


async def may_act(session: AsyncSession, actor: Actor, responsible_id: int) -> bool:
    """R1c: the responsible manager, that manager's team lead, or an admin."""
    return may_act_on(actor, responsible_id, await team_of(session, responsible_id))


async def may_see(session: AsyncSession, actor: Actor, responsible_id: int) -> bool:
    return can_see(actor, responsible_id, await team_of(session, responsible_id))


async def may_see_contact(session: AsyncSession, actor: Actor, contact_id: int) -> bool:
    found = await session.scalar(select(Contact.id).where(Contact.id == contact_id, contact_filter(actor)))
    return found is not None
