"""The discipline report's facts (seed 003: breaking R1–R4 costs a company deals, payments and fines), per
manager in scope:

- deals incorrect now (R2f), and open deals that went inactive in the period (R2h: the moment their
  inactivity deadline passed lies in the period and before now). Both come from the one domain state
  (``db.repo.deals.state_of``) over the scope's open deals: one team's open pipeline, judged in Python,
  because correctness needs the comment judged by R3. A deal is counted once for going inactive even when it
  is also incorrect; deals that went inactive and were closed since are not counted (the report shows what
  is still open to fix). Inactivity alerts sent are not counted apart: an alert is sent for exactly these
  deals, so it would count them twice;
- answers refused by R3 (a comment not expanded) and R5 (a duplicate contact) in the period, from
  ``rule_refusals`` (recorded by the forms);
- open leads created more than ``stale_lead_days`` ago with no interaction at all (R1d: nobody called).

Counts are grouped in SQL by the user; the lists behind them (drills) are read for one user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from db.models import Deal, Interaction, Lead, RuleRefusal, User
from db.repo.deals import state_of
from db.repo.reports.scope import in_scope, members
from domain.comments import CommentPolicy
from domain.deals import DealState, DealStatus
from domain.leads import LeadStatus
from domain.report_scope import Scope


@dataclass(frozen=True)
class Rules:
    """What judges a deal: the R2h period, the R3 comment policy, the reader's calendar; and the age in days
    of a lead left without an interaction."""

    period_months: int
    policy: CommentPolicy
    zone: tzinfo
    stale_days: int


@dataclass
class DisciplineRow:
    user: User
    incorrect: list[Deal] = field(default_factory=list)
    inactive: list[Deal] = field(default_factory=list)
    refused_r3: int = 0
    refused_r5: int = 0
    stale_leads: int = 0

    @property
    def total(self) -> int:
        counts = (len(self.incorrect), len(self.inactive), self.refused_r3, self.refused_r5, self.stale_leads)
        return sum(counts)


def went_inactive(state: DealState, start: datetime, end: datetime, now: datetime) -> bool:
    """R2h: the deal's inactivity deadline passed in the period (and has passed by now)."""
    return state.deadline is not None and start <= state.deadline < end and state.deadline <= now


async def open_deals(
    session: AsyncSession, scope: Scope, now: datetime, rules: Rules, user_id: int | None = None
) -> list[tuple[Deal, DealState]]:
    """The scope's (or one user's) open deals with their R2e–R2h state, by id."""
    query = (
        select(Deal)
        .options(selectinload(Deal.lines), joinedload(Deal.contact), joinedload(Deal.stage))
        .where(Deal.status == DealStatus.OPEN.value, in_scope(scope, Deal.responsible_id))
        .order_by(Deal.id)
    )
    if user_id is not None:
        query = query.where(Deal.responsible_id == user_id)
    deals = (await session.scalars(query)).unique()
    return [(deal, state_of(deal, now, rules.period_months, rules.policy, rules.zone)) for deal in deals]


def _stale(scope: Scope, now: datetime, days: int) -> list[ColumnElement[bool]]:
    return [
        in_scope(scope, Lead.responsible_id),
        Lead.status == LeadStatus.OPEN.value,
        Lead.created_at < now - timedelta(days=days),
        ~exists(select(Interaction.id).where(Interaction.lead_id == Lead.id)),
    ]


async def stale_leads(
    session: AsyncSession, scope: Scope, user_id: int, now: datetime, days: int
) -> list[Lead]:
    """One user's open leads older than ``days`` with no interaction, oldest first."""
    return list(
        await session.scalars(
            select(Lead)
            .options(joinedload(Lead.contact))
            .where(*_stale(scope, now, days), Lead.responsible_id == user_id)
            .order_by(Lead.created_at, Lead.id)
        )
    )


async def discipline(
    session: AsyncSession, scope: Scope, start: datetime, end: datetime, now: datetime, rules: Rules
) -> list[DisciplineRow]:
    """The scope's managers (admins left out), most violations first, then by name."""
    rows = {user.id: DisciplineRow(user) for user in await members(session, scope) if user.role != "admin"}
    if not rows:
        return []
    for deal, state in await open_deals(session, scope, now, rules):
        row = rows.get(deal.responsible_id)
        if row is None:
            continue
        if not state.correct:
            row.incorrect.append(deal)
        if went_inactive(state, start, end, now):
            row.inactive.append(deal)
    refusals = await session.execute(
        select(RuleRefusal.user_id, RuleRefusal.rule, func.count(RuleRefusal.id))
        .where(RuleRefusal.user_id.in_(list(rows)), RuleRefusal.at >= start, RuleRefusal.at < end)
        .group_by(RuleRefusal.user_id, RuleRefusal.rule)
    )
    for user_id, rule, count in refusals:
        row = rows[int(user_id)]
        if rule == "R3":
            row.refused_r3 = int(count)
        elif rule == "R5":
            row.refused_r5 = int(count)
    stale = await session.execute(
        select(Lead.responsible_id, func.count(Lead.id))
        .where(*_stale(scope, now, rules.stale_days))
        .group_by(Lead.responsible_id)
    )
    for user_id, count in stale:
        if int(user_id) in rows:
            rows[int(user_id)].stale_leads = int(count)
    return sorted(rows.values(), key=lambda row: (-row.total, row.user.full_name, row.user.id))
