"""Reports (seeds 001 and 003): ``/report`` and «📊 Отчёты» open a dialog that picks the report, the period
and the scope (R1c), then sends a short text summary, a chart as a photo, and «📥 Excel» with the data.

Each report is a module of this package registered in :mod:`handlers.reports.registry`; its figures are read
by :mod:`db.repo.reports`.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager

from bot.menu import MenuButton
from handlers.kit.launch import open_dialog
from handlers.reports import (  # noqa: F401 - importing a report module registers it
    dialog,
    discipline,
    forecast,
    funnel,
    lost,
    managers,
    stuck,
    weekly,
)
from handlers.reports.states import Reports


async def show_reports(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, Reports.kind)


def create_router() -> Router:
    router = Router(name="reports")
    router.message.register(show_reports, Command("report"))
    router.message.register(show_reports, MenuButton("report"))
    return router


def dialogs() -> list[Dialog]:
    return [dialog.reports_dialog()]
