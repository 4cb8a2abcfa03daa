"""What every card shows besides its own fields: the history and the documents of the record.

A card dialog (contact, lead, deal, client, counterparty) puts ``record_rows()`` under its buttons, adds
``records_getter(entity, key)`` to its window getter and ``track_card(entity, key)`` to its ``on_start``:
the card opened last is where a file sent next is attached (``db.repo.records.track_open_card``).
``key`` names the record id in the card's start data (``"contact_id"``, ``"lead_id"``, ...).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button, Row

from db.repo import records as repo
from handlers.kit.context import actor_of, session_of
from handlers.kit.text import TrPlain
from handlers.records.states import Records

Getter = Callable[..., Awaitable[dict[str, Any]]]


def record_id(manager: DialogManager, key: str) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start[key])


def records_getter(entity: str, key: str) -> Getter:
    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        count = await repo.documents_count(session_of(dialog_manager), entity, record_id(dialog_manager, key))
        return {"documents_count": count}

    return getter


def track_card(entity: str, key: str) -> Callable[[Any, DialogManager], Awaitable[None]]:
    async def on_start(start_data: Any, manager: DialogManager) -> None:
        await repo.track_open_card(
            session_of(manager), actor_of(manager).user_id, entity, record_id(manager, key)
        )

    return on_start


def _open(entity: str, key: str, state: Any) -> Callable[[Any, Any, DialogManager], Awaitable[None]]:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        await manager.start(state, data={"entity": entity, "entity_id": record_id(manager, key)})

    return on_click


def record_rows(entity: str, key: str) -> Row:
    return Row(
        Button(TrPlain("records-btn-history"), id="history", on_click=_open(entity, key, Records.history)),
        Button(
            TrPlain("records-btn-documents", count="documents_count"),
            id="documents",
            on_click=_open(entity, key, Records.documents),
        ),
    )
