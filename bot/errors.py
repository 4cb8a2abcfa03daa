"""How an update that did not go through is answered: one place for every refusal and failure.

- A domain refusal (``domain.errors``): :class:`NotAllowed`, :class:`Gone`, :class:`Closed`,
  :class:`Conflict` — raised by a repository inside the write that depends on it, so nothing changed. A button
  gets an alert (plain text), a typed message gets a message. The refusal may carry its own catalog key
  (``exc.key``); otherwise its kind's default message is used.
- A dialog button that no dialog of this chat knows (an old message, another chat's ``intent_id``, a forged
  one): the out-of-date alert, and nothing runs.
- Anything else: the user hears that nothing was saved; the log gets the exception's type and code lines,
  never its message (which may quote personal data).

In each case the update's held dialog and form writes are dropped (``db.fsm_storage``), so a failed step
leaves the conversation where it was.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, TelegramObject
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from bot.i18n import Translator
from db.fsm_storage import discard_update_writes
from domain.errors import Closed, Conflict, Gone, NotAllowed

log = logging.getLogger(__name__)

REFUSAL_KEYS: dict[type[Exception], str] = {
    NotAllowed: "access-denied",
    Gone: "button-stale",
    Closed: "record-closed",
    Conflict: "record-conflict",
}


async def _tell(event: ErrorEvent, data: dict[str, Any], key: str) -> None:
    i18n: Translator | None = data.get("i18n")
    if i18n is None:
        return
    update = event.update
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(i18n.alert(key), show_alert=True)
        elif update.message is not None:
            await update.message.answer(i18n(key))
    except Exception as reply_error:  # the reply is a courtesy; the refusal itself changed nothing
        log.warning("could not tell the user about %s: %s", key, type(reply_error).__name__)


async def on_refusal(event: ErrorEvent, **data: Any) -> bool:
    exc = event.exception
    discard_update_writes()
    log.info("update %s refused: %s", event.update.update_id, type(exc).__name__)
    key = getattr(exc, "key", None) or next(
        text for kind, text in REFUSAL_KEYS.items() if isinstance(exc, kind)
    )
    await _tell(event, data, str(key))
    return True


async def on_stale_dialog(event: ErrorEvent, **data: Any) -> bool:
    discard_update_writes()
    log.info("update %s: out-of-date dialog (%s)", event.update.update_id, type(event.exception).__name__)
    if event.update.callback_query is not None:
        await _tell(event, data, "button-stale")
    return True


async def on_error(event: ErrorEvent, **data: Any) -> bool:
    exc = event.exception
    discard_update_writes()
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("update %s failed with %s\n%s", event.update.update_id, type(exc).__name__, frames)
    await _tell(event, data, "error-generic")
    return True


class DropHeldWrites(BaseMiddleware):
    """Outer middleware of ``errors``: the failed update's held dialog writes are dropped first, before the
    dialog framework reloads the chat's stack to answer the error, so what it saves back is the stack as it
    was before the update (a dialog whose start was refused does not stay open)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        discard_update_writes()
        return await handler(event, data)


def register_error_handlers(dispatcher: Dispatcher) -> None:
    dispatcher.errors.outer_middleware(DropHeldWrites())
    dispatcher.errors.register(on_refusal, ExceptionTypeFilter(*REFUSAL_KEYS))
    dispatcher.errors.register(
        on_stale_dialog, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState)
    )
    dispatcher.errors.register(on_error)
