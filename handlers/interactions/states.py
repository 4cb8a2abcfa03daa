"""The /log dialog's states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class LogForm(StatesGroup):
    """Log a call, correspondence or a meeting (R1d, R1e, R3). Start at ``subject`` with ``{}`` (the lead
    picker, which also offers the manager's deals), ``{"lead_id": int}`` or ``{"deal_id": int}`` (from a card:
    no subject step)."""

    subject = State()
    kind = State()
    discussed = State()
    agreed = State()
    summary = State()


form(LogForm, "interaction-form-title")


class LogSaved(StatesGroup):
    """What was just logged: the verdict, the task if one was set, and the way to the lead or deal.
    Start data: ``{"subject": "lead" | "deal", "id": int, "qualifying": bool, "kind": str, "outcome": str,
    "due": iso | None}``."""

    main = State()
