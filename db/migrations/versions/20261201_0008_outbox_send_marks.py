"""outbox send marks: who claimed a row (issue 9, finding 5)

``outbox.claimed_by`` holds the instance id of the sender that claimed a row in ``sending`` (the id kept in
its send journal, ``bot.sender.SendJournal``). When that sender starts again after a crash, it gives its own
claims back at once, after marking ``sent`` the rows its journal confirms, instead of waiting for the claim
timeout. ``NULL``: claimed by a sender without a journal, or not claimed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
