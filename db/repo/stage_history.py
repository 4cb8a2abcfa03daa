"""A deal's stage history: when it entered and left each stage, and who moved it (``deal_stage_history``).

Every write that moves a deal calls :func:`enter` (the new deal's first stage) or :func:`move` (a stage
change, won or lost) inside its own write transaction, so the history and the deal never disagree: a deal's
only open span is on ``deals.stage_id``. Won and lost open a span on the outcome stage (the deal rests there;
the duration reports leave outcome stages out); when no outcome stage row exists, the last span is closed
and none is opened.

:func:`stage_durations` is the reports' read: the days each deal spent at each pipeline stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, and_, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from db.base import UtcDateTime, utcnow
from db.models import Deal, DealStageSpan, Stage
from domain.stats import between, ranks


async def enter(
    session: AsyncSession, deal_id: int, stage_id: int, *, at: datetime, actor_id: int | None
) -> None:
    """Open the deal's span at ``stage_id`` (the caller has closed the previous one, if any)."""
    session.add(DealStageSpan(deal_id=deal_id, stage_id=stage_id, entered_at=at, entered_by_id=actor_id))
    await session.flush()


async def move(
    session: AsyncSession,
    deal_id: int,
    stage_id: int | None,
    *,
    actor_id: int | None,
    at: datetime | None = None,
) -> None:
    """Close the deal's open span and open one at ``stage_id`` (``None``: a won or lost deal with no outcome
    stage row, left with no open span)."""
    moment = at or utcnow()
    await session.execute(
        update(DealStageSpan)
        .where(DealStageSpan.deal_id == deal_id, DealStageSpan.left_at.is_(None))
        .values(left_at=moment, left_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    if stage_id is not None:
        await enter(session, deal_id, stage_id, at=moment, actor_id=actor_id)


async def spans_of(session: AsyncSession, deal_id: int) -> list[DealStageSpan]:
    """The deal's spans, oldest first."""
    return list(
        await session.scalars(
            select(DealStageSpan)
            .where(DealStageSpan.deal_id == deal_id)
            .order_by(DealStageSpan.entered_at, DealStageSpan.id)
        )
    )


class days_between(FunctionElement[float]):
    """Days from the first timestamp to the second, to the whole second, in the database's own arithmetic
    (so equal spans give equal figures on SQLite and PostgreSQL, with no floating-point dust)."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(ROUND((julianday({end}) - julianday({start})) * 86400) / 86400.0)"


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(ROUND(EXTRACT(EPOCH FROM ({end} - {start}))) / 86400.0)"


def _lengths(
    since: datetime, until: datetime, scope: ColumnElement[bool] | None, now: datetime | None
) -> Select[int, float]:
    """The spans :func:`stage_durations` counts, each as (stage id, days), unordered."""
    end = min(until, now or utcnow())
    end_value = literal(end, UtcDateTime())
    still_in = and_(
        DealStageSpan.entered_at < end_value,
        or_(DealStageSpan.left_at.is_(None), DealStageSpan.left_at >= end_value),
    )
    ended = and_(DealStageSpan.left_at >= since, DealStageSpan.left_at < end_value)
    length = days_between(DealStageSpan.entered_at, case((ended, DealStageSpan.left_at), else_=end_value))
    query = (
        select(DealStageSpan.stage_id, length.label("days"))
        .join(Stage, Stage.id == DealStageSpan.stage_id)
        .where(Stage.kind == "open", or_(ended, still_in))
    )
    if scope is not None:
        query = query.join(Deal, Deal.id == DealStageSpan.deal_id).where(scope)
    return query


async def stage_durations(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    scope: ColumnElement[bool] | None = None,
    now: datetime | None = None,
) -> dict[int, list[float]]:
    """Days spent at each pipeline stage, by stage id, each list sorted (for the median and percentiles of
    ``domain.stats``).

    The period ends at ``until`` or now, whichever is earlier. A span counts when it ended within the period
    (its whole length), or when the deal was still at the stage at the period's end (its length up to then:
    an open span up to now). Won and lost stages are left out. ``scope`` is a condition over ``Deal`` (for
    example ``owner_filter(actor, Deal.responsible_id)``); ``None`` is the whole company.
    """
    query = _lengths(since, until, scope, now).order_by(DealStageSpan.stage_id, "days")
    found: dict[int, list[float]] = {}
    for stage_id, days in await session.execute(query):
        found.setdefault(stage_id, []).append(float(days))
    return found


@dataclass(frozen=True)
class StageDays:
    """How many spans :func:`stage_durations` would list for a stage, and their percentiles by fraction."""

    count: int
    percentiles: dict[float, float]


async def stage_days(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    fractions: tuple[float, ...],
    scope: ColumnElement[bool] | None = None,
    now: datetime | None = None,
) -> dict[int, StageDays]:
    """The same spans as :func:`stage_durations`, but only their count and percentiles per stage, ranked in
    SQL: the database numbers each stage's lengths in order and returns the few rows around each
    percentile's ranks, so a company's hundreds of thousands of spans never come into Python. The figures
    equal ``domain.stats.percentile`` over :func:`stage_durations` (the same ranks, the same interpolation).
    """
    lengths = _lengths(since, until, scope, now).subquery()
    ranked = select(
        lengths.c.stage_id,
        lengths.c.days,
        (func.row_number().over(partition_by=lengths.c.stage_id, order_by=lengths.c.days) - 1).label("rank"),
        func.count().over(partition_by=lengths.c.stage_id).label("n"),
    ).subquery()
    near = [  # a band around each rank, wide enough for any rounding of fraction × (n − 1)
        ranked.c.rank.between(
            (ranked.c.n - 1) * round(fraction * 1000) // 1000 - 1,
            (ranked.c.n - 1) * round(fraction * 1000) // 1000 + 2,
        )
        for fraction in fractions
    ]
    rows = await session.execute(
        select(ranked.c.stage_id, ranked.c.n, ranked.c.rank, ranked.c.days).where(or_(*near))
    )
    values: dict[int, dict[int, float]] = {}
    counts: dict[int, int] = {}
    for stage_id, count, rank, days in rows:
        counts[stage_id] = int(count)
        values.setdefault(stage_id, {})[int(rank)] = float(days)
    found: dict[int, StageDays] = {}
    for stage_id, count in counts.items():
        at = values[stage_id]
        found[stage_id] = StageDays(
            count,
            {
                fraction: between(at[lower], at[upper], count, fraction)
                for fraction in fractions
                for lower, upper in (ranks(count, fraction),)
            },
        )
    return found
