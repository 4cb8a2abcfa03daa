"""What every card shows besides its own fields: the history and the documents of the record, and (leads,
deals, clients) its open tasks.

A card dialog (contact, lead, deal, client, counterparty) puts ``record_rows(entity, key)`` under its
buttons, adds ``records_getter(entity, key)`` to its window getter and ``track_card(entity, key)`` as its
``on_start``. ``key`` names the record id in the card's start data (``"contact_id"``, ``"lead_id"``, ...).
A lead, deal or client card also puts ``open_tasks()`` among its texts (the getter value comes with
``records_getter``); a card without its own «🗓 Задача» may add ``task_button(entity, key)``.

``track_card`` marks the card's context as an open card: a file sent while the card is on top of the dialog
stack is attached to it (``handlers.records``). The mark lives with the dialog stack, so it ends with the
card: a file sent after the card was left is not attached to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Row

from bot.i18n import Html
from db.repo import documents as repo
from db.repo import tasks as tasks_repo
from domain.due import DueAt
from domain.errors import Gone, NotAllowed
from handlers.kit.context import actor_of, i18n_of, session_of
from handlers.kit.launch import find_state
from handlers.kit.pickers import zone_of
from handlers.kit.text import Raw, TrPlain

Getter = Callable[..., Awaitable[dict[str, Any]]]

#: ``dialog_data`` key of a card's context: ``{"entity": str, "entity_id": int}``.
OPEN_CARD = "open_card"

#: ``handlers.records.states.Records``, named: the records package imports every card's states, so the kit
#: does not import it back.
HISTORY = "Records:history"
DOCUMENTS = "Records:documents"
#: ``handlers.tasks.states.TaskForm.title``, named for the same reason.
TASK_FORM = "TaskForm:title"

#: Entity names the cards may use for the same record kind.
ALIASES = {"party": "counterparty"}


def entity_name(entity: str) -> str:
    """The record kind as the repository and the audit know it (``party`` is a counterparty)."""
    return ALIASES.get(entity, entity)


def record_id(manager: DialogManager, key: str) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start[key])


def records_getter(entity: str, key: str) -> Getter:
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        session, name, rid = session_of(dialog_manager), entity_name(entity), record_id(dialog_manager, key)
        data: dict[str, Any] = {"documents_count": await repo.documents_count(session, name, rid)}
        if name in tasks_repo.SUBJECTS:
            data["open_tasks"] = await _open_tasks(dialog_manager, name, rid)
        if name == "client":
            subject = await tasks_repo.task_subject(session, name, rid)
            data["task_allowed"] = subject is not None and (
                subject.is_open and await tasks_repo.may_task(session, actor_of(dialog_manager), subject)
            )
        return data

    return getter


async def _open_tasks(manager: DialogManager, entity: str, rid: int) -> Html | None:
    """The record's open tasks: the title, the due time on the reader's clock, the assignee when it is not
    the reader; at most ``tasks_repo.CARD_TASKS``, then «…и ещё N»."""
    listed, more = await tasks_repo.record_open_tasks(session_of(manager), entity, rid)
    if not listed:
        return None
    i18n, zone, me = i18n_of(manager), zone_of(manager), actor_of(manager).user_id
    lines = [i18n("card-tasks-title", count=len(listed) + more)]
    for item in listed:
        due = DueAt(item.task.due_at).display(zone)
        if item.assignee_id == me:
            lines.append(i18n("card-task-line", due=due, title=item.task.title))
        else:
            lines.append(i18n("card-task-line-for", due=due, title=item.task.title, who=item.assignee_name))
    if more:
        lines.append(i18n("card-tasks-more", count=more))
    return Html("\n" + "\n".join(lines))  # a blank line after the card's fields


def open_tasks() -> Raw:
    """The card's open tasks (from ``records_getter``); nothing when there are none."""
    return Raw("open_tasks", when="open_tasks")


def task_button(entity: str, key: str) -> Button:
    """«🗓 Задача»: the task form on this record, for whoever may act on it (R1c, checked again on save)."""

    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        name, rid = entity_name(entity), record_id(manager, key)
        session = session_of(manager)
        subject = await tasks_repo.task_subject(session, name, rid)
        if subject is None:
            raise Gone(f"{name} is gone")
        if not await tasks_repo.may_task(session, actor_of(manager), subject):
            raise NotAllowed(f"{name} not actionable")
        state = find_state(TASK_FORM)
        assert state is not None, f"{TASK_FORM} is not registered"
        await manager.start(state, data={"entity": name, "entity_id": rid})

    return Button(TrPlain("card-btn-task"), id="task", on_click=on_click, when="task_allowed")


def track_card(entity: str, key: str) -> Callable[[Any, DialogManager], Awaitable[None]]:
    async def on_start(start_data: Any, manager: DialogManager) -> None:
        manager.dialog_data[OPEN_CARD] = {"entity": entity_name(entity), "entity_id": record_id(manager, key)}

    return on_start


def card_on_top(manager: DialogManager) -> tuple[str, int] | None:
    """The card on top of the user's dialog stack, if the top is a card."""
    if not manager.has_context():
        return None
    card = manager.current_context().dialog_data.get(OPEN_CARD)
    if not isinstance(card, dict):
        return None
    return str(card["entity"]), int(card["entity_id"])


def _open(entity: str, key: str, name: str) -> Callable[[Any, Any, DialogManager], Awaitable[None]]:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        state = find_state(name)
        assert state is not None, f"{name} is not registered"
        data = {"entity": entity_name(entity), "entity_id": record_id(manager, key)}
        await manager.start(state, data=data)

    return on_click


def record_rows(entity: str, key: str) -> Row:
    return Row(
        Button(TrPlain("records-btn-history"), id="history", on_click=_open(entity, key, HISTORY)),
        Button(
            TrPlain("records-btn-documents", count="documents_count"),
            id="documents",
            on_click=_open(entity, key, DOCUMENTS),
        ),
    )
