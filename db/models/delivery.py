"""Update delivery: the Telegram updates whose effects are committed, so none is applied twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class HandledUpdate(Base):
    """A Telegram update id, inserted by ``db.engine.write_tx`` in the transaction of the update's effects.

    Telegram re-sends an update it has not seen acknowledged (polling: after a crash; webhook: until a 200).
    ``bot.delivery.HandledOnce`` skips an id found here. Rows are purged after two days
    (``bot.runtime.housekeeping``); Telegram keeps an unacknowledged update for at most 24 hours.
    """

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
