"""Tasks (Дела): planned actions with a due time, from /log's next step and from lead and deal cards; the day
plan (``/today``), tasks loaded for notifications, and completing or rescheduling a task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Client, Contact, Deal, Lead, Task, User
from db.repo import audit, outbox
from db.repo.client_access import keeper_id, may_manage_client
from db.repo.deal_lists import RiskyDeal, deals_at_risk
from db.repo.visibility import may_act, team_of
from domain import errors
from domain.access import Actor, may_act_on
from domain.comments import CommentPolicy
from domain.deals import AT_RISK_DAYS


def add_task(
    session: AsyncSession,
    *,
    title: str,
    due_at: datetime,
    assignee_id: int,
    created_by_id: int,
    lead_id: int | None = None,
    deal_id: int | None = None,
    client_id: int | None = None,
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
        client_id=client_id,
        interaction_id=interaction_id,
    )
    session.add(task)
    return task


async def add_task_audited(session: AsyncSession, **fields: object) -> Task:
    task = add_task(session, **fields)  # type: ignore[arg-type]
    await session.flush()
    entity, entity_id = _audit_subject(task)
    audit.record(
        session,
        actor_id=task.created_by_id,
        entity=entity,
        entity_id=entity_id,
        action="task_added",
        after={"task_id": task.id, "due_at": task.due_at, "assignee_id": task.assignee_id},
    )
    return task


@dataclass(frozen=True)
class TaskSubject:
    """The lead, deal or client a task is added to: whose it is and whether it is still open. A personal
    task (``entity`` ``"self"``) belongs to nobody's record: ``responsible_id`` is 0."""

    entity: str  # lead | deal | client | self
    id: int
    responsible_id: int
    is_open: bool


#: The records a task may be set on; ``self`` is a personal task with no record.
SUBJECTS = frozenset({"lead", "deal", "client"})
PERSONAL = "self"


async def task_subject(session: AsyncSession, entity: str, subject_id: int) -> TaskSubject | None:
    if entity == "client":
        client = await session.get(Client, subject_id)
        if client is None:
            return None
        return TaskSubject(entity, client.id, keeper_id(client) or 0, True)
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


async def may_task(session: AsyncSession, actor: Actor, subject: TaskSubject) -> bool:
    """R1c: a task on a lead or deal — its responsible manager, their team lead or an admin; on a client —
    whoever may manage it (``client_access.may_manage_client``)."""
    if subject.entity == "client":
        client = await session.get(Client, subject.id)
        return client is not None and await may_manage_client(session, actor, client)
    return may_act_on(actor, subject.responsible_id, await team_of(session, subject.responsible_id))


class SubjectGone(errors.Gone):
    pass


class SubjectClosed(errors.Closed):
    pass


class NotAllowed(errors.NotAllowed):
    """R1c: the actor may not act on the lead or deal."""


async def add_subject_task(
    session: AsyncSession,
    actor: Actor,
    entity: str,
    subject_id: int,
    title: str,
    due_at: datetime,
    assignee_id: int | None = None,
) -> Task:
    """A task on an open lead or deal or on a client (R1c checked again inside the write), or a personal
    task (``entity`` ``"self"``). It goes to ``assignee_id`` when given — someone ``actor`` may act for (R1c:
    themselves, a team lead's team member, anyone for an admin) — otherwise to the record's responsible
    manager (the actor for a personal task). The assignee is told when it is someone else."""
    async with write_tx(session):
        subject: TaskSubject | None = None
        if entity != PERSONAL:
            subject = await task_subject(session, entity, subject_id)
            if subject is None:
                raise SubjectGone
            if not await may_task(session, actor, subject):
                raise NotAllowed
            if not subject.is_open:
                raise SubjectClosed
        if assignee_id is None:
            assignee_id = subject.responsible_id if subject and subject.responsible_id else actor.user_id
        elif not await may_assign(session, actor, assignee_id):
            raise NotAllowed
        task = await add_task_audited(
            session,
            title=title,
            due_at=due_at,
            assignee_id=assignee_id,
            created_by_id=actor.user_id,
            lead_id=subject_id if entity == "lead" else None,
            deal_id=subject_id if entity == "deal" else None,
            client_id=subject_id if entity == "client" else None,
        )
        if assignee_id != actor.user_id:
            await outbox.queue_notice(
                session,
                kind="task_assigned",
                recipient_id=assignee_id,
                payload={"task_id": task.id},
                key=str(task.id),
            )
        return task


