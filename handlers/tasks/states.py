"""The task dialog's states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class TaskForm(StatesGroup):
    """A new task on a lead or a deal, for its responsible manager (R1c). Start at ``title`` with
    ``{"entity": "lead" | "deal", "entity_id": int}``."""

    title = State()
    due = State()
    summary = State()


form(TaskForm, "task-form-title")


class TaskSaved(StatesGroup):
    """The task just set, and the way back to its lead or deal. Start data: ``{"entity": "lead" | "deal",
    "entity_id": int, "title": str, "due": iso}``."""

    main = State()
