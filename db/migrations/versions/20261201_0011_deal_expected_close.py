"""deal expected close: the date a manager expects the deal to close (optional)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deals", sa.Column("expected_close", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("deals", "expected_close")
