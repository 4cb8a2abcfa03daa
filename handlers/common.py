"""``/cancel`` (works in any state and any dialog), ``/menu``, «Ещё» and ``/help``."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import NavCb
from bot.i18n import Translator
from bot.menu import BACK_KEY, MORE_KEY, CatalogText, MenuButton, Words, main_menu, more_menu
from db.models import User
from db.repo.documents import close_open_card
from handlers.kit.launch import form_in_progress

CANCEL_WORDS = {"отмена", "отменить", "cancel", "стоп", "stop"}


async def _close_all(state: FSMContext, dialog_manager: DialogManager) -> bool:
    """Close every dialog of this chat; whether a form with unsaved answers was among them."""
    had_form = await state.get_state() is not None or form_in_progress(dialog_manager) is not None
    await state.clear()
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()
    return had_form


async def cancel(
    message: Message,
    state: FSMContext,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    had_form = await _close_all(state, dialog_manager)
    await close_open_card(session, user)
    await message.answer(i18n("cancelled" if had_form else "nothing-to-cancel"), reply_markup=main_menu(i18n))


async def cancel_button(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    if not isinstance(query.message, Message):  # an inaccessible or inline message: say it in the alert
        await query.answer(i18n("cancelled"), show_alert=True)
        return
    await query.answer()
    if query.message is not None and isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(i18n("cancelled"), reply_markup=main_menu(i18n))


async def menu(
    message: Message,
    state: FSMContext,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    await _close_all(state, dialog_manager)
    await close_open_card(session, user)
    await message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))


async def more(message: Message, i18n: Translator) -> None:
    """«Ещё»: the second keyboard. A form in progress stays as it is."""
    await message.answer(i18n("menu-more-title"), reply_markup=more_menu(i18n))


async def back_to_main(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("menu-title"), reply_markup=main_menu(i18n))


async def help_(message: Message, i18n: Translator, user: User) -> None:
    text = i18n("help-text")
    if user.role == "admin":
        text += "\n\n" + i18n("help-admin")
    elif user.role == "team_lead":
        text += "\n\n" + i18n("help-team-lead")
    await message.answer(text, reply_markup=main_menu(i18n))


def create_router() -> Router:
    router = Router(name="common")
    router.message.register(cancel, Command("cancel"))
    router.message.register(cancel, Words(CANCEL_WORDS))
    router.callback_query.register(cancel_button, NavCb.filter(F.action == "cancel"))
    router.message.register(menu, Command("menu"))
    router.message.register(more, CatalogText(MORE_KEY))
    router.message.register(back_to_main, CatalogText(BACK_KEY))
    router.message.register(help_, Command("help"))
    router.message.register(help_, MenuButton("help"))
    return router
