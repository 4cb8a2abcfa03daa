"""``/log``: record a call, correspondence or meeting on a lead or a deal (R1c, R1d, R1e, R2h, R3).

Started from the menu (pick one of my open leads or deals) or from a lead or deal card. When the outcome
reaches the client, the comment is asked in two parts (R3c), each checked by the domain, then an optional
next-step date (it becomes a task). When it does not reach the client, no comment is asked (R1e, R3b).
Either way the form ends on a summary (SPEC "Interface conventions"): every answer, and plainly whether it
will count as a qualifying contact (R1d). Any part can be changed there; nothing is saved before «Сохранить».

The form keeps its answers under the FSM key ``log_form``: ``subject``, ``id``, ``kind`` and ``outcome``
(set together when the outcome is chosen; the kind picked before that waits in ``_kind``), ``discussed``,
``agreed`` and ``due`` (the next-step moment as ISO UTC, ``None`` when skipped, absent when not asked yet).
A step reached from the summary (the summary is in the "back" history) returns to the summary once nothing
is missing; otherwise the steps follow one another.
"""

from __future__ import annotations

import logging
from datetime import datetime
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

from bot.callbacks import DealCb, LeadCb, NavCb, OptionalId, PageCb
from bot.forms import (
    BACK_KEY,
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
from db.repo import deals as deals_repo
from db.repo import interactions as repo
from db.repo.interactions import Access, NextStep, Subject
from domain import limits
from domain.access import Actor
from domain.comments import CommentPolicy, Reason, check_expanded_comment
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
from handlers.legacy.deals import send_deal_card
from handlers.legacy.leads import send_lead_card

log = logging.getLogger(__name__)

FORM = "log_form"
PAGE_KINDS = {"logl": Subject.LEAD, "logd": Subject.DEAL}
EDITABLE = ("kind", "discussed", "agreed", "due")
COMMENT_KEYS = ("discussed", "agreed", "due")


class LogForm(StatesGroup):
    subject = State()
    kind = State()
    outcome = State()
    discussed = State()
    agreed = State()
    due = State()
    summary = State()


class LogCb(CallbackData, prefix="lg"):
    """leads | deals (show a list), lead | deal (pick one, ``id``), kind | outcome (``value``),
    edit (``value`` is one of ``EDITABLE``) | save on the summary."""

    action: str
    id: OptionalId = 0
    value: str = ""


EDIT_STEPS = {
    "kind": LogForm.kind,
    "discussed": LogForm.discussed,
    "agreed": LogForm.agreed,
    "due": LogForm.due,
}


async def _form(state: FSMContext) -> dict[str, Any]:
    return await form_data(state, FORM)


async def _update(state: FSMContext, **values: Any) -> dict[str, Any]:
    return await update_form(state, FORM, **values)


async def _drop(state: FSMContext, *keys: str) -> None:
    form = await _form(state)
    for key in keys:
        form.pop(key, None)
    await state.update_data({FORM: form})


async def _refuse(query: CallbackQuery, i18n: Translator, access: Access) -> None:
    key = {
        Access.DENIED: "interaction-access-denied",
        Access.NOT_OPEN: "interaction-not-open",
        Access.GONE: "button-stale",
    }[access]
    await query.answer(i18n(key), show_alert=True)


def _zone(user: User, settings: Settings) -> ZoneInfo:
    return ZoneInfo(user.timezone or settings.default_timezone)


def _kind_outcome(form: dict[str, Any]) -> tuple[InteractionKind, Outcome] | None:
    """The chosen kind and outcome, when both are there and belong together."""
    kind, outcome = form.get("kind"), form.get("outcome")
    if kind not in set(InteractionKind) or outcome not in set(Outcome):
        return None
    if Outcome(outcome) not in outcomes_for(InteractionKind(kind)):
        return None
    return InteractionKind(kind), Outcome(outcome)


def _due_at(form: dict[str, Any]) -> datetime | None:
    value = form.get("due")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _interaction(form: dict[str, Any], author_id: int, occurred_at: datetime) -> Interaction | None:
    chosen = _kind_outcome(form)
    if chosen is None:
        return None
    kind, outcome = chosen
    reached = reaches_client(kind, outcome)
    return Interaction(
        kind=kind,
        outcome=outcome,
        occurred_at=occurred_at,
        author_id=author_id,
        discussed=(form.get("discussed") or None) if reached else None,
        agreed=(form.get("agreed") or None) if reached else None,
    )


def _missing(form: dict[str, Any]) -> State:
    """The first step still to be answered, or the summary when the form is complete."""
    chosen = _kind_outcome(form)
    if chosen is None:
        return LogForm.kind
    if reaches_client(*chosen):
        if not form.get("discussed"):
            return LogForm.discussed
        if not form.get("agreed"):
            return LogForm.agreed
        if "due" not in form:
            return LogForm.due
    return LogForm.summary


async def _editing(state: FSMContext) -> bool:
    """A step reached from the summary (it is in the "back" history) returns there when it is answered."""
    return LogForm.summary.state in list((await state.get_data()).get(BACK_KEY, []))


def _reason_text(i18n: Translator, reason: Reason) -> str:
    return i18n(
        "interaction-comment-invalid",
        part=i18n(f"comment-part-{reason.field}"),
        reason=Html(i18n(reason.key, **reason.params)),
    )


def _agreed_reason(discussed: str, agreed: str, policy: CommentPolicy) -> Reason | None:
    check = check_expanded_comment(discussed, agreed, policy)
    return next((r for r in check.reasons if r.field == "agreed"), None)


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
    form = await _form(state)
    kind = InteractionKind(form.get("_kind") or form["kind"])
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


async def ask_due(
    message: Message, state: FSMContext, i18n: Translator, zone: ZoneInfo | None = None, **_: Any
) -> None:
    text = i18n("interaction-ask-due")
    due_at = _due_at(await _form(state))
    if due_at is not None and zone is not None:
        text += "\n" + i18n("interaction-due-current", due=DueAt(due_at).display(zone))
    await message.answer(text, reply_markup=step_keyboard(i18n, skip=True))


ASKERS = {
    LogForm.subject.state: ask_subject,
    LogForm.kind.state: ask_kind,
    LogForm.outcome.state: ask_outcome,
    LogForm.discussed.state: ask_discussed,
    LogForm.agreed.state: ask_agreed,
    LogForm.due.state: ask_due,
}


async def _show(
    step: State, message: Message, state: FSMContext, i18n: Translator, zone: ZoneInfo | None = None
) -> None:
    await goto(state, step)
    await ASKERS[str(step.state)](message, state=state, i18n=i18n, zone=zone)


# ---------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------


async def _subject_line(session: AsyncSession, i18n: Translator, subject: Subject, subject_id: int) -> str:
    if subject is Subject.LEAD:
        row = await deals_repo.get_lead(session, subject_id)
    else:
        row = await deals_repo.get_deal(session, subject_id)
    name = row.contact.full_name if row is not None else i18n("interaction-value-none")
    return i18n(f"interaction-summary-{subject.value}", id=subject_id, name=name)


async def _summary_text(
    session: AsyncSession, user: User, settings: Settings, i18n: Translator, form: dict[str, Any]
) -> str:
    subject = Subject(form["subject"])
    interaction = _interaction(form, user.id, utcnow())
    assert interaction is not None  # the summary is only reached with a kind and an outcome
    none = i18n("interaction-value-none")
    due_at = _due_at(form) if interaction.reaches_client else None
    if is_qualifying(interaction, settings.comment_policy):
        verdict = i18n(f"interaction-verdict-qualifying-{subject.value}")
    else:
        verdict = i18n("interaction-verdict-not-qualifying")
    return i18n(
        "interaction-summary",
        subject=Html(await _subject_line(session, i18n, subject, int(form["id"]))),
        kind=i18n(f"kind-{interaction.kind}"),
        outcome=i18n(f"outcome-{interaction.outcome}"),
        discussed=limits.clip(interaction.discussed, limits.LOG_PART) if interaction.discussed else none,
        agreed=limits.clip(interaction.agreed, limits.LOG_PART) if interaction.agreed else none,
        due=DueAt(due_at).display(_zone(user, settings)) if due_at is not None else none,
        verdict=Html(verdict),
    )


def _summary_keyboard(i18n: Translator, form: dict[str, Any]) -> InlineKeyboardMarkup:
    chosen = _kind_outcome(form)
    fields = EDITABLE if chosen is not None and reaches_client(*chosen) else EDITABLE[:1]
    builder = InlineKeyboardBuilder()
    for field in fields:
        builder.button(
            text=i18n(f"interaction-btn-edit-{field}"), callback_data=LogCb(action="edit", value=field)
        )
    builder.adjust(1, 2, 1)
    builder.row(InlineKeyboardButton(text=i18n("btn-save"), callback_data=LogCb(action="save").pack()))
    for row in nav_rows(i18n):
        builder.row(*row)
    return builder.as_markup()


async def _send_summary(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
    *,
    prefix: str = "",
) -> None:
    form = await _form(state)
    if form.get("_kind") != form.get("kind"):
        # A kind picked and then walked back from before its outcome was chosen does not stick.
        form = await _update(state, _kind=form.get("kind"))
    text = await _summary_text(session, user, settings, i18n, form)
    await message.answer(prefix + text, reply_markup=_summary_keyboard(i18n, form))


async def _go(
    step: State,
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Move to ``step`` (a question or the summary) and show it."""
    if step == LogForm.summary:
        await goto(state, LogForm.summary)
        await _send_summary(message, state, session, user, settings, i18n)
        return
    await _show(step, message, state, i18n, _zone(user, settings))


async def _advance(
    after: State,
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """After a valid answer: ``after`` (the next step in order), or, when editing from the summary, the
    first step still missing, which is usually the summary itself."""
    step = _missing(await _form(state)) if await _editing(state) else after
    await _go(step, message, state, session, user, settings, i18n)


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
    # The kind is kept aside until its outcome is chosen, so kind and outcome always belong together.
    await _update(state, _kind=callback_data.value)
    await _show(LogForm.outcome, message, state, i18n)


async def on_outcome(
    query: CallbackQuery,
    callback_data: LogCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    form = await _form(state)
    chosen = form.get("_kind") or form.get("kind")
    kind = InteractionKind(chosen) if chosen in set(InteractionKind) else None
    if message is None or kind is None or callback_data.value not in {o.value for o in outcomes_for(kind)}:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    outcome = Outcome(callback_data.value)
    await _update(state, kind=kind.value, outcome=outcome.value)
    if reaches_client(kind, outcome):
        await _advance(LogForm.discussed, message, state, session, user, settings, i18n)
        return
    # R1e/R3b: no conversation took place, so there is no comment and no next step to ask for.
    await _drop(state, *COMMENT_KEYS)
    await _go(LogForm.summary, message, state, session, user, settings, i18n)


async def on_discussed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """R3c, first part: «О чём говорили?» is judged on its own."""
    text = (message.text or "").strip()
    if too_long := limits.check_length(text, limits.LOG_PART):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    check = check_expanded_comment(text, "", settings.comment_policy)
    reason = next((r for r in check.reasons if r.field == "discussed"), None)
    if reason is not None:
        await message.answer(_reason_text(i18n, reason), reply_markup=step_keyboard(i18n))
        return
    form = await _update(state, discussed=text)
    agreed = str(form.get("agreed") or "")
    if agreed and await _editing(state):
        # R3c: the agreed part, given before, must not repeat the new discussed part: ask it again if so.
        clash = _agreed_reason(text, agreed, settings.comment_policy)
        if clash is not None:
            await _drop(state, "agreed")
            await goto(state, LogForm.agreed)
            await message.answer(
                _reason_text(i18n, clash) + "\n\n" + i18n("interaction-ask-agreed"),
                reply_markup=step_keyboard(i18n),
            )
            return
    await _advance(LogForm.agreed, message, state, session, user, settings, i18n)


async def on_agreed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """R3c, second part: «О чём договорились / следующий шаг?»; it must not repeat the first part."""
    text = (message.text or "").strip()
    if too_long := limits.check_length(text, limits.LOG_PART):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    discussed = str((await _form(state)).get("discussed") or "")
    reason = _agreed_reason(discussed, text, settings.comment_policy)
    if reason is not None:
        await message.answer(_reason_text(i18n, reason), reply_markup=step_keyboard(i18n))
        return
    await _update(state, agreed=text)
    await _advance(LogForm.due, message, state, session, user, settings, i18n)


async def on_due(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    try:
        due = DueAt.parse(message.text or "", utcnow(), _zone(user, settings))
    except ValidationError as error:
        await message.answer(
            i18n("interaction-due-invalid", reason=Html(i18n(error.key, **error.params))),
            reply_markup=step_keyboard(i18n, skip=True),
        )
        return
    await _update(state, due=due.at.isoformat())
    await _advance(LogForm.summary, message, state, session, user, settings, i18n)


async def on_skip_due(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """No next-step date (or, from the summary, remove the one given)."""
    message = message_of(query)
    if message is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    await _update(state, due=None)
    await _advance(LogForm.summary, message, state, session, user, settings, i18n)


async def on_edit(
    query: CallbackQuery,
    callback_data: LogCb,
    state: FSMContext,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """«✏️» on the summary: that step (for «Вид и итог», the kind and then the outcome), then the summary."""
    message = message_of(query)
    chosen = _kind_outcome(await _form(state))
    comments_apply = chosen is not None and reaches_client(*chosen)
    if (
        message is None
        or callback_data.value not in EDITABLE
        or (callback_data.value != "kind" and not comments_apply)
    ):
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    await _show(EDIT_STEPS[callback_data.value], message, state, i18n, _zone(user, settings))


async def on_summary_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    await _send_summary(
        message, state, session, user, settings, i18n, prefix=i18n("interaction-summary-use-buttons") + "\n\n"
    )


async def on_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    previous = await go_back(state)
    if previous is None:
        previous = LogForm.subject.state
        await state.set_state(previous)
    if previous == LogForm.summary.state:
        await _send_summary(message, state, session, user, settings, i18n)
        return
    await ASKERS[previous](message, state=state, i18n=i18n, zone=_zone(user, settings))


async def use_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("interaction-use-buttons"))


async def text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("interaction-text-expected"))


# ---------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------


async def on_save(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    """«💾 Сохранить» on the summary: the only place the interaction is written."""
    message = message_of(query)
    form = await _form(state)
    if message is None or "subject" not in form or _kind_outcome(form) is None:
        return await _refuse(query, i18n, Access.GONE)
    await query.answer()
    missing = _missing(form)
    if missing != LogForm.summary:
        # A part left out (the flow was walked back): ask it, then come back here.
        await _show(missing, message, state, i18n, _zone(user, settings))
        return
    due_at = _due_at(form)
    if due_at is not None and due_at <= utcnow():
        # The summary waited past the next-step date: ask for a new one.
        await goto(state, LogForm.due)
        await message.answer(
            i18n("interaction-due-invalid", reason=Html(i18n("err-due-in-past"))),
            reply_markup=step_keyboard(i18n, skip=True),
        )
        return
    await _save(message, state, session, user, actor, settings, i18n)


async def _save(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    form = await _form(state)
    subject, subject_id = Subject(form["subject"]), int(form["id"])
    occurred_at = utcnow()
    interaction = _interaction(form, actor.user_id, occurred_at)
    assert interaction is not None  # checked by on_save
    due_at = _due_at(form) if interaction.reaches_client else None
    next_step = NextStep(interaction.agreed or "", due_at) if due_at is not None else None
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
        text += "\n" + i18n(
            "interaction-task-created", due=DueAt(next_step.due_at).display(_zone(user, settings))
        )
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
    router.callback_query.register(on_edit, LogCb.filter(F.action == "edit"), LogForm.summary)
    router.callback_query.register(on_save, LogCb.filter(F.action == "save"), LogForm.summary)
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), form)

    router.message.register(on_discussed, LogForm.discussed, FormInput(), F.text)
    router.message.register(on_agreed, LogForm.agreed, FormInput(), F.text)
    router.message.register(on_due, LogForm.due, FormInput(), F.text)
    router.message.register(
        text_expected, StateFilter(LogForm.discussed, LogForm.agreed, LogForm.due), FormInput()
    )
    router.message.register(on_summary_text, LogForm.summary, FormInput())
    router.message.register(use_buttons, form, FormInput())
    return router
