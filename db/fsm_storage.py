"""aiogram FSM storage on SQLAlchemy: form state lives in the same database as the CRM data.

A ``kill -9`` in the middle of a form loses nothing: each step's state and data are committed before the
handler answers, and the next process reads them back.

With ``read_cache=True``, reads are served from a write-through cache after a key's first read, so a form
step costs its writes only. That holds only while one bot process owns the database: the runtime turns it on
for a single instance (``bot.leader`` refuses a second instance without Redis; several instances use Redis,
``REDIS_URL``, for FSM state instead). Without it every read goes to the database. Within the process, each
chat's updates are handled one at a time (``SimpleEventIsolation``, see ``bot.app.create_storage``), so a key
is never read and written by two updates at once.

One write per update: during an update (``open_update_buffer``, called by ``bot.delivery.HandledOnce``)
every write is held in the update's :class:`UpdateBuffer` and reads see it; the buffer is committed once, in
one write transaction with the update's "handled" marker — at the end of the update, or earlier inside the
update's first other write transaction (a saved record), so that the record and the answers it was made from
are one fact (what the dialog shows after the save follows at the end of the update). An update's state,
data, dialog stack and dialog contexts therefore cost one ``BEGIN IMMEDIATE … COMMIT`` together, not one
each. An update that failed leaves nothing of its own in the database.

Connections: during an update the storage works through the update's own session
(``db.engine.CURRENT_SESSION``, set by ``bot.middlewares.DbSession``), so an update never holds a second
pooled connection; every write goes through ``db.engine.write_tx`` on that session (it ends the handler's read
snapshot, then commits the state on its own). Outside an update (aiogram loads the state before the update's
session exists; tests, scripts) it opens a short session of its own, which then holds the only connection in
use.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.base import utcnow
from db.engine import CURRENT_SESSION, write_tx
from db.models import FsmRecord

EMPTY = "{}"
Row = tuple[str | None, str]


class UpdateBuffer:
    """One update's FSM writes, held until they commit with the update (``db.engine.CommitHook``)."""

    def __init__(self, storage: SQLAlchemyStorage, session: AsyncSession) -> None:
        self.storage = storage
        self.session = session
        self.pending: dict[str, Row] = {}
        self._in_tx: dict[str, Row] = {}

    async def write_into(self, session: AsyncSession) -> None:
        """Write what is held inside the caller's open write transaction on the update's session."""
        if session is not self.session or not self.pending:
            return
        await self.storage._write_rows(session, self.pending)
        self._in_tx = dict(self.pending)

    def committed(self, session: AsyncSession) -> None:
        """Rows written into a transaction that committed are no longer pending (unless changed since)."""
        if session is not self.session:
            return
        for key, value in self._in_tx.items():
            self.storage._remember(key, value)
            if self.pending.get(key) == value:
                del self.pending[key]
        self._in_tx = {}

    async def flush(self) -> None:
        """Commit what is still held, with the update's marker, in one write transaction."""
        if self.pending:
            async with write_tx(self.session):
                pass  # ``write_tx`` writes the buffer through its BEFORE_COMMIT hook

    def discard(self) -> None:
        """The update failed: what it changed is not kept."""
        self.pending.clear()
        self._in_tx = {}


_BUFFER: ContextVar[UpdateBuffer | None] = ContextVar("crm_fsm_buffer", default=None)


def open_update_buffer(
    storage: BaseStorage, session: AsyncSession
) -> tuple[UpdateBuffer | None, Token[UpdateBuffer | None] | None]:
    """Start holding ``storage``'s writes for the update being handled (SQL storage only)."""
    if not isinstance(storage, SQLAlchemyStorage):
        return None, None
    buffer = UpdateBuffer(storage, session)
    return buffer, _BUFFER.set(buffer)


def close_update_buffer(token: Token[UpdateBuffer | None] | None) -> None:
    if token is not None:
        _BUFFER.reset(token)


def discard_update_writes() -> None:
    """Drop the current update's held FSM writes (its handler failed and an error handler answered)."""
    buffer = _BUFFER.get()
    if buffer is not None:
        buffer.discard()


class SQLAlchemyStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        cache_size: int = 10_000,
        *,
        read_cache: bool = False,
    ) -> None:
        engine = sessionmaker.kw.get("bind")
        assert isinstance(engine, AsyncEngine)
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._cache: OrderedDict[str, tuple[str | None, str]] = OrderedDict()
        self._cache_size = cache_size
        self.read_cache = read_cache

    def _remember(self, key: str, value: tuple[str | None, str]) -> None:
        if not self.read_cache:
            return
        self._cache[key] = value
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """The current update's session when there is one (on this engine), else a short one of our own."""
        current = CURRENT_SESSION.get()
        if current is not None and current.bind is self._engine:
            yield current
            return
        async with self._sessionmaker() as session:
            yield session

    def _buffer(self) -> UpdateBuffer | None:
        buffer = _BUFFER.get()
        return buffer if buffer is not None and buffer.storage is self else None

    async def _load(self, key: str) -> Row:
        buffer = self._buffer()
        if buffer is not None and key in buffer.pending:
            return buffer.pending[key]
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        async with self._session() as session:
            row = (
                await session.execute(select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key))
            ).first()
        value = (row.state, row.data) if row is not None else (None, EMPTY)
        self._remember(key, value)
        return value

    async def _store(self, key: str, state: str | None, data: str) -> None:
        """Hold the write in the update's buffer; outside an update, commit it at once (``write_tx``)."""
        buffer = self._buffer()
        if buffer is not None:
            buffer.pending[key] = (state, data)
            return
        try:
            async with self._session() as session, write_tx(session):
                await self._write_rows(session, {key: (state, data)})
        except BaseException:
            self._cache.pop(key, None)  # the database is the truth: read it again next time
            raise
        self._remember(key, (state, data))

    async def _write_rows(self, session: AsyncSession, rows: Mapping[str, Row]) -> None:
        """Upsert the rows in one statement (an empty one is deleted) in the caller's write transaction."""
        gone = [key for key, (state, data) in rows.items() if state is None and data == EMPTY]
        if gone:
            await session.execute(delete(FsmRecord).where(FsmRecord.key.in_(gone)))
        now = utcnow()
        values = [
            {"key": key, "state": state, "data": data, "updated_at": now}
            for key, (state, data) in rows.items()
            if key not in gone
        ]
        if values:
            stmt = self._insert(FsmRecord).values(values)
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[FsmRecord.key],
                    set_={"state": stmt.excluded.state, "data": stmt.excluded.data, "updated_at": now},
                )
            )

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        db_key = self._key_builder.build(key)
        _old_state, data = await self._load(db_key)
        await self._store(db_key, state.state if isinstance(state, State) else state, data)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self._key_builder.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        db_key = self._key_builder.build(key)
        state, _old_data = await self._load(db_key)
        await self._store(db_key, state, json.dumps(dict(data), ensure_ascii=False, sort_keys=True))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict(json.loads((await self._load(self._key_builder.build(key)))[1]))

    async def close(self) -> None:
        self._cache.clear()
