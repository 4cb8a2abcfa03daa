"""Lists of deals: a manager's deals under a filter (R2e–R2h), the deals at risk (R2h), deals loaded by id.

SQL narrows the rows by visibility, status and the indexed R2h basis; the exact state of each deal is then
computed by ``domain.deals`` over the narrowed rows (``db.repo.deals.state_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.models import Deal, ProductGroup
from db.repo.deals import state_of
from db.repo.paging import slice_page
from db.repo.visibility import owner_filter
from domain.access import Actor
from domain.comments import CommentPolicy
from domain.dates import add_months
from domain.deals import AT_RISK_DAYS, DealState, DealStatus, is_at_risk

DEAL_FILTERS = ("all", "active", "risk", "inactive", "incorrect")


@dataclass(frozen=True)
class ListedDeal:
    deal: Deal
    state: DealState
    group_name: str


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
) -> tuple[list[ListedDeal], bool]:
    """Visible open deals under a filter, most urgent first, a page at a time.

    SQL narrows by visibility, status and, for "active" and "at risk", by the R2h basis
    (``last_qualifying_at``, else ``created_at``, indexed): an active deal's basis is no older than the
    default period, an at-risk deal's is at least a month old (every period is one month or more). Those
    bounds are a day wider than needed so the reader's time zone never drops a deal. The exact R2e–R2h
    state, the stage's shorter period, correctness (R2f needs the comment judged by R3) and the ordering by
    days left are then computed in Python over the narrowed rows: one team's open pipeline at most.
    """
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
    groups = {group.id: group.label for group in await session.scalars(select(ProductGroup))}
    items = [
        ListedDeal(
            deal, state_of(deal, now, period_months, policy, tz), groups.get(deal.product_group_id, "")
        )
        for deal in deals
    ]
    items = sorted(
        (item for item in items if _matches(flt, item.state, at_risk_days)),
        key=lambda item: _urgency(item, flt),
    )
    return slice_page(items, page)


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
