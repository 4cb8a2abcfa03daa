"""Directories (settings → «📚 Справочники», admins): industries, business regions, product groups, products,
lead sources and pipeline stages.

Values are added, renamed, switched off and on, never deleted: a value in use stays valid on old records, and
the flows offer only active values for new ones. Stages are also reordered and may have their own (shorter)
inactivity period (R2h). Seeded values have an English name; what an admin types reads the same in both
languages (``db.repo.directories.display_name``).

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
