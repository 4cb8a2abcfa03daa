"""Tasks (Дела): planned actions with a due time, from /log's next step and from lead and deal cards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Deal, Lead, Task
from db.repo import audit
from db.repo.visibility import team_of
from domain import errors
from domain.access import Actor, may_act_on


def add_task(
    session: AsyncSession,
    *,
    title: str,
    due_at: datetime,
    assignee_id: int,
    created_by_id: int,
    lead_id: int | None = None,
    deal_id: int | None = None,
    interaction_id: int | None = None,
) -> Task:
    """Add a task to the current write transaction (call inside ``db.engine.write_tx``)."""
    task = Task(
        title=title,
        due_at=due_at,
        assignee_id=assignee_id,
        created_by_id=created_by_id,
        lead_id=lead_id,
        deal_id=deal_id,
        interaction_id=interaction_id,
    )
    session.add(task)
    return task


async def add_task_audited(session: AsyncSession, **fields: object) -> Task:
    task = add_task(session, **fields)  # type: ignore[arg-type]
    await session.flush()
    audit.record(
        session,
        actor_id=task.created_by_id,
        entity="deal" if task.deal_id else "lead" if task.lead_id else "task",
        entity_id=task.deal_id or task.lead_id or task.id,
        action="task_added",
        after={"task_id": task.id, "due_at": task.due_at},
    )
    return task


@dataclass(frozen=True)
class TaskSubject:
    """The lead or deal a task is added from: whose it is and whether it is still open."""

    entity: str  # lead | deal
    id: int
    responsible_id: int
    is_open: bool


async def task_subject(session: AsyncSession, entity: str, subject_id: int) -> TaskSubject | None:
    row: Lead | Deal | None
    if entity == "lead":
        row = await session.get(Lead, subject_id)
    elif entity == "deal":
        row = await session.get(Deal, subject_id)
    else:
        return None
    if row is None:
        return None
    return TaskSubject(entity, row.id, row.responsible_id, row.status == "open")


class SubjectGone(errors.Gone):
    pass


class SubjectClosed(errors.Closed):
    pass


class NotAllowed(errors.NotAllowed):
    """R1c: the actor may not act on the lead or deal."""


async def add_subject_task(
    session: AsyncSession, actor: Actor, entity: str, subject_id: int, title: str, due_at: datetime
) -> Task:
    """A task on an open lead or deal, for its responsible manager. R1c is checked again inside the write."""
    async with write_tx(session):
        subject = await task_subject(session, entity, subject_id)
        if subject is None:
            raise SubjectGone
        if not may_act_on(actor, subject.responsible_id, await team_of(session, subject.responsible_id)):
            raise NotAllowed
        if not subject.is_open:
            raise SubjectClosed
        return await add_task_audited(
            session,
            title=title,
            due_at=due_at,
            assignee_id=subject.responsible_id,
            created_by_id=actor.user_id,
            lead_id=subject.id if entity == "lead" else None,
            deal_id=subject.id if entity == "deal" else None,
        )
