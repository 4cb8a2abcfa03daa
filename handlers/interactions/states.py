"""The /log dialog's states: what other features may start."""

from aiogram.fsm.state import State, StatesGroup


class LogForm(StatesGroup):
    """Log a call or a meeting. Start at ``subject`` with ``{}``, ``{"lead_id": int}`` or ``{"deal_id": int}``."""

    subject = State()
