"""The outbox sender: claim due rows → render → send within Telegram's limits → journal and mark each one.

``drain_outbox`` is called by the scheduler every ``OUTBOX_INTERVAL_SECONDS``. It is safe to call repeatedly
and concurrently, in one process or in two instances: each row is claimed by one drain only.

Claim. Due rows (``pending`` and ``send_after <= now``) move to ``sending`` with ``claimed_at`` and
``claimed_by`` (this instance's id, from its journal) in one short write transaction, ``CLAIM_BATCH`` at a
time (``db.repo.outbox.claim_due``: ``FOR UPDATE OF outbox SKIP LOCKED`` on PostgreSQL, a serialised ``BEGIN
IMMEDIATE`` on SQLite). A claim is spread across recipients: at most ``CLAIM_PER_CHAT`` rows of one chat,
everyone's first due row before anyone's second, so a few chats with many due rows never fill the claims
while their per-chat spacing holds the whole drain back (issue 9, finding 6). A drain keeps claiming while its
queue runs low, until a claim comes back empty.

Send. Within the limits (``SendLimiter``): at most ``SEND_RATE_GLOBAL`` messages a second overall, evenly
spaced, and messages to one chat at least ``1 / SEND_RATE_PER_CHAT`` seconds apart (plus a small margin),
one at a time per chat and in ``send_after`` order. The limiter belongs to the ``Bot``, so overlapping
drains in one process share it; two instances each keep their own rate, so give each a share of the global
rate.
The text is rendered right before the send, from the database (``bot.notifications``): a row whose recipient
is inactive or unreachable, or whose subject no longer applies, is marked ``skipped`` and not sent.
A notice about a change (``outbox.NOTICE_KINDS``: a route, a handover, an invitee who joined) is queued due at
once; claimed during its recipient's quiet hours, it goes back unsent until they end.

Mark. Right before the call the journal gets ``S <id>``; right after Telegram's 200, before any ``await``,
``D <id> <time>`` (``SendJournal``: one ``os.write`` on an ``O_APPEND`` file, which a ``kill -9`` does not
undo). Then the row is marked ``sent`` in its own short transaction. Other outcomes are marked in the
database only (repeating them after a crash is harmless).

After a crash (issue 9, finding 5). The journal is locked (``flock``) while a drain runs, so the next drain
that gets the lock knows that no live drain holds this instance's claims. Before claiming, it marks ``sent``
every row the journal confirms, and gives back at once every other row still claimed by this instance: rows
claimed but never started (no duplicate risk, no two-minute wait) and rows whose send had started but was
never confirmed. Only the latter can repeat, and only when Telegram had taken the message in the last
milliseconds before the crash, before the process read its answer: that part of the window is Telegram's
round trip, which no sender can close. Measured: see ``docs/benchmarks.md`` ("Duplicates per crash").
Claims of another instance (``claimed_by`` not ours, or ``NULL``: a sender without a journal) come back only
after ``SENDING_TIMEOUT`` (2 minutes). That timeout has to outlast a live claim, so a drain gives back the
rows it has not started within ``LEASE_SECONDS`` and every request is bounded by ``REQUEST_TIMEOUT``: 45 s +
20 s < 2 min. Nothing is lost either way.
Without a journal (``OUTBOX_JOURNAL=off``, an in-memory database, or another process holding the file) the
sender claims with ``claimed_by = NULL`` and relies on the database mark alone: a crash between the 200 and
that commit repeats the message after the timeout.

Errors.
- 429: wait ``retry_after`` and send the same message again (not an attempt); the whole sender pauses for
  that time and slows down for a while. A ``retry_after`` longer than the drain's lease gives the row back
  with ``send_after = now + retry_after``.
- 403 (blocked by the user): the user is marked ``is_reachable = False``, the row ``skipped``, and a
  ``user_unreachable`` row is queued for their team lead(s), or the admins when they have none, with the
  dedupe key ``unreachable:<user>:<lead>``: one alert however many 403s follow. The rest of the batch goes
  on.
  A user who writes to the bot again is not marked reachable here (the access middleware could do it).
- 5xx and network errors: ``attempts + 1`` and ``send_after = now + 2^attempts s`` (capped at
  ``MAX_BACKOFF``); after ``SEND_MAX_ATTEMPTS`` the row is ``failed`` with the error type and Telegram's
  description in ``last_error`` (no personal data) and shows in the admins' ``/outbox``.
- 400 (``TelegramBadRequest``) and any other API error: ``failed`` at once; retrying would not help.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.notifications import UnknownKind, render, zone_of
from bot.settings import Settings
from db.base import utcnow
from db.repo import outbox
from db.repo.outbox import Claimed
from domain.reminders import quiet_release

log = logging.getLogger(__name__)

SENDING_TIMEOUT = timedelta(minutes=2)
LEASE_SECONDS = 45.0
REQUEST_TIMEOUT = 20
CLAIM_BATCH = 50
CLAIM_PER_CHAT = 2  # rows of one chat per claim: a claim spreads over recipients (finding 6)
REFILL_AT = 10  # claim the next batch when this few are left to start
MAX_BACKOFF = 600.0
CHAT_MARGIN = 0.25  # seconds added to the per-chat spacing: request jitter must not bring two closer than 1 s
SLOWDOWN_MAX = 4.0
TRANSIENT_ERRORS = (TelegramServerError, TelegramNetworkError, aiohttp.ClientError, asyncio.TimeoutError)


class SendLimiter:
    """Evenly spaced global slots and a minimum spacing per chat, on the monotonic clock.

    ``slowdown`` stretches the global spacing after a 429 and relaxes back as sends succeed.
    """

    def __init__(self, global_rate: float, per_chat_rate: float, clock: Callable[[], float] = time.monotonic):
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        self.global_interval = 1.0 / global_rate
        self.chat_interval = 1.0 / per_chat_rate + CHAT_MARGIN
        self.clock = clock
        self.slowdown = 1.0
        self._next_global = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}

    def global_ready_at(self) -> float:
        return max(self._next_global, self._paused_until)

    def chat_ready_at(self, chat_id: int) -> float:
        return max(self._chat_next.get(chat_id, 0.0), self._paused_until)

    def take(self, chat_id: int, now: float) -> None:
        interval = self.global_interval * self.slowdown
        # A wake-up a little late keeps to the schedule (no drift below the rate); after idling, start afresh.
        base = self._next_global if now - self._next_global < interval else now
        self._next_global = base + interval
        self._chat_next[chat_id] = now + self.chat_interval
        if len(self._chat_next) > 10_000:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}

    def penalise(self, chat_id: int, retry_after: float, now: float) -> None:
        """A 429: nobody sends for ``retry_after`` seconds, and the pace slows for a while."""
        self._paused_until = max(self._paused_until, now + retry_after)
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), now + retry_after + CHAT_MARGIN)
        self.slowdown = min(SLOWDOWN_MAX, self.slowdown * 1.5)

    def relax(self) -> None:
        self.slowdown = max(1.0, self.slowdown * 0.98)


_limiters: weakref.WeakKeyDictionary[Bot, SendLimiter] = weakref.WeakKeyDictionary()


def limiter_for(bot: Bot, settings: Settings) -> SendLimiter:
    """One limiter per bot, kept between drains, so the spacing holds across them."""
    limiter = _limiters.get(bot)
    if (
        limiter is None
        or limiter.global_rate != settings.send_rate_global
        or limiter.per_chat_rate != settings.send_rate_per_chat
    ):
        limiter = _limiters[bot] = SendLimiter(settings.send_rate_global, settings.send_rate_per_chat)
    return limiter


# ---------------------------------------------------------------------------------------------
# The send journal
# ---------------------------------------------------------------------------------------------

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


class Outcome(Enum):
    SENT = "sent"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    RETRY_LATER = "retry_later"
    FAILED = "failed"
    FLOOD = "flood"


@dataclass
class _Result:
    outcome: Outcome
    retry_after: float = 0.0


@dataclass
class _Drain:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    hub: TranslatorHub
    limiter: SendLimiter
    clock: Callable[[], datetime]
    blocked_chats: set[int] = field(default_factory=set)
    sent: int = 0
    journal: SendJournal | None = None
    unsettled: bool = False  # a row may be left in ``sending`` (an error or a cancel): recover it next time


def _error_text(exc: BaseException) -> str:
    """The type and, for API errors, Telegram's own description: never the message text or a name."""
    if isinstance(exc, TelegramAPIError):
        return f"{type(exc).__name__}: {exc.message}"[:300]
    return type(exc).__name__


