"""Logging a contact with the client (R1d, R1e, R2h, R3): ``/log``, the menu button, and «📞» on lead and deal
messages outside the dialogs (notifications, reminders).

The dialogs are in :mod:`handlers.interactions.dialog`; the lead picker and the due picker they use are in
:mod:`handlers.kit.pickers` and are registered here, once, for every feature that starts them.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager

from bot.callbacks import DealCb, LeadCb
from bot.menu import MenuButton
from db.repo.interactions import Subject, require_subject
from handlers.interactions import dialog
from handlers.interactions.states import LogForm
from handlers.kit import pickers
from handlers.kit.context import actor_of, session_of
from handlers.kit.launch import open_dialog


async def start_log(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, LogForm.subject)


async def log_on_lead(query: CallbackQuery, callback_data: LeadCb, dialog_manager: DialogManager) -> None:
    """R1c before anything opens: a refused or closed lead gets one alert."""
    await require_subject(
        session_of(dialog_manager), actor_of(dialog_manager), Subject.LEAD, callback_data.id
    )
    await query.answer()
    await open_dialog(dialog_manager, LogForm.subject, {"lead_id": callback_data.id})


async def log_on_deal(query: CallbackQuery, callback_data: DealCb, dialog_manager: DialogManager) -> None:
    await require_subject(
        session_of(dialog_manager), actor_of(dialog_manager), Subject.DEAL, callback_data.id
    )
    await query.answer()
    await open_dialog(dialog_manager, LogForm.subject, {"deal_id": callback_data.id})


def create_router() -> Router:
    router = Router(name="interactions")
    router.message.register(start_log, Command("log"))
    router.message.register(start_log, MenuButton("log"))
    router.callback_query.register(log_on_lead, LeadCb.filter(F.action == "log"))
    router.callback_query.register(log_on_deal, DealCb.filter(F.action == "log"))
    return router


def dialogs() -> list[Dialog]:
    return [*dialog.dialogs(), *pickers.dialogs()]
