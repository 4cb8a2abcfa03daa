"""Where deals get stuck (seed 001: «где застревают сделки»): for each pipeline stage, the days deals spent in
it over the period (median and 90th percentile, ``stage_history.stage_days``), the open deals in it now
for longer than its limit, and the stage at which the deals lost in the period were lost.

A stage's limit is its own inactivity period (``Stage.period_months``, R2h) counted in calendar months from
the day the deal entered the stage (``domain.dates.add_months``), or, for a stage with no period of its own,
the stage's median shown in the same report (same period and scope). A stage with neither has no limit.

The stuck deals are counted in SQL: a deal entered its stage before a cut-off. A calendar-month limit is not
a fixed number of days (28–31 a month), so for such a stage SQL counts the deals surely past it (entered over
31 days a month ago) and reads the few in the band between 28 days a month less three and 31 days a month,
which :func:`past_limit` checks exactly. The list reads at most ``limit`` oldest deals of each stage.

The stage a lost deal was lost at is its last span at a pipeline stage (the span before the outcome span);
a lost deal with no stage history counts under ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Contact, Deal, DealStageSpan, Stage
from db.repo.reports.scope import in_scope
from db.repo.stage_history import stage_days
from domain.dates import add_months
from domain.deals import DealStatus
from domain.report_scope import Scope, ScopeKind

#: Days a calendar month may add at least (clamped: 31 Jan + 1 month is 28 Feb) and at most.
MONTH_DAYS_MIN, MONTH_DAYS_MAX, CLAMP_DAYS = 28, 31, 3


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    median: float | None
    p90: float | None
    stuck: int  # open deals at the stage now, over its limit
    lost: int  # deals lost in the period at this stage


@dataclass(frozen=True)
class StuckDeal:
    deal_id: int
    contact: str
    stage: Stage
    days: float  # at the stage so far
    over: float  # days past the stage's limit


@dataclass(frozen=True)
class Stuck:
    stages: list[StageRow]
    deals: list[StuckDeal]  # the worst first, at most ``limit``
    stuck_total: int
    lost_unknown: int  # lost deals in the period with no stage history

    @property
    def empty(self) -> bool:
        return (
            not self.stuck_total
            and not self.lost_unknown
            and all(row.median is None and not row.lost for row in self.stages)
        )


def _days(since: datetime, until: datetime) -> float:
    return round((until - since).total_seconds()) / 86400


def past_limit(entered_at: datetime, months: int, now: datetime) -> bool:
    """R2h: the deal has been at a stage with an own period of ``months`` longer than that period."""
    return now > add_months(entered_at, months)


def _cutoffs(stage: Stage, middle: float | None, now: datetime) -> tuple[datetime, datetime] | None:
    """Entered before the first moment: surely stuck; between the two: check exactly; ``None``: no limit."""
    if stage.period_months:
        months = stage.period_months
        sure = now - timedelta(days=MONTH_DAYS_MAX * months)
        return sure, now - timedelta(days=MONTH_DAYS_MIN * months - CLAMP_DAYS)
    if middle is None:
        return None
    cut = now - timedelta(seconds=round(middle * 86400))
    return cut, cut


def _resting(scope: Scope, stage_id: int) -> list[ColumnElement[bool]]:
    """The open deals in scope resting at the stage (their open span is there)."""
    return [
        DealStageSpan.stage_id == stage_id,
        DealStageSpan.left_at.is_(None),
        Deal.stage_id == stage_id,
        Deal.status == DealStatus.OPEN.value,
        in_scope(scope, Deal.responsible_id),
    ]


def _open_spans(scope: Scope, stage_id: int) -> Select[int, datetime, str, str]:
    """The open deals in scope resting at the stage, with when they entered it and the contact's name."""
    return (
        select(Deal.id, DealStageSpan.entered_at, Contact.surname, Contact.given_name)
        .join(Deal, Deal.id == DealStageSpan.deal_id)
        .join(Contact, Contact.id == Deal.contact_id)
        .where(*_resting(scope, stage_id))
    )


