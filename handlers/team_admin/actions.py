"""What team administration does: change a user's role, team and conversion permission, deactivate (after
a confirmation) or reactivate them, and hand a user's open work to someone else in the team (after a
confirmation; the owner may be active or deactivated).

Every change is re-checked by the repository inside its write (an active admin; for a handover, an admin or
the owner's team lead); its refusals are answered as alerts. Messages to other people (the handover notice,
the new owner) are outbox rows queued by the repository in the same write.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.types import Message
from aiogram_dialog import Data, DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import parse_id
from bot.commands import set_user_commands
from bot.i18n import TranslatorHub
from db.models import User
from db.repo import handover as repo
from db.repo import users
from db.repo.users import Conversion, Refused
from domain.access import Role
from domain.errors import Gone, NotAllowed, ValidationError
from handlers.kit.context import record_id, session_of, settings_of, user_of
from handlers.kit.inputs import set_error
from handlers.kit.paging import PAGE
from handlers.team_admin.states import Handover, TeamAdmin, TeamName

log = logging.getLogger(__name__)

T = TypeVar("T")
ROLES = (Role.MANAGER.value, Role.TEAM_LEAD.value, Role.ADMIN.value)
USER, OWNER, WORK_ITEM, NOTICE, TARGET = "user_id", "owner_id", "work_item", "notice", "target_id"


class Refusal(NotAllowed):
    """A change refused by the repository; ``key`` is the catalog message of the reason (an alert)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


async def checked(call: Awaitable[T]) -> T:
    """The repository's answer, or its refusal raised as one the error handler answers."""
    try:
        return await call
    except Refused as refusal:
        raise Refusal(refusal.key) from None


def set_notice(manager: DialogManager, key: str | None, **params: Any) -> None:
    """A line above the next window (what the last press did); ``None`` clears it."""
    if key is None:
        manager.dialog_data.pop(NOTICE, None)
        manager.dialog_data.pop(f"{NOTICE}_params", None)
    else:
        manager.dialog_data[NOTICE] = key
        manager.dialog_data[f"{NOTICE}_params"] = params


def name_of(user: User) -> str:
    return user.full_name or str(user.telegram_id)


async def target_of(manager: DialogManager) -> User:
    """The user whose card is open."""
    target = await users.get_user(session_of(manager), int(manager.dialog_data.get(USER, 0)))
    if target is None:
        raise Gone("the user is gone")
    return target


# --- the list and the card ------------------------------------------------------------------------------


async def on_start(start_data: Any, manager: DialogManager) -> None:
    start = start_data if isinstance(start_data, dict) else {}
    if start.get(USER):
        manager.dialog_data[USER] = int(start[USER])
        await manager.switch_to(TeamAdmin.card)


async def on_user(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    target = await users.get_user(session_of(manager), record_id(item_id))
    if target is None:
        raise Gone("the user is gone")
    set_notice(manager, None)
    manager.dialog_data[USER] = target.id
    await manager.switch_to(TeamAdmin.card)


async def to_card(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.card)


async def to_users(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.users)


async def to_role(event: Any, widget: Any, manager: DialogManager) -> None:
    target = await target_of(manager)
    if target.telegram_id in settings_of(manager).admin_ids:
        raise Refusal("team-admin-id-locked")
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.role)


async def to_team(event: Any, widget: Any, manager: DialogManager) -> None:
    await target_of(manager)
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.team)


async def to_conversion(event: Any, widget: Any, manager: DialogManager) -> None:
    await target_of(manager)
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.conversion)


async def _saved(manager: DialogManager, key: str = "team-saved", **params: Any) -> None:
    set_notice(manager, key, **params)
    await manager.switch_to(TeamAdmin.card)


