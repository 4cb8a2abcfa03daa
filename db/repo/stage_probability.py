"""The stages' probability for the forecast: an admin sets a pipeline stage's own value in the directory, and
every stage's effective value is its own, the default from its place in the pipeline, or the outcome's fixed
one (``domain.pipeline.stage_probability``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import Stage, User
from db.repo import audit
from db.repo.directories import DirectoryError, require_admin
from domain import errors
from domain.pipeline import PROBABILITY_MAX, PROBABILITY_MIN, stage_probability


async def probabilities(session: AsyncSession) -> dict[int, int]:
    """Every stage's effective probability by id. The default counts the place among all pipeline stages,
    switched-off ones included (their deals still need a figure), in the admins' order."""
    stages = list(await session.scalars(select(Stage).order_by(Stage.position, Stage.id)))
    pipeline = [stage.id for stage in stages if stage.kind == "open"]
    return {
        stage.id: stage_probability(
            stage.kind,
            stage.probability,
            pipeline.index(stage.id) if stage.kind == "open" else 0,
            len(pipeline),
        )
        for stage in stages
    }


async def probability_of(session: AsyncSession, stage_id: int) -> tuple[int, bool] | None:
    """A stage's effective probability, and whether it is the stage's own (set by an admin)."""
    stage = await session.get(Stage, stage_id)
    if stage is None:
        return None
    return (await probabilities(session))[stage.id], stage.kind == "open" and stage.probability is not None


async def set_stage_probability(
    session: AsyncSession, actor_id: int, stage_id: int, percent: int | None
) -> None:
    """A pipeline stage's own probability, 0–100 %; ``None`` returns it to the default. The won and lost
    outcomes are fixed (100 % and 0 %)."""
    if percent is not None and not PROBABILITY_MIN <= percent <= PROBABILITY_MAX:
        raise DirectoryError("dir-probability-invalid", min=PROBABILITY_MIN, max=PROBABILITY_MAX)
    async with write_tx(session):
        require_admin(await session.get(User, actor_id, populate_existing=True))
        stage = await session.get(Stage, stage_id, populate_existing=True)
        if stage is None:
            raise errors.Gone("the stage is gone")
        if stage.kind != "open":
            raise DirectoryError("dir-stage-outcome-fixed")
        if stage.probability == percent:
            return
        before = stage.probability
        stage.probability = percent
        audit.record(
            session,
            actor_id=actor_id,
            entity="stage",
            entity_id=stage.id,
            action="probability_changed",
            before={"probability": before},
            after={"probability": percent},
        )
