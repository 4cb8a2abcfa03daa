"""The forecast's figures (issue 12: «прогноз»): the open deals in scope by the month they are expected to
close (``Deal.expected_close``), each month's count, sum, and sum weighted by the stage's probability
(``db.repo.stage_probability.probabilities``: the admin's value or the default from the pipeline).

The forecast looks forward from the reader's current month; deals whose expected date is before it are one
«overdue» bucket, and deals with no expected date are counted apart, so the forecast cannot look better than
the data. Sums are grouped in SQL by day and stage (the overdue days as one), then folded into months and
weighted here, in kopecks: the weighted sum is rounded once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Deal
from db.repo.reports.scope import in_scope
from db.repo.stage_probability import probabilities
from domain.deals import DealStatus
from domain.report_scope import Scope


@dataclass
class Bucket:
    deals: int = 0
    amount_minor: int = 0
    weighted_centi: int = 0  # Σ amount_minor × percent

    @property
    def weighted_minor(self) -> int:
        return (self.weighted_centi + 50) // 100

    def add(self, deals: int, amount_minor: int, percent: int) -> None:
        self.deals += deals
        self.amount_minor += amount_minor
        self.weighted_centi += amount_minor * percent


@dataclass
class Forecast:
    months: dict[date, Bucket] = field(default_factory=dict)  # by the first day of the month, in order
    overdue: Bucket = field(default_factory=Bucket)
    undated: Bucket = field(default_factory=Bucket)

    @property
    def empty(self) -> bool:
        return not self.months and not self.overdue.deals and not self.undated.deals


async def forecast(session: AsyncSession, scope: Scope, month: date) -> Forecast:
    """Open deals in scope from ``month`` (its first day) on, the overdue ones and the undated ones."""
    percent = await probabilities(session)
    amount = Deal.total_minor
    overdue = Deal.expected_close < month  # NULL for an undated deal
    day = case((overdue, None), else_=Deal.expected_close)
    rows = await session.execute(
        select(day, overdue, Deal.stage_id, func.count(Deal.id), func.coalesce(func.sum(amount), 0))
        .where(Deal.status == DealStatus.OPEN.value, in_scope(scope, Deal.responsible_id))
        .group_by(day, overdue, Deal.stage_id)
        .order_by(day)
    )
    out = Forecast()
    for expected, late, stage_id, count, total in rows:
        if late:
            bucket = out.overdue
        elif expected is None:
            bucket = out.undated
        else:
            bucket = out.months.setdefault(expected.replace(day=1), Bucket())
        bucket.add(int(count), int(total), percent.get(stage_id, 0))
    return out
