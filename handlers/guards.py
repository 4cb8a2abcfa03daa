"""What every button goes through before and around its handler (SPEC "Access"; issue 9, findings 2 and 9).

- A button on a message the bot can no longer see (``InaccessibleMessage``) or on an inline message (no
  message at all) gets the polite out-of-date alert, unless its router copes without the message.
- A repository that refuses a forged or stale id (:class:`domain.errors.NotAllowed`,
  :class:`domain.errors.Gone`) gets the same alert as a refused or out-of-date button; nothing was changed,
  since the refusal is raised inside the write.

Callback data that fails to parse (an id of ``2^63``, ``-1`` or letters) matches no handler and reaches the
catch-all ``handlers.fallback.stale_button``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from domain.errors import Gone, NotAllowed

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ButtonGuard(BaseMiddleware):
    """Inner middleware of a router's ``callback_query`` observer: runs only for a button it handles."""

    def __init__(self, *, needs_message: bool = True) -> None:
        self.needs_message = needs_message

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        if self.needs_message and not isinstance(event.message, Message):
            return await self._refuse(event, data, "button-stale")
        try:
            return await handler(event, data)
        except NotAllowed:
            log.info("refused a button for user %s: not allowed", event.from_user.id)
            return await self._refuse(event, data, "access-denied")
        except Gone:
            return await self._refuse(event, data, "button-stale")

    @staticmethod
    async def _refuse(query: CallbackQuery, data: dict[str, Any], key: str) -> None:
        i18n = data.get("i18n")
        await query.answer(i18n(key) if i18n is not None else None, show_alert=i18n is not None)


def message_of_button(query: CallbackQuery) -> Message:
    """The message a button was pressed on.

    A router under ``ButtonGuard(needs_message=True)`` never runs a handler without one; should a handler run
    elsewhere, a press on an inaccessible or inline message is an out-of-date button (:class:`Gone`).
    """
    if not isinstance(query.message, Message):
        raise Gone("the button's message is not accessible")
    return query.message
