"""Locale catalogs (Project Fluent) and the per-user translator.

Every user-facing string is a Fluent message in ``locales/<lang>/*.ftl``. String arguments are HTML-escaped by
the translator itself, so user data can never inject markup into a message sent with HTML parse mode.
Fragments the code has already built safely (cards, lists) are passed as ``Html`` and kept as they are.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED = ("ru", "en")
DEFAULT = "ru"


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
    def __init__(self, bundle: FluentBundle, fallback: FluentBundle | None, language: str) -> None:
        self._bundle = bundle
        self._fallback = fallback
        self.language = language

    def __call__(self, key: str, **params: Any) -> str:
        args = {name: self._arg(value) for name, value in params.items()}
        for bundle in (self._bundle, self._fallback):
            if bundle is not None and bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, _errors = bundle.format_pattern(message.value, args)
                return str(text)
        return key

    def plain(self, key: str, **params: Any) -> str:
        """Text that Telegram does not parse as HTML (button labels, alerts): parameters go in as they are."""
        return self(key, **{name: Html(v) if isinstance(v, str) else v for name, v in params.items()})

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

    def __init__(self, directory: Path = LOCALES_DIR, default: str = DEFAULT) -> None:
        self.default = default
        self._bundles = {lang: load_bundle(lang, directory) for lang in SUPPORTED}
        self._translators = {
            lang: Translator(bundle, self._bundles[default] if lang != default else None, lang)
            for lang, bundle in self._bundles.items()
        }

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default, self._translators[self.default])

    def all_variants(self, key: str) -> set[str]:
        """The text of ``key`` in every language, for matching reply-keyboard buttons."""
        return {self._translators[lang](key) for lang in SUPPORTED}

    def languages(self) -> Iterable[str]:
        return SUPPORTED
