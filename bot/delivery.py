"""Each Telegram update is applied once, even when Telegram delivers it again (issue 9, finding 4).

Telegram re-sends an update it does not know to be handled: in polling mode every update at or above the
``getUpdates`` offset (after a crash, ``bot.polling`` acknowledges only finished updates), in webhook mode
every request that got no 200. So an update can arrive a second time after its effects were committed.

- ``db.engine.write_tx`` records the update id in ``handled_updates`` in the same transaction as the effects;
  ``HandledOnce`` skips an update whose id is there. An update that wrote nothing (a menu, a card) is simply
  handled again: that repeats an answer, never a change.
- An update's FSM writes (a dialog's stack and context, a step's answer, the next window) are held by
  ``db.fsm_storage.UpdateBuffer`` and committed together, with the marker, in one transaction: when the
  handler has finished, or earlier inside the update's first other write transaction (a saved record), so
  that the record and the answers it was made from are one fact. So a crash never leaves a step half applied:
  either the step and its marker are in the database (the redelivered update is skipped), or none of it is
  (the step runs again).

The price of committing a step only once its handler has finished: a crash after the prompt was sent and
before that commit makes the step run again, so the user sees the same prompt twice; the data changes once
(measured: 0.10-0.20 repeated prompts per ``kill -9``, ``tests/e2e/test_delivery.py``). Committing before each
message instead would lose the step whenever a handler sends two messages and the crash falls between them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import TelegramObject, Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import BEFORE_COMMIT, CURRENT_UPDATE, write_tx
from db.fsm_storage import close_update_buffer, open_update_buffer
from db.models import HandledUpdate

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


async def already_handled(session: AsyncSession, update_id: int) -> bool:
    found = await session.scalar(select(HandledUpdate.update_id).where(HandledUpdate.update_id == update_id))
    if session.in_transaction():
        await session.commit()  # end the read: no connection held while the handler waits on the network
    return found is not None


class HandledIndex:
    """Which updates might have been handled already, known without a query for most of them.

    Telegram numbers a bot's updates in increasing order. The first time it is asked, the index reads the
    highest id recorded as handled; an update above that floor which this process has not handled itself
    cannot have been handled before, so it needs no query. Anything else — a redelivery after a crash, a
    webhook retry, an update this process already saw — is looked up in ``handled_updates`` as before.

    Only where one bot process owns the database (the embedded SQLite default). With PostgreSQL several
    instances may share it, so every update is looked up.
    """

    KEPT = 10_000

    def __init__(self) -> None:
        self.floor: int | None = None
        self.mine: dict[int, None] = {}

    async def seen(self, session: AsyncSession, update_id: int) -> bool:
        if session.get_bind().dialect.name != "sqlite":
            return await already_handled(session, update_id)
        if self.floor is None:
            self.floor = int(await session.scalar(select(func.max(HandledUpdate.update_id))) or 0)
            if session.in_transaction():
                await session.commit()
        if update_id > self.floor and update_id not in self.mine:
            return False
        return await already_handled(session, update_id)

    def handled(self, update_id: int) -> None:
        self.mine[update_id] = None
        if len(self.mine) > self.KEPT:
            self.mine.pop(next(iter(self.mine)))


class HandledOnce(BaseMiddleware):
    """Skips an update already handled; marks the update's write transactions and buffers its form state.

    Registered after ``Access``, so the profile refresh there is not part of the update's effects: a crash
    after it and before the handler's commit leaves the update unmarked, and it runs again.
    """

    def __init__(self) -> None:
        self.index = HandledIndex()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        session: AsyncSession = data["session"]
        if await self.index.seen(session, event.update_id):
            log.info("update %s was already handled: skipped", event.update_id)
            return None
        storage: BaseStorage | None = data.get("fsm_storage")
        buffer, buffer_token = open_update_buffer(storage, session) if storage else (None, None)
        update_token = CURRENT_UPDATE.set(event.update_id)
        hook_token = BEFORE_COMMIT.set(buffer)
        try:
            result = await handler(event, data)
            if buffer is not None:
                await buffer.flush()
            elif storage is not None:
                # Redis keeps the dialog state: its writes are already done, the marker follows them.
                async with write_tx(session):
                    pass
            self.index.handled(event.update_id)
            return result
        finally:
            BEFORE_COMMIT.reset(hook_token)
            CURRENT_UPDATE.reset(update_token)
            close_update_buffer(buffer_token)
