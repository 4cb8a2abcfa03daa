"""A typed step: the domain parses the answer, the window re-asks with the reason on a refusal.

``DomainInput`` is aiogram-dialog's ``TextInput`` whose ``type_factory`` is a domain value object's ``parse``
bound to the update (the user's time zone, the company's rules): ``parse(text, manager)``. A
:class:`domain.errors.ValidationError` (a ``ValueError``) goes to ``on_error``; the default,
:func:`input_error`, keeps the refusal's catalog key for the current window, which shows it above the
question (``ERROR_LINE``) until the answer is accepted or the user leaves the window.

Messages that are not answers never reach a step: a command or a main-menu button is left to the entry
routers (``handlers.kit.answers``), so a form never swallows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiogram.types import ContentType, Message
from aiogram_dialog.api.protocols import DialogManager, DialogProtocol
from aiogram_dialog.widgets.input import ManagedTextInput, TextInput
from aiogram_dialog.widgets.input.text import OnError, OnSuccess
from aiogram_dialog.widgets.text import Text
from aiogram_dialog.widgets.widget_event import WidgetEventProcessor

from domain.errors import ValidationError
from handlers.kit.text import translator

T = TypeVar("T")
Parse = Callable[[str, DialogManager], T]

ERROR = "error"
ERROR_STATE = "error_state"


def set_error(manager: DialogManager, key: str, **params: Any) -> None:
    """Show ``key`` (a catalog message) on the current window until it is answered or left."""
    state = manager.current_context().state
    manager.dialog_data[ERROR] = {"key": key, "params": params, "state": state.state}


def clear_error(manager: DialogManager) -> None:
    manager.dialog_data.pop(ERROR, None)


class ErrorLine(Text):
    """The refusal of the last answer, on the window that refused it, in the user's language."""

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        error = manager.dialog_data.get(ERROR)
        if not error or error.get("state") != manager.current_context().state.state:
            return ""
        return "⚠️ " + translator(manager)(error["key"], **(error.get("params") or {}))


ERROR_LINE = ErrorLine()


async def input_error(
    message: Message, widget: ManagedTextInput[Any], manager: DialogManager, error: ValueError
) -> None:
    if isinstance(error, ValidationError):
        set_error(manager, error.key, **error.params)
    else:
        set_error(manager, "input-invalid")


class DomainInput(TextInput[T]):
    """``TextInput`` whose answer is parsed by the domain with the update at hand."""

    def __init__(
        self,
        id: str,
        parse: Parse[T],
        on_success: OnSuccess[T] | WidgetEventProcessor | None = None,
        on_error: OnError[T] | WidgetEventProcessor | None = None,
    ) -> None:
        super().__init__(id=id, on_success=on_success, on_error=on_error or input_error)
        self.parse = parse

    async def process_message(self, message: Message, dialog: DialogProtocol, manager: DialogManager) -> bool:
        if message.content_type != ContentType.TEXT or message.text is None:
            return False
        try:
            value = self.parse(message.text, manager)
        except ValueError as err:
            await self.on_error.process_event(message, self.managed(manager), manager, err)
        else:
            clear_error(manager)
            await self.on_success.process_event(message, self.managed(manager), manager, value)
        return True

    def get_value(self, manager: DialogManager) -> T | None:
        raise NotImplementedError("a step's parsed value lives in the dialog data, not in the widget")
