"""The lists' exports («📤 Экспорт»): every row a user may see, read a batch at a time.

Each export reads with the list's own visibility filter (R1c: ``contact_filter``, ``client_filter``,
``owner_filter``) and pages by id (keyset: ``id > last`` ordered by id, ``batch`` rows a query), so that an
export of a whole base never holds every row in memory. Whether a contact's phone and e-mail are shown or
masked is decided as on screen (R5b): unmasked only when ``contact_filter`` lets the reader see the contact
(``db.repo.clients.visible_contact_ids``); a client's contact person of another team stays masked.

The deals follow the list's filter: won and lost by SQL, the open filters by the list's own R2e–R2h
computation (``db.repo.deal_lists.open_deal_ids``, one team's open pipeline at most, as the list), whose
rows are then read again a batch of ids at a time, in the list's order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from db.models import (
    BusinessRegion,
    Client,
    Contact,
    Deal,
    Industry,
    Interaction,
    Lead,
    LeadSource,
    ProductGroup,
    User,
)
from db.repo.client_access import client_filter, keeper_id
from db.repo.clients import statuses_of, visible_contact_ids
from db.repo.deal_lists import CLOSED_FILTERS, amount_of, open_deal_ids
from db.repo.visibility import contact_filter, owner_filter
from domain.access import Actor
from domain.comments import CommentPolicy
from domain.registry import ClientStatus

#: Rows a query reads; the file is written between the queries.
BATCH = 500


@dataclass(frozen=True)
class ExportedContact:
    """A contact and whether the reader may see its phone and e-mail unmasked (R5b)."""

    contact: Contact
    visible: bool
    client: str | None = None
    responsible: str | None = None


@dataclass(frozen=True)
class ExportedClient:
    client: Client
    status: ClientStatus
    industry: str | None
    region: str | None
    responsible: str | None
    persons: list[ExportedContact]


@dataclass(frozen=True)
class ExportedLead:
    lead: Lead
    person: ExportedContact
    source: str | None
    group: str | None


@dataclass(frozen=True)
class ExportedDeal:
    deal: Deal
    person: ExportedContact
    group: str | None
    amount_minor: int


@dataclass(frozen=True)
class ExportedInteraction:
    interaction: Interaction
    contact_name: str | None
    author: str | None


async def _batches(
    session: AsyncSession, query: Select[Any], key: InstrumentedAttribute[int], batch: int
) -> AsyncIterator[list[Any]]:
    """Keyset pages of ``query`` by ``key``: ``batch`` rows a round trip, none held after it is yielded."""
    last = 0
    while True:
        rows = list((await session.scalars(query.where(key > last).order_by(key).limit(batch))).unique())
        if not rows:
            return
        yield rows
        last = rows[-1].id  # the identity map holds rows weakly: a batch written is a batch let go
        if len(rows) < batch:
            return


async def _names(session: AsyncSession, model: Any, ids: set[int | None]) -> dict[int, str]:
    """Names (``full_name`` of users, ``label`` of directory entries) by id, for one batch."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.scalars(select(model).where(model.id.in_(wanted)))
    return {row.id: row.full_name if model is User else row.label for row in rows}


async def _persons(session: AsyncSession, actor: Actor, contacts: Sequence[Contact]) -> list[ExportedContact]:
    visible = await visible_contact_ids(session, actor, [c.id for c in contacts])
    clients = await _names_of_clients(session, {c.client_id for c in contacts})
    users = await _names(session, User, {c.responsible_id for c in contacts})
    return [
        ExportedContact(c, c.id in visible, clients.get(c.client_id or 0), users.get(c.responsible_id))
        for c in contacts
    ]


