"""report indexes: the reports read what their period and scope hold, not the whole company (issue 12)

Found with ``EXPLAIN QUERY PLAN`` by ``bench/reports.py`` on 1M deals and 3M interactions:

- ``ix_deal_lines_deal_amount``: a deal's total (``deal_amount()``) from the index alone;
- ``ix_deals_status_stage`` and ``ix_deals_responsible_status_stage``: open deals by stage, for the company
  (with the expected close date: funnel, forecast) and for a team or a manager (funnel, stuck), from the
  index alone;
- ``ix_deals_status_closed``: deals won or lost in a period, with their manager (funnel, managers, stuck);
- ``ix_deals_created`` and ``ix_deals_responsible_created``: deals created in a period, for the company and
  for a team or a manager (funnel conversion);
- ``ix_leads_created`` and ``ix_leads_responsible_created``: the same for leads (funnel, managers);
- ``ix_interactions_author_at``: a manager's interactions in a period and how many qualified (managers);
- ``ix_deal_stage_history_deal_stage``: the stages a deal has been at and when (funnel conversion, the days
  at each stage for a team or a manager), from the index alone;
- ``ix_deal_stage_history_open_stage``: the open spans at a stage by when they began (stuck deals).

Plain ``CREATE INDEX`` (no batch mode: nothing is copied).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_deal_lines_deal_amount", "deal_lines", ["deal_id", "amount_minor"]),
    ("ix_deals_status_stage", "deals", ["status", "stage_id", "expected_close"]),
    ("ix_deals_responsible_status_stage", "deals", ["responsible_id", "status", "stage_id"]),
    ("ix_deals_status_closed", "deals", ["status", "closed_at", "responsible_id"]),
    ("ix_deals_created", "deals", ["created_at", "status"]),
    ("ix_deals_responsible_created", "deals", ["responsible_id", "created_at"]),
    ("ix_leads_created", "leads", ["created_at", "status"]),
    ("ix_leads_responsible_created", "leads", ["responsible_id", "created_at", "status"]),
    ("ix_interactions_author_at", "interactions", ["author_id", "occurred_at", "qualifying"]),
    (
        "ix_deal_stage_history_deal_stage",
        "deal_stage_history",
        ["deal_id", "stage_id", "entered_at", "left_at"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_index(
        "ix_deal_stage_history_open_stage",
        "deal_stage_history",
        ["stage_id", "entered_at"],
        sqlite_where=sa.text("left_at IS NULL"),
        postgresql_where=sa.text("left_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_deal_stage_history_open_stage", table_name="deal_stage_history")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
