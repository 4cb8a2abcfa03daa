"""What the contact form does with an answer: parse it (the domain decides), check R5, move on, save."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import Message
from aiogram_dialog import Data, DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button

from db.repo import contacts
from db.repo.client_access import get_visible_client
from db.repo.contact_edits import ContactValues, edit_contact, editable_contact, values_of
from db.repo.contacts import ContactDraft, Duplicate, NewContact
from db.repo.refusals import record_refusal
from domain import limits
from domain.contacts import card_phone, is_own_card
from domain.errors import NotAllowed, ValidationError
from domain.values import BirthDate, Email, FullName, MobilePhone
from handlers.clients.states import ClientForm
from handlers.contacts.states import ContactCard, ContactForm
from handlers.kit.context import actor_of, record_id, session_of, settings_of, user_of, writer_of
from handlers.kit.inputs import clear_error, set_error
from handlers.leads.states import LeadForm

log = logging.getLogger(__name__)

FORM = "form"
STEPS = ("name", "phone", "birth_date", "email", "position", "client")
OPTIONAL = frozenset({"position", "client"})
REQUIRED = tuple(step for step in STEPS if step not in OPTIONAL)
STATE_OF = {step: getattr(ContactForm, step) for step in STEPS}


# --- parsing: each step's answer through the domain -------------------------------------------------------


def parse_name(text: str, manager: DialogManager) -> dict[str, Any]:
    return FullName.parse(text).__dict__


def parse_phone(text: str, manager: DialogManager) -> str:
    return MobilePhone.parse(text, settings_of(manager).default_phone_region).e164


def parse_birth_date(text: str, manager: DialogManager) -> str:
    user, settings = user_of(manager), settings_of(manager)
    today = datetime.now(ZoneInfo(user.timezone or settings.default_timezone)).date()
    return BirthDate.parse(text, today).value.isoformat()


def parse_email(text: str, manager: DialogManager) -> str:
    return Email.parse(text, company_domains=settings_of(manager).company_email_domains).value


def _free_text(text: str, limit: int, error_key: str) -> str:
    cleaned = " ".join(text.split())
    if too_long := limits.check_length(cleaned, limit):
        raise ValidationError("limit-too-long", "text too long", limit=too_long.limit, length=too_long.length)
    if len(cleaned) < 2:
        raise ValidationError(error_key, "text too short", max_length=limit)
    return cleaned


def parse_position(text: str, manager: DialogManager) -> str:
    return _free_text(text, limits.CONTACT_POSITION, "contact-err-position")


def parse_client(text: str, manager: DialogManager) -> str:
    """Typed text at the client step is a search among the user's visible clients, never a new client."""
    return _free_text(text, limits.CONTACT_CLIENT, "contact-err-client")


# --- the form's answers ---------------------------------------------------------------------------------


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {"done": []})
    assert isinstance(form, dict)
    return form


def editing_id(manager: DialogManager) -> int | None:
    """The saved contact this form edits (start data ``{"edit": contact_id}``), if any."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start["edit"]) if start.get("edit") else None


def steps_of(manager: DialogManager) -> tuple[str, ...]:
    """Started for a client, the contact joins that client: no client step. Editing a saved contact changes
    its own fields; its client is changed from the client's card."""
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    no_client = start.get("no_client") or start.get("edit")
    return tuple(step for step in STEPS if not (step == "client" and no_client))


def draft_of(form: dict[str, Any], answered: set[str]) -> ContactDraft:
    """The R5 fields among the ``answered`` steps."""
    name = FullName(**form["name"]) if "name" in answered and form.get("name") else None
    birth = form.get("birth_date") if "birth_date" in answered else None
    return ContactDraft(
        name_key=name.key() if name else None,
        phone=form.get("phone") if "phone" in answered else None,
        birth_date=date.fromisoformat(birth) if birth else None,
        email=form.get("email") if "email" in answered else None,
    )


async def next_step(manager: DialogManager) -> None:
    """Back to the summary when editing or when everything is answered, else the first open step."""
    form = form_of(manager)
    pending = [step for step in steps_of(manager) if step not in form["done"]]
    if form.get("editing") or not pending:
        form["editing"] = False
        await manager.switch_to(ContactForm.summary)
        return
    await manager.switch_to(STATE_OF[pending[0]])


async def show_duplicate(manager: DialogManager, duplicate: Duplicate, fix: str, draft: ContactDraft) -> None:
    """R5b: the existing contact (masked unless visible), an offer of a lead on it, or fix the field."""
    log.info("contact form refused a duplicate of contact %s", duplicate.contact_id)
    await record_refusal(writer_of(manager), actor_of(manager).user_id, "R5")
    manager.dialog_data["duplicate"] = {
        "contact_id": duplicate.contact_id,
        "fix": fix,
        "typed": {
            "name_key": draft.name_key,
            "phone": draft.phone,
            "birth_date": draft.birth_date.isoformat() if draft.birth_date else None,
            "email": draft.email,
        },
    }
    await manager.switch_to(ContactForm.duplicate)


