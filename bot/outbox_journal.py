"""The outbox sender's journal (issue 9, finding 5): what this instance started and what Telegram confirmed.

An append-only file, locked while a drain runs. ``S <id>`` is written right before a send, ``D <id> <time>``
right after Telegram's 200 with no ``await`` in between, so a ``kill -9`` does not lose a confirmed send. The
next drain that gets the lock marks ``sent`` every row the journal confirms and gives back at once every
other row this instance still holds claimed (``held_journal``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from db.repo import outbox

# The journal's lines are the sender's own: they log under its name, as operators filter them.
log = logging.getLogger("bot.sender")

JOURNAL_MAGIC = "crm-outbox-journal/1"


def journal_path(settings: Settings) -> Path | None:
    """This instance's send journal: ``OUTBOX_JOURNAL``; by default next to the SQLite file, or
    ``data/outbox.journal`` for another database; ``None`` when it is ``off`` or the database is in memory."""
    value = settings.outbox_journal.strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value).expanduser()
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        return Path("data") / "outbox.journal"
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    path = Path(database).expanduser()
    return path.with_name(path.name + ".outbox-journal")


def journal_fingerprint(settings: Settings) -> str:
    """Which database the journal's row ids belong to (no password in it, and only a hash is written)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        target = str(Path(url.database).expanduser().resolve())
    else:
        target = url.set(password=None).render_as_string(hide_password=True)
    return hashlib.sha256(target.encode()).hexdigest()[:16]


@dataclass
class JournalEntries:
    started: set[int] = field(default_factory=set)
    confirmed: dict[int, datetime] = field(default_factory=dict)
    unsettled: bool = False

    @property
    def empty(self) -> bool:
        return not (self.started or self.confirmed or self.unsettled)


class SendJournal:
    """An append-only file of what this sender started and what Telegram confirmed (finding 5).

    Its first line names the instance (a random id, written into ``outbox.claimed_by`` by every claim) and
    the database. Then ``S <id>`` right before a send, ``D <id> <unix time>`` right after Telegram's 200.
    Each line is one ``os.write`` on an ``O_APPEND`` descriptor, synchronous, with no ``await`` between the
    200 and it: a ``kill -9`` does not lose what reached the kernel, and no fsync is needed for that (a power
    cut can lose the last lines, and then those messages may repeat). While a drain runs, the process holds
    an exclusive ``flock`` on the file, which the kernel drops when the process dies: a drain that gets the
    lock knows that no live drain holds this instance's claims, so it can take them back at once.
    """

    def __init__(self, path: Path, fd: int, instance: str, header_size: int) -> None:
        self.path = path
        self.fd = fd
        self.instance = instance
        self.header_size = header_size
        self._broken = False

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> SendJournal | None:
        """Open and lock the journal, creating it (with a new instance id) when missing or for another
        database. ``None`` when another process holds it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            first = os.pread(fd, 200, 0).split(b"\n", 1)[0].decode("ascii", "replace").split()
            if len(first) == 3 and first[0] == JOURNAL_MAGIC and first[2] == fingerprint:
                instance = first[1]
            else:
                instance = uuid.uuid4().hex
                os.ftruncate(fd, 0)
                os.write(fd, f"{JOURNAL_MAGIC} {instance} {fingerprint}\n".encode())
            header_size = len(f"{JOURNAL_MAGIC} {instance} {fingerprint}\n")
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, instance, header_size)

    def _append(self, line: str) -> None:
        try:
            os.write(self.fd, line.encode())
        except OSError as exc:  # the database marks still go on; only the crash window widens
            if not self._broken:
                log.warning("outbox: cannot write the send journal (%s)", type(exc).__name__)
            self._broken = True

    def started(self, row_id: int) -> None:
        self._append(f"S {row_id}\n")

    def confirmed(self, row_id: int, at: datetime) -> None:
        self._append(f"D {row_id} {at.timestamp():.6f}\n")

    def unsettled(self) -> None:
        """A drain ended with rows it could not finish: the next drain recovers them."""
        self._append("U\n")

    def read(self) -> JournalEntries:
        size = os.fstat(self.fd).st_size
        data = os.pread(self.fd, max(0, size - self.header_size), self.header_size)
        entries = JournalEntries()
        for raw in data.decode("ascii", "replace").splitlines():
            parts = raw.split()
            try:
                if parts[0] == "S" and len(parts) == 2:
                    entries.started.add(int(parts[1]))
                elif parts[0] == "D" and len(parts) == 3:
                    entries.confirmed[int(parts[1])] = datetime.fromtimestamp(float(parts[2]), UTC)
                elif parts[0] == "U":
                    entries.unsettled = True
            except (IndexError, ValueError):
                continue
        return entries

    def clear(self) -> None:
        """Drop every entry (all of them are in the database now), keeping the header."""
        os.ftruncate(self.fd, self.header_size)

    def close(self) -> None:
        os.close(self.fd)  # releases the flock


@dataclass
class _HeldJournal:
    journal: SendJournal
    holders: int = 1
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    unsettled: bool = False


_journals: dict[Path, _HeldJournal] = {}
_recovered: set[str] = set()  # instance ids whose leftovers this process has already taken back
_journal_warned: set[Path] = set()


async def _recover(sessionmaker: async_sessionmaker[AsyncSession], journal: SendJournal) -> None:
    """Take back this instance's leftovers: confirmed sends become ``sent``, every other claim goes back."""
    entries = journal.read()
    if entries.empty and journal.instance in _recovered:
        return
    async with sessionmaker() as session:
        done = await outbox.recover_claims(session, claimer=journal.instance, confirmed=entries.confirmed)
    journal.clear()
    _recovered.add(journal.instance)
    if done.confirmed or done.given_back:
        in_flight = sum(1 for row_id in done.given_back if row_id in entries.started)
        log.log(
            logging.WARNING if in_flight else logging.INFO,
            "outbox: an earlier run was interrupted: %d confirmed send(s) marked sent, %d claim(s) given "
            "back (%d of them in flight at the time, which may repeat)",
            done.confirmed,
            len(done.given_back),
            in_flight,
        )


