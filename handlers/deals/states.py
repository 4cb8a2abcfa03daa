"""The deals dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup


class DealForm(StatesGroup):
    """New deal from a lead (R2). Start at ``lead`` with ``{}`` or ``{"lead_id": int}``."""

    lead = State()


class DealCard(StatesGroup):
    """A deal's card. Start data: ``{"deal_id": int}``."""

    main = State()
