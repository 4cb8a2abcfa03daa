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

import hashlib
from array import array
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
    """R5 within the file: the keys of the rows accepted so far; a later row duplicates the earlier one.

    The keys (SHA-256 digests, ``domain.duplicates``) are held packed: the first 128 bits of each, in blocks
    of ``bytearray``, found through an open-addressing index of them, so 100k rows' 600k keys take ≈ 15 MB
    where a dict of their strings took ≈ 85 MB (row numbers are 32-bit: a file has far fewer rows). Two
    different keys of one file sharing 128 bits is less likely than 1 in 10^27 (600k keys), far below the
    256-bit keys' own collisions mattering anywhere else: the verdicts are those of the full keys.
    """

    _SIZE = 16  # bytes kept of each key
    _BLOCK = 1 << 17  # keys per block: a block never grows past 2 MB, so it is never copied whole

    def __init__(self) -> None:
        self._blocks: list[bytearray] = []
        self._rows = array("I")  # the row number of each key kept, in the order kept
        self._slots = array("I", bytes(array("I").itemsize * 1024))  # 0 is free, else the key's index + 1

    @classmethod
    def _digest(cls, key: str) -> bytes:
        if len(key) == 64:  # a SHA-256 digest in hex, as ``domain.duplicates`` makes them
            try:
                return bytes.fromhex(key[: 2 * cls._SIZE])
            except ValueError:
                pass
        return hashlib.sha256(key.encode()).digest()[: cls._SIZE]  # any other text works too

    def _kept(self, index: int) -> bytes:
        block, offset = divmod(index, self._BLOCK)
        start = offset * self._SIZE
        return bytes(self._blocks[block][start : start + self._SIZE])

    def _find(self, digest: bytes) -> tuple[int, int]:
        """The slot where ``digest`` is or would go, and its index + 1 there (0 when it is not kept)."""
        slots, blocks, size, per = self._slots, self._blocks, self._SIZE, self._BLOCK
        mask = len(slots) - 1
        slot = int.from_bytes(digest[:8], "little") & mask
        while entry := slots[slot]:
            block, offset = divmod(entry - 1, per)
            if blocks[block][offset * size : (offset + 1) * size] == digest:
                return slot, entry
            slot = (slot + 1) & mask
        return slot, 0

    def match(self, keys: Mapping[str, str], *, add_as: int | None = None) -> Match | None:
        """The earlier row sharing a pair's key (the first pair in :data:`PAIR_NAMES` order); when there is
        none and ``add_as`` is given, the keys are kept as row ``add_as``'s at once (each looked up once)."""
        missing: list[tuple[bytes, int]] = []
        for pair in PAIR_NAMES:
            key = keys.get(pair)
            if key is None:
                continue
            digest = self._digest(key)
            slot, entry = self._find(digest)
            if entry:
                return Match(pair=pair, row_no=self._rows[entry - 1])
            missing.append((digest, slot))
        if add_as is not None:
            size = len(self._slots)
            for digest, slot in missing:
                if len(self._slots) != size:  # grown since it was looked up: its slot moved
                    slot = self._find(digest)[0]
                self._keep(digest, slot, add_as)
        return None

    def add(self, row_no: int, keys: Mapping[str, str]) -> None:
        for key in keys.values():
            digest = self._digest(key)
            slot, entry = self._find(digest)
            if not entry:  # the earliest row keeps its key
                self._keep(digest, slot, row_no)

    def _keep(self, digest: bytes, slot: int, row_no: int) -> None:
        if self._slots[slot]:  # taken by a key kept just before: look again
            slot, entry = self._find(digest)
            if entry:
                return
        if len(self._rows) % self._BLOCK == 0:
            self._blocks.append(bytearray())
        self._blocks[-1] += digest
        self._rows.append(row_no)
        self._slots[slot] = len(self._rows)
        if 3 * len(self._rows) > 2 * len(self._slots):
            self._grow()

    def _grow(self) -> None:
        """Twice the slots, every kept key placed again (at most two thirds of the slots are ever taken)."""
        self._slots = array("I", bytes(self._slots.itemsize * 2 * len(self._slots)))
        for index in range(len(self._rows)):
            slot = self._find(self._kept(index))[0]
            self._slots[slot] = index + 1


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
