"""Texts of windows and buttons, rendered from the Fluent catalogs in the user's language.

``Tr("key", name="field")`` renders catalog message ``key`` with Fluent variable ``name`` taken from the
window data's ``field`` (a dotted path reaches into objects and dicts). String values are HTML-escaped by the
translator (``bot.i18n``), so a getter passes user data as it is; a fragment the code built itself is passed
as ``bot.i18n.Html``. Button labels are not parsed as HTML: ``TrPlain`` leaves the values as they are.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog.api.protocols import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text

from bot.i18n import Html, Translator, escape


def translator(manager: DialogManager) -> Translator:
    i18n = manager.middleware_data["i18n"]
    assert isinstance(i18n, Translator)
    return i18n


def lookup(data: Any, path: str) -> Any:
    """``a.b.0`` in window data: dict keys, sequence indexes or attributes; ``None`` if a step is missing."""
    value = data
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list | tuple) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        else:
            value = getattr(value, part, None)
    return value


class Tr(Text):
    """A catalog message. Positional names are Fluent variables taken from the window data field of the
    same name; keyword arguments map a variable to a data path: ``Tr("card", "name", total="page.total")``."""

    def __init__(self, key: str, *fields: str, when: WhenCondition = None, **args: str) -> None:
        super().__init__(when=when)
        self.key = key
        self.args = {**{name: name for name in fields}, **args}

    def params(self, data: dict[str, Any]) -> dict[str, Any]:
        return {name: lookup(data, path) for name, path in self.args.items()}

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return translator(manager)(self.key, **self.params(data))


class TrPlain(Tr):
    """A catalog message for a button label or an alert: values are not escaped (shown as is)."""

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return translator(manager).plain(self.key, **self.params(data))


class Key(Text):
    """The catalog message whose key is in the window data (``Key("error")`` shows a refusal's text).

    The data holds the key (and its variables under ``<field>_params``), never a rendered text, so the
    message follows the user's language even when it was stored before a language switch.
    """

    def __init__(self, field: str, when: WhenCondition = None) -> None:
        super().__init__(when=when if when is not None else field)
        self.field = field

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        key = lookup(data, self.field)
        if not key:
            return ""
        params = lookup(data, f"{self.field}_params") or {}
        return translator(manager)(str(key), **dict(params))


class Raw(Text):
    """Markup a getter built itself from escaped parts (a card): shown as it is."""

    def __init__(self, field: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.field = field

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        value = lookup(data, self.field)
        if value is None:
            return ""
        return str(value) if isinstance(value, Html) else str(escape(value))
