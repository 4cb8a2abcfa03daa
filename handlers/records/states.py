"""The record history and documents dialogs (any card shows them)."""

from aiogram.fsm.state import State, StatesGroup


class Records(StatesGroup):
    """A sub-dialog of a card: «Назад к карточке» returns to it. Start data:
    ``{"entity": "contact" | "lead" | "deal" | "client" | "counterparty", "entity_id": int}`` (``"party"`` is
    accepted for a counterparty).

    - ``history``: the record's timeline, a page at a time;
    - ``documents``: its files (a button sends one back), a file sent here is attached;
    - ``attach``: waits for a document, a photo or a voice note for the record.
    """

    history = State()
    documents = State()
    attach = State()
