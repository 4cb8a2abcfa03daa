"""What the new-deal form does with an answer: the lead (R1c, R1d), the group (R2i), the lines (R2f), the
comment (R3d), the save (R2d, R2i checked again inside the write).

A deal from a lead starts pre-filled: the lead's product group (unless R2i forbids it), the first stage,
the lead's manager as responsible and the qualifying call's comment (R1d). Only what is still missing is
asked; the rest is changed from the summary.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from db.models import Lead
from db.repo import deals as repo
from db.repo import directories, users
from db.repo.visibility import may_act, may_see
from domain import errors, limits
from domain.comments import check_expanded_text
from domain.errors import ValidationError
from domain.interactions import qualifying_interactions
from domain.money import parse_line_total
from handlers.deals.choices import QUERY, Item, chosen_id, group_items, matching, product_items
from handlers.deals.fields import BY_NAME, DETAILS, FIELDS, Form, may_assign
from handlers.deals.states import DealCard, DealForm
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.details import ASKING, columns
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.launch import find_state
from handlers.kit.pickers import LeadPick
from handlers.kit.steps import cancel_form

log = logging.getLogger(__name__)

FORM = "form"
HISTORY = "history"
#: The open deal that blocked a group (R2i), shown with «Открыть существующую сделку» when visible.
EXISTING = "existing_deal"


class LeadNotConvertible(errors.Conflict):
    """R1d, for a «💼 Сделка» button: the alert names the reason, nothing starts."""

    def __init__(self, key: str) -> None:
        super().__init__("lead is not convertible")
        self.key = key


# --- parsing: each typed answer through the domain ------------------------------------------------------


def parse_amount(text: str, manager: DialogManager) -> int:
    """R2f: an amount above zero, in kopecks («150 000», «150к», «1,5 млн»), or quantity × price
    («5 × 90 000», «5x90000»)."""
    return parse_line_total(text)


def parse_comment(text: str, manager: DialogManager) -> str:
    """R3d: the deal's comment is one text, judged as a whole."""
    cleaned = text.strip()
    if too_long := limits.check_length(cleaned, limits.DEAL_COMMENT):
        raise ValidationError("limit-too-long", "text too long", limit=too_long.limit, length=too_long.length)
    verdict = check_expanded_text(cleaned, settings_of(manager).comment_policy)
    if not verdict.ok:
        reason = verdict.reasons[0]
        raise ValidationError(reason.key, "comment is not expanded", **reason.params)
    return cleaned


def parse_reason(text: str, manager: DialogManager) -> str:
    """A lost deal's reason: 3–500 characters (``domain.limits``)."""
    cleaned = " ".join(text.split())
    if too_long := limits.check_length(cleaned, limits.REASON):
        raise ValidationError("limit-too-long", "text too long", limit=too_long.limit, length=too_long.length)
    if len(cleaned) < limits.REASON_MIN:
        raise ValidationError(
            "deal-lost-reason-invalid", "reason too short", min=limits.REASON_MIN, max=limits.REASON
        )
    return cleaned


# --- the form's state -----------------------------------------------------------------------------------


def form_of(manager: DialogManager) -> Form:
    form = manager.dialog_data.setdefault(FORM, {})
    assert isinstance(form, dict)
    return form


def read_form(manager: DialogManager) -> Form:
    """The form's answers, for a getter (which changes nothing)."""
    form = manager.dialog_data.get(FORM)
    return form if isinstance(form, dict) else {}


def start_of(manager: DialogManager) -> dict[str, Any]:
    return manager.start_data if isinstance(manager.start_data, dict) else {}


async def go(manager: DialogManager, state: State) -> None:
    """Show ``state``, remembering where «Назад» returns to."""
    manager.dialog_data.pop(QUERY, None)
    current = manager.current_context().state
    if current not in (state, DealForm.lead):
        manager.dialog_data.setdefault(HISTORY, []).append(current.state)
    await manager.switch_to(state)


