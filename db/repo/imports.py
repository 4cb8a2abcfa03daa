"""Imports (issue 13): a job from a file's mapped rows, and the preview — every row checked by the contact
form's rules before anything is written.

R4a/R4b: :func:`domain.imports.check_row` (the form's value objects) and the users' own work phones and
e-mails. R5: the database's duplicates are looked up a chunk of rows at a time, one ``IN (...)`` per ``dup_*``
column (index lookups, R5c), and the file's own duplicates through :class:`domain.imports.RowsSeen`.

Names are resolved as the importer may see them:
- the client among the importer's visible clients, by the exact normalised name; otherwise the run creates
  a new client (a client of the same name the importer may not see is never joined, nor revealed);
- the industry and the region by name in the directories; a name the directory does not hold refuses the
  row with a clear reason, rather than create a client without it;
- the responsible among the importer's team (a team lead) or among all active users (an admin) by full name;
  a manager may name only themselves; empty means the importer, a name not found refuses the row.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import table_of
from db.engine import write_tx
from db.models import DUPLICATE_KEY_COLUMNS, BusinessRegion, Client, Contact, Industry, User
from db.models.imports import ImportJob, ImportRow
from db.repo.client_access import client_filter
from domain.access import Actor, Role
from domain.errors import Gone, NotAllowed, ValidationError
from domain.imports import (
    PREVIEW_SAMPLES,
    CheckedRow,
    JobStatus,
    Match,
    RowsSeen,
    Verdict,
    check_row,
    employee_refusal,
    first_match,
)
from domain.registry import client_search_key
from domain.values import name_key

#: Rows checked per round of duplicate lookups (six ``IN`` lists of this many keys each).
CHUNK = 500


class Settings(Protocol):
    """What the row check needs from ``bot.settings.Settings``."""

    @property
    def default_phone_region(self) -> str: ...

    @property
    def company_email_domains(self) -> list[str]: ...

    @property
    def default_zone(self) -> ZoneInfo: ...


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SourceRow:
    """A row of the file: its cells as they stood, field name → value as the columns were mapped, and its
    number in the file as a spreadsheet shows it (``None``: counted from 1 after the header row)."""

    cells: Sequence[str]
    fields: dict[str, str]
    number: int | None = None


#: Rows stored per ``executemany`` by :func:`create_job` (only this many are held as JSON at once).
STORE_CHUNK = 1000


async def _chunks_of(
    rows: Iterable[SourceRow] | AsyncIterable[SourceRow], numbers: Sequence[int] | None
) -> AsyncIterator[list[tuple[int, SourceRow]]]:
    """The rows with their numbers, :data:`STORE_CHUNK` at a time."""
    given = iter(numbers) if numbers is not None else None
    chunk: list[tuple[int, SourceRow]] = []
    count = 0
    if isinstance(rows, AsyncIterable):
        source: AsyncIterator[SourceRow] = aiter(rows)
    else:
        source = _as_async(rows)
    async for row in source:
        count += 1
        number = next(given) if given is not None else row.number if row.number is not None else count
        chunk.append((number, row))
        if len(chunk) >= STORE_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def _as_async(rows: Iterable[SourceRow]) -> AsyncIterator[SourceRow]:
    for row in rows:
        yield row


async def create_job(
    session: AsyncSession,
    actor: Actor,
    *,
    filename: str,
    source: str,
    headers: Sequence[str],
    rows: Iterable[SourceRow] | AsyncIterable[SourceRow],
    chat_id: int | None = None,
    numbers: Sequence[int] | None = None,
) -> int:
    """Store a file's rows as a job in ``preview``. ``numbers`` (or each row's ``number``) are the rows'
    numbers in the file as a spreadsheet shows them (the header is row 1); without them, rows count from 1
    after the header row.

    ``rows`` may be a generator, or an async one (the file read as it is stored, ``bot.import_files``): they
    are stored :data:`STORE_CHUNK` at a time and counted as they come, so a large file's rows are never all
    held at once. A ``ValidationError`` raised while they are read leaves no job behind."""
    async with write_tx(session):
        job = ImportJob(
            user_id=actor.user_id,
            filename=filename,
            source=source,
            headers=dump(list(headers)),
            status=JobStatus.PREVIEW.value,
            total=0,
            done=0,
            created=0,
            duplicates=0,
            invalid=0,
            chat_id=chat_id,
        )
        session.add(job)
        await session.flush()
        pending = Verdict.PENDING.value
        total = 0
        async for chunk in _chunks_of(rows, numbers):
            total += len(chunk)
            await session.execute(
                insert(table_of(ImportRow)),  # Core: no ORM bookkeeping per row
                [
                    {
                        "job_id": job.id,
                        "row_no": number,
                        "cells": dump(list(row.cells)),
                        "fields": dump(row.fields),
                        "verdict": pending,
                    }
                    for number, row in chunk
                ],
            )
        job.total = total
        await session.flush()
        return job.id


async def job_of(session: AsyncSession, actor: Actor, job_id: int) -> ImportJob:
    """R1c: the job, for its importer or an admin; ``Gone`` or ``NotAllowed`` otherwise."""
    job = await session.get(ImportJob, job_id)
    if job is None:
        raise Gone("import job")
    if job.user_id != actor.user_id and actor.role is not Role.ADMIN:
        raise NotAllowed("another user's import")
    return job


# ---------------------------------------------------------------------------------------------------------
# What the names in a row point at
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Names:
    """The directories, the users the importer may make responsible, their own phones and e-mails (R4b), and
    the visible clients found so far, by normalised name."""

    industries: dict[str, int]
    regions: dict[str, int]
    responsibles: dict[str, int]
    employee_phones: set[str]
    employee_emails: set[str]
    clients: dict[str, int | None] = field(default_factory=dict)


def _by_name(rows: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for item_id, name, name_en in rows:
        for label in (name, name_en):
            if label:
                found.setdefault(client_search_key(label), item_id)
    return found


async def load_names(session: AsyncSession, actor: Actor) -> Names:
    industries = (await session.execute(select(Industry.id, Industry.name, Industry.name_en))).all()
    regions = (
        await session.execute(select(BusinessRegion.id, BusinessRegion.name, BusinessRegion.name_en))
    ).all()
    people = select(User.id, User.full_name).where(User.is_active.is_(True))
    if actor.role is Role.TEAM_LEAD and actor.team_id is not None:
        people = people.where(User.team_id == actor.team_id)
    elif actor.role is not Role.ADMIN:
        people = people.where(User.id == actor.user_id)
    responsibles: dict[str, int] = {}
    for user_id, full_name in await session.execute(people.order_by(User.id)):
        responsibles.setdefault(name_key(full_name), user_id)
    phones = set(await session.scalars(select(User.work_phone).where(User.work_phone.is_not(None))))
    emails = set(
        await session.scalars(select(func.lower(User.work_email)).where(User.work_email.is_not(None)))
    )
    return Names(
        industries=_by_name(industries),
        regions=_by_name(regions),
        responsibles=responsibles,
        employee_phones={phone for phone in phones if phone},
        employee_emails={email for email in emails if email},
    )


async def find_visible_clients(session: AsyncSession, actor: Actor, names: Names, wanted: set[str]) -> None:
    """The importer's visible clients by exact normalised name (the lowest id when two share one)."""
    missing = [key for key in wanted if key not in names.clients]
    for start in range(0, len(missing), CHUNK):
        part = missing[start : start + CHUNK]
        found = await session.execute(
            select(Client.name_search, func.min(Client.id))
            .where(Client.name_search.in_(part), client_filter(actor))
            .group_by(Client.name_search)
        )
        names.clients.update(dict.fromkeys(part))
        names.clients.update({key: client_id for key, client_id in found.all()})


