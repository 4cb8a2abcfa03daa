"""Team administration (``/settings`` → «👥 Сотрудники и команды», admins only) and ``/reassign``.

Admins change a user's role and team, the permission to convert clients, and deactivate or reactivate users:
never themselves, never the last active admin, never an ``ADMIN_IDS`` admin (the bot promotes those back at
their next message, so the card says so instead of letting a change silently revert).

When someone with open leads or deals is deactivated, the team's active team leads (the admins when the
team has none) are told and get «Переназначить»: the open work is handed to an active team member one by
one or all at once. A team lead does it for their own team only, an admin for anyone; every press re-checks.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import NavCb, OptionalId, PageNo, RecordId, SettingsCb
from bot.commands import set_user_commands
from bot.forms import FormInput, step_keyboard
from bot.i18n import Html, Translator, TranslatorHub
from bot.settings import Settings
from db.models import User
from db.repo import team_admin as repo
from db.repo.team_admin import Conversion, Refused
from domain import limits
from domain.access import Role
from handlers.guards import message_of_button

log = logging.getLogger(__name__)

ROLES = (Role.MANAGER, Role.TEAM_LEAD, Role.ADMIN)
LABEL_MAX = 40


class TeamCb(CallbackData, prefix="tm"):
    """users | card | role | setrole | team | setteam | newteam | off | offok | on | conv | setconv.

    ``id`` is the user, ``arg`` a role or a conversion value, ``team`` a team id (0: no team).
    """

    action: str
    id: OptionalId = 0
    page: PageNo = 0
    arg: str = ""
    team: OptionalId = 0


class ReassignCb(CallbackData, prefix="ra"):
    """The open work of the deactivated ``owner``: list | one | to | all | allto.

    ``kind`` is l (lead) or d (deal), ``rid`` its id, ``to`` the new responsible.
    """

    action: str
    owner: RecordId
    kind: str = ""
    rid: OptionalId = 0
    to: OptionalId = 0
    page: PageNo = 0


class TeamForm(StatesGroup):
    team_name = State()


def is_admin(user: User | None) -> bool:
    return user is not None and user.is_active and user.role == Role.ADMIN.value


def _message(query: CallbackQuery) -> Message:
    """The button's message; the router's ``ButtonGuard`` answers a press without one as out of date."""
    return message_of_button(query)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _plain(i18n: Translator, key: str, **params: object) -> str:
    """Button text: buttons are not HTML, so user data goes in unescaped."""
    return i18n(
        key, **{name: Html(value) if isinstance(value, str) else value for name, value in params.items()}
    )


def _name(user: User) -> str:
    return user.full_name or str(user.telegram_id)


async def _refuse(query: CallbackQuery, i18n: Translator, key: str = "admin-only") -> None:
    await query.answer(i18n(key), show_alert=True)


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    await query.answer()
    await _message(query).edit_text(text, reply_markup=markup)


def _status(i18n: Translator, user: User) -> str:
    if not user.is_active:
        return i18n("team-status-off")
    if not user.is_reachable:
        return i18n("team-status-unreachable")
    return i18n("team-status-on")


# ---------------------------------------------------------------------------------------------
# The users list and a user's card
# ---------------------------------------------------------------------------------------------


async def _users_screen(
    session: AsyncSession, i18n: Translator, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    items, has_next = await repo.users_page(session, page)
    lines = [i18n("team-users-title")]
    builder = InlineKeyboardBuilder()
    for number, item in enumerate(items, start=page * repo.PAGE_SIZE + 1):
        lines.append(
            i18n(
                "team-users-line",
                n=number,
                name=_name(item.user),
                role=i18n(f"role-{item.user.role}"),
                team=item.team_name or i18n("team-no-team"),
                status=_status(i18n, item.user),
            )
        )
        builder.button(
            text=f"{number}. {_short(_name(item.user))}",
            callback_data=TeamCb(action="card", id=item.user.id, page=page),
        )
    builder.adjust(2)
    pager: list[InlineKeyboardButton] = []
    if page > 0:
        pager.append(_button(i18n("btn-prev"), TeamCb(action="users", page=page - 1)))
    if has_next:
        pager.append(_button(i18n("btn-next"), TeamCb(action="users", page=page + 1)))
    if pager:
        builder.row(*pager)
    return "\n".join(lines), builder.as_markup()


async def open_team_admin(query: CallbackQuery, session: AsyncSession, user: User, i18n: Translator) -> None:
    if not is_admin(user):
        return await _refuse(query, i18n)
    await _show(query, *await _users_screen(session, i18n, 0))


async def show_users(
    query: CallbackQuery, callback_data: TeamCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    if not is_admin(user):
        return await _refuse(query, i18n)
    await _show(query, *await _users_screen(session, i18n, callback_data.page))


def _conversion_text(i18n: Translator, target: User) -> str:
    value = Conversion.of(target.can_convert_clients)
    if value is Conversion.DEFAULT:
        by_role = target.role in {Role.TEAM_LEAD.value, Role.ADMIN.value}
        return i18n("team-conv-default", effective=i18n("team-conv-yes" if by_role else "team-conv-no"))
    return i18n(f"team-conv-{value.value}")


async def _card_screen(
    session: AsyncSession, i18n: Translator, settings: Settings, target: User, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    work = await repo.open_work(session, target.id)
    rows = [
        i18n("team-card-title", name=_name(target)),
        i18n("team-card-role", role=i18n(f"role-{target.role}")),
        i18n("team-card-team", team=await repo.team_name(session, target.team_id) or i18n("team-no-team")),
        i18n("team-card-status", status=_status(i18n, target)),
        i18n("team-card-conversion", value=_conversion_text(i18n, target)),
        i18n("team-card-work", leads=work.leads, deals=work.deals),
    ]
    if target.username:
        rows.insert(1, i18n("team-card-username", username=target.username))
    if target.telegram_id in settings.admin_ids:
        rows.append(i18n("team-card-admin-id-note"))
    uid = target.id
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("team-btn-role"), callback_data=TeamCb(action="role", id=uid, page=page))
    builder.button(text=i18n("team-btn-team"), callback_data=TeamCb(action="team", id=uid, page=page))
    builder.button(text=i18n("team-btn-conversion"), callback_data=TeamCb(action="conv", id=uid, page=page))
    if target.is_active:
        builder.button(text=i18n("team-btn-off"), callback_data=TeamCb(action="off", id=uid, page=page))
    else:
        builder.button(text=i18n("team-btn-on"), callback_data=TeamCb(action="on", id=uid, page=page))
        if work.total:
            builder.button(
                text=i18n("team-btn-reassign", count=work.total),
                callback_data=ReassignCb(action="list", owner=uid),
            )
    builder.button(text=i18n("team-btn-to-list"), callback_data=TeamCb(action="users", page=page))
    builder.adjust(2, 2, 1, 1)
    return "\n".join(rows), builder.as_markup()


async def _target_for(
    query: CallbackQuery, callback_data: TeamCb, session: AsyncSession, user: User, i18n: Translator
) -> User | None:
    if not is_admin(user):
        await _refuse(query, i18n)
        return None
    target = await repo.get_user(session, callback_data.id)
    if target is None:
        await _refuse(query, i18n, "button-stale")
    return target


async def show_card(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is not None:
        await _show(query, *await _card_screen(session, i18n, settings, target, callback_data.page))


async def _refresh_card(
    query: CallbackQuery,
    session: AsyncSession,
    settings: Settings,
    i18n: Translator,
    user_id: int,
    page: int,
    notice: str,
) -> None:
    target = await repo.get_user(session, user_id)
    assert target is not None
    text, markup = await _card_screen(session, i18n, settings, target, page)
    await query.answer(notice)
    await _message(query).edit_text(text, reply_markup=markup)


def _back_to_card(i18n: Translator, uid: int, page: int) -> InlineKeyboardButton:
    return _button(i18n("btn-back"), TeamCb(action="card", id=uid, page=page))


# ---------------------------------------------------------------------------------------------
# Role, team, conversion permission
# ---------------------------------------------------------------------------------------------


async def ask_role(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    if target.telegram_id in settings.admin_ids:
        return await _refuse(query, i18n, "team-admin-id-locked")
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        label = ("✓ " if target.role == role.value else "") + i18n(f"role-{role.value}")
        builder.button(
            text=label,
            callback_data=TeamCb(action="setrole", id=target.id, page=callback_data.page, arg=role.value),
        )
    builder.adjust(1)
    builder.row(_back_to_card(i18n, target.id, callback_data.page))
    await _show(query, i18n("team-ask-role", name=_name(target)), builder.as_markup())


async def set_role(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
    i18n_hub: TranslatorHub,
    bot: Bot,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    try:
        role = Role(callback_data.arg)
        changed = await repo.change_role(session, user.id, target.id, role, settings.admin_ids)
    except ValueError:
        return await _refuse(query, i18n, "button-stale")
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    if changed:
        log.info("user %s role changed by user %s", target.id, user.id)
        fresh = await repo.get_user(session, target.id)
        if fresh is not None:
            await set_user_commands(bot, fresh, i18n_hub)
    await _refresh_card(query, session, settings, i18n, target.id, callback_data.page, i18n("team-saved"))


async def ask_team(
    query: CallbackQuery, callback_data: TeamCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    builder = InlineKeyboardBuilder()
    page = callback_data.page
    for team in await repo.teams(session):
        label = ("✓ " if target.team_id == team.id else "") + _short(team.name)
        builder.button(
            text=label, callback_data=TeamCb(action="setteam", id=target.id, page=page, team=team.id)
        )
    builder.button(
        text=("✓ " if target.team_id is None else "") + i18n("team-no-team"),
        callback_data=TeamCb(action="setteam", id=target.id, page=page, team=0),
    )
    builder.button(
        text=i18n("team-btn-new-team"), callback_data=TeamCb(action="newteam", id=target.id, page=page)
    )
    builder.adjust(1)
    builder.row(_back_to_card(i18n, target.id, page))
    await _show(query, i18n("team-ask-team", name=_name(target)), builder.as_markup())


async def set_team(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    try:
        await repo.change_team(session, user.id, target.id, callback_data.team or None)
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    log.info("user %s team changed by user %s", target.id, user.id)
    await _refresh_card(query, session, settings, i18n, target.id, callback_data.page, i18n("team-saved"))


async def ask_new_team(
    query: CallbackQuery,
    callback_data: TeamCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    await state.clear()
    await state.set_state(TeamForm.team_name)
    await state.update_data(team_user=target.id)
    await query.answer()
    await _message(query).answer(i18n("team-ask-team-name"), reply_markup=step_keyboard(i18n))


async def enter_team_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    if not is_admin(user):
        await state.clear()
        await message.answer(i18n("admin-only"))
        return
    assert message.text is not None
    target_id = int((await state.get_data()).get("team_user", 0))
    if too_long := limits.check_length(" ".join(message.text.split()), limits.TEAM_NAME):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    try:
        team = await repo.move_to_team_named(session, user.id, target_id, message.text)
    except Refused as refusal:
        if refusal.key != "team-name-invalid":
            await state.clear()
        await message.answer(i18n(refusal.key), reply_markup=step_keyboard(i18n))
        return
    await state.clear()
    log.info("user %s moved to a team by user %s", target_id, user.id)
    await message.answer(i18n("team-moved", team=team))
    target = await repo.get_user(session, target_id)
    if target is not None:
        text, markup = await _card_screen(session, i18n, settings, target, 0)
        await message.answer(text, reply_markup=markup)


async def team_name_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("team-name-invalid"))


async def team_form_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target_id = int((await state.get_data()).get("team_user", 0))
    await state.clear()
    target = await repo.get_user(session, target_id)
    if not is_admin(user) or target is None:
        return await _refuse(query, i18n)
    await query.answer()
    await _message(query).edit_reply_markup(reply_markup=None)
    text, markup = await _card_screen(session, i18n, settings, target, 0)
    await _message(query).answer(text, reply_markup=markup)


async def ask_conversion(
    query: CallbackQuery, callback_data: TeamCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    current = Conversion.of(target.can_convert_clients)
    builder = InlineKeyboardBuilder()
    for value in Conversion:
        label = ("✓ " if value is current else "") + i18n(f"team-conv-btn-{value.value}")
        builder.button(
            text=label,
            callback_data=TeamCb(action="setconv", id=target.id, page=callback_data.page, arg=value.value),
        )
    builder.adjust(1)
    builder.row(_back_to_card(i18n, target.id, callback_data.page))
    await _show(query, i18n("team-ask-conversion", name=_name(target)), builder.as_markup())


async def set_conversion(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    try:
        await repo.set_conversion(session, user.id, target.id, Conversion(callback_data.arg))
    except ValueError:
        return await _refuse(query, i18n, "button-stale")
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    log.info("user %s conversion permission changed by user %s", target.id, user.id)
    await _refresh_card(query, session, settings, i18n, target.id, callback_data.page, i18n("team-saved"))


# ---------------------------------------------------------------------------------------------
# Deactivation and reactivation
# ---------------------------------------------------------------------------------------------


def _deactivation_refusal(user: User, target: User, settings: Settings) -> str | None:
    """The reasons known before asking; the repository checks them all again inside the write."""
    if target.id == user.id:
        return "team-not-yourself"
    if target.telegram_id in settings.admin_ids:
        return "team-admin-id-locked"
    return None


async def ask_deactivate(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    reason = _deactivation_refusal(user, target, settings)
    if reason is not None:
        return await _refuse(query, i18n, reason)
    work = await repo.open_work(session, target.id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("team-btn-off-confirm"),
        callback_data=TeamCb(action="offok", id=target.id, page=callback_data.page),
    )
    builder.row(_back_to_card(i18n, target.id, callback_data.page))
    await _show(
        query,
        i18n("team-ask-deactivate", name=_name(target), leads=work.leads, deals=work.deals),
        builder.as_markup(),
    )


async def deactivate(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    try:
        changed = await repo.set_active(session, user.id, target.id, False, settings.admin_ids)
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    await _refresh_card(
        query, session, settings, i18n, target.id, callback_data.page, i18n("team-deactivated")
    )
    if not changed:
        return
    log.info("user %s deactivated by user %s", target.id, user.id)


async def reactivate(
    query: CallbackQuery,
    callback_data: TeamCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    target = await _target_for(query, callback_data, session, user, i18n)
    if target is None:
        return
    try:
        await repo.set_active(session, user.id, target.id, True, settings.admin_ids)
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    log.info("user %s reactivated by user %s", target.id, user.id)
    await _refresh_card(query, session, settings, i18n, target.id, callback_data.page, i18n("team-activated"))


# ---------------------------------------------------------------------------------------------
# Reassigning a deactivated owner's open leads and deals
# ---------------------------------------------------------------------------------------------


async def reassign_command(message: Message, session: AsyncSession, user: User, i18n: Translator) -> None:
    if user.role not in {Role.ADMIN.value, Role.TEAM_LEAD.value}:
        await message.answer(i18n("team-reassign-not-allowed"))
        return
    owners = await repo.deactivated_with_work(session, user)
    if not owners:
        await message.answer(i18n("team-reassign-nothing"))
        return
    builder = InlineKeyboardBuilder()
    for owner, work in owners:
        builder.button(
            text=_plain(i18n, "team-reassign-owner", name=_short(_name(owner)), count=work.total),
            callback_data=ReassignCb(action="list", owner=owner.id),
        )
    builder.adjust(1)
    await message.answer(i18n("team-reassign-pick-owner"), reply_markup=builder.as_markup())


async def _owner_for(
    query: CallbackQuery, callback_data: ReassignCb, session: AsyncSession, user: User, i18n: Translator
) -> User | None:
    owner = await repo.get_user(session, callback_data.owner)
    if owner is None or owner.is_active:
        await _refuse(query, i18n, "team-reassign-owner-active" if owner else "button-stale")
        return None
    if not await repo.may_reassign_from(session, user, owner):
        log.info("reassign of user %s refused for user %s", owner.id, user.id)
        await _refuse(query, i18n, "access-denied")
        return None
    return owner


def _what(i18n: Translator, kind: str, rid: int) -> Html:
    return Html(i18n("team-what-lead" if kind == "l" else "team-what-deal", id=str(rid)))


def _item_label(i18n: Translator, item: repo.WorkItem, *, button: bool = False) -> str:
    key = "team-work-lead" if item.kind == "l" else "team-work-deal"
    params = {"id": str(item.id), "contact": item.contact, "group": item.group or "—"}
    return _plain(i18n, key, **params) if button else i18n(key, **params)


async def _work_screen(
    session: AsyncSession, i18n: Translator, owner: User, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    items, has_next = await repo.open_work_page(session, owner.id, page)
    if not items and page == 0:
        return i18n("team-reassign-done", name=_name(owner)), None
    work = await repo.open_work(session, owner.id)
    lines = [i18n("team-work-title", name=_name(owner), leads=work.leads, deals=work.deals)]
    builder = InlineKeyboardBuilder()
    for item in items:
        lines.append(_item_label(i18n, item))
        builder.button(
            text=_short(_plain(i18n, "team-btn-who", label=_item_label(i18n, item, button=True))),
            callback_data=ReassignCb(action="one", owner=owner.id, kind=item.kind, rid=item.id, page=page),
        )
    builder.adjust(1)
    pager: list[InlineKeyboardButton] = []
    if page > 0:
        pager.append(_button(i18n("btn-prev"), ReassignCb(action="list", owner=owner.id, page=page - 1)))
    if has_next:
        pager.append(_button(i18n("btn-next"), ReassignCb(action="list", owner=owner.id, page=page + 1)))
    if pager:
        builder.row(*pager)
    builder.row(_button(i18n("team-btn-all-to-one"), ReassignCb(action="all", owner=owner.id)))
    return "\n".join(lines), builder.as_markup()


async def show_work(
    query: CallbackQuery, callback_data: ReassignCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    owner = await _owner_for(query, callback_data, session, user, i18n)
    if owner is None:
        return
    text, markup = await _work_screen(session, i18n, owner, callback_data.page)
    await query.answer()
    await _message(query).answer(text, reply_markup=markup)


async def _targets_keyboard(
    session: AsyncSession, i18n: Translator, owner: User, action: str, kind: str = "", rid: int = 0
) -> InlineKeyboardMarkup | None:
    targets = await repo.reassign_targets(session, owner)
    if not targets:
        return None
    builder = InlineKeyboardBuilder()
    for target in targets:
        label = _short(_name(target)) + " · " + i18n(f"role-{target.role}")
        builder.button(
            text=label,
            callback_data=ReassignCb(action=action, owner=owner.id, kind=kind, rid=rid, to=target.id),
        )
    builder.adjust(1)
    builder.row(_button(i18n("btn-back"), ReassignCb(action="list", owner=owner.id)))
    return builder.as_markup()


async def ask_target(
    query: CallbackQuery, callback_data: ReassignCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    owner = await _owner_for(query, callback_data, session, user, i18n)
    if owner is None:
        return
    if callback_data.action == "one":
        prompt = i18n("team-ask-who-one", what=_what(i18n, callback_data.kind, callback_data.rid))
        markup = await _targets_keyboard(session, i18n, owner, "to", callback_data.kind, callback_data.rid)
    else:
        prompt = i18n("team-ask-who-all", name=_name(owner))
        markup = await _targets_keyboard(session, i18n, owner, "allto")
    if markup is None:
        return await _refuse(query, i18n, "team-reassign-nobody")
    await _show(query, prompt, markup)


async def reassign_one(
    query: CallbackQuery,
    callback_data: ReassignCb,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    owner = await _owner_for(query, callback_data, session, user, i18n)
    if owner is None:
        return
    if callback_data.kind not in {"l", "d"}:
        return await _refuse(query, i18n, "button-stale")
    try:
        await repo.reassign_one(
            session, user.id, owner.id, callback_data.kind, callback_data.rid, callback_data.to
        )
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    log.info(
        "%s %s reassigned from user %s to user %s by user %s",
        "lead" if callback_data.kind == "l" else "deal",
        callback_data.rid,
        owner.id,
        callback_data.to,
        user.id,
    )
    target = await repo.get_user(session, callback_data.to)
    what = _what(i18n, callback_data.kind, callback_data.rid)
    await _show(query, i18n("team-reassigned-one", what=what, name=_name(target) if target else "—"), None)
    text, markup = await _work_screen(session, i18n, owner, 0)
    await _message(query).answer(text, reply_markup=markup)


async def reassign_all(
    query: CallbackQuery,
    callback_data: ReassignCb,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    owner = await _owner_for(query, callback_data, session, user, i18n)
    if owner is None:
        return
    try:
        moved = await repo.reassign_all(session, user.id, owner.id, callback_data.to)
    except Refused as refusal:
        return await _refuse(query, i18n, refusal.key)
    log.info("all open work of user %s reassigned to user %s by user %s", owner.id, callback_data.to, user.id)
    target = await repo.get_user(session, callback_data.to)
    await _show(
        query,
        i18n(
            "team-reassigned-all", leads=moved.leads, deals=moved.deals, name=_name(target) if target else "—"
        ),
        None,
    )


def create_router() -> Router:
    router = Router(name="team_admin")
    form_input = FormInput()
    router.message.register(reassign_command, Command("reassign"))
    router.callback_query.register(open_team_admin, SettingsCb.filter(F.action == "team"))
    router.callback_query.register(show_users, TeamCb.filter(F.action == "users"))
    router.callback_query.register(show_card, TeamCb.filter(F.action == "card"))
    router.callback_query.register(ask_role, TeamCb.filter(F.action == "role"))
    router.callback_query.register(set_role, TeamCb.filter(F.action == "setrole"))
    router.callback_query.register(ask_team, TeamCb.filter(F.action == "team"))
    router.callback_query.register(set_team, TeamCb.filter(F.action == "setteam"))
    router.callback_query.register(ask_new_team, TeamCb.filter(F.action == "newteam"))
    router.callback_query.register(ask_conversion, TeamCb.filter(F.action == "conv"))
    router.callback_query.register(set_conversion, TeamCb.filter(F.action == "setconv"))
    router.callback_query.register(ask_deactivate, TeamCb.filter(F.action == "off"))
    router.callback_query.register(deactivate, TeamCb.filter(F.action == "offok"))
    router.callback_query.register(reactivate, TeamCb.filter(F.action == "on"))
    router.callback_query.register(show_work, ReassignCb.filter(F.action == "list"))
    router.callback_query.register(ask_target, ReassignCb.filter(F.action.in_({"one", "all"})))
    router.callback_query.register(reassign_one, ReassignCb.filter(F.action == "to"))
    router.callback_query.register(reassign_all, ReassignCb.filter(F.action == "allto"))
    router.callback_query.register(team_form_back, NavCb.filter(F.action == "back"), StateFilter(TeamForm))
    router.message.register(enter_team_name, TeamForm.team_name, F.text, form_input)
    router.message.register(team_name_not_text, TeamForm.team_name, form_input)
    return router
