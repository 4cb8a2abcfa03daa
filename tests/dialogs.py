"""Where a chat's dialogs stand, read from the FSM storage as the bot left it (tests and benches).

aiogram-dialog keeps a chat's stack under the destiny ``aiogd:stack:`` and each open dialog's context under
``aiogd:context:<intent id>``; the window a user sees is the state of the context on top of the stack.
"""

from __future__ import annotations

import json

from aiogram.fsm.storage.base import BaseStorage, StorageKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import FsmRecord
from tests.harness import BOT_ID

STACK = "aiogd:stack:"


def _key(chat_id: int, destiny: str) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=chat_id, user_id=chat_id, destiny=destiny)


async def dialog_state(storage: BaseStorage, chat_id: int) -> str | None:
    """The state of the window on top of ``chat_id``'s dialog stack (``"ContactForm:phone"``), or ``None``."""
    stack = await storage.get_data(_key(chat_id, STACK))
    intents = stack.get("intents") or []
    if not intents:
        return None
    context = await storage.get_data(_key(chat_id, f"aiogd:context:{intents[-1]}"))
    state = context.get("state")
    return str(state) if state else None


async def dialog_states(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[int, str | None]:
    """Every chat's top window, straight from the database (what a restarted bot would read)."""
    async with sessionmaker() as session:
        rows = dict((await session.execute(select(FsmRecord.key, FsmRecord.data))).all())
    out: dict[int, str | None] = {}
    for key, data in rows.items():
        if not key.endswith(":" + STACK):
            continue
        chat_id = int(key.split(":")[2])
        intents = json.loads(data).get("intents") or []
        top = next(
            (
                json.loads(v)
                for k, v in rows.items()
                if intents and k.endswith(f"aiogd:context:{intents[-1]}")
            ),
            {},
        )
        out[chat_id] = top.get("state")
    return out


def dialog_record_sqlite(db_path: object, chat_id: int) -> tuple[str | None, dict[str, object]]:
    """The top window's state and its dialog data, read with plain ``sqlite3`` (a bot process's database)."""
    import sqlite3

    with sqlite3.connect(str(db_path)) as conn:
        rows = dict(
            conn.execute("SELECT key, data FROM fsm_records WHERE key LIKE ?", (f"%:{chat_id}:{chat_id}:%",))
        )
    stack = next((json.loads(v) for k, v in rows.items() if k.endswith(":" + STACK)), {})
    intents = stack.get("intents") or []
    if not intents:
        return None, {}
    context = next((json.loads(v) for k, v in rows.items() if k.endswith(f"aiogd:context:{intents[-1]}")), {})
    return context.get("state"), dict(context.get("dialog_data") or {})
