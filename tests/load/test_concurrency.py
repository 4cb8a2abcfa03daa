"""Many updates at once, and quick repeats within one chat (issue 9, findings 1 and 10).

- 200 managers act within the same instant: every one is answered correctly and none hears «Что-то пошло не
  так». Before the fix, each update held one pooled connection for its session and asked for a second one for
  its form state, so from 15 updates at once the pool (5 + 10) waited on itself for 30 s and every update
  failed.
- Each chat's updates run one at a time: a double tap of «Сохранить» saves one contact and answers once, and
  two quick answers at a form step are applied in the order they were typed.

The SQLite runs use the test engine's pool (SQLAlchemy's 5 + 10), smaller than the production default, so a
burst of 200 waits for connections; the PostgreSQL run (``TEST_POSTGRES_URL``) does the same on asyncpg.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.pool import QueuePool

from bot.app import create_bot, create_dispatcher
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from db.models import Contact
from handlers.contacts.states import ContactForm
from tests.dialogs import dialog_states
from tests.flows.contacts.helpers import DUPLICATE_HEAD, PROMPTS, VALID, count, reach, save_button
from tests.harness import TOKEN, Harness, RecordingSession, t
from tests.load.helpers import (
    GENERIC_ERROR,
    STALE,
    add_managers,
    alerts,
    feed_at_once,
    press_update,
    text_update,
    texts_to,
)

BURST = 200
FIRST_MANAGER = 930_000_000


async def burst_of_form_steps(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """200 managers open the contact form at once, then all type the name at once."""
    ids = await add_managers(sessionmaker, FIRST_MANAGER, BURST)
    users = [harness.user(tid) for tid in ids]

    await feed_at_once(harness, [text_update(user, "/new_contact") for user in users])
    answered = len(harness.session.calls)
    await feed_at_once(harness, [text_update(user, VALID["name"]) for user in users])

    everything = [t for tid in ids for t in texts_to(harness, tid)]
    assert not [t for t in everything if GENERIC_ERROR in t]
    for tid in ids:
        first = texts_to(harness, tid)
        assert first and PROMPTS["name"] in first[0], (tid, first)
        second = texts_to(harness, tid, since=answered)
        assert len(second) == 1 and PROMPTS["phone"] in second[0], (tid, second)
    states = await dialog_states(sessionmaker)
    assert sum(state == ContactForm.phone.state for state in states.values()) == BURST


async def test_200_updates_at_once_are_all_answered(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await burst_of_form_steps(harness, sessionmaker)


async def test_the_pool_is_sized_from_settings(settings: Settings) -> None:
    settings = settings.model_copy(update={"db_pool_size": 3, "db_max_overflow": 4, "db_pool_timeout": 7})
    engine = create_engine(settings.database_url, **settings.pool_options)
    memory = create_engine("sqlite+aiosqlite://", **settings.pool_options)  # one static connection: ignored
    try:
        pool = engine.sync_engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool._max_overflow, pool.timeout()) == (3, 4, 7)
    finally:
        await engine.dispose()
        await memory.dispose()


async def test_an_update_needs_one_connection_so_a_pool_of_one_serves_a_burst(settings: Settings) -> None:
    """The pool is sized from settings; even a single connection serves 30 managers at once, because an
    update never asks for a second connection while it holds one."""
    settings = settings.model_copy(update={"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout": 5})
    engine = create_engine(settings.database_url, **settings.pool_options)
    sessionmaker = create_sessionmaker(engine)
    session = RecordingSession()
    dispatcher = create_dispatcher(settings, sessionmaker)
    harness = Harness(bot=create_bot(settings, session=session), dispatcher=dispatcher, session=session)
    try:
        ids = await add_managers(sessionmaker, FIRST_MANAGER, 30)
        await feed_at_once(harness, [text_update(harness.user(tid), "/new_contact") for tid in ids])
        await feed_at_once(harness, [text_update(harness.user(tid), VALID["name"]) for tid in ids])
        for tid in ids:
            replies = texts_to(harness, tid)
            assert len(replies) == 2 and PROMPTS["phone"] in replies[1], (tid, replies)
    finally:
        await dispatcher.storage.close()
        await engine.dispose()


async def test_double_tap_on_save_saves_one_contact_and_answers_once(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    [tid] = await add_managers(sessionmaker, FIRST_MANAGER, 1)
    manager = harness.user(tid)
    await reach(manager, "summary")
    summary = harness.message(tid)
    save = save_button(harness, tid)
    since = len(harness.session.calls)

    await feed_at_once(harness, [press_update(manager, save, summary), press_update(manager, save, summary)])

    assert await count(sessionmaker, Contact) == 1
    replies = texts_to(harness, tid, since)
    assert sum(t("contact-saved-title") in reply for reply in replies) == 1, replies
    assert not [reply for reply in replies if DUPLICATE_HEAD in reply or GENERIC_ERROR in reply], replies
    # The second tap finds the form already saved: the button is out of date, nothing else happens.
    assert alerts(harness, since) == [STALE]


async def test_two_quick_answers_are_applied_in_the_order_typed(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    [tid] = await add_managers(sessionmaker, FIRST_MANAGER, 1)
    manager = harness.user(tid)
    await reach(manager, "name")
    since = len(harness.session.calls)

    await feed_at_once(harness, [text_update(manager, VALID["name"]), text_update(manager, VALID["phone"])])

    replies = texts_to(harness, tid, since)
    assert len(replies) == 2, replies
    assert PROMPTS["phone"] in replies[0] and PROMPTS["birth_date"] in replies[1], replies
    assert list((await dialog_states(sessionmaker)).values()) == [ContactForm.birth_date.state]


class HeldChatSession(RecordingSession):
    """A Bot API whose messages to one chat hang until ``release`` is set, like a stalled network call."""

    def __init__(self, held_chat: int) -> None:
        super().__init__()
        self.held_chat = held_chat
        self.release = asyncio.Event()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,
    ) -> Any:
        if isinstance(method, SendMessage) and int(method.chat_id) == self.held_chat:
            await self.release.wait()
        return await super().make_request(bot, method, timeout)


async def test_other_chats_go_on_while_one_chat_waits(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Isolation is per chat: a manager whose answer is stuck on the network holds up only their own chat
    (and no database connection while the answer is on its way)."""
    slow_id, quick_id = await add_managers(sessionmaker, FIRST_MANAGER, 2)
    session = HeldChatSession(slow_id)
    dispatcher = create_dispatcher(settings, sessionmaker)
    harness = Harness(bot=create_bot(settings, session=session), dispatcher=dispatcher, session=session)
    slow, quick = harness.user(slow_id), harness.user(quick_id)
    try:
        stuck = asyncio.create_task(feed_at_once(harness, [text_update(slow, "/new_contact")]))
        # Bounded only so that a regression fails instead of hanging: the quick chat must not wait at all.
        await asyncio.wait_for(feed_at_once(harness, [text_update(quick, "/new_contact")]), 60)
        assert not stuck.done() and not texts_to(harness, slow_id)
        assert PROMPTS["name"] in texts_to(harness, quick_id)[0]
        engine = sessionmaker.kw["bind"]
        assert engine.pool.checkedout() == 0  # the stuck update keeps no connection while it waits
        session.release.set()
        await stuck
        assert PROMPTS["name"] in texts_to(harness, slow_id)[0]
    finally:
        session.release.set()
        await dispatcher.storage.close()


async def test_200_updates_at_once_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    url, sessionmaker = pg_sessionmaker
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url)  # type: ignore[call-arg,arg-type]
    session = RecordingSession()
    dispatcher = create_dispatcher(settings, sessionmaker)
    harness = Harness(bot=create_bot(settings, session=session), dispatcher=dispatcher, session=session)
    try:
        await burst_of_form_steps(harness, sessionmaker)
    finally:
        await dispatcher.storage.close()
