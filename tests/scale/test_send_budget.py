"""One send budget for every instance (``bot.send_limits``): with Redis, two instances together keep the rate.

Two ``Bot`` objects stand for two instances (each gets its own limiter, as a process would); their drains run
at the same time against the fake Bot API, which answers anything over Telegram's limits with 429.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.send_limits import close_limiter
from bot.sender import drain_outbox
from bot.settings import Settings
from tests.fakeapi import FakeTelegram
from tests.reminders.test_sender import person, task_row

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")

RATE = 20.0  # the bot's global rate in these tests
TELEGRAM_RATE = 25.0  # what the fake server lets through: the same headroom as 25 of Telegram's 30 a second


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    # A bot id of its own: the budget's Redis keys are the bot's, so parallel runs do not share one.
    token = f"{random.randint(10**8, 10**9 - 1)}:AAFakeTokenForSharedBudgetTests"
    async with FakeTelegram(token=token) as server:
        server.enforce_rate_limits(per_chat_per_sec=1.0, global_per_sec=TELEGRAM_RATE)
        yield server


def instance_bot(tg: FakeTelegram) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    return Bot(tg.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


@pytest.fixture
def shared(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "quiet_hours": "",
            "redis_url": os.environ["TEST_REDIS_URL"],
            "send_rate_global": RATE,
            "outbox_journal": "off",
        }
    )


def busiest_second(times: list[float]) -> int:
    """The most sends that arrived within any one second."""
    times = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def drain_with_two_instances(
    tg: FakeTelegram, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> list[int]:
    bots = [instance_bot(tg), instance_bot(tg)]
    hub = TranslatorHub()
    try:
        return list(await asyncio.gather(*(drain_outbox(b, sessionmaker, settings, hub) for b in bots)))
    finally:
        for each in bots:
            await close_limiter(each)
            await each.session.close()


async def test_two_instances_together_keep_the_global_rate(
    tg: FakeTelegram, sessionmaker: async_sessionmaker[AsyncSession], shared: Settings
) -> None:
    chats = [700_000_000 + i for i in range(100)]
    for chat in chats:
        await task_row(sessionmaker, await person(sessionmaker, tg, chat))

    sent = await drain_with_two_instances(tg, sessionmaker, shared)

    assert sum(sent) == len(chats)
    assert min(sent) > 0  # both instances sent
    calls = tg.calls_to("sendMessage", ok_only=True)
    assert sorted(c.params["chat_id"] for c in calls) == chats  # each once
    assert tg.rate_limited_count == 0
    # At most RATE in any second, so the sends take at least this long (two instances each at their own
    # RATE would take half as long).
    times = sorted(c.at for c in calls)
    assert times[-1] - times[0] >= (len(calls) - RATE) / RATE - 0.1


async def test_a_429_pauses_every_instance(
    tg: FakeTelegram, sessionmaker: async_sessionmaker[AsyncSession], shared: Settings
) -> None:
    chats = [710_000_000 + i for i in range(6)]
    for chat in chats:
        await task_row(sessionmaker, await person(sessionmaker, tg, chat))
    tg.fail_next("sendMessage", status=429, retry_after=2)

    sent = await drain_with_two_instances(tg, sessionmaker, shared)

    assert sum(sent) == len(chats)
    calls = tg.calls_to("sendMessage")
    flood = next(c for c in calls if c.status == 429)
    after = [c.at - flood.at for c in calls if c.ok and c.seq > flood.seq]
    # Nobody started a send during the pause, neither instance (a request already on its way may land).
    assert after and not [gap for gap in after if 0.1 < gap < 1.9], after
    assert sorted(c.params["chat_id"] for c in calls if c.ok) == chats