async def may_assign(session: AsyncSession, actor: Actor, user_id: int) -> bool:
    """R1c: a task may go to an active user the actor may act for (themselves; a team lead's team; an admin
    anyone)."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return False
    return may_act_on(actor, user.id, user.team_id)


CARD_TASKS = 5


@dataclass(frozen=True)
class CardTask:
    """An open task as a card lists it: the task and its assignee's name."""

    task: Task
    assignee_id: int
    assignee_name: str


async def record_open_tasks(
    session: AsyncSession, entity: str, record_id: int, *, limit: int = CARD_TASKS
) -> tuple[list[CardTask], int]:
    """The open tasks of a lead, deal or client by due time, at most ``limit``; and how many more exist."""
    column = {"lead": Task.lead_id, "deal": Task.deal_id, "client": Task.client_id}.get(entity)
    if column is None:
        return [], 0
    condition = (column == record_id, Task.done_at.is_(None))
    rows = list(
        await session.execute(
            select(Task, User)
            .join(User, User.id == Task.assignee_id)
            .where(*condition)
            .order_by(Task.due_at, Task.id)
            .limit(limit)
        )
    )
    more = max(0, await _count(session, *condition) - len(rows)) if len(rows) == limit else 0
    return [CardTask(task, user.id, user.full_name or str(user.telegram_id)) for task, user in rows], more


# ---------------------------------------------------------------------------------------------
# The day plan (/today), tasks loaded for notifications, and task changes
# ---------------------------------------------------------------------------------------------


PLAN_LIMIT = 15


@dataclass(frozen=True)
class PlannedTask:
    task: Task
    deal_contact: str | None  # the contact of the task's deal or lead, for the line in the plan
    deal_id: int | None
    lead_id: int | None


@dataclass(frozen=True)
class DayPlan:
    overdue: list[PlannedTask]
    today: list[PlannedTask]
    at_risk: list[RiskyDeal]
    more_overdue: int = 0
    more_today: int = 0

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.today or self.at_risk)


