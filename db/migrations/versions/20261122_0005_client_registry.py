"""client registry

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:46:11.183074
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDUSTRIES = [
    "Розничная торговля",
    "Оптовая торговля",
    "Логистика и склады",
    "Производство",
    "Фармацевтика",
    "Пищевая промышленность",
    "Строительство",
    "ИТ и телеком",
]
REGIONS = [
    "Центральный",
    "Северо-Западный",
    "Южный",
    "Приволжский",
    "Уральский",
    "Сибирский",
    "Дальневосточный",
]


def seed_directories() -> None:
    for table_name, names in (("industries", INDUSTRIES), ("business_regions", REGIONS)):
        table = sa.table(table_name, sa.column("name"), sa.column("is_active"), sa.column("position"))
        op.bulk_insert(
            table, [{"name": name, "is_active": True, "position": i} for i, name in enumerate(names, start=1)]
        )


def upgrade() -> None:
    op.create_table(
        "business_regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_regions")),
        sa.UniqueConstraint("name", name=op.f("uq_business_regions_name")),
    )
    op.create_table(
        "industries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industries")),
        sa.UniqueConstraint("name", name=op.f("uq_industries_name")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("media", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("file_unique_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_documents_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_entity", ["entity", "entity_id", "created_at"], unique=False)

    op.create_table(
        "counterparties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=300), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_counterparties_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_counterparties_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counterparties")),
        sa.UniqueConstraint("client_id", name=op.f("uq_counterparties_client_id")),
        sa.UniqueConstraint("inn", name=op.f("uq_counterparties_inn")),
    )
    op.create_table(
        "client_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sa.String(length=300), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("counterparty_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_client_routes_approver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_routes_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["counterparty_id"],
            ["counterparties.id"],
            name=op.f("fk_client_routes_counterparty_id_counterparties"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["users.id"], name=op.f("fk_client_routes_requester_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_routes")),
    )
    with op.batch_alter_table("client_routes", schema=None) as batch_op:
        batch_op.create_index("ix_client_routes_approver_status", ["approver_id", "status"], unique=False)
        batch_op.create_index(
            "uq_client_routes_pending_client",
            ["client_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("responsible_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("marked_lost", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_clients_responsible_id"), ["responsible_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_clients_industry_id_industries"), "industries", ["industry_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_clients_region_id_business_regions"), "business_regions", ["region_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_clients_responsible_id_users"), "users", ["responsible_id"], ["id"]
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("can_convert_clients", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("open_entity", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("open_entity_id", sa.Integer(), nullable=True))
    seed_directories()


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("open_entity_id")
        batch_op.drop_column("open_entity")
        batch_op.drop_column("can_convert_clients")

    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_clients_responsible_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_clients_region_id_business_regions"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_clients_industry_id_industries"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_clients_responsible_id"))
        batch_op.drop_column("marked_lost")
        batch_op.drop_column("responsible_id")
        batch_op.drop_column("region_id")
        batch_op.drop_column("industry_id")

    with op.batch_alter_table("client_routes", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_client_routes_pending_client",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index("ix_client_routes_approver_status")

    op.drop_table("client_routes")
    op.drop_table("counterparties")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_entity")

    op.drop_table("documents")
    op.drop_table("industries")
    op.drop_table("business_regions")
