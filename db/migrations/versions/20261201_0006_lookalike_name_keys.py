"""look-alike R5 keys: re-compute the duplicate keys of existing contacts (issue 9, finding 11)

R5a now reads the Latin look-alikes of a name as Cyrillic before hashing («Opex Bepa» is «Орех Вера»,
``domain.duplicates.folded_name_key``). The ``dup_*`` keys of the contacts saved before are re-computed
with ``domain.duplicates.match_keys``; only rows whose name has such letters change.

Two contacts saved before may now collide: «Орех Вера» and «Opex Bepa» with the same birth date. The
migration does not fail then. The contact that already holds the key keeps it (a Cyrillic one, which
does not change, or the older of two that change), and the other keeps its old key for that pair, so
the unique indexes hold. Each such pair is logged by contact ids and column only, for an admin to merge.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 06:00:00
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

from domain.duplicates import ContactIdentity, match_keys
from domain.values import name_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# Frozen copies, so that this migration means the same thing after the models change.
COLUMNS = {
    "name+phone": "dup_name_phone",
    "name+birth_date": "dup_name_birth",
    "name+email": "dup_name_email",
    "phone+birth_date": "dup_phone_birth",
    "phone+email": "dup_phone_email",
    "birth_date+email": "dup_birth_email",
}
BATCH = 1000

contacts = sa.table(
    "contacts",
    sa.column("id", sa.Integer),
    sa.column("name_key", sa.String),
    sa.column("phone", sa.String),
    sa.column("birth_date", sa.Date),
    sa.column("email", sa.String),
    *(sa.column(column, sa.String) for column in COLUMNS.values()),
)

KeyFunction = Callable[[str, str, date, str], dict[str, str]]


def folded_keys(name: str, phone: str, born: date, email: str) -> dict[str, str]:
    """The keys as the bot computes them from this revision on."""
    return match_keys(ContactIdentity(name, phone, born, email))


def unfolded_keys(name: str, phone: str, born: date, email: str) -> dict[str, str]:
    """The keys of revisions 0002–0005: the name without look-alike folding (for the downgrade)."""
    values = {
        "name": name_key(name),
        "phone": phone.strip(),
        "birth_date": born.isoformat(),
        "email": email.strip().lower(),
    }
    keys = {}
    for pair in COLUMNS:
        first, second = pair.split("+")
        joined = "\x1f".join((pair, values[first], values[second]))
        keys[pair] = hashlib.sha256(joined.encode()).hexdigest()
    return keys


def _changes(bind: Connection, keys_of: KeyFunction) -> list[tuple[int, dict[str, str]]]:
    """(contact id, column → new key) for every contact whose keys change, in id order."""
    changes: list[tuple[int, dict[str, str]]] = []
    last = 0
    while True:
        rows = bind.execute(
            sa.select(contacts).where(contacts.c.id > last).order_by(contacts.c.id).limit(BATCH)
        ).all()
        if not rows:
            return changes
        for row in rows:
            keys = keys_of(row.name_key, row.phone, row.birth_date, row.email)
            new = {
                column: keys[pair] for pair, column in COLUMNS.items() if getattr(row, column) != keys[pair]
            }
            if new:
                changes.append((row.id, new))
        last = rows[-1].id


def rekey(bind: Connection, keys_of: KeyFunction) -> None:
    """Re-compute the ``dup_*`` keys; a key another contact already holds is left as it was."""
    for contact_id, new in _changes(bind, keys_of):
        values = {}
        for column, key in new.items():
            holder = bind.execute(
                sa.select(contacts.c.id).where(contacts.c[column] == key, contacts.c.id != contact_id)
            ).scalar()
            if holder is None:
                values[column] = key
            else:
                log.warning(
                    "R5 re-keying found a duplicate: contact %s keeps its old %s, contact %s holds the key",
                    contact_id,
                    column,
                    holder,
                )
        if values:
            bind.execute(sa.update(contacts).where(contacts.c.id == contact_id).values(**values))


def upgrade() -> None:
    rekey(op.get_bind(), folded_keys)


def downgrade() -> None:
    rekey(op.get_bind(), unfolded_keys)
