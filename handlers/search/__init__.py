"""Search (``/find`` and «🔎 Поиск»): contacts by a fragment of the name or a phone in any format, their leads
and deals, and clients by name; only what the user may see (SPEC "Access").

The dialog is in :mod:`handlers.search.dialog`; this router only starts it. The query lives in the dialog
data, never in a button, so any text fits Telegram's 64-byte callback limit.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager

from bot.menu import MenuButton
from handlers.kit.launch import open_dialog
from handlers.search import dialog
from handlers.search.states import Search


async def find_command(message: Message, command: CommandObject, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, Search.query, {"query": command.args} if command.args else {})


async def find_button(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, Search.query)


def create_router() -> Router:
    router = Router(name="search")
    router.message.register(find_command, Command("find"))
    router.message.register(find_button, MenuButton("find"))
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
