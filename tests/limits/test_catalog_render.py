"""Every catalog message renders in both languages with maximal arguments, and a failure is loud
(issue 9, finding 8: Fluent's 2,500-character placeable limit turned whole replies into «{???}»)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast, visitor

from bot.i18n import SUPPORTED, RenderError, Translator, TranslatorHub
from tests.conftest import _RenderFailures
from tests.telegram_html import check_html

LOCALES = Path(__file__).resolve().parents[2] / "locales"
#: The longest text a user can send, made of the characters that grow most when escaped.
MAX_TEXT = "<&" * 2048
MAX_NUMBER = 10**15


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)


def catalog(language: str) -> dict[str, set[str]]:
    """Every message with a value in ``language``, with the variables it uses."""
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES / language).glob("*.ftl")):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message) and entry.value is not None:
                names = _Variables()
                names.visit(entry)
                found[entry.id.name] = names.names
    return found


@pytest.fixture(scope="module")
def hub() -> TranslatorHub:
    return TranslatorHub(strict=True)


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_renders_with_maximal_text_arguments(hub: TranslatorHub, language: str) -> None:
    i18n = hub.get(language)
    messages = catalog(language)
    assert len(messages) > 300
    for key, names in messages.items():
        text = i18n(key, **dict.fromkeys(names, MAX_TEXT))
        assert "{???}" not in text, key
        if names:
            assert "&lt;&amp;" * 2048 in text, key
        # Telegram's HTML check, on a short hostile argument (the checker is slow on 8,000-character texts).
        check_html(i18n(key, **dict.fromkeys(names, "<b>&amp;</i>")))


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_renders_with_maximal_numbers(hub: TranslatorHub, language: str) -> None:
    i18n = hub.get(language)
    for key, names in catalog(language).items():
        text = i18n(key, **dict.fromkeys(names, MAX_NUMBER))
        assert "{???}" not in text and "{$" not in text, key


def test_long_argument_is_kept_whole_and_escaped(hub: TranslatorHub) -> None:
    """The 2,800 characters of 700 escaped «<» reach the text; before, the whole reply was «{???}»."""
    text = hub.get("ru")("lead-card-reject-reason", reason="<" * 700)
    assert text == "Причина отказа: " + "&lt;" * 700


def _broken_translator(strict: bool) -> Translator:
    bundle = FluentBundle(["ru"], use_isolating=False)
    bundle.add_resource(FluentResource("needs-name = Привет, { $name }!\n"))
    return Translator(bundle, None, "ru", strict=strict)


def test_a_formatting_error_raises_in_strict_mode(no_render_failures: _RenderFailures) -> None:
    with pytest.raises(RenderError, match="needs-name"):
        _broken_translator(strict=True)("needs-name")
    no_render_failures.failures.clear()  # provoked on purpose


def test_a_formatting_error_is_logged_by_id_and_type_only(
    caplog: pytest.LogCaptureFixture, no_render_failures: _RenderFailures
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.i18n"):
        text = _broken_translator(strict=False)("needs-name", other="Иванов +79123456789")
    assert text == "Привет, name!"  # Fluent's fallback: the variable's name
    [record] = [r for r in caplog.records if r.name == "bot.i18n"]
    message = record.getMessage()
    assert "needs-name" in message and "FluentReferenceError" in message
    assert "Иванов" not in message and "7912" not in message
    assert no_render_failures.failures == [message]
    no_render_failures.failures.clear()  # provoked on purpose; the fixture fails every other test


def test_a_missing_message_is_logged_too(no_render_failures: _RenderFailures) -> None:
    i18n = TranslatorHub(strict=False).get("ru")
    assert i18n("no-such-message") == "no-such-message"
    assert no_render_failures.failures and "no-such-message" in no_render_failures.failures[0]
    no_render_failures.failures.clear()
