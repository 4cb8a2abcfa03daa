"""Contacts: ``/new_contact`` (R4, R5), ``/contacts`` and the contact card.

The form asks full name → mobile phone (typed, or a shared Telegram contact card) → date of birth → private
e-mail → position (optional) → client (optional) → summary → save. Its answers live in the FSM data under
``"contact_form"``; the leads flow starts it with :func:`start_contact_form` (``return_to="lead"``) and gets
the new contact back through ``handlers.legacy.leads.resume_lead_with_contact``.

R5: the duplicate check runs as soon as a pair of fields is known, and again at save in the same write
transaction as the insert. A duplicate is refused, showing the existing contact (masked unless the manager
may see it), its responsible, and an offer to create a lead on it instead.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
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

from bot.callbacks import ContactCb, DealCb, LeadCb, NavCb, PageCb
from bot.forms import BACK_KEY, FormInput, go_back, goto, nav_rows, pager_row, step_keyboard
from bot.i18n import Translator
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.models import User
from db.repo import contacts
from db.repo.contacts import ContactDraft, Duplicate, NewContact
from db.repo.visibility import may_see_contact
from domain import limits
from domain.access import Actor
from domain.contacts import is_own_card
from domain.errors import ValidationError
from domain.values import BirthDate, Email, FullName, MobilePhone
from handlers.legacy.records import with_record_rows

log = logging.getLogger(__name__)

FORM_KEY = "contact_form"
STEPS = ("name", "phone", "birth_date", "email", "position", "client")
OPTIONAL = frozenset({"position", "client"})
REQUIRED = tuple(step for step in STEPS if step not in OPTIONAL)
POSITION_MAX = limits.CONTACT_POSITION
CLIENT_MAX = limits.CONTACT_CLIENT
CARD_LINKS = 5


class ContactForm(StatesGroup):
    name = State()
    phone = State()
    birth_date = State()
    email = State()
    position = State()
    client = State()
    summary = State()


STATE_OF_STEP: dict[str, State] = {step: getattr(ContactForm, step) for step in STEPS}
STEP_OF_STATE: dict[str, str] = {state.state: step for step, state in STATE_OF_STEP.items() if state.state}


class ContactFormCb(CallbackData, prefix="cf"):
    """Summary and duplicate buttons: edit a field, save, or fix the field that made a duplicate."""

    action: str  # edit | save | fix
    field: str = ""


# ---------------------------------------------------------------------------------------------
# Form data
# ---------------------------------------------------------------------------------------------


async def _form(state: FSMContext) -> dict[str, Any]:
    return dict((await state.get_data()).get(FORM_KEY) or {"_done": []})


async def _store(state: FSMContext, form: dict[str, Any]) -> None:
    await state.update_data({FORM_KEY: form})


def _name(form: dict[str, Any]) -> FullName | None:
    raw = form.get("name")
    return FullName(**raw) if raw else None


def _birth(form: dict[str, Any]) -> date | None:
    raw = form.get("birth_date")
    return date.fromisoformat(raw) if raw else None


def _draft(form: dict[str, Any], answered: set[str]) -> ContactDraft:
    """The R5 fields among the ``answered`` steps (answers of steps left by "back" do not count)."""
    name = _name(form) if "name" in answered else None
    return ContactDraft(
        name_key=name.key() if name else None,
        phone=form.get("phone") if "phone" in answered else None,
        birth_date=_birth(form) if "birth_date" in answered else None,
        email=form.get("email") if "email" in answered else None,
    )


def _today(user: User, settings: Settings) -> date:
    return datetime.now(ZoneInfo(user.timezone or settings.default_timezone)).date()


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _dash(i18n: Translator, value: str | None) -> str:
    return value if value else i18n("contact-value-none")


def _fields_text(i18n: Translator, fields: tuple[str, ...]) -> str:
    return ", ".join(i18n(f"contact-field-{name}") for name in fields)


async def _ask(message: Message, i18n: Translator, step: str, form: dict[str, Any], error: str = "") -> None:
    """Send the prompt of ``step`` (with its example), after the reason for re-asking if there is one."""
    prompt = i18n(f"contact-ask-{step}")
    if step == "name" and form.get("phone") and "name" not in form["_done"]:
        prompt = i18n("contact-card-phone-taken") + "\n" + prompt
    text = f"{error}\n\n{prompt}" if error else prompt
    # The very first step has nowhere to go back to.
    keyboard = step_keyboard(i18n, back=step != "name" or bool(form["_done"]), skip=step in OPTIONAL)
    await message.answer(text, reply_markup=keyboard)


def _summary_text(i18n: Translator, form: dict[str, Any]) -> str:
    name, birth = _name(form), _birth(form)
    return i18n(
        "contact-summary",
        name=name.display() if name else "",
        phone=MobilePhone(form["phone"]).display() if form.get("phone") else "",
        birth_date=BirthDate(birth).display() if birth else "",
        email=form.get("email") or "",
        position=_dash(i18n, form.get("position")),
        client=_dash(i18n, form.get("client")),
    )


def _resumer(return_to: str | None) -> Any:
    """The form that started this one and goes on with the saved contact; imported here because those
    modules import this one."""
    if return_to == "lead":
        from handlers.legacy.leads import resume_lead_with_contact

        return resume_lead_with_contact
    if return_to == "client":
        from handlers.legacy.clients import resume_client_with_contact

        return resume_client_with_contact
    return None


def _summary_keyboard(i18n: Translator, form: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for step in _steps(form):
        builder.button(
            text=i18n("contact-btn-edit", field=i18n(f"contact-field-{step}")),
            callback_data=ContactFormCb(action="edit", field=step),
        )
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(text=i18n("btn-save"), callback_data=ContactFormCb(action="save").pack())
    )
    for row in nav_rows(i18n):
        builder.row(*row)
    return builder.as_markup()


async def _show_summary(message: Message, state: FSMContext, i18n: Translator, form: dict[str, Any]) -> None:
    form["_editing"] = False
    await _store(state, form)
    await goto(state, ContactForm.summary)
    await message.answer(_summary_text(i18n, form), reply_markup=_summary_keyboard(i18n, form))


async def duplicate_text(session: AsyncSession, actor: Actor, i18n: Translator, duplicate: Duplicate) -> str:
    """R5b: the existing contact, masked unless ``actor`` may see it, and who is responsible for it."""
    visible = await may_see_contact(session, actor, duplicate.contact_id)
    phone, email, birth = (
        MobilePhone(duplicate.phone),
        Email(duplicate.email),
        BirthDate(duplicate.birth_date),
    )
    return i18n(
        "contact-duplicate",
        fields=_fields_text(i18n, duplicate.fields),
        name=duplicate.full_name,
        phone=phone.display() if visible else phone.masked(),
        birth_date=birth.display() if visible else birth.masked(),
        email=email.value if visible else email.masked(),
        responsible=duplicate.responsible_name or i18n("contact-value-none"),
    )


R5B_OFFERS = "_r5b_offers"
R5B_OFFERS_KEPT = 5


async def _offer_lead(state: FSMContext, contact_id: int, draft: ContactDraft) -> None:
    """R5b: remember, on the server, which existing contact this manager was offered a lead on and what they
    typed that matched it, so that the «🎯» button works even when the contact is not visible to them, and a
    forged ``ct:lead`` for any other hidden contact does not (SPEC "Access")."""
    offers = [o for o in (await state.get_data()).get(R5B_OFFERS) or [] if o.get("contact_id") != contact_id]
    typed = {
        "name_key": draft.name_key,
        "phone": draft.phone,
        "birth_date": draft.birth_date.isoformat() if draft.birth_date else None,
        "email": draft.email,
    }
    offers.append({"contact_id": contact_id, "typed": typed})
    await state.update_data({R5B_OFFERS: offers[-R5B_OFFERS_KEPT:]})


async def offered_duplicate(state: FSMContext, contact_id: int) -> ContactDraft | None:
    """What the manager typed that duplicated ``contact_id`` (R5b), when the form offered a lead on it."""
    for offer in (await state.get_data()).get(R5B_OFFERS) or []:
        if offer.get("contact_id") == contact_id:
            typed = offer.get("typed") or {}
            birth = typed.get("birth_date")
            return ContactDraft(
                name_key=typed.get("name_key"),
                phone=typed.get("phone"),
                birth_date=date.fromisoformat(birth) if birth else None,
                email=typed.get("email"),
            )
    return None


async def _show_duplicate(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    duplicate: Duplicate,
    fix: str,
    *,
    state: FSMContext,
    draft: ContactDraft,
) -> None:
    log.info("contact form refused a duplicate of contact %s", duplicate.contact_id)
    await _offer_lead(state, duplicate.contact_id, draft)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("contact-btn-lead-on-existing"),
        callback_data=ContactCb(action="lead", id=duplicate.contact_id),
    )
    builder.button(text=i18n("contact-btn-fix"), callback_data=ContactFormCb(action="fix", field=fix))
    builder.button(text=i18n("btn-cancel"), callback_data=NavCb(action="cancel"))
    builder.adjust(1)
    await message.answer(
        await duplicate_text(session, actor, i18n, duplicate), reply_markup=builder.as_markup()
    )


# ---------------------------------------------------------------------------------------------
# Form flow
# ---------------------------------------------------------------------------------------------


def _steps(form: dict[str, Any]) -> tuple[str, ...]:
    """The form's steps; started from a client card, the contact joins that client, so no client is asked."""
    if form.get("_return_to") == "client":
        return tuple(step for step in STEPS if step != "client")
    return STEPS


