"""What the task form does: the title and the due time are checked by the domain, the repository saves the
task — on a lead, deal or client for its responsible manager, or a personal one for the user — re-checking
R1c and that the record is still open. A team lead or an admin may give it to someone else («Кому», R1c).

The answers are in ``dialog_data["task"]``: ``title``, ``due`` (ISO UTC), ``assignee`` (a user id, when
chosen) and ``editing`` (a step opened from the summary returns to it).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from bot.callbacks import parse_id
from db.base import utcnow
from db.repo import tasks
from db.repo.leads import assignable_user
from domain import limits
from domain.access import Role
from domain.errors import Closed, Gone, NotAllowed, ValidationError
from handlers.clients.states import ClientCard
from handlers.deals.states import DealCard
from handlers.kit.context import actor_of, session_of
from handlers.kit.inputs import set_error
from handlers.kit.pickers import DuePick
from handlers.leads.states import LeadCard
from handlers.tasks.states import TaskForm, TaskSaved
from handlers.today.states import Today

log = logging.getLogger(__name__)

FORM = "task"
ENTITIES = tasks.SUBJECTS


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {})
    assert isinstance(form, dict)
    return form


def subject_of(manager: DialogManager) -> tuple[str, int]:
    """The record the task is set on, or ``("self", 0)`` for a personal task (started with ``{}``)."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    if start.get("entity") is None:
        return tasks.PERSONAL, 0
    entity = str(start.get("entity"))
    if entity not in ENTITIES:
        raise Gone("no lead, deal or client to add a task to")
    return entity, int(start.get("entity_id") or 0)


def may_choose_assignee(manager: DialogManager) -> bool:
    """«Кому»: a team lead or an admin may give the task to someone else (R1c)."""
    return actor_of(manager).role in (Role.TEAM_LEAD, Role.ADMIN)


async def require_open(manager: DialogManager, entity: str, subject_id: int) -> None:
    """R1c: on a lead or deal the responsible manager, their team lead or an admin, only while it is open; on
    a client whoever may manage it. A personal task needs no record."""
    if entity == tasks.PERSONAL:
        return
    session, actor = session_of(manager), actor_of(manager)
    subject = await tasks.task_subject(session, entity, subject_id)
    if subject is None:
        raise Gone(f"{entity} is gone")
    if not await tasks.may_task(session, actor, subject):
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
    """«✏️» on the summary: the title, the due time or (team lead, admin) the assignee; then the summary."""
    if item_id == "title":
        form_of(manager)["editing"] = True
        await manager.switch_to(TaskForm.title)
    elif item_id == "due":
        await _ask_due(manager)
    elif item_id == "assignee" and may_choose_assignee(manager):
        await manager.switch_to(TaskForm.assignee)
    else:
        raise Gone("not an editable field")


async def on_assignee(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """«Кому»: someone the team lead or admin may act for (R1c, checked again when the task is saved)."""
    user_id = parse_id(item_id)
    if not may_choose_assignee(manager) or user_id is None:
        raise NotAllowed("may not choose an assignee")
    if await assignable_user(session_of(manager), actor_of(manager), user_id) is None:
        raise NotAllowed("not an assignable user")
    form_of(manager)["assignee"] = user_id
    await manager.switch_to(TaskForm.summary)


async def to_summary(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.switch_to(TaskForm.summary)


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
    entity, subject_id = subject_of(manager)
    if len(manager.current_stack().intents) > 1 or entity in (tasks.PERSONAL, "client"):
        await manager.done()
        return
    await open_card(manager, entity, subject_id)


async def open_card(manager: DialogManager, entity: str, subject_id: int) -> None:
    """The record the task was set on; a personal task: the day plan."""
    if entity == tasks.PERSONAL:
        await manager.start(Today.plan, mode=StartMode.RESET_STACK)
    elif entity == "client":
        await manager.start(ClientCard.main, data={"client_id": subject_id}, mode=StartMode.RESET_STACK)
    elif entity == "deal":
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
    assignee = form.get("assignee")
    task = await tasks.add_subject_task(
        session_of(manager),
        actor,
        entity,
        subject_id,
        str(form["title"]),
        due,
        assignee_id=int(assignee) if assignee and may_choose_assignee(manager) else None,
    )
    log.info("task %s added on %s %s by user %s", task.id, entity, subject_id, actor.user_id)
    data = {"title": form["title"], "due": form["due"]}
    if entity != tasks.PERSONAL:
        data |= {"entity": entity, "entity_id": subject_id}
    await manager.start(TaskSaved.main, data=data, mode=StartMode.RESET_STACK)
