"""The team administration dialogs' states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class TeamAdmin(StatesGroup):
    """Settings → «👥 Сотрудники и команды» (admins). Start at ``users`` with ``{}``; a user's card at
    ``card`` with ``{"user_id": int}``.

    ``role``, ``team``, ``conversion`` change one thing on the card; ``deactivate`` asks to confirm.
    """

    users = State()
    card = State()
    role = State()
    team = State()
    conversion = State()
    deactivate = State()


class TeamName(StatesGroup):
    """A new team for a user, typed (a sub-dialog of :class:`TeamAdmin`): start at ``name`` with
    ``{"user_id": int}``."""

    name = State()


form(TeamName, "team-form-title")


class Handover(StatesGroup):
    """A user's open work (active or deactivated), handed to someone else in the team (by the team's team
    lead, or an admin).

    Start at ``owners`` with ``{}`` (``/reassign``), or at ``work`` with ``{"owner_id": int}`` (the handover
    notice; from the card also ``"from_card": True``, which offers the way back). ``target`` picks who gets
    one record (``work_item`` in the dialog data) or all of it; ``confirm`` asks before it moves.
    """

    owners = State()
    work = State()
    target = State()
    confirm = State()
