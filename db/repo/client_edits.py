"""Editing a saved client: its name, industry, region and responsible, with R1c (who may manage the client)
and the new responsible checked again inside the write, and an audit entry with each change before → after."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Client, User
from db.repo import audit
from db.repo.client_access import get_visible_client, may_manage_client
from domain.access import Actor, Role
from domain.errors import NotAllowed
from domain.registry import ClientName, client_search_key


@dataclass(frozen=True)
class ClientValues:
    """A client's own fields as the edit form holds them."""

    name: str
    industry_id: int | None
    region_id: int | None
    responsible_id: int | None


async def responsible_candidates(session: AsyncSession, actor: Actor) -> list[User]:
    """Who a client may be handed to: by an admin, any active user; by a team lead, an active user of their
    team; a manager may not change a client's responsible."""
    if actor.role not in (Role.ADMIN, Role.TEAM_LEAD) or (actor.role == Role.TEAM_LEAD and not actor.team_id):
        return []
    query = select(User).where(User.is_active.is_(True))
    if actor.role == Role.TEAM_LEAD:
        query = query.where(User.team_id == actor.team_id)
    return list(await session.scalars(query.order_by(User.full_name, User.id)))


async def editable_client(session: AsyncSession, actor: Actor, client_id: int) -> Client:
    """R1c: the client, when ``actor`` may manage it (its responsible, their team lead, an admin)."""
    client = await get_visible_client(session, actor, client_id)
    if client is None or not await may_manage_client(session, actor, client):
        raise NotAllowed("client not visible or not managed by the actor")
    await session.refresh(client)
    return client


async def edit_client(
    session: AsyncSession, actor: Actor, client_id: int, values: ClientValues
) -> tuple[str, ...]:
    """Change a client's name, industry, region and responsible; R1c, the name and the new responsible (a team
    lead's team member, any active user for an admin) are checked again inside the write, each change audited
    before → after. Returns the changed fields (none: nothing was written)."""
    name = ClientName.parse(values.name).value
    async with write_tx(session):
        client = await editable_client(session, actor, client_id)
        before = {
            "name": client.name,
            "industry_id": client.industry_id,
            "region_id": client.region_id,
            "responsible_id": client.responsible_id,
        }
        after = {
            "name": name,
            "industry_id": values.industry_id,
            "region_id": values.region_id,
            "responsible_id": values.responsible_id,
        }
        if values.responsible_id != client.responsible_id and values.responsible_id not in {
            user.id for user in await responsible_candidates(session, actor)
        }:
            raise NotAllowed("the responsible may not be given to this user by the actor")
        changed = audit.record_changes(
            session, actor_id=actor.user_id, entity="client", entity_id=client_id, before=before, after=after
        )
        if changed:
            await session.execute(
                update(Client)
                .where(Client.id == client_id)
                .values(**after, name_search=client_search_key(name))
            )
    return changed
