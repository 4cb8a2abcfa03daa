"""Each manager's work (seed 001: «эффективность каждого менеджера»): in the period, the interactions they
logged and how many qualified (R1d), the leads they were given and what became of them, the deals they won
and lost with the sums; now, their open pipeline and their overdue tasks.

One grouped query per figure (``GROUP BY`` the responsible user, the author or the assignee), never a query
per manager; money is summed in SQL in kopecks. Admins are not managers and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Deal, Interaction, Lead, Task, User
from db.repo.reports.scope import in_scope, members
from domain.deals import DealStatus
from domain.leads import LeadStatus
from domain.report_scope import Scope


@dataclass
class ManagerRow:
    user: User
    interactions: int = 0
    qualifying: int = 0
    leads_created: int = 0
    leads_converted: int = 0
    leads_refused: int = 0
    won: int = 0
    won_minor: int = 0
    lost: int = 0
    lost_minor: int = 0
    open_deals: int = 0
    open_minor: int = 0
    overdue_tasks: int = 0

    @property
    def qualifying_share(self) -> float | None:
        return self.qualifying / self.interactions if self.interactions else None


def _grouped(rows: Iterable[Any]) -> dict[int, tuple[int, ...]]:
    return {int(row[0]): tuple(int(value or 0) for value in row[1:]) for row in rows}


async def _by_user(session: AsyncSession, query: Executable) -> dict[int, tuple[int, ...]]:
    return _grouped(await session.execute(query))


async def managers(
    session: AsyncSession, scope: Scope, start: datetime, end: datetime, now: datetime
) -> list[ManagerRow]:
    """The scope's managers (admins left out), by won sum, then by name."""
    rows = {user.id: ManagerRow(user) for user in await members(session, scope) if user.role != "admin"}
    if not rows:
        return []
    people = list(rows)
    done = await _by_user(
        session,
        select(
            Interaction.author_id,
            func.count(Interaction.id),
            func.count(Interaction.id).filter(Interaction.qualifying.is_(True)),
        )
        .where(
            Interaction.author_id.in_(people),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
        .group_by(Interaction.author_id),
    )
    leads = await _by_user(
        session,
        select(
            Lead.responsible_id,
            func.count(Lead.id),
            func.count(Lead.id).filter(Lead.status == LeadStatus.CONVERTED.value),
            func.count(Lead.id).filter(Lead.status == LeadStatus.REJECTED.value),
        )
        .where(in_scope(scope, Lead.responsible_id), Lead.created_at >= start, Lead.created_at < end)
        .group_by(Lead.responsible_id),
    )
    amount = Deal.total_minor
    won, lost = DealStatus.WON.value, DealStatus.LOST.value
    closed = await _by_user(
        session,
        select(
            Deal.responsible_id,
            func.count(Deal.id).filter(Deal.status == won),
            func.coalesce(func.sum(amount).filter(Deal.status == won), 0),
            func.count(Deal.id).filter(Deal.status == lost),
            func.coalesce(func.sum(amount).filter(Deal.status == lost), 0),
        )
        .where(
            in_scope(scope, Deal.responsible_id),
            Deal.status.in_([won, lost]),
            Deal.closed_at >= start,
            Deal.closed_at < end,
        )
        .group_by(Deal.responsible_id),
    )
    pipeline = await _by_user(
        session,
        select(Deal.responsible_id, func.count(Deal.id), func.coalesce(func.sum(amount), 0))
        .where(in_scope(scope, Deal.responsible_id), Deal.status == DealStatus.OPEN.value)
        .group_by(Deal.responsible_id),
    )
    overdue = await _by_user(
        session,
        select(Task.assignee_id, func.count(Task.id))
        .where(Task.assignee_id.in_(people), Task.done_at.is_(None), Task.due_at < now)
        .group_by(Task.assignee_id),
    )
    for user_id, row in rows.items():
        row.interactions, row.qualifying = done.get(user_id, (0, 0))
        row.leads_created, row.leads_converted, row.leads_refused = leads.get(user_id, (0, 0, 0))
        row.won, row.won_minor, row.lost, row.lost_minor = closed.get(user_id, (0, 0, 0, 0))
        row.open_deals, row.open_minor = pipeline.get(user_id, (0, 0))
        (row.overdue_tasks,) = overdue.get(user_id, (0,))
    return sorted(rows.values(), key=lambda row: (-row.won_minor, row.user.full_name, row.user.id))
