"""/new_deal: the deal's comment is judged by the same R3 rule as an interaction (R2f, R3d), so numbers and
keyboard mash are refused there too. Issue 9, finding 7: a deal comment «1 2 3» used to pass."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from db.models import Deal
from tests.flows.deals.helpers import (
    GOOD_COMMENT,
    MANAGER,
    convertible_lead,
    count,
    lead_status,
    reach_summary,
)
from tests.harness import Harness, first_line


async def test_r3d_numbers_and_mash_as_a_deal_comment_are_refused_and_the_step_stays(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    setup = await convertible_lead(sessionmaker)
    manager = harness.user(MANAGER)
    words = settings.comment_policy.min_words
    no_words = first_line("err-comment-no-words", min_words=words)
    summary = first_line("deal-summary", contact="")
    reply = (await reach_summary(manager, comment="1 2 3"))[-1]
    assert no_words in reply and summary not in reply
    for fake in ("ааа ббб ввв", "йцу кен гшщ"):
        assert no_words in (await manager.send(fake))[-1]
    assert first_line("err-comment-empty") in (await manager.send("... ... ..."))[-1]
    assert (
        first_line("err-comment-too-short", min_words=words, words=1)
        in (await manager.send("тест тест тест"))[-1]
    )
    assert await count(sessionmaker, Deal) == 0
    assert summary in (await manager.send(GOOD_COMMENT))[-1]
    assert await count(sessionmaker, Deal) == 0
    assert await lead_status(sessionmaker, setup.lead_id) == "open"
