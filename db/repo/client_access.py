"""Who may see, manage and convert a client: the visibility filter, the keeper, the conversion permission.

Visibility (SPEC "Access"): a manager sees the clients they are responsible for, and the clients linked to
what they see — a contact person they may see (their own contact, or one with their lead or deal), or a deal
of the client; a team lead sees the team's; an admin everything. Every write re-checks it inside its own
``write_tx``, so a stale or forged button changes nothing.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Client, Contact, Deal, User
from db.repo.visibility import contact_filter, owner_filter, team_of
from domain.access import Actor, Role, may_act_on
from domain.registry import may_convert_client


def client_filter(actor: Actor) -> ColumnElement[bool]:
    """SQL condition over ``Client``: ``actor`` may see this client."""
    if actor.role == Role.ADMIN:
        return true()
    return or_(
        owner_filter(actor, cast(InstrumentedAttribute[int], Client.responsible_id)),
        exists().where(Contact.client_id == Client.id, contact_filter(actor)),
        exists().where(Deal.client_id == Client.id, owner_filter(actor, Deal.responsible_id)),
    )


async def get_visible_client(session: AsyncSession, actor: Actor, client_id: int) -> Client | None:
    return await session.scalar(select(Client).where(Client.id == client_id, client_filter(actor)))


def keeper_id(client: Client) -> int | None:
    """Who answers for the client: its responsible, or whoever created it (clients typed into a contact)."""
    return client.responsible_id or client.created_by_id


async def may_manage_client(session: AsyncSession, actor: Actor, client: Client) -> bool:
    """Marking a client lost: its responsible, that person's team lead, or an admin (as R1c for leads)."""
    keeper = keeper_id(client)
    if keeper is None:
        return actor.role == Role.ADMIN
    return may_act_on(actor, keeper, await team_of(session, keeper))


async def user_may_convert(session: AsyncSession, user_id: int) -> bool:
    """SPEC "Access": the permission to convert, read fresh from the database (never from a callback)."""
    user = await session.get(User, user_id, populate_existing=True)
    if user is None or not user.is_active:
        return False
    actor = Actor(user_id=user.id, role=Role(user.role), team_id=user.team_id)
    return may_convert_client(actor, user.can_convert_clients)


async def approvers(session: AsyncSession, *, exclude_id: int | None = None) -> list[User]:
    """Active users who have the permission to convert: who a route can be sent to."""
    users = await session.scalars(
        select(User).where(User.is_active.is_(True)).order_by(User.full_name, User.id)
    )
    return [
        user
        for user in users
        if user.id != exclude_id
        and may_convert_client(Actor(user.id, Role(user.role), user.team_id), user.can_convert_clients)
    ]
