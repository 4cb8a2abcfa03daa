"""The funnel's figures (seed 001: «воронка продаж», conversion): open deals by stage now; leads and deals
created in the period and how far they went; deals closed in the period, won and lost.

Money is summed in SQL in kopecks (``DealLine.amount_minor``), so nothing is rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Deal, DealStageSpan, Lead, Stage
from db.repo.reports.scope import in_scope
from domain.deals import DealStatus
from domain.leads import LeadStatus
from domain.report_scope import Scope


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    deals: int
    amount_minor: int


@dataclass(frozen=True)
class Reached:
    """Of the deals created in the period, how many reached this open stage (or a later one, or were won)."""

    stage: Stage
    deals: int


@dataclass(frozen=True)
class Funnel:
    open_by_stage: list[StageRow]
    reached: list[Reached]
    leads_created: int
    leads_converted: int  # of the leads created in the period, those made into a deal (by now)
    deals_created: int
    deals_created_won: int  # of the deals created in the period, those won (by now)
    won: int  # closed in the period
    won_minor: int
    lost: int
    lost_minor: int

    @property
    def win_rate(self) -> float | None:
        closed = self.won + self.lost
        return self.won / closed if closed else None

    @property
    def average_won_minor(self) -> int | None:
        return self.won_minor // self.won if self.won else None


async def funnel(session: AsyncSession, scope: Scope, start: datetime, end: datetime) -> Funnel:
    amount = Deal.total_minor
    open_rows = await session.execute(
        select(Stage, func.count(Deal.id), func.coalesce(func.sum(amount), 0))
        .join(
            Deal,
            and_(
                Deal.stage_id == Stage.id,
                Deal.status == DealStatus.OPEN.value,
                in_scope(scope, Deal.responsible_id),
            ),
            isouter=True,
        )
        .where(Stage.kind == "open", Stage.is_active.is_(True) | Deal.id.is_not(None))
        .group_by(Stage.id)
        .order_by(Stage.position, Stage.id)
    )
    by_stage = [StageRow(stage, int(count), int(total)) for stage, count, total in open_rows]

    leads = await session.execute(
        select(
            func.count(Lead.id), func.count(Lead.id).filter(Lead.status == LeadStatus.CONVERTED.value)
        ).where(in_scope(scope, Lead.responsible_id), Lead.created_at >= start, Lead.created_at < end)
    )
    leads_created, leads_converted = leads.one()

    created = await session.execute(
        select(func.count(Deal.id), func.count(Deal.id).filter(Deal.status == DealStatus.WON.value)).where(
            in_scope(scope, Deal.responsible_id), Deal.created_at >= start, Deal.created_at < end
        )
    )
    deals_created, deals_created_won = created.one()

    closed = await session.execute(
        select(Deal.status, func.count(Deal.id), func.coalesce(func.sum(amount), 0))
        .where(
            in_scope(scope, Deal.responsible_id),
            Deal.status.in_([DealStatus.WON.value, DealStatus.LOST.value]),
            Deal.closed_at >= start,
            Deal.closed_at < end,
        )
        .group_by(Deal.status)
    )
    outcomes = {status: (int(count), int(total)) for status, count, total in closed}
    won, won_minor = outcomes.get(DealStatus.WON.value, (0, 0))
    lost, lost_minor = outcomes.get(DealStatus.LOST.value, (0, 0))
    return Funnel(
        by_stage,
        await reached(session, scope, start, end, [row.stage for row in by_stage]),
        int(leads_created),
        int(leads_converted),
        int(deals_created),
        int(deals_created_won),
        won,
        won_minor,
        lost,
        lost_minor,
    )


async def reached(
    session: AsyncSession, scope: Scope, start: datetime, end: datetime, stages: list[Stage]
) -> list[Reached]:
    """Stage-to-stage conversion of the deals created in the period, from their stage history: a deal reached
    a stage when it had a span on it or on a later open stage (a stage may be skipped), or when it was won.

    One grouped query: per deal, the furthest open stage position it had a span on and whether it is won;
    then counts by that pair.
    """
    furthest = (
        select(
            Deal.id.label("deal_id"),
            func.max(Stage.position).label("position"),
            (Deal.status == DealStatus.WON.value).label("won"),
        )
        .join(DealStageSpan, DealStageSpan.deal_id == Deal.id, isouter=True)
        .join(Stage, and_(Stage.id == DealStageSpan.stage_id, Stage.kind == "open"), isouter=True)
        .where(in_scope(scope, Deal.responsible_id), Deal.created_at >= start, Deal.created_at < end)
        .group_by(Deal.id, Deal.status)
        .subquery()
    )
    rows = await session.execute(
        select(furthest.c.position, furthest.c.won, func.count()).group_by(
            furthest.c.position, furthest.c.won
        )
    )
    counts = [(position, bool(won), int(count)) for position, won, count in rows]
    return [
        Reached(
            stage,
            sum(
                count
                for position, won, count in counts
                if won or (position is not None and position >= stage.position)
            ),
        )
        for stage in stages
    ]