async def on_role(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A new role takes effect on the user's next update; an admin gets the admin commands at once."""
    if item_id not in ROLES:
        raise Gone("not a role")
    target, user = await target_of(manager), user_of(manager)
    session, settings = session_of(manager), settings_of(manager)
    changed = await checked(users.change_role(session, user.id, target.id, Role(item_id), settings.admin_ids))
    if changed:
        log.info("user %s role changed by user %s", target.id, user.id)
        fresh = await users.get_user(session, target.id)
        bot, hub = manager.middleware_data.get("bot"), manager.middleware_data.get("i18n_hub")
        if fresh is not None and isinstance(bot, Bot) and isinstance(hub, TranslatorHub):
            await set_user_commands(bot, fresh, hub)
    await _saved(manager)


async def on_team(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A team button; «0» is «без команды»."""
    team_id = None if item_id == "0" else record_id(item_id)
    target, user = await target_of(manager), user_of(manager)
    await checked(users.change_team(session_of(manager), user.id, target.id, team_id))
    log.info("user %s team changed by user %s", target.id, user.id)
    await _saved(manager)


async def to_new_team(event: Any, widget: Any, manager: DialogManager) -> None:
    target = await target_of(manager)
    set_notice(manager, None)
    await manager.start(TeamName.name, data={USER: target.id})


def parse_team_name(text: str, manager: DialogManager) -> str:
    try:
        return users.check_team_name(text)
    except Refused as refusal:
        raise ValidationError(refusal.key, "team name out of bounds") from None


async def on_team_name(message: Message, widget: Any, manager: DialogManager, name: str) -> None:
    """The user moves into the team of that name (an existing one whatever the case, else a new one)."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    user = user_of(manager)
    try:
        team = await users.move_to_team_named(session_of(manager), user.id, int(start.get(USER, 0)), name)
    except Refused as refusal:
        if refusal.key == "team-name-invalid":
            set_error(manager, refusal.key)
            return
        raise Refusal(refusal.key) from None
    log.info("user %s moved to a team by user %s", start.get(USER), user.id)
    await manager.done(result={"team": team})


async def on_team_named(start_data: Data, result: Any, manager: DialogManager) -> None:
    if isinstance(result, dict) and result.get("team"):
        await _saved(manager, "team-moved", team=str(result["team"]))


async def on_conversion(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    try:
        value = Conversion(item_id)
    except ValueError:
        raise Gone("not a conversion value") from None
    target, user = await target_of(manager), user_of(manager)
    await checked(users.set_conversion(session_of(manager), user.id, target.id, value))
    log.info("user %s conversion permission changed by user %s", target.id, user.id)
    await _saved(manager)


# --- deactivation (confirmed) and reactivation ----------------------------------------------------------


async def to_deactivate(event: Any, widget: Any, manager: DialogManager) -> None:
    """The reasons known before asking; the repository checks them all again inside the write."""
    target, user = await target_of(manager), user_of(manager)
    if target.id == user.id:
        raise Refusal("team-not-yourself")
    if target.telegram_id in settings_of(manager).admin_ids:
        raise Refusal("team-admin-id-locked")
    set_notice(manager, None)
    await manager.switch_to(TeamAdmin.deactivate)


async def _set_active(manager: DialogManager, active: bool) -> None:
    target, user = await target_of(manager), user_of(manager)
    session, settings = session_of(manager), settings_of(manager)
    changed = await checked(repo.set_active(session, user.id, target.id, active, settings.admin_ids))
    if changed:
        log.info("user %s %s by user %s", target.id, "reactivated" if active else "deactivated", user.id)
    await _saved(manager, "team-activated" if active else "team-deactivated")


async def on_deactivate(event: Any, widget: Any, manager: DialogManager) -> None:
    await _set_active(manager, False)


async def on_reactivate(event: Any, widget: Any, manager: DialogManager) -> None:
    await _set_active(manager, True)


async def to_handover(event: Any, widget: Any, manager: DialogManager) -> None:
    target = await target_of(manager)
    set_notice(manager, None)
    await manager.start(Handover.work, data={OWNER: target.id, "from_card": True})


# --- handing a deactivated owner's open work over ---------------------------------------------------------


async def check_owner(
    session: AsyncSession, actor: User, owner_id: int, *, deactivated_only: bool = False
) -> User:
    """The owner whose work is handed over; R1c: by an admin, or the owner's team lead. The deactivation
    notice's button (``deactivated_only``) offers nothing once the owner is active again."""
    owner = await users.get_user(session, owner_id)
    if owner is None:
        raise Gone("the owner is gone")
    if deactivated_only and owner.is_active:
        raise Refusal("team-reassign-owner-active")
    if not await repo.may_reassign_from(session, actor, owner):
        log.info("reassign of user %s refused for user %s", owner.id, actor.id)
        raise NotAllowed("not the owner's team lead")
    return owner


async def owner_of(manager: DialogManager) -> User:
    return await check_owner(session_of(manager), user_of(manager), int(manager.dialog_data.get(OWNER, 0)))


async def on_handover_start(start_data: Any, manager: DialogManager) -> None:
    start = start_data if isinstance(start_data, dict) else {}
    if start.get(OWNER):
        manager.dialog_data[OWNER] = int(start[OWNER])
        await manager.switch_to(Handover.work)


async def on_owner(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    manager.dialog_data.update({OWNER: record_id(item_id), PAGE: 0})
    await owner_of(manager)
    set_notice(manager, None)
    await manager.switch_to(Handover.work)


async def on_work_item(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """One lead («l:7») or deal («d:3»): whom to give it to."""
    kind, _, record = item_id.partition(":")
    if kind not in {"l", "d"} or parse_id(record) is None:
        raise Gone("not a lead or a deal")
    await owner_of(manager)
    set_notice(manager, None)
    manager.dialog_data[WORK_ITEM] = [kind, record_id(record)]
    await manager.switch_to(Handover.target)


async def to_all(event: Any, widget: Any, manager: DialogManager) -> None:
    await owner_of(manager)
    set_notice(manager, None)
    manager.dialog_data[WORK_ITEM] = None
    await manager.switch_to(Handover.target)


async def on_target(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """The team member chosen: asked to confirm before anything moves."""
    await owner_of(manager)
    manager.dialog_data[TARGET] = record_id(item_id)
    await manager.switch_to(Handover.confirm)


async def to_targets(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(TARGET, None)
    await manager.switch_to(Handover.target)


async def on_confirm(event: Any, widget: Any, manager: DialogManager) -> None:
    """Hand the chosen record, or all the open work, to the chosen member (every check again, inside)."""
    owner, user = await owner_of(manager), user_of(manager)
    session, to_id = session_of(manager), int(manager.dialog_data.pop(TARGET, 0) or 0)
    item = manager.dialog_data.get(WORK_ITEM)
    target = await users.get_user(session, to_id)
    name = name_of(target) if target is not None else "—"
    if item:
        kind, record = str(item[0]), int(item[1])
        await checked(repo.reassign_one(session, user.id, owner.id, kind, record, to_id))
        log.info(
            "%s %s reassigned from user %s to user %s by user %s", kind, record, owner.id, to_id, user.id
        )
        set_notice(manager, "team-reassigned-one", kind=kind, id=str(record), name=name)
    else:
        moved = await checked(repo.reassign_all(session, user.id, owner.id, to_id))
        log.info("all open work of user %s reassigned to user %s by user %s", owner.id, to_id, user.id)
        set_notice(manager, "team-reassigned-all", leads=moved.leads, deals=moved.deals, name=name)
    manager.dialog_data[PAGE] = 0
    await manager.switch_to(Handover.work)


async def to_work(event: Any, widget: Any, manager: DialogManager) -> None:
    set_notice(manager, None)
    await manager.switch_to(Handover.work)
