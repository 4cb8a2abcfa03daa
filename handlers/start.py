"""``/start``: greet members; join strangers with an invite code (``/start <code>``).

An admin in a company not set up yet (no team, nobody but admins) is greeted as on a first start and told
where to begin: ``/invite`` for the teams and people, ``/settings`` for the directories.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_user_commands
from bot.i18n import Translator, TranslatorHub
from bot.menu import main_menu
from bot.settings import Settings
from db.models import User
from db.repo import users

log = logging.getLogger(__name__)


async def start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    settings: Settings,
    i18n: Translator,
    i18n_hub: TranslatorHub,
    bot: Bot,
    user: User | None,
) -> None:
    assert message.from_user is not None
    if user is not None:
        await state.clear()
        await message.answer(
            i18n(await _greeting(session, user, command), name=user.full_name), reply_markup=main_menu(i18n)
        )
        return
    code = (command.args or "").strip()
    try:
        joined = await users.redeem_invite(
            session,
            code=code,
            telegram_id=message.from_user.id,
            full_name=message.from_user.full_name,
            username=message.from_user.username,
            max_failures=settings.invite_max_failures,
            window=timedelta(minutes=settings.invite_failure_window_minutes),
        )
    except users.InviteRateLimited:
        log.warning("invite attempts rate-limited for an unknown user")
        await message.answer(i18n("invite-rate-limited", minutes=settings.invite_failure_window_minutes))
        return
    except users.InviteInvalid:
        log.info("invalid or used invite code presented")
        user_id = str(message.from_user.id)
        text = i18n("invite-invalid", user_id=user_id)
        if not settings.admin_ids:  # the first setup: the line that makes this person the admin
            text += "\n\n" + i18n("first-setup-admin-line", user_id=user_id)
        await message.answer(text)
        return
    log.info("user %s joined with role %s", joined.user.id, joined.user.role)
    await set_user_commands(bot, joined.user, i18n_hub)
    await message.answer(
        i18n(
            "start-joined",
            name=joined.user.full_name,
            role=i18n(f"role-{joined.user.role}"),
            team=joined.team.name if joined.team else "—",
        ),
        reply_markup=main_menu(i18n),
    )


async def _greeting(session: AsyncSession, user: User, command: CommandObject) -> str:
    if command.args:
        return "start-already-member"
    if user.role == "admin" and await users.company_is_new(session):
        return "start-first-admin"
    return "start-welcome-back"


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    return router
