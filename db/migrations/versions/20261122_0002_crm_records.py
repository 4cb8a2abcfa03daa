"""crm records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:30:38.543764
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Default directories (SPEC): a small realistic catalogue, the lead sources, and the pipeline of seed 001.
CATALOGUE = {
    "Оборудование": ["Промышленный принтер этикеток", "Сканер штрихкодов", "Терминал сбора данных"],
    "Расходные материалы": ["Термоэтикетки", "Красящая лента (риббон)"],
    "Программное обеспечение": ["Лицензия WMS", "Внедрение WMS"],
    "Услуги": ["Монтаж и пусконаладка", "Сервисный контракт", "Обучение персонала"],
}
LEAD_SOURCES = [
    ("incoming_call", "Входящий звонок"),
    ("website", "Сайт"),
    ("referral", "Рекомендация"),
    ("exhibition", "Выставка"),
    ("cold_call", "Холодный звонок"),
]
STAGES = [
    ("identification", "Выявление потребности", "open"),
    ("qualification", "Квалификация", "open"),
    ("proposal", "Коммерческое предложение", "open"),
    ("negotiation", "Переговоры", "open"),
    ("closing", "Закрытие сделки", "open"),
    ("post_sale", "Постпродажное обслуживание", "open"),
    ("won", "Успешно реализовано", "won"),
    ("lost", "Отказ", "lost"),
]


def seed_directories() -> None:
    groups = sa.table(
        "product_groups", sa.column("id"), sa.column("name"), sa.column("is_active"), sa.column("position")
    )
    products = sa.table("products", sa.column("group_id"), sa.column("name"), sa.column("is_active"))
    sources = sa.table(
        "lead_sources", sa.column("code"), sa.column("name"), sa.column("is_active"), sa.column("position")
    )
    stages = sa.table(
        "stages",
        sa.column("code"),
        sa.column("name"),
        sa.column("kind"),
        sa.column("position"),
        sa.column("is_active"),
    )
    op.bulk_insert(
        groups,
        [
            {"id": i, "name": name, "is_active": True, "position": i}
            for i, name in enumerate(CATALOGUE, start=1)
        ],
    )
    op.bulk_insert(
        products,
        [
            {"group_id": i, "name": product, "is_active": True}
            for i, names in enumerate(CATALOGUE.values(), start=1)
            for product in names
        ],
    )
    op.bulk_insert(
        sources,
        [
            {"code": c, "name": n, "is_active": True, "position": i}
            for i, (c, n) in enumerate(LEAD_SOURCES, start=1)
        ],
    )
    op.bulk_insert(
        stages,
        [
            {"code": c, "name": n, "kind": k, "position": i, "is_active": True}
            for i, (c, n, k) in enumerate(STAGES, start=1)
        ],
    )


def upgrade() -> None:
    op.create_table(
        "lead_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_sources")),
        sa.UniqueConstraint("code", name=op.f("uq_lead_sources_code")),
        sa.UniqueConstraint("name", name=op.f("uq_lead_sources_name")),
    )
    op.create_table(
        "product_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_product_groups_name")),
    )
    op.create_table(
        "stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stages")),
        sa.UniqueConstraint("code", name=op.f("uq_stages_code")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["product_groups.id"], name=op.f("fk_products_group_id_product_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("group_id", "name", name=op.f("uq_products_group_id_name")),
    )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_products_group_id"), ["group_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id", "at"], unique=False)

    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_search", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_clients_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_name_search"), ["name_search"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=True),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("position", sa.String(length=150), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("dup_name_phone", sa.String(length=64), nullable=False),
        sa.Column("dup_name_birth", sa.String(length=64), nullable=False),
        sa.Column("dup_name_email", sa.String(length=64), nullable=False),
        sa.Column("dup_phone_birth", sa.String(length=64), nullable=False),
        sa.Column("dup_phone_email", sa.String(length=64), nullable=False),
        sa.Column("dup_birth_email", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_contacts_client_id_clients"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_contacts_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"], ["users.id"], name=op.f("fk_contacts_responsible_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("dup_birth_email", name=op.f("uq_contacts_dup_birth_email")),
        sa.UniqueConstraint("dup_name_birth", name=op.f("uq_contacts_dup_name_birth")),
        sa.UniqueConstraint("dup_name_email", name=op.f("uq_contacts_dup_name_email")),
        sa.UniqueConstraint("dup_name_phone", name=op.f("uq_contacts_dup_name_phone")),
        sa.UniqueConstraint("dup_phone_birth", name=op.f("uq_contacts_dup_phone_birth")),
        sa.UniqueConstraint("dup_phone_email", name=op.f("uq_contacts_dup_phone_email")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_responsible_id"), ["responsible_id"], unique=False)

    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("product_group_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_leads_contact_id_contacts")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_leads_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["product_group_id"], ["product_groups.id"], name=op.f("fk_leads_product_group_id_product_groups")
        ),
        sa.ForeignKeyConstraint(["responsible_id"], ["users.id"], name=op.f("fk_leads_responsible_id_users")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["lead_sources.id"], name=op.f("fk_leads_source_id_lead_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_leads_responsible_status", ["responsible_id", "status"], unique=False)

    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("party_key", sa.String(length=40), nullable=False),
        sa.Column("product_group_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("responsible_id", sa.Integer(), nullable=False),
        sa.Column("last_qualifying_at", db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lost_reason", sa.Text(), nullable=True),
        sa.Column("closed_at", db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_deals_client_id_clients")),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_deals_contact_id_contacts")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_deals_created_by_id_users")),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_deals_lead_id_leads")),
        sa.ForeignKeyConstraint(
            ["product_group_id"], ["product_groups.id"], name=op.f("fk_deals_product_group_id_product_groups")
        ),
        sa.ForeignKeyConstraint(["responsible_id"], ["users.id"], name=op.f("fk_deals_responsible_id_users")),
        sa.ForeignKeyConstraint(["stage_id"], ["stages.id"], name=op.f("fk_deals_stage_id_stages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
        sa.UniqueConstraint("lead_id", name=op.f("uq_deals_lead_id")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deals_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_last_qualifying_at"), ["last_qualifying_at"], unique=False)
        batch_op.create_index("ix_deals_responsible_status", ["responsible_id", "status"], unique=False)
        batch_op.create_index(
            "uq_deals_open_party_group",
            ["party_key", "product_group_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "deal_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_deal_lines_amount_positive")),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deals.id"], name=op.f("fk_deal_lines_deal_id_deals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_deal_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_lines")),
    )
    with op.batch_alter_table("deal_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_lines_deal_id"), ["deal_id"], unique=False)

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("discussed", sa.Text(), nullable=True),
        sa.Column("agreed", sa.Text(), nullable=True),
        sa.Column("qualifying", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lead_id IS NOT NULL OR deal_id IS NOT NULL", name=op.f("ck_interactions_has_subject")
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_interactions_author_id_users")),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_interactions_deal_id_deals")),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_interactions_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_deal_at", ["deal_id", "occurred_at"], unique=False)
        batch_op.create_index("ix_interactions_lead_at", ["lead_id", "occurred_at"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("done_at", db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_tasks_assignee_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_tasks_created_by_id_users")),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_tasks_deal_id_deals")),
        sa.ForeignKeyConstraint(
            ["interaction_id"], ["interactions.id"], name=op.f("fk_tasks_interaction_id_interactions")
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_tasks_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_assignee_due", ["assignee_id", "done_at", "due_at"], unique=False)
    seed_directories()


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_assignee_due")

    op.drop_table("tasks")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_lead_at")
        batch_op.drop_index("ix_interactions_deal_at")

    op.drop_table("interactions")
    with op.batch_alter_table("deal_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_lines_deal_id"))

    op.drop_table("deal_lines")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_deals_open_party_group",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_deals_responsible_status")
        batch_op.drop_index(batch_op.f("ix_deals_last_qualifying_at"))
        batch_op.drop_index(batch_op.f("ix_deals_contact_id"))

    op.drop_table("deals")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_responsible_status")
        batch_op.drop_index(batch_op.f("ix_leads_contact_id"))

    op.drop_table("leads")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_responsible_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_phone"))
        batch_op.drop_index(batch_op.f("ix_contacts_name_key"))
        batch_op.drop_index(batch_op.f("ix_contacts_client_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_name_search"))

    op.drop_table("clients")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_group_id"))

    op.drop_table("products")
    op.drop_table("stages")
    op.drop_table("product_groups")
    op.drop_table("lead_sources")
