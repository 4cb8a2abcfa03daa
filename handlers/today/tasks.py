"""A task's buttons, on the plan and on a ``task_due`` reminder: done and reschedule.

R1c: the repository re-reads the task inside the write and checks that the presser is its assignee, the
assignee's team lead or an admin; a forged or stale button changes nothing and is answered by
``bot.errors`` with the refusal's own message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.models import Task
from db.repo import tasks as repo
from db.repo.visibility import may_act
from domain.access import Actor
from domain.errors import Gone, NotAllowed


class NotYourTask(NotAllowed):
    key = "today-access-denied"


class TaskGone(Gone):
    key = "today-task-gone"


async def check(session: AsyncSession, actor: Actor, task_id: int) -> Task:
    """The open task ``actor`` may change (before asking when to move it)."""
    task = await repo.get_task(session, task_id)
    if task is not None and not await may_act(session, actor, task.assignee_id):
        raise NotYourTask("the task is someone else's")
    if task is None or task.done_at is not None:
        raise TaskGone("the task is done or removed")
    return task


async def complete(session: AsyncSession, actor: Actor, task_id: int) -> Task:
    try:
        return await repo.complete_task(session, task_id, actor, utcnow())
    except repo.TaskGone as gone:
        raise TaskGone("the task is done or removed") from gone
    except NotAllowed as refused:
        raise NotYourTask("the task is someone else's") from refused


async def reschedule(session: AsyncSession, actor: Actor, task_id: int, due_at: datetime) -> Task:
    try:
        return await repo.reschedule_task(session, task_id, actor, due_at)
    except repo.TaskGone as gone:
        raise TaskGone("the task is done or removed") from gone
    except NotAllowed as refused:
        raise NotYourTask("the task is someone else's") from refused
