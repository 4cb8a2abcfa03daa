"""The users an update is checked against, kept for a short while (the access check of every update).

Every update needs its sender's row (role, team, active, language, time zone). Reading it once per update is
a query and a read transaction before anything else can happen; the cache answers most updates from memory.

It is never stale within this process: any write to ``users`` through any session — an ORM flush of a
``User`` or an ``UPDATE``/``INSERT``/``DELETE`` statement on the table (a role change, a deactivation, a
redeemed invite, a new time zone, an unreachable recipient) — clears it at once (SQLAlchemy session events).
Other processes (the scale-out shape with several instances) see a change within ``TTL_SECONDS``.

The cache keeps column values, not ORM objects: each update gets its own detached ``User``, so two updates
of one user never share an instance across sessions.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached

from db.models import User

TTL_SECONDS = 10.0
MAX_USERS = 10_000

_cache: OrderedDict[int, tuple[float, dict[str, Any]]] = OrderedDict()
_COLUMNS = tuple(column.key for column in inspect(User).mapper.column_attrs)
_TABLE = User.__table__


def get(telegram_id: int) -> User | None:
    entry = _cache.get(telegram_id)
    if entry is None:
        return None
    stored_at, values = entry
    if time.monotonic() - stored_at > TTL_SECONDS:
        _cache.pop(telegram_id, None)
        return None
    user = User(**values)
    make_transient_to_detached(user)
    return user


def put(user: User) -> None:
    _cache[user.telegram_id] = (time.monotonic(), {key: getattr(user, key) for key in _COLUMNS})
    _cache.move_to_end(user.telegram_id)
    while len(_cache) > MAX_USERS:
        _cache.popitem(last=False)


def clear() -> None:
    _cache.clear()


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete or state.is_insert) and _TABLE in _tables(state):
        clear()


def _tables(state: ORMExecuteState) -> set[Any]:
    table = getattr(state.statement, "table", None)
    return {table} if table is not None else set()


@event.listens_for(Session, "after_flush")
def _on_flush(session: Session, _context: Any) -> None:
    if any(isinstance(obj, User) for obj in (*session.new, *session.dirty, *session.deleted)):
        clear()