def backoff_seconds(attempts: int) -> float:
    return min(MAX_BACKOFF, 2.0**attempts)


async def _mark(drain: _Drain, action: Callable[..., Awaitable[None]], *args: Any, **kwargs: Any) -> None:
    """Run one ``db.repo.outbox`` mark in a fresh session (its own short write transaction)."""
    async with drain.sessionmaker() as session:
        await action(session, *args, **kwargs)


async def _on_blocked(drain: _Drain, item: Claimed, now: datetime) -> None:
    async with drain.sessionmaker() as session:
        recipients = await outbox.alert_recipients_for(session, item.recipient)
        alerts = [
            (lead.id, quiet_release(now, zone_of(lead, drain.settings), drain.settings.quiet_window))
            for lead in recipients
        ]
        await outbox.mark_recipient_unreachable(
            session, row_id=item.row.id, user_id=item.recipient.id, alerts=alerts, now=now
        )
    log.info(
        "outbox %s: user %s blocked the bot; %d alert(s) queued", item.row.id, item.recipient.id, len(alerts)
    )


async def _send_one(drain: _Drain, item: Claimed) -> _Result:
    """Render and send one claimed row, and record what happened (except a 429, which the loop handles)."""
    row = item.row
    try:
        async with drain.sessionmaker() as session:
            rendered = await render(
                session, drain.hub, drain.settings, row, item.recipient, now=drain.clock()
            )
    except (UnknownKind, ValueError, KeyError, TypeError) as exc:
        log.warning("outbox %s: cannot render kind %s (%s)", row.id, row.kind, type(exc).__name__)
        await _mark(drain, outbox.mark_failed, row.id, _error_text(exc), row.attempts)
        return _Result(Outcome.FAILED)
    if rendered is None:
        await _mark(drain, outbox.mark_skipped, row.id, "no longer applies")
        return _Result(Outcome.SKIPPED)
    journal = drain.journal
    if journal is not None:
        journal.started(row.id)
    try:
        await drain.bot.send_message(
            chat_id=item.chat_id,
            text=rendered.text,
            reply_markup=rendered.markup,
            request_timeout=REQUEST_TIMEOUT,
        )
    except TelegramRetryAfter as exc:
        return _Result(Outcome.FLOOD, float(exc.retry_after))
    except TelegramForbiddenError:
        await _on_blocked(drain, item, drain.clock())
        return _Result(Outcome.BLOCKED)
    except TRANSIENT_ERRORS as exc:
        attempts = row.attempts + 1
        if attempts >= drain.settings.send_max_attempts:
            log.warning("outbox %s: failed after %d attempts (%s)", row.id, attempts, type(exc).__name__)
            await _mark(drain, outbox.mark_failed, row.id, _error_text(exc), attempts)
            return _Result(Outcome.FAILED)
        send_after = drain.clock() + timedelta(seconds=backoff_seconds(attempts))
        log.info("outbox %s: attempt %d failed (%s), retry later", row.id, attempts, type(exc).__name__)
        await _mark(
            drain, outbox.reschedule, row.id, send_after=send_after, attempts=attempts, error=_error_text(exc)
        )
        return _Result(Outcome.RETRY_LATER)
    except TelegramAPIError as exc:  # 400 and the like: the same request would fail again
        log.warning("outbox %s: refused by Telegram (%s)", row.id, type(exc).__name__)
        await _mark(drain, outbox.mark_failed, row.id, _error_text(exc), row.attempts + 1)
        return _Result(Outcome.FAILED)
    # Sent. The journal line first, before any await: from here on a crash cannot make it repeat. Then the
    # database mark, in its own transaction (after a crash, the journal replays it).
    sent_at = drain.clock()
    if journal is not None:
        journal.confirmed(row.id, sent_at)
    await _mark(drain, outbox.mark_sent, row.id, sent_at)
    return _Result(Outcome.SENT)


