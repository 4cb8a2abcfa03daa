"""The day plan: ``/today`` (and the "📅 План на день" button), task buttons, and the admins' ``/outbox``.

The plan shows, on the user's own clock: overdue tasks, the rest of today's tasks, and the user's own open
deals at risk (R2h: active, at most 7 days to the inactivity deadline). Each task has "done", "reschedule"
and "open" (its deal or lead card); each deal has "open".

R1c: every task button (on the plan or on a ``task_due`` reminder) re-reads the task and checks that the
presser is its assignee, the assignee's team lead, or an admin. A forged button changes nothing.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import DealCb, LeadCb, NavCb, PlanCb, TaskCb
from bot.cards import clipped
from bot.forms import FormInput, step_keyboard
from bot.i18n import Translator
from bot.menu import MenuButton, main_menu
from bot.notifications import zone_of
from bot.settings import Settings
from db.base import utcnow
from db.models import Task, User
from db.repo import outbox
from db.repo import today as repo
from db.repo.visibility import may_act
from domain import limits
from domain.access import Actor
from domain.errors import ValidationError
from domain.values import DueAt
from handlers.legacy.clients import pending_routes_block

log = logging.getLogger(__name__)

FAILED_SHOWN = 10


class TodayForm(StatesGroup):
    due = State()


class OutboxCb(CallbackData, prefix="ob"):
    """Admins' outbox view: retry every failed notification."""

    action: str


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _task_line(i18n: Translator, n: int, item: repo.PlannedTask, when: str) -> str:
    title = clipped(item.task.title, limits.LINE_TEXT)
    if item.deal_contact:
        return i18n("today-task-line-about", n=n, when=when, title=title, contact=item.deal_contact)
    return i18n("today-task-line", n=n, when=when, title=title)


def _task_buttons(i18n: Translator, n: int, item: repo.PlannedTask) -> list[InlineKeyboardButton]:
    task_id = item.task.id
    row = [
        InlineKeyboardButton(
            text=i18n("today-btn-done", n=n), callback_data=TaskCb(action="done", id=task_id, src="p").pack()
        ),
        InlineKeyboardButton(
            text=i18n("today-btn-resched", n=n),
            callback_data=TaskCb(action="resched", id=task_id, src="p").pack(),
        ),
    ]
    opener: CallbackData | None = None
    if item.deal_id:
        opener = DealCb(action="open", id=item.deal_id)
    elif item.lead_id:
        opener = LeadCb(action="open", id=item.lead_id)
    if opener is not None:
        row.append(InlineKeyboardButton(text=i18n("today-btn-open", n=n), callback_data=opener.pack()))
    return row


