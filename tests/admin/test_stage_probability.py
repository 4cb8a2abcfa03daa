"""/settings → «📚 Справочники» → a stage → «📈 Вероятность, %»: an admin sets the chance that a deal at the
stage is won (issue 12, the forecast); a typed value that is not a whole 0–100 is refused with the reason and
saves nothing. The seeded stages have defaults; a stage admins add takes one from its place in the pipeline;
the won and lost outcomes are fixed."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repo import stage_probability
from db.repo.directories import NotAdmin
from tests.admin.helpers import admin, audit, dialog_button, stage_by_code
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.harness import Harness, TgUser, first_line, t, tp

NAME = "Коммерческое предложение"


async def _open_stage(boss: TgUser, name: str = NAME) -> list[str]:
    await boss.send("/settings")
    await boss.click(tp("admin-btn-directories"))
    await boss.click(tp("dir-kind-stg"))
    return await boss.click(name)


async def test_admin_sets_a_stage_probability_and_returns_it_to_the_default(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    replies = await _open_stage(boss)
    assert t("dir-probability-own", percent=50) in replies[-1]  # the seeded default of the stage
    replies = await boss.click(tp("dir-btn-probability"))
    assert first_line("dir-ask-probability", name=NAME, min=0, max=100) in replies[-1]

    replies = await boss.send("40 %")
    assert t("dir-probability-saved") in replies[-1] and t("dir-probability-own", percent=40) in replies[-1]
    stage = await stage_by_code(sessionmaker, "proposal")
    assert stage.probability == 40
    [entry] = await audit(sessionmaker, "stage", stage.id)
    assert entry.action == "probability_changed"
    assert (entry.before, entry.after) == ('{"probability": 50}', '{"probability": 40}')

    # Back to the default: the stage's place among the six seeded pipeline stages (third: 10 + 80 × 2/5).
    await boss.click(tp("dir-btn-probability"))
    replies = await boss.click(tp("dir-btn-probability-default"))
    assert t("dir-probability-default", percent=42) in replies[-1]
    assert (await stage_by_code(sessionmaker, "proposal")).probability is None
    async with sessionmaker() as session:
        found = await stage_probability.probabilities(session)
    won, lost = await stage_by_code(sessionmaker, "won"), await stage_by_code(sessionmaker, "lost")
    assert (found[stage.id], found[won.id], found[lost.id]) == (42, 100, 0)


@pytest.mark.parametrize("typed", ["abc", "150", "-1", "40.5", "101"])
async def test_a_probability_that_is_not_a_whole_0_to_100_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], typed: str
) -> None:
    boss = await admin(harness)
    await _open_stage(boss)
    await boss.click(tp("dir-btn-probability"))
    replies = await boss.send(typed)
    assert t("dir-probability-invalid", min=0, max=100) in replies[-1]
    assert first_line("dir-ask-probability", name=NAME, min=0, max=100) in replies[-1]  # asked again
    assert (await stage_by_code(sessionmaker, "proposal")).probability == 50
    assert await audit(sessionmaker, "stage") == []
    # The next good answer is taken, and the refusal is gone.
    replies = await boss.send("0")
    assert t("dir-probability-invalid", min=0, max=100) not in replies[-1]
    assert (await stage_by_code(sessionmaker, "proposal")).probability == 0


async def test_outcomes_have_no_probability_button_and_a_forged_press_changes_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await _open_stage(boss, "Успешно реализовано")
    assert tp("dir-btn-probability") not in boss.buttons()
    replies = await boss.press(dialog_button(harness, ADMIN_ID, "probability"))
    assert replies == [tp("dir-stage-outcome-fixed")]
    assert (await stage_by_code(sessionmaker, "won")).probability == 100


async def test_a_manager_cannot_set_a_probability(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Only an active admin: the repository re-checks inside the write."""
    manager_id = await make_user(sessionmaker, 701, full_name="Пётр Менеджеров")
    stage = await stage_by_code(sessionmaker, "proposal")
    async with sessionmaker() as session:
        with pytest.raises(NotAdmin):
            await stage_probability.set_stage_probability(session, manager_id, stage.id, 70)
    assert (await stage_by_code(sessionmaker, "proposal")).probability == 50
