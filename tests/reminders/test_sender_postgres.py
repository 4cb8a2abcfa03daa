"""The sender's claim and crash recovery on PostgreSQL (TEST_POSTGRES_URL; skipped without it).

Issue 9, findings 5 and 6: the claim spread across recipients (a window function in a subquery, ``FOR UPDATE
OF outbox SKIP LOCKED`` outside), two concurrent claims never sharing a row, and the journal's recovery
(an ``executemany`` update) run on PostgreSQL as on SQLite.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.outbox_journal import SendJournal, journal_fingerprint, journal_path
from bot.sender import SENDING_TIMEOUT, drain_outbox
from bot.settings import Settings
from db.base import utcnow
from db.models import OutboxMessage
from db.repo import outbox
from tests.conftest import ADMIN_ID
from tests.fakeapi import FakeTelegram
from tests.harness import TOKEN
from tests.reminders.test_sender import add_row, person, task_row

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set"
)
FIRST = 8_810_000


async def test_concurrent_claims_spread_over_recipients_and_never_share_a_row(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    _url, sessionmaker = pg_sessionmaker
    busy = [await person(sessionmaker, None, FIRST + n) for n in range(3)]
    quiet = [await person(sessionmaker, None, FIRST + 100 + n) for n in range(10)]
    early = utcnow() - timedelta(hours=1)
    for user_id in busy:
        for _ in range(30):
            await add_row(sessionmaker, user_id, "task_due", {"task_id": 1}, send_after=early)
    for user_id in quiet:
        await add_row(sessionmaker, user_id, "task_due", {"task_id": 1})

    async def claim(claimer: str) -> list[outbox.Claimed]:
        async with sessionmaker() as session:
            now = utcnow()
            return await outbox.claim_due(
                session, now=now, stale_before=now - SENDING_TIMEOUT, limit=13, claimer=claimer
            )

    first, second = await asyncio.gather(claim("a" * 32), claim("b" * 32))

    ids_a = {c.row.id for c in first}
    ids_b = {c.row.id for c in second}
    assert ids_a and ids_b and not ids_a & ids_b
    everyone = set(busy) | set(quiet)
    assert {c.recipient.id for c in first + second} == everyone
    # Each claim takes at most two rows of one chat, whether the other claim ran beside it (rows it locked are
    # skipped) or just before it (its rows are no longer due, so the busy chats' next rows rank first).
    for claimed in (first, second):
        assert max(Counter(c.recipient.id for c in claimed).values()) <= 2
    async with sessionmaker() as session:
        rows = (await session.execute(select(OutboxMessage.id, OutboxMessage.claimed_by))).all()
    owners = {row_id: claimer for row_id, claimer in rows}
    assert {owners[i] for i in ids_a} == {"a" * 32} and {owners[i] for i in ids_b} == {"b" * 32}


async def test_a_crashed_run_is_recovered_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]], tmp_path: Path
) -> None:
    url, sessionmaker = pg_sessionmaker
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr(TOKEN),
        database_url=url,
        admin_ids=[ADMIN_ID],
        quiet_hours="",
        outbox_journal=str(tmp_path / "outbox.journal"),
    )
    async with FakeTelegram(token=TOKEN) as tg:
        manager = await person(sessionmaker, tg, FIRST + 500)
        confirmed = await task_row(sessionmaker, manager, title="Уже доставлено")
        in_flight = await task_row(sessionmaker, manager, title="Было в пути")
        path = journal_path(settings)
        assert path is not None
        crashed = SendJournal.open(path.resolve(), journal_fingerprint(settings))
        assert crashed is not None
        async with sessionmaker() as session:
            now = utcnow()
            await outbox.claim_due(
                session, now=now, stale_before=now - SENDING_TIMEOUT, limit=10, claimer=crashed.instance
            )
        crashed.started(confirmed)
        crashed.confirmed(confirmed, now)
        crashed.started(in_flight)
        crashed.close()

        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
        try:
            assert await drain_outbox(bot, sessionmaker, settings, TranslatorHub()) == 1
        finally:
            await bot.session.close()
        texts = [c.text or "" for c in tg.calls_to("sendMessage", ok_only=True)]
    assert [t for t in texts if "Уже доставлено" in t] == []
    assert len([t for t in texts if "Было в пути" in t]) == 1
    async with sessionmaker() as session:
        statuses = set((await session.scalars(select(OutboxMessage.status))).all())
    assert statuses == {"sent"}
