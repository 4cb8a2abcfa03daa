"""/log: numbers and keyboard mash are not an expanded comment (R3c), so they cannot make a lead convertible
(R1d). Issue 9, finding 7: «1 2 3» / «4 5 6» used to pass as both parts of a reached call."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Interaction
from tests.factories import make_interaction
from tests.flows.interactions.helpers import DISCUSSED, MANAGER, REACHED, count, reach_kind, setup_lead
from tests.harness import Harness, first_line, tp

NO_WORDS = "нет ни одного слова по существу"


async def assert_lead_is_not_convertible(harness: Harness) -> None:
    """R1d, as the manager sees it: the lead is locked in /new_deal and cannot be picked."""
    u = harness.user(MANAGER)
    await u.send("/cancel")
    await u.send("/new_deal")
    assert any(label.startswith("🔒") for label in u.buttons())
    assert first_line("err-lead-no-qualifying-interaction") in (await u.click("Иванов"))[-1]


async def test_r3c_numbers_as_both_parts_of_a_reached_call_are_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    await u.click(REACHED)
    reply = (await u.send("1 2 3"))[-1]
    assert "О чём говорили" in reply and NO_WORDS in reply
    reply = (await u.send(DISCUSSED))[-1]
    assert first_line("interaction-ask-agreed") in reply
    reply = (await u.send("4 5 6"))[-1]
    assert "О чём договорились" in reply and NO_WORDS in reply
    assert tp("btn-save") not in " ".join(harness.user(MANAGER).buttons())
    assert await count(sessionmaker, Interaction) == 0
    await assert_lead_is_not_convertible(harness)


@pytest.mark.parametrize(
    ("fake", "reason"),
    [
        ("ааа ббб ввв", NO_WORDS),
        ("йцу кен гшщ", NO_WORDS),
        ("... ... ...", "Напишите комментарий словами"),
        ("тест тест тест", "Слишком коротко"),
    ],
)
async def test_r3c_keyboard_mash_is_refused_at_each_part(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], fake: str, reason: str
) -> None:
    _, lead = await setup_lead(sessionmaker)
    u = await reach_kind(harness, lead)
    await u.click(REACHED)
    reply = (await u.send(fake))[-1]
    assert "О чём говорили" in reply and reason in reply
    await u.send(DISCUSSED)
    reply = (await u.send(fake))[-1]
    assert "О чём договорились" in reply and reason in reply
    assert await count(sessionmaker, Interaction) == 0


async def test_r1d_a_call_saved_with_numbers_before_the_fix_does_not_make_the_lead_convertible(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager, lead = await setup_lead(sessionmaker)
    # What the old rule saved as a qualifying call: R1d is recomputed with today's R3, so it does not count.
    await make_interaction(
        sessionmaker, manager, lead_id=lead, discussed="1 2 3", agreed="4 5 6", qualifying=True
    )
    await assert_lead_is_not_convertible(harness)