def plan_of(row: CheckedRow, names: Names, importer_id: int) -> dict[str, Any]:
    """What the run will write for a row: the contact's values and the ids its names resolve to, or the
    ``ValidationError`` of a name that does not resolve."""
    industry_id = region_id = None
    if row.industry is not None:
        industry_id = names.industries.get(client_search_key(row.industry))
        if industry_id is None:
            raise ValidationError("import-err-industry-unknown", "unknown industry", name=row.industry)
    if row.region is not None:
        region_id = names.regions.get(client_search_key(row.region))
        if region_id is None:
            raise ValidationError("import-err-region-unknown", "unknown region", name=row.region)
    responsible_id = importer_id
    if row.responsible is not None:
        found = names.responsibles.get(name_key(row.responsible))
        if found is None:
            raise ValidationError(
                "import-err-responsible-unknown", "unknown responsible", name=row.responsible
            )
        responsible_id = found
    client_key = client_search_key(row.client) if row.client else None
    return {
        "surname": row.name.surname,
        "given": row.name.given,
        "patronymic": row.name.patronymic,
        "phone": row.phone,
        "birth_date": row.birth_date.isoformat(),
        "email": row.email,
        "position": row.position,
        "responsible_id": responsible_id,
        "client": row.client,
        "client_id": names.clients.get(client_key) if client_key else None,
        "industry_id": industry_id,
        "region_id": region_id,
    }