async def accept(manager: DialogManager, values: dict[str, Any]) -> None:
    """Keep the answers unless, with the rest, they duplicate a contact (R5, checked as soon as a pair of
    fields is known). On a duplicate nothing is kept."""
    form = form_of(manager)
    candidate = {**form, **values}
    answered = {*form["done"], *values}
    try:
        await contacts.refuse_employee_values(
            session_of(manager), phone=values.get("phone"), email=values.get("email")
        )
    except ValidationError as refusal:  # R4b: a colleague's (or the manager's own) work phone or e-mail
        set_error(manager, refusal.key, **refusal.params)
        return
    clear_error(manager)
    duplicate = await contacts.find_duplicate(
        session_of(manager), draft_of(candidate, answered), exclude_id=editing_id(manager)
    )
    if duplicate is not None:
        fix = [step for step in STEPS if step in values][-1]
        await show_duplicate(manager, duplicate, fix, draft_of(candidate, answered))
        return
    candidate["done"] = [step for step in STEPS if step in answered]
    manager.dialog_data[FORM] = candidate
    await next_step(manager)


async def on_answer(message: Message, widget: Any, manager: DialogManager, value: Any) -> None:
    await accept(manager, {widget.widget.widget_id: value})


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    """The previous step; going back walks the form forward again from there."""
    steps = steps_of(manager)
    current = (manager.current_context().state.state or "").split(":")[-1]
    if current in steps and steps.index(current) > 0:
        target = steps[steps.index(current) - 1]
    elif current in steps:
        return
    else:
        target = steps[-1]  # the summary or the duplicate: the last step
    form = form_of(manager)
    form["done"] = [
        step for step in form["done"] if step in steps and steps.index(step) < steps.index(target)
    ]
    form["editing"] = False
    await manager.switch_to(STATE_OF[target])


async def on_skip(event: Any, widget: Any, manager: DialogManager) -> None:
    step = (manager.current_context().state.state or "").split(":")[-1]
    if step == "client":
        manager.dialog_data.pop(CLIENT_QUERY, None)
        await accept(manager, {"client": None, "client_id": None})
    elif step in OPTIONAL:
        await accept(manager, {step: None})


# --- the client step: a visible client found by typed text, or a new one through the client form --------

CLIENT_QUERY = "client_query"


