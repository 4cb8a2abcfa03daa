"""Leads (R1): ``/new_lead``, the lead card with its actions, and ``/leads``.

The form keeps its answers under the FSM key ``lead_form`` and never touches other keys, so the contacts
module can run its own form inside it («➕ Новый контакт») and hand the new contact back through
:func:`resume_lead_with_contact`. Every button re-checks rights from the database (R1c, SPEC "Access").
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
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ContactCb, LeadCb, NavCb, PageCb, PickCb, RecordId
from bot.cards import clipped, is_clipped, send_full_text, with_show_full
from bot.forms import (
    FormInput,
    deny,
    form_data,
    go_back,
    goto,
    message_of,
    nav_rows,
    pager_row,
    stale,
    step_keyboard,
    update_form,
)
from bot.i18n import Html, Translator, TranslatorHub
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.models import Contact, User
from db.repo import leads as repo
from db.repo import people
from db.repo.visibility import may_act, may_see, may_see_contact
from domain import limits
from domain.access import Actor, Role
from domain.leads import LeadStatus
from domain.values import MobilePhone
from handlers.legacy.records import with_record_rows

log = logging.getLogger(__name__)

FORM = "lead_form"
REJECT = "lead_reject"
DESCRIPTION_LENGTH = (limits.LEAD_DESCRIPTION_MIN, limits.LEAD_DESCRIPTION)
REASON_LENGTH = (limits.REASON_MIN, limits.REASON)
SEARCH_MIN_LENGTH = 2
MANAGES_TEAM = frozenset({Role.TEAM_LEAD, Role.ADMIN})


class LeadForm(StatesGroup):
    contact = State()
    search = State()
    source = State()
    group = State()
    description = State()
    responsible = State()
    summary = State()


class RejectForm(StatesGroup):
    reason = State()


class LeadFormCb(CallbackData, prefix="lf"):
    """Buttons of the lead form: find | recent | new (contact step), save | edit (summary)."""

    action: str
    field: str = ""


class ReassignCb(CallbackData, prefix="lra"):
    lead: RecordId
    user: RecordId


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def _zone(user: User | None, settings: Settings) -> ZoneInfo:
    return ZoneInfo((user.timezone if user else None) or settings.default_timezone)


def _phone(contact: Contact) -> str:
    """Stored phones are E.164 (R4a); shown in the international format."""
    return MobilePhone(contact.phone).display()


async def _form(state: FSMContext) -> dict[str, Any]:
    return await form_data(state, FORM)


async def _update(state: FSMContext, **values: Any) -> dict[str, Any]:
    return await update_form(state, FORM, **values)


# ---------------------------------------------------------------------------------------------------------
# The form's steps: each "ask" says what it wants; "back" and "edit" re-ask through ASKERS
# ---------------------------------------------------------------------------------------------------------


async def ask_contact(message: Message, i18n: Translator, **_: Any) -> None:
    options = [
        (i18n("lead-btn-find"), LeadFormCb(action="find")),
        (i18n("lead-btn-recent"), LeadFormCb(action="recent")),
        (i18n("lead-btn-new-contact"), LeadFormCb(action="new")),
    ]
    await message.answer(i18n("lead-ask-contact"), reply_markup=step_keyboard(i18n, options, back=False))


async def ask_search(message: Message, i18n: Translator, **_: Any) -> None:
    await message.answer(i18n("lead-ask-search"), reply_markup=step_keyboard(i18n))


async def ask_source(
    message: Message, session: AsyncSession, i18n: Translator, state: FSMContext, **_: Any
) -> None:
    form = await _form(state)
    contact = await repo.get_contact(session, int(form.get("contact_id", 0)))
    sources = await repo.active_sources(session)
    options = [
        (i18n.plain("lead-option", name=source.name), PickCb(field="source", id=source.id))
        for source in sources
    ]
    await message.answer(
        i18n("lead-ask-source", contact=contact.full_name if contact else "—"),
        reply_markup=step_keyboard(i18n, options, columns=2),
    )


async def ask_group(message: Message, session: AsyncSession, i18n: Translator, **_: Any) -> None:
    groups = await repo.active_groups(session)
    options = [
        (i18n.plain("lead-option", name=group.name), PickCb(field="group", id=group.id)) for group in groups
    ]
    await message.answer(i18n("lead-ask-group"), reply_markup=step_keyboard(i18n, options, skip=True))


async def ask_description(message: Message, i18n: Translator, **_: Any) -> None:
    await message.answer(
        i18n("lead-ask-description", min=DESCRIPTION_LENGTH[0], max=DESCRIPTION_LENGTH[1]),
        reply_markup=step_keyboard(i18n),
    )


async def ask_responsible(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, **_: Any
) -> None:
    users = await repo.assignable_users(session, actor)
    options = [(i18n("lead-btn-myself"), PickCb(field="user", id=actor.user_id))]
    options += [
        (
            i18n.plain("lead-option", name=user.full_name or str(user.telegram_id)),
            PickCb(field="user", id=user.id),
        )
        for user in users
        if user.id != actor.user_id
    ]
    await message.answer(i18n("lead-ask-responsible"), reply_markup=step_keyboard(i18n, options))


async def ask_summary(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext, **_: Any
) -> None:
    form = await _update(state, editing=False)
    contact = await repo.get_contact(session, int(form.get("contact_id", 0)))
    source = await repo.active_source(session, int(form.get("source_id", 0)))
    group = await repo.active_group(session, int(form["group_id"])) if form.get("group_id") else None
    responsible = await people.get_user(session, int(form.get("responsible_id", actor.user_id)))
    text = i18n(
        "lead-summary",
        contact=contact.full_name if contact else "—",
        source=source.name if source else "—",
        group=group.name if group else i18n("lead-group-none"),
        description=clipped(form.get("description", ""), limits.LEAD_DESCRIPTION),
        responsible=responsible.full_name if responsible else "—",
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("btn-save"), callback_data=LeadFormCb(action="save"))
    fields = ["contact", "source", "group", "description"]
    if actor.role in MANAGES_TEAM:
        fields.append("responsible")
    for field in fields:
        builder.button(
            text=i18n(f"lead-btn-edit-{field}"), callback_data=LeadFormCb(action="edit", field=field)
        )
    builder.adjust(1, 2)
    for row in nav_rows(i18n):
        builder.row(*row)
    await message.answer(text, reply_markup=builder.as_markup())


ASKERS = {
    LeadForm.contact.state: ask_contact,
    LeadForm.search.state: ask_search,
    LeadForm.source.state: ask_source,
    LeadForm.group.state: ask_group,
    LeadForm.description.state: ask_description,
    LeadForm.responsible.state: ask_responsible,
    LeadForm.summary.state: ask_summary,
}
EDITABLE = {
    "contact": LeadForm.contact,
    "source": LeadForm.source,
    "group": LeadForm.group,
    "description": LeadForm.description,
    "responsible": LeadForm.responsible,
}


async def _show(step: State, message: Message, state: FSMContext, **deps: Any) -> None:
    await goto(state, step)
    await ASKERS[str(step.state)](message, state=state, **deps)


async def _advance(next_step: State, message: Message, state: FSMContext, **deps: Any) -> None:
    """Go to the next step, or straight back to the summary when a field was changed from it."""
    form = await _form(state)
    await _show(LeadForm.summary if form.get("editing") else next_step, message, state, **deps)


def _after_description(actor: Actor) -> State:
    return LeadForm.responsible if actor.role in MANAGES_TEAM else LeadForm.summary


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


async def start_lead_form(message: Message, state: FSMContext, actor: Actor, i18n: Translator) -> None:
    await state.set_state(None)
    await state.update_data({FORM: {"responsible_id": actor.user_id}, "_back": []})
    await goto(state, LeadForm.contact)
    await ask_contact(message, i18n)


async def start_from_contact(
    query: CallbackQuery,
    callback_data: ContactCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """A lead on a contact from its card or from the R5b duplicate screen.

    SPEC "Access": the contact must be one the manager may see, or (R5b) the existing contact that the
    contact form has just refused as a duplicate of what this manager typed; the lead then makes it visible
    to its owner. Any other id, forged or stale, gets the out-of-date answer and reveals nothing.
    """
    from handlers.legacy.contacts import (
        offered_duplicate,  # imported here: the contacts form calls back into us
    )

    message = message_of(query)
    known = await offered_duplicate(state, callback_data.id)
    if message is None or not await repo.may_start_lead_on(session, actor, callback_data.id, known):
        await stale(query, i18n)
        return
    await query.answer()
    await state.set_state(None)
    await state.update_data({FORM: {"responsible_id": actor.user_id}, "_back": []})
    await resume_lead_with_contact(message, state, session, user, actor, settings, i18n, callback_data.id)


async def resume_lead_with_contact(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    contact_id: int,
) -> None:
    """Set the lead's contact and continue the form (the contacts module calls this after a new contact)."""
    form = await _form(state)
    form["contact_id"] = contact_id
    form.setdefault("responsible_id", actor.user_id)
    await state.update_data({FORM: form, "_back": [LeadForm.contact.state]})
    step = LeadForm.summary if form.get("editing") else LeadForm.source
    await state.set_state(step)
    await ASKERS[str(step.state)](message, state=state, session=session, actor=actor, i18n=i18n)


