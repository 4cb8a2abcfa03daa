"""outcome reasons: a lost deal's and a refused lead's reason is chosen from an admin directory (R2a)

Two directories like the lead sources, seeded with their codes and English names: «Причины проигрыша»
(``lost_reasons``) and «Причины отказа» (``refusal_reasons``). ``deals.lost_reason_id`` and
``leads.reject_reason_id`` point at the chosen value; the text columns stay, as the optional text next to it
(a deal or lead closed before this revision keeps only its text).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (code, Russian name, English name), in the order they are offered.
LOST_REASONS = [
    ("expensive", "Дорого", "Too expensive"),
    ("competitor", "Выбрали конкурента", "Chose a competitor"),
    ("no_budget", "Нет бюджета", "No budget"),
    ("unreachable", "Не дозвонились", "Could not reach the client"),
    ("need_gone", "Потребность отпала", "No longer needed"),
    ("other", "Другое", "Other"),
]
REFUSAL_REASONS = [
    ("not_target", "Нецелевой", "Not a target client"),
    ("no_need", "Нет потребности", "No need"),
    ("duplicate", "Дубликат обращения", "Duplicate inquiry"),
    ("no_answer", "Не отвечает", "Does not answer"),
    ("other", "Другое", "Other"),
]
# table -> (its seeded values, the record table and column that point at it)
DIRECTORIES = {
    "lost_reasons": (LOST_REASONS, "deals", "lost_reason_id"),
    "refusal_reasons": (REFUSAL_REASONS, "leads", "reject_reason_id"),
}


def _create(table_name: str, values: list[tuple[str, str, str]]) -> None:
    table = op.create_table(
        table_name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table_name}")),
        sa.UniqueConstraint("code", name=op.f(f"uq_{table_name}_code")),
        sa.UniqueConstraint("name", name=op.f(f"uq_{table_name}_name")),
    )
    assert table is not None
    op.bulk_insert(
        table,
        [
            {"code": code, "name": name, "name_en": name_en, "is_active": True, "position": position}
            for position, (code, name, name_en) in enumerate(values, start=1)
        ],
    )


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable reference with its index. On SQLite a plain ADD COLUMN with the reference inline: a batch
    copy of ``deals`` or ``leads`` would drop a parent table, which cascades to (or trips) its children."""
    foreign_key = f"fk_{table}_{column}_{target}"
    if op.get_context().dialect.name == "sqlite":
        reference = f"CONSTRAINT {foreign_key} REFERENCES {target} (id)"
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER {reference}")
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
        return
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch.create_index(batch.f(f"ix_{table}_{column}"), [column])
        batch.create_foreign_key(batch.f(foreign_key), target, [column], ["id"])


def _drop_reference(table: str, column: str, target: str) -> None:
    if op.get_context().dialect.name == "sqlite":
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        return
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(batch.f(f"fk_{table}_{column}_{target}"), type_="foreignkey")
        batch.drop_index(batch.f(f"ix_{table}_{column}"))
        batch.drop_column(column)


def upgrade() -> None:
    for target, (values, table, column) in DIRECTORIES.items():
        _create(target, values)
        _add_reference(table, column, target)


def downgrade() -> None:
    for target, (_values, table, column) in DIRECTORIES.items():
        _drop_reference(table, column, target)
        op.drop_table(target)
