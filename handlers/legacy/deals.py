"""Deals: ``/new_deal`` (a lead becomes a deal), the deal card with its buttons, and ``/deals``.

R1c: every button re-checks who may see (``may_see``) and who may change (``may_act``) the record.
R1d: a lead converts only with a qualifying interaction (``domain.leads.can_convert``).
R2e–R2h: the card and the list show correctness, activity and the inactivity deadline (``domain.deals``).
R2i: one open deal per client and product group, checked at the group step and again when saving.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
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

from bot.callbacks import DealCb, LeadCb, NavCb, PageCb, PickCb
from bot.cards import clipped, first_lines, is_clipped, send_full_text, with_show_full
from bot.forms import (
    FormInput,
    deny,
    go_back,
    goto,
    nav_rows,
    pager_row,
    step_keyboard,
)
from bot.i18n import Html, Translator
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.base import utcnow
from db.models import Deal, User
from db.repo import deals as repo
from db.repo import people
from db.repo.visibility import may_act, may_see, team_of
from domain import limits
from domain.access import Actor, Role
from domain.comments import check_expanded_text
from domain.deals import AT_RISK_DAYS, DealState, DealStatus, is_at_risk, total_amount
from domain.errors import ValidationError
from domain.leads import Decision
from domain.money import from_minor, to_minor
from domain.values import Money
from handlers.guards import message_of_button
from handlers.legacy.records import with_record_rows

log = logging.getLogger(__name__)

LEAD_PAGE_KIND = "ndl"
COMMENT_MAX = limits.DEAL_COMMENT
LOST_REASON = (3, limits.REASON)
LABEL_MAX = 40


class NewDeal(StatesGroup):
    lead = State()
    group = State()
    product = State()
    amount = State()
    more = State()
    stage = State()
    comment = State()
    responsible = State()
    summary = State()


class DealEdit(StatesGroup):
    product = State()
    amount = State()
    lost_reason = State()


class DraftCb(CallbackData, prefix="dd"):
    """The /new_deal form's own buttons: more | done | save | edit; ``field`` names what to change."""

    action: str
    field: str = ""


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _message(query: CallbackQuery) -> Message:
    """The button's message; the router's ``ButtonGuard`` answers a press without one as out of date."""
    return message_of_button(query)


def _zone(user: User | None, settings: Settings) -> tzinfo:
    return ZoneInfo((user.timezone if user else None) or settings.default_timezone)


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _money(minor: int) -> str:
    return Money(from_minor(minor)).display()


def _mark(chosen: bool) -> str:
    return "✓ " if chosen else ""


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _error(i18n: Translator, error: ValidationError) -> str:
    return i18n(error.key, **error.params)


def _reasons(i18n: Translator, decision: Decision) -> str:
    return "\n".join(i18n(key) for key in decision.reasons)


async def _menu(message: Message, i18n: Translator, key: str, **params: Any) -> None:
    await message.answer(i18n(key, **params), reply_markup=main_menu(i18n))


# ---------------------------------------------------------------------------------------------
# /new_deal: the steps
# ---------------------------------------------------------------------------------------------


async def _ask_lead(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings, i18n: Translator, page: int = 0
) -> bool:
    choices, has_next = await repo.open_leads_page(session, actor, page, settings.comment_policy)
    if not choices and page == 0:
        return False
    options = [
        (
            ("" if choice.decision.ok else "🔒 ")
            + _short(f"{choice.lead.contact.full_name} — {choice.lead.description}"),
            PickCb(field="lead", id=choice.lead.id),
        )
        for choice in choices
    ]
    markup = step_keyboard(i18n, options, back=False)
    pager = pager_row(i18n, LEAD_PAGE_KIND, page, has_next)
    if pager:
        markup.inline_keyboard.insert(len(options), pager)
    await message.answer(i18n("deal-ask-lead"), reply_markup=markup)
    return True


async def _ask_group(message: Message, session: AsyncSession, state: FSMContext, i18n: Translator) -> None:
    data = await state.get_data()
    lead = await repo.get_lead(session, data["lead_id"])
    groups = await repo.active_groups(session)
    preferred = lead.product_group_id if lead else None
    groups.sort(key=lambda group: group.id != preferred)
    options = [(group.name, PickCb(field="group", id=group.id)) for group in groups]
    name = lead.contact.full_name if lead else ""
    await message.answer(i18n("deal-ask-group", contact=name), reply_markup=step_keyboard(i18n, options))


async def _lines_text(session: AsyncSession, i18n: Translator, lines: list[list[int]]) -> Html:
    names = await repo.product_names(session, [pid for pid, _ in lines])
    rows = [
        i18n("deal-line", product=clipped(names.get(pid, "?"), limits.LINE_TEXT), amount=_money(minor))
        for pid, minor in lines
    ]
    return Html("\n".join(first_lines(i18n, rows)) if rows else i18n("deal-no-lines"))


