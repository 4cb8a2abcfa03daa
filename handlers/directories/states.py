"""The directories dialog's states (start data in each docstring)."""

from aiogram.fsm.state import State, StatesGroup

from handlers.kit.launch import form


class Directories(StatesGroup):
    """Settings → «📚 Справочники» (admins). Start at ``kinds`` with ``{}``.

    ``groups`` picks the product group whose products are listed; ``items`` is a directory a page at a time;
    ``item`` one value; ``period`` a stage's inactivity period (R2h).
    """

    kinds = State()
    groups = State()
    items = State()
    item = State()
    period = State()


class DirectoryName(StatesGroup):
    """Typing a value's name (a sub-dialog of :class:`Directories`): start at ``name`` with
    ``{"kind": "ind", "group_id": int | None}`` to add, ``{"kind": ..., "item_id": int}`` to rename.
    Returns ``{"item_id": int}`` once saved."""

    name = State()


form(DirectoryName, "dir-form-title")
