"""The task dialog's states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class TaskForm(StatesGroup):
    """A new task. Start at ``title`` with ``{"entity": "lead" | "deal" | "client", "entity_id": int}`` for a
    task on that record (for its responsible manager, R1c), or with ``{}`` for a personal task of the user.
    A team lead or an admin may give it to someone else on the summary («Кому», R1c)."""

    title = State()
    due = State()
    summary = State()
    assignee = State()


form(TaskForm, "task-form-title")


class TaskSaved(StatesGroup):
    """The task just set, and the way back to its record (the day plan for a personal task). Start data:
    ``{"entity": "lead" | "deal" | "client", "entity_id": int, "title": str, "due": iso}``, without
    ``entity`` for a personal task."""

    main = State()
