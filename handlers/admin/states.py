"""The invite dialog's states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class InviteForm(StatesGroup):
    """``/invite`` (admins): a role, then a team (a button, or a name typed); the single-use link comes in a
    message of its own and the dialog closes. Start at ``role`` with ``{}``."""

    role = State()
    team = State()
    team_name = State()


form(InviteForm, "invite-form-title")