async def _skip(drain: _Drain, item: Claimed, reason: str) -> None:
    await _mark(drain, outbox.mark_skipped, item.row.id, reason)


@dataclass
class _Queued:
    item: Claimed
    lease_end: float  # monotonic time by which it must have started, or it is given back


async def _claim(drain: _Drain) -> list[Claimed]:
    now = drain.clock()
    async with drain.sessionmaker() as session:
        return await outbox.claim_due(
            session,
            now=now,
            stale_before=now - SENDING_TIMEOUT,
            limit=CLAIM_BATCH,
            per_chat=CLAIM_PER_CHAT,
            claimer=drain.journal.instance if drain.journal is not None else None,
        )


def _quiet_until(drain: _Drain, item: Claimed) -> datetime | None:
    """When a notice (``outbox.NOTICE_KINDS``) may go out, if the recipient's quiet hours hold it now.

    Reminders are queued with their ``send_after`` already past the quiet hours; a notice is queued due at
    once, in the transaction of the change it reports, so the same rule (``quiet_release`` on the
    recipient's clock) is applied here: it goes back to ``pending`` until the morning, with no attempt
    counted.
    """
    if item.row.kind not in outbox.NOTICE_KINDS:
        return None
    now = drain.clock()
    release = quiet_release(now, zone_of(item.recipient, drain.settings), drain.settings.quiet_window)
    return release if release > now else None


