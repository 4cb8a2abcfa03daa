"""The directories dialog's states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class Directories(StatesGroup):
    """Settings → «📚 Справочники» (admins). Start at ``kinds`` with ``{}``.

    ``groups`` picks the product group whose products are listed; ``items`` is a directory a page at a time;
    ``item`` one value; ``period`` a stage's inactivity period (R2h); ``probability`` a stage's chance of
    being won, for the forecast (typed, 0–100 %).
    """

    kinds = State()
    groups = State()
    items = State()
    item = State()
    period = State()
    probability = State()


class DirectoryName(StatesGroup):
    """Typing a value's name (a sub-dialog of :class:`Directories`): start at ``name`` with
    ``{"kind": "ind", "group_id": int | None}`` to add, ``{"kind": ..., "item_id": int}`` to rename.
    Returns ``{"item_id": int}`` once saved."""

    name = State()


form(DirectoryName, "dir-form-title")