async def plan_view(
    session: AsyncSession, user: User, settings: Settings, i18n: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of the user's day plan, computed now."""
    now = utcnow()
    zone = zone_of(user, settings)
    plan = await repo.day_plan(
        session,
        user.id,
        now=now,
        zone=zone,
        period_months=settings.inactivity_period,
        policy=settings.comment_policy,
        at_risk_days=settings.at_risk_days,
    )
    title = i18n("today-title", date=now.astimezone(zone).strftime("%d.%m.%Y"))
    routes = await pending_routes_block(session, i18n, user, settings)
    if plan.empty and routes is None:
        return f"{title}\n\n{i18n('today-empty')}", None
    sections = [title]
    rows: list[list[InlineKeyboardButton]] = []
    if routes is not None:
        # Approvals first: a colleague is waiting for the decision (seed 002 "Маршрут").
        routes_text, routes_rows = routes
        sections.append(routes_text)
        rows += routes_rows
    n = 0
    for header, items, fmt, more in (
        ("today-overdue-header", plan.overdue, "%d.%m %H:%M", plan.more_overdue),
        ("today-today-header", plan.today, "%H:%M", plan.more_today),
    ):
        if not items:
            continue
        lines = [i18n(header, count=len(items) + more)]
        for item in items:
            n += 1
            lines.append(_task_line(i18n, n, item, item.task.due_at.astimezone(zone).strftime(fmt)))
            rows.append(_task_buttons(i18n, n, item))
        if more:
            lines.append(i18n("today-more", count=more))
        sections.append("\n".join(lines))
    if plan.at_risk:
        lines = [i18n("today-risk-header", count=len(plan.at_risk))]
        deal_buttons: list[InlineKeyboardButton] = []
        for risky in plan.at_risk:
            n += 1
            deadline = risky.state.deadline_day.strftime("%d.%m.%Y") if risky.state.deadline_day else ""
            lines.append(
                i18n(
                    "today-deal-line",
                    n=n,
                    id=str(risky.deal.id),
                    contact=risky.deal.contact.full_name,
                    days=risky.state.days_left or 0,
                    deadline=deadline,
                )
            )
            deal_buttons.append(
                InlineKeyboardButton(
                    text=i18n("today-btn-open", n=n),
                    callback_data=DealCb(action="open", id=risky.deal.id).pack(),
                )
            )
        rows += [deal_buttons[i : i + 4] for i in range(0, len(deal_buttons), 4)]
        sections.append("\n".join(lines))
    sections.append(i18n("today-legend"))
    return "\n\n".join(sections), InlineKeyboardMarkup(inline_keyboard=rows)


async def show_plan(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    await state.clear()
    text, markup = await plan_view(session, user, settings, i18n)
    await message.answer(text, reply_markup=markup or main_menu(i18n))


async def plan_button(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await show_plan(query.message, state, session, user, settings, i18n)


# ---------------------------------------------------------------------------------------------
# Task buttons
# ---------------------------------------------------------------------------------------------


async def _task_for(
    query: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator, task_id: int
) -> Task | None:
    """R1c for a task button: the task exists, is open, and the presser may act on its assignee."""
    task = await repo.get_task(session, task_id)
    if task is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return None
    if not await may_act(session, actor, task.assignee_id):
        log.info("task %s: refused a button for user %s", task_id, actor.user_id)
        await query.answer(i18n("today-access-denied"), show_alert=True)
        return None
    if task.done_at is not None:
        await query.answer(i18n("today-task-already-done"), show_alert=True)
        return None
    return task


async def _refresh_plan(
    query: CallbackQuery, session: AsyncSession, user: User, settings: Settings, i18n: Translator
) -> None:
    if not isinstance(query.message, Message):
        return
    text, markup = await plan_view(session, user, settings, i18n)
    await query.message.edit_text(text, reply_markup=markup)


async def done_button(
    query: CallbackQuery,
    callback_data: TaskCb,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    task = await _task_for(query, session, actor, i18n, callback_data.id)
    if task is None:
        return
    try:
        await repo.complete_task(session, task.id, actor, utcnow())
    except repo.TaskGone:
        await query.answer(i18n("today-task-already-done"), show_alert=True)
        return
    await query.answer(i18n("today-task-done"))
    if callback_data.src == "p":
        await _refresh_plan(query, session, user, settings, i18n)
    elif isinstance(query.message, Message):
        await query.message.answer(i18n("today-task-done-title", title=task.title))


async def _ask_due(message: Message, i18n: Translator, title: str, error: str | None = None) -> None:
    text = i18n("today-ask-due", title=title)
    if error:
        text = f"{error}\n\n{text}"
    await message.answer(text, reply_markup=step_keyboard(i18n, back=True))


async def resched_button(
    query: CallbackQuery,
    callback_data: TaskCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    task = await _task_for(query, session, actor, i18n, callback_data.id)
    if task is None:
        return
    if not isinstance(query.message, Message):  # the question needs a chat to go to
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    await state.clear()
    await state.set_state(TodayForm.due)
    await state.update_data(task_id=task.id)
    await _ask_due(query.message, i18n, task.title)


async def enter_due(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    task_id = int((await state.get_data()).get("task_id", 0))
    task = await repo.get_task(session, task_id)
    if task is None or task.done_at is not None or not await may_act(session, actor, task.assignee_id):
        await state.clear()
        await message.answer(i18n("today-task-gone"), reply_markup=main_menu(i18n))
        return
    if not message.text:
        await _ask_due(message, i18n, task.title, i18n("today-need-text"))
        return
    zone = zone_of(user, settings)
    try:
        due = DueAt.parse(message.text, utcnow(), zone)
    except ValidationError as error:
        await _ask_due(message, i18n, task.title, i18n(error.key, **error.params))
        return
    try:
        await repo.reschedule_task(session, task.id, actor, due.at)
    except repo.TaskGone:
        await state.clear()
        await message.answer(i18n("today-task-gone"), reply_markup=main_menu(i18n))
        return
    await state.clear()
    await message.answer(
        i18n("today-rescheduled", title=task.title, when=due.display(zone)), reply_markup=main_menu(i18n)
    )
    text, markup = await plan_view(session, user, settings, i18n)
    await message.answer(text, reply_markup=markup)


async def on_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    """Back from "when?" returns to the plan; nothing is changed."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        text, markup = await plan_view(session, user, settings, i18n)
        await query.message.answer(text, reply_markup=markup or main_menu(i18n))


# ---------------------------------------------------------------------------------------------
# Admins: failed notifications
# ---------------------------------------------------------------------------------------------


def _is_admin(user: User | None) -> bool:
    return user is not None and user.role == "admin" and user.is_active


async def _outbox_view(session: AsyncSession, i18n: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    count = await outbox.count_failed(session)
    if not count:
        return i18n("today-outbox-none"), None
    lines = [i18n("today-outbox-title", count=count)]
    for row in await outbox.list_failed(session, FAILED_SHOWN):
        lines.append(
            i18n(
                "today-outbox-line",
                id=str(row.id),
                kind=row.kind,
                recipient=str(row.recipient_id),
                attempts=row.attempts,
                error=row.last_error or "—",
            )
        )
    button = InlineKeyboardButton(
        text=i18n("today-outbox-btn-retry"), callback_data=OutboxCb(action="retry").pack()
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[[button]])


async def show_outbox(message: Message, session: AsyncSession, user: User, i18n: Translator) -> None:
    if not _is_admin(user):
        await message.answer(i18n("admin-only"))
        return
    text, markup = await _outbox_view(session, i18n)
    await message.answer(text, reply_markup=markup)


async def retry_outbox(query: CallbackQuery, session: AsyncSession, user: User, i18n: Translator) -> None:
    if not _is_admin(user):
        await query.answer(i18n("admin-only"), show_alert=True)
        return
    count = await outbox.retry_failed(session, utcnow())
    log.info("outbox: admin %s put %d failed notification(s) back", user.id, count)
    await query.answer(i18n("today-outbox-retried", count=count))
    if isinstance(query.message, Message):
        text, markup = await _outbox_view(session, i18n)
        await query.message.edit_text(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="today")
    router.message.register(show_plan, Command("today"))
    router.message.register(show_plan, MenuButton("today"))
    router.message.register(show_outbox, Command("outbox"))
    router.callback_query.register(plan_button, PlanCb.filter())
    router.callback_query.register(done_button, TaskCb.filter(F.action == "done"))
    router.callback_query.register(resched_button, TaskCb.filter(F.action == "resched"))
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), StateFilter(TodayForm))
    router.callback_query.register(retry_outbox, OutboxCb.filter(F.action == "retry"))
    router.message.register(enter_due, StateFilter(TodayForm.due), FormInput())
    return router
