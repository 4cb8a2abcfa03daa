"""The deals dialogs' states: what other features may start (with the start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class DealForm(StatesGroup):
    """New deal from a lead (R2). Start at ``lead`` with ``{}`` or ``{"lead_id": int}``.

    The other states are the form's own steps (``handlers.deals.fields`` says which field each one asks).
    """

    lead = State()
    group = State()
    product = State()
    amount = State()
    stage = State()
    comment = State()
    responsible = State()
    detail = State()  # any optional detail (``handlers.deals.fields.DETAILS``), one window for them all
    summary = State()


form(DealForm, "deal-form-title")


class DealCard(StatesGroup):
    """A deal's card. Start data: ``{"deal_id": int}`` (``"saved": True`` right after the form; ``"window":
    "stage" | "product" | "won" | "lost"`` opens that action of the card, e.g. from a notification's button).

    The other states are the card's own windows: a new stage, a product line, won and lost (each confirmed;
    lost with a reason from the directory and an optional text),
    and the edit of an open deal («✏️ Изменить»): the comment, the group (confirmed when lines would go), a
    line (its amount, or removed) and the responsible.
    """

    main = State()
    stage = State()
    product = State()
    amount = State()
    won = State()
    lost = State()  # R2a: the reason from «Причины проигрыша»
    lost_text = State()  # the optional text next to it
    lost_confirm = State()
    edit = State()
    comment = State()
    group = State()
    group_confirm = State()
    line = State()
    responsible = State()


class DealList(StatesGroup):
    """The deals this user sees (R1c), a page at a time, under a filter (open ones, or won or lost). Start
    data: ``{}``."""

    main = State()
