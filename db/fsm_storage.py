"""aiogram FSM storage on SQLAlchemy: form state lives in the same database as the CRM data.

A ``kill -9`` in the middle of a form loses nothing: each step's state and data are committed before the
handler answers, and the next process reads them back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.engine import writing
from db.models import FsmRecord


class SQLAlchemyStorage(BaseStorage):
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], key_builder: KeyBuilder | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    def _insert(self, session: AsyncSession) -> Any:
        dialect = session.get_bind().dialect.name
        return pg_insert if dialect == "postgresql" else sqlite_insert

    async def _upsert(self, key: StorageKey, **values: Any) -> None:
        db_key = self._key_builder.build(key)
        async with writing(self._sessionmaker) as session:
            insert = self._insert(session)
            stmt = insert(FsmRecord).values(key=db_key, updated_at=utcnow(), **values)
            stmt = stmt.on_conflict_do_update(
                index_elements=[FsmRecord.key], set_={**values, "updated_at": utcnow()}
            )
            await session.execute(stmt)
            await session.execute(
                delete(FsmRecord).where(
                    FsmRecord.key == db_key, FsmRecord.state.is_(None), FsmRecord.data == "{}"
                )
            )

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(FsmRecord.state).where(FsmRecord.key == self._key_builder.build(key))
            )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, data=json.dumps(dict(data), ensure_ascii=False, sort_keys=True))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessionmaker() as session:
            raw = await session.scalar(
                select(FsmRecord.data).where(FsmRecord.key == self._key_builder.build(key))
            )
        return dict(json.loads(raw)) if raw else {}

    async def close(self) -> None:
        return None
