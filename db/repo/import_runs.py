"""Imports (issue 13): writing a previewed job in batches, and resuming it after a stop.

Each batch of :data:`domain.imports.BATCH` new rows is one write transaction: the rows' contacts (and the
clients they name that the importer does not see yet) are inserted, and the rows are marked ``created`` in
the same transaction. A run that stops in the middle (``kill -9`` included) leaves whole batches behind it,
so running the job again continues with the rows still ``new`` and never writes a row twice.

R5: the duplicates are looked up again for each batch (one ``IN`` per ``dup_*`` column): a contact saved since
the preview makes the row a duplicate, naming the pair. The batch's contacts go in with one ``executemany``
(and their audit entries with another); if the database still refuses one (a concurrent save: the unique
``dup_*`` indexes), the batch is inserted again one row at a time, each under its own savepoint, so that row
is reported as a duplicate, any other refusal as a failed row, and the batch goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import table_of, utcnow
from db.engine import write_tx
from db.models import (
    DUPLICATE_KEY_COLUMNS,
    Client,
    Contact,
)
from db.models.imports import ImportJob, ImportRow
from db.repo import audit
from db.repo.contacts import NewContact, contact_values, created_values_of, find_duplicate
from db.repo.imports import Settings, dump, duplicate_note, saved_keys
from domain.duplicates import ContactIdentity, match_keys
from domain.imports import BATCH, JobStatus, Verdict, first_match
from domain.registry import client_search_key
from domain.values import FullName

log = logging.getLogger(__name__)

Progress = Callable[[int, int], Awaitable[None]]
RUNNABLE = frozenset({JobStatus.PREVIEW.value, JobStatus.RUNNING.value, JobStatus.FAILED.value})


@dataclass(frozen=True)
class Summary:
    """Where a job stands: its status and how many rows are in each verdict."""

    job_id: int
    status: str
    total: int
    created: int
    duplicates: int
    invalid: int
    failed: int
    pending: int  # rows still to write (a stopped run)


async def summary_of(session: AsyncSession, job_id: int) -> Summary:
    job = await session.get(ImportJob, job_id, populate_existing=True)
    assert job is not None
    counts = dict(
        (
            await session.execute(
                select(ImportRow.verdict, func.count())
                .where(ImportRow.job_id == job_id)
                .group_by(ImportRow.verdict)
            )
        ).all()
    )
    return Summary(
        job_id=job_id,
        status=job.status,
        total=job.total,
        created=counts.get(Verdict.CREATED.value, 0),
        duplicates=counts.get(Verdict.DUPLICATE.value, 0),
        invalid=counts.get(Verdict.INVALID.value, 0),
        failed=counts.get(Verdict.FAILED.value, 0),
        pending=counts.get(Verdict.NEW.value, 0),
    )


async def _set_status(session: AsyncSession, job_id: int, status: JobStatus, **values: Any) -> None:
    async with write_tx(session):
        await session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(status=status.value, **values)
        )


async def run(
    sessionmaker: async_sessionmaker[AsyncSession],
    job_id: int,
    *,
    settings: Settings,
    on_progress: Progress | None = None,
    limit_batches: int | None = None,
) -> Summary:
    """Write the job's ``new`` rows, a batch per transaction, calling ``on_progress(done, total)`` after each.

    Resumable: rows already written are skipped. ``limit_batches`` stops after that many batches, leaving the
    job ``running`` as a crash would. An exception marks the job ``failed`` (a later call resumes it).
    """
    async with sessionmaker() as session:
        job = await session.get(ImportJob, job_id)
        if job is None or job.status not in RUNNABLE:
            return await summary_of(session, job_id)
        importer_id = job.user_id
        await _set_status(session, job_id, JobStatus.RUNNING, started_at=job.started_at or utcnow())
        clients = await _clients_of_job(session, job_id)
        remaining = await session.scalar(
            select(func.count()).where(ImportRow.job_id == job_id, ImportRow.verdict == Verdict.NEW.value)
        )
        done, total = job.done, job.done + (remaining or 0)
        batches = 0
        try:
            last = 0
            while limit_batches is None or batches < limit_batches:
                rows = list(
                    await session.execute(
                        select(ImportRow.id, ImportRow.row_no, ImportRow.note)
                        .where(
                            ImportRow.job_id == job_id,
                            ImportRow.verdict == Verdict.NEW.value,
                            ImportRow.id > last,
                        )
                        .order_by(ImportRow.id)  # the file's order: rows are stored in it
                        .limit(BATCH)
                    )
                )
                if not rows:
                    break
                last = rows[-1].id
                async with write_tx(session):
                    await _write_batch(session, job_id, importer_id, rows, clients)
                    done += len(rows)
                    await session.execute(update(ImportJob).where(ImportJob.id == job_id).values(done=done))
                batches += 1
                if on_progress is not None:
                    await on_progress(done, total)
            else:
                return await summary_of(session, job_id)
        except Exception:
            log.exception("import job %s stopped", job_id)
            await session.rollback()
            await _set_status(session, job_id, JobStatus.FAILED)
            raise
        summary = await summary_of(session, job_id)
        await _set_status(
            session,
            job_id,
            JobStatus.DONE,
            finished_at=utcnow(),
            created=summary.created,
            duplicates=summary.duplicates,
            invalid=summary.invalid + summary.failed,
        )
        return await summary_of(session, job_id)


async def _clients_of_job(session: AsyncSession, job_id: int) -> dict[str, int]:
    """The clients this job created already (a resumed run joins them, never creates them twice)."""
    rows = await session.execute(
        select(Client.name_search, Client.id)
        .join(ImportRow, ImportRow.client_id == Client.id)
        .where(ImportRow.job_id == job_id)
    )
    return {key: client_id for key, client_id in rows.all()}


def _new_contact(plan: dict[str, Any]) -> NewContact:
    return NewContact(
        name=FullName(plan["surname"], plan["given"], plan["patronymic"]),
        phone=plan["phone"],
        birth_date=date.fromisoformat(plan["birth_date"]),
        email=plan["email"],
        position=plan["position"],
    )


async def _write_batch(
    session: AsyncSession, job_id: int, importer_id: int, rows: list[Any], clients: dict[str, int]
) -> None:
    """R5: drop the rows a saved contact now duplicates, then insert the rest at once (one ``executemany`` of
    contacts, one of their audit entries, one update of the rows); if the database still refuses one of them,
    insert them again one by one, each under its own savepoint."""
    plans = [json.loads(note or "{}")["plan"] for _, _, note in rows]
    news = [_new_contact(plan) for plan in plans]
    # A planned row has all four fields: its six keys, as partial_match_keys would give them, computed once.
    keys = [match_keys(ContactIdentity(new.name.key(), new.phone, new.birth_date, new.email)) for new in news]
    found = await saved_keys(session, keys)
    outcomes: list[dict[str, Any]] = []
    todo: list[tuple[Any, dict[str, Any], NewContact]] = []
    known: list[dict[str, str]] = []
    for row, plan, new, row_keys in zip(rows, plans, news, keys, strict=True):
        match = first_match(row_keys, found, DUPLICATE_KEY_COLUMNS)
        if match is not None:
            outcomes.append(_outcome(row, Verdict.DUPLICATE, dump(duplicate_note(match))))
        else:
            todo.append((row, plan, new))
            known.append(row_keys)
    try:
        made = dict(clients)
        async with session.begin_nested():
            values, client_made = [], []
            for (_, plan, new), row_keys in zip(todo, known, strict=True):
                client_id, key = await _client_for(session, plan, importer_id, made)
                if key is not None:
                    made[key] = client_id  # type: ignore[assignment]
                values.append(
                    contact_values(
                        new,
                        responsible_id=plan["responsible_id"],
                        created_by_id=importer_id,
                        client_id=client_id,
                        keys=row_keys,
                    )
                )
                client_made.append(key is not None)
            ids = await _insert_contacts(session, job_id, importer_id, values)
    except IntegrityError:
        for row, plan, new in todo:
            outcomes.append(await _write_one(session, job_id, importer_id, row, plan, new, clients))
    else:
        clients.update(made)
        for (row, _, _), contact_id, value, client_new in zip(todo, ids, values, client_made, strict=True):
            client_id = value["client_id"] if client_new else None
            outcomes.append(_outcome(row, Verdict.CREATED, row.note, contact_id, client_id))
    if outcomes:
        rows_table = table_of(ImportRow)
        await session.execute(  # Core, by primary key: no ORM bookkeeping per row
            update(rows_table).where(rows_table.c.id == bindparam("row_id")), outcomes
        )


def _outcome(
    row: Any, verdict: Verdict, note: str | None, contact_id: int | None = None, client_id: int | None = None
) -> dict[str, Any]:
    """A row's verdict, for the update by primary key (every row the same keys: one ``executemany``)."""
    return {
        "row_id": row.id,
        "verdict": verdict.value,
        "note": note,
        "contact_id": contact_id,
        "client_id": client_id,
    }


