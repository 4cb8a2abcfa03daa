"""Pieces every form window shares: the answer that is not text, and cancel that says so."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, ContentType, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Select
from aiogram_dialog.widgets.text import Format

from bot.menu import main_menu
from handlers.kit.context import i18n_of
from handlers.kit.inputs import set_error


async def _not_text(message: Message, widget: Any, manager: DialogManager) -> None:
    set_error(manager, "form-err-text-expected")


#: Last widget of a typed step: a photo, a sticker or a voice message gets «answer with text».
NOT_TEXT = MessageInput(_not_text, content_types=ContentType.ANY)


def use_buttons(key: str) -> MessageInput:
    """Last widget of a window that only has buttons (a summary): anything typed gets ``key``."""

    async def said(message: Message, widget: Any, manager: DialogManager) -> None:
        set_error(manager, key)

    return MessageInput(said, content_types=ContentType.ANY)


def chat_id_of(event: Any) -> int | None:
    if isinstance(event, CallbackQuery):
        return event.message.chat.id if event.message is not None else event.from_user.id
    if isinstance(event, Message):
        return event.chat.id
    return None


async def tell(manager: DialogManager, key: str, **params: Any) -> None:
    """A message of its own below the dialog (a save or a cancel), with the main menu keyboard."""
    chat_id = chat_id_of(manager.event)
    bot = manager.middleware_data.get("bot")
    if chat_id is None or not isinstance(bot, Bot):
        return
    i18n = i18n_of(manager)
    await bot.send_message(chat_id, i18n(key, **params), reply_markup=main_menu(i18n))


async def cancel_form(event: Any, widget: Any, manager: DialogManager) -> None:
    """Close this form without saving; at the top level say so, with the main menu."""
    await manager.done()
    if not manager.has_context():
        await tell(manager, "cancelled")


def text_select(items: str, on_click: Any, widget_id: str) -> Select[str]:
    """Buttons labelled by the second field of each item, keyed by its first (a text id: a code, a scope)."""
    return Select(
        Format("{item[1]}"),
        id=widget_id,
        item_id_getter=lambda item: item[0],
        items=items,
        on_click=on_click,
    )
