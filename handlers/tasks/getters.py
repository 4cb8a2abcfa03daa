"""Read-only data of the task windows. User data goes in as it is: ``Tr`` escapes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram_dialog import DialogManager

from domain.due import DueAt
from handlers.kit.context import i18n_of
from handlers.kit.pickers import zone_of
from handlers.tasks.actions import form_of, subject_of


def _due(dialog_manager: DialogManager, due: Any) -> str:
    if not due:
        return i18n_of(dialog_manager)("task-value-none")
    return DueAt(datetime.fromisoformat(str(due))).display(zone_of(dialog_manager))


async def step_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    entity, subject_id = subject_of(dialog_manager)
    return {"subject": i18n_of(dialog_manager).plain(f"task-subject-{entity}", id=subject_id)}


async def summary_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    form, i18n = form_of(dialog_manager), i18n_of(dialog_manager)
    entity, subject_id = subject_of(dialog_manager)
    return {
        "subject": i18n.plain(f"task-subject-{entity}", id=subject_id),
        "title": form.get("title") or "",
        "due": _due(dialog_manager, form.get("due")),
        "fields": [(field, i18n.plain(f"task-btn-edit-{field}")) for field in ("title", "due")],
    }


async def saved_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start = dialog_manager.start_data if isinstance(dialog_manager.start_data, dict) else {}
    entity = str(start.get("entity"))
    return {
        "title": str(start.get("title") or ""),
        "due": _due(dialog_manager, start.get("due")),
        "open": i18n_of(dialog_manager).plain(f"task-btn-open-{entity}", id=int(start.get("entity_id") or 0)),
    }
