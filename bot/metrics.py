"""Prometheus metrics of one bot process, served at ``/metrics`` next to ``/healthz`` (``bot.health``).

Every label has a handful of values (an update's type, an outcome, a send's result, an outbox state), never a
user, chat or record id. The metrics live in this process's own ``REGISTRY`` (not the library's global one),
together with the process collector (CPU, memory, open files).

- ``crm_updates_total{type, outcome}`` and ``crm_update_seconds{type}``: every update, by its type
  (``message``, ``callback_query`` …) and how its handling ended: ``ok`` (a re-asked step too), ``refused``
  (a domain refusal or an out-of-date button, answered by ``bot.errors``) or ``error`` (any other
  exception, including one in aiogram's own middlewares before ours, e.g. the FSM storage's database being
  down: ``ErrorMetrics`` counts those); timed from the first of our middlewares to the handler's end.
- ``crm_sends_total{result}``: each outbox send Telegram answered, or that failed on the way: ``ok``, ``429``,
  ``403``, ``5xx``, ``network``, ``4xx`` (a 400 and the like).
- ``crm_outbox_rows{state}``: outbox rows by state (``pending``, ``sending``, ``sent``, ``failed``,
  ``skipped``), counted by a query when ``/metrics`` is scraped, so it is as fresh as the scrape. The database
  is shared, so every instance reports the same figures: aggregate them with ``max``, not ``sum``.
- ``crm_sweep_seconds{kind}``: how long each reminder sweep took (``periodic`` or ``startup``).
- ``crm_leader``: 1 when this instance runs the scheduled sweeps (``follow_leader`` reads the lease at every
  scrape; ``set_leader`` sets it by hand); 1 until an instance joins.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import ErrorEvent, TelegramObject, Update
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import REFUSAL_KEYS
from db.repo import outbox

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

UPDATES = Counter(
    "crm_updates",
    "Updates handled, by update type and outcome (ok, refused or error).",
    ["type", "outcome"],
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "crm_update_seconds",
    "Time to handle one update, by update type.",
    ["type"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
SENDS = Counter(
    "crm_sends", "Outbox sends, by result: ok, 429, 403, 5xx, network, 4xx.", ["result"], registry=REGISTRY
)
OUTBOX_ROWS = Gauge(
    "crm_outbox_rows", "Outbox rows by state, counted at scrape time.", ["state"], registry=REGISTRY
)
SWEEP_SECONDS = Histogram(
    "crm_sweep_seconds",
    "Duration of a reminder sweep (periodic or startup).",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
    registry=REGISTRY,
)
LEADER = Gauge("crm_leader", "1 when this instance runs the scheduled sweeps, else 0.", registry=REGISTRY)
LEADER.set(1)

OUTBOX_STATES = (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.FAILED, outbox.SKIPPED)


def set_leader(is_leader: bool) -> None:
    """Record whether this instance holds the scheduler's leader lease (a fixed value)."""
    LEADER.set_function(lambda: 1.0 if is_leader else 0.0)


def follow_leader(is_leader: Callable[[], bool]) -> None:
    """Read the lease at every scrape (``bot.leader.Lease.is_leader``): a lease that ran out while its
    renewals stalled shows as 0 at once, with no change event."""
    LEADER.set_function(lambda: 1.0 if is_leader() else 0.0)


def update_type(update: Update) -> str:
    """The update's kind (``message``, ``callback_query`` …); ``unknown`` for a kind aiogram does not know."""
    try:
        return str(update.event_type)
    except Exception:  # aiogram raises its own lookup error for an update with no known field
        return "unknown"


#: Exceptions that are answers, not failures: refusals and out-of-date buttons (``bot.errors``).
REFUSALS: tuple[type[Exception], ...] = (*REFUSAL_KEYS, UnknownIntent, OutdatedIntent, UnknownState)
_COUNTED = "crm_update_counted"


class UpdateMetrics(BaseMiddleware):
    """Counts and times every update (the outermost of our middlewares, inside aiogram's own)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = update_type(event) if isinstance(event, Update) else type(event).__name__.lower()
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await handler(event, data)
        except Exception as exc:
            outcome = "refused" if isinstance(exc, REFUSALS) else "error"
            data[_COUNTED] = True
            raise
        finally:
            UPDATE_SECONDS.labels(kind).observe(time.perf_counter() - started)
            UPDATES.labels(kind, outcome).inc()


class ErrorMetrics(BaseMiddleware):
    """On the errors observer: counts an update that failed before ``UpdateMetrics`` saw it (in aiogram's
    own middlewares, such as the FSM storage's)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, ErrorEvent) and not data.get(_COUNTED):
            outcome = "refused" if isinstance(event.exception, REFUSALS) else "error"
            UPDATES.labels(update_type(event.update), outcome).inc()
        return await handler(event, data)


async def refresh_outbox_rows(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Set ``crm_outbox_rows`` from the database (a state with no rows reads 0)."""
    async with sessionmaker() as session:
        counts = await outbox.count_by_status(session)
    for state in {*OUTBOX_STATES, *counts}:
        OUTBOX_ROWS.labels(state).set(counts.get(state, 0))


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and their content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
