"""Engine and session factory.

SQLite is the embedded default. Every connection gets WAL, a busy timeout, foreign keys and
``synchronous=NORMAL``. Transactions that write start with ``BEGIN IMMEDIATE``: with a plain (deferred) BEGIN,
two concurrent read-then-write transactions fail with SQLITE_BUSY_SNAPSHOT whatever the busy timeout is.
Read-only work keeps a deferred BEGIN, so readers never queue behind a writer in WAL mode.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

IMMEDIATE = "crm_begin_immediate"
BUSY_TIMEOUT_MS = 15_000


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine; for SQLite, create ``data/`` and install the PRAGMAs and BEGIN handling."""
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    # Statement parameters are personal data (names, phones): keep them out of exception texts and logs.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite:
        _ensure_sqlite_dir(url)
        kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:
        _install_sqlite_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so that we can choose its kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def write_tx(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A write transaction: ends any read snapshot, begins IMMEDIATE (SQLite), commits or rolls back.

    Everything a rule needs to read before it writes (a duplicate check, a status check) goes inside, so the
    check and the write see the same database.
    """
    if session.in_transaction():
        await session.commit()
    await session.connection(execution_options={IMMEDIATE: True})
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    await session.commit()


@asynccontextmanager
async def writing(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A fresh session with one write transaction, for code that runs outside an update (scheduler, CLI)."""
    async with sessionmaker() as session, write_tx(session):
        yield session
