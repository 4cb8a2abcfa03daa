"""The lead card (its fields, the last qualifying interaction, its actions), the refusal (R2a: a reason from
«Причины отказа», an optional text, the confirmation), and the list."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Back, Button, Column, Group, Row, Select

from handlers.kit.cards import open_tasks, record_rows, records_getter
from handlers.kit.export import export_button
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button, nav
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Key, Tr, TrPlain
from handlers.leads import card_actions, getters
from handlers.leads.actions import chosen_id
from handlers.leads.states import LeadCard, LeadList, LeadRefusal


def _id(item: tuple[int, str]) -> int:
    return item[0]


def _not(field: str) -> Any:
    return lambda data, *_: not data[field]


def card_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("lead-saved", when="saved"),
            Key("notice_key"),
            Tr(
                "lead-card",
                *("id", "status", "contact", "phone", "source", "group", "description", "responsible"),
                *("created", "interactions"),
            ),
            Tr("lead-card-qualifying", kind="last_kind", at="last_at", when="qualified"),
            Tr("lead-card-qualifying-none", when="unqualified"),
            Tr("lead-card-reject-reason", "reason", when="rejected"),
            open_tasks(),
            Group(
                Button(TrPlain("lead-btn-log"), id="log", on_click=card_actions.on_log),
                Button(TrPlain("lead-btn-convert"), id="deal", on_click=card_actions.on_deal),
                Button(TrPlain("lead-btn-task"), id="task", on_click=card_actions.on_task),
                Button(TrPlain("lead-btn-reject"), id="refuse", on_click=card_actions.on_refuse),
                Button(TrPlain("lead-btn-edit-card"), id="edit_lead", on_click=card_actions.on_edit),
                Button(
                    TrPlain("lead-btn-reassign"),
                    id="reassign",
                    on_click=card_actions.on_reassign_open,
                    when="reassigns",
                ),
                width=2,
                when="acts",
            ),
            Button(
                TrPlain("card-btn-show-full"), id="full", on_click=card_actions.on_show_full, when="clipped"
            ),
            record_rows("lead", "lead_id"),
            getter=[getters.card_getter, records_getter("lead", "lead_id")],
            state=LeadCard.main,
        ),
        Window(
            Tr("lead-ask-reassign", "id", when=_not("nobody")),
            Tr("lead-reassign-nobody", when="nobody"),
            Column(
                Select(
                    TrPlain("lead-option", name="item.1"),
                    id="person",
                    item_id_getter=_id,
                    items="people",
                    on_click=card_actions.on_reassign,
                )
            ),
            Back(TrPlain("btn-back")),
            getter=getters.reassign_getter,
            state=LeadCard.reassign,
        ),
        on_start=card_actions.on_card_start,
        on_process_result=card_actions.on_result,
    )


def refusal_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("lead-ask-reject-reason", "id"),
            Tr("outcome-reasons-none", when="no_reasons"),
            Column(
                Select(
                    TrPlain("lead-option", name="item.1"),
                    id="reason_pick",
                    item_id_getter=_id,
                    items="reasons",
                    on_click=card_actions.on_reason_pick,
                )
            ),
            nav(back=False),
            use_buttons("lead-use-buttons"),
            getter=getters.refusal_reasons_getter,
            state=LeadRefusal.reason,
        ),
        Window(
            ERROR_LINE,
            Tr("lead-ask-reject-text", "id", "min", "max", reason="chosen"),
            DomainInput("reason", card_actions.parse_reason, on_success=card_actions.on_reason),
            NOT_TEXT,
            nav(skip=card_actions.skip_text),
            getter=getters.refusal_getter,
            state=LeadRefusal.text,
        ),
        Window(
            ERROR_LINE,
            Tr("lead-reject-confirm", "id", "reason"),
            Column(
                Button(TrPlain("lead-btn-reject-confirm"), id="reject", on_click=card_actions.on_reject),
                Row(Back(TrPlain("btn-back")), cancel_button()),
            ),
            use_buttons("lead-use-buttons"),
            getter=getters.refusal_getter,
            state=LeadRefusal.confirm,
        ),
        on_start=card_actions.on_refusal_start,
    )


async def _open_lead(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(LeadCard.main, data={"lead_id": chosen_id(item_id)})


def list_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("lead-list-title", "page", when="any"),
            Tr("lead-list-empty", when="empty"),
            Column(
                Select(
                    TrPlain("lead-option", name="item.1"),
                    id="lead",
                    item_id_getter=_id,
                    items="leads",
                    on_click=_open_lead,
                )
            ),
            pager(),
            export_button("leads"),
            getter=getters.list_getter,
            state=LeadList.main,
        )
    )
