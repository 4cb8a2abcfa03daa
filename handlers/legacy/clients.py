"""The client registry (seed 002): ``/clients``, the new-client form, the client card, converting a client
into a counterparty, and routes to an approver.

- New client: name → industry → business region → contact persons (found among visible contacts, or created
  inline through the contacts form, which hands the new contact back to :func:`resume_client_with_contact`)
  → summary → save.
- Convert (SPEC "Access"): users with the permission fill legal name → INN → KPP → kind → confirm; the rest
  fill the same fields, pick an approver and may add a comment: the route goes to the approver, who approves
  or rejects it with a reason; the requester may withdraw it while it is pending.

Every button re-checks rights from the database; a decided route matches no row of its conditional update,
so a second press, a concurrent press, or a press by anyone but the approver changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import NavCb, OptionalId, PageCb, RecordId, parse_id
from bot.cards import clipped, first_lines
from bot.forms import (
    BACK_KEY,
    FormInput,
    deny,
    form_data,
    go_back,
    goto,
    message_of,
    pager_row,
    stale,
    step_keyboard,
)
from bot.i18n import Html, Translator, TranslatorHub
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.models import Client, ClientRoute, Contact, User
from db.repo import clients as repo
from db.repo import records as records_repo
from db.repo import routes
from db.repo.visibility import may_see_contact
from domain import limits
from domain.access import Actor, Role
from domain.errors import ValidationError
from domain.registry import ClientName, CounterpartyKind, Inn, Kpp, LegalName, reject_reason, route_comment
from domain.values import Email, MobilePhone
from handlers.legacy.records import card_record_rows, with_record_rows

log = logging.getLogger(__name__)

FORM = "client_form"
CONV = "client_conv"
REJECT = "client_route_reject"
SEARCH_MIN_LENGTH = 2
LIST_KIND = "clients"


class ClientForm(StatesGroup):
    name = State()
    industry = State()
    region = State()
    contacts = State()
    search = State()
    summary = State()


class ConvertForm(StatesGroup):
    legal_name = State()
    inn = State()
    kpp = State()
    kind = State()
    approver = State()
    comment = State()
    summary = State()


class RouteRejectForm(StatesGroup):
    reason = State()


class ClientCb(CallbackData, prefix="cl"):
    """open | new | add (contact person) | convert | route | lost | unlost — on a client; party: open the
    counterparty card (``id`` is the counterparty's)."""

    action: str
    id: OptionalId = 0


class ClientFormCb(CallbackData, prefix="clf"):
    """The new-client form: industry | region | find | new | pick | done | save | edit."""

    action: str
    id: OptionalId = 0
    field: str = ""


class ConvCb(CallbackData, prefix="cv"):
    """The counterparty form: keep (the client's name) | kind | approver | save | edit."""

    action: str
    value: str = ""


class RouteCb(CallbackData, prefix="rt"):
    """A route: show | approve | reject | withdraw."""

    action: str
    id: RecordId


CLIENT_STEPS = ("name", "industry", "region", "contacts")
CLIENT_STATE: dict[str, State] = {
    step: getattr(ClientForm, step) for step in (*CLIENT_STEPS, "search", "summary")
}
CONVERT_STEPS = ("legal_name", "inn", "kpp", "kind")
ROUTE_STEPS = (*CONVERT_STEPS, "approver", "comment")
CONV_STATE: dict[str, State] = {step: getattr(ConvertForm, step) for step in (*ROUTE_STEPS, "summary")}


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def _label(i18n: Translator, key: str, **params: Any) -> str:
    """Button text: buttons are not HTML, so user data goes in unescaped."""
    return i18n(key, **{k: Html(v) if isinstance(v, str) else v for k, v in params.items()})


async def _store(state: FSMContext, key: str, form: dict[str, Any]) -> None:
    await state.update_data({key: form})


def _error(i18n: Translator, error: ValidationError) -> str:
    return i18n(error.key, **error.params)


def _phone(contact: Contact, visible: bool) -> str:
    phone = MobilePhone(contact.phone)
    return phone.display() if visible else phone.masked()


def _email(contact: Contact, visible: bool) -> str:
    email = Email(contact.email)
    return email.value if visible else email.masked()


def _zone(user: User, settings: Settings | None) -> ZoneInfo:
    default = settings.default_timezone if settings else "Europe/Moscow"
    return ZoneInfo(user.timezone or default)


def extra_card_rows(
    i18n: Translator, entity: str, entity_id: int, documents_count: int = 0
) -> list[list[InlineKeyboardButton]]:
    """Rows other features add to a card: history and documents (``handlers.legacy.records``)."""
    return card_record_rows(i18n, entity, entity_id, documents_count)


# ---------------------------------------------------------------------------------------------------------
# /clients — the list
# ---------------------------------------------------------------------------------------------------------


async def _list_view(
    session: AsyncSession, actor: Actor, i18n: Translator, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    found = await repo.list_clients(session, actor, page)
    builder = InlineKeyboardBuilder()
    if not found.clients:
        text = i18n("clients-list-empty")
    else:
        lines = [i18n("clients-list-title", total=found.total, page=found.page + 1, pages=found.pages)]
        statuses = await repo.statuses_of(session, found.clients)
        for n, client in enumerate(found.clients, start=found.page * repo.PAGE_SIZE + 1):
            status = statuses[client.id]
            lines.append(
                i18n("clients-list-item", n=n, name=client.name, status=i18n(f"clients-status-{status}"))
            )
            builder.row(
                InlineKeyboardButton(
                    text=_label(i18n, "clients-list-button", n=n, name=client.name),
                    callback_data=ClientCb(action="open", id=client.id).pack(),
                )
            )
        text = "\n".join(lines)
    pager = pager_row(i18n, LIST_KIND, found.page, found.has_next)
    if pager:
        builder.row(*pager)
    builder.row(
        InlineKeyboardButton(text=i18n("clients-btn-new"), callback_data=ClientCb(action="new").pack())
    )
    return text, builder.as_markup()


async def list_clients(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    text, markup = await _list_view(session, actor, i18n, 0)
    await message.answer(text, reply_markup=markup)


async def list_page(
    query: CallbackQuery, callback_data: PageCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    text, markup = await _list_view(session, actor, i18n, callback_data.page)
    await message.edit_text(text, reply_markup=markup)


# ---------------------------------------------------------------------------------------------------------
# The client card
# ---------------------------------------------------------------------------------------------------------


def _card_text(i18n: Translator, card: repo.ClientCard) -> str:
    none = i18n("clients-value-none")
    parts = [
        i18n(
            "clients-card",
            name=clipped(card.client.name, limits.CARD_NAME),
            status=i18n(f"clients-status-{card.status}"),
            industry=card.industry or none,
            region=card.region or none,
            responsible=card.responsible or none,
        )
    ]
    if card.client.marked_lost:
        parts.append(i18n("clients-card-marked-lost"))
    if card.contacts:
        parts.append(i18n("clients-card-contacts-title"))
        contact_lines = [
            i18n(
                "clients-card-contact",
                name=contact.full_name,
                phone=_phone(contact, visible),
                email=_email(contact, visible),
            )
            for contact, visible in card.contacts
        ]
        parts.extend(first_lines(i18n, contact_lines))
    else:
        parts.append(i18n("clients-card-contacts-none"))
    if card.leads:
        parts.append(i18n("clients-card-leads-title"))
        lead_lines = [
            i18n(
                "clients-card-lead",
                id=item.lead.id,
                contact=item.contact_name,
                status=i18n(f"lead-status-{item.lead.status}"),
                responsible=item.responsible_name,
            )
            for item in card.leads
        ]
        parts.extend(first_lines(i18n, lead_lines))
    else:
        parts.append(i18n("clients-card-leads-none"))
    if card.counterparty is not None:
        parts.append(_counterparty_line(i18n, card.counterparty.legal_name, card.counterparty.inn,
                                        card.counterparty.kpp, card.counterparty.kind))  # fmt: skip
    elif card.pending_route is not None:
        parts.append(i18n("clients-card-route", approver=card.route_approver or none))
    return "\n".join(parts)


def _counterparty_line(i18n: Translator, legal_name: str, inn: str, kpp: str | None, kind: str) -> str:
    return i18n(
        "clients-card-counterparty",
        legal_name=clipped(legal_name, limits.CARD_NAME * 3),
        inn=inn,
        kpp=kpp or i18n("clients-value-none"),
        kind=i18n(f"clients-kind-{kind}"),
    )


async def _card_keyboard(
    session: AsyncSession, user: User, actor: Actor, i18n: Translator, card: repo.ClientCard
) -> InlineKeyboardMarkup:
    client_id = card.client.id
    builder = InlineKeyboardBuilder()
    builder.row(
        InlineKeyboardButton(
            text=i18n("clients-btn-add-contact"), callback_data=ClientCb(action="add", id=client_id).pack()
        )
    )
    route = card.pending_route
    if card.counterparty is None and route is None:
        may_convert = await repo.user_may_convert(session, user.id)
        action, key = ("convert", "clients-btn-convert") if may_convert else ("route", "clients-btn-route")
        builder.row(
            InlineKeyboardButton(text=i18n(key), callback_data=ClientCb(action=action, id=client_id).pack())
        )
    if route is not None and route.requester_id == user.id:
        builder.row(
            InlineKeyboardButton(
                text=i18n("clients-btn-withdraw"),
                callback_data=RouteCb(action="withdraw", id=route.id).pack(),
            )
        )
    if route is not None and route.approver_id == user.id:
        builder.row(*decision_buttons(i18n, route.id))
    if await repo.may_manage_client(session, actor, card.client):
        action, key = (
            ("unlost", "clients-btn-unmark-lost")
            if card.client.marked_lost
            else ("lost", "clients-btn-mark-lost")
        )
        builder.row(
            InlineKeyboardButton(text=i18n(key), callback_data=ClientCb(action=action, id=client_id).pack())
        )
    if card.counterparty is not None:
        builder.row(
            InlineKeyboardButton(
                text=i18n("records-btn-counterparty"),
                callback_data=ClientCb(action="party", id=card.counterparty.id).pack(),
            )
        )
    await records_repo.track_open_card(session, actor.user_id, "client", client_id)
    documents = await records_repo.documents_count(session, "client", client_id)
    for row in extra_card_rows(i18n, "client", client_id, documents):
        builder.row(*row)
    return builder.as_markup()


async def send_client_card(
    message: Message,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
    client_id: int,
    *,
    edit: bool = False,
    prefix: str | None = None,
) -> bool:
    """Show the card of a client ``actor`` may see; ``False`` (nothing sent) when they may not."""
    card = await repo.client_card(session, actor, client_id)
    if card is None:
        return False
    text = _card_text(i18n, card)
    if prefix:
        text = prefix + "\n\n" + text
    markup = await _card_keyboard(session, user, actor, i18n, card)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)
    return True


async def open_card(
    query: CallbackQuery,
    callback_data: ClientCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if await repo.get_visible_client(session, actor, callback_data.id) is None:
        return await deny(query, i18n)
    await query.answer()
    await send_client_card(message, session, user, actor, i18n, callback_data.id)


async def send_counterparty_card(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, counterparty_id: int
) -> bool:
    """The counterparty card (legal name, INN, KPP, kind, its client); ``False`` when ``actor`` may not see
    it (nothing sent). Seen by whoever sees its client."""
    counterparty = await records_repo.visible_counterparty(session, actor, counterparty_id)
    if counterparty is None:
        return False
    client = await session.get(Client, counterparty.client_id) if counterparty.client_id else None
    none = i18n("clients-value-none")
    text = i18n(
        "records-counterparty-card",
        legal_name=counterparty.legal_name,
        inn=counterparty.inn,
        kpp=counterparty.kpp or none,
        kind=i18n(f"clients-kind-{counterparty.kind}"),
        client=client.name if client else none,
    )
    builder = InlineKeyboardBuilder()
    if client is not None:
        builder.button(
            text=i18n.plain("records-btn-counterparty-client", name=client.name),
            callback_data=ClientCb(action="open", id=client.id),
        )
    markup = await with_record_rows(
        session, actor, i18n, "counterparty", counterparty.id, builder.as_markup()
    )
    await message.answer(text, reply_markup=markup)
    return True


async def open_counterparty(
    query: CallbackQuery, callback_data: ClientCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if await records_repo.visible_counterparty(session, actor, callback_data.id) is None:
        return await deny(query, i18n)
    await query.answer()
    await send_counterparty_card(message, session, actor, i18n, callback_data.id)


async def on_mark_lost(
    query: CallbackQuery,
    callback_data: ClientCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    """«Отметить потерянным» / «Снять отметку»: the responsible, their team lead, or an admin."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    marked = callback_data.action == "lost"
    if not await repo.set_marked_lost(session, actor, callback_data.id, marked):
        return await deny(query, i18n)
    log.info("client %s marked_lost=%s by user %s", callback_data.id, marked, user.id)
    await query.answer(i18n("clients-marked-lost" if marked else "clients-unmarked-lost"))
    await send_client_card(message, session, user, actor, i18n, callback_data.id, edit=True)


# ---------------------------------------------------------------------------------------------------------
# The new-client form (and adding a contact person from the card, which reuses its contact steps)
# ---------------------------------------------------------------------------------------------------------


async def _ask_client_step(
    step: str, message: Message, state: FSMContext, session: AsyncSession, i18n: Translator, error: str = ""
) -> None:
    form = await form_data(state, FORM)
    prefix = error + "\n\n" if error else ""
    if step == "name":
        await message.answer(prefix + i18n("clients-ask-name"), reply_markup=step_keyboard(i18n, back=False))
    elif step in ("industry", "region"):
        rows = await (repo.active_industries(session) if step == "industry" else repo.active_regions(session))
        options = [
            (_label(i18n, "clients-option", name=row.name), ClientFormCb(action=step, id=row.id))
            for row in rows
        ]
        key = f"clients-ask-{step}" if rows else f"clients-{step}-empty"
        await message.answer(
            prefix + i18n(key), reply_markup=step_keyboard(i18n, options, skip=not rows, columns=2)
        )
    elif step == "contacts":
        await _ask_contacts(message, session, i18n, form, prefix)
    elif step == "search":
        await message.answer(prefix + i18n("clients-ask-search"), reply_markup=step_keyboard(i18n))
    else:
        await _show_summary(message, session, i18n, form)


async def _ask_contacts(
    message: Message, session: AsyncSession, i18n: Translator, form: dict[str, Any], prefix: str = ""
) -> None:
    options: list[tuple[str, CallbackData]] = [
        (i18n("clients-btn-find-contact"), ClientFormCb(action="find")),
        (i18n("clients-btn-new-contact"), ClientFormCb(action="new")),
    ]
    attach_to = form.get("attach_to")
    if attach_to:
        client = await session.get(Client, attach_to)
        text = i18n("clients-ask-attach", name=client.name if client else "")
    else:
        options.append((i18n("btn-done"), ClientFormCb(action="done")))
        names = [c.full_name for c in await repo.contacts_by_ids(session, form.get("contact_ids", []))]
        text = i18n(
            "clients-ask-contacts",
            name=form.get("name", ""),
            contacts=", ".join(names) if names else i18n("clients-contacts-none"),
        )
    await message.answer(prefix + text, reply_markup=step_keyboard(i18n, options, back=not attach_to))


async def _show_summary(
    message: Message, session: AsyncSession, i18n: Translator, form: dict[str, Any]
) -> None:
    industry, region = await repo.directory_names(session, form.get("industry_id"), form.get("region_id"))
    names = [c.full_name for c in await repo.contacts_by_ids(session, form.get("contact_ids", []))]
    none = i18n("clients-value-none")
    text = i18n(
        "clients-summary",
        name=form.get("name", ""),
        industry=industry or none,
        region=region or none,
        contacts=", ".join(names) if names else i18n("clients-contacts-none"),
    )
    options = [
        (i18n(f"clients-btn-edit-{step}"), ClientFormCb(action="edit", field=step)) for step in CLIENT_STEPS
    ]
    options.insert(0, (i18n("btn-save"), ClientFormCb(action="save")))
    await message.answer(text, reply_markup=step_keyboard(i18n, options, back=True, columns=1))


async def _client_next(message: Message, state: FSMContext, session: AsyncSession, i18n: Translator) -> None:
    """After a valid answer: the summary when editing, else the next step."""
    form = await form_data(state, FORM)
    current = await state.get_state()
    done = [step for step in CLIENT_STEPS if CLIENT_STATE[step].state == current]
    index = CLIENT_STEPS.index(done[0]) + 1 if done else 0
    step = "summary" if form.get("editing") or index >= len(CLIENT_STEPS) else CLIENT_STEPS[index]
    await goto(state, CLIENT_STATE[step])
    await _ask_client_step(step, message, state, session, i18n)


async def start_client_form(
    message: Message, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    await state.clear()
    await state.update_data({FORM: {"contact_ids": []}, BACK_KEY: []})
    await state.set_state(ClientForm.name)
    await _ask_client_step("name", message, state, session, i18n)


async def on_new_button(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    await start_client_form(message, state, session, i18n)


async def on_name(message: Message, state: FSMContext, session: AsyncSession, i18n: Translator) -> None:
    try:
        name = ClientName.parse(message.text or "")
    except ValidationError as error:
        await message.answer(_error(i18n, error), reply_markup=step_keyboard(i18n, back=False))
        return
    if too_long := limits.check_length(name.value, limits.CLIENT_NAME):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n, back=False),
        )
        return
    form = await form_data(state, FORM)
    form["name"] = name.value
    await _store(state, FORM, form)
    await _client_next(message, state, session, i18n)


async def on_directory(
    query: CallbackQuery,
    callback_data: ClientFormCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Translator,
) -> None:
    """Industry or business region: only active values can be chosen for a new client."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    step = callback_data.action
    if step == "industry":
        found = await repo.active_industry(session, callback_data.id) is not None
    else:
        found = await repo.active_region(session, callback_data.id) is not None
    if not found:
        return await stale(query, i18n)
    await query.answer()
    form = await form_data(state, FORM)
    form[f"{step}_id"] = callback_data.id
    await _store(state, FORM, form)
    await _client_next(message, state, session, i18n)


async def on_skip_directory(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    """Skip is offered only while the directory has no active value."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    current = await state.get_state()
    step = "industry" if current == ClientForm.industry.state else "region"
    rows = await (repo.active_industries(session) if step == "industry" else repo.active_regions(session))
    if rows:
        return await stale(query, i18n)
    await query.answer()
    form = await form_data(state, FORM)
    form[f"{step}_id"] = None
    await _store(state, FORM, form)
    await _client_next(message, state, session, i18n)


async def on_find(query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    await goto(state, ClientForm.search)
    await _ask_client_step("search", message, state, session, i18n)


async def on_search(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    text = (message.text or "").strip()
    if len(text) < SEARCH_MIN_LENGTH:
        await message.answer(i18n("clients-search-too-short"), reply_markup=step_keyboard(i18n))
        return
    if too_long := limits.check_length(text, limits.SEARCH_TEXT):
        await message.answer(
            i18n("limit-search-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    found = await repo.find_contacts(session, actor, text)
    if not found:
        await message.answer(i18n("clients-search-none", query=text), reply_markup=step_keyboard(i18n))
        return
    options = [
        (
            _label(i18n, "clients-contact-option", name=c.full_name, phone=MobilePhone(c.phone).display()),
            ClientFormCb(action="pick", id=c.id),
        )
        for c in found
    ]
    await message.answer(i18n("clients-search-found"), reply_markup=step_keyboard(i18n, options))


async def _add_contact(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
    contact_id: int,
) -> None:
    """A contact chosen or created: linked at once when adding from a card, else kept for the new client."""
    form = await form_data(state, FORM)
    attach_to = form.get("attach_to")
    if attach_to:
        await state.clear()
        if not await repo.link_contact(session, actor, attach_to, contact_id):
            await message.answer(i18n("access-denied"), reply_markup=main_menu(i18n))
            return
        log.info("contact %s linked to client %s by user %s", contact_id, attach_to, user.id)
        await message.answer(i18n("clients-contact-linked"), reply_markup=main_menu(i18n))
        await send_client_card(message, session, user, actor, i18n, attach_to)
        return
    ids = list(form.get("contact_ids", []))
    if contact_id not in ids:
        ids.append(contact_id)
    form["contact_ids"] = ids
    await _store(state, FORM, form)
    if await state.get_state() == ClientForm.search.state:
        await go_back(state)
    else:
        await state.set_state(ClientForm.contacts)
    await _ask_client_step("contacts", message, state, session, i18n)


async def on_pick(
    query: CallbackQuery,
    callback_data: ClientFormCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if not await may_see_contact(session, actor, callback_data.id):
        return await deny(query, i18n)
    await query.answer()
    await _add_contact(message, state, session, user, actor, i18n, callback_data.id)


async def on_new_contact(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    """«➕ Новый контакт»: the contacts form runs inline and comes back through resume_client_with_contact."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    from handlers.legacy.contacts import start_contact_form  # the contacts module; it calls us back

    await query.answer()
    await start_contact_form(message, state, i18n, return_to="client")


async def resume_client_with_contact(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    contact_id: int,
) -> None:
    """The contacts module calls this after saving a contact started with ``return_to="client"``."""
    form = await form_data(state, FORM)
    if not form:
        await state.clear()
        await message.answer(i18n("clients-form-lost"), reply_markup=main_menu(i18n))
        return
    await _add_contact(message, state, session, user, actor, i18n, contact_id)


async def on_done(query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    await _client_next(message, state, session, i18n)


async def on_edit(
    query: CallbackQuery,
    callback_data: ClientFormCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None or callback_data.field not in CLIENT_STEPS:
        return await stale(query, i18n)
    await query.answer()
    form = await form_data(state, FORM)
    form["editing"] = True
    await _store(state, FORM, form)
    await goto(state, CLIENT_STATE[callback_data.field])
    await _ask_client_step(callback_data.field, message, state, session, i18n)


async def on_save(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    form = await form_data(state, FORM)
    if message is None or not form.get("name"):
        return await stale(query, i18n)
    for step, lookup in (("industry", repo.active_industry), ("region", repo.active_region)):
        chosen = form.get(f"{step}_id")
        if chosen is not None and await lookup(session, chosen) is None:
            # Deactivated while the form was open: it cannot be chosen for a new client.
            await query.answer()
            form["editing"] = True
            await _store(state, FORM, form)
            await goto(state, CLIENT_STATE[step])
            await _ask_client_step(step, message, state, session, i18n, i18n("clients-value-deactivated"))
            return
    await query.answer()
    client = await repo.create_client(
        session,
        actor,
        repo.NewClient(
            name=form["name"],
            industry_id=form.get("industry_id"),
            region_id=form.get("region_id"),
            contact_ids=tuple(form.get("contact_ids", [])),
        ),
    )
    log.info("client %s created by user %s", client.id, user.id)
    await state.clear()
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(i18n("clients-saved"), reply_markup=main_menu(i18n))
    await send_client_card(message, session, user, actor, i18n, client.id)


async def on_client_back(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    previous = await go_back(state)
    step = next((s for s, st in CLIENT_STATE.items() if st.state == previous), None)
    if step is None:
        current = await state.get_state()
        step = next((s for s, st in CLIENT_STATE.items() if st.state == current), "name")
    await _ask_client_step(step, message, state, session, i18n)


async def on_add_contact_button(
    query: CallbackQuery,
    callback_data: ClientCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    """«Добавить контактное лицо» on a card: find a contact or create one; it is linked at once."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if await repo.get_visible_client(session, actor, callback_data.id) is None:
        return await deny(query, i18n)
    await query.answer()
    await state.clear()
    await state.update_data({FORM: {"attach_to": callback_data.id}, BACK_KEY: []})
    await state.set_state(ClientForm.contacts)
    await _ask_client_step("contacts", message, state, session, i18n)


async def use_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("clients-use-buttons"))


async def text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("clients-text-expected"))


# ---------------------------------------------------------------------------------------------------------
# Converting into a counterparty, and the route form (same fields, then approver and comment)
# ---------------------------------------------------------------------------------------------------------


def _conv_steps(form: dict[str, Any]) -> tuple[str, ...]:
    return ROUTE_STEPS if form.get("mode") == "route" else CONVERT_STEPS


async def _ask_conv_step(
    step: str,
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    error: str = "",
) -> None:
    form = await form_data(state, CONV)
    prefix = error + "\n\n" if error else ""
    if step == "legal_name":
        options = [
            (_label(i18n, "clients-btn-keep-name", name=form.get("client_name", "")), ConvCb(action="keep"))
        ]
        text = i18n("clients-ask-legal-name", name=form.get("client_name", ""))
        await message.answer(prefix + text, reply_markup=step_keyboard(i18n, options, back=False))
    elif step == "inn":
        await message.answer(prefix + i18n("clients-ask-inn"), reply_markup=step_keyboard(i18n))
    elif step == "kpp":
        await message.answer(prefix + i18n("clients-ask-kpp"), reply_markup=step_keyboard(i18n, skip=True))
    elif step == "kind":
        options = [
            (i18n(f"clients-kind-{kind}"), ConvCb(action="kind", value=kind.value))
            for kind in CounterpartyKind
        ]
        await message.answer(prefix + i18n("clients-ask-kind"), reply_markup=step_keyboard(i18n, options))
    elif step == "approver":
        people = await repo.approvers(session, exclude_id=user.id)
        if not people:
            await message.answer(prefix + i18n("clients-no-approvers"), reply_markup=step_keyboard(i18n))
            return
        options = [
            (
                _label(i18n, "clients-option", name=p.full_name or str(p.id)),
                ConvCb(action="approver", value=str(p.id)),
            )
            for p in people
        ]
        await message.answer(prefix + i18n("clients-ask-approver"), reply_markup=step_keyboard(i18n, options))
    elif step == "comment":
        await message.answer(
            prefix + i18n("clients-ask-comment"), reply_markup=step_keyboard(i18n, skip=True)
        )
    else:
        await _show_conv_summary(message, session, i18n, form)


async def _show_conv_summary(
    message: Message, session: AsyncSession, i18n: Translator, form: dict[str, Any]
) -> None:
    none = i18n("clients-value-none")
    text = i18n(
        "clients-conv-summary",
        client=form.get("client_name", ""),
        legal_name=form.get("legal_name", ""),
        inn=form.get("inn", ""),
        kpp=form.get("kpp") or none,
        kind=i18n(f"clients-kind-{form.get('kind', 'customer')}"),
    )
    steps = _conv_steps(form)
    if form.get("mode") == "route":
        approver = await session.get(User, form.get("approver_id") or 0)
        text += "\n" + i18n(
            "clients-route-summary",
            approver=approver.full_name if approver else none,
            comment=form.get("comment") or none,
        )
        save = "clients-btn-send-route"
    else:
        save = "clients-btn-create-counterparty"
    options: list[tuple[str, CallbackData]] = [(i18n(save), ConvCb(action="save"))]
    options += [
        (i18n(f"clients-btn-edit-{step.replace('_', '-')}"), ConvCb(action="edit", value=step))
        for step in steps
    ]
    await message.answer(text, reply_markup=step_keyboard(i18n, options, back=True))


async def _conv_next(
    message: Message, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    form = await form_data(state, CONV)
    steps = _conv_steps(form)
    current = await state.get_state()
    done = [step for step in steps if CONV_STATE[step].state == current]
    index = steps.index(done[0]) + 1 if done else 0
    step = "summary" if form.get("editing") or index >= len(steps) else steps[index]
    await goto(state, CONV_STATE[step])
    await _ask_conv_step(step, message, state, session, user, i18n)


async def _start_conv(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    client: Client,
    mode: str,
) -> None:
    await state.clear()
    await state.update_data(
        {CONV: {"mode": mode, "client_id": client.id, "client_name": client.name}, BACK_KEY: []}
    )
    await state.set_state(ConvertForm.legal_name)
    await _ask_conv_step("legal_name", message, state, session, user, i18n)


async def on_convert_button(
    query: CallbackQuery,
    callback_data: ClientCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    """«🏢 В контрагенты»: only with the permission to convert (SPEC "Access"); a forged press is refused."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    client = await repo.get_visible_client(session, actor, callback_data.id)
    if client is None:
        return await deny(query, i18n)
    if not await repo.user_may_convert(session, user.id):
        return await deny(query, i18n, "clients-convert-denied")
    if await _refuse_if_done(query, session, i18n, client.id):
        return
    await query.answer()
    await _start_conv(message, state, session, user, i18n, client, "convert")


async def on_route_button(
    query: CallbackQuery,
    callback_data: ClientCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
) -> None:
    """«📨 Отправить по маршруту»: for users without the permission (those with it convert directly)."""
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    client = await repo.get_visible_client(session, actor, callback_data.id)
    if client is None:
        return await deny(query, i18n)
    if await repo.user_may_convert(session, user.id):
        return await deny(query, i18n, "clients-route-not-needed")
    if await _refuse_if_done(query, session, i18n, client.id):
        return
    await query.answer()
    await _start_conv(message, state, session, user, i18n, client, "route")


async def _refuse_if_done(
    query: CallbackQuery, session: AsyncSession, i18n: Translator, client_id: int
) -> bool:
    """A client that already has a counterparty, or a pending route, is not converted again."""
    existing = await repo.counterparty_of(session, client_id)
    if existing is not None:
        await query.answer(
            i18n("clients-already-counterparty", legal_name=Html(existing.legal_name)), show_alert=True
        )
        return True
    pending = await routes.pending_route_of(session, client_id)
    if pending is not None:
        approver = await session.get(User, pending.approver_id)
        name = approver.full_name if approver else ""
        await query.answer(i18n("clients-route-pending-exists", approver=Html(name)), show_alert=True)
        return True
    return False


async def on_keep_name(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    message = message_of(query)
    form = await form_data(state, CONV)
    if message is None or not form.get("client_name"):
        return await stale(query, i18n)
    try:
        legal = LegalName.parse(form["client_name"])
    except ValidationError as error:
        await query.answer(_error(i18n, error), show_alert=True)
        return
    await query.answer()
    form["legal_name"] = legal.value
    await _store(state, CONV, form)
    await _conv_next(message, state, session, user, i18n)


async def on_conv_text(
    message: Message, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    """Typed answers: legal name, INN, KPP, comment — each parsed by the domain; bad input re-asks."""
    current = await state.get_state()
    step = next(s for s, st in CONV_STATE.items() if st.state == current)
    text = message.text or ""
    form = await form_data(state, CONV)
    try:
        if step == "legal_name":
            form["legal_name"] = LegalName.parse(text).value
        elif step == "inn":
            form["inn"] = Inn.parse(text).value
        elif step == "kpp":
            form["kpp"] = Kpp.parse(text).value
        else:
            form["comment"] = route_comment(text)
    except ValidationError as error:
        await _ask_conv_step(step, message, state, session, user, i18n, _error(i18n, error))
        return
    limit = {"legal_name": limits.LEGAL_NAME, "comment": limits.ROUTE_COMMENT}.get(step)
    if limit is not None and (too_long := limits.check_length(str(form[step]), limit)):
        await _ask_conv_step(
            step,
            message,
            state,
            session,
            user,
            i18n,
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
        )
        return
    await _store(state, CONV, form)
    await _conv_next(message, state, session, user, i18n)


async def on_conv_skip(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    form = await form_data(state, CONV)
    form["kpp" if await state.get_state() == ConvertForm.kpp.state else "comment"] = None
    await _store(state, CONV, form)
    await _conv_next(message, state, session, user, i18n)


async def on_kind(
    query: CallbackQuery,
    callback_data: ConvCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None or callback_data.value not in set(CounterpartyKind):
        return await stale(query, i18n)
    await query.answer()
    form = await form_data(state, CONV)
    form["kind"] = callback_data.value
    await _store(state, CONV, form)
    await _conv_next(message, state, session, user, i18n)


async def on_approver(
    query: CallbackQuery,
    callback_data: ConvCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    message = message_of(query)
    approver_id = parse_id(callback_data.value)
    if message is None or approver_id is None:
        return await stale(query, i18n)
    if approver_id == user.id or not await repo.user_may_convert(session, approver_id):
        return await deny(query, i18n, "clients-approver-invalid")
    await query.answer()
    form = await form_data(state, CONV)
    form["approver_id"] = approver_id
    await _store(state, CONV, form)
    await _conv_next(message, state, session, user, i18n)


async def on_conv_edit(
    query: CallbackQuery,
    callback_data: ConvCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    message = message_of(query)
    form = await form_data(state, CONV)
    if message is None or callback_data.value not in _conv_steps(form):
        return await stale(query, i18n)
    await query.answer()
    form["editing"] = True
    await _store(state, CONV, form)
    await goto(state, CONV_STATE[callback_data.value])
    await _ask_conv_step(callback_data.value, message, state, session, user, i18n)


async def on_conv_back(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    previous = await go_back(state) or await state.get_state()
    step = next((s for s, st in CONV_STATE.items() if st.state == previous), "legal_name")
    await _ask_conv_step(step, message, state, session, user, i18n)


def _draft(form: dict[str, Any]) -> repo.CounterpartyDraft | None:
    if not all(form.get(key) for key in ("client_id", "legal_name", "inn", "kind")):
        return None
    return repo.CounterpartyDraft(
        form["legal_name"], form["inn"], form.get("kpp"), CounterpartyKind(form["kind"])
    )


async def on_conv_save(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    message = message_of(query)
    form = await form_data(state, CONV)
    draft = _draft(form)
    if message is None or draft is None:
        return await stale(query, i18n)
    client_id = int(form["client_id"])
    if form.get("mode") == "route":
        return await _send_route(query, message, state, session, user, actor, i18n, i18n_hub, form, draft)
    try:
        counterparty = await repo.convert_client(session, actor, client_id, draft)
    except repo.NotAllowed:
        await state.clear()
        return await deny(query, i18n, "clients-convert-denied")
    except repo.AlreadyCounterparty as exc:
        await state.clear()
        await query.answer()
        await message.answer(i18n("clients-already-counterparty", legal_name=exc.counterparty.legal_name))
        return
    except repo.InnTaken as exc:
        await query.answer()
        await _inn_taken(message, state, session, user, i18n, exc)
        return
    log.info("client %s converted into counterparty %s by user %s", client_id, counterparty.id, user.id)
    await query.answer()
    await state.clear()
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(
        i18n("clients-converted", legal_name=counterparty.legal_name, inn=counterparty.inn),
        reply_markup=main_menu(i18n),
    )
    await send_client_card(message, session, user, actor, i18n, client_id)


async def _inn_taken(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    exc: repo.InnTaken,
) -> None:
    """«Контрагент с таким ИНН уже есть»: back to the INN step, the rest of the answers kept."""
    form = await form_data(state, CONV)
    form["editing"] = True
    await _store(state, CONV, form)
    await goto(state, ConvertForm.inn)
    error = i18n("clients-inn-taken", legal_name=exc.counterparty.legal_name, inn=exc.counterparty.inn)
    await _ask_conv_step("inn", message, state, session, user, i18n, error)


# ---------------------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------------------


def decision_buttons(i18n: Translator, route_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=i18n("clients-btn-approve"), callback_data=RouteCb(action="approve", id=route_id).pack()
        ),
        InlineKeyboardButton(
            text=i18n("clients-btn-reject"), callback_data=RouteCb(action="reject", id=route_id).pack()
        ),
    ]


async def route_request_text(
    session: AsyncSession, i18n: Translator, approver: User, route: ClientRoute
) -> str | None:
    """What the approver gets: the client card summary (contact persons masked unless they may see them),
    the counterparty's details and the requester's comment."""
    actor = Actor(approver.id, Role(approver.role), approver.team_id)
    card = await repo.client_card(session, actor, route.client_id, for_approver=True)
    requester = await session.get(User, route.requester_id)
    if card is None:
        return None
    none = i18n("clients-value-none")
    return i18n(
        "clients-route-request",
        requester=requester.full_name if requester else none,
        card=Html(_card_text(i18n, card)),
        legal_name=route.legal_name,
        inn=route.inn,
        kpp=route.kpp or none,
        kind=i18n(f"clients-kind-{route.kind}"),
        comment=route.comment or none,
    )


async def _send_route(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
    i18n_hub: TranslatorHub,
    form: dict[str, Any],
    draft: repo.CounterpartyDraft,
) -> None:
    approver_id = form.get("approver_id")
    if not approver_id:
        return await stale(query, i18n)
    request = routes.RouteRequest(int(form["client_id"]), int(approver_id), draft, form.get("comment"))
    try:
        route = await routes.request_route(session, actor, request)
    except repo.NotAllowed:
        if await repo.get_visible_client(session, actor, request.client_id) is None:
            await state.clear()
            return await deny(query, i18n)
        await query.answer()
        form["editing"] = True
        await _store(state, CONV, form)
        await goto(state, ConvertForm.approver)
        await _ask_conv_step(
            "approver", message, state, session, user, i18n, i18n("clients-approver-invalid")
        )
        return
    except routes.RoutePending as exc:
        await state.clear()
        approver = await session.get(User, exc.approver_id)
        await query.answer()
        await message.answer(
            i18n("clients-route-pending-exists", approver=approver.full_name if approver else ""),
            reply_markup=main_menu(i18n),
        )
        return
    except repo.AlreadyCounterparty as exc:
        await state.clear()
        await query.answer()
        await message.answer(i18n("clients-already-counterparty", legal_name=exc.counterparty.legal_name))
        return
    except repo.InnTaken as exc:
        await query.answer()
        await _inn_taken(message, state, session, user, i18n, exc)
        return
    log.info(
        "route %s for client %s sent by user %s to user %s", route.id, route.client_id, user.id, approver_id
    )
    await query.answer()
    await state.clear()
    await message.edit_reply_markup(reply_markup=None)
    approver = await session.get(User, route.approver_id)
    assert approver is not None
    await message.answer(
        i18n("clients-route-sent", approver=approver.full_name, client=form.get("client_name", "")),
        reply_markup=main_menu(i18n),
    )


async def on_route_show(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, i18n: Translator
) -> None:
    """From /today: the request again, with its buttons, for its approver while it is pending."""
    message = message_of(query)
    route = await routes.get_route(session, callback_data.id)
    if message is None or route is None or route.status != "pending" or route.approver_id != user.id:
        return await deny(query, i18n, "clients-route-decided")
    text = await route_request_text(session, i18n, user, route)
    if text is None:
        return await stale(query, i18n)
    await query.answer()
    await message.answer(
        text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[decision_buttons(i18n, route.id)])
    )


async def on_approve(
    query: CallbackQuery,
    callback_data: RouteCb,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    """«✅ Одобрить»: one conditional update decides; anyone but the approver, or a second press, gets
    "already decided / not yours" and nothing changes."""
    message = message_of(query)
    try:
        approved = await routes.approve_route(session, callback_data.id, user.id)
    except routes.NotDecidable:
        return await deny(query, i18n, "clients-route-decided")
    except repo.NotAllowed:
        return await deny(query, i18n, "clients-convert-denied")
    except repo.AlreadyCounterparty as exc:
        await query.answer(
            i18n("clients-already-counterparty", legal_name=Html(exc.counterparty.legal_name)),
            show_alert=True,
        )
        return
    except repo.InnTaken as exc:
        text = i18n(
            "clients-inn-taken", legal_name=Html(exc.counterparty.legal_name), inn=exc.counterparty.inn
        )
        await query.answer(text, show_alert=True)
        return
    route, counterparty, client = approved.route, approved.counterparty, approved.client
    log.info("route %s approved by user %s: counterparty %s", route.id, user.id, counterparty.id)
    await query.answer()
    if message is not None:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(
            i18n("clients-route-approved-you", legal_name=counterparty.legal_name, client=client.name)
        )


async def on_reject(
    query: CallbackQuery,
    callback_data: RouteCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """«✖️ Отклонить»: asks the reason; the decision itself happens when the reason arrives."""
    message = message_of(query)
    route = await routes.get_route(session, callback_data.id)
    if message is None or route is None or route.status != "pending" or route.approver_id != user.id:
        return await deny(query, i18n, "clients-route-decided")
    await query.answer()
    requester = await session.get(User, route.requester_id)
    await state.clear()
    await state.update_data({REJECT: route.id})
    await state.set_state(RouteRejectForm.reason)
    await message.answer(
        i18n("clients-ask-reject-reason", requester=requester.full_name if requester else ""),
        reply_markup=step_keyboard(i18n, back=False),
    )


async def on_reject_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    try:
        reason = reject_reason(message.text or "")
    except ValidationError as error:
        await message.answer(_error(i18n, error), reply_markup=step_keyboard(i18n, back=False))
        return
    if too_long := limits.check_length(reason, limits.REASON):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n, back=False),
        )
        return
    route_id = int((await state.get_data()).get(REJECT) or 0)
    await state.clear()
    try:
        route = await routes.reject_route(session, route_id, user.id, reason)
    except routes.NotDecidable:
        await message.answer(i18n("clients-route-decided"), reply_markup=main_menu(i18n))
        return
    log.info("route %s rejected by user %s", route.id, user.id)
    requester = await session.get(User, route.requester_id)
    await message.answer(
        i18n("clients-route-rejected-you", requester=requester.full_name if requester else ""),
        reply_markup=main_menu(i18n),
    )


async def on_withdraw(
    query: CallbackQuery,
    callback_data: RouteCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    """«Отозвать»: the requester takes the route back while it is pending (a conditional update)."""
    message = message_of(query)
    try:
        route = await routes.withdraw_route(session, callback_data.id, user.id)
    except routes.NotDecidable:
        return await deny(query, i18n, "clients-route-decided")
    log.info("route %s withdrawn by user %s", route.id, user.id)
    await query.answer(i18n("clients-route-withdrawn"))
    if message is not None:
        await send_client_card(
            message, session, user, actor, i18n, route.client_id, prefix=i18n("clients-route-withdrawn")
        )


async def pending_routes_block(
    session: AsyncSession, i18n: Translator, approver: User, settings: Settings
) -> tuple[str, list[list[InlineKeyboardButton]]] | None:
    """For /today: the routes waiting for ``approver``'s decision, each with a button that shows the request
    again with «Одобрить» / «Отклонить»; ``None`` when there are none."""
    pending = await routes.pending_routes_for(session, approver.id)
    if not pending:
        return None
    zone = _zone(approver, settings)
    people = await routes.users_by_ids(session, *{r.requester_id for r in pending})
    clients = await repo.clients_by_ids(session, {r.client_id for r in pending})
    lines = [i18n("clients-today-routes-title", count=len(pending))]
    rows: list[list[InlineKeyboardButton]] = []
    for route in pending:
        client = clients.get(route.client_id)
        name = client.name if client else ""
        requester = people.get(route.requester_id)
        lines.append(
            i18n(
                "clients-today-route",
                client=name,
                requester=requester.full_name if requester else "",
                date=route.created_at.astimezone(zone).strftime("%d.%m.%Y"),
            )
        )
        rows.append(
            [
                InlineKeyboardButton(
                    text=_label(i18n, "clients-btn-show-route", client=name),
                    callback_data=RouteCb(action="show", id=route.id).pack(),
                )
            ]
        )
    return "\n".join(lines), rows


# ---------------------------------------------------------------------------------------------------------
# Router
# ---------------------------------------------------------------------------------------------------------


def create_router() -> Router:
    router = Router(name="clients")
    client_form = StateFilter(ClientForm)
    conv_form = StateFilter(ConvertForm)
    router.message.register(list_clients, Command("clients"))
    router.message.register(list_clients, MenuButton("clients"))
    router.callback_query.register(list_page, PageCb.filter(F.kind == LIST_KIND))
    router.callback_query.register(open_card, ClientCb.filter(F.action == "open"))
    router.callback_query.register(open_counterparty, ClientCb.filter(F.action == "party"))
    router.callback_query.register(on_new_button, ClientCb.filter(F.action == "new"))
    router.callback_query.register(on_add_contact_button, ClientCb.filter(F.action == "add"))
    router.callback_query.register(on_mark_lost, ClientCb.filter(F.action.in_({"lost", "unlost"})))
    router.callback_query.register(on_convert_button, ClientCb.filter(F.action == "convert"))
    router.callback_query.register(on_route_button, ClientCb.filter(F.action == "route"))
    router.callback_query.register(on_route_show, RouteCb.filter(F.action == "show"))
    router.callback_query.register(on_approve, RouteCb.filter(F.action == "approve"))
    router.callback_query.register(on_reject, RouteCb.filter(F.action == "reject"))
    router.callback_query.register(on_withdraw, RouteCb.filter(F.action == "withdraw"))

    # The new-client form
    router.callback_query.register(on_client_back, NavCb.filter(F.action == "back"), client_form)
    router.callback_query.register(
        on_skip_directory,
        NavCb.filter(F.action == "skip"),
        StateFilter(ClientForm.industry, ClientForm.region),
    )
    router.callback_query.register(
        on_directory, ClientFormCb.filter(F.action == "industry"), ClientForm.industry
    )
    router.callback_query.register(on_directory, ClientFormCb.filter(F.action == "region"), ClientForm.region)
    router.callback_query.register(on_find, ClientFormCb.filter(F.action == "find"), ClientForm.contacts)
    router.callback_query.register(
        on_new_contact, ClientFormCb.filter(F.action == "new"), ClientForm.contacts
    )
    router.callback_query.register(
        on_pick, ClientFormCb.filter(F.action == "pick"), StateFilter(ClientForm.search, ClientForm.contacts)
    )
    router.callback_query.register(on_done, ClientFormCb.filter(F.action == "done"), ClientForm.contacts)
    router.callback_query.register(on_edit, ClientFormCb.filter(F.action == "edit"), ClientForm.summary)
    router.callback_query.register(on_save, ClientFormCb.filter(F.action == "save"), ClientForm.summary)
    router.message.register(on_name, ClientForm.name, FormInput(), F.text)
    router.message.register(on_search, ClientForm.search, FormInput(), F.text)
    router.message.register(text_expected, StateFilter(ClientForm.name, ClientForm.search), FormInput())
    router.message.register(use_buttons, client_form, FormInput())

    # Converting / the route form
    router.callback_query.register(on_conv_back, NavCb.filter(F.action == "back"), conv_form)
    router.callback_query.register(
        on_conv_skip, NavCb.filter(F.action == "skip"), StateFilter(ConvertForm.kpp, ConvertForm.comment)
    )
    router.callback_query.register(on_keep_name, ConvCb.filter(F.action == "keep"), ConvertForm.legal_name)
    router.callback_query.register(on_kind, ConvCb.filter(F.action == "kind"), ConvertForm.kind)
    router.callback_query.register(on_approver, ConvCb.filter(F.action == "approver"), ConvertForm.approver)
    router.callback_query.register(on_conv_edit, ConvCb.filter(F.action == "edit"), ConvertForm.summary)
    router.callback_query.register(on_conv_save, ConvCb.filter(F.action == "save"), ConvertForm.summary)
    text_steps = StateFilter(ConvertForm.legal_name, ConvertForm.inn, ConvertForm.kpp, ConvertForm.comment)
    router.message.register(on_conv_text, text_steps, FormInput(), F.text)
    router.message.register(text_expected, text_steps, FormInput())
    router.message.register(use_buttons, conv_form, FormInput())

    # Rejecting a route: the reason
    router.message.register(on_reject_reason, RouteRejectForm.reason, FormInput(), F.text)
    router.message.register(text_expected, RouteRejectForm.reason, FormInput())
    return router


__all__ = [
    "ClientCb",
    "RouteCb",
    "create_router",
    "extra_card_rows",
    "pending_routes_block",
    "resume_client_with_contact",
    "send_client_card",
    "send_counterparty_card",
]
