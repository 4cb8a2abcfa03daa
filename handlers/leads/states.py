"""The leads dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class LeadForm(StatesGroup):
    """New lead (R1). Start at ``contact`` with ``{}``, or ``{"contact_id": int}`` (from a contact card), or
    ``{"contact_id": int, "offered": {"name_key", "phone", "birth_date", "email"}}`` from the R5b duplicate
    screen (what the manager typed that matched a contact they may not see)."""

    contact = State()
    source = State()
    group = State()
    description = State()
    responsible = State()
    summary = State()


form(LeadForm, "lead-form-title")


class LeadCard(StatesGroup):
    """A lead's card. Start data: ``{"lead_id": int}`` (``"saved": True`` right after the form)."""

    main = State()
    reassign = State()


class LeadRefusal(StatesGroup):
    """R2a: a lead refused with a reason from «Причины отказа» and an optional text, asked to confirm.
    Start data: ``{"lead_id": int}``."""

    reason = State()
    text = State()
    confirm = State()


form(LeadRefusal, "lead-refusal-title")


class LeadList(StatesGroup):
    """The leads the user may see, open ones first, a page at a time. Start data: ``{}``."""

    main = State()
