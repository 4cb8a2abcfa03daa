"""Settings (``/settings``, the menu's «⚙️ Настройки»): each user's own time zone and language; an admin also
reaches the directories and the team administration from here.

The dialog is in :mod:`handlers.preferences.dialog`; this router only starts it.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import SettingsCb
from bot.menu import MenuButton
from handlers.kit.launch import open_dialog
from handlers.preferences import dialog
from handlers.preferences.states import SettingsMenu


async def show_settings(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, SettingsMenu.main)


async def old_settings_button(query: CallbackQuery, dialog_manager: DialogManager) -> None:
    """A button of a settings message sent before the settings became a dialog: the settings again."""
    await query.answer()
    await open_dialog(dialog_manager, SettingsMenu.main)


def create_router() -> Router:
    router = Router(name="preferences")
    router.message.register(show_settings, Command("settings"))
    router.message.register(show_settings, MenuButton("settings"))
    router.callback_query.register(old_settings_button, SettingsCb.filter())
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
