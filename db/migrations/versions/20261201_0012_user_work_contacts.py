"""user work contacts: each user's work phone and work e-mail, refused in clients' contacts (R4b)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("work_phone", sa.String(length=16), nullable=True))
    op.add_column("users", sa.Column("work_email", sa.String(length=254), nullable=True))
    op.create_index(op.f("ix_users_work_phone"), "users", ["work_phone"])
    op.create_index(op.f("ix_users_work_email"), "users", ["work_email"])


def downgrade() -> None:
    op.drop_index(op.f("ix_users_work_email"), table_name="users")
    op.drop_index(op.f("ix_users_work_phone"), table_name="users")
    op.drop_column("users", "work_email")
    op.drop_column("users", "work_phone")
