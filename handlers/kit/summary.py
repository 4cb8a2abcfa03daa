"""The end of a short form: its summary (each field a button to change it, save, back, cancel) and the message
about what was saved (open it, or done).

Each form passes in its texts, callbacks, getter and state; the widget ids are the same in every form
(«edit», «save», «back», «cancel», «open», «close»).
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select
from aiogram_dialog.widgets.text import Format, Text

from handlers.kit.inputs import ERROR_LINE
from handlers.kit.nav import cancel_button
from handlers.kit.steps import use_buttons
from handlers.kit.text import TrPlain


def _first(item: tuple[str, str]) -> str:
    return item[0]


def summary_window(
    text: Text,
    *extra: Any,
    on_edit: Any,
    width: int,
    on_save: Any,
    back: Button,
    use_key: str,
    getter: Any,
    state: State,
) -> Window:
    """The summary: ``text``, the fields to change (``width`` a row), ``extra`` buttons, save, back."""
    return Window(
        ERROR_LINE,
        text,
        Group(
            Select(
                Format("{item[1]}"),
                id="edit",
                item_id_getter=_first,
                items="fields",
                on_click=on_edit,
            ),
            width=width,
        ),
        *extra,
        Button(TrPlain("btn-save"), id="save", on_click=on_save),
        Row(back, cancel_button()),
        use_buttons(use_key),
        getter=getter,
        state=state,
    )


async def _close(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.done()


def saved_window(*texts: Text, on_open: Any, getter: Any, state: State) -> Window:
    """What was saved: ``texts``, a button that opens the record it belongs to, and «done»."""
    return Window(
        *texts,
        Column(
            Button(Format("{open}"), id="open", on_click=on_open),
            Button(TrPlain("btn-done"), id="close", on_click=_close),
        ),
        getter=getter,
        state=state,
    )
