"""What the task form does: the title and the due time are checked by the domain, the repository saves the
task for the lead's or deal's responsible manager, re-checking R1c and that it is still open.

The answers are in ``dialog_data["task"]``: ``title``, ``due`` (ISO UTC) and ``editing`` (a step opened
from the summary returns to it).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from db.base import utcnow
from db.repo import tasks
from db.repo.visibility import may_act
from domain import limits
from domain.errors import Closed, Gone, NotAllowed, ValidationError
from handlers.deals.states import DealCard
from handlers.kit.context import actor_of, session_of
from handlers.kit.inputs import set_error
from handlers.kit.pickers import DuePick
from handlers.leads.states import LeadCard
from handlers.tasks.states import TaskForm, TaskSaved

log = logging.getLogger(__name__)

FORM = "task"
ENTITIES = frozenset({"lead", "deal"})


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {})
    assert isinstance(form, dict)
    return form


def subject_of(manager: DialogManager) -> tuple[str, int]:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    entity = str(start.get("entity"))
    if entity not in ENTITIES:
        raise Gone("no lead or deal to add a task to")
    return entity, int(start.get("entity_id") or 0)


async def require_open(manager: DialogManager, entity: str, subject_id: int) -> None:
    """R1c: the responsible manager, their team lead or an admin; only on an open lead or deal."""
    session, actor = session_of(manager), actor_of(manager)
    subject = await tasks.task_subject(session, entity, subject_id)
    if subject is None:
        raise Gone(f"{entity} is gone")
    if not await may_act(session, actor, subject.responsible_id):
        log.info("%s %s: task refused for user %s", entity, subject_id, actor.user_id)
        raise NotAllowed(f"{entity} not actionable")
    if not subject.is_open:
        raise Closed(f"{entity} is closed")


def parse_title(text: str, manager: DialogManager) -> str:
    title = " ".join(text.split())
    if too_long := limits.check_length(title, limits.TASK_TITLE):
        raise ValidationError(
            "limit-too-long", "title too long", limit=too_long.limit, length=too_long.length
        )
    if len(title) < limits.TASK_TITLE_MIN:
        raise ValidationError(
            "task-title-invalid", "title too short", min=limits.TASK_TITLE_MIN, max=limits.TASK_TITLE
        )
    return title


async def on_start(start_data: Any, manager: DialogManager) -> None:
    await require_open(manager, *subject_of(manager))
    form_of(manager)


async def _ask_due(manager: DialogManager) -> None:
    due = form_of(manager).get("due")
    await manager.switch_to(TaskForm.due)
    await manager.start(DuePick.date, data={"purpose": "task", "current": due, "removable": False})


async def on_title(message: Message, widget: Any, manager: DialogManager, title: str) -> None:
    form = form_of(manager)
    form["title"] = title
    if form.get("due"):
        form["editing"] = False
        await manager.switch_to(TaskForm.summary)
        return
    await _ask_due(manager)


async def on_pick_due(event: Any, widget: Any, manager: DialogManager) -> None:
    await _ask_due(manager)


async def on_edit(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """«✏️» on the summary: the title or the due time, then the summary again."""
    if item_id == "title":
        form_of(manager)["editing"] = True
        await manager.switch_to(TaskForm.title)
    elif item_id == "due":
        await _ask_due(manager)
    else:
        raise Gone("not an editable field")


async def on_process_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    """The due picker's answer: the summary; gone back from it: the title (or the summary when editing)."""
    form = form_of(manager)
    if isinstance(result, dict) and result.get("due"):
        form["due"] = result["due"]
    await manager.switch_to(TaskForm.summary if form.get("due") else TaskForm.title)


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    """Back from the title: the card (or whatever the form was started from); from the summary: the due."""
    state, form = manager.current_context().state, form_of(manager)
    if state == TaskForm.title and form.get("editing"):
        form["editing"] = False
        await manager.switch_to(TaskForm.summary)
    elif state == TaskForm.title:
        await back_to_card(manager)
    else:
        await _ask_due(manager)


async def back_to_card(manager: DialogManager) -> None:
    """Close the form: back to the card it was started from, or, started from a message, open that card."""
    if len(manager.current_stack().intents) > 1:
        await manager.done()
        return
    entity, subject_id = subject_of(manager)
    await open_card(manager, entity, subject_id)


async def open_card(manager: DialogManager, entity: str, subject_id: int) -> None:
    if entity == "deal":
        await manager.start(DealCard.main, data={"deal_id": subject_id}, mode=StartMode.RESET_STACK)
    else:
        await manager.start(LeadCard.main, data={"lead_id": subject_id}, mode=StartMode.RESET_STACK)


async def on_save(event: Any, widget: Any, manager: DialogManager) -> None:
    """«💾 Сохранить»: the task, for the responsible manager; R1c and the open status checked in the write."""
    form = form_of(manager)
    if not form.get("title") or not form.get("due"):
        await manager.switch_to(TaskForm.title)
        return
    due = datetime.fromisoformat(str(form["due"]))
    if due <= utcnow():
        # The summary waited past the due time: ask for it again.
        form.pop("due", None)
        set_error(manager, "err-due-in-past")
        return
    entity, subject_id = subject_of(manager)
    actor = actor_of(manager)
    task = await tasks.add_subject_task(
        session_of(manager), actor, entity, subject_id, str(form["title"]), due
    )
    log.info("task %s added on %s %s by user %s", task.id, entity, subject_id, actor.user_id)
    data = {"entity": entity, "entity_id": subject_id, "title": form["title"], "due": form["due"]}
    await manager.start(TaskSaved.main, data=data, mode=StartMode.RESET_STACK)
