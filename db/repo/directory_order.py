"""The order of the ordered directories (the pipeline stages, the outcome reasons) and a pipeline stage's own
inactivity period (R2h). Like every directory change: the author re-checked as an active admin inside the
write, and audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Stage
from db.repo import audit
from db.repo.directories import (
    ENTITIES,
    MODELS,
    ORDERED,
    DirectoryError,
    Kind,
    recheck_admin,
    row_for_update,
)
from domain import errors


async def move_item(session: AsyncSession, actor_id: int, kind: Kind, item_id: int, step: int) -> bool:
    """Swap an active value of an ``ORDERED`` directory (of stages, a pipeline stage) with its active
    neighbour (``step`` -1 up, +1 down), in one write.

    Positions are renumbered 1..n first, so equal positions left by hand never make a swap a no-op.
    Returns False when the value is already first (or last).
    """
    if kind not in ORDERED:
        raise errors.Gone("this directory is not ordered")
    model = MODELS[kind]
    query = select(model).order_by(model.position, model.id).execution_options(populate_existing=True)
    if kind is Kind.STAGE:
        query = query.where(Stage.kind == "open")
    async with write_tx(session):
        await recheck_admin(session, actor_id)
        rows = list(await session.scalars(query))
        for number, row in enumerate(rows, start=1):
            row.position = number
        active = [row for row in rows if row.is_active]
        index = next((i for i, row in enumerate(active) if row.id == item_id), None)
        if index is None and kind is Kind.STAGE:
            raise DirectoryError("dir-stage-outcome-fixed")
        if index is None:
            raise errors.Gone("not an active value")
        other = index + step
        if other < 0 or other >= len(active):
            return False
        mine, theirs = active[index], active[other]
        before = mine.position
        mine.position, theirs.position = theirs.position, mine.position
        audit.record(
            session,
            actor_id=actor_id,
            entity=ENTITIES[kind],
            entity_id=mine.id,
            action="reordered",
            before={"position": before},
            after={"position": mine.position, "swapped_with": theirs.id},
        )
        return True


async def set_stage_period(
    session: AsyncSession, actor_id: int, stage_id: int, months: int | None, max_months: int
) -> None:
    """R2h: a stage's own inactivity period, whole months from 1 up to the default; ``None`` clears it."""
    if months is not None and not 1 <= months <= max_months:
        raise DirectoryError("dir-period-invalid", max=max_months)
    async with write_tx(session):
        await recheck_admin(session, actor_id)
        stage = await row_for_update(session, Kind.STAGE, stage_id)
        if stage.kind != "open":
            raise DirectoryError("dir-stage-outcome-fixed")
        if stage.period_months == months:
            return
        before = stage.period_months
        stage.period_months = months
        audit.record(
            session,
            actor_id=actor_id,
            entity="stage",
            entity_id=stage.id,
            action="period_changed",
            before={"period_months": before},
            after={"period_months": months},
        )
