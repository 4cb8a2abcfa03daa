"""A record's timeline: its interactions with the client and its audit entries, newest first, by pages.

What a timeline gathers, by kind of record:

- a lead: its audit entries and its interactions;
- a deal: its audit entries, its interactions and those of the lead it was made from (calls made before
  the deal existed);
- a contact: its audit entries, and the audit entries and interactions of its leads and deals;
- a client: its audit entries, and the audit entries and interactions of the leads and deals of its contacts
  (and of the deals made on the client);
- a counterparty: its audit entries.

R1c: in a contact's or a client's timeline, the leads and deals the reader may not see leave no line (the same
filter as the cards' lists of leads and deals). An interaction's own audit entry («contact with the client»)
is not shown when the interaction is there: the interaction is shown itself, with both parts of its comment.

A page is read with one query over a ``UNION ALL`` of both tables ordered by time, then the rows of that page
only; nothing else of the record's history is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    JSON,
    ColumnElement,
    and_,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry, Contact, Deal, Interaction, Lead, Task
from db.repo import users
from db.repo.visibility import owner_filter
from domain.access import Actor

AUDIT = "a"
INTERACTION = "i"
#: The audit action an interaction writes on its lead or deal (see ``db.repo.interactions``).
INTERACTION_ACTION = "interaction"


@dataclass(frozen=True)
class Scope:
    """SQL conditions, each a separate arm of the page's ``UNION ALL`` so that each can use its own index:
    the audit entries and the interactions that belong to a timeline (the arms never overlap)."""

    audit: list[ColumnElement[bool]]
    interactions: list[ColumnElement[bool]]


def scope_of(actor: Actor, entity: str, entity_id: int) -> Scope:
    """What the timeline of this record gathers (see the module docstring); ``actor`` already sees the
    record itself, so only the leads and deals of a contact or a client are filtered by R1c."""
    own = and_(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
    if entity == "lead":
        return Scope([own], [Interaction.lead_id == entity_id])
    if entity == "deal":
        lead = select(Deal.lead_id).where(Deal.id == entity_id).scalar_subquery()
        on_lead = and_(
            Interaction.lead_id == lead, or_(Interaction.deal_id.is_(None), Interaction.deal_id != entity_id)
        )
        return Scope([own], [Interaction.deal_id == entity_id, on_lead])
    if entity == "contact":
        leads = select(Lead.id).where(Lead.contact_id == entity_id, owner_filter(actor, Lead.responsible_id))
        deals = select(Deal.id).where(Deal.contact_id == entity_id, owner_filter(actor, Deal.responsible_id))
    elif entity == "client":
        contacts = select(Contact.id).where(Contact.client_id == entity_id)
        leads = select(Lead.id).where(Lead.contact_id.in_(contacts), owner_filter(actor, Lead.responsible_id))
        deals = select(Deal.id).where(
            or_(Deal.client_id == entity_id, Deal.contact_id.in_(contacts)),
            owner_filter(actor, Deal.responsible_id),
        )
    else:
        return Scope([own], [])
    audit = [
        own,
        and_(AuditEntry.entity == "lead", AuditEntry.entity_id.in_(leads)),
        and_(AuditEntry.entity == "deal", AuditEntry.entity_id.in_(deals)),
    ]
    # An interaction is logged on a lead or on a deal, never both (``db.repo.interactions``); one that names
    # both is read with its lead. ``lead_id IS NULL`` keeps the deal arm on its index.
    on_deals = and_(Interaction.deal_id.in_(deals), Interaction.lead_id.is_(None))
    return Scope(audit, [Interaction.lead_id.in_(leads), on_deals])


def _shown(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Audit entries of ``condition``, without those of interactions that are shown themselves."""
    logged = type_coerce(AuditEntry.after, JSON)["interaction_id"].as_integer()
    duplicate = and_(
        AuditEntry.action == INTERACTION_ACTION,
        exists(select(Interaction.id).where(Interaction.id == logged)),
    )
    return and_(condition, not_(duplicate))


@dataclass(frozen=True)
class Line:
    """One line of a timeline: an audit entry or an interaction, with its author's name."""

    at: datetime
    author: str | None
    audit: AuditEntry | None = None
    interaction: Interaction | None = None


@dataclass(frozen=True)
class TimelinePage:
    """Up to ``size`` lines from ``start`` (0 is the newest), out of ``total``; the next-step tasks set when
    an interaction was logged, by interaction id."""

    lines: list[Line]
    total: int
    start: int
    next_steps: dict[int, Task] = field(default_factory=dict)


async def timeline_page(
    session: AsyncSession, actor: Actor, entity: str, entity_id: int, start: int, size: int
) -> TimelinePage:
    """The lines ``start`` … ``start + size - 1`` of the record's timeline, newest first."""
    scope = scope_of(actor, entity, entity_id)
    arms = [
        select(literal(AUDIT).label("kind"), AuditEntry.id.label("id"), AuditEntry.at.label("at")).where(
            _shown(condition)
        )
        for condition in scope.audit
    ]
    arms += [
        select(
            literal(INTERACTION).label("kind"),
            Interaction.id.label("id"),
            Interaction.occurred_at.label("at"),
        ).where(condition)
        for condition in scope.interactions
    ]
    merged = (union_all(*arms) if len(arms) > 1 else arms[0]).subquery()
    total = int(await session.scalar(select(func.count()).select_from(merged)) or 0)
    start = max(0, start)
    if start >= total:
        return TimelinePage([], total, start)
    rows = (
        await session.execute(
            select(merged.c.kind, merged.c.id)
            .order_by(merged.c.at.desc(), merged.c.id.desc(), merged.c.kind)
            .limit(size)
            .offset(start)
        )
    ).all()
    wanted_audit = [row_id for kind, row_id in rows if kind == AUDIT]
    wanted_interactions = [row_id for kind, row_id in rows if kind == INTERACTION]
    entries: dict[int, AuditEntry] = {}
    if wanted_audit:
        found = await session.scalars(select(AuditEntry).where(AuditEntry.id.in_(wanted_audit)))
        entries = {entry.id: entry for entry in found}
    interactions: dict[int, Interaction] = {}
    next_steps: dict[int, Task] = {}
    if wanted_interactions:
        found_interactions = await session.scalars(
            select(Interaction).where(Interaction.id.in_(wanted_interactions))
        )
        interactions = {row.id: row for row in found_interactions}
        tasks = await session.scalars(
            select(Task).where(Task.interaction_id.in_(wanted_interactions)).order_by(Task.id)
        )
        for task in tasks:
            if task.interaction_id is not None:
                next_steps.setdefault(task.interaction_id, task)
    authors = await users.user_names(
        session,
        [entry.actor_id for entry in entries.values()] + [row.author_id for row in interactions.values()],
    )
    lines: list[Line] = []
    for kind, row_id in rows:
        if kind == AUDIT and row_id in entries:
            entry = entries[row_id]
            author = authors.get(entry.actor_id) if entry.actor_id is not None else None
            lines.append(Line(entry.at, author, audit=entry))
        elif kind == INTERACTION and row_id in interactions:
            row = interactions[row_id]
            lines.append(Line(row.occurred_at, authors.get(row.author_id), interaction=row))
    return TimelinePage(lines, total, start, next_steps)
