"""``/log``: record a call, correspondence or meeting on a lead or a deal (R1c, R1d, R1e, R2h, R3).

Started from the menu (pick one of my open leads or deals) or from a lead or deal card. When the outcome
reaches the client, the comment is asked in two parts (R3c), each checked by the domain; an optional
next-step date becomes a task. When it does not reach the client, it is recorded at once and the manager is
told plainly that it does not count (R1e, R3b). The form keeps its answers under the FSM key ``log_form``.
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
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import DealCb, LeadCb, NavCb, PageCb
from bot.forms import (
    FormInput,
    form_data,
    go_back,
    goto,
    message_of,
    nav_rows,
    pager_row,
    step_keyboard,
    update_form,
)
from bot.i18n import Html, Translator
from bot.menu import MenuButton, main_menu
from bot.settings import Settings
from db.base import utcnow
from db.models import User
from db.repo import interactions as repo
from db.repo.interactions import Access, NextStep, Subject
from domain.access import Actor
from domain.comments import Reason, check_expanded_comment
from domain.errors import ValidationError
from domain.interactions import (
    Interaction,
    InteractionKind,
    Outcome,
    is_qualifying,
    outcomes_for,
    reaches_client,
)
from domain.values import DueAt
from handlers.deals import send_deal_card
from handlers.leads import send_lead_card

log = logging.getLogger(__name__)

FORM = "log_form"
PAGE_KINDS = {"logl": Subject.LEAD, "logd": Subject.DEAL}


class LogForm(StatesGroup):
    subject = State()
    kind = State()
    outcome = State()
    discussed = State()
    agreed = State()
    due = State()


class LogCb(CallbackData, prefix="lg"):
    """leads | deals (show a list), lead | deal (pick one, ``id``), kind | outcome (``value``)."""

    action: str
    id: int = 0
    value: str = ""


async def _form(state: FSMContext) -> dict[str, Any]:
    return await form_data(state, FORM)


async def _update(state: FSMContext, **values: Any) -> dict[str, Any]:
    return await update_form(state, FORM, **values)


async def _refuse(query: CallbackQuery, i18n: Translator, access: Access) -> None:
    key = {
        Access.DENIED: "interaction-access-denied",
        Access.NOT_OPEN: "interaction-not-open",
        Access.GONE: "button-stale",
    }[access]
    await query.answer(i18n(key), show_alert=True)


# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------


async def ask_subject(message: Message, i18n: Translator, **_: Any) -> None:
    options = [
        (i18n("interaction-btn-my-leads"), LogCb(action="leads")),
        (i18n("interaction-btn-my-deals"), LogCb(action="deals")),
    ]
    await message.answer(
        i18n("interaction-ask-subject"), reply_markup=step_keyboard(i18n, options, back=False)
    )


async def ask_kind(message: Message, i18n: Translator, **_: Any) -> None:
    options = [(i18n(f"kind-{kind}"), LogCb(action="kind", value=kind.value)) for kind in InteractionKind]
    await message.answer(i18n("interaction-ask-kind"), reply_markup=step_keyboard(i18n, options, columns=3))


async def ask_outcome(message: Message, state: FSMContext, i18n: Translator, **_: Any) -> None:
    kind = InteractionKind((await _form(state))["kind"])
    options = [
        (i18n(f"outcome-{outcome}"), LogCb(action="outcome", value=outcome.value))
        for outcome in outcomes_for(kind)
    ]
    await message.answer(
        i18n("interaction-ask-outcome", kind=i18n(f"kind-{kind}")), reply_markup=step_keyboard(i18n, options)
    )


async def ask_discussed(message: Message, i18n: Translator, **_: Any) -> None:
    await message.answer(i18n("interaction-ask-discussed"), reply_markup=step_keyboard(i18n))


async def ask_agreed(message: Message, i18n: Translator, **_: Any) -> None:
    await message.answer(i18n("interaction-ask-agreed"), reply_markup=step_keyboard(i18n))


async def ask_due(message: Message, i18n: Translator, **_: Any) -> None:
    await message.answer(i18n("interaction-ask-due"), reply_markup=step_keyboard(i18n, skip=True))


ASKERS = {
    LogForm.subject.state: ask_subject,
    LogForm.kind.state: ask_kind,
    LogForm.outcome.state: ask_outcome,
    LogForm.discussed.state: ask_discussed,
    LogForm.agreed.state: ask_agreed,
    LogForm.due.state: ask_due,
}


async def _show(step: State, message: Message, state: FSMContext, i18n: Translator) -> None:
    await goto(state, step)
    await ASKERS[str(step.state)](message, state=state, i18n=i18n)


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


async def start_log(message: Message, state: FSMContext, i18n: Translator) -> None:
    await state.set_state(None)
    await state.update_data({FORM: {}, "_back": []})
    await goto(state, LogForm.subject)
    await ask_subject(message, i18n)


async def _start_on(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    subject: Subject,
    subject_id: int,
) -> None:
    """R1c: only the responsible manager, their team lead or an admin; only an open lead or deal."""
    message = message_of(query)
    access = await repo.check_subject(session, actor, subject, subject_id)
    if message is None or access is not Access.OK:
        return await _refuse(query, i18n, Access.GONE if message is None else access)
    await query.answer()
    await state.set_state(None)
    await state.update_data({FORM: {"subject": subject.value, "id": subject_id}, "_back": []})
    await _show(LogForm.kind, message, state, i18n)


async def start_on_lead(
    query: CallbackQuery,
    callback_data: LeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    await _start_on(query, state, session, actor, i18n, Subject.LEAD, callback_data.id)


async def start_on_deal(
    query: CallbackQuery,
    callback_data: DealCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    await _start_on(query, state, session, actor, i18n, Subject.DEAL, callback_data.id)


async def _send_subjects(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    subject: Subject,
    page: int,
    *,
    edit: bool,
) -> None:
    if subject is Subject.LEAD:
        rows, has_next = await repo.open_leads_page(session, actor, page)
    else:
        rows, has_next = await repo.open_deals_page(session, actor, page)
    if not rows and page == 0:
        await message.answer(i18n(f"interaction-no-open-{subject.value}s"))
        return
    builder = InlineKeyboardBuilder()
    for row in rows:
        builder.button(
            text=i18n.plain("interaction-subject-button", id=row.id, name=row.contact.full_name),
            callback_data=LogCb(action=subject.value, id=row.id),
        )
    builder.adjust(1)
    pager = pager_row(i18n, "logl" if subject is Subject.LEAD else "logd", page, has_next)
    if pager:
        builder.row(*pager)
    for nav in nav_rows(i18n, back=False):
        builder.row(*nav)
    text = i18n(f"interaction-pick-{subject.value}", page=page + 1)
    if edit:
        await message.edit_text(text, reply_markup=builder.as_markup())
    else:
        await message.answer(text, reply_markup=builder.as_markup())


async def on_list(
    query: CallbackQuery, callback_data: LogCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    subject = Subject.LEAD if callback_data.action == "leads" else Subject.DEAL
    await _send_subjects(message, session, actor, i18n, subject, 0, edit=False)


async def on_list_page(
    query: CallbackQuery, callback_data: PageCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    message = message_of(query)
    if message is None or callback_data.page < 0:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    await _send_subjects(
        message, session, actor, i18n, PAGE_KINDS[callback_data.kind], callback_data.page, edit=True
    )


async def on_subject_picked(
    query: CallbackQuery,
    callback_data: LogCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    message = message_of(query)
    subject = Subject(callback_data.action)
    access = await repo.check_subject(session, actor, subject, callback_data.id)
    if message is None or access is not Access.OK:
        return await _refuse(query, i18n, Access.GONE if message is None else access)
    await query.answer()
    await _update(state, subject=subject.value, id=callback_data.id)
    await _show(LogForm.kind, message, state, i18n)


async def on_kind(query: CallbackQuery, callback_data: LogCb, state: FSMContext, i18n: Translator) -> None:
    message = message_of(query)
    if message is None or callback_data.value not in set(InteractionKind):
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    await _update(state, kind=callback_data.value)
    await _show(LogForm.outcome, message, state, i18n)


async def on_outcome(
    query: CallbackQuery,
    callback_data: LogCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    form = await _form(state)
    kind = InteractionKind(form["kind"]) if form.get("kind") in set(InteractionKind) else None
    if message is None or kind is None or callback_data.value not in {o.value for o in outcomes_for(kind)}:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    outcome = Outcome(callback_data.value)
    await _update(state, outcome=outcome.value)
    if reaches_client(kind, outcome):
        await _show(LogForm.discussed, message, state, i18n)
        return
    # R1e/R3b: no conversation took place, so there is no comment to ask for; it is recorded as it is.
    await _save(message, state, session, user, actor, settings, i18n, next_step=None)


def _reason_text(i18n: Translator, reason: Reason) -> str:
    return i18n(
        "interaction-comment-invalid",
        part=i18n(f"comment-part-{reason.field}"),
        reason=Html(i18n(reason.key, **reason.params)),
    )


async def on_discussed(message: Message, state: FSMContext, settings: Settings, i18n: Translator) -> None:
    """R3c, first part: «О чём говорили?» is judged on its own."""
    text = (message.text or "").strip()
    check = check_expanded_comment(text, "", settings.comment_policy)
    reason = next((r for r in check.reasons if r.field == "discussed"), None)
    if reason is not None:
        await message.answer(_reason_text(i18n, reason), reply_markup=step_keyboard(i18n))
        return
    await _update(state, discussed=text)
    await _show(LogForm.agreed, message, state, i18n)


async def on_agreed(message: Message, state: FSMContext, settings: Settings, i18n: Translator) -> None:
    """R3c, second part: «О чём договорились / следующий шаг?»; it must not repeat the first part."""
    text = (message.text or "").strip()
    discussed = str((await _form(state)).get("discussed") or "")
    check = check_expanded_comment(discussed, text, settings.comment_policy)
    reason = next((r for r in check.reasons if r.field == "agreed"), None)
    if reason is not None:
        await message.answer(_reason_text(i18n, reason), reply_markup=step_keyboard(i18n))
        return
    await _update(state, agreed=text)
    await _show(LogForm.due, message, state, i18n)


async def on_due(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    zone = ZoneInfo(user.timezone or settings.default_timezone)
    try:
        due = DueAt.parse(message.text or "", utcnow(), zone)
    except ValidationError as error:
        await message.answer(
            i18n("interaction-due-invalid", reason=Html(i18n(error.key, **error.params))),
            reply_markup=step_keyboard(i18n, skip=True),
        )
        return
    title = str((await _form(state)).get("agreed") or "")
    await _save(message, state, session, user, actor, settings, i18n, next_step=NextStep(title, due.at))


async def on_skip_due(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    await _save(message, state, session, user, actor, settings, i18n, next_step=None)


async def on_back(query: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    message = message_of(query)
    if message is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    previous = await go_back(state)
    if previous is None:
        previous = LogForm.subject.state
        await state.set_state(previous)
    await ASKERS[previous](message, state=state, i18n=i18n)


async def use_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("interaction-use-buttons"))


async def text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("interaction-text-expected"))


# ---------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------


async def _save(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    *,
    next_step: NextStep | None,
) -> None:
    form = await _form(state)
    subject, subject_id = Subject(form["subject"]), int(form["id"])
    occurred_at = utcnow()
    interaction = Interaction(
        kind=InteractionKind(form["kind"]),
        outcome=Outcome(form["outcome"]),
        occurred_at=occurred_at,
        author_id=actor.user_id,
        discussed=form.get("discussed"),
        agreed=form.get("agreed"),
    )
    qualifying = is_qualifying(interaction, settings.comment_policy)
    saved = await repo.save_interaction(
        session,
        actor=actor,
        subject=subject,
        subject_id=subject_id,
        kind=interaction.kind.value,
        outcome=interaction.outcome.value,
        discussed=interaction.discussed,
        agreed=interaction.agreed,
        qualifying=qualifying,
        occurred_at=occurred_at,
        next_step=next_step,
    )
    await state.clear()
    if saved.access is not Access.OK:
        key = {Access.DENIED: "interaction-access-denied", Access.NOT_OPEN: "interaction-not-open"}
        await message.answer(i18n(key.get(saved.access, "button-stale")), reply_markup=main_menu(i18n))
        return
    log.info(
        "interaction %s saved on %s %s, qualifying=%s",
        saved.interaction.id if saved.interaction else None,
        subject.value,
        subject_id,
        qualifying,
    )
    if qualifying:
        text = i18n(f"interaction-saved-qualifying-{subject.value}")
    else:
        text = i18n(
            "interaction-saved-not-qualifying",
            kind=i18n(f"kind-{interaction.kind}"),
            outcome=i18n(f"outcome-{interaction.outcome}"),
        )
    if next_step is not None:
        zone = ZoneInfo(user.timezone or settings.default_timezone)
        text += "\n" + i18n("interaction-task-created", due=DueAt(next_step.due_at).display(zone))
    await message.answer(text, reply_markup=main_menu(i18n))
    if subject is Subject.LEAD:
        await send_lead_card(message, session, actor, settings, i18n, subject_id)
        return
    await send_deal_card(message, session, actor, settings, i18n, subject_id)


def create_router() -> Router:
    router = Router(name="interactions")
    form = StateFilter(LogForm)
    router.message.register(start_log, Command("log"))
    router.message.register(start_log, MenuButton("log"))
    router.callback_query.register(start_on_lead, LeadCb.filter(F.action == "log"))
    router.callback_query.register(start_on_deal, DealCb.filter(F.action == "log"))
    router.callback_query.register(on_list, LogCb.filter(F.action.in_({"leads", "deals"})), LogForm.subject)
    router.callback_query.register(on_list_page, PageCb.filter(F.kind.in_(set(PAGE_KINDS))), LogForm.subject)
    router.callback_query.register(
        on_subject_picked, LogCb.filter(F.action.in_({"lead", "deal"})), LogForm.subject
    )
    router.callback_query.register(on_kind, LogCb.filter(F.action == "kind"), LogForm.kind)
    router.callback_query.register(on_outcome, LogCb.filter(F.action == "outcome"), LogForm.outcome)
    router.callback_query.register(on_skip_due, NavCb.filter(F.action == "skip"), LogForm.due)
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), form)

    router.message.register(on_discussed, LogForm.discussed, FormInput(), F.text)
    router.message.register(on_agreed, LogForm.agreed, FormInput(), F.text)
    router.message.register(on_due, LogForm.due, FormInput(), F.text)
    router.message.register(
        text_expected, StateFilter(LogForm.discussed, LogForm.agreed, LogForm.due), FormInput()
    )
    router.message.register(use_buttons, form, FormInput())
    return router
