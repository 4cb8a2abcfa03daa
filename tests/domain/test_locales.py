"""Every message key the domain can emit has a message in both catalogs, with the same variables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast, visitor

from domain.access import Role
from domain.deals import DEFAULT_PIPELINE, REQUIRED_FIELDS, DealStatus
from domain.interactions import InteractionKind, Outcome
from domain.leads import LeadStatus

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_SOURCES = sorted((ROOT / "domain").glob("*.py"))
LANGUAGES = ("ru", "en")
KEY_LITERAL = re.compile(r"""["'](err-[a-z0-9-]+)["']""")

SAMPLE_PARAMS: dict[str, str | int] = {
    "max_length": 150,
    "domain": "ourcompany.ru",
    "min_age": 14,
    "max_age": 120,
    "years": 5,
    "phrase": "нд",
    "min_words": 3,
    "words": 1,
}


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)


def _messages(language: str) -> dict[str, ast.Message]:
    text = (ROOT / "locales" / language / "domain.ftl").read_text(encoding="utf-8")
    resource = FluentParser().parse(text)
    junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
    assert not junk, f"{language}/domain.ftl has syntax errors: {junk}"
    return {entry.id.name: entry for entry in resource.body if isinstance(entry, ast.Message)}


def _bundle(language: str) -> FluentBundle:
    bundle = FluentBundle([language], use_isolating=False)
    catalog = ROOT / "locales" / language / "domain.ftl"
    bundle.add_resource(FluentResource(catalog.read_text(encoding="utf-8")))
    return bundle


def _format(bundle: FluentBundle, key: str, params: dict[str, str | int]) -> str:
    pattern = bundle.get_message(key).value
    assert pattern is not None, key
    text, errors = bundle.format_pattern(pattern, params)
    assert not errors, (key, errors)
    return str(text)


def _variables(message: ast.Message) -> set[str]:
    found = _Variables()
    found.visit(message)
    return found.names


def _emitted_error_keys() -> Iterator[str]:
    for path in DOMAIN_SOURCES:
        yield from KEY_LITERAL.findall(path.read_text(encoding="utf-8"))


def _display_keys() -> Iterator[str]:
    yield from (f"stage-{stage.code}" for stage in DEFAULT_PIPELINE)
    yield from (f"kind-{kind}" for kind in InteractionKind)
    yield from (f"outcome-{outcome}" for outcome in Outcome)
    yield from (f"lead-status-{status}" for status in LeadStatus)
    yield from (f"deal-status-{status}" for status in DealStatus)
    yield from (f"field-{field}" for field in REQUIRED_FIELDS)
    yield from (f"role-{role}" for role in Role)
    yield from (f"comment-part-{part}" for part in ("discussed", "agreed", "text"))


ALL_KEYS = sorted({*_emitted_error_keys(), *_display_keys()})


def test_the_scan_finds_the_keys_of_every_rule() -> None:
    emitted = set(_emitted_error_keys())
    for expected in ("err-phone-not-mobile", "err-comment-stop-phrase", "err-lead-no-qualifying-interaction"):
        assert expected in emitted


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_domain_key_has_a_message(language: str, key: str) -> None:
    assert key in _messages(language), f"{key} is missing from locales/{language}/domain.ftl"


def test_both_catalogs_define_the_same_messages_with_the_same_variables() -> None:
    ru, en = _messages("ru"), _messages("en")
    assert sorted(ru) == sorted(en)
    for key in ru:
        assert _variables(ru[key]) == _variables(en[key]), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_formats_without_errors(language: str) -> None:
    bundle = _bundle(language)
    for key, message in _messages(language).items():
        params = {name: SAMPLE_PARAMS[name] for name in _variables(message)}
        assert _format(bundle, key, params).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_domain_messages_do_not_clash_with_other_catalogs(language: str) -> None:
    ours = set(_messages(language))
    for path in sorted((ROOT / "locales" / language).glob("*.ftl")):
        if path.name == "domain.ftl":
            continue
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        theirs = {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
        assert not ours & theirs, f"{path.name} redefines {sorted(ours & theirs)}"


def test_russian_plural_forms_read_naturally() -> None:
    bundle = _bundle("ru")
    assert "3 слова" in _format(bundle, "err-comment-too-short", {"min_words": 3, "words": 1})
    assert "5 слов" in _format(bundle, "err-comment-too-short", {"min_words": 5, "words": 1})