async def _insert_contacts(
    session: AsyncSession, job_id: int, importer_id: int, values: list[dict[str, Any]]
) -> list[int]:
    """Insert the contacts (their ids in the order given) with a "created" audit entry each, as the form."""
    if not values:
        return []
    # A plain executemany (the driver would run an INSERT … RETURNING row by row), then the ids by a key
    # each new contact holds alone: its unique name+phone key (R5c).
    await session.execute(insert(table_of(Contact)), values)  # Core: no ORM bookkeeping per row
    column = DUPLICATE_KEY_COLUMNS["name+phone"]
    keys = [value[column] for value in values]
    attribute = getattr(Contact, column)
    found = await session.execute(select(attribute, Contact.id).where(attribute.in_(keys)))
    by_key: dict[str, int] = {key: contact_id for key, contact_id in found.all()}
    ids = [by_key[key] for key in keys]
    await audit.record_created_many(
        session,
        actor_id=importer_id,
        entity="contact",
        created=[
            (contact_id, created_values_of(value) | {"import_job": job_id})
            for contact_id, value in zip(ids, values, strict=True)
        ],
    )
    return ids


async def _write_one(
    session: AsyncSession,
    job_id: int,
    importer_id: int,
    row: Any,
    plan: dict[str, Any],
    new: NewContact,
    clients: dict[str, int],
) -> dict[str, Any]:
    """One row under its own savepoint: created, or a duplicate naming the pair, or failed with a reason."""
    made = dict(clients)
    try:
        async with session.begin_nested():
            client_id, key = await _client_for(session, plan, importer_id, made)
            if key is not None:
                made[key] = client_id  # type: ignore[assignment]
            value = contact_values(
                new, responsible_id=plan["responsible_id"], created_by_id=importer_id, client_id=client_id
            )
            [contact_id] = await _insert_contacts(session, job_id, importer_id, [value])
    except IntegrityError:
        duplicate = await find_duplicate(session, new.draft())
        if duplicate is not None:
            params = {"pair": "+".join(duplicate.fields[:2]), "contact": duplicate.contact_id}
            note = dump({"key": "import-duplicate-contact", "params": params})
            return _outcome(row, Verdict.DUPLICATE, note)
        log.warning("import job %s: row %s refused by the database", job_id, row.row_no)
        return _outcome(row, Verdict.FAILED, dump({"key": "import-err-write", "params": {}}))
    clients.update(made)
    return _outcome(row, Verdict.CREATED, row.note, contact_id, client_id if key is not None else None)


