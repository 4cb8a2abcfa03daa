"""CRM records: directories, contacts, clients, leads, interactions, deals, tasks and the audit log.

The database enforces the rules that matter under concurrency:
- R5c: one unique index per pair of the four normalised contact fields (``dup_*`` columns hold the keys from
  ``domain.duplicates.match_keys``), so two concurrent saves cannot both create a duplicate.
- R2i: a partial unique index over open deals on (party, product group), where the party is the client when
  the deal has one, otherwise the contact.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Localized, UtcDateTime, utcnow

DUPLICATE_KEY_COLUMNS = {
    "name+phone": "dup_name_phone",
    "name+birth_date": "dup_name_birth",
    "name+email": "dup_name_email",
    "phone+birth_date": "dup_phone_birth",
    "phone+email": "dup_phone_email",
    "birth_date+email": "dup_birth_email",
}


class ProductGroup(Localized, Base):
    __tablename__ = "product_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))  # seeded values: see display_name()
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Product(Localized, Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("product_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str | None] = mapped_column(String(150))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class LeadSource(Localized, Base):
    __tablename__ = "lead_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OutcomeReason(Localized):
    """A reason chosen from the admins' directory when a deal is lost or a lead refused (R2a), so that the
    reasons can be counted; the typed text next to it stays optional (``Deal.lost_reason``,
    ``Lead.reject_reason``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class LostReason(OutcomeReason, Base):
    """Причина проигрыша сделки."""

    __tablename__ = "lost_reasons"


class RefusalReason(OutcomeReason, Base):
    """Причина отказа по лиду."""

    __tablename__ = "refusal_reasons"


class Stage(Localized, Base):
    """A pipeline stage (``kind='open'``, ordered by ``position``) or a terminal outcome (won / lost).

    ``period_months`` is the R2h per-stage override of the inactivity period. ``probability`` is the chance
    (whole percent) that a deal at this stage is won, for the forecast; ``None`` takes the default from the
    stage's place in the pipeline (``domain.pipeline.stage_probability``).
    """

    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8), default="open")
    position: Mapped[int] = mapped_column(Integer, default=0)
    period_months: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Client(Base):
    """Клиент (seed 002): a prospect the company has no contract with yet. Its status is derived from its
    deals (SPEC); ``marked_lost`` is the manual "lost" mark."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_search: Mapped[str] = mapped_column(String(200), index=True)
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("business_regions.id"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    marked_lost: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Contact(Base):
    """A natural person (R4a fields required). ``responsible_id`` is whoever created or owns the contact."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    birth_date: Mapped[date] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(254))
    position: Mapped[str | None] = mapped_column(String(150))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    dup_name_phone: Mapped[str] = mapped_column(String(64), unique=True)
    dup_name_birth: Mapped[str] = mapped_column(String(64), unique=True)
    dup_name_email: Mapped[str] = mapped_column(String(64), unique=True)
    dup_phone_birth: Mapped[str] = mapped_column(String(64), unique=True)
    dup_phone_email: Mapped[str] = mapped_column(String(64), unique=True)
    dup_birth_email: Mapped[str] = mapped_column(String(64), unique=True)

    client: Mapped[Client | None] = relationship(lazy="raise")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class Lead(Base):
    """An inquiry about one contact (R1). Status: open, converted, rejected."""

    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_responsible_status", "responsible_id", "status"),
        Index("ix_leads_created", "created_at", "status"),
        Index("ix_leads_responsible_created", "responsible_id", "created_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("lead_sources.id"))
    product_group_id: Mapped[int | None] = mapped_column(ForeignKey("product_groups.id"))
    description: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    reject_reason: Mapped[str | None] = mapped_column(Text)  # the optional text next to the chosen reason
    reject_reason_id: Mapped[int | None] = mapped_column(ForeignKey("refusal_reasons.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(lazy="raise")
    reject_reason_item: Mapped[RefusalReason | None] = relationship(lazy="raise")


class Deal(Base):
    """A sale, made only from a lead (R2d). ``party_key`` is ``client:<id>`` or ``contact:<id>`` (R2i).

    ``last_qualifying_at`` is kept with the deal so that the inactivity deadline (R2h) is an indexed value,
    not a scan over interactions.
    """

    __tablename__ = "deals"
    __table_args__ = (
        Index(
            "uq_deals_open_party_group",
            "party_key",
            "product_group_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_deals_responsible_status", "responsible_id", "status"),
        Index("ix_deals_status_basis", "status", text("coalesce(last_qualifying_at, created_at)")),
        Index("ix_deals_status_updated_at", "status", "updated_at"),
        # the reports (migrations 0018 and 0020: the totals read from the indexes alone)
        Index("ix_deals_status_stage", "status", "stage_id", "expected_close", "total_minor"),
        Index("ix_deals_responsible_status_stage", "responsible_id", "status", "stage_id", "total_minor"),
        Index("ix_deals_status_owner_total", "status", "responsible_id", "total_minor"),
        Index("ix_deals_status_closed", "status", "closed_at", "responsible_id", "total_minor"),
        Index("ix_deals_created", "created_at", "status"),
        Index("ix_deals_responsible_created", "responsible_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    party_key: Mapped[str] = mapped_column(String(40))
    product_group_id: Mapped[int] = mapped_column(ForeignKey("product_groups.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    expected_close: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text)
    # R2f: the R3 verdict of ``comment`` when it was saved (judged again by the startup sweep), so that
    # reports count incorrect deals in SQL.
    comment_expanded: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The sum of the lines in kopecks, kept by triggers on ``deal_lines`` (migration 0020), not by this code.
    total_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    last_qualifying_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    lost_reason: Mapped[str | None] = mapped_column(Text)  # the optional text next to the chosen reason
    lost_reason_id: Mapped[int | None] = mapped_column(ForeignKey("lost_reasons.id"), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[DealLine]] = relationship(
        back_populates="deal", lazy="raise", cascade="all, delete-orphan", order_by="DealLine.id"
    )
    contact: Mapped[Contact] = relationship(lazy="raise")
    stage: Mapped[Stage] = relationship(lazy="raise")
    lost_reason_item: Mapped[LostReason | None] = relationship(lazy="raise")


class DealStageSpan(Base):
    """A deal's time at one stage: entered, left (``None`` while the deal is still there), and who moved it.

    Written in the same transaction as every stage change (``db.repo.stage_history``); a won or lost deal has
    an open span on its outcome stage. At most one open span per deal (a partial unique index).
    """

    __tablename__ = "deal_stage_history"
    __table_args__ = (
        Index("ix_deal_stage_history_deal_entered", "deal_id", "entered_at", "stage_id"),
        Index("ix_deal_stage_history_stage_entered", "stage_id", "entered_at"),
        Index("ix_deal_stage_history_deal_stage", "deal_id", "stage_id", "entered_at", "left_at"),
        Index(  # the spans that ended in a period (partial: an open span is found by its stage)
            "ix_deal_stage_history_left",
            "left_at",
            "stage_id",
            "entered_at",
            sqlite_where=text("left_at IS NOT NULL"),
            postgresql_where=text("left_at IS NOT NULL"),
        ),
        Index(
            "ix_deal_stage_history_open_stage",
            "stage_id",
            "entered_at",
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        Index(
            "uq_deal_stage_history_open",
            "deal_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    left_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DealLine(Base):
    """A product line of a deal; amounts are kept in kopecks so that SQLite never rounds money."""

    __tablename__ = "deal_lines"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        Index("ix_deal_lines_deal_amount", "deal_id", "amount_minor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="RUB")

    deal: Mapped[Deal] = relationship(back_populates="lines", lazy="raise")


class Interaction(Base):
    """A call, correspondence or meeting on a lead or a deal. ``qualifying`` is decided by R1d/R3 at save."""

    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint("lead_id IS NOT NULL OR deal_id IS NOT NULL", name="has_subject"),
        Index("ix_interactions_lead_at", "lead_id", "occurred_at"),
        Index("ix_interactions_deal_at", "deal_id", "occurred_at"),
        Index("ix_interactions_author_at", "author_id", "occurred_at", "qualifying"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    discussed: Mapped[str | None] = mapped_column(Text)
    agreed: Mapped[str | None] = mapped_column(Text)
    qualifying: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Task(Base):
    """A planned action with a due time (Дело); it drives the day plan."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_assignee_due", "assignee_id", "done_at", "due_at"),
        Index("ix_tasks_done_due", "done_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"))
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEntry(Base):
    """Who changed what and when, with the values before and after (JSON). The single source of history."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
