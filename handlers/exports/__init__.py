"""Exports (issue 13): «📤 Экспорт» under ``/contacts``, ``/clients``, ``/leads`` and ``/deals`` (under the
current filter), and ``/export`` for any of them and for the calls and meetings, which have no list of their
own. The file is an XLSX (typed cells, a frozen header, an autofilter) or a CSV for Excel, of exactly what the
user may see (R1c), with other people's contacts masked as on screen (R5b).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager

from handlers.exports import dialog
from handlers.exports.states import Export
from handlers.kit.launch import open_dialog


async def show_exports(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, Export.kind)


def create_router() -> Router:
    router = Router(name="exports")
    router.message.register(show_exports, Command("export"))
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
