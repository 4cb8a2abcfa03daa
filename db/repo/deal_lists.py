"""Lists of deals: the deals a user sees under a filter (R1c, R2e–R2h), the deals at risk (R2h), deals loaded
by id.

Open deals: SQL narrows the rows by visibility, status and the indexed R2h basis; the exact state of each deal
is then computed by ``domain.deals`` over the narrowed rows (``db.repo.deals.state_of``). Won and lost deals
accumulate for ever, so they are paged and totalled in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.models import Deal, DealLine, ProductGroup
from db.repo.deals import state_of
from db.repo.paging import PAGE_SIZE, clamp_page, offset, slice_page
from db.repo.visibility import owner_filter
from domain.access import Actor
from domain.comments import CommentPolicy
from domain.dates import add_months
from domain.deals import AT_RISK_DAYS, DealState, DealStatus, is_at_risk

OPEN_FILTERS = ("all", "active", "risk", "inactive", "incorrect")
#: A closed filter's code is the status of the deals it lists.
CLOSED_FILTERS = (DealStatus.WON.value, DealStatus.LOST.value)
DEAL_FILTERS = OPEN_FILTERS + CLOSED_FILTERS

T = TypeVar("T")


@dataclass(frozen=True)
class ListedDeal:
    deal: Deal
    state: DealState
    group_name: str


@dataclass(frozen=True)
class ClosedDeal:
    deal: Deal
    group_name: str


@dataclass(frozen=True)
class DealsPage(Generic[T]):
    """One page of a filter's deals, and the count and amount (kopecks) of the whole filter, every page."""

    rows: list[T]
    has_next: bool
    count: int
    amount_minor: int


def amount_of(deal: Deal) -> int:
    """A deal's amount in kopecks: the sum of its lines (loaded)."""
    return sum(line.amount_minor for line in deal.lines)


async def _group_names(session: AsyncSession) -> dict[int, str]:
    return {group.id: group.label for group in await session.scalars(select(ProductGroup))}


def _matches(flt: str, state: DealState, at_risk_days: int = AT_RISK_DAYS) -> bool:
    if flt == "active":
        return state.active
    if flt == "risk":
        return is_at_risk(state.active, state.days_left, at_risk_days)
    if flt == "inactive":
        return not state.active
    if flt == "incorrect":
        return not state.correct
    return True


def _urgency(item: ListedDeal, flt: str) -> tuple[int, int, int]:
    first = 0 if flt == "all" and not item.state.active else 1
    days = item.state.days_left if item.state.days_left is not None else 10**6
    return first, days, item.deal.id


async def list_deals(
    session: AsyncSession,
    actor: Actor,
    flt: str,
    page: int,
    *,
    now: datetime,
    period_months: int,
    policy: CommentPolicy,
    tz: tzinfo,
    at_risk_days: int = AT_RISK_DAYS,
) -> DealsPage[ListedDeal]:
    """Visible open deals under a filter, most urgent first, a page at a time, with the filter's count and
    amount over every page (R1c: ``owner_filter``).

    SQL narrows by visibility, status and, for "active" and "at risk", by the R2h basis
    (``last_qualifying_at``, else ``created_at``, indexed): an active deal's basis is no older than the
    default period, an at-risk deal's is at least a month old (every period is one month or more). Those
    bounds are a day wider than needed so the reader's time zone never drops a deal. The exact R2e–R2h
    state, the stage's shorter period, correctness (R2f needs the comment judged by R3) and the ordering by
    days left are then computed in Python over the narrowed rows: one team's open pipeline at most.
    """
    items = await _open_items(session, actor, flt, now, period_months, policy, tz, at_risk_days)
    rows, has_next = slice_page(items, page)
    return DealsPage(rows, has_next, len(items), sum(amount_of(item.deal) for item in items))


