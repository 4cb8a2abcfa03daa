"""``/clients``: the clients the user may see, by name, a page at a time, with their derived status."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Column, Select, Start

from handlers.clients import getters
from handlers.clients.states import ClientCard, ClientForm, ClientList
from handlers.kit.context import record_id
from handlers.kit.export import export_button
from handlers.kit.paging import pager
from handlers.kit.text import Raw, Tr, TrPlain


async def _open(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """The card's getter checks again that the user may see this client (the id came from the button)."""
    await manager.start(ClientCard.main, data={"client_id": record_id(item_id)})


def _id(item: tuple[int, int, str]) -> int:
    return item[0]


def list_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("clients-list-title", "total", "page", "pages", when="total"),
            Raw("lines", when="total"),
            Tr("clients-list-empty", when=lambda data, *_: not data["total"]),
            Column(
                Select(
                    TrPlain("clients-list-button", n="item.1", name="item.2"),
                    id="client",
                    item_id_getter=_id,
                    items="clients",
                    on_click=_open,
                )
            ),
            pager(),
            Start(TrPlain("clients-btn-new"), id="new", state=ClientForm.name),
            export_button("clients"),
            getter=getters.list_getter,
            state=ClientList.main,
        )
    )
