"""Read-only data of the team administration windows. User data goes in as it is: ``Tr`` escapes it, and the
fragments built here go through the translator, which escapes every value."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.i18n import Html, Translator
from db.models import User
from db.repo import handover as repo
from db.repo import paging, users
from db.repo.directories import require_admin
from db.repo.users import Conversion
from domain.access import Role
from handlers.kit.context import i18n_of, session_of, settings_of, user_of
from handlers.kit.paging import page_of
from handlers.team_admin.actions import NOTICE, ROLES, TARGET, WORK_ITEM, name_of, owner_of, target_of

LABEL_MAX = 40


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def status(i18n: Translator, user: User) -> str:
    if not user.is_active:
        return i18n.plain("team-status-off")
    if not user.is_reachable:
        return i18n.plain("team-status-unreachable")
    return i18n.plain("team-status-on")


def _notice(dialog_manager: DialogManager) -> dict[str, Any]:
    return {
        "notice": dialog_manager.dialog_data.get(NOTICE),
        "notice_params": dialog_manager.dialog_data.get(f"{NOTICE}_params") or {},
    }


async def users_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, page = i18n_of(dialog_manager), page_of(dialog_manager)
    items, has_next = await users.users_page(session_of(dialog_manager), page)
    lines, buttons = [], []
    for number, item in enumerate(items, start=page * paging.PAGE_SIZE + 1):
        lines.append(
            i18n(
                "team-users-line",
                n=number,
                name=name_of(item.user),
                role=i18n.plain(f"role-{item.user.role}"),
                team=item.team_name or i18n.plain("team-no-team"),
                status=status(i18n, item.user),
            )
        )
        buttons.append((item.user.id, f"{number}. {short(name_of(item.user))}"))
    return {"lines": Html("\n".join(lines)), "users": buttons, "has_prev": page > 0, "has_next": has_next}


def _conversion(i18n: Translator, target: User) -> str:
    value = Conversion.of(target.can_convert_clients)
    if value is Conversion.DEFAULT:
        by_role = target.role in {Role.TEAM_LEAD.value, Role.ADMIN.value}
        return i18n.plain(
            "team-conv-default", effective=i18n.plain("team-conv-yes" if by_role else "team-conv-no")
        )
    return i18n.plain(f"team-conv-{value.value}")


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, session = i18n_of(dialog_manager), session_of(dialog_manager)
    target = await target_of(dialog_manager)
    work = await repo.open_work(session, target.id)
    team = await users.team_name(session, target.team_id)
    return {
        **_notice(dialog_manager),
        "name": name_of(target),
        "username": target.username,
        "role": i18n.plain(f"role-{target.role}"),
        "team": team or i18n.plain("team-no-team"),
        "status": status(i18n, target),
        "conversion": _conversion(i18n, target),
        "leads": work.leads,
        "deals": work.deals,
        "work": work.total,
        "is_active": target.is_active,
        "has_work": work.total > 0,
        "admin_id": target.telegram_id in settings_of(dialog_manager).admin_ids,
    }


async def role_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, target = i18n_of(dialog_manager), await target_of(dialog_manager)
    return {
        "name": name_of(target),
        "roles": [
            (role, ("✓ " if target.role == role else "") + i18n.plain(f"role-{role}")) for role in ROLES
        ],
    }


async def team_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, target = i18n_of(dialog_manager), await target_of(dialog_manager)
    teams = [
        (team.id, ("✓ " if target.team_id == team.id else "") + short(team.name))
        for team in await users.list_teams(session_of(dialog_manager))
    ]
    none = (0, ("✓ " if target.team_id is None else "") + i18n.plain("team-no-team"))
    return {"name": name_of(target), "teams": [*teams, none]}


async def conversion_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    i18n, target = i18n_of(dialog_manager), await target_of(dialog_manager)
    current = Conversion.of(target.can_convert_clients)
    values = [
        (value.value, ("✓ " if value is current else "") + i18n.plain(f"team-conv-btn-{value.value}"))
        for value in Conversion
    ]
    return {"name": name_of(target), "values": values}


async def deactivate_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    require_admin(user_of(dialog_manager))
    target = await target_of(dialog_manager)
    work = await repo.open_work(session_of(dialog_manager), target.id)
    return {"name": name_of(target), "leads": work.leads, "deals": work.deals}


# --- the handover ---------------------------------------------------------------------------------------


async def owners_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    owners = await repo.owners_with_work(session_of(dialog_manager), user_of(dialog_manager))
    return {
        "owners": [
            (
                owner.id,
                i18n.plain(
                    "team-reassign-owner" if owner.is_active else "team-reassign-owner-off",
                    name=short(name_of(owner)),
                    count=work.total,
                ),
            )
            for owner, work in owners
        ],
        "nothing": not owners,
    }


def _work_label(i18n: Translator, item: repo.WorkItem) -> tuple[str, str]:
    """The line of the list (escaped) and the button («Кому? …», plain)."""
    key = "team-work-lead" if item.kind == "l" else "team-work-deal"
    params = {"id": str(item.id), "contact": item.contact, "group": item.group or "—"}
    return i18n(key, **params), short(i18n.plain("team-btn-who", label=i18n.plain(key, **params)))


async def work_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n, session, page = i18n_of(dialog_manager), session_of(dialog_manager), page_of(dialog_manager)
    owner = await owner_of(dialog_manager)
    items, has_next = await repo.open_work_page(session, owner.id, page)
    if not items and page:
        items, has_next = await repo.open_work_page(session, owner.id, 0)
    work = await repo.open_work(session, owner.id)
    labels = [_work_label(i18n, item) for item in items]
    return {
        **_notice(dialog_manager),
        "name": name_of(owner),
        "leads": work.leads,
        "deals": work.deals,
        "from_card": isinstance(dialog_manager.start_data, dict)
        and bool(dialog_manager.start_data.get("from_card")),
        "done": not work.total,
        "pending": bool(work.total),
        "lines": Html("\n".join(line for line, _button in labels)),
        "items": [
            (f"{item.kind}:{item.id}", button) for item, (_line, button) in zip(items, labels, strict=True)
        ],
        "has_prev": page > 0 and bool(items),
        "has_next": has_next,
    }


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """What moves from whom to whom, before it does."""
    session = session_of(dialog_manager)
    owner = await owner_of(dialog_manager)
    target = await users.get_user(session, int(dialog_manager.dialog_data.get(TARGET) or 0))
    item = dialog_manager.dialog_data.get(WORK_ITEM)
    work = await repo.open_work(session, owner.id)
    return {
        "owner": name_of(owner),
        "target": name_of(target) if target is not None else "—",
        "one": bool(item),
        "all": not item,
        "kind": str(item[0]) if item else "",
        "id": str(item[1]) if item else "",
        "leads": work.leads,
        "deals": work.deals,
    }


async def target_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    owner = await owner_of(dialog_manager)
    targets = await repo.reassign_targets(session_of(dialog_manager), owner)
    item = dialog_manager.dialog_data.get(WORK_ITEM)
    return {
        "name": name_of(owner),
        "one": bool(item),
        "all": not item,
        "kind": str(item[0]) if item else "",
        "id": str(item[1]) if item else "",
        "nobody": not targets,
        "targets": [
            (target.id, short(name_of(target)) + " · " + i18n.plain(f"role-{target.role}"))
            for target in targets
        ],
    }
