"""Tasks (Дела) on leads, deals and clients, and personal ones: «🗓 Задача» on lead and deal messages outside
the dialogs (notifications, old cards) opens the task form; the cards and the day plan start it themselves;
``/task`` starts a personal task.

The dialogs are in :mod:`handlers.tasks.dialog`. A task's own buttons on reminders and on the day plan
(``TaskCb``: done, move later) belong to the day plan.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import DealCb, LeadCb
from handlers.kit.launch import open_dialog
from handlers.tasks import dialog
from handlers.tasks.actions import require_open
from handlers.tasks.states import TaskForm


async def _task_on(query: CallbackQuery, dialog_manager: DialogManager, entity: str, subject_id: int) -> None:
    """R1c and the open status before anything opens: a refusal is one alert."""
    await require_open(dialog_manager, entity, subject_id)
    await query.answer()
    await open_dialog(dialog_manager, TaskForm.title, {"entity": entity, "entity_id": subject_id})


async def task_on_lead(query: CallbackQuery, callback_data: LeadCb, dialog_manager: DialogManager) -> None:
    await _task_on(query, dialog_manager, "lead", callback_data.id)


async def task_on_deal(query: CallbackQuery, callback_data: DealCb, dialog_manager: DialogManager) -> None:
    await _task_on(query, dialog_manager, "deal", callback_data.id)


async def personal_task(message: Message, dialog_manager: DialogManager) -> None:
    """``/task``: a personal task with no lead, deal or client."""
    await open_dialog(dialog_manager, TaskForm.title, {})


def create_router() -> Router:
    router = Router(name="tasks")
    router.message.register(personal_task, Command("task"))
    router.callback_query.register(task_on_lead, LeadCb.filter(F.action == "task"))
    router.callback_query.register(task_on_deal, DealCb.filter(F.action == "task"))
    return router


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
