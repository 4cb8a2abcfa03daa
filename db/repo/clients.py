"""The client registry (seed 002): the directories a client form offers, contact persons, creation, the "lost"
mark, the list, the search and the card.

Who may see or manage a client is decided in ``db.repo.client_access``; converting a client into a
counterparty is in ``db.repo.counterparties``. Every write re-checks visibility inside its own ``write_tx``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import BusinessRegion, Client, ClientRoute, Contact, Counterparty, Deal, Industry, Lead, User
from db.repo import audit
from db.repo.client_access import client_filter, get_visible_client, keeper_id, may_manage_client
from db.repo.counterparties import counterparty_of
from db.repo.leads import find_visible_contacts
from db.repo.paging import PAGE_SIZE, Page, page_count
from db.repo.visibility import contact_filter, owner_filter
from domain.access import Actor
from domain.deals import DealStatus
from domain.registry import (
    ClientStatus,
    PartyDealTaken,
    RouteStatus,
    client_search_key,
    client_status,
)

CHOICE_LIMIT = 10


# ---------------------------------------------------------------------------------------------------------
# Directories
# ---------------------------------------------------------------------------------------------------------


async def active_industries(session: AsyncSession) -> list[Industry]:
    return list(
        await session.scalars(
            select(Industry).where(Industry.is_active.is_(True)).order_by(Industry.position, Industry.name)
        )
    )


async def active_regions(session: AsyncSession) -> list[BusinessRegion]:
    return list(
        await session.scalars(
            select(BusinessRegion)
            .where(BusinessRegion.is_active.is_(True))
            .order_by(BusinessRegion.position, BusinessRegion.name)
        )
    )


async def active_industry(session: AsyncSession, industry_id: int) -> Industry | None:
    found = await session.get(Industry, industry_id)
    return found if found is not None and found.is_active else None


async def active_region(session: AsyncSession, region_id: int) -> BusinessRegion | None:
    found = await session.get(BusinessRegion, region_id)
    return found if found is not None and found.is_active else None


async def directory_names(
    session: AsyncSession, industry_id: int | None, region_id: int | None
) -> tuple[str | None, str | None]:
    """Names for a card or a summary; deactivated values stay valid on old records."""
    industry = await session.get(Industry, industry_id) if industry_id else None
    region = await session.get(BusinessRegion, region_id) if region_id else None
    return (industry.label if industry else None, region.label if region else None)


# ---------------------------------------------------------------------------------------------------------
# Contacts
# ---------------------------------------------------------------------------------------------------------


async def find_contacts(session: AsyncSession, actor: Actor, text: str) -> list[Contact]:
    """Visible contacts by a part of the name or phone."""
    return await find_visible_contacts(session, actor, text, limit=CHOICE_LIMIT)


async def contacts_by_ids(session: AsyncSession, contact_ids: Sequence[int]) -> list[Contact]:
    if not contact_ids:
        return []
    rows = {c.id: c for c in await session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))}
    return [rows[i] for i in contact_ids if i in rows]


async def visible_contact_ids(session: AsyncSession, actor: Actor, contact_ids: Sequence[int]) -> set[int]:
    if not contact_ids:
        return set()
    return set(
        await session.scalars(select(Contact.id).where(Contact.id.in_(contact_ids), contact_filter(actor)))
    )


async def party_conflicts(session: AsyncSession, client_id: int, contact_ids: Sequence[int]) -> list[int]:
    """R2i: the open deals that would clash if these contacts joined the client — their open deals move to the
    client's party, so each product group may then hold one open deal only. Empty: no clash."""
    moving = [
        deal
        for deal in await session.scalars(
            select(Deal).where(Deal.contact_id.in_(contact_ids), Deal.status == DealStatus.OPEN.value)
        )
        if deal.party_key != f"client:{client_id}"
    ]
    if not moving:
        return []
    staying = await session.scalars(
        select(Deal).where(
            Deal.party_key == f"client:{client_id}",
            Deal.status == DealStatus.OPEN.value,
            Deal.id.not_in([deal.id for deal in moving]),
        )
    )
    by_group: dict[int, list[int]] = {}
    for deal in [*staying, *moving]:
        by_group.setdefault(deal.product_group_id, []).append(deal.id)
    return sorted(deal_id for ids in by_group.values() if len(ids) > 1 for deal_id in ids)


