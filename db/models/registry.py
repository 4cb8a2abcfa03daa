"""The client registry of seed 002: industries, business regions, counterparties, routes and documents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Localized, UtcDateTime, utcnow


class Industry(Localized, Base):
    """Отрасль: a directory managed by admins by name."""

    __tablename__ = "industries"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class BusinessRegion(Localized, Base):
    """Бизнес-регион: a directory managed by admins by name."""

    __tablename__ = "business_regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Counterparty(Base):
    """Контрагент: a legal entity the company works with, usually made from a client."""

    __tablename__ = "counterparties"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(300))
    inn: Mapped[str] = mapped_column(String(12), unique=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(16))  # supplier | partner | customer
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClientRoute(Base):
    """Маршрут: a request to convert a client into a counterparty, sent to an approver with the permission.

    It carries the counterparty's details, is decided once, and may be withdrawn while pending. At most one
    pending route per client.
    """

    __tablename__ = "client_routes"
    __table_args__ = (
        Index(
            "uq_client_routes_pending_client",
            "client_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_client_routes_approver_status", "approver_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    legal_name: Mapped[str] = mapped_column(String(300))
    inn: Mapped[str] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|rejected|withdrawn
    reason: Mapped[str | None] = mapped_column(Text)
    counterparty_id: Mapped[int | None] = mapped_column(ForeignKey("counterparties.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Document(Base):
    """A file attached to a card, kept by Telegram ``file_id`` (the bytes stay on Telegram's servers)."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_entity", "entity", "entity_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # contact | client | counterparty | lead | deal
    entity_id: Mapped[int] = mapped_column(Integer)
    media: Mapped[str] = mapped_column(String(16))  # document | photo | voice
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
