"""Several instances on one database: one leader for the scheduled work, and no unsafe second instance.

Two ``bot.leader.Lease`` objects in one process stand for two instances; time moves through the ``now``
parameters instead of sleeping. On SQLite (a migrated file) and PostgreSQL (``TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.leader import REFUSAL, Lease
from bot.runtime import create_scheduler, join_instances, leader_only
from bot.settings import ConfigError, Settings
from db.engine import create_engine, create_sessionmaker
from db.models import BotInstance
from tests.conftest import postgres_database, settings_for

LEASE = 30.0
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(
    request: pytest.FixtureRequest, settings_url: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    if request.param == "sqlite":
        engine = create_engine(settings_url)
        try:
            yield create_sessionmaker(engine)
        finally:
            await engine.dispose()
        return
    async with postgres_database() as url:
        engine = create_engine(url)
        try:
            yield create_sessionmaker(engine)
        finally:
            await engine.dispose()


@pytest.fixture
def settings_url(settings: Settings) -> str:
    return settings.database_url


def two(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[Lease, Lease]:
    return (
        Lease(sessionmaker, lease_seconds=LEASE, instance_id="a" * 32, host="host-a", pid=1),
        Lease(sessionmaker, lease_seconds=LEASE, instance_id="b" * 32, host="host-b", pid=2),
    )


async def test_only_one_instance_leads(database: async_sessionmaker[AsyncSession]) -> None:
    first, second = two(database)
    await first.register(at(0))
    await second.register(at(0))

    assert await first.heartbeat(at(0)) is True
    assert await second.heartbeat(at(1)) is False
    # Heartbeats go on: the holder keeps the lease, the other keeps waiting.
    for tick in (10, 20, 30, 40):
        assert await first.heartbeat(at(tick)) is True
        assert await second.heartbeat(at(tick + 1)) is False
    assert first.is_leader and not second.is_leader


async def test_a_dead_leader_is_replaced_once_its_lease_expires(
    database: async_sessionmaker[AsyncSession],
) -> None:
    first, second = two(database)
    await first.heartbeat(at(0))
    assert await second.heartbeat(at(LEASE - 1)) is False  # not yet: the lease still holds
    # The first instance stops beating (killed): the second takes over after the lease.
    assert await second.heartbeat(at(LEASE + 1)) is True
    # Back from a pause, the first finds the lease taken and does not lead.
    assert await first.heartbeat(at(LEASE + 2)) is False
    assert not first.is_leader and second.is_leader


async def test_a_clean_shutdown_hands_the_lease_over_at_once(
    database: async_sessionmaker[AsyncSession],
) -> None:
    first, second = two(database)
    await first.register(at(0))
    await first.heartbeat(at(0))
    await first.unregister(at(5))

    assert not first.is_leader
    assert await second.heartbeat(at(6)) is True


async def test_becoming_and_stopping_being_leader_is_logged_without_ids(
    database: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = two(database)
    changes: list[bool] = []
    first.on_change(changes.append)
    with caplog.at_level(logging.INFO, logger="bot.leader"):
        await first.heartbeat(at(0))
        await second.heartbeat(at(LEASE + 1))
        await first.heartbeat(at(LEASE + 2))

    assert changes == [True, False]
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.leader"]
    assert lines == [
        "instance aaaaaaaa became the leader (scheduled work)",
        "instance bbbbbbbb became the leader (scheduled work)",
        "instance aaaaaaaa is no longer the leader (scheduled work)",
    ]


async def test_leader_only_jobs_skip_their_runs_on_other_instances(
    database: async_sessionmaker[AsyncSession], settings_url: str
) -> None:
    first, second = two(database)
    await first.heartbeat(at(0))
    await second.heartbeat(at(1))
    settings = settings_for(settings_url)

    leading = create_scheduler(settings, database, lease=first)
    following = create_scheduler(settings, database, lease=second)
    # The start-up sweep is scheduled on the leader only; the follower gets it when it takes over.
    assert "sweep-startup" in {job.id for job in leading.get_jobs()}
    assert "sweep-startup" not in {job.id for job in following.get_jobs()}
    await second.heartbeat(at(LEASE + 1))
    assert "sweep-startup" in {job.id for job in following.get_jobs()}
    assert {"sweep", "housekeeping", "lease"} <= {job.id for job in following.get_jobs()}


async def test_a_leader_only_job_starts_no_run_once_the_lease_is_lost(
    database: async_sessionmaker[AsyncSession],
) -> None:
    first, second = two(database)
    runs: list[str] = []

    async def sweep() -> None:
        runs.append("sweep")

    job = leader_only(first, sweep)
    await first.heartbeat(at(0))
    await job()
    await second.heartbeat(at(LEASE + 1))  # the first stalled; the second took over
    await first.heartbeat(at(LEASE + 2))
    await job()
    assert runs == ["sweep"]


async def registered(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(BotInstance)) or 0)


async def test_a_second_instance_without_redis_is_refused(
    database: async_sessionmaker[AsyncSession], settings_url: str
) -> None:
    running = Lease(database, lease_seconds=LEASE, host="another-host", pid=4242)
    await running.register()
    await running.heartbeat()

    async def beating() -> None:
        while True:
            await asyncio.sleep(0.1)
            await running.heartbeat()

    task = asyncio.create_task(beating())
    try:
        newcomer = Lease(database, lease_seconds=LEASE, host="this-host", pid=4343)
        with pytest.raises(ConfigError) as refused:
            await newcomer.check_alone(poll=0.05)
    finally:
        task.cancel()
    assert str(refused.value) == REFUSAL
    assert await registered(database) == 1


async def test_a_stale_registration_of_a_killed_instance_is_not_a_refusal(
    database: async_sessionmaker[AsyncSession],
) -> None:
    """Another host's registration that stops beating: the newcomer waits one lease period, then runs."""
    killed = Lease(database, lease_seconds=1.0, host="another-host", pid=4242)
    await killed.register()
    newcomer = Lease(database, lease_seconds=1.0, host="this-host", pid=4343)
    await asyncio.wait_for(newcomer.check_alone(poll=0.05), timeout=5)


