"""The row under every step: back, skip where the field is optional, cancel."""

from __future__ import annotations

from aiogram_dialog.widgets.kbd import Back, Button, Row
from aiogram_dialog.widgets.kbd.button import OnClick
from aiogram_dialog.widgets.widget_event import WidgetEventProcessor

from handlers.kit.steps import cancel_form
from handlers.kit.text import TrPlain


def cancel_button() -> Button:
    return Button(TrPlain("btn-cancel"), id="cancel", on_click=cancel_form)


def nav(
    *,
    back: bool | OnClick = True,
    skip: OnClick | WidgetEventProcessor | None = None,
    cancel: bool = True,
) -> Row:
    """``back=True`` is the previous window; a callable is the form's own «back» (one that also forgets the
    answers after the step it returns to)."""
    buttons: list[Button] = []
    if callable(back):
        buttons.append(Button(TrPlain("btn-back"), id="back", on_click=back))
    elif back:
        buttons.append(Back(TrPlain("btn-back")))
    if skip is not None:
        buttons.append(Button(TrPlain("btn-skip"), id="skip", on_click=skip))
    if cancel:
        buttons.append(cancel_button())
    return Row(*buttons)
