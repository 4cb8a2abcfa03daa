"""The /log dialogs: the form (subject, kind and outcome in one tap, the two comment parts, the summary with
the optional next step) and what was saved."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Button, Group, Row, Select
from aiogram_dialog.widgets.text import Format

from handlers.deals.states import DealCard
from handlers.interactions import actions, getters
from handlers.interactions.states import LogForm, LogSaved
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.summary import saved_window, summary_window
from handlers.kit.text import Raw, Tr, TrPlain
from handlers.leads.states import LeadCard


def _back(when: WhenCondition = None) -> Button:
    return Button(TrPlain("btn-back"), id="back", on_click=actions.on_back, when=when)


def _comment_step(step: str, parse: Any, on_success: Any) -> Window:
    return Window(
        ERROR_LINE,
        Raw("subject"),
        Tr(f"interaction-ask-{step}"),
        DomainInput(step, parse, on_success=on_success, on_error=actions.on_comment_error),
        NOT_TEXT,
        Row(_back(), cancel_button()),
        getter=getters.subject_getter,
        state=getattr(LogForm, step),
    )


def form_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("interaction-ask-subject"),
            Button(TrPlain("interaction-btn-pick"), id="pick", on_click=actions.on_pick_again),
            cancel_button(),
            use_buttons("interaction-use-buttons"),
            state=LogForm.subject,
        ),
        Window(
            ERROR_LINE,
            Raw("subject"),
            Tr("interaction-ask-kind"),
            Group(
                Select(
                    Format("{item[1]}"),
                    id="choice",
                    item_id_getter=lambda item: item[0],
                    items="choices",
                    on_click=actions.on_choice,
                ),
                width=2,
            ),
            Row(_back(when=lambda data, *_: data["picked"] or data["editing"]), cancel_button()),
            use_buttons("interaction-use-buttons"),
            getter=getters.subject_getter,
            state=LogForm.kind,
        ),
        _comment_step("discussed", actions.parse_discussed, actions.on_discussed),
        _comment_step("agreed", actions.parse_agreed, actions.on_agreed),
        summary_window(
            Tr("interaction-summary", "subject", "kind", "outcome", "discussed", "agreed", "due", "verdict"),
            Button(Format("{next_step}"), id="next_step", on_click=actions.on_next_step),
            on_edit=actions.on_edit,
            width=3,
            on_save=actions.on_save,
            back=_back(),
            use_key="interaction-summary-use-buttons",
            getter=getters.summary_getter,
            state=LogForm.summary,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_process_result,
    )


async def _open(event: Any, widget: Any, manager: DialogManager) -> None:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    subject_id = int(start.get("id") or 0)
    if start.get("subject") == "deal":
        await manager.start(DealCard.main, data={"deal_id": subject_id}, mode=StartMode.RESET_STACK)
    else:
        await manager.start(LeadCard.main, data={"lead_id": subject_id}, mode=StartMode.RESET_STACK)


def saved_dialog() -> Dialog:
    return Dialog(
        saved_window(
            Raw("saved"),
            Tr("interaction-task-created", "due", when="due"),
            on_open=_open,
            getter=getters.saved_getter,
            state=LogSaved.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [form_dialog(), saved_dialog()]
