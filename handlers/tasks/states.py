"""The task dialog's states: what other features may start."""

from aiogram.fsm.state import State, StatesGroup


class TaskForm(StatesGroup):
    """A new task. Start at ``title`` with ``{"entity": "lead" | "deal", "entity_id": int}``."""

    title = State()
