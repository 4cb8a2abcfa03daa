"""The day plan (``/today``, «📅 План на день») and the admins' ``/outbox``.

The plan shows, on the user's own clock: routes waiting for the user's decision, overdue tasks, the rest of
today's tasks, and the user's own open deals at risk (R2h, ``domain.deals.is_at_risk``). The dialogs are in
:mod:`handlers.today.dialog`; this router starts them and answers the task buttons of reminders sent
outside the dialogs (``bot.notifications``: ``TaskCb`` done, ``PlanCb``), and of plans sent before them.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import PlanCb, TaskCb
from bot.i18n import Translator
from bot.menu import MenuButton
from db.models import User
from domain.access import Actor
from domain.errors import Gone
from handlers.guards import message_of_button
from handlers.kit.launch import open_dialog
from handlers.today import dialog, tasks
from handlers.today.states import Outbox, Today

log = logging.getLogger(__name__)


async def show_plan(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, Today.plan)


async def plan_button(query: CallbackQuery, dialog_manager: DialogManager | None = None) -> None:
    """The digest's «📅 План на день». The plan is shown in a chat: on an inline or gone message (no chat,
    so no dialog manager either) the button is out of date."""
    message_of_button(query)
    if dialog_manager is None:
        raise Gone("no chat to show the plan in")
    await query.answer()
    await open_dialog(dialog_manager, Today.plan)


async def task_done(
    query: CallbackQuery, callback_data: TaskCb, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    """«✅ Выполнено» on a reminder (R1c: the repository re-checks the presser)."""
    task = await tasks.complete(session, actor, callback_data.id)
    log.info("task %s done by user %s", task.id, actor.user_id)
    await query.answer(i18n.plain("today-task-done"))
    if isinstance(query.message, Message):
        await query.message.answer(i18n("today-task-done-title", title=task.title))


async def task_reschedule(
    query: CallbackQuery,
    callback_data: TaskCb,
    session: AsyncSession,
    actor: Actor,
    dialog_manager: DialogManager | None = None,
) -> None:
    """«🕒» on a plan sent before the dialogs: the plan now, where the task has its own button."""
    message_of_button(query)
    if dialog_manager is None:
        raise Gone("no chat to show the plan in")
    await tasks.check(session, actor, callback_data.id)
    await query.answer()
    await open_dialog(dialog_manager, Today.plan)


async def show_outbox(message: Message, user: User, i18n: Translator, dialog_manager: DialogManager) -> None:
    if user.role != "admin" or not user.is_active:
        await message.answer(i18n("admin-only"))
        return
    await open_dialog(dialog_manager, Outbox.main)


def create_router() -> Router:
    router = Router(name="today")
    router.message.register(show_plan, Command("today"))
    router.message.register(show_plan, MenuButton("today"))
    router.message.register(show_outbox, Command("outbox"))
    router.callback_query.register(plan_button, PlanCb.filter())
    router.callback_query.register(task_done, TaskCb.filter(F.action == "done"))
    router.callback_query.register(task_reschedule, TaskCb.filter(F.action == "resched"))
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
