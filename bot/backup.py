"""``python -m bot backup PATH``: a consistent copy of the SQLite database, taken while the bot runs.

SQLite's online backup API (``sqlite3.Connection.backup``) copies the database ``STEP_PAGES`` pages at a time,
so each step holds its read lock only briefly and the bot's writes go on between steps. A write between two
steps makes SQLite start the copy over; after ``MAX_RESTARTS`` such restarts (a busy bot) the rest is copied
in one step: the database is in WAL mode, where a reader never blocks the writer, so even that step only
delays checkpoints. Either way the copy is the database as of one moment: every transaction committed
before the backup started is in it, and it passes ``PRAGMA integrity_check``.

The copy is written to a temporary file next to ``PATH`` and renamed into place once complete, so ``PATH``
is never a half-written file. An existing ``PATH`` is refused unless ``force``. PostgreSQL is refused:
``pg_dump`` is its tool.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import ConfigError

STEP_PAGES = 256
STEP_PAUSE = 0.005
MAX_RESTARTS = 3


class _Restarted(Exception):
    """The source changed under a stepped copy more than ``MAX_RESTARTS`` times."""


@dataclass(frozen=True)
class Backup:
    path: Path
    restarts: int  # times a write made the stepped copy begin again (``MAX_RESTARTS``: finished in one step)


def sqlite_path(database_url: str) -> Path:
    """The database file of an SQLite ``DATABASE_URL``; a one-line ``ConfigError`` for anything else."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "postgresql":
        raise ConfigError(
            "DATABASE_URL is PostgreSQL: back it up with pg_dump (e.g. pg_dump -Fc -f crm.dump DBNAME)"
        )
    if backend != "sqlite":
        raise ConfigError(f"backup supports SQLite only, DATABASE_URL is {backend}")
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise ConfigError("DATABASE_URL is an in-memory SQLite database: there is no file to back up")
    path = Path(database).expanduser()
    if not path.is_file():
        raise ConfigError(f"the database file {path} does not exist")
    return path


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, pages: int, pause: float) -> int:
    """Copy in steps of ``pages``; at the ``MAX_RESTARTS``-th restart, finish in one step; return restarts."""
    restarts = 0
    left = -1

    def progress(_status: int, remaining: int, _total: int) -> None:
        nonlocal restarts, left
        if left != -1 and remaining > left:  # the source was written to: SQLite began again
            restarts += 1
            if restarts >= MAX_RESTARTS:
                raise _Restarted
        left = remaining

    try:
        source.backup(target, pages=pages, progress=progress, sleep=pause)
    except _Restarted:
        source.backup(target, pages=-1)
    return restarts


def backup_database(
    database_url: str,
    target: Path,
    *,
    force: bool = False,
    pages: int = STEP_PAGES,
    pause: float = STEP_PAUSE,
) -> Backup:
    """Write a consistent copy of the SQLite database at ``database_url`` to ``target``."""
    source_path = sqlite_path(database_url)
    target = target.expanduser()
    if target.exists() and not force:
        raise ConfigError(f"{target} exists: choose another path, or add --force to replace it")
    if target.exists() and target.resolve() == source_path.resolve():
        raise ConfigError("the backup path is the database itself")
    if not target.parent.is_dir():
        raise ConfigError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    # mode=rw: a missing file is an error, not a new empty database.
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=rw", uri=True, timeout=15)
    try:
        copy = sqlite3.connect(partial)
        try:
            restarts = _copy(source, copy, pages, pause)
            # One self-contained file: no -wal beside it, whatever the source's journal mode.
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise ConfigError("the copy failed its check; the database may be damaged: nothing written")
        finally:
            copy.close()
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return Backup(target, restarts)