# ---------------------------------------------------------------------------------------------------------
# R5 against the database, a chunk at a time
# ---------------------------------------------------------------------------------------------------------


async def saved_keys(session: AsyncSession, keys: Sequence[dict[str, str]]) -> dict[str, dict[str, int]]:
    """R5c: ``dup_*`` column → key → contact id, for the keys of these rows that a saved contact holds; one
    indexed ``IN`` per column."""
    found: dict[str, dict[str, int]] = {}
    for pair, column in DUPLICATE_KEY_COLUMNS.items():
        wanted = {row[pair] for row in keys if pair in row}
        if not wanted:
            continue
        attribute = getattr(Contact, column)
        rows = await session.execute(select(attribute, Contact.id).where(attribute.in_(wanted)))
        found[column] = {key: contact_id for key, contact_id in rows.all()}
    return found


def duplicate_note(match: Match) -> dict[str, Any]:
    if match.row_no is not None:
        return {"key": "import-duplicate-row", "params": {"pair": match.pair, "row": match.row_no}}
    return {"key": "import-duplicate-contact", "params": {"pair": match.pair, "contact": match.contact_id}}


def refusal_note(error: ValidationError) -> dict[str, Any]:
    return {"key": error.key, "params": error.params}


# ---------------------------------------------------------------------------------------------------------
# The preview
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """A row shown in the preview: its number, its name as typed and the reason (a catalog key and params)."""

    row_no: int
    name: str
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Preview:
    new: int
    duplicates: int
    invalid: int
    samples: dict[str, list[Sample]]  # verdict → the first rows of that kind


