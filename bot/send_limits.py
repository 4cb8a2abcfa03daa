"""Telegram's sending limits, kept by the outbox sender: a global pace and a minimum spacing per chat.

At most ``SEND_RATE_GLOBAL`` messages a second overall, evenly spaced, and messages to one chat at least
``1 / SEND_RATE_PER_CHAT`` seconds apart plus ``CHAT_MARGIN``. A 429 pauses everyone for its ``retry_after``
and slows the pace for a while. The limiter belongs to the ``Bot``, so overlapping drains in one process
share it.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from aiogram import Bot

from bot.settings import Settings

CHAT_MARGIN = 0.25  # seconds added to the per-chat spacing: request jitter must not bring two closer than 1 s
SLOWDOWN_MAX = 4.0


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