async def _follow_party(
    session: AsyncSession, actor_id: int, client_id: int, contact_ids: Sequence[int]
) -> None:
    """R2i: the open deals of contacts joining a client become the client's (party and client), audited; a
    clash raises ``PartyDealTaken`` and the caller's transaction changes nothing. The partial unique index on
    open deals' party settles a concurrent join (``IntegrityError``, answered the same by the caller)."""
    if conflicts := await party_conflicts(session, client_id, contact_ids):
        raise PartyDealTaken(conflicts)
    party = f"client:{client_id}"
    deals = await session.scalars(
        select(Deal).where(
            Deal.contact_id.in_(contact_ids), Deal.status == DealStatus.OPEN.value, Deal.party_key != party
        )
    )
    for deal in list(deals):
        audit.record(
            session,
            actor_id=actor_id,
            entity="deal",
            entity_id=deal.id,
            action="edited",
            before={"party_key": deal.party_key, "client_id": deal.client_id},
            after={"party_key": party, "client_id": client_id},
        )
        await session.execute(
            update(Deal).where(Deal.id == deal.id).values(party_key=party, client_id=client_id)
        )
    await session.flush()


async def _link_contacts(
    session: AsyncSession, actor_id: int, client_id: int, contacts: Sequence[Contact]
) -> None:
    """Contacts become the client's contact persons; their open deals follow (R2i)."""
    await _follow_party(session, actor_id, client_id, [c.id for c in contacts if c.client_id != client_id])
    for contact in contacts:
        if contact.client_id == client_id:
            continue
        audit.record(
            session,
            actor_id=actor_id,
            entity="contact",
            entity_id=contact.id,
            action="edited",
            before={"client_id": contact.client_id},
            after={"client_id": client_id},
        )
        contact.client_id = client_id


# ---------------------------------------------------------------------------------------------------------
# Creating a client, linking a contact person, the "lost" mark
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewClient:
    name: str
    industry_id: int | None
    region_id: int | None
    contact_ids: tuple[int, ...] = ()


async def create_client(session: AsyncSession, actor: Actor, new: NewClient) -> Client:
    """Save a client with its creator as responsible, and link the chosen contact persons that ``actor`` may
    still see (re-checked in the same transaction). R2i: two of them with open deals in one product group
    raise ``PartyDealTaken`` and nothing is saved."""
    try:
        return await _create_client(session, actor, new)
    except IntegrityError:
        await session.rollback()
        raise PartyDealTaken([]) from None


async def _create_client(session: AsyncSession, actor: Actor, new: NewClient) -> Client:
    async with write_tx(session):
        client = Client(
            name=new.name,
            name_search=client_search_key(new.name),
            industry_id=new.industry_id,
            region_id=new.region_id,
            responsible_id=actor.user_id,
            created_by_id=actor.user_id,
        )
        session.add(client)
        await session.flush()
        visible = await visible_contact_ids(session, actor, new.contact_ids)
        contacts = [c for c in await contacts_by_ids(session, new.contact_ids) if c.id in visible]
        await _link_contacts(session, actor.user_id, client.id, contacts)
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="client",
            entity_id=client.id,
            action="created",
            after={
                "name": client.name,
                "industry_id": client.industry_id,
                "region_id": client.region_id,
                "responsible_id": client.responsible_id,
                "contact_ids": [c.id for c in contacts],
            },
        )
    return client


async def link_contact(session: AsyncSession, actor: Actor, client_id: int, contact_id: int) -> bool:
    """Make a contact a contact person of a client; ``False`` if either is not visible to ``actor``.

    R2i: the contact's open deals follow it to the client; when the client would then hold two open deals in
    one product group the join raises ``PartyDealTaken`` naming them, and nothing changes. A concurrent join
    that the read could not see is refused by the database's unique index and gets the same answer."""
    try:
        async with write_tx(session):
            client = await get_visible_client(session, actor, client_id)
            contact = await session.scalar(
                select(Contact).where(Contact.id == contact_id, contact_filter(actor))
            )
            if client is None or contact is None:
                return False
            await _link_contacts(session, actor.user_id, client_id, [contact])
    except IntegrityError:
        await session.rollback()
        conflicts = await party_conflicts(session, client_id, [contact_id])
        await session.commit()  # ends the read; nothing was written
        raise PartyDealTaken(conflicts) from None
    return True


async def set_marked_lost(session: AsyncSession, actor: Actor, client_id: int, marked: bool) -> bool:
    """Mark a client lost, or take the mark off; ``False`` when ``actor`` may not (nothing changes)."""
    async with write_tx(session):
        client = await get_visible_client(session, actor, client_id)
        if client is None or not await may_manage_client(session, actor, client):
            return False
        if client.marked_lost != marked:
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="client",
                entity_id=client_id,
                action="edited",
                before={"marked_lost": client.marked_lost},
                after={"marked_lost": marked},
            )
            await session.execute(update(Client).where(Client.id == client_id).values(marked_lost=marked))
    return True


# ---------------------------------------------------------------------------------------------------------
# The list, search and the card
# ---------------------------------------------------------------------------------------------------------


async def clients_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, Client]:
    return {c.id: c for c in await session.scalars(select(Client).where(Client.id.in_(set(ids))))}


