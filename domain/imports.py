"""Imports (issue 13): each row of a file goes through the same rules as the contact form.

R4a: the required fields and their formats are the form's value objects (:class:`~domain.values.FullName`,
:class:`~domain.values.MobilePhone`, :class:`~domain.values.BirthDate`, :class:`~domain.values.Email`), so a
landline or an address on a company domain is refused with the very key the form shows. R4b's "a user's own
phone or e-mail" needs the users and is checked by the repository with :func:`employee_refusal`.

R5: a row is a duplicate of an earlier row of the same file when they share the key of a pair of fields
(:class:`RowsSeen`); the database's duplicates are looked up by the repository.

Rows arrive already mapped: field name (:data:`FIELDS`) → the cell's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain import limits
from domain.duplicates import PAIR_NAMES, partial_match_keys
from domain.errors import Closed, ValidationError
from domain.values import BirthDate, Email, FullName, MobilePhone

#: The mapped fields a row may carry (the values of the column recogniser's ``Field``).
FIELDS = (
    "full_name",
    "phone",
    "mobile",
    "birth_date",
    "email",
    "position",
    "client",
    "industry",
    "region",
    "responsible",
)

#: Rows written in one transaction (and between two progress reports): 100k rows are 100 batches.
BATCH = 1000
#: How long the importer may undo an import.
UNDO_WINDOW = timedelta(hours=24)
#: How many rows of each kind a preview shows.
PREVIEW_SAMPLES = 5


class JobStatus(StrEnum):
    PREVIEW = "preview"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNDONE = "undone"


class Verdict(StrEnum):
    PENDING = "pending"
    NEW = "new"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    CREATED = "created"
    FAILED = "failed"
    REMOVED = "removed"  # created, then taken back by an undo


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed R4a: the contact's values as the form would save them, and the names to resolve."""

    name: FullName
    phone: str
    birth_date: date
    email: str
    position: str | None
    client: str | None
    industry: str | None
    region: str | None
    responsible: str | None

    def keys(self) -> dict[str, str]:
        """R5c: pair name → key, all six pairs."""
        return partial_match_keys(self.name.key(), self.phone, self.birth_date, self.email)


def _text(fields: Mapping[str, str], name: str) -> str:
    return " ".join((fields.get(name) or "").split())


def _optional(fields: Mapping[str, str], name: str, limit: int) -> str | None:
    value = _text(fields, name)
    if not value:
        return None
    if too_long := limits.check_length(value, limit):
        raise ValidationError("limit-too-long", "text too long", limit=too_long.limit, length=too_long.length)
    return value


#: The field of a row that holds why one of its cells cannot be taken (a formula, a cell over the length
#: limit: ``bot.import_files``); such a row is refused with that reason.
CELL_ERROR = "cell_error"


def check_row(
    fields: Mapping[str, str], *, region: str, company_domains: list[str], today: date
) -> CheckedRow:
    """R4a, R4b (company domains): the row's contact, or the first ``ValidationError`` the form would show
    (first of all, a cell of the row that cannot be taken: ``CELL_ERROR``).

    The mobile column is preferred to the phone column when both are filled; a landline in the only phone
    column is refused with ``err-phone-not-mobile``, as in the form.
    """
    if unreadable := fields.get(CELL_ERROR):
        raise ValidationError(unreadable, "a cell of the row cannot be taken as it is")
    name = FullName.parse(_text(fields, "full_name"))
    phone = MobilePhone.parse(_text(fields, "mobile") or _text(fields, "phone"), region).e164
    birth = BirthDate.parse(_text(fields, "birth_date"), today).value
    email = Email.parse(_text(fields, "email"), company_domains=company_domains).value
    return CheckedRow(
        name=name,
        phone=phone,
        birth_date=birth,
        email=email,
        position=_optional(fields, "position", limits.CONTACT_POSITION),
        client=_optional(fields, "client", limits.CONTACT_CLIENT),
        industry=_text(fields, "industry") or None,
        region=_text(fields, "region") or None,
        responsible=_text(fields, "responsible") or None,
    )


def employee_refusal(row: CheckedRow, phones: set[str], emails: set[str]) -> ValidationError | None:
    """R4b: the refusal when the row's phone or e-mail is a user's own work phone or work e-mail."""
    if row.phone in phones:
        return ValidationError("err-phone-employee", "a value of an employee (R4b)")
    if row.email in emails:
        return ValidationError("err-email-employee", "a value of an employee (R4b)")
    return None


@dataclass(frozen=True)
class Match:
    """R5: what a row duplicates (an earlier row of the file or a saved contact) and the pair that matched."""

    pair: str
    row_no: int | None = None
    contact_id: int | None = None


class RowsSeen:
    """R5 within the file: the keys of the rows accepted so far; a later row duplicates the earlier one."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}

    def match(self, keys: Mapping[str, str]) -> Match | None:
        for pair in PAIR_NAMES:
            key = keys.get(pair)
            if key is not None and key in self._rows:
                return Match(pair=pair, row_no=self._rows[key])
        return None

    def add(self, row_no: int, keys: Mapping[str, str]) -> None:
        for key in keys.values():
            self._rows.setdefault(key, row_no)


def first_match(
    keys: Mapping[str, str], found: Mapping[str, Mapping[str, int]], columns: Mapping[str, str]
) -> Match | None:
    """R5 against the database: the first pair whose key was found (``found``: column → key → contact id)."""
    for pair in PAIR_NAMES:
        contact_id = found.get(columns[pair], {}).get(keys.get(pair, ""))
        if contact_id is not None:
            return Match(pair=pair, contact_id=contact_id)
    return None


def may_undo(finished_at: datetime | None, now: datetime) -> bool:
    """An import may be undone within :data:`UNDO_WINDOW` of its end."""
    return finished_at is not None and now - finished_at <= UNDO_WINDOW


class UndoExpired(Closed):
    """An import is undone only within :data:`UNDO_WINDOW` of its end, and only once."""
