"""reminder indexes: the sweep's candidate queries cost what is due, not what exists

- ``ix_deals_status_basis``: open deals by their R2h basis, ``coalesce(last_qualifying_at, created_at)``
  (an expression index, the same expression the sweep queries), for the deadline windows;
- ``ix_deals_status_updated_at``: open deals changed recently, re-checked for R2f;
- ``ix_tasks_done_due``: open tasks by due time (``done_at IS NULL AND due_at BETWEEN ...``);
- ``ix_outbox_kind``: the deals already reported incorrect (``kind = 'deal_incorrect'``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_deals_status_basis", "deals", ["status", sa.text("coalesce(last_qualifying_at, created_at)")]
    )
    op.create_index("ix_deals_status_updated_at", "deals", ["status", "updated_at"])
    op.create_index("ix_tasks_done_due", "tasks", ["done_at", "due_at"])
    op.create_index("ix_outbox_kind", "outbox", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_outbox_kind", table_name="outbox")
    op.drop_index("ix_tasks_done_due", table_name="tasks")
    op.drop_index("ix_deals_status_updated_at", table_name="deals")
    op.drop_index("ix_deals_status_basis", table_name="deals")
