"""What the invite dialog does: keep the role and the team, then issue the single-use link."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode

from db.repo import users
from db.repo.directories import require_admin
from domain import limits
from domain.access import Role
from domain.errors import Gone, ValidationError
from handlers.admin.states import InviteForm
from handlers.kit.context import record_id, session_of, settings_of, user_of
from handlers.kit.inputs import clear_error
from handlers.kit.steps import tell

log = logging.getLogger(__name__)

ROLES = (Role.MANAGER.value, Role.TEAM_LEAD.value, Role.ADMIN.value)
ROLE = "role"


def parse_team_name(text: str, manager: DialogManager | None = None) -> str:
    """A team name: 2–100 characters after collapsing spaces."""
    name = " ".join(text.split())
    if too_long := limits.check_length(name, limits.TEAM_NAME):
        raise ValidationError(
            "limit-too-long", "team name too long", limit=too_long.limit, length=too_long.length
        )
    if len(name) < limits.TEAM_NAME_MIN:
        raise ValidationError("invite-team-name-invalid", "team name too short")
    return name


async def _issue(manager: DialogManager, team_id: int | None) -> None:
    """The link goes in a message of its own (the code is shown once and never kept); the dialog closes."""
    user = require_admin(user_of(manager))
    role = str(manager.dialog_data.get(ROLE, ""))
    if role not in ROLES:
        raise Gone("the invite's role is unknown")
    session, settings = session_of(manager), settings_of(manager)
    code, invite = await users.create_invite(
        session,
        role=role,
        team_id=team_id,
        created_by_id=user.id,
        ttl=timedelta(days=settings.invite_ttl_days),
    )
    team = await users.get_team(session, team_id) if team_id else None
    bot = manager.middleware_data["bot"]
    assert isinstance(bot, Bot)
    me = await bot.me()
    zone = ZoneInfo(user.timezone or settings.default_timezone)
    log.info("invite %s issued for role %s", invite.id, role)
    await manager.done()
    await tell(
        manager,
        "invite-link",
        link=f"https://t.me/{me.username}?start={code}",
        role=manager.middleware_data["i18n"].plain(f"role-{role}"),
        team=team.name if team else "—",
        expires=invite.expires_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
    )


async def on_role(event: Any, widget: Any, manager: DialogManager, role: str) -> None:
    require_admin(user_of(manager))
    if role not in ROLES:
        raise Gone("not a role")
    clear_error(manager)
    manager.dialog_data[ROLE] = role
    if role == Role.ADMIN.value:
        await _issue(manager, None)
        return
    await manager.switch_to(InviteForm.team)


async def on_team(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    team = await users.get_team(session_of(manager), record_id(item_id))
    if team is None:
        raise Gone("the team is gone")
    await _issue(manager, team.id)


async def to_new_team(event: Any, widget: Any, manager: DialogManager) -> None:
    """The name is asked in a message of its own, below the buttons."""
    manager.show_mode = ShowMode.SEND
    await manager.switch_to(InviteForm.team_name)


async def on_team_name(message: Message, widget: Any, manager: DialogManager, name: str) -> None:
    """A typed team name (at the team buttons or when asked): that team, created if it is new."""
    require_admin(user_of(manager))
    team = await users.get_or_create_team(session_of(manager), name)
    await _issue(manager, team.id)
