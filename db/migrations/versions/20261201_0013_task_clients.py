"""task clients: a task may be set on a client (its card's «🗓 Задача»), besides leads and deals

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("client_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_tasks_client_id"), ["client_id"])
        batch.create_foreign_key(batch.f("fk_tasks_client_id_clients"), "clients", ["client_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(batch.f("fk_tasks_client_id_clients"), type_="foreignkey")
        batch.drop_index(batch.f("ix_tasks_client_id"))
        batch.drop_column("client_id")
