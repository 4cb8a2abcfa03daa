"""The new-lead form (R1): a window per step, then the summary with its edit buttons.

At the contact step the recent contacts are buttons, typed text searches the user's contacts by name or phone,
and «➕ Новый контакт» runs the contact form as a sub-dialog whose contact the lead then takes. At the source,
group and responsible steps typed text narrows the buttons (one match is taken at once).
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select, Start

from domain import limits
from handlers.contacts.states import ContactForm
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import nav
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Tr, TrPlain
from handlers.leads import actions, getters
from handlers.leads.states import LeadForm


def _id(item: tuple[Any, str]) -> Any:
    return item[0]


def _options(on_click: Any, items: str = "options", width: int = 1) -> Group:
    return Group(
        Select(
            TrPlain("lead-option", name="item.1"),
            id=items,
            item_id_getter=_id,
            items=items,
            on_click=on_click,
        ),
        width=width,
    )


def _choice(step: str, *, width: int = 1, skip: Any = None) -> Window:
    return Window(
        ERROR_LINE,
        Tr(f"lead-ask-{step}", "contact"),
        Tr("lead-choice-filtered", when="filtered"),
        _options(actions.on_choice, width=width),
        Button(TrPlain("lead-btn-show-all"), id="all", on_click=actions.on_show_all, when="filtered"),
        DomainInput("filter", actions.parse_filter, on_success=actions.on_filter),
        NOT_TEXT,
        nav(skip=skip),
        getter=getters.choice_getter,
        state=actions.STATE_OF[step],
    )


async def _edit_field(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await actions.on_edit(event, widget, manager, item_id)


def form_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("lead-ask-contact"),
            Tr("lead-recent-found", when="recent"),
            Tr("lead-recent-none", when="none_recent"),
            Tr("lead-search-found", "query", when=lambda data, *_: data["searched"] and data["found"]),
            Tr("lead-search-none", "query", when="none_found"),
            Column(
                Select(
                    TrPlain("lead-option", name="item.1"),
                    id="contact",
                    item_id_getter=_id,
                    items="contacts",
                    on_click=actions.on_contact,
                )
            ),
            Row(
                Start(
                    TrPlain("lead-btn-new-contact"),
                    id="new_contact",
                    state=ContactForm.name,
                    data={"pick": True},
                ),
                Button(TrPlain("lead-btn-recent"), id="recent", on_click=actions.on_recent, when="searched"),
            ),
            DomainInput("search", actions.parse_search, on_success=actions.on_search),
            NOT_TEXT,
            nav(back=False),
            getter=getters.contact_getter,
            state=LeadForm.contact,
        ),
        _choice("source", width=2),
        _choice("group", width=2, skip=actions.on_skip_group),
        Window(
            ERROR_LINE,
            Tr("lead-ask-description", min="min", max="max"),
            DomainInput("description", actions.parse_description, on_success=actions.on_description),
            NOT_TEXT,
            nav(),
            getter={"min": limits.LEAD_DESCRIPTION_MIN, "max": limits.LEAD_DESCRIPTION},
            state=LeadForm.description,
        ),
        _choice("responsible"),
        Window(
            ERROR_LINE,
            Tr("lead-edit-title", when="editing"),
            Tr("lead-summary", "contact", "source", "group", "description", "responsible"),
            Group(
                Select(
                    TrPlain("lead-btn-edit", field="item.1"),
                    id="edit",
                    item_id_getter=_id,
                    items="fields",
                    on_click=_edit_field,
                ),
                width=2,
            ),
            Button(TrPlain("btn-save"), id="save", on_click=actions.on_save),
            nav(back=False),
            use_buttons("lead-use-buttons"),
            getter=getters.summary_getter,
            state=LeadForm.summary,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_new_contact_result,
    )
