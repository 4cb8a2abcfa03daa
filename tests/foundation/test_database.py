"""Database foundation: migrations stairway, SQLite PRAGMAs, BEGIN IMMEDIATE, and the SQL FSM storage."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from db.engine import create_engine, create_sessionmaker, write_tx
from db.fsm_storage import SQLAlchemyStorage
from db.migrate import MIGRATIONS_DIR, alembic_config, downgrade, upgrade


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _tables(engine) -> set[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def _stairway(url: str) -> None:
    engine = create_engine(url)
    try:
        previous = "base"
        for revision in revisions():
            await upgrade(engine, revision)
            await downgrade(engine, previous)
            await upgrade(engine, revision)
            previous = revision
        assert "users" in await _tables(engine)
        await downgrade(engine, "base")
        assert await _tables(engine) <= {"alembic_version"}
    finally:
        await engine.dispose()


async def test_stairway_every_revision_goes_up_down_and_up_again(tmp_path: Path) -> None:
    assert MIGRATIONS_DIR.is_dir()
    await _stairway(f"sqlite+aiosqlite:///{tmp_path}/stairway.sqlite3")


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set")
async def test_stairway_on_postgresql() -> None:
    url = os.environ["TEST_POSTGRES_URL"]
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS stairway CASCADE"))
        await conn.execute(text("CREATE SCHEMA stairway"))
    await engine.dispose()
    engine = create_engine(url, connect_args={"server_settings": {"search_path": "stairway"}})
    try:
        previous = "base"
        for revision in revisions():
            await upgrade(engine, revision)
            await downgrade(engine, previous)
            await upgrade(engine, revision)
            previous = revision
        assert "users" in await _tables(engine)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS stairway CASCADE"))
        await engine.dispose()


async def test_sqlite_connections_get_the_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/nested/dir/crm.sqlite3")
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
            assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 1  # NORMAL
            busy_timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
            assert busy_timeout is not None and busy_timeout >= 5000
        assert (tmp_path / "nested" / "dir").is_dir()
    finally:
        await engine.dispose()


async def test_concurrent_read_then_write_transactions_all_succeed(tmp_path: Path) -> None:
    """With plain BEGIN, these increments fail with SQLITE_BUSY_SNAPSHOT; BEGIN IMMEDIATE serialises them."""
    writers = 20
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/race.sqlite3", pool_size=writers)
    sessionmaker = create_sessionmaker(engine)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        await conn.exec_driver_sql("INSERT INTO counter VALUES (0)")
    ready = 0
    all_ready = asyncio.Event()

    async def increment() -> None:
        nonlocal ready
        async with sessionmaker() as session:
            await session.execute(text("SELECT 1"))  # an open read snapshot, as a handler would have
            ready += 1
            if ready == writers:
                all_ready.set()
            async with write_tx(session):
                n = (await session.execute(text("SELECT n FROM counter"))).scalar_one()
                # Nobody writes before every increment holds a snapshot and is on its way to this write.
                await asyncio.wait_for(all_ready.wait(), 10)
                await session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    try:
        await asyncio.gather(*(increment() for _ in range(writers)))
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("SELECT n FROM counter")).scalar() == writers
    finally:
        await engine.dispose()


async def test_fsm_state_and_data_survive_a_new_engine(db_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{db_path}"
    key = StorageKey(bot_id=1, chat_id=42, user_id=42)
    engine = create_engine(url)
    storage = SQLAlchemyStorage(create_sessionmaker(engine))
    await storage.set_state(key, "ContactForm:phone")
    await storage.set_data(key, {"name": "Иванов Иван", "step": 2})
    await storage.update_data(key, {"step": 3})
    await engine.dispose()

    engine = create_engine(url)
    storage = SQLAlchemyStorage(create_sessionmaker(engine))
    try:
        assert await storage.get_state(key) == "ContactForm:phone"
        assert await storage.get_data(key) == {"name": "Иванов Иван", "step": 3}
        other = StorageKey(bot_id=1, chat_id=43, user_id=43)
        assert await storage.get_state(other) is None
        assert await storage.get_data(other) == {}
        await storage.set_state(key, None)
        await storage.set_data(key, {})
        assert await storage.get_state(key) is None
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("SELECT count(*) FROM fsm_records")).scalar() == 0
    finally:
        await engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
async def test_redis_url_switches_fsm_storage_to_redis(settings, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    from aiogram.fsm.storage.redis import RedisStorage

    from bot.app import create_storage

    settings.redis_url = os.environ["TEST_REDIS_URL"]
    storage, isolation = create_storage(settings, sessionmaker)
    assert isinstance(storage, RedisStorage)
    assert isolation is not None
    key = StorageKey(bot_id=1, chat_id=os.getpid(), user_id=os.getpid())
    try:
        await storage.set_state(key, "ContactForm:phone")
        assert await storage.get_state(key) == "ContactForm:phone"
    finally:
        await storage.set_state(key, None)
        await storage.close()