async def _client_for(
    session: AsyncSession, plan: dict[str, Any], importer_id: int, clients: dict[str, int]
) -> tuple[int | None, str | None]:
    """The row's client id, and the client's key when this row created it (seen by the preview among the
    importer's visible clients, or created by this job before, or made now)."""
    if plan.get("client_id") is not None:
        return int(plan["client_id"]), None
    if not plan.get("client"):
        return None, None
    key = client_search_key(plan["client"])
    if key in clients:
        return clients[key], None
    client = Client(
        name=plan["client"],
        name_search=key,
        industry_id=plan.get("industry_id"),
        region_id=plan.get("region_id"),
        responsible_id=plan["responsible_id"],
        created_by_id=importer_id,
    )
    await audit.add_created(
        session,
        client,
        actor_id=importer_id,
        entity="client",
        after={
            "name": client.name,
            "industry_id": client.industry_id,
            "region_id": client.region_id,
            "responsible_id": client.responsible_id,
        },
    )
    return client.id, key


async def resume_all(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    notify: Callable[[ImportJob, Summary], Awaitable[None]],
) -> list[Summary]:
    """At start-up: run again every job a stop left ``running``, and tell its importer how it ended (or how
    far it got, when it fails again). An import is never left half done in silence."""
    async with sessionmaker() as session:
        jobs = list(
            await session.scalars(select(ImportJob).where(ImportJob.status == JobStatus.RUNNING.value))
        )
    summaries = []
    for job in jobs:
        try:
            summary = await run(sessionmaker, job.id, settings=settings)
        except Exception:
            async with sessionmaker() as session:
                summary = await summary_of(session, job.id)
        await notify(job, summary)
        summaries.append(summary)
    return summaries
