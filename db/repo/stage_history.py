"""A deal's stage history: when it entered and left each stage, and who moved it (``deal_stage_history``).

Every write that moves a deal calls :func:`enter` (the new deal's first stage) or :func:`move` (a stage
change, won or lost) inside its own write transaction, so the history and the deal never disagree: a deal's
only open span is on ``deals.stage_id``. Won and lost open a span on the outcome stage (the deal rests there;
the duration reports leave outcome stages out); when no outcome stage row exists, the last span is closed
and none is opened.

:func:`stage_durations` is the reports' read: the days each deal spent at each pipeline stage.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Float,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
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
    since: datetime,
    until: datetime,
    scope: ColumnElement[bool] | None,
    now: datetime | None,
    days: Collection[tuple[int, int]] = (),
) -> CompoundSelect[int, float]:
    """The spans :func:`stage_durations` counts, each as (stage id, days), unordered.

    A team's or a manager's spans are read through their deals. The company's are three disjoint parts, each
    a range of one index, so that they are never scanned whole: the spans that ended in the period
    (``ix_deal_stage_history_left``), the spans open now (``ix_deal_stage_history_open_stage``), and the
    spans that were open at the period's end and ended after it. ``days``, when given, narrows the company's
    spans to those stages and about those whole days (a day more either side): a span still open at the end
    is as long as it is old, so its day is a range of its entry.
    """
    end = min(until, now or utcnow())
    end_value = literal(end, UtcDateTime())
    if scope is not None:  # a team's or a manager's: from their deals (an index by owner), then their spans
        ended = and_(DealStageSpan.left_at >= since, DealStageSpan.left_at < end_value)
        length = days_between(DealStageSpan.entered_at, case((ended, DealStageSpan.left_at), else_=end_value))
        # Ended in the period or still in at its end: entered before the end and not left before the start.
        # Said with ``coalesce`` and the deals as a subquery, the planner starts from the deals' owner index.
        return union_all(
            select(DealStageSpan.stage_id, length.label("days")).where(
                DealStageSpan.stage_id.in_(select(Stage.id).where(Stage.kind == "open")),
                DealStageSpan.entered_at < end_value,
                func.coalesce(DealStageSpan.left_at, end_value) >= since,
                DealStageSpan.deal_id.in_(select(Deal.id).where(scope)),
            )
        )
    pipeline = DealStageSpan.stage_id.in_(select(Stage.id).where(Stage.kind == "open"))
    to_end: list[ColumnElement[bool]] = []
    if days:
        entered = DealStageSpan.entered_at
        pipeline = DealStageSpan.stage_id.in_(sorted({stage_id for stage_id, _ in days}))
        to_end = [
            or_(
                *(
                    and_(
                        DealStageSpan.stage_id == stage_id,
                        entered > end - timedelta(days=whole + 2),
                        entered < end - timedelta(days=whole - 1),
                    )
                    for stage_id, whole in days
                )
            )
        ]
    parts = (
        (
            DealStageSpan.left_at,
            [DealStageSpan.left_at >= since, DealStageSpan.left_at < end_value],
        ),
        (end_value, [DealStageSpan.left_at.is_(None), DealStageSpan.entered_at < end_value, *to_end]),
        (end_value, [DealStageSpan.left_at >= end_value, DealStageSpan.entered_at < end_value, *to_end]),
    )
    selects = []
    for until_value, where in parts:
        selects.append(
            select(
                DealStageSpan.stage_id, days_between(DealStageSpan.entered_at, until_value).label("days")
            ).where(pipeline, *where)
        )
    return union_all(*selects)


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
    lengths = _lengths(since, until, scope, now).subquery()
    query = select(lengths.c.stage_id, lengths.c.days).order_by(lengths.c.stage_id, lengths.c.days)
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
    """The same spans as :func:`stage_durations`, but only their count and percentiles per stage, with no
    sort of all the spans: a company's hundreds of thousands of spans never come into Python, and the
    database never orders them all (a window over them took seconds).

    First the spans are counted per stage and whole day; those counts say which day holds each rank a
    percentile needs (:func:`domain.stats.ranks`). Then only the spans of those days are read and ordered.
    The figures equal ``domain.stats.percentile`` over :func:`stage_durations` (the same ranks, the same
    interpolation).
    """
    lengths = _lengths(since, until, scope, now).subquery()
    day = cast(lengths.c.days, Integer)
    histogram: dict[int, list[tuple[int, int]]] = {}
    for stage_id, whole_days, count in await session.execute(
        select(lengths.c.stage_id, day, func.count()).group_by(lengths.c.stage_id, day)
    ):
        histogram.setdefault(int(stage_id), []).append((int(whole_days), int(count)))
    counts = {stage_id: sum(count for _, count in per_day) for stage_id, per_day in histogram.items()}
    ranked_before: dict[tuple[int, int], int] = {}  # (stage, day) holding a wanted rank → spans before it
    for stage_id, per_day in histogram.items():
        wanted = {rank for fraction in fractions for rank in ranks(counts[stage_id], fraction)}
        before = 0
        for whole_days, count in sorted(per_day):
            if any(before <= rank < before + count for rank in wanted):
                ranked_before[stage_id, whole_days] = before
            before += count
    spans: dict[tuple[int, int], list[float]] = {}
    if ranked_before:
        near = _lengths(since, until, scope, now, list(ranked_before)).subquery()
        near_day = cast(near.c.days, Integer)
        rows = await session.execute(
            select(near.c.stage_id, near_day, near.c.days).where(
                tuple_(near.c.stage_id, near_day).in_(list(ranked_before))
            )
        )
        for stage_id, whole_days, length in rows:
            spans.setdefault((int(stage_id), int(whole_days)), []).append(float(length))
    values: dict[int, dict[int, float]] = {}
    for (stage_id, whole_days), lengths_in_day in spans.items():
        before = ranked_before[stage_id, whole_days]
        at = values.setdefault(stage_id, {})
        for offset, length in enumerate(sorted(lengths_in_day)):
            at[before + offset] = length
    return {
        stage_id: StageDays(
            count,
            {
                fraction: between(values[stage_id][lower], values[stage_id][upper], count, fraction)
                for fraction in fractions
                for lower, upper in (ranks(count, fraction),)
            },
        )
        for stage_id, count in counts.items()
    }
