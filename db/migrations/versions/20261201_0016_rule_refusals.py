"""rule refusals: who had an answer refused by R3 (a comment not expanded) or R5 (a duplicate contact)

The discipline report (seed 003) counts them per manager and period; no personal data is kept, not the text.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rule_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=8), nullable=False),
        sa.Column("at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_rule_refusals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_refusals")),
    )
    op.create_index("ix_rule_refusals_user_at", "rule_refusals", ["user_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rule_refusals_user_at", table_name="rule_refusals")
    op.drop_table("rule_refusals")
