"""Optional details of a record: fields a form never asks on its way, changed from its summary.

A detail is declared once, by the feature that owns the record: its name, the record's column and its
:class:`Kind`. From that one declaration the form gets its summary row and «✏️» button, the one window that
asks any detail of the form (:func:`detail_window`, a single state for all of them), the value for the save,
and the card its row. The catalog keys follow the name (``<prefix>`` is the feature's catalog prefix):

- ``<prefix>-field-<name>``: the summary's label; ``<prefix>-btn-edit-<name>``: its «✏️» button;
- ``<prefix>-ask-<name>``: the question; ``<prefix>-btn-clear-<name>``: «🗑», the detail left empty;
- ``<prefix>-empty-<name>``: the summary's value when empty; ``<prefix>-card-<name>``: the card's row
  (variable ``value``).

So a new detail costs its declaration, its column (and migration), its catalog lines and its test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aiogram.fsm.state import State
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Keyboard
from aiogram_dialog.widgets.text import Format

from bot.i18n import Translator
from domain.due import DueAt
from domain.errors import ValidationError
from handlers.kit.calendar import LocalCalendar
from handlers.kit.context import i18n_of
from handlers.kit.inputs import ERROR_LINE, DomainInput, clear_error, set_error
from handlers.kit.pickers import zone_of
from handlers.kit.steps import NOT_TEXT
from handlers.kit.text import Key

#: The detail the window is asking, in the dialog's data.
ASKING = "detail"


@dataclass(frozen=True)
class Kind:
    """How a detail is typed, picked, kept in the form (JSON), stored in its column and shown."""

    parse: Callable[[str, DialogManager], Any]
    load: Callable[[Any], Any]
    show: Callable[[Any], str]
    picked: Callable[[date, DialogManager], Any] | None = None


def _day_ahead(text: str, manager: DialogManager) -> str:
    """A day, typed the way a due date is («пт», «15.03», «через 2 недели»); today or later."""
    tz = zone_of(manager)
    return DueAt.parse(text, datetime.now(tz), tz).at.astimezone(tz).date().isoformat()


def _picked_day(day: date, manager: DialogManager) -> str:
    if day < datetime.now(zone_of(manager)).date():
        raise ValidationError("detail-err-day-past", "a day in the past")
    return day.isoformat()


DAY = Kind(
    parse=_day_ahead,
    load=date.fromisoformat,
    show=lambda day: day.strftime("%d.%m.%Y"),
    picked=_picked_day,
)


@dataclass(frozen=True)
class Detail:
    name: str
    column: str
    kind: Kind

    def summary_value(self, i18n: Translator, prefix: str, form_value: Any) -> str:
        if form_value is None:
            return i18n(f"{prefix}-empty-{self.name}")
        return i18n("detail-value", value=self.kind.show(self.kind.load(form_value)))

    def card_rows(self, i18n: Translator, prefix: str, record: Any) -> list[str]:
        value = getattr(record, self.column)
        return [] if value is None else [i18n(f"{prefix}-card-{self.name}", value=self.kind.show(value))]


def columns(details: Sequence[Detail], form: dict[str, Any]) -> dict[str, Any]:
    """The filled details of ``form`` as column values, for the save."""
    return {d.column: d.kind.load(form[d.name]) for d in details if form.get(d.name) is not None}


Store = Callable[[DialogManager, str, Any], Awaitable[None]]


def detail_window(
    prefix: str, state: State, details: Sequence[Detail], store: Store, nav: Keyboard
) -> Window:
    """The window that asks the detail named in ``dialog_data[ASKING]``. ``store(manager, name, value)``
    keeps the answer (``None``: left empty) and moves the form on."""
    by_name = {detail.name: detail for detail in details}

    def asking(manager: DialogManager) -> Detail:
        detail = by_name.get(str(manager.dialog_data.get(ASKING)))
        if detail is None:
            raise ValidationError("detail-err-gone", "no detail is being asked")
        return detail

    def parse(text: str, manager: DialogManager) -> Any:
        return asking(manager).kind.parse(text, manager)

    async def typed(event: Any, widget: Any, manager: DialogManager, value: Any) -> None:
        await store(manager, asking(manager).name, value)

    async def picked(event: Any, widget: Any, manager: DialogManager, day: date) -> None:
        detail = asking(manager)
        if detail.kind.picked is None:
            return
        try:
            value = detail.kind.picked(day, manager)
        except ValidationError as refusal:
            set_error(manager, refusal.key, **refusal.params)
            return
        clear_error(manager)
        await store(manager, detail.name, value)

    async def cleared(event: Any, widget: Any, manager: DialogManager) -> None:
        await store(manager, asking(manager).name, None)

    async def getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
        detail = by_name.get(str(dialog_manager.dialog_data.get(ASKING)))
        name = detail.name if detail else ""
        return {
            "question": f"{prefix}-ask-{name}" if detail else "detail-err-gone",
            "calendar": bool(detail and detail.kind.picked),
            "clear": i18n_of(dialog_manager).plain(f"{prefix}-btn-clear-{name}") if detail else "",
        }

    return Window(
        ERROR_LINE,
        Key("question"),
        LocalCalendar("detail_calendar", on_click=picked, when="calendar"),
        DomainInput("detail", parse, on_success=typed),
        Button(Format("{clear}"), id="detail_clear", on_click=cleared, when="clear"),
        NOT_TEXT,
        nav,
        getter=getter,
        state=state,
    )
