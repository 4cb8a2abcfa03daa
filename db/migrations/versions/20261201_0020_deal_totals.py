"""deal totals and comment verdicts kept on the deal, so that reports count them in SQL

- ``deals.total_minor``: the sum of the deal's lines in kopecks, kept by triggers on ``deal_lines`` (insert,
  change of amount or deal, delete), so every writer keeps it right, the bulk ones included.
- The report indexes on deals carry the total, so the pipeline and closed sums (funnel, managers, forecast,
  lost reasons) are read from the indexes alone.
- ``ix_deal_stage_history_left``: the spans that ended in a period, for the days at each stage; and
  ``ix_deal_stage_history_deal_entered`` gains the stage, so a lost deal's last stage is read from it alone.
- ``deals.comment_expanded``: the R3 verdict of the deal's comment when it was saved (R2f). Backfilled here
  with the default comment policy; the startup sweep judges the open deals again with the configured one.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.comments import check_expanded_text

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

#: The report indexes that gain the total: (name, columns before, columns after); a new one has no "before".
INDEXES = (
    ("ix_deals_status_stage", ["status", "stage_id", "expected_close"], ["total_minor"]),
    ("ix_deals_responsible_status_stage", ["responsible_id", "status", "stage_id"], ["total_minor"]),
    ("ix_deals_status_closed", ["status", "closed_at", "responsible_id"], ["total_minor"]),
    ("ix_deals_status_owner_total", None, ["status", "responsible_id", "total_minor"]),
)

SQLITE_TRIGGERS = (
    """CREATE TRIGGER deal_lines_total_insert AFTER INSERT ON deal_lines BEGIN
        UPDATE deals SET total_minor = total_minor + NEW.amount_minor WHERE id = NEW.deal_id;
    END""",
    """CREATE TRIGGER deal_lines_total_update AFTER UPDATE OF amount_minor, deal_id ON deal_lines BEGIN
        UPDATE deals SET total_minor = total_minor - OLD.amount_minor WHERE id = OLD.deal_id;
        UPDATE deals SET total_minor = total_minor + NEW.amount_minor WHERE id = NEW.deal_id;
    END""",
    """CREATE TRIGGER deal_lines_total_delete AFTER DELETE ON deal_lines BEGIN
        UPDATE deals SET total_minor = total_minor - OLD.amount_minor WHERE id = OLD.deal_id;
    END""",
)

POSTGRES_TRIGGERS = (
    """CREATE FUNCTION deal_lines_total() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE deals SET total_minor = total_minor - OLD.amount_minor WHERE id = OLD.deal_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE deals SET total_minor = total_minor + NEW.amount_minor WHERE id = NEW.deal_id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER deal_lines_total AFTER INSERT OR DELETE OR UPDATE OF amount_minor, deal_id
    ON deal_lines FOR EACH ROW EXECUTE FUNCTION deal_lines_total()""",
)


def _judge_comments() -> None:
    """R3 over every distinct comment once; the deals whose comment is not expanded are marked."""
    bind = op.get_bind()
    rejected = [
        comment
        for (comment,) in bind.execute(sa.text("SELECT DISTINCT comment FROM deals"))
        if not check_expanded_text(comment).ok
    ]
    for start in range(0, len(rejected), BATCH):
        bind.execute(
            sa.text("UPDATE deals SET comment_expanded = false WHERE comment IN :comments").bindparams(
                sa.bindparam("comments", expanding=True)
            ),
            {"comments": rejected[start : start + BATCH]},
        )


def upgrade() -> None:
    # Plain ADD COLUMN: batch mode would copy and drop ``deals``, which other tables reference.
    op.add_column("deals", sa.Column("total_minor", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column(
        "deals", sa.Column("comment_expanded", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.execute(
        "UPDATE deals SET total_minor = "
        "coalesce((SELECT sum(amount_minor) FROM deal_lines WHERE deal_lines.deal_id = deals.id), 0)"
    )
    _judge_comments()
    for name, before, added in INDEXES:
        if before is not None:
            op.drop_index(name, table_name="deals")
        op.create_index(name, "deals", [*(before or []), *added])
    ended = sa.text("left_at IS NOT NULL")  # an open span is found by its stage, never by this index
    op.create_index(
        "ix_deal_stage_history_left",
        "deal_stage_history",
        ["left_at", "stage_id", "entered_at"],
        sqlite_where=ended,
        postgresql_where=ended,
    )
    op.drop_index("ix_deal_stage_history_deal_entered", table_name="deal_stage_history")
    op.create_index(
        "ix_deal_stage_history_deal_entered", "deal_stage_history", ["deal_id", "entered_at", "stage_id"]
    )
    postgres = op.get_context().dialect.name == "postgresql"
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_deal_stage_history_left", table_name="deal_stage_history")
    op.drop_index("ix_deal_stage_history_deal_entered", table_name="deal_stage_history")
    op.create_index("ix_deal_stage_history_deal_entered", "deal_stage_history", ["deal_id", "entered_at"])
    for name, before, _added in INDEXES:
        op.drop_index(name, table_name="deals")
        if before is not None:
            op.create_index(name, "deals", before)
    if op.get_context().dialect.name == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER deal_lines_total_{name}")
        op.execute("ALTER TABLE deals DROP COLUMN comment_expanded")
        op.execute("ALTER TABLE deals DROP COLUMN total_minor")
    else:
        op.execute("DROP TRIGGER deal_lines_total ON deal_lines")
        op.execute("DROP FUNCTION deal_lines_total()")
        op.drop_column("deals", "comment_expanded")
        op.drop_column("deals", "total_minor")
