"""Imports (issue 13): writing a previewed job in batches, and resuming it after a stop.

Each batch of :data:`domain.imports.BATCH` new rows is one write transaction: the rows' contacts (and the
clients they name that the importer does not see yet) are inserted, and the rows are marked ``created`` in
the same transaction. A run that stops in the middle (``kill -9`` included) leaves whole batches behind it,
so running the job again continues with the rows still ``new`` and never writes a row twice.

R5: the duplicates are looked up again for each batch (one ``IN`` per ``dup_*`` column): a contact saved since
the preview makes the row a duplicate, naming the pair. Each row is inserted under its own savepoint, so a
row the database still refuses (a concurrent save: the unique ``dup_*`` indexes) is reported as a duplicate
and any other refusal as a failed row, and the batch goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.engine import write_tx
from db.models import (
    DUPLICATE_KEY_COLUMNS,
    Client,
    Contact,
)
from db.models.imports import ImportJob, ImportRow
from db.repo import audit
from db.repo.contacts import NewContact, contact_row, created_values, find_duplicate
from db.repo.imports import Settings, dump, duplicate_note, saved_keys
from domain.duplicates import partial_match_keys
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
            while limit_batches is None or batches < limit_batches:
                rows = list(
                    await session.scalars(
                        select(ImportRow)
                        .where(ImportRow.job_id == job_id, ImportRow.verdict == Verdict.NEW.value)
                        .order_by(ImportRow.row_no)
                        .limit(BATCH)
                    )
                )
                if not rows:
                    break
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
    session: AsyncSession, job_id: int, importer_id: int, rows: list[ImportRow], clients: dict[str, int]
) -> None:
    """R5: drop the rows a saved contact now duplicates, then insert the rest at once; if the database still
    refuses one of them, insert them again one by one, each under its own savepoint."""
    plans = [json.loads(row.note or "{}")["plan"] for row in rows]
    news = [_new_contact(plan) for plan in plans]
    keys = [partial_match_keys(new.name.key(), new.phone, new.birth_date, new.email) for new in news]
    found = await saved_keys(session, keys)
    todo: list[tuple[ImportRow, dict[str, Any], NewContact]] = []
    for row, plan, new, row_keys in zip(rows, plans, news, keys, strict=True):
        match = first_match(row_keys, found, DUPLICATE_KEY_COLUMNS)
        if match is not None:
            row.verdict, row.note = Verdict.DUPLICATE.value, dump(duplicate_note(match))
        else:
            todo.append((row, plan, new))
    try:
        made = dict(clients)
        async with session.begin_nested():
            written = [await _insert(session, job_id, importer_id, plan, new, made) for _, plan, new in todo]
            await session.flush()
            for contact, _ in written:
                _audit_contact(session, job_id, importer_id, contact)
            await session.flush()
    except IntegrityError:
        for row, plan, new in todo:
            await _write_one(session, job_id, importer_id, row, plan, new, clients)
        return
    clients.update(made)
    for (row, _, _), (contact, client_made) in zip(todo, written, strict=True):
        row.verdict, row.contact_id = Verdict.CREATED.value, contact.id
        row.client_id = contact.client_id if client_made else None


def _audit_contact(session: AsyncSession, job_id: int, importer_id: int, contact: Contact) -> None:
    after = created_values(contact) | {"import_job": job_id}
    audit.record(
        session, actor_id=importer_id, entity="contact", entity_id=contact.id, action="created", after=after
    )


async def _insert(
    session: AsyncSession,
    job_id: int,
    importer_id: int,
    plan: dict[str, Any],
    new: NewContact,
    clients: dict[str, int],
) -> tuple[Contact, bool]:
    """Add a row's contact (and the client it names, when the job has not made it yet) to the session."""
    client_id, made = await _client_for(session, plan, importer_id, clients)
    if made is not None:
        clients[made] = client_id  # type: ignore[assignment]
    contact = contact_row(
        new, responsible_id=plan["responsible_id"], created_by_id=importer_id, client_id=client_id
    )
    session.add(contact)
    return contact, made is not None


async def _write_one(
    session: AsyncSession,
    job_id: int,
    importer_id: int,
    row: ImportRow,
    plan: dict[str, Any],
    new: NewContact,
    clients: dict[str, int],
) -> None:
    """One row under its own savepoint: created, or a duplicate naming the pair, or failed with a reason."""
    made = dict(clients)
    try:
        async with session.begin_nested():
            contact, client_made = await _insert(session, job_id, importer_id, plan, new, made)
            await session.flush()
            _audit_contact(session, job_id, importer_id, contact)
            await session.flush()
    except IntegrityError:
        duplicate = await find_duplicate(session, new.draft())
        if duplicate is not None:
            params = {"pair": "+".join(duplicate.fields[:2]), "contact": duplicate.contact_id}
            row.verdict, row.note = (
                Verdict.DUPLICATE.value,
                dump({"key": "import-duplicate-contact", "params": params}),
            )
        else:
            log.warning("import job %s: row %s refused by the database", job_id, row.row_no)
            row.verdict, row.note = Verdict.FAILED.value, dump({"key": "import-err-write", "params": {}})
        return
    clients.update(made)
    row.verdict, row.contact_id = Verdict.CREATED.value, contact.id
    row.client_id = contact.client_id if client_made else None


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
