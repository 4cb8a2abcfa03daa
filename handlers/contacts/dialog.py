"""The contact dialogs: the R4 form (a window per step, the summary, the R5 duplicate), card and list."""

from __future__ import annotations

from typing import Any

from aiogram.types import ContentType
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Select, Start
from aiogram_dialog.widgets.text import Format

from handlers.contacts import actions, getters
from handlers.contacts.states import ContactCard, ContactForm, ContactList
from handlers.deals.states import DealCard
from handlers.kit.cards import record_rows, records_getter, track_card
from handlers.kit.context import record_id
from handlers.kit.export import export_button
from handlers.kit.inputs import ERROR_LINE, DomainInput
from handlers.kit.nav import cancel_button, nav
from handlers.kit.paging import pager
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Key, Tr, TrPlain
from handlers.leads.states import LeadCard, LeadForm

CARD_SHARE = MessageInput(actions.on_contact_card, content_types=ContentType.CONTACT)


def _id(item: tuple[int, str]) -> int:
    return item[0]


def _step(step: str, parse: Any, *, skip: bool = False, card: bool = False) -> Window:
    widgets: list[Any] = [
        ERROR_LINE,
        Tr("contact-card-phone-taken", when="card_name_incomplete"),
        Tr(f"contact-ask-{step}"),
        DomainInput(step, parse, on_success=actions.on_answer),
    ]
    if card:
        widgets.append(CARD_SHARE)
    widgets.append(NOT_TEXT)
    widgets.append(
        nav(back=actions.on_back if step != "name" else False, skip=actions.on_skip if skip else None)
    )
    return Window(*widgets, getter=getters.step_getter, state=actions.STATE_OF[step])


def _client_step() -> Window:
    """The optional client: typed text searches the visible clients; a match, a new client, or skip."""
    return Window(
        ERROR_LINE,
        Tr("contact-ask-client"),
        Tr("contact-client-found", "query", when="found"),
        Tr("contact-client-none", "query", when="none"),
        Column(
            Select(
                TrPlain("contact-btn-client", name="item.1"),
                id="client_pick",
                item_id_getter=_id,
                items="clients",
                on_click=actions.on_client_pick,
            ),
            Button(TrPlain("contact-btn-new-client"), id="new_client", on_click=actions.on_new_client),
        ),
        DomainInput("client", actions.parse_client, on_success=actions.on_client_query),
        NOT_TEXT,
        nav(back=actions.on_back, skip=actions.on_skip),
        getter=[getters.step_getter, getters.client_getter],
        state=ContactForm.client,
    )


async def _edit_field(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await actions.on_edit(event, widget, manager, item_id)


def form_dialog() -> Dialog:
    return Dialog(
        _step("name", actions.parse_name, card=True),
        _step("phone", actions.parse_phone, card=True),
        _step("birth_date", actions.parse_birth_date),
        _step("email", actions.parse_email),
        _step("position", actions.parse_position, skip=True),
        _client_step(),
        Window(
            ERROR_LINE,
            Tr("contact-edit-title", when="editing"),
            Tr("contact-summary", "name", "phone", "birth_date", "email", "position", "client"),
            Group(
                Select(
                    TrPlain("contact-btn-edit", field="item.1"),
                    id="edit",
                    item_id_getter=_id,
                    items="fields",
                    on_click=_edit_field,
                ),
                width=2,
            ),
            Button(TrPlain("btn-save"), id="save", on_click=actions.on_save),
            nav(back=actions.on_back),
            use_buttons("contact-summary-use-buttons"),
            getter=getters.summary_getter,
            state=ContactForm.summary,
        ),
        Window(
            Tr("contact-duplicate", "fields", "name", "phone", "birth_date", "email", "responsible"),
            Column(
                Button(
                    TrPlain("contact-btn-lead-on-existing"),
                    id="lead",
                    on_click=actions.lead_on_existing,
                    when=lambda data, *_: not data["editing"],
                ),
                Button(TrPlain("contact-btn-fix"), id="fix", on_click=actions.on_fix),
                cancel_button(),
            ),
            getter=getters.duplicate_getter,
            state=ContactForm.duplicate,
        ),
        on_start=actions.on_start,
        on_process_result=actions.on_client_created,
    )


async def _open_lead(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(LeadCard.main, data={"lead_id": record_id(item_id)})


async def _open_deal(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(DealCard.main, data={"deal_id": record_id(item_id)})


async def _edit(event: Any, widget: Any, manager: DialogManager) -> None:
    """«✏️ Изменить»: the form's summary with the contact's values (R1c checked when it starts)."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    await manager.start(ContactForm.summary, data={"edit": int(start["contact_id"])})


async def _new_lead(event: Any, widget: Any, manager: DialogManager) -> None:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    await manager.start(LeadForm.contact, data={"contact_id": int(start["contact_id"])})


def card_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("contact-saved-title", when="saved"),
            Key("notice"),
            Tr(
                "contact-card",
                *("name", "phone", "birth_date", "email", "position", "client", "responsible"),
                leads="leads_text",
                deals="deals_text",
            ),
            Button(TrPlain("contact-btn-new-lead"), id="new_lead", on_click=_new_lead),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="lead",
                    item_id_getter=_id,
                    items="leads",
                    on_click=_open_lead,
                ),
                Select(
                    Format("{item[1]}"),
                    id="deal",
                    item_id_getter=_id,
                    items="deals",
                    on_click=_open_deal,
                ),
            ),
            Button(TrPlain("contact-btn-edit-card"), id="edit_contact", on_click=_edit, when="may_edit"),
            record_rows("contact", "contact_id"),
            getter=[getters.card_getter, records_getter("contact", "contact_id")],
            state=ContactCard.main,
        ),
        on_start=track_card("contact", "contact_id"),
    )


async def _open_contact(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await manager.start(ContactCard.main, data={"contact_id": record_id(item_id)})


def list_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("contact-list-title", total="total", page="page", pages="pages", when="total"),
            Tr("contact-list-empty", when=lambda data, *_: not data["total"]),
            Column(
                Select(
                    Format("{item[1]}"),
                    id="contact",
                    item_id_getter=_id,
                    items="contacts",
                    on_click=_open_contact,
                )
            ),
            pager(),
            Start(TrPlain("contact-btn-new"), id="new", state=ContactForm.name),
            export_button("contacts"),
            getter=getters.list_getter,
            state=ContactList.main,
        )
    )


def dialogs() -> list[Dialog]:
    return [form_dialog(), card_dialog(), list_dialog()]
