"""Issue 9, finding 4: an acknowledged update is a handled one, and a redelivered update is not applied twice.

- ``Watermark``: the ``getUpdates`` offset never passes an unfinished update; ids returned again are skipped.
- ``Poller`` against the fake Bot API server, with a dispatcher whose handler the test holds: order of
  arrival, the concurrency bound, and offsets never acknowledging an update still running.
- ``HandledOnce`` through the production dispatcher: a form answer delivered twice moves the form once.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.polling import Poller, Watermark
from bot.runtime import housekeeping
from bot.settings import Settings
from db.engine import writing
from db.models import Contact, HandledUpdate
from tests.dialogs import dialog_state
from tests.factories import make_user
from tests.fakeapi.server import FakeTelegram
from tests.flows.contacts.helpers import PROMPTS, STEPS, VALID, answer
from tests.harness import TOKEN, Harness, RecordingSession, _update_ids, t, tp

# ---------------------------------------------------------------------------------------------
# Watermark
# ---------------------------------------------------------------------------------------------


def test_watermark_never_passes_an_unfinished_update() -> None:
    mark = Watermark()
    assert mark.offset is None
    assert [mark.receive(i) for i in (10, 11, 12)] == [True, True, True]
    assert mark.offset == 10
    mark.finish(11)
    mark.finish(12)
    assert mark.offset == 10, "11 and 12 are done, but 10 is not: nothing may be acknowledged"
    mark.finish(10)
    assert mark.offset == 13


def test_watermark_skips_ids_returned_again_while_in_flight_or_done() -> None:
    mark = Watermark()
    for i in (1, 2, 3):
        mark.receive(i)
    mark.finish(2)
    # Telegram returns everything at or above the offset (1) again.
    assert [mark.receive(i) for i in (1, 2, 3, 4)] == [False, False, False, True]
    for i in (1, 3, 4):
        mark.finish(i)
    assert mark.offset == 5
    # A poll sent before they finished (offset 1) may still answer with them: still skipped.
    assert [mark.receive(i) for i in (1, 2, 3, 4)] == [False, False, False, False]
    mark.confirmed(5)  # Telegram answered a poll with offset 5: it dropped 1-4 for good
    assert mark.offset == 5


def test_watermark_follows_the_last_received_id() -> None:
    """Telegram picks ids at random after a silent week: the offset follows the last one received."""
    mark = Watermark()
    mark.receive(500)
    mark.finish(500)
    mark.receive(7)
    assert mark.offset == 7
    mark.finish(7)
    assert mark.offset == 8


# ---------------------------------------------------------------------------------------------
# Poller against the fake Bot API server
# ---------------------------------------------------------------------------------------------


class Held:
    """A dispatcher whose message handler records the order it runs in and waits until released."""

    def __init__(self) -> None:
        self.dispatcher = Dispatcher()
        self.started: list[str] = []
        self.finished: list[str] = []
        self.release: dict[str, asyncio.Event] = {}
        self.running = 0
        self.most_running = 0
        self.dispatcher.message.register(self.handle)

    def gate(self, text: str) -> asyncio.Event:
        return self.release.setdefault(text, asyncio.Event())

    async def handle(self, message: Message) -> None:
        text = message.text or ""
        self.started.append(text)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            await self.gate(text).wait()
        finally:
            self.running -= 1
        self.finished.append(text)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def api_bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    yield bot
    await bot.session.close()


def offsets(tg: FakeTelegram) -> list[int]:
    return [int(c.params.get("offset") or 0) for c in tg.calls_to("getUpdates")]


async def settle(condition: Any, what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def running_poller(
    held: Held, bot: Bot, concurrency: int
) -> tuple[Poller, asyncio.Event, asyncio.Task[None]]:
    poller = Poller(held.dispatcher, bot, concurrency=concurrency, polling_timeout=1)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop, shutdown_timeout=5))
    return poller, stop, task


async def test_offset_waits_for_the_slowest_update_and_ids_are_handled_once(
    tg: FakeTelegram, api_bot: Bot
) -> None:
    held = Held()
    first, second, third = (tg.inject_message(42, text) for text in ("a", "b", "c"))
    _poller, stop, task = await running_poller(held, api_bot, concurrency=8)
    await settle(lambda: len(held.started) == 3, "three handlers running")
    held.gate("b").set()
    held.gate("c").set()
    await settle(lambda: held.finished == ["b", "c"], "b and c to finish")
    # Telegram keeps returning a, b and c while a runs; none is started again and none is acknowledged.
    await settle(lambda: len(tg.calls_to("getUpdates")) >= 3, "a few more polls")
    assert held.started == ["a", "b", "c"]
    assert max(offsets(tg)) <= first["update_id"]
    assert len(tg.updates) == 3

    held.gate("a").set()
    await settle(lambda: max(offsets(tg)) == third["update_id"] + 1, "the offset to pass c")
    assert held.started == ["a", "b", "c"] and tg.updates == []
    assert second["update_id"] == first["update_id"] + 1
    stop.set()
    await task


async def test_backlog_is_served_in_order_of_arrival_within_the_concurrency_bound(
    tg: FakeTelegram, api_bot: Bot
) -> None:
    held = Held()
    texts = [f"m{i:03}" for i in range(120)]
    for text in texts:
        held.gate(text).set()
    injected = [tg.inject_message(1000 + int(text[1:]) % 7, text) for text in texts]
    oldest = injected[0]
    held.gate(texts[0]).clear()  # the oldest one stalls; the rest must still flow, 4 at a time at most
    _poller, stop, task = await running_poller(held, api_bot, concurrency=4)
    await settle(lambda: len(held.finished) == 99, "the first page but the stalled update")
    assert held.started == texts[:100], "started in order of arrival (one page of 100)"
    assert held.most_running <= 4
    assert max(offsets(tg)) <= oldest["update_id"], "nothing acknowledged while the oldest update runs"
    held.gate(texts[0]).set()
    await settle(lambda: len(held.finished) == 120, "the whole backlog")
    assert held.started == texts, "each update handled once, in order of arrival"
    await settle(lambda: tg.updates == [], "everything acknowledged")
    stop.set()
    await task


async def test_shutdown_lets_updates_finish_and_acknowledges_them(
    tg: FakeTelegram, api_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.polling")
    held = Held()
    update = tg.inject_message(42, "slow")
    _poller, stop, task = await running_poller(held, api_bot, concurrency=2)
    await settle(lambda: held.started == ["slow"], "the handler to start")
    stop.set()
    await settle(
        lambda: "polling stopped: 1 update(s) in flight" in caplog.messages,
        "intake to stop and shutdown to wait",
    )
    assert not task.done() and held.finished == []
    held.gate("slow").set()
    await task
    assert held.finished == ["slow"]
    assert offsets(tg)[-1] == update["update_id"] + 1
    assert tg.updates == []


# ---------------------------------------------------------------------------------------------
# HandledOnce through the production dispatcher
# ---------------------------------------------------------------------------------------------


async def _count(sessionmaker: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_redelivered_form_answer_moves_the_form_once(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """The name, delivered again after a crash, is neither re-asked nor taken as the phone number."""
    await make_user(sessionmaker, 500_101)
    manager = harness.user(500_101)
    await manager.send("/new_contact")
    name = Update(
        update_id=next(_update_ids),
        message=manager._message(text=VALID["name"]),
    )
    replies = await manager.feed(name)
    assert PROMPTS["phone"] in replies[-1]

    assert await manager.feed(name) == [], "a redelivered update is skipped, without an answer"
    replies = await manager.send(VALID["phone"])
    assert PROMPTS["birth_date"] in replies[-1], replies
    async with sessionmaker() as session:
        marked = await session.scalar(select(HandledUpdate).where(HandledUpdate.update_id == name.update_id))
    assert marked is not None


def _button(harness: Harness, chat_id: int, label: str) -> tuple[Message, str]:
    for message in reversed(harness.messages_to(chat_id)):
        markup = message.reply_markup
        if isinstance(markup, InlineKeyboardMarkup):
            for row in markup.inline_keyboard:
                for button in row:
                    if label in button.text and button.callback_data:
                        return message, button.callback_data
    raise AssertionError(f"no button {label!r}")


async def test_a_redelivered_save_press_saves_one_contact(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """«Сохранить» delivered twice: one contact, one saved card, the form closed."""
    await make_user(sessionmaker, 500_102)
    manager = harness.user(500_102)
    await manager.send("/new_contact")
    for step in STEPS:
        await answer(manager, step)
    message, data = _button(harness, 500_102, tp("btn-save"))
    press = Update(
        update_id=next(_update_ids),
        callback_query=CallbackQuery(
            id="press-1", from_user=manager.user, chat_instance="ci", message=message, data=data
        ),
    )
    replies = await manager.feed(press)
    assert t("contact-saved-title") in replies[0]
    assert await manager.feed(press) == []
    assert await _count(sessionmaker, Contact) == 1
    assert await dialog_state(harness.dispatcher.storage, 500_102) == "ContactCard:main"
    async with sessionmaker() as session:
        assert await session.get(HandledUpdate, press.update_id) is not None


async def test_housekeeping_forgets_handled_updates_after_two_days(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime.now(UTC)
    async with writing(sessionmaker) as session:
        session.add_all(
            [
                HandledUpdate(update_id=1, handled_at=now - timedelta(days=3)),
                HandledUpdate(update_id=2, handled_at=now - timedelta(hours=30)),
            ]
        )
    await housekeeping(sessionmaker)
    async with sessionmaker() as session:
        assert list(await session.scalars(select(HandledUpdate.update_id))) == [2]


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
async def test_a_redelivered_form_answer_moves_the_form_once_with_redis(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """With FSM state in Redis the marker still guards the step (written right after the Redis writes)."""
    settings.redis_url = os.environ["TEST_REDIS_URL"]
    session = RecordingSession()
    harness = Harness(
        bot=create_bot(settings, session=session),
        dispatcher=create_dispatcher(settings, sessionmaker),
        session=session,
    )
    telegram_id = 900_000_000 + os.getpid() % 1_000_000
    await make_user(sessionmaker, telegram_id)
    manager = harness.user(telegram_id)
    try:
        await manager.send("/new_contact")
        name = Update(update_id=next(_update_ids), message=manager._message(text=VALID["name"]))
        assert PROMPTS["phone"] in (await manager.feed(name))[-1]
        assert await manager.feed(name) == []
        assert PROMPTS["birth_date"] in (await manager.send(VALID["phone"]))[-1]
    finally:
        await manager.send("/cancel")
        await harness.dispatcher.storage.close()
