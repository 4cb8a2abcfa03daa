"""The sweep's reads and its one write: candidates for the reminder policy, and the outbox insert-ignore.

Every candidate query is bounded by an index so that a sweep costs what is *due*, not what exists
(migration 0004 adds the indexes):

- **Deadline windows** (:func:`deadline_candidates`). A deal's R2h deadline day is its basis day
  (``coalesce(last_qualifying_at, created_at)``) plus its effective period. The policy needs the deals
  whose deadline day lies between ``lookback_days`` ago and ``horizon_days`` ahead. For each distinct
  effective period (the default, and each shorter stage override: one query per period over that
  period's stage ids), that is a range of basis instants, searched on the expression index
  ``(status, coalesce(last_qualifying_at, created_at))``. The range is a few days wider than needed
  (time zones, the end-of-month clamp); the policy computes the exact days.
- **Incorrect deals (R2f)** (:func:`incorrect_candidates`). Correctness only changes when a deal is
  written (which bumps ``updated_at``) or when the comment policy is reconfigured (which takes a
  restart). So each sweep re-checks the open deals updated in the last ``RECENT`` (index
  ``(status, updated_at)``) plus the deals already reported incorrect (outbox rows of kind
  ``deal_incorrect``, index on ``kind``), which keeps every incorrect deal in the digests until it
  is fixed. The sweep at startup re-checks every open deal once (:func:`all_open_deals`), which
  catches a changed ``COMMENT_STOP_PHRASES``/``COMMENT_MIN_WORDS``.
- **Tasks** (:func:`task_candidates`): open tasks due in ``[now - lookback, now + lookahead]`` (index
  ``(done_at, due_at)``), and, for the users whose morning digest is due and not yet queued only, their
  open tasks due before the end of their day (index ``(assignee_id, done_at, due_at)``).
- **Users**: all of them (a company has hundreds at most).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.engine import write_tx
from db.models import Deal, OutboxMessage, Stage, Task, User
from db.repo.deals import snapshot
from domain.access import Role
from domain.comments import CommentPolicy
from domain.dates import add_months
from domain.deals import DealStatus
from domain.reminders import DealView, Kind, Notification, ReminderSettings, TaskView, UserView

RECENT = timedelta(days=1)
CHUNK = 500
# Zones run from UTC-12 to UTC+14, and the end-of-month clamp maps up to three basis days onto one
# deadline day: the windows are widened by this much on each side; the policy computes exact days.
MARGIN = timedelta(days=4)


def basis_expression() -> ColumnElement[datetime]:
    """R2h's basis; the same expression as the index ``ix_deals_status_basis``."""
    return func.coalesce(Deal.last_qualifying_at, Deal.created_at)


async def load_users(session: AsyncSession) -> list[UserView]:
    rows = await session.execute(
        select(
            User.id,
            User.role,
            User.team_id,
            User.timezone,
            User.is_active,
            User.is_reachable,
            User.weekly_report,
        )
    )
    return [
        UserView(id=r.id, role=Role(r.role), team_id=r.team_id, timezone=r.timezone,
                 is_active=r.is_active, is_reachable=r.is_reachable, weekly_report=r.weekly_report)
        for r in rows
    ]  # fmt: skip


async def stages_by_period(session: AsyncSession, default_months: int) -> dict[int, list[int]]:
    """Effective period (R2h: min of the default and the stage's) → the ids of the stages that have it."""
    result: dict[int, list[int]] = {}
    for stage_id, months in await session.execute(select(Stage.id, Stage.period_months).order_by(Stage.id)):
        period = default_months if months is None else min(default_months, months)
        result.setdefault(period, []).append(stage_id)
    return result


def _deal_query() -> Select[Deal]:
    return (
        select(Deal)
        .options(selectinload(Deal.lines), joinedload(Deal.stage))
        .where(Deal.status == DealStatus.OPEN.value)
    )


def basis_window(now: datetime, period: int, settings: ReminderSettings) -> tuple[datetime, datetime]:
    """Basis instants whose deadline day may be within ``[-lookback, +horizon]`` days of ``now``."""
    low = add_months(now - timedelta(days=settings.lookback_days), -period) - MARGIN
    high = add_months(now + timedelta(days=settings.horizon_days), -period) + MARGIN
    return low, high


def deadline_queries(
    now: datetime, settings: ReminderSettings, periods: dict[int, list[int]]
) -> Iterator[Select[Deal]]:
    """One SELECT per distinct effective period (exposed for EXPLAIN QUERY PLAN in the benchmark)."""
    basis = basis_expression()
    for period, stage_ids in sorted(periods.items()):
        low, high = basis_window(now, period, settings)
        yield _deal_query().where(basis >= low, basis < high, Deal.stage_id.in_(stage_ids))