async def start_contact_form(
    message: Message, state: FSMContext, i18n: Translator, *, return_to: str | None = None
) -> None:
    """Start the contact form in ``message.chat``.

    With ``return_to`` (``"lead"`` or ``"client"``) the other FSM data is kept: the caller's "back" history is
    put aside and given back when the contact is saved, and the flow goes on in ``handlers.legacy.leads`` or
    ``handlers.legacy.clients``.
    """
    data = await state.get_data()
    form: dict[str, Any] = {"_done": [], "_return_to": return_to}
    if return_to:
        form["_outer_back"] = list(data.get(BACK_KEY, []))
        await state.update_data({FORM_KEY: form, BACK_KEY: []})
    else:
        await state.clear()
        await state.update_data({FORM_KEY: form})
    await state.set_state(ContactForm.name)
    await _ask(message, i18n, "name", form)


async def new_contact(message: Message, state: FSMContext, i18n: Translator) -> None:
    await start_contact_form(message, state, i18n)


async def _next(message: Message, state: FSMContext, i18n: Translator, form: dict[str, Any]) -> None:
    """After a valid answer: back to the summary when editing, else the first step not answered yet."""
    pending = [step for step in _steps(form) if step not in form["_done"]]
    if form.get("_editing") or not pending:
        await _show_summary(message, state, i18n, form)
        return
    await _store(state, form)
    await goto(state, STATE_OF_STEP[pending[0]])
    await _ask(message, i18n, pending[0], form)


