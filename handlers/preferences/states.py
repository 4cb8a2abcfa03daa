"""The settings dialog's states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup


class SettingsMenu(StatesGroup):
    """``/settings``: the user's own time zone and language; an admin also reaches the directories and the
    team administration. Start data: ``{}``."""

    main = State()
    timezone = State()
    timezone_typed = State()
    language = State()