async def _stuck_at(
    session: AsyncSession, scope: Scope, stage: Stage, middle: float | None, now: datetime, limit: int
) -> tuple[int, list[StuckDeal]]:
    cutoffs = _cutoffs(stage, middle, now)
    if cutoffs is None:
        return 0, []
    sure, band_end = cutoffs
    base = _open_spans(scope, stage.id)
    if scope.kind is ScopeKind.COMPANY:
        # A deal's only open span is on its current stage (``db.repo.stage_history``), so the company's count
        # is read from the open spans' index alone, with no deal rows.
        counted = select(func.count(DealStageSpan.id)).where(
            DealStageSpan.stage_id == stage.id,
            DealStageSpan.left_at.is_(None),
            DealStageSpan.entered_at < sure,
        )
    else:  # the names are not needed to count (every deal has its contact)
        counted = (
            select(func.count(Deal.id))
            .select_from(DealStageSpan)
            .join(Deal, Deal.id == DealStageSpan.deal_id)
            .where(*_resting(scope, stage.id), DealStageSpan.entered_at < sure)
        )
    count = int(await session.scalar(counted) or 0)
    rows = list(
        await session.execute(
            base.where(DealStageSpan.entered_at < sure)
            .order_by(DealStageSpan.entered_at, Deal.id)
            .limit(limit)
        )
    )
    if band_end > sure and stage.period_months:
        band = await session.execute(
            base.where(DealStageSpan.entered_at >= sure, DealStageSpan.entered_at < band_end)
        )
        extra = [row for row in band if past_limit(row[1], stage.period_months, now)]
        count += len(extra)
        rows.extend(extra)
    found = []
    for deal_id, entered, surname, given in rows:
        own = stage.period_months
        limit_at = add_months(entered, own) if own else entered + (now - sure)
        found.append(
            StuckDeal(deal_id, f"{surname} {given}", stage, _days(entered, now), _days(limit_at, now))
        )
    return count, found


def lost_stage() -> ColumnElement[int]:
    """A correlated subquery: the pipeline stage of the deal's last span there (where it was lost)."""
    return (
        select(DealStageSpan.stage_id)
        .join(Stage, Stage.id == DealStageSpan.stage_id)
        .where(DealStageSpan.deal_id == Deal.id, Stage.kind == "open")
        .order_by(DealStageSpan.entered_at.desc(), DealStageSpan.id.desc())
        .limit(1)
        .correlate(Deal)
        .scalar_subquery()
    )


def lost_in(scope: Scope, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """SQL conditions: the deal was lost in ``[start, end)`` and is in scope."""
    return [
        in_scope(scope, Deal.responsible_id),
        Deal.status == DealStatus.LOST.value,
        Deal.closed_at >= start,
        Deal.closed_at < end,
    ]


async def lost_by_stage(
    session: AsyncSession, scope: Scope, start: datetime, end: datetime
) -> dict[int | None, int]:
    """Deals lost in ``[start, end)`` in scope, by the stage they were lost at (``None``: no history)."""
    # The stage is taken once per deal in a subquery: grouped directly, SQLite would run it twice.
    lost = select(lost_stage().label("stage_id")).where(*lost_in(scope, start, end)).subquery()
    rows = await session.execute(select(lost.c.stage_id, func.count()).group_by(lost.c.stage_id))
    return {stage_id: int(count) for stage_id, count in rows}


async def stuck(
    session: AsyncSession, scope: Scope, start: datetime, end: datetime, now: datetime, limit: int = 20
) -> Stuck:
    durations = await stage_days(
        session,
        since=start,
        until=end,
        fractions=(0.5, 0.9),
        # the company's spans need no join to their deals (every span has its deal)
        scope=None if scope.kind is ScopeKind.COMPANY else in_scope(scope, Deal.responsible_id),
        now=now,
    )
    lost = await lost_by_stage(session, scope, start, end)
    stages = await session.scalars(
        select(Stage).where(Stage.kind == "open").order_by(Stage.position, Stage.id)
    )
    rows: list[StageRow] = []
    deals: list[StuckDeal] = []
    total = 0
    for stage in stages:
        days = durations.get(stage.id)
        middle = days.percentiles[0.5] if days else None
        count, found = await _stuck_at(session, scope, stage, middle, now, limit)
        if not stage.is_active and not days and not count and not lost.get(stage.id):
            continue
        p90 = days.percentiles[0.9] if days else None
        rows.append(StageRow(stage, middle, p90, count, lost.get(stage.id, 0)))
        deals.extend(found)
        total += count
    deals.sort(key=lambda deal: (-deal.over, -deal.days, deal.deal_id))
    return Stuck(rows, deals[:limit], total, lost.get(None, 0))
