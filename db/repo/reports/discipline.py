"""The discipline report's facts (seed 003: breaking R1–R4 costs a company deals, payments and fines), per
manager in scope:

- deals incorrect now (R2f), and open deals that went inactive in the period (R2h: the moment their
  inactivity deadline passed lies in the period and before now). Both are counted in SQL: a deal's required
  columns cannot be empty and its lines always have a product and an amount above 0, so it is incorrect when
  its comment's stored R3 verdict (``Deal.comment_expanded``) is negative or it has no line (its kept total
  is 0); the deadline is a monotonic function of the deal's basis (its last qualifying interaction, or its
  creation), so "went inactive in the period" is a range of bases per inactivity period
  (``domain.deals.bases_going_inactive``). A deal is counted once for going inactive even when it is also
  incorrect; deals that went inactive and were closed since are not counted (the report shows what is still
  open to fix). Inactivity alerts sent are not counted apart: an alert is sent for exactly these deals, so it
  would count them twice;
- answers refused by R3 (a comment not expanded) and R5 (a duplicate contact) in the period, from
  ``rule_refusals`` (recorded by the forms);
- open leads created more than ``stale_lead_days`` ago with no interaction at all (R1d: nobody called).

Counts are grouped in SQL by the user; the lists behind them (drills) are read for one user by the same
conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from db.models import Deal, Interaction, Lead, RuleRefusal, Stage, User
from db.repo.reports.scope import in_scope, members
from domain.deals import DealStatus, bases_going_inactive, effective_period_months
from domain.leads import LeadStatus
from domain.report_scope import Scope


@dataclass(frozen=True)
class Rules:
    """What judges a deal: the R2h period and the reader's calendar; and the age in days
    of a lead left without an interaction."""

    period_months: int
    zone: tzinfo
    stale_days: int


@dataclass
class DisciplineRow:
    user: User
    incorrect: int = 0
    inactive: int = 0
    refused_r3: int = 0
    refused_r5: int = 0
    stale_leads: int = 0

    @property
    def total(self) -> int:
        return sum((self.incorrect, self.inactive, self.refused_r3, self.refused_r5, self.stale_leads))


def incorrect() -> ColumnElement[bool]:
    """R2f in SQL: the comment's stored R3 verdict is negative, or the deal has no product line."""
    return or_(Deal.comment_expanded.is_(False), Deal.total_minor == 0)


async def went_inactive(
    session: AsyncSession, start: datetime, end: datetime, now: datetime, rules: Rules
) -> ColumnElement[bool]:
    """R2h in SQL: the deal's inactivity deadline passed in ``[start, end)`` and by ``now``, on the rules'
    calendar: for each stage's period (R2h: a stage's own period shortens the default), a range of bases."""
    basis = func.coalesce(Deal.last_qualifying_at, Deal.created_at)
    by_period: dict[int, list[int]] = {}
    for stage_id, months in await session.execute(select(Stage.id, Stage.period_months)):
        by_period.setdefault(effective_period_months(rules.period_months, months), []).append(stage_id)
    ranges = []
    for months, stage_ids in by_period.items():
        bases = bases_going_inactive(months, start, min(end, now + timedelta(microseconds=1)), rules.zone)
        if bases is not None:
            ranges.append(and_(Deal.stage_id.in_(stage_ids), basis >= bases[0], basis < bases[1]))
    return or_(false(), *ranges)


def _open_in(scope: Scope) -> list[ColumnElement[bool]]:
    return [Deal.status == DealStatus.OPEN.value, in_scope(scope, Deal.responsible_id)]


async def deal_list(
    session: AsyncSession, scope: Scope, user_id: int, condition: ColumnElement[bool], limit: int
) -> tuple[int, list[Deal]]:
    """One user's open deals in scope matching ``condition``: how many, and the first ``limit`` by id."""
    where = [*_open_in(scope), Deal.responsible_id == user_id, condition]
    count = int(await session.scalar(select(func.count(Deal.id)).where(*where)) or 0)
    deals = await session.scalars(
        select(Deal).options(joinedload(Deal.contact)).where(*where).order_by(Deal.id).limit(limit)
    )
    return count, list(deals)


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
    inactive = await went_inactive(session, start, end, now, rules)
    counts = await session.execute(
        select(
            Deal.responsible_id,
            func.count(Deal.id).filter(incorrect()),
            func.count(Deal.id).filter(inactive),
        )
        .where(*_open_in(scope), or_(incorrect(), inactive))
        .group_by(Deal.responsible_id)
    )
    for user_id, incorrect_count, inactive_count in counts:
        row = rows.get(int(user_id))
        if row is not None:
            row.incorrect, row.inactive = int(incorrect_count), int(inactive_count)
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