async def _ask_product(message: Message, session: AsyncSession, state: FSMContext, i18n: Translator) -> None:
    data = await state.get_data()
    products = await repo.active_products(session, data["group_id"])
    options: list[tuple[str, CallbackData]] = [
        (_short(product.name), PickCb(field="product", id=product.id)) for product in products
    ]
    options.append((i18n("btn-done"), DraftCb(action="done")))
    lines = data.get("lines", [])
    await message.answer(
        i18n("deal-ask-product", lines=await _lines_text(session, i18n, lines)),
        reply_markup=step_keyboard(i18n, options),
    )


async def _ask_amount(message: Message, session: AsyncSession, state: FSMContext, i18n: Translator) -> None:
    data = await state.get_data()
    product = await repo.get_product(session, data["product_id"])
    await message.answer(
        i18n("deal-ask-amount", product=product.name if product else ""), reply_markup=step_keyboard(i18n)
    )


async def _ask_more(message: Message, session: AsyncSession, state: FSMContext, i18n: Translator) -> None:
    lines = (await state.get_data()).get("lines", [])
    total = sum(minor for _, minor in lines)
    options: list[tuple[str, CallbackData]] = [
        (i18n("deal-btn-more-product"), DraftCb(action="more")),
        (i18n("btn-done"), DraftCb(action="done")),
    ]
    await message.answer(
        i18n("deal-ask-more", lines=await _lines_text(session, i18n, lines), total=_money(total)),
        reply_markup=step_keyboard(i18n, options, columns=2),
    )


async def _ask_stage(message: Message, session: AsyncSession, state: FSMContext, i18n: Translator) -> None:
    stages = await repo.open_stages(session)
    data = await state.get_data()
    current = data.get("stage_id") or (stages[0].id if stages else None)
    await state.update_data(stage_id=current)
    options = [
        (("✓ " if stage.id == current else "") + stage.name, PickCb(field="stage", id=stage.id))
        for stage in stages
    ]
    name = next((stage.name for stage in stages if stage.id == current), "")
    await message.answer(
        i18n("deal-ask-stage", stage=name), reply_markup=step_keyboard(i18n, options, skip=True)
    )


async def _ask_comment(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("deal-ask-comment"), reply_markup=step_keyboard(i18n))


async def _responsible_options(session: AsyncSession, actor: Actor, lead_responsible_id: int) -> list[User]:
    """Who a team lead or an admin may make responsible: the lead owner's team, as far as R1c allows."""
    members = await repo.team_members(session, await team_of(session, lead_responsible_id))
    allowed = [member for member in members if await may_act(session, actor, member.id)]
    if not any(member.id == lead_responsible_id for member in allowed):
        owner = await people.get_user(session, lead_responsible_id)
        if owner is not None:
            allowed.insert(0, owner)
    return allowed


async def _ask_responsible(
    message: Message, session: AsyncSession, state: FSMContext, actor: Actor, i18n: Translator
) -> None:
    data = await state.get_data()
    lead = await repo.get_lead(session, data["lead_id"])
    members = await _responsible_options(session, actor, lead.responsible_id if lead else actor.user_id)
    options = [
        (
            _mark(member.id == data["responsible_id"]) + _short(member.full_name or str(member.id)),
            PickCb(field="resp", id=member.id),
        )
        for member in members
    ]
    names = await repo.user_names(session, [data["responsible_id"]])
    await message.answer(
        i18n("deal-ask-responsible", name=names.get(data["responsible_id"], "")),
        reply_markup=step_keyboard(i18n, options, skip=True),
    )


def _may_assign(actor: Actor) -> bool:
    return actor.role in (Role.TEAM_LEAD, Role.ADMIN)


async def _ask_summary(
    message: Message, session: AsyncSession, state: FSMContext, actor: Actor, i18n: Translator
) -> None:
    await state.update_data(editing=True)
    data = await state.get_data()
    lead = await repo.get_lead(session, data["lead_id"])
    group = await repo.get_group(session, data["group_id"])
    stage = await repo.get_stage(session, data["stage_id"])
    names = await repo.user_names(session, [data["responsible_id"]])
    lines = data.get("lines", [])
    text = i18n(
        "deal-summary",
        contact=clipped(lead.contact.full_name if lead else "", limits.CARD_NAME),
        group=clipped(group.name if group else "", limits.CARD_NAME),
        lines=await _lines_text(session, i18n, lines),
        total=_money(sum(minor for _, minor in lines)),
        stage=clipped(stage.name if stage else "", limits.CARD_NAME),
        comment=clipped(data.get("comment", ""), limits.DEAL_COMMENT),
        responsible=names.get(data["responsible_id"], ""),
    )
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("btn-save"), callback_data=DraftCb(action="save"))
    fields = ["group", "lines", "stage", "comment"] + (["resp"] if _may_assign(actor) else [])
    for name in fields:
        builder.button(text=i18n(f"deal-btn-edit-{name}"), callback_data=DraftCb(action="edit", field=name))
    builder.adjust(1, 2)
    for row in nav_rows(i18n):
        builder.row(*row)
    await message.answer(text, reply_markup=builder.as_markup())


