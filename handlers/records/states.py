"""The record history and documents dialogs (any card shows them)."""

from aiogram.fsm.state import State, StatesGroup


class Records(StatesGroup):
    """Start data: ``{"entity": "contact" | "lead" | "deal" | "client" | "party", "entity_id": int}``."""

    history = State()
    documents = State()