async def _accept(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    values: dict[str, Any],
) -> None:
    """Keep the answered values, unless together with the rest they duplicate a contact (R5, checked as soon
    as a pair of fields is known). On a duplicate nothing is kept and the step stays."""
    form = await _form(state)
    candidate = {**form, **values}
    duplicate = await contacts.find_duplicate(session, _draft(candidate, {*form["_done"], *values}))
    if duplicate is not None:
        fix = [step for step in STEPS if step in values][-1]
        draft = _draft(candidate, {*form["_done"], *values})
        await _show_duplicate(message, session, actor, i18n, duplicate, fix, state=state, draft=draft)
        return
    candidate["_done"] = [step for step in STEPS if step in form["_done"] or step in values]
    await _next(message, state, i18n, candidate)


async def _reask(message: Message, state: FSMContext, i18n: Translator, error: str) -> None:
    step = STEP_OF_STATE.get(await state.get_state() or "", "name")
    await _ask(message, i18n, step, await _form(state), error)


def _error(i18n: Translator, err: ValidationError) -> str:
    return i18n(err.key, **err.params)


async def on_name(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    try:
        name = FullName.parse(message.text or "")
    except ValidationError as err:
        await _reask(message, state, i18n, _error(i18n, err))
        return
    await _accept(message, state, session, actor, i18n, {"name": name.__dict__})


async def on_phone(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    try:
        phone = MobilePhone.parse(message.text or "", settings.default_phone_region)
    except ValidationError as err:
        await _reask(message, state, i18n, _error(i18n, err))
        return
    await _accept(message, state, session, actor, i18n, {"phone": phone.e164})


def _card_phone(number: str, region: str) -> MobilePhone:
    """Telegram sends card numbers as international digits, usually without «+»."""
    digits = number.strip()
    try:
        return MobilePhone.parse(digits if digits.startswith("+") else "+" + digits, region)
    except ValidationError:
        return MobilePhone.parse(digits, region)


def _card_name(first_name: str, last_name: str | None) -> FullName | None:
    """Phone books keep «Иван» / «Петров»; a contact form wants «Петров Иван»."""
    text = f"{last_name} {first_name}" if last_name else first_name
    try:
        return FullName.parse(text)
    except ValidationError:
        return None


async def on_contact_card(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """A shared Telegram contact: its phone, and its name too if the name is still to be given.

    R4b: the manager's own card is refused.
    """
    card = message.contact
    assert card is not None
    if is_own_card(card.user_id, message.from_user.id if message.from_user is not None else None):
        await _reask(message, state, i18n, i18n("contact-err-own-card"))
        return
    try:
        phone = _card_phone(card.phone_number, settings.default_phone_region)
    except ValidationError as err:
        await _reask(message, state, i18n, _error(i18n, err))
        return
    values: dict[str, Any] = {}
    form = await _form(state)
    at_name_step = await state.get_state() == ContactForm.name.state
    name = _card_name(card.first_name, card.last_name)
    if name is not None and (at_name_step or "name" not in form["_done"]):
        values["name"] = name.__dict__
    values["phone"] = phone.e164
    if "name" not in values and at_name_step:
        # The card's name is not a full name: keep its phone and still ask for the name.
        candidate = {**form, **values}
        duplicate = await contacts.find_duplicate(session, _draft(candidate, {*form["_done"], *values}))
        if duplicate is not None:
            draft = _draft(candidate, {*form["_done"], *values})
            await _show_duplicate(message, session, actor, i18n, duplicate, "phone", state=state, draft=draft)
            return
        candidate["_done"] = [step for step in STEPS if step in form["_done"] or step == "phone"]
        await _store(state, candidate)
        await _ask(message, i18n, "name", candidate)
        return
    await _accept(message, state, session, actor, i18n, values)


async def on_birth_date(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    try:
        born = BirthDate.parse(message.text or "", _today(user, settings))
    except ValidationError as err:
        await _reask(message, state, i18n, _error(i18n, err))
        return
    await _accept(message, state, session, actor, i18n, {"birth_date": born.value.isoformat()})


async def on_email(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    try:
        email = Email.parse(message.text or "", company_domains=settings.company_email_domains)
    except ValidationError as err:
        await _reask(message, state, i18n, _error(i18n, err))
        return
    await _accept(message, state, session, actor, i18n, {"email": email.value})


def _free_text(text: str | None, limit: int) -> str | None:
    cleaned = " ".join((text or "").split())
    return cleaned if len(cleaned) >= 2 and limits.check_length(cleaned, limit) is None else None


async def on_position(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    if too_long := limits.check_length(" ".join((message.text or "").split()), POSITION_MAX):
        await _reask(
            message, state, i18n, i18n("limit-too-long", limit=too_long.limit, length=too_long.length)
        )
        return
    position = _free_text(message.text, POSITION_MAX)
    if position is None:
        await _reask(message, state, i18n, i18n("contact-err-position", max_length=POSITION_MAX))
        return
    await _accept(message, state, session, actor, i18n, {"position": position})


async def on_client(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    if too_long := limits.check_length(" ".join((message.text or "").split()), CLIENT_MAX):
        await _reask(
            message, state, i18n, i18n("limit-too-long", limit=too_long.limit, length=too_long.length)
        )
        return
    client = _free_text(message.text, CLIENT_MAX)
    if client is None:
        await _reask(message, state, i18n, i18n("contact-err-client", max_length=CLIENT_MAX))
        return
    await _accept(message, state, session, actor, i18n, {"client": client})


async def on_not_text(message: Message, state: FSMContext, i18n: Translator) -> None:
    await _reask(message, state, i18n, i18n("contact-err-text-expected"))


async def on_summary_text(message: Message, state: FSMContext, i18n: Translator) -> None:
    form = await _form(state)
    await message.answer(
        i18n("contact-summary-use-buttons") + "\n\n" + _summary_text(i18n, form),
        reply_markup=_summary_keyboard(i18n, form),
    )


async def on_skip(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    step = STEP_OF_STATE.get(await state.get_state() or "")
    if step not in OPTIONAL or not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await _accept(query.message, state, session, actor, i18n, {step: None})


async def on_back(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    previous = await go_back(state)
    form = await _form(state)
    if previous == ContactForm.summary.state:
        await _show_summary(query.message, state, i18n, form)
        return
    step = STEP_OF_STATE.get(previous or "")
    if step is None:
        # The first step has nowhere to go back to: ask it again.
        await state.set_state(ContactForm.name)
        step = "name"
    # Going back walks the form forward again from that step.
    form["_done"] = [done for done in form["_done"] if STEPS.index(done) < STEPS.index(step)]
    form["_editing"] = False
    await _store(state, form)
    await _ask(query.message, i18n, step, form)


async def on_edit(
    query: CallbackQuery, callback_data: ContactFormCb, state: FSMContext, i18n: Translator
) -> None:
    """«✏️» on the summary (or «✏️ Исправить» on a duplicate): that step, then back to the summary."""
    if callback_data.field not in STEPS or not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    form = await _form(state)
    current = await state.get_state()
    form["_editing"] = all(step in form["_done"] for step in _steps(form))
    await _store(state, form)
    if current != STATE_OF_STEP[callback_data.field].state:
        await goto(state, STATE_OF_STEP[callback_data.field])
    await _ask(query.message, i18n, callback_data.field, form)


async def on_save(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Save (R4a, R5): the duplicate check and the insert share one write transaction."""
    message = query.message
    form = await _form(state)
    name, birth = _name(form), _birth(form)
    if (
        not isinstance(message, Message)
        or name is None
        or birth is None
        or not all(form.get(step) for step in REQUIRED)
    ):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    user_id = user.id
    result = await contacts.create_contact(
        session,
        NewContact(
            name=name,
            phone=form["phone"],
            birth_date=birth,
            email=form["email"],
            position=form.get("position"),
            client_name=form.get("client"),
        ),
        user_id=user_id,
    )
    if isinstance(result, Duplicate):
        # «Исправить» goes to the last of the matching fields in form order.
        fix = [step for step in REQUIRED if step in result.fields]
        draft = _draft(form, set(REQUIRED))
        await _show_duplicate(
            message, session, actor, i18n, result, fix[-1] if fix else "name", state=state, draft=draft
        )
        return
    await message.edit_reply_markup(reply_markup=None)
    contact_id = result.contact.id
    log.info("contact %s created by user %s", contact_id, user_id)
    resume = _resumer(form.get("_return_to"))
    if resume is not None:
        data = await state.get_data()
        data.pop(FORM_KEY, None)
        data[BACK_KEY] = form.get("_outer_back", [])
        await state.set_data(data)
        await resume(message, state, session, user, actor, settings, i18n, contact_id)
        return
    await state.clear()
    await _send_saved(message, i18n, result)


async def _send_saved(message: Message, i18n: Translator, saved: contacts.Saved) -> None:
    contact = saved.contact
    text = i18n(
        "contact-saved",
        name=contact.full_name,
        phone=MobilePhone(contact.phone).display(),
        birth_date=BirthDate(contact.birth_date).display(),
        email=contact.email,
        position=_dash(i18n, contact.position),
        client=_dash(i18n, saved.client.name if saved.client else None),
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("contact-btn-create-lead"), callback_data=ContactCb(action="lead", id=contact.id)
    )
    await message.answer(text, reply_markup=builder.as_markup())
    await message.answer(i18n("contact-back-to-menu"), reply_markup=main_menu(i18n))


# ---------------------------------------------------------------------------------------------
# /contacts and the card
# ---------------------------------------------------------------------------------------------


def _list_markup(i18n: Translator, page: contacts.Page) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=contact.full_name, callback_data=ContactCb(action="open", id=contact.id).pack()
            )
        ]
        for contact in page.contacts
    ]
    pager = pager_row(i18n, "contacts", page.page, page.has_next)
    if pager:
        rows.append(pager)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _list_text(i18n: Translator, page: contacts.Page) -> str:
    if not page.total:
        return i18n("contact-list-empty")
    return i18n("contact-list-title", total=page.total, page=page.page + 1, pages=page.pages)


async def show_contacts(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    await state.clear()
    page = await contacts.list_contacts(session, actor, 0)
    await message.answer(
        _list_text(i18n, page), reply_markup=_list_markup(i18n, page) if page.total else None
    )


async def contacts_page(
    query: CallbackQuery, callback_data: PageCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    page = await contacts.list_contacts(session, actor, callback_data.page)
    await query.message.edit_text(_list_text(i18n, page), reply_markup=_list_markup(i18n, page))


def _statuses(i18n: Translator, prefix: str, statuses: list[str]) -> str:
    if not statuses:
        return i18n("contact-card-none")
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    parts = ", ".join(f"{i18n(f'{prefix}-{status}')}: {count}" for status, count in counts.items())
    return f"{len(statuses)} ({parts})"


def card_text(i18n: Translator, card: contacts.ContactCard) -> str:
    contact = card.contact
    return i18n(
        "contact-card",
        name=contact.full_name,
        phone=MobilePhone(contact.phone).display(),
        birth_date=BirthDate(contact.birth_date).display(),
        email=contact.email,
        position=_dash(i18n, contact.position),
        client=_dash(i18n, contact.client.name if contact.client else None),
        responsible=card.responsible_name or i18n("contact-value-none"),
        leads=_statuses(i18n, "lead-status", [lead.status for lead in card.leads]),
        deals=_statuses(i18n, "deal-status", [deal.status for deal in card.deals]),
    )


def card_markup(i18n: Translator, card: contacts.ContactCard) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("contact-btn-new-lead"), callback_data=ContactCb(action="lead", id=card.contact.id)
    )
    for lead in card.leads[:CARD_LINKS]:
        builder.button(
            text=i18n("contact-btn-lead", id=lead.id, status=i18n(f"lead-status-{lead.status}")),
            callback_data=LeadCb(action="open", id=lead.id),
        )
    for deal in card.deals[:CARD_LINKS]:
        builder.button(
            text=i18n("contact-btn-deal", id=deal.id, status=i18n(f"deal-status-{deal.status}")),
            callback_data=DealCb(action="open", id=deal.id),
        )
    builder.adjust(1)
    return builder.as_markup()


async def open_contact(
    query: CallbackQuery, callback_data: ContactCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """The contact card. The button is not trusted: a contact ``actor`` may not see gets an alert."""
    card = await contacts.contact_card(session, actor, callback_data.id)
    if card is None or not isinstance(query.message, Message):
        log.info("user %s was refused contact %s", actor.user_id, callback_data.id)
        await query.answer(i18n("access-denied"), show_alert=True)
        return
    await query.answer()
    markup = await with_record_rows(session, actor, i18n, "contact", card.contact.id, card_markup(i18n, card))
    await query.message.answer(card_text(i18n, card), reply_markup=markup)


def create_router() -> Router:
    router = Router(name="contacts")
    router.message.register(new_contact, Command("new_contact"))
    router.message.register(new_contact, MenuButton("new_contact"))
    router.message.register(show_contacts, Command("contacts"))
    router.message.register(show_contacts, MenuButton("contacts"))

    form_input = (StateFilter(ContactForm), FormInput())
    router.message.register(on_contact_card, StateFilter(ContactForm.name, ContactForm.phone), F.contact)
    router.message.register(on_name, StateFilter(ContactForm.name), FormInput(), F.text)
    router.message.register(on_phone, StateFilter(ContactForm.phone), FormInput(), F.text)
    router.message.register(on_birth_date, StateFilter(ContactForm.birth_date), FormInput(), F.text)
    router.message.register(on_email, StateFilter(ContactForm.email), FormInput(), F.text)
    router.message.register(on_position, StateFilter(ContactForm.position), FormInput(), F.text)
    router.message.register(on_client, StateFilter(ContactForm.client), FormInput(), F.text)
    router.message.register(on_summary_text, StateFilter(ContactForm.summary), FormInput())
    router.message.register(on_not_text, *form_input)

    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), StateFilter(ContactForm))
    router.callback_query.register(on_skip, NavCb.filter(F.action == "skip"), StateFilter(ContactForm))
    router.callback_query.register(
        on_edit, ContactFormCb.filter(F.action.in_({"edit", "fix"})), StateFilter(ContactForm)
    )
    router.callback_query.register(
        on_save, ContactFormCb.filter(F.action == "save"), StateFilter(ContactForm.summary)
    )
    router.callback_query.register(contacts_page, PageCb.filter(F.kind == "contacts"))
    router.callback_query.register(open_contact, ContactCb.filter(F.action == "open"))
    return router


__all__ = ["ContactForm", "create_router", "duplicate_text", "start_contact_form"]