def _skip_reason(drain: _Drain, item: Claimed) -> str | None:
    if not item.recipient.is_active:
        return "recipient inactive"
    if not item.recipient.is_reachable or item.chat_id in drain.blocked_chats:
        return "recipient unreachable"
    return None


async def _send_all(drain: _Drain) -> None:
    """Claim in small batches and send: every free chat whose spacing allows, at the global pace.

    The next batch is claimed while the last messages of the current one are in flight, so the pace has no
    gaps between batches. A claimed row not started within ``LEASE_SECONDS`` is given back.
    """
    limiter = drain.limiter
    queue: list[_Queued] = []
    in_flight: dict[asyncio.Task[_Result], _Queued] = {}
    busy: set[int] = set()
    exhausted = False
    try:
        while True:
            if not exhausted and len(queue) < REFILL_AT:
                claimed = await _claim(drain)
                # A claim holds at most CLAIM_PER_CHAT rows of a chat, so a short one does not mean "no more".
                exhausted = not claimed
                lease_end = time.monotonic() + LEASE_SECONDS
                queue.extend(_Queued(item, lease_end) for item in claimed)
            if not queue and not in_flight:
                return
            now = time.monotonic()
            expired = [queued for queued in queue if queued.lease_end <= now]
            if expired:
                await _mark(drain, outbox.release, [queued.item.row.id for queued in expired])
                queue = [queued for queued in queue if queued.lease_end > now]
                continue
            launched = False
            for index, queued in enumerate(queue):
                item = queued.item
                reason = _skip_reason(drain, item)
                if reason is not None:
                    queue.pop(index)
                    await _skip(drain, item, reason)
                    launched = True
                    break
                held = _quiet_until(drain, item)
                if held is not None:
                    queue.pop(index)
                    await _mark(drain, outbox.release, [item.row.id], held)
                    launched = True
                    break
                if item.chat_id in busy or limiter.chat_ready_at(item.chat_id) > now:
                    continue
                if limiter.global_ready_at() > now:
                    break
                queue.pop(index)
                limiter.take(item.chat_id, now)
                busy.add(item.chat_id)
                in_flight[asyncio.create_task(_send_one(drain, item))] = queued
                launched = True
                break
            if launched:
                continue
            wake = min((queued.lease_end for queued in queue), default=now + LEASE_SECONDS)
            waiting = [limiter.chat_ready_at(q.item.chat_id) for q in queue if q.item.chat_id not in busy]
            if waiting:
                wake = min(wake, max(limiter.global_ready_at(), min(waiting)))
            timeout = max(0.0, wake - now)
            if not in_flight:
                await asyncio.sleep(timeout)
                continue
            done, _pending = await asyncio.wait(
                in_flight, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                queued = in_flight.pop(task)
                item = queued.item
                busy.discard(item.chat_id)
                try:
                    result = task.result()
                except Exception:  # a database error while marking: the next drain recovers the row
                    log.exception("outbox %s: could not record the outcome", item.row.id)
                    drain.unsettled = True
                    continue
                if result.outcome is Outcome.SENT:
                    drain.sent += 1
                    limiter.relax()
                elif result.outcome is Outcome.BLOCKED:
                    drain.blocked_chats.add(item.chat_id)
                    exhausted = False  # the alert just queued is due now: send it in this drain
                elif result.outcome is Outcome.FLOOD:
                    log.info("outbox %s: 429, retry after %s s", item.row.id, result.retry_after)
                    limiter.penalise(item.chat_id, result.retry_after, time.monotonic())
                    if time.monotonic() + result.retry_after < queued.lease_end:
                        queue.insert(0, queued)  # the same message again, first for its chat
                    else:
                        later = drain.clock() + timedelta(seconds=result.retry_after)
                        await _mark(drain, outbox.release, [item.row.id], later)
    finally:
        # Cancelled (shutdown): what was not started goes back now rather than after the timeout. A send cut
        # off in flight stays claimed: the journal (or the claim timeout) takes it back later.
        for task in in_flight:
            task.cancel()
        if in_flight:
            drain.unsettled = True
        if queue:
            try:
                await asyncio.shield(_mark(drain, outbox.release, [q.item.row.id for q in queue]))
            except Exception:
                drain.unsettled = True


async def drain_outbox(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    hub: TranslatorHub,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Send every due outbox row within the limits; return how many messages were sent.

    ``clock`` gives "now" for due times, backoff and stamps (tests move it forward instead of waiting).
    """
    drain = _Drain(bot, sessionmaker, settings, hub, limiter_for(bot, settings), clock)
    async with _journal_for(drain):
        await _send_all(drain)
    return drain.sent


async def _recover(drain: _Drain, journal: SendJournal) -> None:
    """Take back this instance's leftovers: confirmed sends become ``sent``, every other claim goes back."""
    entries = journal.read()
    if entries.empty and journal.instance in _recovered:
        return
    async with drain.sessionmaker() as session:
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
async def _journal_for(drain: _Drain) -> AsyncIterator[None]:
    """Hold this instance's journal for the drain (shared by overlapping drains in one process).

    The first holder locks the file and recovers what an earlier run left; the last one clears the journal
    when every row it saw is finished, and unlocks it. Without a journal (``OUTBOX_JOURNAL=off``, or another
    process holds it) the drain claims with no instance id and marks in the database only.
    """
    path = journal_path(drain.settings)
    if path is None:
        yield
        return
    key = path.resolve()
    held = _journals.get(key)
    if held is not None:
        held.holders += 1
        await held.ready.wait()
    else:
        problem = "it is in use by another process"
        try:
            opened = SendJournal.open(key, journal_fingerprint(drain.settings))
        except OSError as exc:
            problem, opened = type(exc).__name__, None
        if opened is None:
            if key not in _journal_warned:  # once per process, not every drain
                _journal_warned.add(key)
                log.warning("outbox: cannot use the send journal (%s); sending without it", problem)
            yield
            return
        _journal_warned.discard(key)
        held = _journals[key] = _HeldJournal(opened)
        try:
            await _recover(drain, opened)
        except BaseException:
            held.unsettled = True
            _release_journal(key, held)
            raise
        finally:
            held.ready.set()
    drain.journal = held.journal
    try:
        yield
    except BaseException:
        held.unsettled = True
        raise
    finally:
        held.unsettled = held.unsettled or drain.unsettled
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


__all__ = [
    "SENDING_TIMEOUT",
    "SendJournal",
    "SendLimiter",
    "backoff_seconds",
    "drain_outbox",
    "journal_fingerprint",
    "journal_path",
    "limiter_for",
]
