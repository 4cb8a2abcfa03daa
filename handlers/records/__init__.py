"""History and documents of every card (contact, client, counterparty, lead, deal).

- «🕘 История»: the record's timeline from the audit table, a page at a time (``Records.history``).
- «📎 Документы (N)»: its files, newest first; a button sends one back; «📎 Прикрепить» waits for a file.
- A file (document, photo, voice note) sent while a card is on top of the dialog stack is attached to it.

The dialog is in :mod:`handlers.records.dialog`; this router starts it from buttons on cards sent before the
dialogs, sends a document back from such a card, and takes a file sent while a card is open.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode

from bot.callbacks import DocCb, DocsCb, HistoryCb
from bot.i18n import Translator
from bot.import_files import is_table_file
from db.repo import documents as repo
from handlers.kit.cards import card_on_top, entity_name
from handlers.kit.context import actor_of, session_of
from handlers.kit.launch import open_dialog
from handlers.records import actions, dialog
from handlers.records.getters import visible_name
from handlers.records.states import Records


class FileMessage(BaseFilter):
    """A document, a photo or a voice message (an async filter: routing costs no thread hop)."""

    async def __call__(self, message: Message) -> bool:
        return message.document is not None or bool(message.photo) or message.voice is not None


FILES = FileMessage()


async def _open(manager: DialogManager, state: State, entity: str, entity_id: int) -> None:
    """The window of a record the user may see; checked first, so a refusal starts nothing."""
    entity = entity_name(entity)
    await visible_name(manager, entity, entity_id)
    await open_dialog(manager, state, {"entity": entity, "entity_id": entity_id})


async def open_history(query: CallbackQuery, callback_data: HistoryCb, dialog_manager: DialogManager) -> None:
    await _open(dialog_manager, Records.history, callback_data.entity, callback_data.id)
    await query.answer()


async def open_documents(query: CallbackQuery, callback_data: DocsCb, dialog_manager: DialogManager) -> None:
    state = Records.attach if callback_data.action == "attach" else Records.documents
    await _open(dialog_manager, state, callback_data.entity, callback_data.id)
    await query.answer()


async def send_document(query: CallbackQuery, callback_data: DocCb, dialog_manager: DialogManager) -> None:
    await actions.send_back(dialog_manager, callback_data.id)
    await query.answer()


def _window_takes_messages(manager: DialogManager) -> bool:
    current = getattr(manager, "dialog", None)  # the manager's dialog, not in the protocol
    windows = getattr(current(), "windows", {}) if current is not None else {}
    window = windows.get(manager.current_context().state)
    return getattr(window, "on_message", None) is not None


async def on_file(message: Message, dialog_manager: DialogManager, i18n: Translator) -> None:
    """A file outside a form: attached to the card on top of the dialog stack. A window that takes messages
    itself (a form step: «answer with text»; the documents window) gets it instead."""
    card = card_on_top(dialog_manager)
    if card is None and dialog_manager.has_context() and _window_takes_messages(dialog_manager):
        raise SkipHandler
    if card is None and not dialog_manager.has_context():
        # A card sent before the dialogs, as a plain message, is remembered in the user's row.
        card = await repo.open_card(session_of(dialog_manager), actor_of(dialog_manager).user_id)
    if card is None and message.document is not None and is_table_file(message.document.file_name):
        raise SkipHandler  # a table sent outside a card is an import (``handlers.imports``)
    if card is None:
        await message.answer(i18n("records-no-open-card"))
        return
    await actions.attach(message, dialog_manager, *card)
    if dialog_manager.has_context():
        await dialog_manager.show(ShowMode.SEND)  # the card again, below, with the new count


def create_router() -> Router:
    router = Router(name="records")
    router.callback_query.register(open_history, HistoryCb.filter())
    router.callback_query.register(open_documents, DocsCb.filter())
    router.callback_query.register(send_document, DocCb.filter())
    router.message.register(on_file, FILES)
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
