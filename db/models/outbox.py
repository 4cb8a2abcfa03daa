"""The notification outbox: every reminder and alert is a row with a unique dedupe key.

The sweep inserts what the policy says is due and ignores rows that already exist, so a second sweep, a
restart or a second instance never repeats a message; the sender claims due rows, sends, and marks them sent.
Payloads hold ids only, never personal data: the text is rendered from the database at send time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_send_after", "status", "send_after"),
        Index("ix_outbox_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    send_after: Mapped[datetime] = mapped_column(UtcDateTime)
    # pending → sending → sent; or failed (attempts exhausted, visible to admins); or skipped (unreachable)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The instance id of the sender holding the claim (its send journal), so that it can take its own claims
    # back at once after a crash; NULL for a sender without a journal.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
