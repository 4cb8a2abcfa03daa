"""The leads dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup


class LeadForm(StatesGroup):
    """New lead (R1). Start at ``contact`` with ``{}``, or ``{"contact_id": int}`` (from a contact card), or
    ``{"contact_id": int, "offered": {"name_key", "phone", "birth_date", "email"}}`` from the R5b duplicate
    screen (what the manager typed that matched a contact they may not see)."""

    contact = State()


class LeadCard(StatesGroup):
    """A lead's card. Start data: ``{"lead_id": int}``."""

    main = State()