async def _names_of_clients(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    found = await session.execute(select(Client.id, Client.name).where(Client.id.in_(wanted)))
    return {client_id: name for client_id, name in found}


async def contacts(
    session: AsyncSession, actor: Actor, batch: int = BATCH
) -> AsyncIterator[list[ExportedContact]]:
    """The contacts of ``/contacts`` (R1c: ``contact_filter``), by id."""
    async for rows in _batches(session, select(Contact).where(contact_filter(actor)), Contact.id, batch):
        yield await _persons(session, actor, rows)


async def clients(
    session: AsyncSession, actor: Actor, batch: int = BATCH
) -> AsyncIterator[list[ExportedClient]]:
    """The clients of ``/clients`` (R1c: ``client_filter``) with their contact persons, masked as on the
    card."""
    async for rows in _batches(session, select(Client).where(client_filter(actor)), Client.id, batch):
        ids = [client.id for client in rows]
        people = list(
            await session.scalars(
                select(Contact).where(Contact.client_id.in_(ids)).order_by(Contact.surname, Contact.id)
            )
        )
        persons = await _persons(session, actor, people)
        statuses = await statuses_of(session, rows)
        industries = await _names(session, Industry, {c.industry_id for c in rows})
        regions = await _names(session, BusinessRegion, {c.region_id for c in rows})
        keepers = await _names(session, User, {keeper_id(c) for c in rows})
        yield [
            ExportedClient(
                client=client,
                status=statuses[client.id],
                industry=industries.get(client.industry_id or 0),
                region=regions.get(client.region_id or 0),
                responsible=keepers.get(keeper_id(client) or 0),
                persons=[p for p in persons if p.contact.client_id == client.id],
            )
            for client in rows
        ]


async def leads(session: AsyncSession, actor: Actor, batch: int = BATCH) -> AsyncIterator[list[ExportedLead]]:
    """The leads of ``/leads`` (R1c: ``owner_filter``), open and closed, by id."""
    query = (
        select(Lead)
        .options(joinedload(Lead.contact), joinedload(Lead.reject_reason_item))
        .where(owner_filter(actor, Lead.responsible_id))
    )
    async for rows in _batches(session, query, Lead.id, batch):
        persons = {p.contact.id: p for p in await _persons(session, actor, [lead.contact for lead in rows])}
        users = await _names(session, User, {lead.responsible_id for lead in rows})
        sources = await _names(session, LeadSource, {lead.source_id for lead in rows})
        groups = await _names(session, ProductGroup, {lead.product_group_id for lead in rows})
        yield [
            ExportedLead(
                lead=lead,
                person=_owned_by(persons[lead.contact_id], users.get(lead.responsible_id)),
                source=sources.get(lead.source_id),
                group=groups.get(lead.product_group_id or 0),
            )
            for lead in rows
        ]


def _owned_by(person: ExportedContact, responsible: str | None) -> ExportedContact:
    """The contact with the lead's or deal's responsible in place of the contact's own."""
    return ExportedContact(person.contact, person.visible, person.client, responsible)


async def deals(
    session: AsyncSession,
    actor: Actor,
    flt: str,
    *,
    now: datetime,
    period_months: int,
    policy: CommentPolicy,
    tz: tzinfo,
    at_risk_days: int,
    batch: int = BATCH,
) -> AsyncIterator[list[ExportedDeal]]:
    """The deals of ``/deals`` under its filter ``flt`` (R1c: ``owner_filter``): won and lost by id, the open
    ones in the list's own order (most urgent first), a batch of ids at a time."""
    query = select(Deal).options(
        selectinload(Deal.lines),
        joinedload(Deal.contact),
        joinedload(Deal.stage),
        joinedload(Deal.lost_reason_item),
    )
    if flt in CLOSED_FILTERS:
        closed = query.where(Deal.status == flt, owner_filter(actor, Deal.responsible_id))
        async for rows in _batches(session, closed, Deal.id, batch):
            yield await _deal_rows(session, actor, rows)
        return
    ids = await open_deal_ids(
        session, actor, flt, now=now, period_months=period_months, policy=policy, tz=tz,
        at_risk_days=at_risk_days,
    )  # fmt: skip
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]  # already authorised by the list's own query
        found = {deal.id: deal for deal in (await session.scalars(query.where(Deal.id.in_(chunk)))).unique()}
        yield await _deal_rows(session, actor, [found[i] for i in chunk if i in found])


async def _deal_rows(session: AsyncSession, actor: Actor, rows: list[Deal]) -> list[ExportedDeal]:
    persons = {p.contact.id: p for p in await _persons(session, actor, [deal.contact for deal in rows])}
    users = await _names(session, User, {deal.responsible_id for deal in rows})
    groups = await _names(session, ProductGroup, {deal.product_group_id for deal in rows})
    return [
        ExportedDeal(
            deal=deal,
            person=_owned_by(persons[deal.contact_id], users.get(deal.responsible_id)),
            group=groups.get(deal.product_group_id),
            amount_minor=amount_of(deal),
        )
        for deal in rows
    ]


def interaction_filter(actor: Actor) -> ColumnElement[bool]:
    """SQL condition over ``Interaction``: its lead or its deal is visible to ``actor`` (R1c)."""
    return or_(
        Interaction.lead_id.in_(select(Lead.id).where(owner_filter(actor, Lead.responsible_id))),
        Interaction.deal_id.in_(select(Deal.id).where(owner_filter(actor, Deal.responsible_id))),
    )


async def interactions(
    session: AsyncSession, actor: Actor, batch: int = BATCH
) -> AsyncIterator[list[ExportedInteraction]]:
    """The calls and meetings logged on the leads and deals ``actor`` sees (R1c), by id."""
    query = select(Interaction).where(interaction_filter(actor))
    async for rows in _batches(session, query, Interaction.id, batch):
        lead_ids = {row.lead_id for row in rows if row.lead_id}
        deal_ids = {row.deal_id for row in rows if row.deal_id}
        names: dict[tuple[str, int], str] = {}
        for kind, model in (("lead", Lead), ("deal", Deal)):
            wanted = lead_ids if kind == "lead" else deal_ids
            if wanted:
                found = await session.execute(
                    select(model.id, Contact.surname, Contact.given_name, Contact.patronymic)
                    .join(Contact, Contact.id == model.contact_id)
                    .where(model.id.in_(wanted))
                )
                for row_id, *parts in found:
                    names[(kind, row_id)] = " ".join(part for part in parts if part)
        authors = await _names(session, User, {row.author_id for row in rows})
        yield [
            ExportedInteraction(
                interaction=row,
                contact_name=names.get(("deal", row.deal_id or 0)) or names.get(("lead", row.lead_id or 0)),
                author=authors.get(row.author_id),
            )
            for row in rows
        ]
