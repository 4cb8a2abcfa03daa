"""The scheduler's jobs: stable ids, intervals from the settings, a sweep at startup, the outbox drain."""

from __future__ import annotations

import sys
import types
from datetime import timedelta

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.reminders import run_startup_sweep, run_sweep
from bot.runtime import create_scheduler, drain_outbox_job
from bot.settings import Settings
from tests.factories import make_user
from tests.reminders import outbox


async def test_jobs_have_stable_ids_and_configured_intervals(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    settings = settings.model_copy(update={"sweep_interval_minutes": 7, "outbox_interval_seconds": 3.0})
    scheduler = create_scheduler(settings, sessionmaker, bot=object(), hub=TranslatorHub())  # type: ignore[arg-type]
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {"housekeeping", "sweep", "sweep-startup", "outbox", "imports-resume"}
    assert isinstance(jobs["imports-resume"].trigger, DateTrigger)  # once, at start: stopped imports go on
    assert isinstance(jobs["sweep"].trigger, IntervalTrigger)
    assert jobs["sweep"].trigger.interval == timedelta(minutes=7)
    assert jobs["sweep"].func.__wrapped__ is run_sweep
    assert isinstance(jobs["sweep-startup"].trigger, DateTrigger)
    assert jobs["sweep-startup"].func.__wrapped__ is run_startup_sweep
    assert jobs["outbox"].trigger.interval == timedelta(seconds=3)
    assert jobs["outbox"].func.__wrapped__ is drain_outbox_job
    for job in jobs.values():
        assert job.coalesce is True
        assert job.misfire_grace_time == 3600
        assert job.max_instances == 1


def test_without_a_bot_there_is_no_outbox_job(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ids = {job.id for job in create_scheduler(settings, sessionmaker).get_jobs()}
    assert ids == {"housekeeping", "sweep", "sweep-startup"}


async def test_the_outbox_job_calls_the_sender(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[object, ...]] = []

    async def drain_outbox(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setitem(sys.modules, "bot.sender", types.SimpleNamespace(drain_outbox=drain_outbox))
    bot, hub = object(), TranslatorHub()
    await drain_outbox_job(bot, sessionmaker, settings, hub)  # type: ignore[arg-type]
    assert calls == [(bot, sessionmaker, settings, hub)]


async def test_the_sweep_jobs_run(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    await make_user(sessionmaker, 9001)
    await run_sweep(sessionmaker, settings)
    await run_startup_sweep(sessionmaker, settings)
    assert await outbox(sessionmaker) == []
