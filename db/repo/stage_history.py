"""A deal's stage history: when it entered and left each stage, and who moved it (``deal_stage_history``).

Every write that moves a deal calls :func:`enter` (the new deal's first stage) or :func:`move` (a stage
change, won or lost) inside its own write transaction, so the history and the deal never disagree: a deal's
only open span is on ``deals.stage_id``. Won and lost open a span on the outcome stage (the deal rests there;
the duration reports leave outcome stages out); when no outcome stage row exists, the last span is closed
and none is opened.

:func:`stage_durations` is the reports' read: the days each deal spent at each pipeline stage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from db.base import UtcDateTime, utcnow
from db.models import Deal, DealStageSpan, Stage


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
        .order_by(DealStageSpan.stage_id, "days")
    )
    if scope is not None:
        query = query.join(Deal, Deal.id == DealStageSpan.deal_id).where(scope)
    found: dict[int, list[float]] = {}
    for stage_id, days in await session.execute(query):
        found.setdefault(stage_id, []).append(float(days))
    return found
