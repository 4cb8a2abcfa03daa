"""Admin tools: ``/invite`` picks a role and a team with buttons and gives a single-use deep link."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import InviteCb, NavCb
from bot.i18n import Translator
from bot.settings import Settings
from db.models import User
from db.repo import people
from domain import limits
from handlers.guards import message_of_button

log = logging.getLogger(__name__)

ROLES = ("manager", "team_lead", "admin")


class InviteForm(StatesGroup):
    team_name = State()


def _is_admin(user: User | None) -> bool:
    return user is not None and user.role == "admin" and user.is_active


def _cancel_row(builder: InlineKeyboardBuilder, i18n: Translator) -> None:
    builder.button(text=i18n("btn-cancel"), callback_data=NavCb(action="cancel"))


def roles_keyboard(i18n: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        builder.button(text=i18n(f"role-{role}"), callback_data=InviteCb(action="role", role=role))
    _cancel_row(builder, i18n)
    builder.adjust(1)
    return builder.as_markup()


async def invite(message: Message, state: FSMContext, user: User, i18n: Translator) -> None:
    if not _is_admin(user):
        await message.answer(i18n("admin-only"))
        return
    await state.clear()
    await message.answer(i18n("invite-pick-role"), reply_markup=roles_keyboard(i18n))


async def invite_role(
    query: CallbackQuery,
    callback_data: InviteCb,
    user: User,
    session: AsyncSession,
    i18n: Translator,
    settings: Settings,
) -> None:
    if not _is_admin(user) or callback_data.role not in ROLES:
        await query.answer(i18n("admin-only"), show_alert=True)
        return
    await query.answer()
    message = message_of_button(query)
    role = callback_data.role
    if role == "admin":
        await _issue(query, session, user, role, None, i18n, settings)
        return
    builder = InlineKeyboardBuilder()
    for team in await people.list_teams(session):
        builder.button(text=team.name, callback_data=InviteCb(action="team", role=role, team_id=team.id))
    builder.button(text=i18n("invite-new-team"), callback_data=InviteCb(action="newteam", role=role))
    _cancel_row(builder, i18n)
    builder.adjust(1)
    await message.edit_text(
        i18n("invite-pick-team", role=i18n(f"role-{role}")), reply_markup=builder.as_markup()
    )


async def invite_team(
    query: CallbackQuery,
    callback_data: InviteCb,
    user: User,
    session: AsyncSession,
    i18n: Translator,
    settings: Settings,
) -> None:
    if not _is_admin(user) or callback_data.role not in ROLES:
        await query.answer(i18n("admin-only"), show_alert=True)
        return
    team = await people.get_team(session, callback_data.team_id)
    if team is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await _issue(query, session, user, callback_data.role, team.id, i18n, settings)


async def invite_new_team(
    query: CallbackQuery, callback_data: InviteCb, user: User, state: FSMContext, i18n: Translator
) -> None:
    if not _is_admin(user) or callback_data.role not in ROLES:
        await query.answer(i18n("admin-only"), show_alert=True)
        return
    await query.answer()
    await state.set_state(InviteForm.team_name)
    await state.update_data(invite_role=callback_data.role)
    message = message_of_button(query)
    builder = InlineKeyboardBuilder()
    _cancel_row(builder, i18n)
    await message.answer(i18n("invite-ask-team-name"), reply_markup=builder.as_markup())


async def invite_team_name(
    message: Message,
    state: FSMContext,
    user: User,
    session: AsyncSession,
    i18n: Translator,
    bot: Bot,
    settings: Settings,
) -> None:
    if not _is_admin(user):
        await state.clear()
        await message.answer(i18n("admin-only"))
        return
    assert message.text is not None
    role = (await state.get_data()).get("invite_role", "manager")
    if too_long := limits.check_length(" ".join(message.text.split()), limits.TEAM_NAME):
        await message.answer(i18n("limit-too-long", limit=too_long.limit, length=too_long.length))
        return
    team = await people.get_or_create_team(session, " ".join(message.text.split()))
    await state.clear()
    await _send_link(message, session, user, role, team.id, i18n, bot, settings)


async def invite_team_name_invalid(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("invite-team-name-invalid"))


async def _issue(
    query: CallbackQuery,
    session: AsyncSession,
    user: User,
    role: str,
    team_id: int | None,
    i18n: Translator,
    settings: Settings,
) -> None:
    message = message_of_button(query)
    await message.edit_reply_markup(reply_markup=None)
    assert query.bot is not None
    await _send_link(message, session, user, role, team_id, i18n, query.bot, settings)


async def _send_link(
    message: Message,
    session: AsyncSession,
    user: User,
    role: str,
    team_id: int | None,
    i18n: Translator,
    bot: Bot,
    settings: Settings,
) -> None:
    code, invite = await people.create_invite(
        session,
        role=role,
        team_id=team_id,
        created_by_id=user.id,
        ttl=timedelta(days=settings.invite_ttl_days),
    )
    team = await people.get_team(session, team_id) if team_id else None
    me = await bot.me()
    zone = ZoneInfo(user.timezone or settings.default_timezone)
    log.info("invite %s issued for role %s", invite.id, role)
    await message.answer(
        i18n(
            "invite-link",
            link=f"https://t.me/{me.username}?start={code}",
            role=i18n(f"role-{role}"),
            team=team.name if team else "—",
            expires=invite.expires_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
        )
    )


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(invite, Command("invite"))
    router.callback_query.register(invite_role, InviteCb.filter(F.action == "role"))
    router.callback_query.register(invite_team, InviteCb.filter(F.action == "team"))
    router.callback_query.register(invite_new_team, InviteCb.filter(F.action == "newteam"))
    router.message.register(invite_team_name, InviteForm.team_name, F.text.len().in_(range(2, 101)))
    router.message.register(invite_team_name_invalid, InviteForm.team_name)
    return router
