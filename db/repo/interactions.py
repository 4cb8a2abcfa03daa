"""Interactions (R1d, R1e, R2h): the subjects a manager may log on, and saving one interaction.

The save re-reads the lead or deal inside its ``write_tx`` and checks R1c and the open status there, so a
stale or forged button, or a lead closed meanwhile, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from db.engine import write_tx
from db.models import Deal, Interaction, Lead
from db.repo import audit
from db.repo.tasks import add_task
from db.repo.visibility import may_act, owner_filter
from domain.access import Actor
from domain.leads import LeadStatus

PAGE_SIZE = 10
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
            .offset(max(page, 0) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


async def open_deals_page(session: AsyncSession, actor: Actor, page: int) -> tuple[list[Deal], bool]:
    """Open deals ``actor`` may act on (R1c), newest first, one page."""
    rows = list(
        await session.scalars(
            select(Deal)
            .options(joinedload(Deal.contact))
            .where(Deal.status == DEAL_OPEN, owner_filter(actor, Deal.responsible_id))
            .order_by(Deal.created_at.desc(), Deal.id.desc())
            .offset(max(page, 0) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


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
