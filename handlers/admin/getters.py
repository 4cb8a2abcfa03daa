"""Read-only data of the invite windows."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from db.repo import users
from db.repo.directories import require_admin
from handlers.admin.actions import ROLE, ROLES
from handlers.kit.context import i18n_of, session_of, user_of


async def roles_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n = i18n_of(dialog_manager)
    return {"roles": [(role, i18n.plain(f"role-{role}")) for role in ROLES]}


async def teams_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n = i18n_of(dialog_manager)
    teams = await users.list_teams(session_of(dialog_manager))
    role = str(dialog_manager.dialog_data.get(ROLE, ""))
    return {
        "role": i18n.plain(f"role-{role}") if role in ROLES else "—",
        "teams": [(team.id, team.name) for team in teams],
    }
