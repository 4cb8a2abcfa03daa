"""Why deals are lost (seed 001, R2a: the reason is chosen from «Причины проигрыша» so that it can be
counted): the deals lost in the period, by reason, by the stage they were lost at, and by manager, each a
count and a sum.

One grouped query per breakdown (``GROUP BY`` the reason, the stage, the responsible user); money is summed in
SQL in kopecks. The stage a deal was lost at is the one «Где застревают сделки» reads
(:func:`db.repo.reports.stuck.lost_stage`); a deal lost before the reasons became a directory has only a
text and counts under no reason (``None``), a deal with no stage history under no stage (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Deal, LostReason, Stage, User
from db.repo.reports.stuck import lost_in, lost_stage
from domain.report_scope import Scope

K = TypeVar("K")


@dataclass(frozen=True)
class LostRow(Generic[K]):
    key: K
    deals: int
    amount_minor: int


@dataclass(frozen=True)
class Lost:
    reasons: list[LostRow[LostReason | None]]  # ``None``: no reason from the directory
    stages: list[LostRow[Stage | None]]  # ``None``: no stage history
    managers: list[LostRow[User]]

    @property
    def deals(self) -> int:
        return sum(row.deals for row in self.reasons)

    @property
    def amount_minor(self) -> int:
        return sum(row.amount_minor for row in self.reasons)


async def lost(session: AsyncSession, scope: Scope, start: datetime, end: datetime) -> Lost:
    """The deals lost in ``[start, end)`` in scope; each breakdown the most deals first (then the larger
    sum)."""
    where = lost_in(scope, start, end)
    amount = Deal.total_minor
    count, total = func.count(Deal.id), func.coalesce(func.sum(amount), 0)
    reasons = await session.execute(
        select(LostReason, count, total)
        .select_from(Deal)
        .join(LostReason, LostReason.id == Deal.lost_reason_id, isouter=True)
        .where(*where)
        .group_by(LostReason.id)
        .order_by(count.desc(), total.desc(), LostReason.position, LostReason.id)
    )
    stage_id = lost_stage().label("stage_id")
    by_stage = list(
        await session.execute(
            select(stage_id, count, total)
            .where(*where)
            .group_by(stage_id)
            .order_by(count.desc(), total.desc(), stage_id)
        )
    )
    known = [row[0] for row in by_stage if row[0] is not None]
    stages = {stage.id: stage for stage in await session.scalars(select(Stage).where(Stage.id.in_(known)))}
    managers = await session.execute(
        select(User, count, total)
        .join(Deal, Deal.responsible_id == User.id)
        .where(*where)
        .group_by(User.id)
        .order_by(count.desc(), total.desc(), User.full_name, User.id)
    )
    return Lost(
        [LostRow(reason, int(deals), int(minor)) for reason, deals, minor in reasons],
        [LostRow(stages.get(key) if key else None, int(deals), int(minor)) for key, deals, minor in by_stage],
        [LostRow(user, int(deals), int(minor)) for user, deals, minor in managers],
    )
