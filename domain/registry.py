"""The client registry (seed 002): clients, counterparties and routes.

- A Client's status (potential / active / lost) is derived from its deals, never typed in (SPEC "Entities").
- A Counterparty carries a legal name, an INN (ИНН, checksums validated), an optional KPP (КПП) and a kind.
- Converting a client into a counterparty needs the permission to convert (SPEC "Access"); without it the
  manager sends the client along a route to an approver who has it.

The error keys (``clients-err-*``) are Fluent ids in ``locales/*/clients.ftl``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain import limits
from domain.access import Actor, can_convert_client
from domain.deals import DealStatus
from domain.errors import Conflict, ValidationError

_SPACES = re.compile(r"[\s\u00a0]+")
_INN_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")


def _check_digit(digits: str, weights: Sequence[int]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False)) % 11 % 10


def _squeeze(text: str) -> str:
    return _SPACES.sub("", text)


@dataclass(frozen=True)
class Inn:
    """ИНН: 10 digits for a legal entity (one check digit), 12 for an individual (two check digits)."""

    value: str

    LEGAL_ENTITY_LENGTH = 10
    INDIVIDUAL_LENGTH = 12

    @classmethod
    def parse(cls, text: str) -> Inn:
        """Parse «7707083893» or «7707 083 893»; spaces are ignored, anything else but digits is refused."""
        digits = _squeeze(text)
        if not digits:
            raise ValidationError("clients-err-inn-empty", "INN is empty")
        if not digits.isdigit() or not digits.isascii():
            raise ValidationError("clients-err-inn-digits", "INN contains characters other than digits")
        if len(digits) not in (cls.LEGAL_ENTITY_LENGTH, cls.INDIVIDUAL_LENGTH):
            raise ValidationError(
                "clients-err-inn-length", "INN must have 10 or 12 digits", length=len(digits)
            )
        if len(digits) == cls.LEGAL_ENTITY_LENGTH:
            valid = _check_digit(digits, _INN_WEIGHTS_10) == int(digits[9])
        else:
            valid = _check_digit(digits, _INN_WEIGHTS_11) == int(digits[10]) and _check_digit(
                digits, _INN_WEIGHTS_12
            ) == int(digits[11])
        if not valid:
            raise ValidationError("clients-err-inn-checksum", "INN check digits do not match")
        return cls(digits)

    @property
    def is_individual(self) -> bool:
        return len(self.value) == self.INDIVIDUAL_LENGTH


@dataclass(frozen=True)
class Kpp:
    """КПП: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits («773601001»)."""

    value: str

    @classmethod
    def parse(cls, text: str) -> Kpp:
        """Spaces are ignored and Latin letters are upper-cased («7736 ab 001» → «7736AB001»)."""
        cleaned = _squeeze(text).upper()
        if not _KPP.fullmatch(cleaned) or not cleaned.isascii():
            raise ValidationError(
                "clients-err-kpp-format", "KPP must be 4 digits, 2 digits or letters, 3 digits"
            )
        return cls(cleaned)


def _text_of_length(text: str, low: int, high: int, key: str, what: str) -> str:
    cleaned = " ".join(text.split())
    if not low <= len(cleaned) <= high:
        raise ValidationError(key, f"{what} length is out of range", min=low, max=high, length=len(cleaned))
    return cleaned


def client_search_key(name: str) -> str:
    """How client names are compared and searched in part: case-folded, «ё»→«е», single spaces."""
    return " ".join(name.casefold().replace("ё", "е").split())


@dataclass(frozen=True)
class ClientName:
    """A client's name as the managers call it: 2–200 characters, extra spaces dropped."""

    value: str

    MIN_LENGTH = 2
    MAX_LENGTH = 200

    @classmethod
    def parse(cls, text: str) -> ClientName:
        return cls(_text_of_length(text, cls.MIN_LENGTH, cls.MAX_LENGTH, "clients-err-name-length", "name"))


@dataclass(frozen=True)
class LegalName:
    """A counterparty's legal name («ООО «Ромашка»»): 2–300 characters."""

    value: str

    MIN_LENGTH = 2
    MAX_LENGTH = 300

    @classmethod
    def parse(cls, text: str) -> LegalName:
        return cls(
            _text_of_length(
                text, cls.MIN_LENGTH, cls.MAX_LENGTH, "clients-err-legal-name-length", "legal name"
            )
        )


ROUTE_COMMENT_MAX = limits.ROUTE_COMMENT
REJECT_REASON_MIN = limits.REASON_MIN
REJECT_REASON_MAX = limits.REASON


def route_comment(text: str) -> str:
    """The requester's optional comment to the approver: 1–1000 characters."""
    return _text_of_length(
        text, limits.ROUTE_COMMENT_MIN, ROUTE_COMMENT_MAX, "clients-err-comment-length", "comment"
    )


def reject_reason(text: str) -> str:
    """Why the approver rejected a route: 3–500 characters, sent to the requester."""
    return _text_of_length(text, REJECT_REASON_MIN, REJECT_REASON_MAX, "clients-err-reason-length", "reason")


class CounterpartyKind(StrEnum):
    SUPPLIER = "supplier"
    PARTNER = "partner"
    CUSTOMER = "customer"


class RouteStatus(StrEnum):
    """A route is decided once: pending → approved | rejected, or withdrawn by its requester."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ClientStatus(StrEnum):
    POTENTIAL = "potential"
    ACTIVE = "active"
    LOST = "lost"


def client_status(deal_outcomes: Sequence[tuple[datetime, str]], marked_lost: bool) -> ClientStatus:
    """A client's status, derived from its deals (SPEC "Entities").

    ``deal_outcomes`` holds one ``(when, status)`` per deal of the client, ``status`` a
    :class:`~domain.deals.DealStatus` value and ``when`` the deal's latest event: its closing time when
    won or lost, its creation time while open. Order does not matter; ties keep the given order.

    - **lost**: the client was marked lost, or its last deal was lost. The manual mark wins over
      everything (removing the mark gives the derived status back), and a last lost deal wins over an
      earlier won one: the relationship ended with a refusal.
    - **active**: it has a won deal (an open deal after a won one keeps it active).
    - **potential**: no won deal yet — no deals, only open ones, or a lost one followed by an open one.
    """
    if marked_lost:
        return ClientStatus.LOST
    ordered = sorted(deal_outcomes, key=lambda outcome: outcome[0])
    if ordered and ordered[-1][1] == DealStatus.LOST:
        return ClientStatus.LOST
    if any(status == DealStatus.WON for _when, status in ordered):
        return ClientStatus.ACTIVE
    return ClientStatus.POTENTIAL


def may_convert_client(actor: Actor, override: bool | None) -> bool:
    """SPEC "Access": the permission to convert a client into a counterparty.

    ``override`` is the user's own setting (``User.can_convert_clients``) and wins when set; otherwise
    the role decides: team leads and admins may, managers send a route instead.
    """
    if override is not None:
        return override
    return can_convert_client(actor)


class PartyDealTaken(Conflict):
    """R2i: a contact joining a client takes its open deals along (their party becomes the client); the join
    is refused when the client would then have two open deals in one product group. ``deal_ids``: the open
    deals in the way (both sides), by id. Nothing was changed."""

    key = "clients-refused-party-deal"

    def __init__(self, deal_ids: Sequence[int]) -> None:
        super().__init__("a second open deal of the client in a product group (R2i)")
        self.deal_ids = tuple(sorted(set(deal_ids)))
