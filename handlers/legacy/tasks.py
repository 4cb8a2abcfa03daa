"""«🗓 Задача» on lead and deal cards: a title, then a due time («завтра в 15:00», «пт 11:00», «через 3 дня»).

The task goes to the subject's responsible manager and reminds them at its time. Every step re-checks R1c
(the responsible manager, their team lead, or an admin) and that the lead or deal is still open.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import DealCb, LeadCb, NavCb
from bot.forms import FormInput, deny, form_data, go_back, goto, message_of, step_keyboard, update_form
from bot.i18n import Translator
from bot.menu import main_menu
from bot.settings import Settings
from db.base import utcnow
from db.models import User
from db.repo import tasks
from db.repo.visibility import may_act
from domain import limits
from domain.access import Actor
from domain.errors import ValidationError
from domain.values import DueAt
from handlers.legacy.deals import send_deal_card
from handlers.legacy.leads import send_lead_card

log = logging.getLogger(__name__)

FORM = "task_form"
TITLE_LENGTH = (limits.TASK_TITLE_MIN, limits.TASK_TITLE)
CLOSED_KEYS = {"lead": "task-lead-closed", "deal": "deal-closed"}


class TaskForm(StatesGroup):
    title = State()
    due = State()


async def _ask_title(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("task-ask-title"), reply_markup=step_keyboard(i18n))


async def _ask_due(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("task-ask-due"), reply_markup=step_keyboard(i18n))


async def _start(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    entity: str,
    subject_id: int,
) -> None:
    message = message_of(query)
    subject = await tasks.task_subject(session, entity, subject_id)
    if message is None or subject is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    if not await may_act(session, actor, subject.responsible_id):
        log.info("%s %s: task refused for user %s", entity, subject_id, actor.user_id)
        await deny(query, i18n)
        return
    if not subject.is_open:
        await query.answer(i18n(CLOSED_KEYS[entity]), show_alert=True)
        return
    await query.answer()
    await state.clear()
    await update_form(state, FORM, entity=entity, id=subject_id)
    await state.set_state(TaskForm.title)
    await _ask_title(message, i18n)


async def from_deal(
    query: CallbackQuery,
    callback_data: DealCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    await _start(query, state, session, actor, i18n, "deal", callback_data.id)


async def from_lead(
    query: CallbackQuery,
    callback_data: LeadCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    await _start(query, state, session, actor, i18n, "lead", callback_data.id)


async def on_title(message: Message, state: FSMContext, i18n: Translator) -> None:
    title = " ".join((message.text or "").split())
    low, high = TITLE_LENGTH
    if too_long := limits.check_length(title, high):
        await message.answer(
            i18n("limit-too-long", limit=too_long.limit, length=too_long.length),
            reply_markup=step_keyboard(i18n),
        )
        return
    if len(title) < low:
        await message.answer(i18n("task-title-invalid", min=low, max=high), reply_markup=step_keyboard(i18n))
        return
    await update_form(state, FORM, title=title)
    await goto(state, TaskForm.due)
    await _ask_due(message, i18n)


async def on_due(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    user: User,
    settings: Settings,
    i18n: Translator,
) -> None:
    zone = ZoneInfo(user.timezone or settings.default_timezone)
    try:
        due = DueAt.parse(message.text or "", utcnow(), zone)
    except ValidationError as error:
        await message.answer(i18n(error.key, **error.params), reply_markup=step_keyboard(i18n))
        return
    form = await form_data(state, FORM)
    entity, subject_id, title = str(form["entity"]), int(form["id"]), str(form["title"])
    await state.clear()
    try:
        task = await tasks.add_subject_task(session, actor, entity, subject_id, title, due.at)
    except tasks.NotAllowed:
        await message.answer(i18n("access-denied"), reply_markup=main_menu(i18n))
        return
    except tasks.SubjectClosed:
        await message.answer(i18n(CLOSED_KEYS[entity]), reply_markup=main_menu(i18n))
        return
    except tasks.SubjectGone:
        await message.answer(i18n("button-stale"), reply_markup=main_menu(i18n))
        return
    log.info("task %s added on %s %s by user %s", task.id, entity, subject_id, actor.user_id)
    await message.answer(i18n("task-added", title=title, due=due.display(zone)), reply_markup=main_menu(i18n))
    await _show_card(message, session, actor, settings, i18n, entity, subject_id)


async def on_back(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        await query.answer(i18n("button-stale"), show_alert=True)
        return
    await query.answer()
    if await go_back(state) is not None:
        await _ask_title(message, i18n)
        return
    # "Back" from the first step is the card the task was started from.
    form = await form_data(state, FORM)
    await state.clear()
    await _show_card(
        message, session, actor, settings, i18n, str(form.get("entity")), int(form.get("id") or 0)
    )


async def _show_card(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    i18n: Translator,
    entity: str,
    subject_id: int,
) -> None:
    if entity == "deal":
        await send_deal_card(message, session, actor, settings, i18n, subject_id)
    elif entity == "lead":
        await send_lead_card(message, session, actor, settings, i18n, subject_id)


async def text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("task-text-expected"))


def create_router() -> Router:
    router = Router(name="tasks")
    form_input = FormInput()
    router.callback_query.register(from_deal, DealCb.filter(F.action == "task"))
    router.callback_query.register(from_lead, LeadCb.filter(F.action == "task"))
    router.callback_query.register(on_back, NavCb.filter(F.action == "back"), StateFilter(TaskForm))
    router.message.register(on_title, TaskForm.title, F.text, form_input)
    router.message.register(on_due, TaskForm.due, F.text, form_input)
    router.message.register(text_expected, StateFilter(TaskForm), form_input)
    return router
