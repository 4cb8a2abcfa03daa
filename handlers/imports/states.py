"""The import dialog's states: a file → its columns (recognised, each can be changed) → the preview."""

from aiogram.fsm.state import State, StatesGroup


class ImportFlow(StatesGroup):
    """«📥 Импорт» under /settings, ``/import``, or a .csv / .xlsx sent to the bot (admins and team leads).

    Start data: ``{}`` (asks for the file), or the file read already: ``{"file": {...}}`` (see
    ``handlers.imports.actions.FileInfo``)."""

    upload = State()
    mapping = State()
    column = State()
    preview = State()
