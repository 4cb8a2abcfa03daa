"""Team administration (settings → «👥 Сотрудники и команды», admins) and ``/reassign``.

Admins change a user's role and team, the permission to convert clients, and deactivate (after a
confirmation) or reactivate users: never themselves, never the last active admin, never an ``ADMIN_IDS`` admin
(the bot promotes those back at their next message, so the card says so instead of letting a change silently
revert).

When someone with open leads or deals is deactivated, the team's active team leads (the admins when the team
has none) get a notice with «Переназначить» (``bot.notices.work_handover``): the open work is handed to an
active team member one by one or all at once. A team lead does it for their own team only, an admin for
anyone; every press re-checks.

The dialogs are in :mod:`handlers.team_admin.dialog`; this router only starts them.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import HandoverCb
from bot.i18n import Translator
from db.models import User
from domain.access import Role
from handlers.kit.launch import open_dialog
from handlers.team_admin import dialog
from handlers.team_admin.actions import OWNER, Refusal, check_owner
from handlers.team_admin.states import Handover


async def reassign(message: Message, dialog_manager: DialogManager, user: User) -> None:
    if user.role not in {Role.ADMIN.value, Role.TEAM_LEAD.value}:
        raise Refusal("team-reassign-not-allowed")
    await open_dialog(dialog_manager, Handover.owners)


async def handover_notice(
    query: CallbackQuery,
    callback_data: HandoverCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """«🔁 Переназначить» on the notice (or an older button of the handover): the owner's open work."""
    try:
        await check_owner(session, user, callback_data.owner, deactivated_only=True)
    except Refusal as refusal:
        await query.answer(i18n.plain(refusal.key), show_alert=True)
        return
    await query.answer()
    await open_dialog(dialog_manager, Handover.work, {OWNER: callback_data.owner})


def create_router() -> Router:
    router = Router(name="team_admin")
    router.message.register(reassign, Command("reassign"))
    router.callback_query.register(handover_notice, HandoverCb.filter())
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