async def next_step(manager: DialogManager) -> None:
    """The first asked field still missing, else the summary (where every field can be changed)."""
    form = form_of(manager)
    for field in FIELDS:
        if field.asked and not field.filled(form):
            await go(manager, field.state)
            return
    manager.dialog_data[HISTORY] = []
    manager.dialog_data.pop(QUERY, None)
    await manager.switch_to(DealForm.summary)


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    """The step before this one; before the first step, the lead again (or out, for a form started on a
    lead's card)."""
    history = manager.dialog_data.get(HISTORY) or []
    previous = find_state(history.pop()) if history else None
    if previous is not None:
        await manager.switch_to(previous)
        return
    if start_of(manager).get("lead_id"):
        await cancel_form(event, widget, manager)
        return
    await manager.start(LeadPick.main, data={"purpose": "deal"})


# --- the lead -------------------------------------------------------------------------------------------


def offered_comment(manager: DialogManager, discussed: str | None, agreed: str | None) -> str | None:
    """The qualifying call's two parts (R3c) as one deal comment, if it passes R3d and fits."""
    text = ". ".join(part.strip().rstrip(".") for part in (discussed, agreed) if part and part.strip())
    try:
        return parse_comment(text, manager) if text else None
    except ValidationError:
        return None


async def convertible_lead(manager: DialogManager, lead_id: int) -> tuple[Lead, tuple[str, ...]]:
    """R1c: the lead, when this user may act on it; and R1d: the reasons it may not become a deal yet."""
    session = session_of(manager)
    lead = await repo.get_lead(session, lead_id)
    if lead is None:
        raise errors.Gone("lead not found")
    if not await may_act(session, actor_of(manager), lead.responsible_id):
        raise errors.NotAllowed("lead of another manager")
    decision = await repo.conversion_decision(session, lead, settings_of(manager).comment_policy)
    return lead, decision.reasons


async def check_lead(manager: DialogManager, lead_id: int) -> None:
    """For a «💼 Сделка» button: refused with one alert (R1c, R1d) before anything opens."""
    _lead, reasons = await convertible_lead(manager, lead_id)
    if reasons:
        raise LeadNotConvertible(f"deal-lead-refused-{reasons[0].removeprefix('err-lead-')}")


async def begin(manager: DialogManager, lead_id: int, *, from_card: bool) -> None:
    """R1c, R1d for the chosen lead, then the form pre-filled from it. A lead that may not convert is
    refused: on a card's button with an alert, after the picker on the lead step."""
    session, settings = session_of(manager), settings_of(manager)
    lead, reasons = await convertible_lead(manager, lead_id)
    if reasons:
        if from_card:
            raise LeadNotConvertible(f"deal-lead-refused-{reasons[0].removeprefix('err-lead-')}")
        await manager.switch_to(DealForm.lead)
        set_error(manager, reasons[0])
        return
    clear_error(manager)
    interactions = (await repo.lead_interactions(session, [lead.id]))[lead.id]
    qualifying = qualifying_interactions(interactions, settings.comment_policy)
    comment = (
        offered_comment(manager, qualifying[-1].discussed, qualifying[-1].agreed) if qualifying else None
    )
    stages = await directories.open_stages(session)
    form: Form = {
        "lead_id": lead.id,
        "contact_id": lead.contact_id,
        "contact": lead.contact.full_name,
        "responsible_id": lead.responsible_id,
        "stage_id": stages[0].id if stages else None,
        "lines": [],
        "comment": comment,
        "comment_offered": comment is not None,
    }
    manager.dialog_data[FORM] = form
    manager.dialog_data[HISTORY] = []
    manager.dialog_data.pop(EXISTING, None)
    group = await directories.get_group(session, lead.product_group_id) if lead.product_group_id else None
    if group is not None and group.is_active:
        existing = await repo.existing_open_deal(session, lead.contact_id, group.id)
        if existing is None:
            form["group_id"] = group.id
        else:
            await go(manager, DealForm.group)
            await show_duplicate(manager, existing.id)
            return
    await next_step(manager)


