"""What every card shows besides its own fields: the history and the documents of the record.

A card dialog (contact, lead, deal, client, counterparty) puts ``record_rows(entity, key)`` under its
buttons, adds ``records_getter(entity, key)`` to its window getter and ``track_card(entity, key)`` as its
``on_start``. ``key`` names the record id in the card's start data (``"contact_id"``, ``"lead_id"``, ...).

``track_card`` marks the card's context as an open card: a file sent while the card is on top of the dialog
stack is attached to it (``handlers.records``). The mark lives with the dialog stack, so it ends with the
card: a file sent after the card was left is not attached to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Row

from db.repo import documents as repo
from handlers.kit.context import session_of
from handlers.kit.launch import find_state
from handlers.kit.text import TrPlain

Getter = Callable[..., Awaitable[dict[str, Any]]]

#: ``dialog_data`` key of a card's context: ``{"entity": str, "entity_id": int}``.
OPEN_CARD = "open_card"

#: ``handlers.records.states.Records``, named: the records package imports every card's states, so the kit
#: does not import it back.
HISTORY = "Records:history"
DOCUMENTS = "Records:documents"

#: Entity names the cards may use for the same record kind.
ALIASES = {"party": "counterparty"}


def entity_name(entity: str) -> str:
    """The record kind as the repository and the audit know it (``party`` is a counterparty)."""
    return ALIASES.get(entity, entity)


def record_id(manager: DialogManager, key: str) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start[key])


def records_getter(entity: str, key: str) -> Getter:
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        count = await repo.documents_count(
            session_of(dialog_manager), entity_name(entity), record_id(dialog_manager, key)
        )
        return {"documents_count": count}

    return getter


def track_card(entity: str, key: str) -> Callable[[Any, DialogManager], Awaitable[None]]:
    async def on_start(start_data: Any, manager: DialogManager) -> None:
        manager.dialog_data[OPEN_CARD] = {"entity": entity_name(entity), "entity_id": record_id(manager, key)}

    return on_start


def card_on_top(manager: DialogManager) -> tuple[str, int] | None:
    """The card on top of the user's dialog stack, if the top is a card."""
    if not manager.has_context():
        return None
    card = manager.current_context().dialog_data.get(OPEN_CARD)
    if not isinstance(card, dict):
        return None
    return str(card["entity"]), int(card["entity_id"])


def _open(entity: str, key: str, name: str) -> Callable[[Any, Any, DialogManager], Awaitable[None]]:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        state = find_state(name)
        assert state is not None, f"{name} is not registered"
        data = {"entity": entity_name(entity), "entity_id": record_id(manager, key)}
        await manager.start(state, data=data)

    return on_click


def record_rows(entity: str, key: str) -> Row:
    return Row(
        Button(TrPlain("records-btn-history"), id="history", on_click=_open(entity, key, HISTORY)),
        Button(
            TrPlain("records-btn-documents", count="documents_count"),
            id="documents",
            on_click=_open(entity, key, DOCUMENTS),
        ),
    )
