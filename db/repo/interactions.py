"""Interactions (R1d, R1e, R2h): the subjects a manager may log on, and saving one interaction.

The save re-reads the lead or deal inside its ``write_tx`` and checks R1c and the open status there, so a
stale or forged button, or a lead closed meanwhile, changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from db.base import label_of
from db.engine import write_tx
from db.models import Client, Contact, Deal, Interaction, Lead, ProductGroup
from db.repo import audit
from db.repo.paging import PAGE_SIZE, offset, trim
from db.repo.tasks import add_task
from db.repo.visibility import may_act, owner_filter
from domain import errors
from domain.access import Actor
from domain.comments import CommentPolicy
from domain.interactions import qualifies
from domain.leads import LeadStatus
from domain.values import name_key

DEAL_OPEN = "open"
TASK_TITLE_LIMIT = 200


class Subject(StrEnum):
    LEAD = "lead"
    DEAL = "deal"


async def open_leads_page(session: AsyncSession, actor: Actor, page: int) -> tuple[list[Lead], bool]:
    """Open leads ``actor`` may act on (R1c), newest first, one page."""
    rows = list(
        await session.scalars(
            select(Lead)
            .options(joinedload(Lead.contact))
            .where(Lead.status == LeadStatus.OPEN.value, owner_filter(actor, Lead.responsible_id))
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .offset(offset(page))
            .limit(PAGE_SIZE + 1)
        )
    )
    return trim(rows)


async def open_deals_page(session: AsyncSession, actor: Actor, page: int) -> tuple[list[Deal], bool]:
    """Open deals ``actor`` may act on (R1c), newest first, one page."""
    rows = list(
        await session.scalars(
            select(Deal)
            .options(joinedload(Deal.contact))
            .where(Deal.status == DEAL_OPEN, owner_filter(actor, Deal.responsible_id))
            .order_by(Deal.created_at.desc(), Deal.id.desc())
            .offset(offset(page))
            .limit(PAGE_SIZE + 1)
        )
    )
    return trim(rows)


class Access(StrEnum):
    OK = "ok"
    GONE = "gone"
    DENIED = "denied"
    NOT_OPEN = "not_open"


async def _subject(session: AsyncSession, subject: Subject, subject_id: int) -> Lead | Deal | None:
    model = Lead if subject is Subject.LEAD else Deal
    return await session.get(model, subject_id)


def _is_open(row: Lead | Deal) -> bool:
    return row.status == (LeadStatus.OPEN.value if isinstance(row, Lead) else DEAL_OPEN)


async def check_subject(session: AsyncSession, actor: Actor, subject: Subject, subject_id: int) -> Access:
    """R1c: may ``actor`` log an interaction on this lead or deal now?"""
    row = await _subject(session, subject, subject_id)
    if row is None:
        return Access.GONE
    if not await may_act(session, actor, row.responsible_id):
        return Access.DENIED
    return Access.OK if _is_open(row) else Access.NOT_OPEN


@dataclass(frozen=True)
class NextStep:
    """The agreed next step with a date: it becomes a task for the subject's responsible manager."""

    title: str
    due_at: datetime


@dataclass(frozen=True)
class Saved:
    access: Access
    interaction: Interaction | None = None


async def save_interaction(
    session: AsyncSession,
    *,
    actor: Actor,
    subject: Subject,
    subject_id: int,
    kind: str,
    outcome: str,
    discussed: str | None,
    agreed: str | None,
    qualifying: bool,
    occurred_at: datetime,
    next_step: NextStep | None = None,
) -> Saved:
    """One write transaction: the interaction, the deal's R2h ``last_qualifying_at`` (only a qualifying one
    moves it, and never backwards), the audit entry on the lead or deal, and the next-step task."""
    async with write_tx(session):
        row = await _subject(session, subject, subject_id)
        if row is None:
            return Saved(Access.GONE)
        if not await may_act(session, actor, row.responsible_id):
            return Saved(Access.DENIED)
        if not _is_open(row):
            return Saved(Access.NOT_OPEN)
        interaction = Interaction(
            lead_id=subject_id if subject is Subject.LEAD else None,
            deal_id=subject_id if subject is Subject.DEAL else None,
            kind=kind,
            outcome=outcome,
            discussed=discussed,
            agreed=agreed,
            qualifying=qualifying,
            author_id=actor.user_id,
            occurred_at=occurred_at,
        )
        session.add(interaction)
        await session.flush()
        if isinstance(row, Deal) and qualifying:
            previous = row.last_qualifying_at
            row.last_qualifying_at = occurred_at if previous is None else max(previous, occurred_at)
        task_id = None
        if next_step is not None:
            task = add_task(
                session,
                title=next_step.title[:TASK_TITLE_LIMIT],
                due_at=next_step.due_at,
                assignee_id=row.responsible_id,
                created_by_id=actor.user_id,
                lead_id=subject_id if subject is Subject.LEAD else None,
                deal_id=subject_id if subject is Subject.DEAL else None,
                interaction_id=interaction.id,
            )
            await session.flush()
            task_id = task.id
        audit.record(
            session,
            actor_id=actor.user_id,
            entity=subject.value,
            entity_id=subject_id,
            action="interaction",
            after={
                "interaction_id": interaction.id,
                "kind": kind,
                "outcome": outcome,
                "qualifying": qualifying,
                "task_id": task_id,
            },
        )
    return Saved(Access.OK, interaction)


