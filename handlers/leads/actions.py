"""What the lead form does with an answer (R1): parse it, re-authorise a choice, move on, save.

The form keeps its answers in ``dialog_data["form"]``; a choice (a contact, a source, a group, the responsible
person) arrives as a button id from the client and is checked again through the repository before it is kept.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button

from bot.callbacks import parse_id
from db.repo import directories
from db.repo import leads as repo
from db.repo.contacts import ContactDraft
from domain import limits
from domain.access import Actor, Role
from domain.errors import Gone, NotAllowed, ValidationError
from handlers.kit.context import actor_of, session_of
from handlers.kit.inputs import clear_error, set_error
from handlers.leads.states import LeadCard, LeadForm

log = logging.getLogger(__name__)

FORM = "form"
QUERY = "query"
FILTER = "filter"
STEPS = ("contact", "source", "group", "description", "responsible")
STATE_OF = {step: getattr(LeadForm, step) for step in STEPS}
MANAGES_TEAM = frozenset({Role.TEAM_LEAD, Role.ADMIN})
SEARCH_MIN_LENGTH = 2


# --- the form's answers ---------------------------------------------------------------------------------


def form_of(manager: DialogManager) -> dict[str, Any]:
    form = manager.dialog_data.setdefault(FORM, {"done": []})
    assert isinstance(form, dict)
    return form


def start_of(manager: DialogManager) -> dict[str, Any]:
    return manager.start_data if isinstance(manager.start_data, dict) else {}


def chooses_responsible(actor: Actor) -> bool:
    """A team lead or an admin chooses who is responsible; a manager is responsible himself (R1b)."""
    return actor.role in MANAGES_TEAM


EDIT_STEPS = ("source", "group", "description")


def editing_id(manager: DialogManager) -> int | None:
    """The saved lead this form edits (start data ``{"edit": lead_id}``), if any."""
    start = start_of(manager)
    return int(start["edit"]) if start.get("edit") else None


def steps_of(manager: DialogManager) -> tuple[str, ...]:
    """Editing a saved lead changes its source, group and description (its responsible is changed with
    «👥 Переназначить» on the card)."""
    if editing_id(manager) is not None:
        return EDIT_STEPS
    if chooses_responsible(actor_of(manager)):
        return STEPS
    return tuple(step for step in STEPS if step != "responsible")


def offered_of(manager: DialogManager) -> ContactDraft | None:
    """R5b: what the manager typed in the contact form that matched an existing contact (start data only,
    so it cannot be forged)."""
    offered = start_of(manager).get("offered")
    if not isinstance(offered, dict):
        return None
    birth = offered.get("birth_date")
    return ContactDraft(
        name_key=offered.get("name_key"),
        phone=offered.get("phone"),
        birth_date=date.fromisoformat(birth) if birth else None,
        email=offered.get("email"),
    )


async def next_step(manager: DialogManager, after: str | None = None) -> None:
    """The step after ``after`` in order (the first open one when starting), or the summary when editing or
    when every step is answered."""
    form = form_of(manager)
    manager.dialog_data.pop(FILTER, None)
    steps = steps_of(manager)
    following = steps[steps.index(after) + 1 :] if after in steps else steps
    pending = [step for step in following if after is not None or step not in form["done"]]
    if form.get("editing") or not pending:
        form["editing"] = False
        await manager.switch_to(LeadForm.summary)
        return
    await manager.switch_to(STATE_OF[pending[0]])


async def accept(manager: DialogManager, step: str, value: Any) -> None:
    form = form_of(manager)
    form[step] = value
    if step not in form["done"]:
        form["done"] = [name for name in STEPS if name in {*form["done"], step}]
    clear_error(manager)
    await next_step(manager, step)


def chosen_id(item_id: str) -> int:
    """A button id from the client: a row id, or the choice is out of date."""
    value = parse_id(item_id)
    if value is None:
        raise Gone("not a row id")
    return value


# --- the contact step: pick, search by typed text, or a new contact as a sub-dialog -------------------------


def parse_search(text: str, manager: DialogManager) -> str:
    query = " ".join(text.split())
    if too_long := limits.check_length(query, limits.SEARCH_TEXT):
        raise ValidationError(
            "limit-search-too-long", "search too long", limit=too_long.limit, length=too_long.length
        )
    if len(query) < SEARCH_MIN_LENGTH:
        raise ValidationError("lead-search-too-short", "search too short")
    return query


async def on_search(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    manager.dialog_data[QUERY] = query


async def on_recent(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(QUERY, None)
    clear_error(manager)


async def take_contact(manager: DialogManager, contact_id: int) -> None:
    """SPEC "Access": a contact the user may see, or the one R5b offered (proven by what was typed)."""
    known = offered_of(manager)
    if not await repo.may_start_lead_on(session_of(manager), actor_of(manager), contact_id, known):
        raise NotAllowed("contact not visible")
    manager.dialog_data.pop(QUERY, None)
    await accept(manager, "contact", contact_id)


async def on_contact(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await take_contact(manager, chosen_id(item_id))


async def on_new_contact_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    """The contact form, started from the contact step, returns the contact it saved."""
    if isinstance(result, dict) and result.get("contact_id"):
        await take_contact(manager, int(result["contact_id"]))


# --- the choice steps: a button, or typed text that narrows the list ---------------------------------------


def parse_filter(text: str, manager: DialogManager) -> str:
    query = " ".join(text.split())
    if too_long := limits.check_length(query, limits.SEARCH_TEXT):
        raise ValidationError(
            "limit-search-too-long", "search too long", limit=too_long.limit, length=too_long.length
        )
    if not query:
        raise ValidationError("lead-search-too-short", "search too short")
    return query


async def choices(manager: DialogManager, step: str) -> list[tuple[int, str]]:
    """The step's options as (id, name): sources, product groups, or the people the user may assign."""
    session, actor = session_of(manager), actor_of(manager)
    if step == "source":
        return [(row.id, row.label) for row in await repo.active_sources(session)]
    if step == "group":
        return [(row.id, row.label) for row in await directories.active_groups(session)]
    users = await repo.assignable_users(session, actor)
    return [(user.id, user.full_name or str(user.telegram_id)) for user in users]


