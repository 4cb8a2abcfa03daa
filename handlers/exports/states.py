"""The export dialog's states: what to export (``/export``), then the format."""

from aiogram.fsm.state import State, StatesGroup


class Export(StatesGroup):
    """«📤 Экспорт». Start ``kind`` with ``{}`` (``/export``: the user picks the list), or ``format`` with
    ``{"kind": "contacts" | "clients" | "leads" | "deals" | "interactions"}`` from a list's button; the deals'
    list also passes its ``"filter"``."""

    kind = State()
    format = State()