async def preview(
    session: AsyncSession, job_id: int, *, settings: Settings, actor: Actor, today: date | None = None
) -> Preview:
    """R4, R5: check every row of a job in ``preview``, store its verdict, and count them.

    ``today`` is the importer's date (the birth-date rule, R4a). Nothing but the rows' verdicts is written;
    a second call checks again from scratch (the database may have changed).
    """
    job = await job_of(session, actor, job_id)
    today = today or datetime.now(settings.default_zone).date()
    if job.status != JobStatus.PREVIEW.value:
        raise ValidationError("import-err-not-preview", "job is no longer in preview")
    names = await load_names(session, actor)
    seen = RowsSeen()
    counts = {Verdict.NEW: 0, Verdict.DUPLICATE: 0, Verdict.INVALID: 0}
    samples: dict[str, list[Sample]] = {verdict.value: [] for verdict in counts}
    last = 0
    while True:
        chunk = list(
            await session.execute(
                select(ImportRow.id, ImportRow.row_no, ImportRow.fields)
                .where(ImportRow.job_id == job_id, ImportRow.id > last)
                .order_by(ImportRow.id)  # the file's order (rows are stored in it): the job_id index's
                .limit(CHUNK)
            )
        )
        if not chunk:
            break
        last = chunk[-1].id
        verdicts = await _check_chunk(session, actor, job.user_id, settings, today, names, seen, chunk)
        async with write_tx(session):
            rows_table = table_of(ImportRow)
            await session.execute(  # Core, by primary key: no ORM bookkeeping per row
                update(rows_table).where(rows_table.c.id == bindparam("row_id")),
                [
                    {"row_id": row_id, "verdict": verdict, "note": dump(note)}
                    for row_id, verdict, note in verdicts
                ],
            )
        for (_, row_no, raw), (_, verdict, note) in zip(chunk, verdicts, strict=True):
            counts[Verdict(verdict)] += 1
            kind = samples[verdict]
            if len(kind) < PREVIEW_SAMPLES:
                fields = json.loads(raw)
                reason = {} if verdict == Verdict.NEW else note
                kind.append(
                    Sample(row_no, fields.get("full_name", ""), reason.get("key"), reason.get("params", {}))
                )
    async with write_tx(session):
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(duplicates=counts[Verdict.DUPLICATE], invalid=counts[Verdict.INVALID])
        )
    return Preview(counts[Verdict.NEW], counts[Verdict.DUPLICATE], counts[Verdict.INVALID], samples)


async def _check_chunk(
    session: AsyncSession,
    actor: Actor,
    importer_id: int,
    settings: Settings,
    today: date,
    names: Names,
    seen: RowsSeen,
    chunk: Sequence[Any],
) -> list[tuple[int, str, dict[str, Any]]]:
    # A refusal is kept as its note, never as the exception: a caught exception's traceback holds the frames
    # that hold this list, a cycle only the garbage collector would free (and 100k rows make many).
    checked: list[tuple[int, int, CheckedRow | dict[str, Any]]] = []
    for row_id, row_no, raw in chunk:
        try:
            row = check_row(
                json.loads(raw),
                region=settings.default_phone_region,
                company_domains=settings.company_email_domains,
                today=today,
            )
        except ValidationError as error:
            checked.append((row_id, row_no, refusal_note(error)))
            continue
        employee = employee_refusal(row, names.employee_phones, names.employee_emails)
        checked.append((row_id, row_no, refusal_note(employee) if employee else row))
    rows = [item for _, _, item in checked if isinstance(item, CheckedRow)]
    await find_visible_clients(
        session, actor, names, {client_search_key(row.client) for row in rows if row.client}
    )
    keys = {id(row): row.keys() for row in rows}
    found = await saved_keys(session, list(keys.values()))
    verdicts: list[tuple[int, str, dict[str, Any]]] = []
    for row_id, row_no, item in checked:
        if not isinstance(item, CheckedRow):
            verdicts.append((row_id, Verdict.INVALID.value, item))
            continue
        row_keys = keys[id(item)]
        match = first_match(row_keys, found, DUPLICATE_KEY_COLUMNS)
        if match is None:
            # R5 within the file comes before a name that does not resolve, as R5 against the database;
            # a row that will be new keeps its keys for the rows after it, looked up once.
            plan: dict[str, Any] | None = None
            try:
                plan = plan_of(item, names, importer_id)
            except ValidationError as error:
                refusal = refusal_note(error)
            match = seen.match(row_keys, add_as=row_no if plan is not None else None)
        if match is not None:
            verdicts.append((row_id, Verdict.DUPLICATE.value, duplicate_note(match)))
        elif plan is None:
            verdicts.append((row_id, Verdict.INVALID.value, refusal))
        else:
            verdicts.append((row_id, Verdict.NEW.value, {"plan": plan}))
    return verdicts
