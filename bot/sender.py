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

Send. Within the limits (``bot.send_limits.SendLimiter``): at most ``SEND_RATE_GLOBAL`` messages a second
overall, evenly spaced, and messages to one chat at least ``1 / SEND_RATE_PER_CHAT`` seconds apart (plus a
small margin), one at a time per chat and in ``send_after`` order. The limiter belongs to the ``Bot``, so
overlapping drains in one process share it; with ``REDIS_URL`` its budgets are shared by every instance, so
several instances together keep the same global rate.
The text is rendered right before the send, from the database (``bot.notifications``): a row whose recipient
is inactive or unreachable, or whose subject no longer applies, is marked ``skipped`` and not sent.
A notice about a change (``outbox.NOTICE_KINDS``: a route, a handover, an invitee who joined) is queued due at
once; claimed during its recipient's quiet hours, it goes back unsent until they end.

Mark. Right before the call the journal gets ``S <id>``; right after Telegram's 200, before any ``await``,
``D <id> <time>`` (``bot.outbox_journal.SendJournal``: one ``os.write`` on an ``O_APPEND`` file, which a
``kill -9`` does not undo). Then the row is marked ``sent`` in its own short transaction. Other outcomes are
marked in the database only (repeating them after a crash is harmless).

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
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
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
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import TranslatorHub
from bot.metrics import SENDS
from bot.notifications import UnknownKind, render, zone_of
from bot.outbox_journal import SendJournal, held_journal
from bot.send_limits import SendLimiter, limiter_for
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
TRANSIENT_ERRORS = (TelegramServerError, TelegramNetworkError, aiohttp.ClientError, asyncio.TimeoutError)


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
        SENDS.labels("429").inc()
        return _Result(Outcome.FLOOD, float(exc.retry_after))
    except TelegramForbiddenError:
        SENDS.labels("403").inc()
        await _on_blocked(drain, item, drain.clock())
        return _Result(Outcome.BLOCKED)
    except TRANSIENT_ERRORS as exc:
        SENDS.labels("5xx" if isinstance(exc, TelegramServerError) else "network").inc()
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
        SENDS.labels("4xx").inc()
        log.warning("outbox %s: refused by Telegram (%s)", row.id, type(exc).__name__)
        await _mark(drain, outbox.mark_failed, row.id, _error_text(exc), row.attempts + 1)
        return _Result(Outcome.FAILED)
    # Sent. The journal line first, before any await: from here on a crash cannot make it repeat. Then the
    # database mark, in its own transaction (after a crash, the journal replays it).
    sent_at = drain.clock()
    if journal is not None:
        journal.confirmed(row.id, sent_at)
    SENDS.labels("ok").inc()
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
                if not await limiter.acquire(item.chat_id, now):
                    launched = True  # the budget moved this chat's or everyone's ready time: look again
                    break
                queue.pop(index)
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
                    await limiter.penalise(item.chat_id, result.retry_after, time.monotonic())
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
    async with held_journal(settings, sessionmaker, lambda: drain.unsettled) as journal:
        drain.journal = journal
        await _send_all(drain)
    return drain.sent


__all__ = ["SENDING_TIMEOUT", "backoff_seconds", "drain_outbox"]
