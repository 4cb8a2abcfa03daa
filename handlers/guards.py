"""What every plain router's button goes through before its handler (SPEC "Access"; issue 9, finding 2).

A button on a message the bot can no longer see (``InaccessibleMessage``) or on an inline message (no message
at all) gets the polite out-of-date alert, unless its router copes without the message. A press simulated by
the dialog framework (a reply-keyboard button) is not a Telegram callback and is left to the dialogs.

Refusals (:class:`domain.errors.NotAllowed`, :class:`~domain.errors.Gone`, ``Closed``, ``Conflict``) are not
answered here: they reach ``bot.errors``, which answers every one the same way and drops the update's dialog
changes. Callback data that fails to parse matches no handler and reaches the out-of-date catch-all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_dialog.api.internal import EVENT_SIMULATED

from domain.errors import Gone

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ButtonGuard(BaseMiddleware):
    """Inner middleware of a router's ``callback_query`` observer: runs only for a button it handles."""

    def __init__(self, *, needs_message: bool = True) -> None:
        self.needs_message = needs_message

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery) or data.get(EVENT_SIMULATED):
            return await handler(event, data)
        if self.needs_message and not isinstance(event.message, Message):
            raise Gone("the button's message is not accessible")
        return await handler(event, data)


def message_of_button(query: CallbackQuery) -> Message:
    """The message a button was pressed on.

    A router under ``ButtonGuard(needs_message=True)`` never runs a handler without one; should a handler run
    elsewhere, a press on an inaccessible or inline message is an out-of-date button (:class:`Gone`).
    """
    if not isinstance(query.message, Message):
        raise Gone("the button's message is not accessible")
    return query.message
