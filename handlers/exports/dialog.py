"""The export dialog: which list (``/export`` only), then «XLSX» or «CSV»."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row

from handlers.exports import actions
from handlers.exports.states import Export
from handlers.exports.tables import KINDS
from handlers.kit.nav import cancel_button
from handlers.kit.text import Tr, TrPlain


def _on(handler: Any, value: str) -> Any:
    async def click(event: Any, widget: Any, manager: DialogManager) -> None:
        await handler(event, widget, manager, value)

    return click


def dialogs() -> list[Dialog]:
    return [
        Dialog(
            Window(
                Tr("export-ask-kind"),
                Column(
                    *(
                        Button(
                            TrPlain(f"export-btn-{kind}"), id=f"k_{kind}", on_click=_on(actions.on_kind, kind)
                        )
                        for kind in KINDS
                    ),
                ),
                cancel_button(),
                state=Export.kind,
            ),
            Window(
                Tr("export-ask-format"),
                Row(
                    Button(TrPlain("export-btn-xlsx"), id="xlsx", on_click=_on(actions.on_format, "xlsx")),
                    Button(TrPlain("export-btn-csv"), id="csv", on_click=_on(actions.on_format, "csv")),
                ),
                cancel_button(),
                state=Export.format,
            ),
            on_start=actions.on_start,
        )
    ]
