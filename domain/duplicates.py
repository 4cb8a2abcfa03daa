"""R5: no duplicate contacts.

R5a: a contact is a duplicate when two or more of its required fields match an existing contact.
The fields are the normalised full name (case, «ё»/«е», spaces, word order), the phone in E.164,
the date of birth and the e-mail in lower case. The name is compared with its Latin look-alike
letters read as Cyrillic (:func:`domain.values.fold_lookalikes`): «Opex Bepa» and «Kapp Ahha» are
«Орех Вера» and «Карр Анна» to the check, so another alphabet cannot bypass it.

R5c: the check costs index lookups, never a scan. "Two or more fields match" is the same as "some
pair of fields matches", so a contact has one key per pair (six in all) and the database keeps one
unique index per pair: a duplicate is a collision on any of them, even under concurrent saves.

The keys are SHA-256 digests, not the values themselves, so a unique-constraint error that ends up
in a log carries no personal data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from domain.values import fold_lookalikes, name_key

FIELDS: tuple[str, ...] = ("name", "phone", "birth_date", "email")
PAIRS: tuple[tuple[str, str], ...] = tuple(combinations(FIELDS, 2))
PAIR_NAMES: tuple[str, ...] = tuple(f"{first}+{second}" for first, second in PAIRS)


def folded_name_key(text: str) -> str:
    """R5a: :func:`~domain.values.name_key` with Latin look-alikes read as Cyrillic, words sorted again.

    The words are sorted after folding, since «Ca Ea» and «Са Еа» sort differently in two alphabets.
    """
    return " ".join(sorted(fold_lookalikes(name_key(text)).split()))


@dataclass(frozen=True)
class ContactIdentity:
    """The four R5a fields of a contact, as stored: name key, E.164 phone, birth date, e-mail."""

    name_key: str
    phone_e164: str
    birth_date: date
    email: str

    def normalised(self) -> dict[str, str]:
        """Field name → comparison form (R5a); safe to apply to values that are normalised already.

        The name's Latin look-alikes are folded to Cyrillic before it is compared or hashed.
        """
        return {
            "name": folded_name_key(self.name_key),
            "phone": self.phone_e164.strip(),
            "birth_date": self.birth_date.isoformat(),
            "email": self.email.strip().lower(),
        }


def _digest(pair: str, first: str, second: str) -> str:
    # The unit separator cannot occur in any of the normalised fields, so the join is unambiguous.
    return hashlib.sha256("\x1f".join((pair, first, second)).encode()).hexdigest()


def match_keys(identity: ContactIdentity) -> dict[str, str]:
    """R5c: one stable key per pair of fields, e.g. ``{"name+phone": "3f1a…", …}`` (six entries).

    Two contacts are duplicates (R5a) exactly when they share the key of at least one pair.
    """
    values = identity.normalised()
    return {
        pair_name: _digest(pair_name, values[first], values[second])
        for pair_name, (first, second) in zip(PAIR_NAMES, PAIRS, strict=True)
    }


#: Stands in for a birth date not given yet; never compared (:func:`known_fields` leaves it out).
_PLACEHOLDER_DATE = date(1, 1, 1)


def _partial_identity(
    name_key: str | None, phone_e164: str | None, birth_date: date | None, email: str | None
) -> ContactIdentity:
    return ContactIdentity(name_key or "", phone_e164 or "", birth_date or _PLACEHOLDER_DATE, email or "")


def known_fields(
    name_key: str | None, phone_e164: str | None, birth_date: date | None, email: str | None
) -> dict[str, str]:
    """R5a for a form in progress: field name → comparison form, for the fields given so far."""
    identity = _partial_identity(name_key, phone_e164, birth_date, email).normalised()
    present = {"name": name_key, "phone": phone_e164, "birth_date": birth_date, "email": email}
    return {name: identity[name] for name in FIELDS if present[name] is not None}


def partial_match_keys(
    name_key: str | None, phone_e164: str | None, birth_date: date | None, email: str | None
) -> dict[str, str]:
    """R5c for a form in progress: pair name → key, for every pair whose two fields are both given.

    A form checks as soon as a pair is complete: after the phone name+phone, after the birth date
    name+birth_date and phone+birth_date, after the e-mail the rest. A complete contact gets all six keys,
    the same as :func:`match_keys`.
    """
    known = known_fields(name_key, phone_e164, birth_date, email)
    keys = match_keys(_partial_identity(name_key, phone_e164, birth_date, email))
    return {
        pair: keys[pair]
        for pair, (first, second) in zip(PAIR_NAMES, PAIRS, strict=True)
        if first in known and second in known
    }


def matching_fields(a: ContactIdentity, b: ContactIdentity) -> set[str]:
    """The R5a fields on which two contacts agree."""
    left, right = a.normalised(), b.normalised()
    return {name for name in FIELDS if left[name] == right[name]}


def is_duplicate(a: ContactIdentity, b: ContactIdentity) -> bool:
    """R5a: two or more of the four fields match."""
    return len(matching_fields(a, b)) >= 2