async def _ask(
    name: str | None,
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Ask the step ``name`` again (after "back" or an invalid answer)."""
    if name == NewDeal.lead.state:
        if not await _ask_lead(message, session, actor, settings, i18n):
            await state.clear()
            await _menu(message, i18n, "deal-no-leads")
    elif name == NewDeal.group.state:
        await _ask_group(message, session, state, i18n)
    elif name == NewDeal.product.state:
        await _ask_product(message, session, state, i18n)
    elif name == NewDeal.amount.state:
        await _ask_amount(message, session, state, i18n)
    elif name == NewDeal.more.state:
        await _ask_more(message, session, state, i18n)
    elif name == NewDeal.stage.state:
        await _ask_stage(message, session, state, i18n)
    elif name == NewDeal.comment.state:
        await _ask_comment(message, i18n)
    elif name == NewDeal.responsible.state:
        await _ask_responsible(message, session, state, actor, i18n)
    elif name == NewDeal.summary.state:
        await _ask_summary(message, session, state, actor, i18n)
    elif name == DealEdit.product.state:
        await _ask_card_product(message, session, state, i18n)
    elif name == DealEdit.amount.state:
        await _ask_amount(message, session, state, i18n)
    elif name == DealEdit.lost_reason.state:
        await message.answer(i18n("deal-ask-lost-reason"), reply_markup=step_keyboard(i18n))


async def _advance(
    next_state: State,
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Go to ``next_state``, or back to the summary when the form has been there already."""
    if (await state.get_data()).get("editing"):
        next_state = NewDeal.summary
    await goto(state, next_state)
    await _ask(next_state.state, message, session, state, actor, settings, i18n)


# ---------------------------------------------------------------------------------------------
# /new_deal: the handlers
# ---------------------------------------------------------------------------------------------


async def start_new_deal(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await state.clear()
    await state.set_state(NewDeal.lead)
    if not await _ask_lead(message, session, actor, settings, i18n):
        await state.clear()
        await _menu(message, i18n, "deal-no-leads")


async def lead_page(
    query: CallbackQuery,
    callback_data: PageCb,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await query.answer()
    await _ask_lead(_message(query), session, actor, settings, i18n, max(callback_data.page, 0))


async def _begin_from_lead(
    query: CallbackQuery,
    lead_id: int,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> bool:
    """R1c and R1d for the chosen lead; on success the form goes on to the product group."""
    lead = await repo.get_lead(session, lead_id)
    if lead is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return False
    if not await may_act(session, actor, lead.responsible_id):
        await deny(query, i18n)
        return False
    decision = await repo.conversion_decision(session, lead, settings.comment_policy)
    if not decision.ok:
        await query.answer()
        await _message(query).answer(
            i18n("deal-lead-not-convertible", reasons=Html(_reasons(i18n, decision)))
        )
        return False
    await query.answer()
    await state.update_data(lead_id=lead.id, responsible_id=lead.responsible_id, lines=[], editing=False)
    await goto(state, NewDeal.group)
    await _ask_group(_message(query), session, state, i18n)
    return True


async def pick_lead(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await _begin_from_lead(query, callback_data.id, state, session, actor, settings, i18n)


async def convert_from_lead(
    query: CallbackQuery,
    callback_data: LeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """The «convert» button on a lead card: the same form, starting at the product group."""
    lead = await repo.get_lead(session, callback_data.id)
    if lead is None or not await may_act(session, actor, lead.responsible_id):
        await deny(query, i18n)
        return
    previous = (await state.get_state(), await state.get_data())
    await state.clear()
    await state.set_state(NewDeal.lead)
    if not await _begin_from_lead(query, lead.id, state, session, actor, settings, i18n):
        await state.set_state(previous[0])
        await state.set_data(previous[1])


async def _show_duplicate(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, existing_id: int
) -> None:
    """R2i: the friendly refusal, naming the open deal that blocks a second one."""
    deal = await repo.get_deal(session, existing_id)
    if deal is None:
        return
    group = await repo.get_group(session, deal.product_group_id)
    names = await repo.user_names(session, [deal.responsible_id])
    markup = None
    if await may_see(session, actor, deal.responsible_id):
        builder = InlineKeyboardBuilder()
        builder.button(text=i18n("deal-btn-open-existing"), callback_data=DealCb(action="open", id=deal.id))
        markup = builder.as_markup()
    await message.answer(
        i18n(
            "deal-duplicate",
            id=str(deal.id),
            group=group.name if group else "",
            contact=deal.contact.full_name,
            responsible=names.get(deal.responsible_id, ""),
        ),
        reply_markup=markup,
    )


async def pick_group(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    group = await repo.get_group(session, callback_data.id)
    data = await state.get_data()
    lead = await repo.get_lead(session, data["lead_id"])
    if group is None or not group.is_active or lead is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    message = _message(query)
    existing = await repo.existing_open_deal(session, lead.contact_id, group.id)
    if existing is not None:
        await _show_duplicate(message, session, actor, i18n, existing.id)
        await _ask_group(message, session, state, i18n)
        return
    changed = data.get("group_id") != group.id
    await state.update_data(group_id=group.id)
    if changed:
        await state.update_data(lines=[])
        await goto(state, NewDeal.product)
        await _ask_product(message, session, state, i18n)
        return
    await _advance(NewDeal.product, message, session, state, actor, settings, i18n)


async def pick_product(
    query: CallbackQuery, callback_data: PickCb, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    data = await state.get_data()
    product = await repo.get_product(session, callback_data.id)
    group_id = data.get("group_id") or (await _card_group(session, data))
    if product is None or not product.is_active or product.group_id != group_id:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await state.update_data(product_id=product.id)
    current = await state.get_state()
    await goto(state, DealEdit.amount if current == DealEdit.product.state else NewDeal.amount)
    await _ask_amount(_message(query), session, state, i18n)


async def _card_group(session: AsyncSession, data: dict[str, Any]) -> int | None:
    deal = await repo.get_deal(session, data["deal_id"]) if data.get("deal_id") else None
    return deal.product_group_id if deal else None


async def enter_amount(message: Message, state: FSMContext, session: AsyncSession, i18n: Translator) -> None:
    assert message.text is not None
    try:
        money = Money.parse(message.text)
    except ValidationError as error:
        await message.answer(_error(i18n, error), reply_markup=step_keyboard(i18n))
        return
    data = await state.get_data()
    lines = [*data.get("lines", []), [data["product_id"], to_minor(money.amount)]]
    await state.update_data(lines=lines)
    await goto(state, NewDeal.more)
    await _ask_more(message, session, state, i18n)


async def more_product(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, i18n: Translator
) -> None:
    await query.answer()
    await goto(state, NewDeal.product)
    await _ask_product(_message(query), session, state, i18n)


async def lines_done(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """R2f: at least one product line with an amount above zero."""
    message = _message(query)
    if not (await state.get_data()).get("lines"):
        await query.answer()
        await message.answer(i18n("deal-need-line"))
        await _ask_product(message, session, state, i18n)
        return
    await query.answer()
    await _advance(NewDeal.stage, message, session, state, actor, settings, i18n)


async def pick_stage(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    stage = await repo.get_stage(session, callback_data.id)
    if stage is None or not stage.is_active or stage.kind != "open":
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await state.update_data(stage_id=stage.id)
    await _advance(NewDeal.comment, _message(query), session, state, actor, settings, i18n)


async def keep_stage(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await query.answer()
    await _advance(NewDeal.comment, _message(query), session, state, actor, settings, i18n)


async def enter_comment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """R3d: the deal's comment is one text, judged as a whole."""
    assert message.text is not None
    text = message.text.strip()
    if too_long := limits.check_length(text, COMMENT_MAX):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    verdict = check_expanded_text(text, settings.comment_policy)
    if not verdict.ok:
        reasons = "\n".join(i18n(reason.key, **reason.params) for reason in verdict.reasons)
        await message.answer(reasons, reply_markup=step_keyboard(i18n))
        return
    await state.update_data(comment=text)
    following = NewDeal.responsible if _may_assign(actor) else NewDeal.summary
    await _advance(following, message, session, state, actor, settings, i18n)


async def pick_responsible(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    member = await people.get_user(session, callback_data.id)
    if member is None or not member.is_active or not await may_act(session, actor, member.id):
        await deny(query, i18n)
        return
    await query.answer()
    await state.update_data(responsible_id=member.id)
    await _advance(NewDeal.summary, _message(query), session, state, actor, settings, i18n)


async def keep_responsible(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await query.answer()
    await _advance(NewDeal.summary, _message(query), session, state, actor, settings, i18n)


async def edit_field(
    query: CallbackQuery,
    callback_data: DraftCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    targets = {
        "group": NewDeal.group,
        "lines": NewDeal.product,
        "stage": NewDeal.stage,
        "comment": NewDeal.comment,
        "resp": NewDeal.responsible,
    }
    target = targets.get(callback_data.field)
    if target is None or (target is NewDeal.responsible and not _may_assign(actor)):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    if target is NewDeal.product:
        await state.update_data(lines=[])
    await goto(state, target)
    await _ask(target.state, _message(query), session, state, actor, settings, i18n)


async def save_deal(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Save: R1c, R1d and R2i are checked again inside the write (``repo.convert_lead``)."""
    data = await state.get_data()
    message = _message(query)
    draft = repo.DealDraft(
        lead_id=data["lead_id"],
        product_group_id=data["group_id"],
        stage_id=data["stage_id"],
        comment=data["comment"],
        responsible_id=data["responsible_id"],
        lines=[(int(pid), int(minor)) for pid, minor in data.get("lines", [])],
    )
    try:
        deal_id = await repo.convert_lead(session, actor, draft, settings.comment_policy)
    except repo.NotAllowed:
        await state.clear()
        await deny(query, i18n)
        return
    except repo.InactiveChoice as stale:
        # The form stays on its summary, where the manager can pick another value.
        await query.answer(i18n("deal-choice-inactive", field=i18n(f"field-{stale.field}")), show_alert=True)
        return
    except repo.LeadNotConvertible as refusal:
        await state.clear()
        await query.answer()
        await _menu(
            message,
            i18n,
            "deal-lead-not-convertible",
            reasons=Html(_reasons(i18n, Decision.of(refusal.reasons))),
        )
        return
    except repo.DuplicateDeal as duplicate:
        log.info("deal save refused by R2i: lead %s, existing deal %s", draft.lead_id, duplicate.existing_id)
        await query.answer()
        await _show_duplicate(message, session, actor, i18n, duplicate.existing_id)
        return
    log.info("deal %s created from lead %s by user %s", deal_id, draft.lead_id, actor.user_id)
    await state.clear()
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await _menu(message, i18n, "deal-saved", id=str(deal_id))
    await send_deal_card(message, session, actor, settings, i18n, deal_id)


async def on_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    await query.answer()
    current = await state.get_state()
    data = await state.get_data()
    if current == NewDeal.more.state and data.get("lines"):
        # Back from "more products" re-asks the amount of the line just added.
        *rest, (product_id, _minor) = data["lines"]
        await state.update_data(lines=rest, product_id=product_id)
    previous = await go_back(state)
    if previous is None and current in {step.state for step in DealEdit.__states__}:
        # The first step of a change made from the card: "back" is the card itself.
        await state.clear()
        if data.get("deal_id"):
            await send_deal_card(_message(query), session, actor, settings, i18n, int(data["deal_id"]))
        return
    await _ask(previous or current, _message(query), session, state, actor, settings, i18n)


async def use_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("deal-use-buttons"))


async def need_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("deal-need-text"))


# ---------------------------------------------------------------------------------------------
# The deal card
# ---------------------------------------------------------------------------------------------


def _state_lines(i18n: Translator, deal: Deal, state: DealState) -> list[str]:
    """R2e–R2h on the card: correct or not (with the missing fields), active or not, the deadline."""
    rows: list[str] = []
    if state.correct:
        rows.append(i18n("deal-card-correct"))
    else:
        fields = ", ".join(i18n(f"field-{name}") for name in state.problems)
        rows.append(i18n("deal-card-incorrect", fields=fields))
    if deal.status != DealStatus.OPEN.value or state.deadline_day is None or state.days_left is None:
        return rows
    deadline = state.deadline_day.strftime("%d.%m.%Y")
    if state.active:
        rows.append(i18n("deal-card-active", deadline=deadline, days=state.days_left))
    elif not state.correct:
        rows.append(i18n("deal-card-inactive-incorrect", deadline=deadline))
    else:
        rows.append(i18n("deal-card-inactive-overdue", deadline=deadline, days=-state.days_left))
    return rows


async def _card(
    session: AsyncSession, deal: Deal, settings: Settings, i18n: Translator, tz: tzinfo
) -> tuple[str, InlineKeyboardMarkup]:
    group = await repo.get_group(session, deal.product_group_id)
    names = await repo.user_names(session, [deal.responsible_id])
    products = await repo.product_names(session, [line.product_id for line in deal.lines])
    state = repo.state_of(deal, utcnow(), settings.inactivity_period, settings.comment_policy, tz)
    snapshot = repo.snapshot(deal)
    lines = [
        i18n(
            "deal-line",
            product=clipped(products.get(line.product_id, "?"), limits.LINE_TEXT),
            amount=_money(line.amount_minor),
        )
        for line in deal.lines
    ] or [i18n("deal-no-lines")]
    rows = [
        i18n("deal-card-title", id=str(deal.id), status=i18n(f"deal-status-{deal.status}")),
        i18n("deal-card-contact", name=clipped(deal.contact.full_name, limits.CARD_NAME)),
        i18n("deal-card-group", group=clipped(group.name if group else "", limits.CARD_NAME)),
        i18n("deal-card-stage", stage=clipped(deal.stage.name, limits.CARD_NAME)),
        i18n("deal-card-lines", lines=Html("\n".join(first_lines(i18n, lines)))),
        i18n("deal-card-total", total=Money(total_amount(snapshot.lines)).display()),
        i18n("deal-card-responsible", name=clipped(names.get(deal.responsible_id, ""), limits.CARD_NAME)),
        i18n("deal-card-comment", comment=clipped(deal.comment)),
        *_state_lines(i18n, deal, state),
    ]
    if deal.closed_at is not None:
        rows.append(i18n("deal-card-closed-at", at=deal.closed_at.astimezone(tz).strftime("%d.%m.%Y %H:%M")))
    if deal.lost_reason:
        rows.append(i18n("deal-card-lost-reason", reason=clipped(deal.lost_reason, limits.CARD_REASON)))
    builder = InlineKeyboardBuilder()
    if deal.status == DealStatus.OPEN.value:
        for action, key in (
            ("log", "deal-btn-log"),
            ("stage", "deal-btn-stage"),
            ("product", "deal-btn-product"),
            ("task", "deal-btn-task"),
            ("won", "deal-btn-won"),
            ("lost", "deal-btn-lost"),
        ):
            builder.button(text=i18n(key), callback_data=DealCb(action=action, id=deal.id))
    builder.adjust(1, 2, 2, 2)
    markup = builder.as_markup()
    if is_clipped(deal.comment):
        markup = with_show_full(i18n, markup, DealCb(action="full", id=deal.id))
    return "\n".join(rows), markup


async def send_deal_card(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings, i18n: Translator, deal_id: int
) -> None:
    """Send the deal card into ``message.chat``: R2e–R2h state and the buttons of what may be done."""
    deal = await repo.get_deal(session, deal_id)
    if deal is None or not await may_see(session, actor, deal.responsible_id):
        await message.answer(i18n("access-denied"))
        return
    user = await people.get_user(session, actor.user_id)
    text, markup = await _card(session, deal, settings, i18n, _zone(user, settings))
    markup = await with_record_rows(session, actor, i18n, "deal", deal.id, markup)
    await message.answer(text, reply_markup=markup)


async def show_full_comment(
    query: CallbackQuery, callback_data: DealCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """«Показать полностью» on a deal card: the whole comment, after the same R1c check as the card."""
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=False)
    if deal is None:
        return
    message = query.message
    if not isinstance(message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await send_full_text(message, i18n, i18n("deal-full-comment", id=deal.id), deal.comment or "")


async def _deal_for(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator, deal_id: int, *, change: bool
) -> Deal | None:
    """R1c / Access for a button: view needs ``may_see``, change needs ``may_act`` and an open deal."""
    deal = await repo.get_deal(session, deal_id)
    if deal is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return None
    allowed = may_act if change else may_see
    if not await allowed(session, actor, deal.responsible_id):
        log.info("deal %s: refused a button for user %s", deal_id, actor.user_id)
        await deny(query, i18n)
        return None
    if change and deal.status != DealStatus.OPEN.value:
        await query.answer(i18n("deal-closed"), show_alert=True)
        return None
    return deal


async def open_deal(
    query: CallbackQuery,
    callback_data: DealCb,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=False)
    if deal is None:
        return
    await query.answer()
    await send_deal_card(_message(query), session, actor, settings, i18n, deal.id)


async def stage_button(
    query: CallbackQuery,
    callback_data: DealCb,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=True)
    if deal is None:
        return
    message = _message(query)
    if callback_data.arg == 0:
        await query.answer()
        builder = InlineKeyboardBuilder()
        for stage in await repo.open_stages(session):
            label = ("✓ " if stage.id == deal.stage_id else "") + stage.name
            builder.button(text=label, callback_data=DealCb(action="stage", id=deal.id, arg=stage.id))
        builder.button(text=i18n("btn-back"), callback_data=DealCb(action="open", id=deal.id))
        builder.adjust(1)
        await message.answer(
            i18n("deal-ask-new-stage", stage=deal.stage.name), reply_markup=builder.as_markup()
        )
        return
    try:
        await repo.change_stage(session, actor, deal.id, callback_data.arg)
    except repo.DealClosed:
        await query.answer(i18n("deal-closed"), show_alert=True)
        return
    except ValueError:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer(i18n("deal-stage-changed"))
    await send_deal_card(message, session, actor, settings, i18n, deal.id)


async def _ask_card_product(
    message: Message, session: AsyncSession, state: FSMContext, i18n: Translator
) -> None:
    group_id = await _card_group(session, await state.get_data())
    products = await repo.active_products(session, group_id) if group_id else []
    options = [(_short(product.name), PickCb(field="product", id=product.id)) for product in products]
    await message.answer(i18n("deal-ask-card-product"), reply_markup=step_keyboard(i18n, options, back=False))


async def product_button(
    query: CallbackQuery,
    callback_data: DealCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=True)
    if deal is None:
        return
    await query.answer()
    await state.clear()
    await state.update_data(deal_id=deal.id)
    await state.set_state(DealEdit.product)
    await _ask_card_product(_message(query), session, state, i18n)


async def _finish_card_edit(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    deal_id: int,
    done_key: str,
    **params: Any,
) -> None:
    await state.clear()
    await _menu(message, i18n, done_key, **params)
    await send_deal_card(message, session, actor, settings, i18n, deal_id)


async def _still_may_change(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, i18n: Translator
) -> int | None:
    """A typed answer on a card's step: the rights are checked again before the write."""
    deal_id = (await state.get_data()).get("deal_id")
    deal = await repo.get_deal(session, deal_id) if deal_id else None
    if deal is None or not await may_act(session, actor, deal.responsible_id):
        await state.clear()
        await _menu(message, i18n, "access-denied")
        return None
    if deal.status != DealStatus.OPEN.value:
        await state.clear()
        await _menu(message, i18n, "deal-closed")
        return None
    return deal.id


async def enter_card_amount(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    assert message.text is not None
    try:
        money = Money.parse(message.text)
    except ValidationError as error:
        await message.answer(_error(i18n, error), reply_markup=step_keyboard(i18n))
        return
    deal_id = await _still_may_change(message, state, session, actor, i18n)
    if deal_id is None:
        return
    product_id = (await state.get_data())["product_id"]
    try:
        await repo.add_line(session, actor, deal_id, product_id, to_minor(money.amount))
    except repo.DealClosed:
        await state.clear()
        await _menu(message, i18n, "deal-closed")
        return
    except ValueError:
        await state.clear()
        await _menu(message, i18n, "button-stale")
        return
    await _finish_card_edit(message, state, session, actor, settings, i18n, deal_id, "deal-line-added")


async def won_button(
    query: CallbackQuery,
    callback_data: DealCb,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=True)
    if deal is None:
        return
    message = _message(query)
    if callback_data.arg != 1:
        await query.answer()
        builder = InlineKeyboardBuilder()
        builder.button(
            text=i18n("deal-btn-won-confirm"), callback_data=DealCb(action="won", id=deal.id, arg=1)
        )
        builder.button(text=i18n("btn-back"), callback_data=DealCb(action="open", id=deal.id))
        await message.answer(i18n("deal-ask-won", id=str(deal.id)), reply_markup=builder.as_markup())
        return
    try:
        await repo.close_deal(session, actor, deal.id, DealStatus.WON)
    except repo.DealClosed:
        await query.answer(i18n("deal-closed"), show_alert=True)
        return
    log.info("deal %s won, user %s", deal.id, actor.user_id)
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(i18n("deal-won-saved"))
    await send_deal_card(message, session, actor, settings, i18n, deal.id)


async def lost_button(
    query: CallbackQuery,
    callback_data: DealCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    deal = await _deal_for(query, session, actor, i18n, callback_data.id, change=True)
    if deal is None:
        return
    await query.answer()
    await state.clear()
    await state.update_data(deal_id=deal.id)
    await state.set_state(DealEdit.lost_reason)
    await _message(query).answer(i18n("deal-ask-lost-reason"), reply_markup=step_keyboard(i18n))


async def enter_lost_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    assert message.text is not None
    reason = message.text.strip()
    low, high = LOST_REASON
    if too_long := limits.check_length(reason, high):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    if len(reason) < low:
        await message.answer(
            i18n("deal-lost-reason-invalid", min=low, max=high), reply_markup=step_keyboard(i18n)
        )
        return
    deal_id = await _still_may_change(message, state, session, actor, i18n)
    if deal_id is None:
        return
    try:
        await repo.close_deal(session, actor, deal_id, DealStatus.LOST, reason)
    except repo.DealClosed:
        await state.clear()
        await _menu(message, i18n, "deal-closed")
        return
    log.info("deal %s lost, user %s", deal_id, actor.user_id)
    await _finish_card_edit(message, state, session, actor, settings, i18n, deal_id, "deal-lost-saved")


# ---------------------------------------------------------------------------------------------
# /deals
# ---------------------------------------------------------------------------------------------


def _list_icon(state: DealState, at_risk_days: int = AT_RISK_DAYS) -> str:
    if not state.correct:
        return "⚠️"
    if not state.active:
        return "💤"
    if is_at_risk(state.active, state.days_left, at_risk_days):
        return "⏳"
    return "🟢"


async def _deals_page(
    session: AsyncSession, actor: Actor, user: User, settings: Settings, i18n: Translator, flt: str, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    items, has_next = await repo.list_deals(
        session,
        actor,
        flt,
        page,
        now=utcnow(),
        period_months=settings.inactivity_period,
        policy=settings.comment_policy,
        tz=_zone(user, settings),
        at_risk_days=settings.at_risk_days,
    )
    rows = [
        i18n(
            "deal-list-item",
            icon=_list_icon(item.state, settings.at_risk_days),
            id=str(item.deal.id),
            contact=item.deal.contact.full_name,
            group=item.group_name,
            stage=item.deal.stage.name,
            days=item.state.days_left if item.state.days_left is not None else 0,
        )
        for item in items
    ]
    body = Html("\n".join(rows)) if rows else Html(i18n("deal-list-empty"))
    text = i18n("deal-list", filter=i18n(f"deal-filter-{flt}"), items=body)
    builder = InlineKeyboardBuilder()
    for item in items:
        label = f"{_list_icon(item.state)} №{item.deal.id} {_short(item.deal.contact.full_name, 30)}"
        builder.row(_button(label, DealCb(action="open", id=item.deal.id)))
    filters = [
        InlineKeyboardButton(
            text=("• " if code == flt else "") + i18n(f"deal-filter-{code}"),
            callback_data=PageCb(kind="deals", page=0, flt=code).pack(),
        )
        for code in repo.DEAL_FILTERS
    ]
    builder.row(*filters[:3])
    builder.row(*filters[3:])
    pager = pager_row(i18n, "deals", page, has_next, flt)
    if pager:
        builder.row(*pager)
    return text, builder.as_markup()


async def list_deals(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    await state.clear()
    text, markup = await _deals_page(session, actor, user, settings, i18n, "all", 0)
    await message.answer(text, reply_markup=markup)


async def deals_page(
    query: CallbackQuery,
    callback_data: PageCb,
    session: AsyncSession,
    actor: Actor,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    if callback_data.flt not in repo.DEAL_FILTERS or callback_data.page < 0:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    text, markup = await _deals_page(
        session, actor, user, settings, i18n, callback_data.flt, callback_data.page
    )
    await _message(query).edit_text(text, reply_markup=markup)


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def create_router() -> Router:
    router = Router(name="deals")
    form_input = FormInput()

    router.message.register(start_new_deal, Command("new_deal"))
    router.message.register(start_new_deal, MenuButton("new_deal"))
    router.message.register(list_deals, Command("deals"))
    router.message.register(list_deals, MenuButton("deals"))

    router.callback_query.register(convert_from_lead, LeadCb.filter(F.action == "convert"))
    router.callback_query.register(lead_page, PageCb.filter(F.kind == LEAD_PAGE_KIND), NewDeal.lead)
    router.callback_query.register(pick_lead, PickCb.filter(F.field == "lead"), NewDeal.lead)
    router.callback_query.register(pick_group, PickCb.filter(F.field == "group"), NewDeal.group)
    router.callback_query.register(
        pick_product, PickCb.filter(F.field == "product"), StateFilter(NewDeal.product, DealEdit.product)
    )
    router.callback_query.register(more_product, DraftCb.filter(F.action == "more"), NewDeal.more)
    router.callback_query.register(
        lines_done, DraftCb.filter(F.action == "done"), StateFilter(NewDeal.product, NewDeal.more)
    )
    router.callback_query.register(pick_stage, PickCb.filter(F.field == "stage"), NewDeal.stage)
    router.callback_query.register(keep_stage, NavCb.filter(F.action == "skip"), NewDeal.stage)
    router.callback_query.register(pick_responsible, PickCb.filter(F.field == "resp"), NewDeal.responsible)
    router.callback_query.register(keep_responsible, NavCb.filter(F.action == "skip"), NewDeal.responsible)
    router.callback_query.register(edit_field, DraftCb.filter(F.action == "edit"), NewDeal.summary)
    router.callback_query.register(save_deal, DraftCb.filter(F.action == "save"), NewDeal.summary)
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), StateFilter(NewDeal, DealEdit))

    router.message.register(enter_amount, NewDeal.amount, F.text, form_input)
    router.message.register(enter_comment, NewDeal.comment, F.text, form_input)
    router.message.register(enter_card_amount, DealEdit.amount, F.text, form_input)
    router.message.register(enter_lost_reason, DealEdit.lost_reason, F.text, form_input)
    text_steps = StateFilter(
        NewDeal.amount,
        NewDeal.comment,
        DealEdit.amount,
        DealEdit.lost_reason,
    )
    router.message.register(need_text, text_steps, form_input)
    router.message.register(use_buttons, StateFilter(NewDeal, DealEdit), form_input)

    router.callback_query.register(open_deal, DealCb.filter(F.action == "open"))
    router.callback_query.register(show_full_comment, DealCb.filter(F.action == "full"))
    router.callback_query.register(stage_button, DealCb.filter(F.action == "stage"))
    router.callback_query.register(product_button, DealCb.filter(F.action == "product"))
    router.callback_query.register(won_button, DealCb.filter(F.action == "won"))
    router.callback_query.register(lost_button, DealCb.filter(F.action == "lost"))
    router.callback_query.register(deals_page, PageCb.filter(F.kind == "deals"))
    return router