async def on_start(start_data: Any, manager: DialogManager) -> None:
    form_of(manager)
    start = start_data if isinstance(start_data, dict) else {}
    if start.get("lead_id"):
        await begin(manager, int(start["lead_id"]), from_card=True)
        return
    await manager.start(LeadPick.main, data={"purpose": "deal"})


async def on_process_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    """The lead picker's answer ``{"lead_id"}``; without one (cancelled), a form without a lead closes."""
    if isinstance(result, dict) and result.get("lead_id"):
        await begin(manager, int(result["lead_id"]), from_card=False)
        return
    if not form_of(manager).get("lead_id") and manager.current_context().state == DealForm.lead:
        await manager.done()


async def pick_lead(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.start(LeadPick.main, data={"purpose": "deal"})


# --- choices --------------------------------------------------------------------------------------------


async def show_duplicate(manager: DialogManager, existing_id: int) -> None:
    """R2i: name the open deal that blocks a second one; offer to open it when the manager may see it."""
    session, i18n = session_of(manager), i18n_of(manager)
    deal = await repo.get_deal(session, existing_id)
    if deal is None:
        return
    group = await directories.get_group(session, deal.product_group_id)
    names = await users.user_names(session, [deal.responsible_id])
    visible = await may_see(session, actor_of(manager), deal.responsible_id)
    manager.dialog_data[EXISTING] = deal.id if visible else None
    log.info("deal form refused by R2i: open deal %s", deal.id)
    set_error(
        manager,
        "deal-duplicate",
        id=str(deal.id),
        group=group.label if group else "",
        contact=deal.contact.full_name,
        responsible=names.get(deal.responsible_id, "") or i18n.plain("deal-value-none"),
    )


async def on_group(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """R2i is checked as soon as the group is chosen, and again at the save."""
    form, session = form_of(manager), session_of(manager)
    group = await directories.get_group(session, chosen_id(item_id))
    if group is None or not group.is_active:
        raise errors.Gone("product group switched off")
    manager.dialog_data.pop(QUERY, None)
    existing = await repo.existing_open_deal(session, int(form["contact_id"]), group.id)
    if existing is not None:
        await show_duplicate(manager, existing.id)
        return
    manager.dialog_data.pop(EXISTING, None)
    if form.get("group_id") != group.id:
        form["lines"] = []
        form.pop("replace_lines", None)
    form["group_id"] = group.id
    await next_step(manager)


async def on_product(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    form = form_of(manager)
    product = await directories.get_product(session_of(manager), chosen_id(item_id))
    if product is None or not product.is_active or product.group_id != form.get("group_id"):
        raise errors.Gone("product not in the group")
    manager.dialog_data.pop(QUERY, None)
    form["product_id"] = product.id
    await go(manager, DealForm.amount)


async def on_amount(event: Any, widget: Any, manager: DialogManager, minor: int) -> None:
    form = form_of(manager)
    kept = [] if form.pop("replace_lines", False) else list(form.get("lines") or [])
    form["lines"] = [*kept, [int(form.pop("product_id")), minor]]
    await next_step(manager)


async def on_stage(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    stage = await directories.get_stage(session_of(manager), chosen_id(item_id))
    if stage is None or not stage.is_active or stage.kind != "open":
        raise errors.Gone("stage switched off")
    form_of(manager)["stage_id"] = stage.id
    await next_step(manager)


async def on_comment(event: Any, widget: Any, manager: DialogManager, text: str) -> None:
    form = form_of(manager)
    form["comment"], form["comment_offered"] = text, False
    await next_step(manager)


async def store_detail(manager: DialogManager, name: str, value: Any) -> None:
    """An optional detail answered (``None``: left empty); back to the summary."""
    form = form_of(manager)
    if value is None:
        form.pop(name, None)
    else:
        form[name] = value
    await next_step(manager)


async def on_responsible(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """R1c: only someone the team lead or admin may act for."""
    actor, session = actor_of(manager), session_of(manager)
    member = await users.get_user(session, chosen_id(item_id))
    if (
        not may_assign(actor)
        or member is None
        or not member.is_active
        or not await may_act(session, actor, member.id)
    ):
        raise errors.NotAllowed("may not assign this person")
    form_of(manager)["responsible_id"] = member.id
    await next_step(manager)


async def _search(message: Message, manager: DialogManager, items: list[Item]) -> Item | None:
    """Text typed at a choice step narrows its list; one match is taken as the choice."""
    found = matching(items, message.text)
    if not found:
        manager.dialog_data.pop(QUERY, None)
        set_error(manager, "deal-search-none", text=(message.text or "")[:50])
        return None
    clear_error(manager)
    manager.dialog_data[QUERY] = message.text
    return found[0] if len(found) == 1 else None


async def search_group(message: Message, widget: Any, manager: DialogManager) -> None:
    found = await _search(message, manager, await group_items(manager))
    if found is not None:
        await on_group(message, widget, manager, str(found[0]))


async def search_product(message: Message, widget: Any, manager: DialogManager) -> None:
    found = await _search(message, manager, await product_items(manager, form_of(manager).get("group_id")))
    if found is not None:
        await on_product(message, widget, manager, str(found[0]))


# --- the summary ----------------------------------------------------------------------------------------


async def on_edit(event: Any, widget: Any, manager: DialogManager, name: str) -> None:
    """«✏️ field» on the summary: that field's window, then the summary again. «✏️ Товары» starts the
    lines over (they belong to the group)."""
    field = BY_NAME.get(name)
    if field is None or not field.editable(manager):
        raise errors.Gone("no such field")
    if name == "lines":
        form_of(manager)["replace_lines"] = True
    if field.detail is not None:
        manager.dialog_data[ASKING] = field.name
    await go(manager, field.state)


async def on_more(event: Any, widget: Any, manager: DialogManager) -> None:
    await go(manager, DealForm.product)


async def open_existing(event: Any, widget: Any, manager: DialogManager) -> None:
    existing = manager.dialog_data.get(EXISTING)
    if existing:
        await manager.start(DealCard.main, data={"deal_id": int(existing)})


async def on_save(event: Any, widget: Any, manager: DialogManager) -> None:
    """Save: R1c, R1d and R2i are checked again inside the write (``repo.convert_lead``)."""
    form, session, actor = form_of(manager), session_of(manager), actor_of(manager)
    if not all(field.filled(form) for field in FIELDS):
        await next_step(manager)
        return
    draft = repo.DealDraft(
        lead_id=int(form["lead_id"]),
        product_group_id=int(form["group_id"]),
        stage_id=int(form["stage_id"]),
        comment=str(form["comment"]),
        responsible_id=int(form["responsible_id"]),
        lines=[(int(pid), int(minor)) for pid, minor in form["lines"]],
        details=columns(DETAILS, form),
    )
    try:
        deal_id = await repo.convert_lead(session, actor, draft, settings_of(manager).comment_policy)
    except repo.InactiveChoice as stale:
        set_error(manager, "deal-choice-inactive", field=i18n_of(manager).plain(f"field-{stale.field}"))
        return
    except repo.LeadNotConvertible as refusal:
        set_error(manager, refusal.reasons[0] if refusal.reasons else "err-lead-not-open")
        return
    except repo.DuplicateDeal as duplicate:
        await show_duplicate(manager, duplicate.existing_id)
        return
    log.info("deal %s created from lead %s by user %s", deal_id, draft.lead_id, actor.user_id)
    await manager.start(DealCard.main, data={"deal_id": deal_id, "saved": True}, mode=StartMode.RESET_STACK)