# ---------------------------------------------------------------------------------------------------------
# Step handlers
# ---------------------------------------------------------------------------------------------------------


async def on_find(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    await _show(LeadForm.search, message, state, i18n=i18n)


async def _contact_choice(message: Message, i18n: Translator, contacts: list[Contact], key: str) -> None:
    options = [
        (
            i18n.plain("lead-contact-option", name=contact.full_name, phone=_phone(contact)),
            PickCb(field="contact", id=contact.id),
        )
        for contact in contacts
    ]
    await message.answer(i18n(key), reply_markup=step_keyboard(i18n, options))


async def on_recent(query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    contacts = await repo.recent_contacts(session, actor)
    if not contacts:
        await message.answer(i18n("lead-recent-none"))
        await ask_contact(message, i18n)
        return
    await _contact_choice(message, i18n, contacts, "lead-recent-found")


async def on_new_contact(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    from handlers.legacy.contacts import (
        start_contact_form,  # imported here: the contacts form calls back into us
    )

    await query.answer()
    await start_contact_form(message, state, i18n, return_to="lead")


async def on_search(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    text = (message.text or "").strip()
    if len(text) < SEARCH_MIN_LENGTH:
        await message.answer(i18n("lead-search-too-short"), reply_markup=step_keyboard(i18n))
        return
    if too_long := limits.check_length(text, limits.SEARCH_TEXT):
        await message.answer(
            i18n("limit-search-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    contacts = await repo.find_visible_contacts(session, actor, text)
    if not contacts:
        await message.answer(i18n("lead-search-none", query=text), reply_markup=step_keyboard(i18n))
        return
    await _contact_choice(message, i18n, contacts, "lead-search-found")


async def on_contact_picked(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if not await may_see_contact(session, actor, callback_data.id):
        return await deny(query, i18n)
    await query.answer()
    await _update(state, contact_id=callback_data.id)
    await _advance(LeadForm.source, message, state, session=session, actor=actor, i18n=i18n)


async def on_source(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None or await repo.active_source(session, callback_data.id) is None:
        return await stale(query, i18n)
    await query.answer()
    await _update(state, source_id=callback_data.id)
    await _advance(LeadForm.group, message, state, session=session, actor=actor, i18n=i18n)


async def on_group(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None or await repo.active_group(session, callback_data.id) is None:
        return await stale(query, i18n)
    await query.answer()
    await _update(state, group_id=callback_data.id)
    await _advance(LeadForm.description, message, state, session=session, actor=actor, i18n=i18n)


async def on_skip_group(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    await _update(state, group_id=None)
    await _advance(LeadForm.description, message, state, session=session, actor=actor, i18n=i18n)


async def on_description(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    text = (message.text or "").strip()
    low, high = DESCRIPTION_LENGTH
    length = limits.rendered_length(text)
    if len(text) < low or length > high:
        key = "lead-description-too-short" if len(text) < low else "lead-description-too-long"
        await message.answer(i18n(key, min=low, max=high, length=length), reply_markup=step_keyboard(i18n))
        return
    await _update(state, description=text)
    await _advance(_after_description(actor), message, state, session=session, actor=actor, i18n=i18n)


async def on_responsible(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    if await repo.assignable_user(session, actor, callback_data.id) is None:
        return await deny(query, i18n)
    await query.answer()
    await _update(state, responsible_id=callback_data.id)
    await _show(LeadForm.summary, message, state, session=session, actor=actor, i18n=i18n)


async def on_edit(
    query: CallbackQuery,
    callback_data: LeadFormCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    step = EDITABLE.get(callback_data.field)
    if message is None or step is None or (step is LeadForm.responsible and actor.role not in MANAGES_TEAM):
        return await stale(query, i18n)
    await query.answer()
    await _update(state, editing=True)
    await _show(step, message, state, session=session, actor=actor, i18n=i18n)


async def on_save(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    form = await _form(state)
    if not all(form.get(key) for key in ("contact_id", "source_id", "description", "responsible_id")):
        return await stale(query, i18n)
    from handlers.legacy.contacts import (
        offered_duplicate,  # imported here: the contacts form calls back into us
    )

    contact_id = int(form["contact_id"])
    lead = await repo.create_lead(
        session,
        actor=actor,
        known=await offered_duplicate(state, contact_id),
        contact_id=contact_id,
        source_id=int(form["source_id"]),
        product_group_id=int(form["group_id"]) if form.get("group_id") else None,
        description=str(form["description"]),
        responsible_id=int(form["responsible_id"]),
    )
    if lead is None:
        await query.answer(i18n("lead-save-failed"), show_alert=True)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await state.clear()
    log.info("lead %s created by user %s", lead.id, actor.user_id)
    await message.answer(i18n("lead-saved"), reply_markup=main_menu(i18n))
    await send_lead_card(message, session, actor, settings, i18n, lead.id)


async def on_back(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    await query.answer()
    previous = await go_back(state)
    if previous is None:
        previous = LeadForm.contact.state
        await state.set_state(previous)
    await ASKERS[previous](message, state=state, session=session, actor=actor, i18n=i18n)


async def use_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("lead-use-buttons"))


async def text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("lead-text-expected"))


# ---------------------------------------------------------------------------------------------------------
# The card and its actions
# ---------------------------------------------------------------------------------------------------------


async def send_lead_card(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings, i18n: Translator, lead_id: int
) -> None:
    """The lead card, with the actions the reader may take (the actions re-check rights when pressed)."""
    card = await repo.lead_card(session, lead_id, settings.comment_policy)
    if card is None:
        await message.answer(i18n("button-stale"))
        return
    lead, contact = card.lead, card.lead.contact
    zone = _zone(await people.get_user(session, actor.user_id), settings)
    last = card.last_qualifying
    text = i18n(
        "lead-card",
        id=lead.id,
        status=i18n(f"lead-status-{lead.status}"),
        contact=clipped(contact.full_name, limits.CARD_NAME),
        phone=_phone(contact),
        source=clipped(card.source, limits.CARD_NAME),
        group=clipped(card.group, limits.CARD_NAME) or i18n("lead-group-none"),
        description=clipped(lead.description),
        responsible=clipped(card.responsible.full_name, limits.CARD_NAME),
        created=lead.created_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
        interactions=card.interactions,
        last=Html(
            i18n(
                "lead-card-last",
                kind=i18n(f"kind-{last.kind}"),
                at=last.occurred_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
            )
            if last
            else i18n("lead-card-last-none")
        ),
    )
    if lead.status == LeadStatus.REJECTED.value and lead.reject_reason:
        text += "\n" + i18n("lead-card-reject-reason", reason=clipped(lead.reject_reason, limits.CARD_REASON))
    markup = _card_keyboard(i18n, actor, lead.id, lead.status)
    markup = await with_record_rows(session, actor, i18n, "lead", lead.id, markup)
    if is_clipped(lead.description):
        markup = with_show_full(i18n, markup, LeadCb(action="full", id=lead.id))
    await message.answer(text, reply_markup=markup)


async def _visible_card(
    query: CallbackQuery, callback_data: LeadCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> tuple[Message, repo.LeadCard] | None:
    """The button's message and the lead's card when the presser may see it (R1c); otherwise the press is
    answered as stale or denied and ``None`` is returned."""
    message = message_of(query)
    card = await repo.lead_card(session, callback_data.id)
    if message is None or card is None:
        await stale(query, i18n)
        return None
    if not await may_see(session, actor, card.lead.responsible_id):
        await deny(query, i18n)
        return None
    await query.answer()
    return message, card


async def show_full_description(
    query: CallbackQuery, callback_data: LeadCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """«Показать полностью» on a lead card: the whole description, after the same R1c check as the card."""
    opened = await _visible_card(query, callback_data, session, actor, i18n)
    if opened is None:
        return
    message, card = opened
    what = i18n("lead-full-description", id=card.lead.id)
    await send_full_text(message, i18n, what, card.lead.description)


def _card_keyboard(i18n: Translator, actor: Actor, lead_id: int, status: str) -> InlineKeyboardMarkup | None:
    if status != LeadStatus.OPEN.value:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("lead-btn-log"), callback_data=LeadCb(action="log", id=lead_id))
    builder.button(text=i18n("lead-btn-convert"), callback_data=LeadCb(action="convert", id=lead_id))
    builder.button(text=i18n("lead-btn-task"), callback_data=LeadCb(action="task", id=lead_id))
    builder.button(text=i18n("lead-btn-reject"), callback_data=LeadCb(action="reject", id=lead_id))
    if actor.role in MANAGES_TEAM:
        builder.button(text=i18n("lead-btn-reassign"), callback_data=LeadCb(action="reassign", id=lead_id))
    builder.adjust(2)
    return builder.as_markup()


async def open_card(
    query: CallbackQuery,
    callback_data: LeadCb,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    opened = await _visible_card(query, callback_data, session, actor, i18n)
    if opened is None:
        return
    await send_lead_card(opened[0], session, actor, settings, i18n, callback_data.id)


async def ask_reject_reason(
    query: CallbackQuery,
    callback_data: LeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    card = await repo.lead_card(session, callback_data.id)
    if message is None or card is None:
        return await stale(query, i18n)
    if not await may_act(session, actor, card.lead.responsible_id):
        return await deny(query, i18n)
    if card.lead.status != LeadStatus.OPEN.value:
        await query.answer(i18n("err-lead-not-open"), show_alert=True)
        return
    await query.answer()
    await state.set_state(RejectForm.reason)
    await state.update_data({REJECT: callback_data.id})
    await message.answer(
        i18n("lead-ask-reject-reason", min=REASON_LENGTH[0], max=REASON_LENGTH[1]),
        reply_markup=step_keyboard(i18n),
    )


async def on_reject_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    text = (message.text or "").strip()
    low, high = REASON_LENGTH
    if too_long := limits.check_length(text, high):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    if len(text) < low:
        await message.answer(
            i18n("lead-reject-reason-invalid", min=low, max=high),
            reply_markup=step_keyboard(i18n),
        )
        return
    lead_id = int((await state.get_data()).get(REJECT) or 0)
    outcome = await repo.reject_lead(session, actor=actor, lead_id=lead_id, reason=text)
    await state.clear()
    key = {
        repo.Change.DONE: "lead-rejected",
        repo.Change.DENIED: "access-denied",
        repo.Change.NOT_OPEN: "err-lead-not-open",
        repo.Change.GONE: "button-stale",
    }[outcome]
    await message.answer(i18n(key), reply_markup=main_menu(i18n))
    if outcome is repo.Change.DONE:
        log.info("lead %s rejected by user %s", lead_id, actor.user_id)
        await send_lead_card(message, session, actor, settings, i18n, lead_id)


async def reject_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """ "Back" from the reason: the lead card, unchanged."""
    message = message_of(query)
    lead_id = int((await state.get_data()).get(REJECT) or 0)
    await state.clear()
    if message is None or not lead_id:
        return await stale(query, i18n)
    await query.answer()
    await send_lead_card(message, session, actor, settings, i18n, lead_id)


async def ask_reassign(
    query: CallbackQuery, callback_data: LeadCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    card = await repo.lead_card(session, callback_data.id)
    if message is None or card is None:
        return await stale(query, i18n)
    if actor.role not in MANAGES_TEAM or not await may_act(session, actor, card.lead.responsible_id):
        return await deny(query, i18n)
    if card.lead.status != LeadStatus.OPEN.value:
        await query.answer(i18n("err-lead-not-open"), show_alert=True)
        return
    users = [
        user for user in await repo.assignable_users(session, actor) if user.id != card.lead.responsible_id
    ]
    await query.answer()
    if not users:
        await message.answer(i18n("lead-reassign-nobody"))
        return
    builder = InlineKeyboardBuilder()
    for user in users:
        builder.button(
            text=i18n.plain("lead-option", name=user.full_name or str(user.telegram_id)),
            callback_data=ReassignCb(lead=callback_data.id, user=user.id),
        )
    builder.adjust(1)
    await message.answer(i18n("lead-ask-reassign", id=callback_data.id), reply_markup=builder.as_markup())


async def on_reassign(
    query: CallbackQuery,
    callback_data: ReassignCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    i18n_hub: TranslatorHub,
) -> None:
    message = message_of(query)
    if message is None:
        return await stale(query, i18n)
    outcome = await repo.reassign_lead(
        session, actor=actor, lead_id=callback_data.lead, user_id=callback_data.user
    )
    if outcome is repo.Change.DENIED:
        return await deny(query, i18n)
    if outcome is not repo.Change.DONE:
        await query.answer(
            i18n("err-lead-not-open" if outcome is repo.Change.NOT_OPEN else "button-stale"), show_alert=True
        )
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    member = await people.get_user(session, callback_data.user)
    log.info(
        "lead %s reassigned to user %s by user %s", callback_data.lead, callback_data.user, actor.user_id
    )
    await message.answer(i18n("lead-reassigned", name=member.full_name if member else "—"))
    await send_lead_card(message, session, actor, settings, i18n, callback_data.lead)


# ---------------------------------------------------------------------------------------------------------
# /leads
# ---------------------------------------------------------------------------------------------------------


async def _send_list(
    target: Message, session: AsyncSession, actor: Actor, i18n: Translator, page: int, *, edit: bool
) -> None:
    leads, has_next = await repo.visible_leads_page(session, actor, page)
    if not leads and page == 0:
        await target.answer(i18n("lead-list-empty"), reply_markup=main_menu(i18n))
        return
    builder = InlineKeyboardBuilder()
    for lead in leads:
        builder.button(
            text=i18n.plain(
                "lead-list-button",
                id=lead.id,
                name=lead.contact.full_name,
                status=i18n(f"lead-status-{lead.status}"),
            ),
            callback_data=LeadCb(action="open", id=lead.id),
        )
    builder.adjust(1)
    pager = pager_row(i18n, "leads", page, has_next)
    if pager:
        builder.row(*pager)
    text = i18n("lead-list-title", page=page + 1)
    if edit:
        await target.edit_text(text, reply_markup=builder.as_markup())
    else:
        await target.answer(text, reply_markup=builder.as_markup())


async def list_leads(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    await _send_list(message, session, actor, i18n, 0, edit=False)


async def list_page(
    query: CallbackQuery, callback_data: PageCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None or callback_data.page < 0:
        return await stale(query, i18n)
    await query.answer()
    await _send_list(message, session, actor, i18n, callback_data.page, edit=True)


def create_router() -> Router:
    router = Router(name="leads")
    form = StateFilter(LeadForm)
    router.message.register(start_lead_form, Command("new_lead"))
    router.message.register(start_lead_form, MenuButton("new_lead"))
    router.message.register(list_leads, Command("leads"))
    router.message.register(list_leads, MenuButton("leads"))
    router.callback_query.register(list_page, PageCb.filter(F.kind == "leads"))
    router.callback_query.register(start_from_contact, ContactCb.filter(F.action == "lead"))
    router.callback_query.register(open_card, LeadCb.filter(F.action == "open"))
    router.callback_query.register(show_full_description, LeadCb.filter(F.action == "full"))
    router.callback_query.register(ask_reject_reason, LeadCb.filter(F.action == "reject"))
    router.callback_query.register(ask_reassign, LeadCb.filter(F.action == "reassign"))
    router.callback_query.register(on_reassign, ReassignCb.filter())

    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), form)
    router.callback_query.register(on_skip_group, NavCb.filter(F.action == "skip"), LeadForm.group)
    router.callback_query.register(on_find, LeadFormCb.filter(F.action == "find"), form)
    router.callback_query.register(on_recent, LeadFormCb.filter(F.action == "recent"), form)
    router.callback_query.register(on_new_contact, LeadFormCb.filter(F.action == "new"), form)
    router.callback_query.register(on_edit, LeadFormCb.filter(F.action == "edit"), LeadForm.summary)
    router.callback_query.register(on_save, LeadFormCb.filter(F.action == "save"), LeadForm.summary)
    router.callback_query.register(
        on_contact_picked, PickCb.filter(F.field == "contact"), StateFilter(LeadForm.contact, LeadForm.search)
    )
    router.callback_query.register(on_source, PickCb.filter(F.field == "source"), LeadForm.source)
    router.callback_query.register(on_group, PickCb.filter(F.field == "group"), LeadForm.group)
    router.callback_query.register(on_responsible, PickCb.filter(F.field == "user"), LeadForm.responsible)

    router.message.register(on_search, LeadForm.search, FormInput(), F.text)
    router.message.register(on_description, LeadForm.description, FormInput(), F.text)
    router.message.register(text_expected, StateFilter(LeadForm.search, LeadForm.description), FormInput())
    router.message.register(use_buttons, form, FormInput())
    router.callback_query.register(reject_back, NavCb.filter(F.action == "back"), RejectForm.reason)
    router.message.register(on_reject_reason, RejectForm.reason, FormInput(), F.text)
    router.message.register(text_expected, RejectForm.reason, FormInput())
    return router
