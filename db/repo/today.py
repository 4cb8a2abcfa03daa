"""The day plan (``/today``) and what notifications read at send time: tasks, deals at risk, their parts.

R2h: a deal is "at risk" when it is active and its inactivity deadline is at most ``at_risk_days`` days away
(``domain.deals.is_at_risk``; ``Settings.at_risk_days``, 7 by default),
computed by ``domain.deals.deal_state`` with the stage's shorter period and ``settings.inactivity_period``.
SQL narrows the open deals by their indexed R2h basis (``last_qualifying_at``, else ``created_at``): a deal
whose basis is younger than one month minus the window cannot be at risk, since every period is a month or
more. The exact state is then computed over the narrowed rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.engine import write_tx
from db.models import Contact, Deal, Lead, Task, User
from db.repo import audit
from db.repo.deals import state_of
from db.repo.visibility import may_act
from domain.access import Actor
from domain.comments import CommentPolicy
from domain.dates import add_months
from domain.deals import AT_RISK_DAYS, DealState, DealStatus, is_at_risk
from domain.errors import Gone, NotAllowed

PLAN_LIMIT = 15


@dataclass(frozen=True)
class PlannedTask:
    task: Task
    deal_contact: str | None  # the contact of the task's deal or lead, for the line in the plan
    deal_id: int | None
    lead_id: int | None


@dataclass(frozen=True)
class RiskyDeal:
    deal: Deal
    state: DealState


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
    open_tasks = (Task.assignee_id == user_id, Task.done_at.is_(None))
    overdue_where = (*open_tasks, Task.due_at < now)
    today_where = (*open_tasks, Task.due_at >= now, Task.due_at < end)
    overdue = list(
        await session.scalars(select(Task).where(*overdue_where).order_by(Task.due_at).limit(limit))
    )
    today = list(await session.scalars(select(Task).where(*today_where).order_by(Task.due_at).limit(limit)))
    more_overdue = (
        max(0, await _count(session, *overdue_where) - len(overdue)) if len(overdue) == limit else 0
    )
    more_today = max(0, await _count(session, *today_where) - len(today)) if len(today) == limit else 0
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


async def deals_at_risk(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime,
    zone: tzinfo,
    period_months: int,
    policy: CommentPolicy,
    days: int = AT_RISK_DAYS,
) -> list[RiskyDeal]:
    """R2h: the user's own open, active deals with at most ``days`` days to the deadline, soonest first."""
    basis = func.coalesce(Deal.last_qualifying_at, Deal.created_at)
    deals = (
        await session.scalars(
            select(Deal)
            .options(selectinload(Deal.lines), joinedload(Deal.contact), joinedload(Deal.stage))
            .where(
                Deal.responsible_id == user_id,
                Deal.status == DealStatus.OPEN.value,
                basis < add_months(now + timedelta(days=days + 2), -1),
            )
        )
    ).unique()
    out = []
    for deal in deals:
        state = state_of(deal, now, period_months, policy, zone)
        if is_at_risk(state.active, state.days_left, days):
            out.append(RiskyDeal(deal, state))
    out.sort(key=lambda item: (item.state.days_left, item.deal.id))
    return out


# ---------------------------------------------------------------------------------------------
# Loading for notifications
# ---------------------------------------------------------------------------------------------


async def deals_by_ids(session: AsyncSession, deal_ids: Sequence[int]) -> dict[int, Deal]:
    """Deals with their lines, contact and stage, by id."""
    if not deal_ids:
        return {}
    rows = await session.scalars(
        select(Deal)
        .options(selectinload(Deal.lines), joinedload(Deal.contact), joinedload(Deal.stage))
        .where(Deal.id.in_(list(deal_ids)))
        .execution_options(populate_existing=True)
    )
    return {deal.id: deal for deal in rows.unique()}


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


async def users_by_ids(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(list(user_ids))))}


# ---------------------------------------------------------------------------------------------
# Task changes
# ---------------------------------------------------------------------------------------------


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
    return "task", task.id


class TaskGone(Gone):
    """The task no longer exists or is already done."""


async def _task_for_update(session: AsyncSession, actor: Actor, task_id: int) -> Task:
    """The open task ``actor`` may change: R1c on its assignee, checked inside the caller's write."""
    task = await get_task(session, task_id)
    if task is not None and not await may_act(session, actor, task.assignee_id):
        raise NotAllowed("the task is someone else's")
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
