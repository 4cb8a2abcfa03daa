"""Read-only data of the task windows. User data goes in as it is: ``Tr`` escapes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram_dialog import DialogManager

from db.models import User
from db.repo import tasks
from db.repo.leads import assignable_users
from domain.due import DueAt
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.kit.pickers import zone_of
from handlers.tasks.actions import form_of, may_choose_assignee, subject_of


def _due(dialog_manager: DialogManager, due: Any) -> str:
    if not due:
        return i18n_of(dialog_manager)("task-value-none")
    return DueAt(datetime.fromisoformat(str(due))).display(zone_of(dialog_manager))


async def step_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    entity, subject_id = subject_of(dialog_manager)
    return {"subject": i18n_of(dialog_manager).plain(f"task-subject-{entity}", id=subject_id)}


async def _assignee(dialog_manager: DialogManager) -> User | None:
    """Who gets the task: the one chosen, else the record's responsible manager, else the user."""
    session, actor = session_of(dialog_manager), actor_of(dialog_manager)
    chosen = form_of(dialog_manager).get("assignee")
    user_id = int(chosen) if chosen else actor.user_id
    if not chosen:
        entity, subject_id = subject_of(dialog_manager)
        subject = await tasks.task_subject(session, entity, subject_id)
        if subject is not None and subject.responsible_id:
            user_id = subject.responsible_id
    return await session.get(User, user_id)


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form, i18n = form_of(dialog_manager), i18n_of(dialog_manager)
    entity, subject_id = subject_of(dialog_manager)
    assignee = await _assignee(dialog_manager)
    me = assignee is not None and assignee.id == actor_of(dialog_manager).user_id
    fields = ["title", "due", *(["assignee"] if may_choose_assignee(dialog_manager) else [])]
    return {
        "subject": i18n.plain(f"task-subject-{entity}", id=subject_id),
        "title": form.get("title") or "",
        "due": _due(dialog_manager, form.get("due")),
        "assignee": i18n.plain("task-assignee-me") if me else _name(assignee),
        "fields": [(field, i18n.plain(f"task-btn-edit-{field}")) for field in fields],
    }


def _name(user: User | None) -> str:
    if user is None:
        return "—"
    return user.full_name or str(user.telegram_id)


async def assignee_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    users = await assignable_users(session_of(dialog_manager), actor_of(dialog_manager))
    return {"users": [(str(user.id), _name(user)) for user in users]}


async def saved_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    entity = str(start.get("entity") or tasks.PERSONAL)
    return {
        "title": str(start.get("title") or ""),
        "due": _due(dialog_manager, start.get("due")),
        "open": i18n_of(dialog_manager).plain(f"task-btn-open-{entity}", id=int(start.get("entity_id") or 0)),
    }
