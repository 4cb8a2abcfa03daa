"""Downtime: a reminder that fell due while the bot was stopped is delivered once after it starts again.

The real ``python -m bot`` process runs against the HTTP fake Bot API. While it is stopped, a deal whose
inactivity deadline is three days away is put into its database, so the 3-day reminder (R2h, SPEC "Reminders
and alerts") became due during the downtime. The start-up sweep queues it and the sender delivers it; a second
restart sends nothing more (the outbox's dedupe key): once its start-up sweep has run and the outbox has
nothing left to send, the reminder is still the only one.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from db.engine import create_engine, create_sessionmaker
from domain.deals import inactivity_deadline_day
from tests.e2e.conftest import BotProcess, wait_until
from tests.factories import make_contact, make_lead, make_user
from tests.fakeapi.server import FakeTelegram
from tests.flows.deals.helpers import Setup, insert_deal

pytestmark = pytest.mark.e2e

MANAGER_ID = 777_301
MOSCOW = ZoneInfo("Europe/Moscow")
#: What ``bot.reminders.sweep`` logs when it has queued what is due.
SWEPT = re.compile(r"sweep: \d+ due, \d+ queued")


def qualifying_moment_for_deadline_in(days: int) -> datetime:
    """A last qualifying interaction whose R2h deadline day (2 calendar months) is ``days`` days away."""
    target = datetime.now(MOSCOW).date() + timedelta(days=days)
    for back in range(50, 75):
        moment = datetime.combine(target - timedelta(days=back), time(12), tzinfo=MOSCOW)
        if inactivity_deadline_day(moment, 2, MOSCOW) == target:
            return moment.astimezone(UTC)
    raise AssertionError("no such day")


def unsent(db_path: Path) -> int:
    """Outbox rows the sender has still to send (or is sending right now)."""
    connection = sqlite3.connect(db_path)
    try:
        query = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
        return int(connection.execute(query).fetchone()[0])
    finally:
        connection.close()


async def put_due_deal(bot: BotProcess) -> int:
    engine = create_engine(bot.database_url)
    try:
        sessionmaker = create_sessionmaker(engine)
        manager = await make_user(sessionmaker, MANAGER_ID, full_name="Анна Смирнова")
        contact = await make_contact(sessionmaker, manager)
        lead = await make_lead(sessionmaker, contact, manager)
        setup = Setup(manager, contact, lead, 0)
        return await insert_deal(sessionmaker, setup, last_qualifying_at=qualifying_moment_for_deadline_in(3))
    finally:
        await engine.dispose()


async def test_a_reminder_due_during_downtime_is_delivered_once_after_restart(
    bot_process: BotProcess, tg: FakeTelegram
) -> None:
    # Quiet hours off, so the test does not depend on the hour it runs at; a quick outbox drain.
    bot_process.extra_env.update(
        QUIET_HOURS="", OUTBOX_INTERVAL_SECONDS="1", DEFAULT_TIMEZONE="Europe/Moscow"
    )
    await bot_process.start()  # creates and migrates the database
    await bot_process.terminate()
    deal_id = await put_due_deal(bot_process)
    tg.register_chat(MANAGER_ID, first_name="Анна")

    await bot_process.start()
    wanted = f"Сделка №{deal_id} с клиентом"
    reminder = await tg.wait_for_message(MANAGER_ID, contains=wanted, timeout=30, since=0)
    assert "станет неактивной через 3 дня" in reminder.params["text"]
    labels = [b["text"] for row in reminder.params["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Записать контакт" in label for label in labels)

    await bot_process.terminate()
    await bot_process.restart()
    await wait_until(
        lambda: SWEPT.search(bot_process.output(-1)) and unsent(bot_process.db_path) == 0,
        30,
        "the start-up sweep, then an outbox with nothing left to send",
        describe=bot_process.describe,
    )
    sent = [m for m in tg.sent_messages(MANAGER_ID) if wanted in m.get("text", "")]
    assert len(sent) == 1, sent
    bot_process.assert_no_tracebacks()
