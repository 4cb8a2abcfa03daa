"""handled updates: the Telegram update ids whose effects are committed (issue 9, finding 4)

``db.engine.write_tx`` inserts the id of the update being handled in the same transaction as the update's
effects; ``bot.delivery.HandledOnce`` skips an update found here, so one redelivered after a crash (polling)
or retried (webhook) is not applied twice.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handled_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("handled_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_handled_updates")),
    )
    op.create_index(op.f("ix_handled_updates_handled_at"), "handled_updates", ["handled_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_handled_updates_handled_at"), table_name="handled_updates")
    op.drop_table("handled_updates")
