"""The settings dialog's states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup


class SettingsMenu(StatesGroup):
    """``/settings``: the user's own time zone, language, work phone and work e-mail (R4b); an admin also
    reaches the directories and the team administration. Start data: ``{}``."""

    main = State()
    timezone = State()
    timezone_typed = State()
    language = State()
    work_phone = State()
    work_email = State()