@contextlib.asynccontextmanager
async def held_journal(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], unsettled: Callable[[], bool]
) -> AsyncIterator[SendJournal | None]:
    """Hold this instance's journal for a drain (shared by overlapping drains in one process).

    The first holder locks the file and recovers what an earlier run left; the last one clears the journal
    when every row it saw is finished, and unlocks it. ``unsettled`` says, when the drain ends, whether it
    may have left a row in ``sending``. Without a journal (``OUTBOX_JOURNAL=off``, or another process holds
    it) this gives ``None``: the drain claims with no instance id and marks in the database only.
    """
    path = journal_path(settings)
    if path is None:
        yield None
        return
    key = path.resolve()
    held = _journals.get(key)
    if held is not None:
        held.holders += 1
        await held.ready.wait()
    else:
        problem = "it is in use by another process"
        try:
            opened = SendJournal.open(key, journal_fingerprint(settings))
        except OSError as exc:
            problem, opened = type(exc).__name__, None
        if opened is None:
            if key not in _journal_warned:  # once per process, not every drain
                _journal_warned.add(key)
                log.warning("outbox: cannot use the send journal (%s); sending without it", problem)
            yield None
            return
        _journal_warned.discard(key)
        held = _journals[key] = _HeldJournal(opened)
        try:
            await _recover(sessionmaker, opened)
        except BaseException:
            held.unsettled = True
            _release_journal(key, held)
            raise
        finally:
            held.ready.set()
    try:
        yield held.journal
    except BaseException:
        held.unsettled = True
        raise
    finally:
        held.unsettled = held.unsettled or unsettled()
        _release_journal(key, held)


def _release_journal(key: Path, held: _HeldJournal) -> None:
    held.holders -= 1
    if held.holders > 0:
        return
    del _journals[key]
    with contextlib.suppress(OSError):
        if held.unsettled:
            held.journal.unsettled()
        else:
            held.journal.clear()
    held.journal.close()
