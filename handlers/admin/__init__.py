"""Invites (``/invite``, admins): a role and a team with buttons, then a single-use deep link.

The dialog is in :mod:`handlers.admin.dialog`; this router only starts it.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import InviteCb
from bot.i18n import Translator
from db.models import User
from db.repo.directories import NotAdmin, require_admin
from handlers.admin import dialog
from handlers.admin.states import InviteForm
from handlers.kit.launch import open_dialog


async def invite(message: Message, dialog_manager: DialogManager, user: User) -> None:
    require_admin(user)
    await open_dialog(dialog_manager, InviteForm.role)


async def old_invite_button(
    query: CallbackQuery, dialog_manager: DialogManager, user: User, i18n: Translator
) -> None:
    """A button of an invite message sent before invites became a dialog: the invite starts again."""
    try:
        require_admin(user)
    except NotAdmin as refusal:
        await query.answer(i18n.plain(refusal.key), show_alert=True)
        return
    await query.answer()
    await open_dialog(dialog_manager, InviteForm.role)


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(old_invite_button, InviteCb.filter())
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