async def _open_items(
    session: AsyncSession,
    actor: Actor,
    flt: str,
    now: datetime,
    period_months: int,
    policy: CommentPolicy,
    tz: tzinfo,
    at_risk_days: int,
) -> list[ListedDeal]:
    basis = func.coalesce(Deal.last_qualifying_at, Deal.created_at)
    query = (
        select(Deal)
        .options(selectinload(Deal.lines), joinedload(Deal.contact), joinedload(Deal.stage))
        .where(Deal.status == DealStatus.OPEN.value, owner_filter(actor, Deal.responsible_id))
    )
    if flt == "active":
        query = query.where(basis >= add_months(now, -period_months) - timedelta(days=2))
    elif flt == "risk":
        query = query.where(basis < add_months(now + timedelta(days=at_risk_days + 2), -1))
    deals = list((await session.scalars(query)).unique())
    groups = await _group_names(session)
    items = [
        ListedDeal(
            deal, state_of(deal, now, period_months, policy, tz), groups.get(deal.product_group_id, "")
        )
        for deal in deals
    ]
    return sorted(
        (item for item in items if _matches(flt, item.state, at_risk_days)),
        key=lambda item: _urgency(item, flt),
    )


async def open_deal_ids(
    session: AsyncSession,
    actor: Actor,
    flt: str,
    *,
    now: datetime,
    period_months: int,
    policy: CommentPolicy,
    tz: tzinfo,
    at_risk_days: int = AT_RISK_DAYS,
) -> list[int]:
    """The ids of the visible open deals under a filter, exactly as :func:`list_deals` lists them (the
    export reads them again a batch at a time)."""
    items = await _open_items(session, actor, flt, now, period_months, policy, tz, at_risk_days)
    return [item.deal.id for item in items]


async def list_closed(
    session: AsyncSession, actor: Actor, status: str, page: int, size: int = PAGE_SIZE
) -> DealsPage[ClosedDeal]:
    """Visible won or lost deals (R1c: ``owner_filter``), the latest closed first, a page at a time.

    Closed deals accumulate, so the page is cut by SQL (``offset``/``limit``) and the count and amount of the
    whole filter are one SQL aggregate; a page past the end (a deal reassigned meanwhile) shows the last one.
    """
    where = (Deal.status == status, owner_filter(actor, Deal.responsible_id))
    count, amount = (
        await session.execute(
            select(func.count(func.distinct(Deal.id)), func.coalesce(func.sum(DealLine.amount_minor), 0))
            .select_from(Deal)
            .outerjoin(DealLine, DealLine.deal_id == Deal.id)
            .where(*where)
        )
    ).one()
    page = clamp_page(page, count, size)
    deals = (
        await session.scalars(
            select(Deal)
            .options(selectinload(Deal.lines), joinedload(Deal.contact), joinedload(Deal.lost_reason_item))
            .where(*where)
            .order_by(Deal.closed_at.desc().nulls_last(), Deal.id.desc())
            .offset(offset(page, size))
            .limit(size)
        )
    ).unique()
    groups = await _group_names(session)
    rows = [ClosedDeal(deal, groups.get(deal.product_group_id, "")) for deal in deals]
    return DealsPage(rows, offset(page, size) + len(rows) < count, int(count), int(amount))


# ---------------------------------------------------------------------------------------------
# Deals at risk (R2h) and deals loaded for notifications
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskyDeal:
    deal: Deal
    state: DealState


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
    """R2h: the user's own open, active deals with at most ``days`` days to the deadline, soonest first.

    A deal is "at risk" when it is active and its inactivity deadline is at most ``days`` days away
    (``domain.deals.is_at_risk``; ``Settings.at_risk_days``, 7 by default), computed by
    ``domain.deals.deal_state`` with the stage's shorter period and ``period_months``. SQL narrows the open
    deals by their indexed R2h basis (``last_qualifying_at``, else ``created_at``): a deal whose basis is
    younger than one month minus the window cannot be at risk, since every period is a month or more. The
    exact state is then computed over the narrowed rows.
    """
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
