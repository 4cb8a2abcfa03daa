"""aiogram FSM storage on SQLAlchemy: form state lives in the same database as the CRM data.

A ``kill -9`` in the middle of a form loses nothing: each step's state and data are committed before the
handler answers, and the next process reads them back.

Reads are served from a write-through cache after a key's first read, so a form step costs its writes only.
That holds because one bot process owns the database, which is the embedded default's shape; several instances
use Redis (``REDIS_URL``) for FSM state instead. Within the process, each chat's updates are handled one at a
time (``SimpleEventIsolation``, see ``bot.app.create_storage``), so a key is never read and written by two
updates at once.

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


class SQLAlchemyStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        cache_size: int = 10_000,
    ) -> None:
        engine = sessionmaker.kw.get("bind")
        assert isinstance(engine, AsyncEngine)
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._cache: OrderedDict[str, tuple[str | None, str]] = OrderedDict()
        self._cache_size = cache_size

    def _remember(self, key: str, value: tuple[str | None, str]) -> None:
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

    async def _load(self, key: str) -> tuple[str | None, str]:
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
        """Write both columns in one committed transaction (``write_tx``); an empty record is deleted."""
        try:
            async with self._session() as session, write_tx(session):
                if state is None and data == EMPTY:
                    await session.execute(delete(FsmRecord).where(FsmRecord.key == key))
                else:
                    values = {"state": state, "data": data, "updated_at": utcnow()}
                    stmt = self._insert(FsmRecord).values(key=key, **values)
                    await session.execute(
                        stmt.on_conflict_do_update(index_elements=[FsmRecord.key], set_=values)
                    )
        except BaseException:
            self._cache.pop(key, None)  # the database is the truth: read it again next time
            raise
        self._remember(key, (state, data))

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
