"""The search dialog's states."""

from aiogram.fsm.state import State, StatesGroup


class Search(StatesGroup):
    """``/find``. Start at ``query`` with ``{}``, or with ``{"query": str}`` (``/find text``): searched at
    once, refused like a typed query."""

    query = State()
    results = State()
