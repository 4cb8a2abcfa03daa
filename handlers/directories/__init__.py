"""Directories (settings → «📚 Справочники», admins): industries, business regions, product groups, products,
lead sources, pipeline stages, and the reasons a deal is lost or a lead refused (R2a).

Values are added, renamed, switched off and on, never deleted: a value in use stays valid on old records, and
the flows offer only active values for new ones. Stages and reasons are also reordered (the order managers
see), and a stage may have its own (shorter) inactivity period (R2h). Seeded values have an English name;
what an admin types reads the same in both languages (``db.repo.directories.display_name``).

The dialogs are in :mod:`handlers.directories.dialog`; they are started from the settings.
"""

from __future__ import annotations

from aiogram import Router
from aiogram_dialog import Dialog

from handlers.directories import dialog


def create_router() -> Router:
    return Router(name="directories")


def dialogs() -> list[Dialog]:
    return dialog.dialogs()
