"""Import of contacts from a file (seed 002; admins and team leads): ``/import``, «📥 Импорт» under /settings,
or a .csv / .xlsx sent to the bot outside a card (a file sent while a card is open is attached to the card:
``handlers.records``). The dialog is in :mod:`handlers.imports.dialog`; this router starts it and answers
«↩️ Отменить импорт» on the result message (``ImportCb``), re-authorised by the repository.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ImportCb
from bot.i18n import Translator
from db.repo.import_undo import undo
from domain.access import Actor
from domain.imports import UndoExpired
from handlers.imports import actions, dialog
from handlers.imports.states import ImportFlow
from handlers.kit.launch import open_dialog

log = logging.getLogger(__name__)


async def show_import(
    message: Message, actor: Actor, i18n: Translator, dialog_manager: DialogManager
) -> None:
    if not actions.may_import(actor):
        await message.answer(i18n("import-only-leads"))
        return
    await open_dialog(dialog_manager, ImportFlow.upload)


async def file_sent(message: Message, dialog_manager: DialogManager) -> None:
    """A table sent outside a card: read it, then its columns."""
    info = await actions.take_file(message, dialog_manager)
    if info is not None:
        await open_dialog(dialog_manager, ImportFlow.mapping, {actions.FILE: info})


async def undo_import(
    query: CallbackQuery, callback_data: ImportCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """«↩️ Отменить импорт»: within 24 hours, the contacts the import created that nobody has touched since."""
    try:
        done = await undo(session, actor, callback_data.id, datetime.now(UTC))
    except UndoExpired:
        await query.answer(i18n.plain("import-undo-expired"), show_alert=True)
        return
    log.info("import %s undone by user %s: %d removed, %d kept", callback_data.id, actor.user_id,
             done.removed, done.kept)  # fmt: skip
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(i18n("import-undone", removed=done.removed, kept=done.kept))


def create_router() -> Router:
    router = Router(name="imports")
    router.message.register(show_import, Command("import"))
    router.callback_query.register(undo_import, ImportCb.filter(F.action == "undo"))
    return router


def after_dialogs() -> list[Router]:
    """A table no dialog window took and no open card took (``handlers.records`` passes it on)."""
    router = Router(name="imports-files")
    router.message.register(file_sent, F.document.func(actions.is_table))
    return [router]


def dialogs() -> list[Dialog]:
    return [dialog.import_dialog()]
