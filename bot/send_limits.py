"""Telegram's sending limits, kept by the outbox sender of every instance together.

Two budgets, counted by the ``limits`` library in moving windows (at most N sends in any window):

- the global one, ``SEND_RATE_GLOBAL`` messages a second for the bot as a whole;
- one per chat, ``SEND_RATE_PER_CHAT`` messages a second.

Where they are counted: with ``REDIS_URL``, in Redis (``limits.aio.storage.RedisStorage``), so every instance
draws on the same budget and three instances together still send at most ``SEND_RATE_GLOBAL`` a second;
without it, in the process (``MemoryStorage``), which is right because a second instance without Redis is
refused at start (``bot.leader``).

On top of the shared windows each instance keeps its own pace: sends evenly spaced at the global rate (a
window alone would let a full second's budget go out in one burst) and messages to one chat at least ``1 /
SEND_RATE_PER_CHAT`` seconds plus ``CHAT_MARGIN`` apart. A 429 pauses everyone for its ``retry_after`` (with
Redis, a shared pause key that every instance reads before it sends) and slows this instance's pace for a
while. The limiter belongs to the ``Bot``, so overlapping drains in one process share it.
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from bot.settings import Settings

log = logging.getLogger(__name__)

CHAT_MARGIN = 0.25  # seconds added to the per-chat spacing: request jitter must not bring two closer than 1 s
SLOWDOWN_MAX = 4.0
WINDOW_MARGIN = 0.02  # seconds past a window's reset before trying again: the slot just freed stays free
STORAGE_RETRY = 1.0  # seconds to wait when the shared budget cannot be read (Redis unreachable)


def per_second(rate: float) -> RateLimitItem:
    """``rate`` a second as a moving window of whole seconds (a rate below 1: one per ``1 / rate`` s)."""
    if rate >= 1:
        return RateLimitItemPerSecond(math.floor(rate + 1e-9), 1)
    return RateLimitItemPerSecond(1, math.ceil(1 / rate - 1e-9))


class SendLimiter:
    """This instance's pace (evenly spaced slots, per-chat spacing) over the budgets shared in ``storage``.

    ``chat_ready_at``/``global_ready_at`` are this instance's own spacing, on the monotonic clock; ``acquire``
    takes a send from the shared budgets and says when to try again if they are spent.
    """

    def __init__(
        self,
        global_rate: float,
        per_chat_rate: float,
        *,
        storage: Storage | None = None,
        scope: str = "bot",
        pause_board: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        self.global_interval = 1.0 / global_rate
        self.chat_interval = 1.0 / per_chat_rate + CHAT_MARGIN
        self.clock = clock
        self.slowdown = 1.0
        self.storage = storage if storage is not None else MemoryStorage()
        self.windows = MovingWindowRateLimiter(self.storage)
        self.global_item = per_second(global_rate)
        self.chat_item = per_second(per_chat_rate)
        self.scope = scope
        self.pause_board = pause_board  # redis.asyncio.Redis with REDIS_URL: the shared pause key
        self.pause_key = f"send:{scope}:paused-until"
        self._next_global = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}

    def global_ready_at(self) -> float:
        return max(self._next_global, self._paused_until)

    def chat_ready_at(self, chat_id: int) -> float:
        return max(self._chat_next.get(chat_id, 0.0), self._paused_until)

    def take(self, chat_id: int, now: float) -> None:
        """This instance's spacing after a send is started."""
        interval = self.global_interval * self.slowdown
        # A wake-up a little late keeps to the schedule (no drift below the rate); after idling, start afresh.
        base = self._next_global if now - self._next_global < interval else now
        self._next_global = base + interval
        self._chat_next[chat_id] = now + self.chat_interval
        if len(self._chat_next) > 10_000:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}

    async def _shared_pause(self) -> float:
        """Seconds left of a pause another instance announced (0 without Redis or without a pause)."""
        if self.pause_board is None:
            return 0.0
        until = await self.pause_board.get(self.pause_key)
        return max(0.0, float(until) - time.time()) if until is not None else 0.0

    async def _wait_for(self, item: RateLimitItem, *key: str) -> float:
        stats = await self.windows.get_window_stats(item, *key)
        return max(0.0, stats.reset_time - time.time()) + WINDOW_MARGIN

    async def acquire(self, chat_id: int, now: float) -> bool:
        """Take one send to ``chat_id`` from the shared budgets; ``False`` and a later ready time if spent.

        The global budget first: when the chat's turns out spent (another instance has just sent to that
        chat), the global send taken is left unused, which errs on the safe side.
        """
        try:
            paused = await self._shared_pause()
            if paused > 0:
                self._paused_until = max(self._paused_until, now + paused)
                return False
            if not await self.windows.hit(self.global_item, self.scope, "global"):
                self._next_global = max(
                    self._next_global, now + await self._wait_for(self.global_item, self.scope, "global")
                )
                return False
            chat_key = (self.scope, "chat", str(chat_id))
            if not await self.windows.hit(self.chat_item, *chat_key):
                self._chat_next[chat_id] = now + await self._wait_for(self.chat_item, *chat_key) + CHAT_MARGIN
                return False
        except Exception as exc:  # the shared budget is unreachable: wait rather than risk the limits
            log.warning("send budget unavailable (%s): waiting %s s", type(exc).__name__, STORAGE_RETRY)
            self._next_global = max(self._next_global, now + STORAGE_RETRY)
            return False
        self.take(chat_id, now)
        return True

    async def penalise(self, chat_id: int, retry_after: float, now: float) -> None:
        """A 429: nobody sends for ``retry_after`` seconds (every instance, with Redis); the pace slows."""
        self._paused_until = max(self._paused_until, now + retry_after)
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), now + retry_after + CHAT_MARGIN)
        self.slowdown = min(SLOWDOWN_MAX, self.slowdown * 1.5)
        if self.pause_board is not None:
            try:
                await self.pause_board.set(
                    self.pause_key, repr(time.time() + retry_after), px=max(1, int(retry_after * 1000))
                )
            except Exception as exc:
                log.warning("could not share the pause (%s)", type(exc).__name__)

    def relax(self) -> None:
        self.slowdown = max(1.0, self.slowdown * 0.98)

    async def close(self) -> None:
        if self.pause_board is not None:
            await self.pause_board.aclose()


_limiters: weakref.WeakKeyDictionary[Bot, SendLimiter] = weakref.WeakKeyDictionary()


def limiter_for(bot: Bot, settings: Settings) -> SendLimiter:
    """One limiter per bot, kept between drains, so the spacing holds across them.

    With ``REDIS_URL`` its budgets live in Redis under the bot's id, shared by every instance of the bot.
    """
    limiter = _limiters.get(bot)
    if (
        limiter is None
        or limiter.global_rate != settings.send_rate_global
        or limiter.per_chat_rate != settings.send_rate_per_chat
    ):
        scope = str(bot.id)
        if settings.redis_url:
            from redis.asyncio import Redis

            storage: Storage = RedisStorage(
                "async+" + settings.redis_url, implementation="redispy", key_prefix="send"
            )
            board: Any = Redis.from_url(settings.redis_url)
        else:
            storage, board = MemoryStorage(), None
        limiter = _limiters[bot] = SendLimiter(
            settings.send_rate_global,
            settings.send_rate_per_chat,
            storage=storage,
            scope=scope,
            pause_board=board,
        )
    return limiter


async def close_limiter(bot: Bot) -> None:
    """At shutdown: the shared pause key's connection."""
    limiter = _limiters.pop(bot, None)
    if limiter is not None:
        await limiter.close()