async def status_of(session: AsyncSession, client: Client) -> ClientStatus:
    """SPEC "Entities": the derived status, from every deal of the client or of its contact persons."""
    return (await statuses_of(session, [client]))[client.id]


async def statuses_of(session: AsyncSession, clients: Sequence[Client]) -> dict[int, ClientStatus]:
    """The derived status of several clients with one query (a page of /clients)."""
    ids = [client.id for client in clients]
    outcomes: dict[int, list[tuple[datetime, str]]] = {client_id: [] for client_id in ids}
    if ids:
        rows = await session.execute(
            select(
                func.coalesce(Deal.client_id, Contact.client_id), Deal.status, Deal.closed_at, Deal.created_at
            )
            .join(Contact, Contact.id == Deal.contact_id)
            .where(or_(Deal.client_id.in_(ids), Contact.client_id.in_(ids)))
        )
        for client_id, status, closed_at, created_at in rows:
            if client_id in outcomes:
                outcomes[client_id].append((closed_at or created_at, status))
    return {client.id: client_status(outcomes[client.id], client.marked_lost) for client in clients}


async def list_clients(session: AsyncSession, actor: Actor, page: int = 0) -> Page[Client]:
    """The clients ``actor`` may see, by name, ``PAGE_SIZE`` a page."""
    where = client_filter(actor)
    total = await session.scalar(select(func.count()).select_from(Client).where(where)) or 0
    pages = page_count(total)
    page = min(max(page, 0), pages - 1)
    clients = list(
        await session.scalars(
            select(Client)
            .where(where)
            .order_by(Client.name_search, Client.id)
            .limit(PAGE_SIZE)
            .offset(page * PAGE_SIZE)
        )
    )
    return Page(rows=clients, page=page, pages=pages, total=total)


async def search_clients(session: AsyncSession, actor: Actor, text: str, limit: int = 10) -> list[Client]:
    """For ``/find``: visible clients whose name contains every typed word (case and «ё»/«е» ignored)."""
    words = client_search_key(text).split()
    if not words:
        return []
    query = select(Client).where(client_filter(actor))
    for word in words:
        query = query.where(Client.name_search.contains(word, autoescape=True))
    return list(await session.scalars(query.order_by(Client.name_search, Client.id).limit(limit)))


@dataclass(frozen=True)
class RelatedLead:
    lead: Lead
    contact_name: str
    responsible_name: str


@dataclass(frozen=True)
class ClientCard:
    client: Client
    status: ClientStatus
    industry: str | None
    region: str | None
    responsible: str | None
    contacts: list[tuple[Contact, bool]]  # (contact, whether the reader may see it unmasked)
    leads: list[RelatedLead] = field(default_factory=list)
    counterparty: Counterparty | None = None
    pending_route: ClientRoute | None = None
    route_approver: str | None = None


async def client_card(
    session: AsyncSession, actor: Actor, client_id: int, *, for_approver: bool = False
) -> ClientCard | None:
    """The card of a client ``actor`` may see; ``None`` otherwise. ``for_approver``: the card a route shows to
    its approver, who may not see the client otherwise (contact persons stay masked unless visible)."""
    if for_approver:
        client = await session.get(Client, client_id)
    else:
        client = await get_visible_client(session, actor, client_id)
    if client is None:
        return None
    industry, region = await directory_names(session, client.industry_id, client.region_id)
    keeper = keeper_id(client)
    responsible = await session.get(User, keeper) if keeper else None
    contacts = list(
        await session.scalars(
            select(Contact).where(Contact.client_id == client_id).order_by(Contact.surname, Contact.id)
        )
    )
    visible = await visible_contact_ids(session, actor, [c.id for c in contacts])
    lead_rows = await session.execute(
        select(Lead, Contact, User.full_name)
        .join(Contact, Contact.id == Lead.contact_id)
        .join(User, User.id == Lead.responsible_id)
        .where(Contact.client_id == client_id, owner_filter(actor, Lead.responsible_id))
        .order_by(Lead.id.desc())
        .limit(CHOICE_LIMIT)
    )
    leads = [RelatedLead(lead, contact.full_name, name) for lead, contact, name in lead_rows]
    counterparty = await counterparty_of(session, client_id)
    route = await session.scalar(
        select(ClientRoute).where(
            ClientRoute.client_id == client_id, ClientRoute.status == RouteStatus.PENDING.value
        )
    )
    approver = await session.get(User, route.approver_id) if route else None
    return ClientCard(
        client=client,
        status=await status_of(session, client),
        industry=industry,
        region=region,
        responsible=responsible.full_name if responsible else None,
        contacts=[(c, c.id in visible) for c in contacts],
        leads=leads,
        counterparty=counterparty,
        pending_route=route,
        route_approver=approver.full_name if approver else None,
    )
