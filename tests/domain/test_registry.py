"""The client registry's rules (seed 002): INN and KPP, names, the derived client status, the permission to
convert a client into a counterparty."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast

import domain.registry
from domain.access import Actor, Role
from domain.errors import ValidationError
from domain.registry import (
    ClientName,
    ClientStatus,
    CounterpartyKind,
    Inn,
    Kpp,
    LegalName,
    client_status,
    may_convert_client,
    reject_reason,
    route_comment,
)

ROOT = Path(__file__).resolve().parents[2]


def error_key(call: object) -> str:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return caught.value.key


# ---------------------------------------------------------------------------------------------------------
# INN
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "individual"),
    [
        ("7707083893", "7707083893", False),  # a real legal entity's INN
        ("7707 083 893", "7707083893", False),
        (" 7830002293 ", "7830002293", False),
        ("500100732259", "500100732259", True),  # a real individual's INN
        ("5001 0073 2259", "500100732259", True),
        ("\u00a0500100732259", "500100732259", True),
    ],
)
def test_valid_inns_of_both_lengths_are_accepted(text: str, value: str, individual: bool) -> None:
    inn = Inn.parse(text)
    assert inn.value == value
    assert inn.is_individual is individual


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("7707083894", "clients-err-inn-checksum"),  # last digit off by one
        ("7707083839", "clients-err-inn-checksum"),  # two digits swapped
        ("500100732258", "clients-err-inn-checksum"),  # the 12th check digit wrong
        ("500100732249", "clients-err-inn-checksum"),  # the 11th check digit wrong
        ("770708389", "clients-err-inn-length"),
        ("77070838931", "clients-err-inn-length"),
        ("5001007322591", "clients-err-inn-length"),
        ("77O7083893", "clients-err-inn-digits"),
        ("7707-083-893", "clients-err-inn-digits"),
        ("٧٧٠٧٠٨٣٨٩٣", "clients-err-inn-digits"),  # Arabic-Indic digits
        ("   ", "clients-err-inn-empty"),
    ],
)
def test_invalid_inns_are_refused_with_the_reason(text: str, key: str) -> None:
    assert error_key(lambda: Inn.parse(text)) == key


def test_inn_length_error_tells_how_many_digits_were_typed() -> None:
    with pytest.raises(ValidationError) as caught:
        Inn.parse("12345")
    assert caught.value.params == {"length": 5}
    assert "12345" not in caught.value.reason


# ---------------------------------------------------------------------------------------------------------
# KPP, names, comments, reasons
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("773601001", "773601001"),
        ("7736 01 001", "773601001"),
        ("7736AB001", "7736AB001"),
        ("7736ab001", "7736AB001"),
    ],
)
def test_valid_kpps(text: str, value: str) -> None:
    assert Kpp.parse(text).value == value


@pytest.mark.parametrize("text", ["77360100", "7736010011", "77A601001", "7736АБ001", "7736AB00X", ""])
def test_invalid_kpps(text: str) -> None:
    assert error_key(lambda: Kpp.parse(text)) == "clients-err-kpp-format"


def test_client_name_is_2_to_200_characters_with_spaces_squeezed() -> None:
    assert ClientName.parse("  ООО   «Ромашка» ").value == "ООО «Ромашка»"
    assert ClientName.parse("Ко").value == "Ко"
    assert ClientName.parse("Я" * 200).value == "Я" * 200
    for bad in ("Я", "   ", "Я" * 201):
        assert error_key(lambda bad=bad: ClientName.parse(bad)) == "clients-err-name-length"


def test_legal_name_is_2_to_300_characters() -> None:
    assert LegalName.parse("ООО «Ромашка»").value == "ООО «Ромашка»"
    assert error_key(lambda: LegalName.parse("О")) == "clients-err-legal-name-length"
    assert error_key(lambda: LegalName.parse("О" * 301)) == "clients-err-legal-name-length"


def test_route_comment_and_reject_reason_lengths() -> None:
    assert route_comment(" Клиент  ждёт ") == "Клиент ждёт"
    assert error_key(lambda: route_comment("x" * 1001)) == "clients-err-comment-length"
    assert reject_reason("Нет договора") == "Нет договора"
    assert error_key(lambda: reject_reason("no")) == "clients-err-reason-length"
    assert error_key(lambda: reject_reason("x" * 501)) == "clients-err-reason-length"


def test_counterparty_kinds() -> None:
    assert [kind.value for kind in CounterpartyKind] == ["supplier", "partner", "customer"]


# ---------------------------------------------------------------------------------------------------------
# The client's derived status (SPEC "Entities")
# ---------------------------------------------------------------------------------------------------------


def at(day: int) -> datetime:
    return datetime(2027, 1, day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("deals", "marked_lost", "expected"),
    [
        ([], False, ClientStatus.POTENTIAL),
        ([(at(1), "open")], False, ClientStatus.POTENTIAL),
        ([(at(1), "lost"), (at(2), "open")], False, ClientStatus.POTENTIAL),
        ([(at(1), "won")], False, ClientStatus.ACTIVE),
        ([(at(1), "won"), (at(2), "open")], False, ClientStatus.ACTIVE),
        ([(at(1), "lost"), (at(2), "won")], False, ClientStatus.ACTIVE),
        ([(at(3), "open"), (at(1), "won")], False, ClientStatus.ACTIVE),  # order of the input does not matter
        ([(at(1), "lost")], False, ClientStatus.LOST),
        ([(at(1), "won"), (at(2), "lost")], False, ClientStatus.LOST),  # the last deal was lost
        ([(at(2), "lost"), (at(1), "won")], False, ClientStatus.LOST),
        ([(at(1), "won"), (at(2), "lost"), (at(3), "open")], False, ClientStatus.ACTIVE),
        ([], True, ClientStatus.LOST),
        ([(at(1), "won"), (at(2), "open")], True, ClientStatus.LOST),  # the manual mark wins
    ],
    ids=[
        "no-deals",
        "open-only",
        "open-after-lost",
        "won",
        "open-after-won",
        "won-after-lost",
        "unordered-input",
        "lost-only",
        "lost-after-won",
        "lost-after-won-unordered",
        "open-after-lost-after-won",
        "marked-without-deals",
        "marked-beats-active",
    ],
)
def test_client_status_is_derived_from_deals(
    deals: list[tuple[datetime, str]], marked_lost: bool, expected: ClientStatus
) -> None:
    assert client_status(deals, marked_lost) is expected


# ---------------------------------------------------------------------------------------------------------
# The permission to convert (SPEC "Access")
# ---------------------------------------------------------------------------------------------------------

MANAGER = Actor(1, Role.MANAGER, 1)
TEAM_LEAD = Actor(2, Role.TEAM_LEAD, 1)
ADMIN = Actor(3, Role.ADMIN, None)


@pytest.mark.parametrize(
    ("actor", "override", "allowed"),
    [
        (MANAGER, None, False),
        (TEAM_LEAD, None, True),
        (ADMIN, None, True),
        (MANAGER, True, True),
        (TEAM_LEAD, False, False),
        (ADMIN, False, False),
    ],
    ids=["manager", "team-lead", "admin", "manager-granted", "team-lead-revoked", "admin-revoked"],
)
def test_the_permission_to_convert_follows_the_role_unless_overridden(
    actor: Actor, override: bool | None, allowed: bool
) -> None:
    assert may_convert_client(actor, override) is allowed


# ---------------------------------------------------------------------------------------------------------
# Every key the registry can emit has a message in both clients catalogs, with the same variables
# ---------------------------------------------------------------------------------------------------------


def _catalog(language: str) -> dict[str, set[str]]:
    text = (ROOT / "locales" / language / "clients.ftl").read_text(encoding="utf-8")
    messages: dict[str, set[str]] = {}
    for entry in FluentParser().parse(text).body:
        assert not isinstance(entry, ast.Junk), entry.content[:60]
        if isinstance(entry, ast.Message):
            source = text[entry.span.start : entry.span.end] if entry.span else ""
            messages[entry.id.name] = set(re.findall(r"\$([a-z_]+)", source))
    return messages


def test_every_registry_error_key_has_a_message_in_both_languages() -> None:
    source = Path(domain.registry.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'"(clients-err-[a-z-]+)"', source))
    assert len(keys) >= 8
    ru, en = _catalog("ru"), _catalog("en")
    for key in keys:
        assert key in ru and key in en, key
        assert ru[key] == en[key], key