def local_day_bounds(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The user's calendar day containing ``now``, as UTC instants [start, end)."""
    local = now.astimezone(zone).date()
    start = datetime.combine(local, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(local + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


async def _subjects(session: AsyncSession, tasks: Sequence[Task]) -> list[PlannedTask]:
    deal_ids = {t.deal_id for t in tasks if t.deal_id}
    lead_ids = {t.lead_id for t in tasks if t.lead_id}
    names: dict[tuple[str, int], str] = {}
    if deal_ids:
        for deal_id, contact in await session.execute(
            select(Deal.id, Contact).join(Contact, Contact.id == Deal.contact_id).where(Deal.id.in_(deal_ids))
        ):
            names[("deal", deal_id)] = contact.full_name
    if lead_ids:
        for lead_id, contact in await session.execute(
            select(Lead.id, Contact).join(Contact, Contact.id == Lead.contact_id).where(Lead.id.in_(lead_ids))
        ):
            names[("lead", lead_id)] = contact.full_name
    out = []
    for task in tasks:
        name = names.get(("deal", task.deal_id or 0)) or names.get(("lead", task.lead_id or 0))
        out.append(PlannedTask(task, name, task.deal_id, task.lead_id))
    return out


async def _count(session: AsyncSession, *where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(Task).where(*where)) or 0)


async def _listed(
    session: AsyncSession, user_id: int, limit: int, *where: ColumnElement[bool]
) -> tuple[list[Task], int]:
    """The user's open tasks matching ``where`` by due time, at most ``limit``; and how many more exist."""
    condition = (Task.assignee_id == user_id, Task.done_at.is_(None), *where)
    tasks = list(
        await session.scalars(select(Task).where(*condition).order_by(Task.due_at, Task.id).limit(limit))
    )
    more = max(0, await _count(session, *condition) - len(tasks)) if len(tasks) == limit else 0
    return tasks, more


WEEK_DAYS = 7
WEEK_LIMIT = 40


async def week_tasks(
    session: AsyncSession, user_id: int, *, now: datetime, zone: tzinfo, limit: int = WEEK_LIMIT
) -> tuple[list[PlannedTask], int]:
    """The week ahead: open tasks due from now to the end of the user's seventh calendar day (today is the
    first), by due time; and how many more there are beyond ``limit``. Overdue ones are not in it."""
    local = now.astimezone(zone).date()
    end = datetime.combine(local + timedelta(days=WEEK_DAYS), time(0), tzinfo=zone).astimezone(UTC)
    tasks, more = await _listed(session, user_id, limit, Task.due_at >= now, Task.due_at < end)
    return await _subjects(session, tasks), more


async def overdue_tasks(
    session: AsyncSession, user_id: int, *, now: datetime, limit: int = WEEK_LIMIT
) -> tuple[list[PlannedTask], int]:
    """Every open task due before now, the oldest first; and how many more there are beyond ``limit``."""
    tasks, more = await _listed(session, user_id, limit, Task.due_at < now)
    return await _subjects(session, tasks), more


async def day_plan(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime,
    zone: tzinfo,
    period_months: int,
    policy: CommentPolicy,
    limit: int = PLAN_LIMIT,
    at_risk_days: int = AT_RISK_DAYS,
) -> DayPlan:
    """Overdue tasks (due before now), the rest of today's tasks, and the user's own deals at risk."""
    _start, end = local_day_bounds(now, zone)
    overdue, more_overdue = await _listed(session, user_id, limit, Task.due_at < now)
    today, more_today = await _listed(session, user_id, limit, Task.due_at >= now, Task.due_at < end)
    risky = await deals_at_risk(
        session, user_id, now=now, zone=zone, period_months=period_months, policy=policy, days=at_risk_days
    )
    return DayPlan(
        overdue=await _subjects(session, overdue),
        today=await _subjects(session, today),
        at_risk=risky[:limit],
        more_overdue=more_overdue,
        more_today=more_today,
    )


async def tasks_by_ids(session: AsyncSession, task_ids: Sequence[int]) -> list[PlannedTask]:
    if not task_ids:
        return []
    tasks = list(
        await session.scalars(
            select(Task)
            .where(Task.id.in_(list(task_ids)))
            .order_by(Task.due_at)
            .execution_options(populate_existing=True)
        )
    )
    return await _subjects(session, tasks)


async def get_task(session: AsyncSession, task_id: int) -> Task | None:
    return await session.scalar(
        select(Task).where(Task.id == task_id).execution_options(populate_existing=True)
    )


def _audit_subject(task: Task) -> tuple[str, int]:
    """Task changes go into the history of the deal or lead they belong to (as ``add_task_audited`` does)."""
    if task.deal_id:
        return "deal", task.deal_id
    if task.lead_id:
        return "lead", task.lead_id
    if task.client_id:
        return "client", task.client_id
    return "task", task.id


class TaskGone(errors.Gone):
    """The task no longer exists or is already done."""


async def _task_for_update(session: AsyncSession, actor: Actor, task_id: int) -> Task:
    """The open task ``actor`` may change: R1c on its assignee, checked inside the caller's write."""
    task = await get_task(session, task_id)
    if task is not None and not await may_act(session, actor, task.assignee_id):
        raise errors.NotAllowed("the task is someone else's")
    if task is None or task.done_at is not None:
        raise TaskGone
    return task


async def complete_task(session: AsyncSession, task_id: int, actor: Actor, now: datetime) -> Task:
    """Mark an open task done, with an audit entry; raises ``TaskGone`` if it is missing or already done,
    ``NotAllowed`` if it is not ``actor``'s to change (R1c)."""
    actor_id = actor.user_id
    async with write_tx(session):
        task = await _task_for_update(session, actor, task_id)
        await session.execute(update(Task).where(Task.id == task.id).values(done_at=now))
        entity, entity_id = _audit_subject(task)
        audit.record(
            session,
            actor_id=actor_id,
            entity=entity,
            entity_id=entity_id,
            action="task_done",
            after={"task_id": task.id, "done_at": now},
        )
    task.done_at = now
    return task


async def reschedule_task(session: AsyncSession, task_id: int, actor: Actor, due_at: datetime) -> Task:
    """Move an open task to ``due_at``, with an audit entry; raises ``TaskGone`` or ``NotAllowed`` (R1c)."""
    actor_id = actor.user_id
    async with write_tx(session):
        task = await _task_for_update(session, actor, task_id)
        before = task.due_at
        await session.execute(update(Task).where(Task.id == task.id).values(due_at=due_at))
        entity, entity_id = _audit_subject(task)
        audit.record(
            session,
            actor_id=actor_id,
            entity=entity,
            entity_id=entity_id,
            action="task_rescheduled",
            before={"task_id": task.id, "due_at": before},
            after={"task_id": task.id, "due_at": due_at},
        )
    task.due_at = due_at
    return task
