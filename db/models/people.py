"""People and access: teams, users with roles, invites, and the persisted FSM state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UtcDateTime, utcnow


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team", lazy="raise")


class User(Base):
    """A person who may use the bot. ``role`` is one of ``domain.access.Role``."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="manager")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A team lead's or an admin's weekly report on Monday (``domain.reminders.weekly_report_key``).
    weekly_report: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # R4b: the user's own work phone (E.164) and work e-mail, never accepted in a client's contact.
    work_phone: Mapped[str | None] = mapped_column(String(16), index=True)
    work_email: Mapped[str | None] = mapped_column(String(254), index=True)
    # The permission to convert clients into counterparties; None means the role's default (team lead, admin).
    can_convert_clients: Mapped[bool | None] = mapped_column(Boolean)
    # The card the user has open, so that a document sent next is attached to it.
    open_entity: Mapped[str | None] = mapped_column(String(16))
    open_entity_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="members", lazy="raise")


class Invite(Base):
    """A single-use invite. Only the SHA-256 of the code is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InviteFailure(Base):
    """A wrong invite code entered by a Telegram id; counted to rate-limit guessing."""

    __tablename__ = "invite_failures"
    __table_args__ = (Index("ix_invite_failures_telegram_id_at", "telegram_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FsmRecord(Base):
    """aiogram FSM state and data for one storage key, so that a restart mid-form loses nothing."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class RuleRefusal(Base):
    """A form refused an answer by a rule (seed 003 discipline): R3 (a comment that is not expanded) or R5
    (a duplicate contact). Who and when only: no personal data, not the refused text."""

    __tablename__ = "rule_refusals"
    __table_args__ = (Index("ix_rule_refusals_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