# ---------------------------------------------------------------------------------------------------------
# The lead (and deal) picker: what a manager logs on or makes a deal from
# ---------------------------------------------------------------------------------------------------------

PICK_PAGE_SIZE = 8


@dataclass(frozen=True)
class PickRow:
    """An open lead or deal as the picker shows it: its contact, client, product group and age."""

    id: int
    contact: str
    client: str | None
    group: str | None
    created_at: datetime
    touched_at: datetime


def _search_condition(text: str) -> ColumnElement[bool] | None:
    """Every typed word in the contact's name or the client's name; digits in the contact's phone."""
    words = name_key(text).split()
    if not words:
        return None
    digits = re.sub(r"\D", "", text)
    if not re.search(r"[^\W\d_]", text) and len(digits) >= 3:
        if len(digits) == 11 and digits.startswith("8"):
            digits = "7" + digits[1:]
        return Contact.phone.contains(digits, autoescape=True)
    return and_(
        *(
            or_(
                Contact.name_key.contains(word, autoescape=True),
                Client.name_search.contains(word, autoescape=True),
            )
            for word in words
        )
    )


async def pick_page(
    session: AsyncSession, actor: Actor, subject: Subject, page: int, text: str = ""
) -> tuple[list[PickRow], bool]:
    """Open leads (or deals) ``actor`` may act on (R1c), the most recently touched first: changed, or
    logged on, last. ``text`` narrows them to a contact or a client by name, or a phone by its digits."""
    model: type[Lead] | type[Deal] = Lead if subject is Subject.LEAD else Deal
    link = Interaction.lead_id if subject is Subject.LEAD else Interaction.deal_id
    status = LeadStatus.OPEN.value if subject is Subject.LEAD else DEAL_OPEN
    last_logged = (
        select(func.max(Interaction.occurred_at)).where(link == model.id).correlate(model).scalar_subquery()
    )
    touched = case((last_logged > model.updated_at, last_logged), else_=model.updated_at)
    client_id = (
        Contact.client_id if subject is Subject.LEAD else func.coalesce(Deal.client_id, Contact.client_id)
    )
    query = (
        select(model.id, Contact, Client.name, label_of(ProductGroup), model.created_at, touched)
        .join(Contact, Contact.id == model.contact_id)
        .outerjoin(Client, Client.id == client_id)
        .outerjoin(ProductGroup, ProductGroup.id == model.product_group_id)
        .where(model.status == status, owner_filter(actor, model.responsible_id))
    )
    condition = _search_condition(text) if text else None
    if condition is not None:
        query = query.where(condition)
    rows = (
        await session.execute(
            query.order_by(touched.desc(), model.id.desc())
            .offset(max(page, 0) * PICK_PAGE_SIZE)
            .limit(PICK_PAGE_SIZE + 1)
        )
    ).all()
    picked = [
        PickRow(row[0], row[1].full_name, row[2], row[3], row[4], row[5]) for row in rows[:PICK_PAGE_SIZE]
    ]
    return picked, len(rows) > PICK_PAGE_SIZE


async def require_subject(session: AsyncSession, actor: Actor, subject: Subject, subject_id: int) -> None:
    """R1c, for a button that names a lead or deal: refused unless ``actor`` may act on it and it is open."""
    access = await check_subject(session, actor, subject, subject_id)
    if access is Access.GONE:
        raise errors.Gone(f"{subject.value} is gone")
    if access is Access.DENIED:
        raise errors.NotAllowed(f"{subject.value} not actionable")
    if access is Access.NOT_OPEN:
        raise errors.Closed(f"{subject.value} is closed")


async def subject_contact_name(session: AsyncSession, subject: Subject, subject_id: int) -> str | None:
    """The contact's name of a lead or deal (the form names what it logs on), ``None`` when it is gone."""
    model: type[Lead] | type[Deal] = Lead if subject is Subject.LEAD else Deal
    contact = await session.scalar(
        select(Contact).join(model, model.contact_id == Contact.id).where(model.id == subject_id)
    )
    return contact.full_name if contact is not None else None


async def qualified_leads(session: AsyncSession, lead_ids: Sequence[int], policy: CommentPolicy) -> set[int]:
    """R1d: which of these leads have a qualifying interaction, judged now by the one domain rule (the stored
    ``qualifying`` flag is not trusted: the rule may have become stricter since)."""
    if not lead_ids:
        return set()
    rows = await session.execute(
        select(
            Interaction.lead_id,
            Interaction.kind,
            Interaction.outcome,
            Interaction.discussed,
            Interaction.agreed,
        ).where(Interaction.lead_id.in_(lead_ids))
    )
    return {
        lead_id
        for lead_id, kind, outcome, discussed, agreed in rows
        if lead_id is not None and qualifies(kind, outcome, discussed, agreed, policy)
    }