async def deadline_candidates(session: AsyncSession, now: datetime, settings: ReminderSettings) -> list[Deal]:
    periods = await stages_by_period(session, settings.period_months)
    deals: list[Deal] = []
    for query in deadline_queries(now, settings, periods):
        deals.extend((await session.scalars(query)).unique())
    return deals


def recent_query(now: datetime) -> Select[Deal]:
    return _deal_query().where(Deal.updated_at >= now - RECENT)


def flagged_query() -> Select[str]:
    return select(OutboxMessage.payload).where(OutboxMessage.kind == Kind.DEAL_INCORRECT.value)


async def incorrect_candidates(session: AsyncSession, now: datetime) -> list[Deal]:
    """Open deals changed recently, and open deals already reported incorrect (to be re-checked)."""
    deals = list((await session.scalars(recent_query(now))).unique())
    flagged: set[int] = set()
    for payload in await session.scalars(flagged_query()):
        deal_id = json.loads(payload).get("deal_id")
        if isinstance(deal_id, int):
            flagged.add(deal_id)
    flagged -= {deal.id for deal in deals}
    ids = sorted(flagged)
    for start in range(0, len(ids), CHUNK):
        query = _deal_query().where(Deal.id.in_(ids[start : start + CHUNK]))
        deals.extend((await session.scalars(query)).unique())
    return deals


async def all_open_deals(session: AsyncSession) -> list[Deal]:
    """Every open deal: for the full R2f re-check at startup only."""
    return list((await session.scalars(_deal_query())).unique())


def deal_views(deals: Iterable[Deal], policy: CommentPolicy) -> list[DealView]:
    """The policy's view of loaded deals (lines and stage loaded), each once."""
    seen: dict[int, DealView] = {}
    for deal in deals:
        if deal.id not in seen:
            seen[deal.id] = DealView.of(deal.id, deal.responsible_id, snapshot(deal), policy)
    return list(seen.values())


def task_window_query(now: datetime, settings: ReminderSettings) -> Select[int, int, datetime]:
    return select(Task.id, Task.assignee_id, Task.due_at).where(
        Task.done_at.is_(None),
        Task.due_at >= now - timedelta(days=settings.lookback_days),
        Task.due_at <= now + settings.task_lookahead,
    )


async def task_candidates(
    session: AsyncSession, now: datetime, settings: ReminderSettings, digest_users: Sequence[int]
) -> list[TaskView]:
    """Open tasks due around ``now``, and every open task due before tomorrow of ``digest_users``."""
    rows = list(await session.execute(task_window_query(now, settings)))
    ids = sorted(set(digest_users))
    for start in range(0, len(ids), CHUNK):
        rows.extend(
            await session.execute(
                select(Task.id, Task.assignee_id, Task.due_at).where(
                    Task.assignee_id.in_(ids[start : start + CHUNK]),
                    Task.done_at.is_(None),
                    Task.due_at < now + timedelta(days=2),
                )
            )
        )
    unique = {row.id: TaskView(id=row.id, assignee_id=row.assignee_id, due_at=row.due_at) for row in rows}
    return list(unique.values())


async def existing_keys(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        found.update(
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.in_(wanted[start : start + CHUNK])
                )
            )
        )
    return found


def outbox_row(notification: Notification) -> dict[str, object]:
    return {
        "dedupe_key": notification.dedupe_key,
        "recipient_id": notification.recipient_id,
        "kind": notification.kind.value,
        "payload": json.dumps(notification.payload, sort_keys=True, separators=(",", ":")),
        "send_after": notification.send_after,
        "status": "pending",
        "attempts": 0,
    }


async def insert_ignore(session: AsyncSession, notifications: Sequence[Notification]) -> int:
    """Queue notifications in one write transaction; a dedupe key already queued is left as it is.

    ``INSERT ... ON CONFLICT (dedupe_key) DO NOTHING`` (SQLite and PostgreSQL), so two sweeps at once,
    a sweep repeated, or a restart never make a second row. Returns the number of rows inserted.
    """
    if not notifications:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # One compiled statement run as executemany: a multi-row VALUES would be compiled anew for every size.
    statement = insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])
    async with write_tx(session):
        queued = await existing_keys(session, (n.dedupe_key for n in notifications))
        fresh = {n.dedupe_key: n for n in notifications if n.dedupe_key not in queued}
        if fresh:
            connection = await session.connection()
            await connection.execute(statement, [outbox_row(n) for n in fresh.values()])
    # Under the write lock nothing else inserts on SQLite; on PostgreSQL a concurrent sweep's rows are
    # skipped by ON CONFLICT, so this count can only overstate what a parallel sweep already queued.
    return len(fresh)


__all__ = [
    "all_open_deals",
    "basis_expression",
    "deadline_candidates",
    "deadline_queries",
    "deal_views",
    "existing_keys",
    "flagged_query",
    "incorrect_candidates",
    "insert_ignore",
    "load_users",
    "recent_query",
    "stages_by_period",
    "task_candidates",
    "task_window_query",
]
