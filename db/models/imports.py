"""Imports (issue 13): a file's rows checked by the contact form's rules (R4, R5) before anything is written.

An ``ImportJob`` is one file sent by one user; an ``ImportRow`` is one row of it with the original cells (for
the report file), the mapped values, and the verdict the check gave it. A row is marked ``created`` in the
same transaction that inserts its contact, so a run that stops midway resumes without writing a row twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class ImportJob(Base):
    """One imported file: who sent it, its headers, where it stands and its counts."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    headers: Mapped[str] = mapped_column(Text)  # JSON list of the original headers
    status: Mapped[str] = mapped_column(String(16), default="preview", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column()


class ImportRow(Base):
    """One row of a file: its cells, its mapped values, its verdict and why (a catalog key and parameters)."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    cells: Mapped[str] = mapped_column(Text)  # JSON list, the row as it stood in the file
    fields: Mapped[str] = mapped_column(Text)  # JSON object, field → the cell's value
    verdict: Mapped[str] = mapped_column(String(16), default="pending")
    note: Mapped[str | None] = mapped_column(Text)  # JSON: the reason's key and params, or a new row's plan
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
