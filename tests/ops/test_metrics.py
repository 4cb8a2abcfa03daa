"""``/metrics``: Prometheus text with updates by type and outcome, send results, outbox rows by state, sweep
durations and the leader flag. Counters are process-wide, so each test compares before and after."""

# The sender fixtures (tg, bot, hub, quiet_free) come from the sender's tests.
# ruff: noqa: F811

from __future__ import annotations

import contextlib
import shutil
from datetime import timedelta
from pathlib import Path

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import health, metrics
from bot.i18n import TranslatorHub
from bot.reminders import run_sweep
from bot.runtime import join_instances
from bot.sender import drain_outbox
from bot.settings import Settings
from db.base import utcnow
from tests.conftest import ADMIN_ID
from tests.fakeapi import FakeTelegram
from tests.harness import Harness, tp
from tests.reminders.test_sender import (  # noqa: F401 - fixtures
    add_row,
    bot,
    hub,
    person,
    quiet_free,
    task_row,
    tg,
)

MANAGER = 9201


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


async def scrape(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> dict[str, list[tuple[dict[str, str], float]]]:
    """``/metrics`` parsed: family name -> (labels, value) of each sample."""
    app = health.create_health_app(sessionmaker, None)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/metrics")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        text = await response.text()
    return {
        family.name: [(s.labels, s.value) for s in family.samples]
        for family in text_string_to_metric_families(text)
    }


async def test_a_handled_update_is_counted_by_type_and_outcome(harness: Harness) -> None:
    messages = sample("crm_updates_total", type="message", outcome="ok")
    timed = sample("crm_update_seconds_count", type="message")

    await harness.user(ADMIN_ID).send("/menu")

    assert sample("crm_updates_total", type="message", outcome="ok") == messages + 1
    assert sample("crm_update_seconds_count", type="message") == timed + 1


async def test_an_out_of_date_button_is_counted_as_refused_not_as_an_error(harness: Harness) -> None:
    """A press on a dialog this chat no longer has is answered «out of date»: an answer, not a failure."""
    refused = sample("crm_updates_total", type="callback_query", outcome="refused")
    errors = sample("crm_updates_total", type="callback_query", outcome="error")
    admin = harness.user(ADMIN_ID)
    await admin.send("/settings")
    markup = harness.messages_to(ADMIN_ID)[-1].reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    intent, _, widget = str(markup.inline_keyboard[0][0].callback_data).partition("\x1d")

    assert await admin.press("9" * len(intent) + "\x1d" + widget) == [tp("button-stale")]

    assert sample("crm_updates_total", type="callback_query", outcome="refused") == refused + 1
    assert sample("crm_updates_total", type="callback_query", outcome="error") == errors


async def test_an_update_that_fails_is_counted_as_an_error(
    harness: Harness, settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    """The database disappears under the bot: the update fails in our middlewares and counts as an error."""
    errors = sample("crm_updates_total", type="message", outcome="error")
    sessionmaker: async_sessionmaker[AsyncSession] = harness.dispatcher["sessionmaker"]
    await sessionmaker.kw["bind"].dispose()
    shutil.move(db_path.parent, tmp_path.with_name(tmp_path.name + "-moved"))
    try:
        # With the database gone the failure escapes feed_update; what matters here is that it was counted.
        with contextlib.suppress(Exception):
            await harness.user(ADMIN_ID + 1).send("/menu")
    finally:
        shutil.move(tmp_path.with_name(tmp_path.name + "-moved"), db_path.parent)
    assert sample("crm_updates_total", type="message", outcome="error") == errors + 1


async def test_each_send_result_is_counted_by_its_label(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    quiet_free: Settings,
    hub: TranslatorHub,
) -> None:
    before = {label: sample("crm_sends_total", result=label) for label in ("ok", "429", "403", "5xx")}
    manager = await person(sessionmaker, tg, MANAGER)
    await task_row(sessionmaker, manager, title="Отправить КП")

    tg.fail_next("sendMessage", status=502, times=1)
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0  # retried later
    later = utcnow() + timedelta(minutes=1)
    tg.fail_next("sendMessage", status=429, retry_after=1)
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub, clock=lambda: later) == 1
    await task_row(sessionmaker, manager, title="Позвонить")
    tg.block_user(MANAGER)
    assert await drain_outbox(bot, sessionmaker, quiet_free, hub, clock=lambda: later) == 0

    after = {label: sample("crm_sends_total", result=label) for label in before}
    assert {label: after[label] - before[label] for label in before} == {
        "ok": 1,
        "429": 1,
        "403": 1,
        "5xx": 1,
    }


async def test_the_page_parses_and_counts_outbox_rows_by_state(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    manager = await person(sessionmaker, None, MANAGER)
    for _ in range(3):
        await add_row(sessionmaker, manager)
    await add_row(sessionmaker, manager, status="failed")
    await harness.user(ADMIN_ID).send("/menu")

    families = await scrape(sessionmaker)

    rows = {labels["state"]: value for labels, value in families["crm_outbox_rows"]}
    assert rows == {"pending": 3, "sending": 0, "sent": 0, "failed": 1, "skipped": 0}
    updates = {(labels["type"], labels["outcome"]) for labels, _ in families["crm_updates"]}
    assert ("message", "ok") in updates
    assert {"crm_update_seconds", "crm_sends", "crm_sweep_seconds", "crm_leader"} <= set(families)
    # Labels name kinds, never people: no label value is a Telegram id.
    values = {v for samples in families.values() for labels, _ in samples for v in labels.values()}
    assert str(ADMIN_ID) not in values and str(MANAGER) not in values


async def test_a_sweep_is_timed(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    sweeps = sample("crm_sweep_seconds_count", kind="periodic")
    await run_sweep(sessionmaker, settings)
    assert sample("crm_sweep_seconds_count", kind="periodic") == sweeps + 1


def test_the_leader_flag_is_1_until_told_otherwise() -> None:
    assert sample("crm_leader") == 1
    try:
        metrics.set_leader(False)
        assert sample("crm_leader") == 0
    finally:
        metrics.set_leader(True)
    assert sample("crm_leader") == 1


async def test_the_leader_flag_follows_the_lease_of_a_joined_instance(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """The instance that joins leads (1); once it hands the lease back at shutdown the flag reads 0."""
    lease = await join_instances(settings, sessionmaker)
    try:
        assert lease.is_leader and sample("crm_leader") == 1
        await lease.unregister()
        assert not lease.is_leader and sample("crm_leader") == 0
    finally:
        metrics.set_leader(True)  # the single-instance default for the other tests
