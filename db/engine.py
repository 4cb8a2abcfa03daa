"""Engine and session factory.

SQLite is the embedded default. Every connection gets WAL, a busy timeout, foreign keys and
``synchronous=NORMAL``. Transactions that write start with ``BEGIN IMMEDIATE``: with a plain (deferred) BEGIN,
two concurrent read-then-write transactions fail with SQLITE_BUSY_SNAPSHOT whatever the busy timeout is.
Read-only work keeps a deferred BEGIN, so readers never queue behind a writer in WAL mode.

An update holds at most one pooled connection at a time: its session is published in ``CURRENT_SESSION`` so
that the FSM storage reads and writes through it instead of asking the pool for a second one (a second
connection per update deadlocks the pool as soon as the updates in flight outnumber the connections).
The pool is sized from settings (``DB_POOL_SIZE``, ``DB_MAX_OVERFLOW``, ``DB_POOL_TIMEOUT``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from db import sqlite_driver
from db.base import utcnow
from db.models.delivery import HandledUpdate

IMMEDIATE = "crm_begin_immediate"
BUSY_TIMEOUT_MS = 15_000

# The Telegram update being handled (set by ``bot.delivery.HandledOnce``); ``write_tx`` records it as handled.
CURRENT_UPDATE: ContextVar[int | None] = ContextVar("crm_current_update", default=None)


class CommitHook(Protocol):
    """Work ``write_tx`` does inside its transaction just before it commits, and is told of the commit."""

    async def write_into(self, session: AsyncSession) -> None: ...

    def committed(self, session: AsyncSession) -> None: ...


# The update's buffered FSM writes (``db.fsm_storage.UpdateBuffer``), joined to its write transactions.
BEFORE_COMMIT: ContextVar[CommitHook | None] = ContextVar("crm_before_commit", default=None)
_WRITE_DEPTH = "crm_write_depth"

# The session of the update being handled (set by ``bot.middlewares.DbSession``); ``None`` outside updates.
CURRENT_SESSION: ContextVar[AsyncSession | None] = ContextVar("crm_current_session", default=None)


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def create_engine(
    url: str,
    *,
    pool_size: int | None = None,
    max_overflow: int | None = None,
    pool_timeout: float | None = None,
    **kwargs: Any,
) -> AsyncEngine:
    """Create the async engine; for SQLite, create ``data/`` and install the PRAGMAs and BEGIN handling.

    ``pool_size``/``max_overflow``/``pool_timeout`` size the connection pool (SQLAlchemy's defaults when
    ``None``); an in-memory SQLite database has a single static connection and ignores them.
    """
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    in_memory = is_sqlite and parsed.database in (None, "", ":memory:")
    if not in_memory:
        pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
        kwargs.update({key: value for key, value in pool.items() if value is not None})
    # Statement parameters are personal data (names, phones): keep them out of exception texts and logs.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite:
        _ensure_sqlite_dir(url)
        kwargs.setdefault("connect_args", {"timeout": BUSY_TIMEOUT_MS / 1000})
        if parsed.get_driver_name() == "aiosqlite":
            kwargs.setdefault("module", sqlite_driver.dbapi())  # one thread trip per statement
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
        begin = "BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE, False) else "BEGIN"
        driver = conn.connection.dbapi_connection
        if isinstance(driver, sqlite_driver.OneTripConnection):
            driver.begin_with = begin  # sent with the transaction's first statement
        else:
            conn.exec_driver_sql(begin)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def write_tx(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A write transaction: ends any read snapshot, begins IMMEDIATE (SQLite), commits or rolls back.

    Everything a rule needs to read before it writes (a duplicate check, a status check) goes inside, so the
    check and the write see the same database.

    During an update (``CURRENT_UPDATE`` set by ``bot.delivery.HandledOnce``) the commit also records the
    update id in ``handled_updates``, so the update's effects and "this update was handled" are one atomic
    fact: a redelivered update (polling after a crash, a webhook retry) is skipped instead of applied twice.
    Just before that, ``BEFORE_COMMIT`` (the update's buffered form state) is written into the same
    transaction. A ``write_tx`` opened inside another one on the same session joins it.
    """
    if session.info.get(_WRITE_DEPTH, 0) > 0:
        session.info[_WRITE_DEPTH] += 1
        try:
            yield session
        finally:
            session.info[_WRITE_DEPTH] -= 1
        return
    if session.in_transaction():
        await session.commit()
    await session.connection(execution_options={IMMEDIATE: True})
    session.info[_WRITE_DEPTH] = 1
    hook = BEFORE_COMMIT.get()
    try:
        yield session
        if hook is not None:
            await hook.write_into(session)
        update_id = CURRENT_UPDATE.get()
        if update_id is not None:
            await _mark_handled(session, update_id)
    except BaseException:
        session.info[_WRITE_DEPTH] = 0
        await session.rollback()
        raise
    session.info[_WRITE_DEPTH] = 0
    await session.commit()
    if hook is not None:
        hook.committed(session)


async def _mark_handled(session: AsyncSession, update_id: int) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(HandledUpdate).values(update_id=update_id, handled_at=utcnow()).on_conflict_do_nothing()
    )


@asynccontextmanager
async def writing(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A fresh session with one write transaction, for code that runs outside an update (scheduler, CLI)."""
    async with sessionmaker() as session, write_tx(session):
        yield session
