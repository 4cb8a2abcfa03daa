"""The clients dialogs' states: what other features may start."""

from aiogram.fsm.state import State, StatesGroup


class ClientForm(StatesGroup):
    """New client. Start at ``name`` with ``{}``."""

    name = State()


class ClientCard(StatesGroup):
    """A client's card. Start data: ``{"client_id": int}``."""

    main = State()


class PartyCard(StatesGroup):
    """A counterparty's card. Start data: ``{"party_id": int}``."""

    main = State()