def matching(options: list[tuple[int, str]], query: str | None) -> list[tuple[int, str]]:
    if not query:
        return options
    words = query.casefold().replace("ё", "е").split()
    return [item for item in options if all(word in item[1].casefold().replace("ё", "е") for word in words)]


def step_name(manager: DialogManager) -> str:
    return (manager.current_context().state.state or "").split(":")[-1]


async def on_filter(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    """Typed text at a choice step: one match is taken at once, several narrow the buttons."""
    step = step_name(manager)
    found = matching(await choices(manager, step), query)
    if len(found) == 1:
        await take_choice(manager, step, found[0][0])
        return
    manager.dialog_data[FILTER] = query
    if not found:
        set_error(manager, "lead-choice-none", query=query)


async def on_show_all(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(FILTER, None)
    clear_error(manager)


async def take_choice(manager: DialogManager, step: str, item_id: int) -> None:
    session, actor = session_of(manager), actor_of(manager)
    if step == "source" and await repo.active_source(session, item_id) is None:
        raise Gone("source switched off")
    if step == "group" and await repo.active_group(session, item_id) is None:
        raise Gone("group switched off")
    if step == "responsible" and (
        not chooses_responsible(actor) or await repo.assignable_user(session, actor, item_id) is None
    ):
        raise NotAllowed("may not assign this user")
    await accept(manager, step, item_id)


async def on_choice(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await take_choice(manager, step_name(manager), chosen_id(item_id))


async def on_skip_group(event: Any, widget: Any, manager: DialogManager) -> None:
    await accept(manager, "group", None)


# --- the description -----------------------------------------------------------------------------------


def parse_description(text: str, manager: DialogManager) -> str:
    cleaned = text.strip()
    low, high = limits.LEAD_DESCRIPTION_MIN, limits.LEAD_DESCRIPTION
    length = limits.rendered_length(cleaned)
    if length > high:
        raise ValidationError("limit-too-long", "description too long", limit=high, length=length)
    if len(cleaned) < low:
        raise ValidationError(
            "lead-description-too-short", "description too short", min=low, max=high, length=length
        )
    return cleaned


async def on_description(message: Message, widget: Any, manager: DialogManager, text: str) -> None:
    await accept(manager, "description", text)


# --- the summary --------------------------------------------------------------------------------------


async def on_edit(event: Any, widget: Any, manager: DialogManager, field: str) -> None:
    """«✏️ field» on the summary: that step, then the summary again."""
    if field not in steps_of(manager):
        raise Gone("no such field")
    form_of(manager)["editing"] = True
    manager.dialog_data.pop(QUERY, None)
    await manager.switch_to(STATE_OF[field])


async def on_save(event: Any, widget: Button, manager: DialogManager) -> None:
    """R1a/R1b: the lead is saved with its audit entry (and the responsible person's notice, through the
    outbox); the repository checks the contact (SPEC "Access", R5b) and every choice again."""
    form = form_of(manager)
    if not all(form.get(key) for key in ("contact", "source", "description")):
        await next_step(manager)
        return
    actor = actor_of(manager)
    lead_id = editing_id(manager)
    if lead_id is not None:
        values = repo.LeadValues(
            source_id=int(form["source"]),
            product_group_id=int(form["group"]) if form.get("group") else None,
            description=str(form["description"]),
        )
        changed = await repo.edit_lead(session_of(manager), actor, lead_id, values)
        log.info("lead %s edited by user %s: %d field(s)", lead_id, actor.user_id, len(changed))
        notice = {"key": "lead-edited" if changed else "lead-edit-unchanged"}
        card = {"lead_id": lead_id, "notice": notice}
        await manager.start(LeadCard.main, data=card, mode=StartMode.RESET_STACK)
        return
    lead = await repo.create_lead(
        session_of(manager),
        actor=actor,
        known=offered_of(manager),
        contact_id=int(form["contact"]),
        source_id=int(form["source"]),
        product_group_id=int(form["group"]) if form.get("group") else None,
        description=str(form["description"]),
        responsible_id=int(form.get("responsible") or actor.user_id),
    )
    if lead is None:
        set_error(manager, "lead-save-failed")
        return
    log.info("lead %s created by user %s", lead.id, actor.user_id)
    await manager.start(LeadCard.main, data={"lead_id": lead.id, "saved": True}, mode=StartMode.RESET_STACK)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    """Started on a contact (its card, or R5b's duplicate screen): the form begins at the source."""
    start = start_data if isinstance(start_data, dict) else {}
    form = form_of(manager)
    if start.get("edit"):
        lead = await repo.editable_lead(session_of(manager), actor_of(manager), int(start["edit"]))
        form.update(
            contact=lead.contact_id,
            source=lead.source_id,
            group=lead.product_group_id,
            description=lead.description,
            responsible=lead.responsible_id,
            done=list(STEPS),
        )
        await manager.switch_to(LeadForm.summary)
        return
    if start.get("contact_id"):
        await take_contact(manager, int(start["contact_id"]))
