"""The scale-out path: the daily loop through the real dispatcher on PostgreSQL (TEST_POSTGRES_URL).

The unit suite runs on SQLite; this runs the same flows against a fresh PostgreSQL database, so the
dialect-specific parts (upserts, the partial unique index of R2i, SKIP LOCKED) are exercised there too.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.i18n import TranslatorHub
from bot.reminders import sweep
from bot.sender import drain_outbox
from bot.settings import Settings
from db.models import Contact, Deal, Interaction, Lead, OutboxMessage
from tests.conftest import ADMIN_ID
from tests.factories import make_user
from tests.flows.contacts.helpers import VALID, reach
from tests.harness import TOKEN, Harness, RecordingSession, t, tp

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set"
)
MANAGER = 880_001
PgSessionmaker = tuple[str, async_sessionmaker[AsyncSession]]


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_daily_loop_on_postgresql(
    pg_sessionmaker: tuple[str, async_sessionmaker[AsyncSession]], tmp_path: Path
) -> None:
    url, sessionmaker = pg_sessionmaker
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_url=url,
        admin_ids=[ADMIN_ID],
        outbox_journal=str(tmp_path / "outbox.journal"),  # never in the checkout's data/
    )
    session = RecordingSession()
    harness = Harness(
        bot=create_bot(settings, session=session),
        dispatcher=create_dispatcher(settings, sessionmaker),
        session=session,
    )
    await make_user(sessionmaker, MANAGER, full_name="Анна Смирнова")
    manager = harness.user(MANAGER)

    # A contact (R5: a second one with the same name and phone is refused).
    await reach(manager, "summary")
    assert t("contact-saved-title") in (await manager.click(tp("btn-save")))[-1]
    await reach(manager, "birth_date")
    assert await count(sessionmaker, Contact) == 1
    assert "уже есть" in " ".join(manager.replies())

    # A lead on it, a qualifying call, a deal (R1d, R2i).
    await manager.send("/cancel")
    await manager.send("/new_lead")
    await manager.send(VALID["name"].split()[0])  # typed at the contact step: a search
    await manager.click(VALID["name"].split()[0])
    await manager.click("Сайт")
    await manager.click("Оборудование")
    await manager.send("Нужны сканеры штрихкодов для склада")
    await manager.click(tp("btn-save"))
    assert await count(sessionmaker, Lead) == 1
    await manager.click(tp("lead-btn-log"))
    await manager.click(tp("interaction-choice-call-reached"))
    await manager.send("Обсудили поставку 20 сканеров, клиенту важна цена")
    await manager.send("Отправляю коммерческое предложение до пятницы, созвон в понедельник")
    await manager.click(tp("btn-save"))
    async with sessionmaker() as db:
        assert await db.scalar(select(Interaction.qualifying)) is True
    await manager.send("/new_deal")
    await manager.click(VALID["name"].split()[0])
    await manager.click("Сканер штрихкодов")  # the lead's group and the call's comment come pre-filled
    await manager.send("150 000")
    card = (await manager.click(tp("btn-save")))[-1]
    assert "Сделка №" in card
    async with sessionmaker() as db:
        deal = await db.scalar(select(Deal))
    assert deal is not None and deal.status == "open" and deal.last_qualifying_at is not None

    # The reminder three days before the deadline: swept twice (ON CONFLICT), then sent once (SKIP LOCKED).
    moment = deal.last_qualifying_at + timedelta(days=58)
    quiet_free = settings.model_copy(update={"quiet_hours": ""})
    assert await sweep(sessionmaker, quiet_free, moment) >= 1
    assert await sweep(sessionmaker, quiet_free, moment) == 0
    sent = await drain_outbox(harness.bot, sessionmaker, quiet_free, TranslatorHub(), clock=lambda: moment)
    again = await drain_outbox(harness.bot, sessionmaker, quiet_free, TranslatorHub(), clock=lambda: moment)
    async with sessionmaker() as db:
        rows = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "deal_reminder")))
    assert sent >= 1 and again == 0
    assert [row.status for row in rows] == ["sent"]
    reminders = [
        c for c in harness.calls(SendMessage) if int(c.chat_id) == MANAGER and "станет неактивной" in c.text
    ]
    assert len(reminders) == 1
    await harness.dispatcher.storage.close()
