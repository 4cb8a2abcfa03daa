"""weekly report: a team lead or an admin may switch their Monday report off in /settings

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD / DROP COLUMN: batch mode would copy and drop ``users``, which every table references.
    op.add_column("users", sa.Column("weekly_report", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN weekly_report")
    else:
        op.drop_column("users", "weekly_report")
