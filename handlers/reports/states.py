"""The reports dialog's states: report → period (→ two calendar days) → scope → the report."""

from aiogram.fsm.state import State, StatesGroup


class Reports(StatesGroup):
    """``/report`` and «📊 Отчёты». Start data: ``{}``."""

    kind = State()
    period = State()
    custom = State()
    scope = State()
    result = State()
    drill = State()
