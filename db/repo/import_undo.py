"""Imports (issue 13): undoing an import within 24 hours, for the records it created that nobody has touched
since.

A contact counts as touched when it was edited (an audit entry other than its creation, or an ``updated_at``
later than its creation), or got a lead, a deal or a document. A client the import created is removed only
when no contact person is left on it and nothing else uses it. R1c: only the importer or an admin may undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import write_tx
from db.models import AuditEntry, Client, ClientRoute, Contact, Counterparty, Deal, Document, Lead, Task
from db.models.imports import ImportRow
from db.repo import audit
from db.repo.imports import job_of
from domain.access import Actor
from domain.imports import JobStatus, UndoExpired, Verdict, may_undo

#: A contact saved and then changed within this time of its creation counts as untouched.
_SAME_MOMENT = timedelta(seconds=2)
_CHUNK = 500


@dataclass(frozen=True)
class Undone:
    removed: int  # contacts deleted
    kept: int  # contacts kept because someone touched them
    clients_removed: int


async def _touched_contacts(session: AsyncSession, contact_ids: list[int]) -> set[int]:
    """The contacts changed since their creation: edited (audit or ``updated_at``), or with a lead, a deal or
    a document."""
    touched: set[int] = set()
    for start in range(0, len(contact_ids), _CHUNK):
        part = contact_ids[start : start + _CHUNK]
        for contact_id, created_at, updated_at in await session.execute(
            select(Contact.id, Contact.created_at, Contact.updated_at).where(Contact.id.in_(part))
        ):
            if updated_at - created_at > _SAME_MOMENT:
                touched.add(contact_id)
        touched.update(await session.scalars(select(Lead.contact_id).where(Lead.contact_id.in_(part))))
        touched.update(await session.scalars(select(Deal.contact_id).where(Deal.contact_id.in_(part))))
        touched.update(
            await session.scalars(
                select(Document.entity_id).where(Document.entity == "contact", Document.entity_id.in_(part))
            )
        )
        touched.update(
            await session.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity == "contact",
                    AuditEntry.entity_id.in_(part),
                    AuditEntry.action != "created",
                )
            )
        )
    return touched


async def _untouched_clients(session: AsyncSession, client_ids: list[int]) -> list[int]:
    """The job's clients nobody uses now: no contact person left, no deal, task, counterparty, route,
    document, no edit or "lost" mark."""
    if not client_ids:
        return []
    used: set[int | None] = set()
    for column in (
        Contact.client_id,
        Deal.client_id,
        Task.client_id,
        Counterparty.client_id,
        ClientRoute.client_id,
    ):
        used.update(await session.scalars(select(column).where(column.in_(client_ids))))
    used.update(
        await session.scalars(
            select(Document.entity_id).where(Document.entity == "client", Document.entity_id.in_(client_ids))
        )
    )
    used.update(
        await session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "client",
                AuditEntry.entity_id.in_(client_ids),
                AuditEntry.action != "created",
            )
        )
    )
    used.update(await session.scalars(select(Client.id).where(Client.id.in_(client_ids), Client.marked_lost)))
    return [client_id for client_id in client_ids if client_id not in used]


async def undo(session: AsyncSession, actor: Actor, job_id: int, now: datetime) -> Undone:
    """Delete what an import created that nobody has touched since, within 24 hours of its end.

    R1c: only the importer or an admin (``NotAllowed``); after the window, or a second time, ``UndoExpired``.
    A contact someone edited, or gave a lead, a deal or a document, is kept; so is a client that still has a
    contact person or anything else. Every deletion is audited.
    """
    async with write_tx(session):
        job = await job_of(session, actor, job_id)
        if job.status != JobStatus.DONE.value or not may_undo(job.finished_at, now):
            raise UndoExpired("import can no longer be undone")
        rows = (
            await session.execute(
                select(ImportRow.id, ImportRow.contact_id, ImportRow.client_id).where(
                    ImportRow.job_id == job_id, ImportRow.verdict == Verdict.CREATED.value
                )
            )
        ).all()
        contact_ids = [contact_id for _, contact_id, _ in rows if contact_id is not None]
        touched = await _touched_contacts(session, contact_ids)
        removed = [contact_id for contact_id in contact_ids if contact_id not in touched]
        for start in range(0, len(removed), _CHUNK):
            part = removed[start : start + _CHUNK]
            await session.execute(
                update(ImportRow)
                .where(ImportRow.job_id == job_id, ImportRow.contact_id.in_(part))
                .values(verdict=Verdict.REMOVED.value, contact_id=None)
            )
            await session.execute(delete(Contact).where(Contact.id.in_(part)))
        for contact_id in removed:
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="contact",
                entity_id=contact_id,
                action="deleted",
                after={"import_job": job_id},
            )
        client_ids = sorted({client_id for _, _, client_id in rows if client_id is not None})
        gone = await _untouched_clients(session, client_ids)
        if gone:
            await session.execute(
                update(ImportRow).where(ImportRow.client_id.in_(gone)).values(client_id=None)
            )
            await session.execute(delete(Client).where(Client.id.in_(gone)))
        for client_id in gone:
            audit.record(
                session,
                actor_id=actor.user_id,
                entity="client",
                entity_id=client_id,
                action="deleted",
                after={"import_job": job_id},
            )
        job.status = JobStatus.UNDONE.value
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="import_job",
            entity_id=job_id,
            action="undone",
            after={"removed": len(removed), "kept": len(touched), "clients_removed": len(gone)},
        )
    return Undone(removed=len(removed), kept=len(contact_ids) - len(removed), clients_removed=len(gone))
