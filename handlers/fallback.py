"""Last router: menu actions not built yet, unknown commands, stray text, and out-of-date buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog.utils import CB_SEP as INTENT_SEPARATOR

from bot.i18n import Translator
from bot.menu import MENU_KEYS, AnyMenuButton, main_menu


async def not_built_button(message: Message, menu_action: str, i18n: Translator) -> None:
    await message.answer(
        i18n("not-built-yet", action=i18n(MENU_KEYS[menu_action])), reply_markup=main_menu(i18n)
    )


async def unknown_command(message: Message, i18n: Translator) -> None:
    assert message.text is not None
    command = message.text.split()[0].split("@")[0].lstrip("/")
    action = next((key for act, key in MENU_KEYS.items() if act == command), None)
    if action is not None:
        await message.answer(i18n("not-built-yet", action=i18n(action)), reply_markup=main_menu(i18n))
        return
    await message.answer(i18n("unknown-command"), reply_markup=main_menu(i18n))


async def stray_message(message: Message, state: FSMContext, i18n: Translator) -> None:
    # Forms register their own catch-all per state, so reaching here means no form is waiting for this.
    await message.answer(i18n("stray-message"), reply_markup=main_menu(i18n))


async def stale_button(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer(i18n("button-stale"), show_alert=True)


class NotDialogButton(BaseFilter):
    """Callback data without a dialog's intent id: a button of the plain routers that none of them took."""

    async def __call__(self, query: CallbackQuery) -> bool:
        return INTENT_SEPARATOR not in (query.data or "")


class SlashCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return (message.text or "").startswith("/")


def create_entry_router() -> Router:
    """Menu actions not built yet, unknown commands and unknown plain buttons: before the dialogs, so a
    dialog on top of the stack never takes them for its own."""
    router = Router(name="fallback_entry")
    router.message.register(not_built_button, AnyMenuButton())
    router.message.register(unknown_command, SlashCommand())
    router.callback_query.register(stale_button, NotDialogButton())
    return router


def create_router() -> Router:
    """Last: stray text and any button nobody took."""
    router = Router(name="fallback")
    router.message.register(stray_message)
    router.callback_query.register(stale_button)
    return router
