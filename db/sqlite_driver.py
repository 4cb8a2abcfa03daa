"""SQLite through aiosqlite with one trip to the driver's thread per statement.

aiosqlite runs every call of the ``sqlite3`` connection in a worker thread and hands the result back to the
event loop. SQLAlchemy's adapter makes four such calls for a statement that returns rows (open a cursor,
execute, fetch, close) and three for one that does not. Each trip wakes two threads; on a busy 2-core machine
it costs about as much as the statement itself, and a form step runs about twenty of them.

The cursor here does the whole statement in the worker thread in one call: open, execute, fetch every row,
close, and it keeps the result's description, row count and last row id. A transaction's ``BEGIN`` travels
with its first statement (:class:`OneTripConnection`). Results are read into memory, which
is what SQLAlchemy's adapter already does for every non-streaming statement. Streaming (``stream()``, the
server-side cursor) keeps SQLAlchemy's own cursor.

It is installed through ``create_async_engine(module=...)``, SQLAlchemy's documented way to supply the DBAPI
module, so the dialect, the connection pool and every SQLAlchemy behaviour stay as they are. It relies on
``aiosqlite.Connection._execute`` (queue a function for the worker thread); SQLAlchemy's own adapter uses
the same queue to set the isolation level.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Description = tuple[tuple[Any, ...], ...] | None
Outcome = tuple[Description, int, int | None, list[Any]]


def _run(
    connection: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> Outcome:
    """In the worker thread: the whole statement, from opening a cursor to closing it (after ``begin``)."""
    cursor = connection.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement is one call in aiosqlite's thread."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        # No driver cursor is opened here: ``_run`` opens and closes its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Description = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid or 0

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # every row is already in memory

    async def _async_soft_close(self) -> None:
        pass  # the driver cursor is closed by ``_run``

    def close(self) -> None:
        self._rows.clear()

    async def _go(self, operation: Any, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        adapted = self._adapt_connection
        async with adapted._execute_mutex:
            begin = None
            if isinstance(adapted, OneTripConnection):
                begin, adapted.begin_with = adapted.begin_with, None
            outcome: Outcome = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, begin, operation, parameters, many
            )
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._go(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._go(operation, seq_of_parameters, many=True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """The adapted connection; a transaction's ``BEGIN`` travels with its first statement.

    ``begin_with`` holds the ``BEGIN`` that SQLAlchemy asked for (``db.engine``'s begin hook) until the first
    statement of the transaction runs, in the same trip. A transaction that ran no statement has nothing to
    commit or roll back, so neither costs a trip. SQLite takes no snapshot and no lock at ``BEGIN`` itself
    (``BEGIN IMMEDIATE`` takes the write lock, and it still runs before the transaction's first read).
    """

    __slots__ = ("begin_with",)
    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.begin_with: str | None = None

    def cursor(self, server_side: bool = False) -> Any:
        """A streaming (server-side) cursor keeps SQLAlchemy's own trips; a pending ``BEGIN`` goes first."""
        if server_side and self.begin_with is not None:
            begin, self.begin_with = self.begin_with, None
            connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
            await_(connection._execute(_run, connection._conn, None, begin, None, False))  # type: ignore[no-untyped-call]
        return super().cursor(server_side)

    def commit(self) -> None:
        if self.begin_with is not None:
            self.begin_with = None
            return
        super().commit()

    def rollback(self) -> None:
        if self.begin_with is not None:
            self.begin_with = None
            return
        super().rollback()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """aiosqlite as SQLAlchemy adapts it, with :class:`OneTripCursor` as the cursor."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
