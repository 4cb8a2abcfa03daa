"""The last resort for an update whose handler failed: the user hears that nothing was saved, and the log
gets the exception's type and code lines, never its message (which may quote personal data)."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from aiogram.types import ErrorEvent

from bot.i18n import Translator

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, **data: Any) -> bool:
    exc = event.exception
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("update %s failed with %s\n%s", event.update.update_id, type(exc).__name__, frames)
    i18n: Translator | None = data.get("i18n")
    if i18n is None:
        return True
    update = event.update
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(i18n("error-generic"), show_alert=True)
        elif update.message is not None:
            await update.message.answer(i18n("error-generic"))
    except Exception as reply_error:  # the reply is a courtesy; the failure is already logged
        log.warning("could not tell the user about the failure: %s", type(reply_error).__name__)
    return True
