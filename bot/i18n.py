"""Locale catalogs (Project Fluent) and the per-user translator.

Every user-facing string is a Fluent message in ``locales/<lang>/*.ftl``. String arguments are HTML-escaped by
the translator itself, so user data can never inject markup into a message sent with HTML parse mode.
Fragments the code has already built safely (cards, lists) are passed as ``Html`` and kept as they are.

Fluent refuses any placeable longer than ``fluent.runtime.resolver.MAX_PART_LENGTH`` (2,500 characters, a
guard against memory blow-ups from nested references) and then replaces the *whole* message with «{???}».
A card fragment or an escaped user text can be longer than that, so long arguments never enter Fluent: the
translator passes a short placeholder instead and puts the value in after formatting. The library's limit
stays as it is for what it guards (our own catalog patterns, never monkey-patched); Telegram's 4,096
characters remain the caller's bound (see ``domain.limits`` and ``bot.cards``).

A formatting error is never silent: it is logged with the message id and the error type (never the
arguments, which may hold personal data), and with ``CRM_STRICT_I18N=1`` (set by the test suite) it raises.
"""

from __future__ import annotations

import html
import logging
import os
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED = ("ru", "en")
DEFAULT = "ru"
#: Arguments longer than this go around Fluent (see the module docstring); far below its 2,500.
INLINE_MAX = 200
STRICT_ENV = "CRM_STRICT_I18N"

log = logging.getLogger(__name__)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


class RenderError(RuntimeError):
    """A catalog message could not be formatted; raised only in strict mode (the test suite)."""


class Html(str):
    """Markup the code built itself from escaped parts; the translator does not escape it again."""

    __slots__ = ()


def escape(value: object) -> Html:
    return Html(html.escape(str(value), quote=False))


def pick_language(setting: str | None, telegram_language: str | None, default: str = DEFAULT) -> str:
    """The user's own setting first, then their Telegram language, then Russian."""
    if setting in SUPPORTED:
        return setting
    if telegram_language:
        base = telegram_language.split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return default


class Translator:
    def __init__(
        self, bundle: FluentBundle, fallback: FluentBundle | None, language: str, *, strict: bool = False
    ) -> None:
        self._bundle = bundle
        self._fallback = fallback
        self.language = language
        self.strict = strict

    def __call__(self, key: str, **params: Any) -> str:
        args: dict[str, Any] = {}
        held: dict[str, str] = {}
        nonce = ""
        for name, value in params.items():
            arg = self._arg(value)
            if isinstance(arg, str) and len(arg) > INLINE_MAX:
                nonce = nonce or secrets.token_hex(6)
                token = f"\ue000{nonce}.{len(held)}\ue001"
                held[token] = arg
                arg = token
            args[name] = arg
        for bundle in (self._bundle, self._fallback):
            if bundle is not None and bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, errors = bundle.format_pattern(message.value, args)
                if errors:
                    self._failed(key, [type(error).__name__ for error in errors])
                text = str(text)
                for token, value in held.items():
                    text = text.replace(token, value)
                return text
        self._failed(key, ["MissingMessage"])
        return key

    def _failed(self, key: str, kinds: list[str]) -> None:
        """Logs a rendering failure by message id and error types only: the arguments may be personal data."""
        log.error("message %s (%s) failed to render: %s", key, self.language, ", ".join(kinds))
        if self.strict:
            raise RenderError(f"message {key} ({self.language}) failed to render: {', '.join(kinds)}")

    def plain(self, key: str, **params: Any) -> str:
        """Text that Telegram does not parse as HTML (button labels, alerts): parameters go in as they are."""
        return self(key, **{name: Html(v) if isinstance(v, str) else v for name, v in params.items()})

    def alert(self, key: str, **params: Any) -> str:
        """An alert (a callback answer): Telegram shows it as plain text, so the message's own markup is taken
        out and its entities turned back into characters (``<code>3002</code>`` shows as ``3002``)."""
        return html.unescape(_TAG.sub("", self(key, **params)))

    def has(self, key: str) -> bool:
        return self._bundle.has_message(key)

    @staticmethod
    def _arg(value: Any) -> Any:
        if isinstance(value, Html):
            return str(value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float | Decimal):
            return value
        if isinstance(value, datetime | date):
            return html.escape(value.isoformat(), quote=False)
        if value is None:
            return ""
        return html.escape(str(value), quote=False)


def load_bundle(language: str, directory: Path = LOCALES_DIR) -> FluentBundle:
    bundle = FluentBundle([language], use_isolating=False)
    for path in sorted((directory / language).glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


class TranslatorHub:
    """All catalogs, loaded once at start."""

    def __init__(
        self, directory: Path = LOCALES_DIR, default: str = DEFAULT, *, strict: bool | None = None
    ) -> None:
        self.default = default
        if strict is None:
            strict = os.environ.get(STRICT_ENV) == "1"
        self._bundles = {lang: load_bundle(lang, directory) for lang in SUPPORTED}
        self._translators = {
            lang: Translator(bundle, self._bundles[default] if lang != default else None, lang, strict=strict)
            for lang, bundle in self._bundles.items()
        }

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default, self._translators[self.default])

    def all_variants(self, key: str) -> set[str]:
        """The text of ``key`` in every language, for matching reply-keyboard buttons."""
        return {self._translators[lang](key) for lang in SUPPORTED}

    def languages(self) -> Iterable[str]:
        return SUPPORTED