async def test_a_restart_on_the_same_host_after_kill_9_starts_at_once(
    database: async_sessionmaker[AsyncSession], settings_url: str
) -> None:
    """The previous run of this instance left its row (``kill -9``): its process is gone, so no wait."""
    settings = settings_for(settings_url).model_copy(update={"leader_lease_seconds": 600.0})
    first = await join_instances(settings, database)
    assert first.is_leader
    # Stands for the killed run: same host, a pid that no longer runs.
    async with database() as session:
        row = await session.get(BotInstance, first.id)
        assert row is not None
        row.pid = 2**22 + 12345
        await session.commit()

    second = await asyncio.wait_for(join_instances(settings, database), timeout=5)
    assert await registered(database) == 2  # the stale row expires in its time
    await second.unregister()
    assert await registered(database) == 1


async def test_a_clean_shutdown_unregisters_so_a_restart_is_not_refused(
    database: async_sessionmaker[AsyncSession], settings_url: str
) -> None:
    settings = settings_for(settings_url)
    first = await join_instances(settings, database)
    await first.unregister()
    assert await registered(database) == 0
    other_host = Lease(database, lease_seconds=LEASE, host="another-host", pid=1)
    await asyncio.wait_for(other_host.check_alone(), timeout=2)


async def test_with_redis_several_instances_may_run(
    database: async_sessionmaker[AsyncSession], settings_url: str
) -> None:
    settings = settings_for(settings_url).model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"})
    running = Lease(database, lease_seconds=LEASE, host="another-host", pid=1)
    await running.register()
    await running.heartbeat()
    joined = await asyncio.wait_for(join_instances(settings, database), timeout=2)
    assert not joined.is_leader  # the running one holds the lease
    assert await registered(database) == 2