async def on_client_query(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    """Typed text searches the clients this user may see; the matches are offered as buttons."""
    clear_error(manager)
    manager.dialog_data[CLIENT_QUERY] = query


async def _take_client(manager: DialogManager, client_id: int) -> None:
    """The contact will join this client; the id came from a button or a sub-dialog, so R1c is checked
    again here and once more inside the save."""
    client = await get_visible_client(session_of(manager), actor_of(manager), client_id)
    if client is None:
        raise NotAllowed("client not visible")
    manager.dialog_data.pop(CLIENT_QUERY, None)
    await accept(manager, {"client": client.name, "client_id": client.id})


async def on_client_pick(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await _take_client(manager, record_id(item_id))


async def on_new_client(event: Any, widget: Any, manager: DialogManager) -> None:
    """«➕ Новый клиент»: the client form as a sub-dialog, with the typed text as the name."""
    typed = str(manager.dialog_data.get(CLIENT_QUERY) or "")
    await manager.start(ClientForm.name, data={"pick": True, "name": typed})


async def on_client_created(start_data: Data, result: Any, manager: DialogManager) -> None:
    """The client form's result: the new client is the contact's."""
    if isinstance(result, dict) and result.get("client_id"):
        await _take_client(manager, int(result["client_id"]))


def card_name(first_name: str, last_name: str | None) -> dict[str, Any] | None:
    """Phone books keep «Иван» / «Петров»; a contact form wants «Петров Иван»."""
    text = f"{last_name} {first_name}" if last_name else first_name
    try:
        return FullName.parse(text).__dict__
    except ValidationError:
        return None


async def on_contact_card(message: Message, widget: Any, manager: DialogManager) -> None:
    """A shared Telegram contact at the name or phone step: its phone, and its name if still to be given.
    R4b: the manager's own card is refused."""
    card = message.contact
    assert card is not None
    sender = message.from_user.id if message.from_user is not None else None
    if is_own_card(card.user_id, sender):
        set_error(manager, "contact-err-own-card")
        return
    try:
        phone = card_phone(card.phone_number, settings_of(manager).default_phone_region).e164
    except ValidationError as err:
        set_error(manager, err.key, **err.params)
        return
    clear_error(manager)
    form = form_of(manager)
    at_name = manager.current_context().state == ContactForm.name
    name = card_name(card.first_name, card.last_name)
    values: dict[str, Any] = {"phone": phone}
    if name is not None and (at_name or "name" not in form["done"]):
        values["name"] = name
    form["card_name_incomplete"] = "name" not in values and at_name
    await accept(manager, values)


async def on_edit(event: Any, widget: Any, manager: DialogManager, field: str) -> None:
    """«✏️ field» on the summary, or «✏️ Исправить» on a duplicate: that step, then the summary again."""
    if field not in steps_of(manager):
        return
    form = form_of(manager)
    form["editing"] = all(step in form["done"] for step in steps_of(manager))
    form["done"] = [step for step in form["done"] if step != field] if not form["editing"] else form["done"]
    await manager.switch_to(STATE_OF[field])


async def on_fix(event: Any, widget: Button, manager: DialogManager) -> None:
    duplicate = manager.dialog_data.get("duplicate") or {}
    await on_edit(event, widget, manager, str(duplicate.get("fix") or "name"))


async def lead_on_existing(event: Any, widget: Button, manager: DialogManager) -> None:
    """R5b: a lead on the contact that already exists, proven by what the manager typed."""
    duplicate = manager.dialog_data.get("duplicate") or {}
    data = {"contact_id": int(duplicate["contact_id"]), "offered": dict(duplicate.get("typed") or {})}
    await manager.start(LeadForm.contact, data=data, mode=StartMode.RESET_STACK)


async def create(
    manager: DialogManager, form: dict[str, Any], start: dict[str, Any], user_id: int
) -> contacts.Saved | Duplicate:
    return await contacts.create_contact(
        session_of(manager),
        NewContact(
            name=FullName(**form["name"]),
            phone=form["phone"],
            birth_date=date.fromisoformat(form["birth_date"]),
            email=form["email"],
            position=form.get("position"),
            client_id=None if start.get("no_client") else form.get("client_id"),
        ),
        user_id=user_id,
        actor=actor_of(manager),
    )


def values_of_form(form: dict[str, Any]) -> ContactValues:
    return ContactValues(
        name=FullName(**form["name"]),
        phone=form["phone"],
        birth_date=date.fromisoformat(form["birth_date"]),
        email=form["email"],
        position=form.get("position"),
    )


async def on_save(event: Any, widget: Button, manager: DialogManager) -> None:
    """Save a new contact, or a saved one's new values (R4a, R4b, R5; R1c for an edit): the checks and the
    write share one transaction."""
    form = form_of(manager)
    if not all(form.get(step) for step in REQUIRED):
        await next_step(manager)
        return
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    user, edited = user_of(manager), editing_id(manager)
    try:
        if edited is not None:
            result: contacts.Saved | Duplicate | tuple[str, ...] = await edit_contact(
                session_of(manager), actor_of(manager), edited, values_of_form(form)
            )
        else:
            result = await create(manager, form, start, user.id)
    except ValidationError as refusal:  # R4b, checked again inside the save
        await on_edit(event, widget, manager, "phone" if "phone" in refusal.key else "email")
        set_error(manager, refusal.key, **refusal.params)
        return
    if isinstance(result, Duplicate):
        fix = [step for step in REQUIRED if step in result.fields]
        await show_duplicate(manager, result, fix[-1] if fix else "name", draft_of(form, set(REQUIRED)))
        return
    if isinstance(result, tuple):
        log.info("contact %s edited by user %s: %d field(s)", edited, user.id, len(result))
        notice = "contact-edited" if result else "contact-edit-unchanged"
        await manager.start(
            ContactCard.main, data={"contact_id": edited, "notice": notice}, mode=StartMode.RESET_STACK
        )
        return
    contact_id = result.contact.id
    log.info("contact %s created by user %s", contact_id, user.id)
    if start.get("pick"):
        await manager.done(result={"contact_id": contact_id})
        return
    card = {"contact_id": contact_id, "saved": True}
    await manager.start(ContactCard.main, data=card, mode=StartMode.RESET_STACK)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """A form started from a shared Telegram contact card begins with its phone (and name, if complete)."""
    start = start_data if isinstance(start_data, dict) else {}
    prefill = start.get("prefill")
    form = form_of(manager)
    if start.get("edit"):
        contact = await editable_contact(session_of(manager), actor_of(manager), int(start["edit"]))
        saved = values_of(contact)
        form.update(
            name=saved.name.__dict__,
            phone=saved.phone,
            birth_date=saved.birth_date.isoformat(),
            email=saved.email,
            position=saved.position,
            done=list(steps_of(manager)),
        )
        await manager.switch_to(ContactForm.summary)
        return
    if start.get("error"):
        set_error(manager, str(start["error"]))
    if prefill:
        values: dict[str, Any] = {"phone": prefill["phone"]}
        if prefill.get("name"):
            values["name"] = prefill["name"]
        else:
            form_of(manager)["card_name_incomplete"] = True
        await accept(manager, values)
