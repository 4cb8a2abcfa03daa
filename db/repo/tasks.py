"""Tasks (Дела): planned actions with a due time. Created from /log's next step and from cards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Task
from db.repo import audit


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
