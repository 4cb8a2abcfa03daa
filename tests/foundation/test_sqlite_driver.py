"""The one-trip SQLite driver (``db/sqlite_driver.py``) keeps every guarantee of a write transaction.

A statement runs in one call of aiosqlite's thread and a transaction's ``BEGIN`` travels with its first
statement; what a user relies on must not change: a second writer waits for the first and sees its row, a
failed write leaves nothing, and results, row counts and new ids come back as before.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from db import sqlite_driver
from db.engine import create_engine, create_sessionmaker, write_tx


@pytest.fixture
async def maker(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"))
    yield create_sessionmaker(engine)
    await engine.dispose()


async def test_the_engine_uses_the_one_trip_driver(maker) -> None:  # type: ignore[no-untyped-def]
    async with maker() as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        assert isinstance(raw.dbapi_connection, sqlite_driver.OneTripConnection)


async def test_a_second_writer_waits_and_sees_the_first_ones_row(maker) -> None:  # type: ignore[no-untyped-def]
    async with maker() as first, maker() as second:
        async with write_tx(first):
            await first.execute(text("INSERT INTO t (name) VALUES ('a')"))

            async def count_inside_a_write() -> int:
                async with write_tx(second):
                    return int((await second.execute(text("SELECT count(*) FROM t"))).scalar_one())

            waiting = asyncio.create_task(count_inside_a_write())
            await asyncio.sleep(0.2)
            assert not waiting.done()  # BEGIN IMMEDIATE, sent with its first statement, still takes the lock
        assert await waiting == 1


async def test_a_failed_write_leaves_nothing(maker) -> None:  # type: ignore[no-untyped-def]
    async with maker() as session:
        async with write_tx(session):
            await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        with pytest.raises(Exception, match="UNIQUE"):
            async with write_tx(session):
                await session.execute(text("INSERT INTO t (name) VALUES ('b')"))
                await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        names = (await session.execute(text("SELECT name FROM t ORDER BY name"))).scalars().all()
        assert names == ["a"]


async def test_rows_counts_and_new_ids_come_back(maker) -> None:  # type: ignore[no-untyped-def]
    async with maker() as session, write_tx(session):
        inserted = await session.execute(text("INSERT INTO t (name) VALUES ('x')"))
        assert inserted.lastrowid == 1
        await session.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": "y"}, {"n": "z"}])
        updated = await session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2
        rows = (await session.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
        assert [tuple(row) for row in rows] == [(1, "x"), (2, "y!"), (3, "z!")]


async def test_a_streamed_read_inside_a_write_still_runs_after_its_begin(maker) -> None:  # type: ignore[no-untyped-def]
    async with maker() as first, maker() as second:
        async with write_tx(first):
            streamed = await first.stream(text("SELECT count(*) FROM t"))  # the transaction's first statement
            assert [row[0] async for row in streamed] == [0]

            async def insert_inside_a_write() -> None:
                async with write_tx(second):
                    await second.execute(text("INSERT INTO t (name) VALUES ('late')"))

            waiting = asyncio.create_task(insert_inside_a_write())
            await asyncio.sleep(0.2)
            assert not waiting.done()  # the streamed read's BEGIN IMMEDIATE took the write lock
        await waiting
