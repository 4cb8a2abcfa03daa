"""Reaching the Telegram Bot API: wait while it is unreachable, stop at once when it rejects the token.

- An unreachable server (no network, a closed port, a timeout) or a 5xx answer is one log line,
  ``Telegram Bot API unreachable (ClientConnectorError); retry in 2 s``, and another try after 1, 2, 4 … up to
  60 seconds; 429 waits what Telegram asks. This holds at startup (``getMe``, ``deleteWebhook``, the command
  lists, ``setWebhook``) and in polling (``bot.polling``).
- A 401 means the token was revoked or mistyped: ``TokenRejected``, a ``ConfigError`` printed as one line by
  ``python -m bot``, which exits with a non-zero code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from bot.settings import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")

FIRST_DELAY = 1.0
MAX_DELAY = 60.0

#: Errors that pass: the network, the server, or Telegram asking to slow down.
TRANSIENT = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter)


class TokenRejected(ConfigError):
    """Telegram answered 401 Unauthorized: the token is wrong or was revoked."""

    def __init__(self) -> None:
        super().__init__("Telegram rejected BOT_TOKEN (401 Unauthorized): check the token with @BotFather")


class Backoff:
    """Delays of 1, 2, 4 … seconds, capped at ``MAX_DELAY``; ``reset()`` once a call went through."""

    def __init__(self, first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> None:
        self.first = first
        self.cap = cap
        self.next_delay = first

    def take(self) -> float:
        delay = self.next_delay
        self.next_delay = min(self.cap, delay * 2)
        return delay

    def reset(self) -> None:
        self.next_delay = self.first


def reason(exc: BaseException) -> str:
    """What went wrong, without the request or its URL (which holds the token): the cause's type."""
    if isinstance(exc, TelegramNetworkError) and exc.__cause__ is not None:
        return type(exc.__cause__).__name__
    return type(exc).__name__


def delay_for(exc: BaseException, backoff: Backoff) -> float:
    """The wait before the next try: Telegram's ``retry_after`` for a 429, else the next backoff step."""
    if isinstance(exc, TelegramRetryAfter):
        return float(exc.retry_after)
    return backoff.take()


def report_unreachable(exc: BaseException, delay: float) -> None:
    log.warning("Telegram Bot API unreachable (%s); retry in %g s", reason(exc), delay)


async def until_reached(call: Callable[[], Awaitable[T]], backoff: Backoff | None = None) -> T:
    """Make a Bot API call, retrying while the API is unreachable; ``TokenRejected`` on 401."""
    backoff = backoff or Backoff()
    failed = False
    while True:
        try:
            result = await call()
        except TelegramUnauthorizedError:
            raise TokenRejected from None
        except TRANSIENT as exc:
            failed = True
            delay = delay_for(exc, backoff)
            report_unreachable(exc, delay)
            await asyncio.sleep(delay)
            continue
        if failed:
            log.info("Telegram Bot API reachable again")
        return result
