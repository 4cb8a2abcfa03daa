"""«📤 Экспорт» under a list: opens the export's format step for that list (and the list's filter, if any).

The export dialog is found by its state's name, so a list never imports the exports feature.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from domain.errors import Gone
from handlers.kit.launch import find_state
from handlers.kit.text import TrPlain


def export_button(kind: str) -> Button:
    async def start(event: Any, widget: Any, manager: DialogManager) -> None:
        state = find_state("Export:format")
        if state is None:
            raise Gone("no export")
        await manager.start(state, data={"kind": kind, "filter": manager.dialog_data.get("filter")})

    return Button(TrPlain("export-btn"), id="export", on_click=start)
