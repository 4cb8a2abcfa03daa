"""A list a page at a time: the getter reads ``dialog_data["page"]`` and returns ``has_prev``/``has_next``;
the repository clamps a page that no longer exists (a record removed meanwhile)."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.kbd import Button, ListGroup, Row

from domain.errors import Gone
from handlers.kit.text import TrPlain

PAGE = "page"


async def _turn(manager: DialogManager, step: int) -> None:
    manager.dialog_data[PAGE] = max(0, int(manager.dialog_data.get(PAGE, 0)) + step)


async def _prev(event: Any, widget: Any, manager: DialogManager) -> None:
    await _turn(manager, -1)


async def _next(event: Any, widget: Any, manager: DialogManager) -> None:
    await _turn(manager, 1)


def page_of(manager: DialogManager) -> int:
    return int(manager.dialog_data.get(PAGE, 0))


def pager() -> Row:
    return Row(
        Button(TrPlain("btn-prev"), id="page_prev", on_click=_prev, when="has_prev"),
        Button(TrPlain("btn-next"), id="page_next", on_click=_next, when="has_next"),
    )


class RowGroup(ListGroup):
    """``ListGroup`` whose button data a forger cannot break: data without the row's own part
    (``<row>:<button>``) is an out-of-date button (:class:`domain.errors.Gone`), not a library crash."""

    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        if ":" not in data:
            raise Gone("a row button without its row")
        return await super()._process_item_callback(callback, data, dialog, manager)
