"""The task dialogs: the form (the title, the due time from the due picker, the summary) and the task set."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Group, Row, Select
from aiogram_dialog.widgets.text import Format

from db.repo.tasks import PERSONAL
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.summary import saved_window, summary_window
from handlers.kit.text import Tr, TrPlain
from handlers.tasks import actions, getters
from handlers.tasks.states import TaskForm, TaskSaved


def _back() -> Button:
    return Button(TrPlain("btn-back"), id="back", on_click=actions.on_back)


def form_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("task-ask-title", "subject"),
            DomainInput("title", actions.parse_title, on_success=actions.on_title),
            NOT_TEXT,
            Row(_back(), cancel_button()),
            getter=getters.step_getter,
            state=TaskForm.title,
        ),
        Window(
            ERROR_LINE,
            Tr("task-ask-due", "subject"),
            Button(TrPlain("task-btn-pick-due"), id="pick_due", on_click=actions.on_pick_due),
            Row(cancel_button()),
            use_buttons("task-use-buttons"),
            getter=getters.step_getter,
            state=TaskForm.due,
        ),
        summary_window(
            Tr("task-summary", "subject", "title", "due", "assignee"),
            on_edit=actions.on_edit,
            width=2,
            on_save=actions.on_save,
            back=_back(),
            use_key="task-use-buttons",
            getter=getters.summary_getter,
            state=TaskForm.summary,
        ),
        Window(
            Tr("task-ask-assignee"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="assignee",
                    item_id_getter=_first,
                    items="users",
                    on_click=actions.on_assignee,
                ),
                width=2,
            ),
            Row(Button(TrPlain("btn-back"), id="back", on_click=actions.to_summary), cancel_button()),
            use_buttons("task-use-buttons"),
            getter=getters.assignee_getter,
            state=TaskForm.assignee,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_process_result,
    )


def _first(item: tuple[str, str]) -> str:
    return item[0]


async def _open(event: Any, widget: Any, manager: DialogManager) -> None:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    entity = str(start.get("entity") or PERSONAL)
    await actions.open_card(manager, entity, int(start.get("entity_id") or 0))


def saved_dialog() -> Dialog:
    return Dialog(
        saved_window(
            Tr("task-added", "title", "due"),
            on_open=_open,
            getter=getters.saved_getter,
            state=TaskSaved.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [form_dialog(), saved_dialog()]
