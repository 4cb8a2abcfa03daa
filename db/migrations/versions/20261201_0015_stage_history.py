"""stage history: when each deal entered and left each stage, and the stages' probability for the forecast

``deal_stage_history`` holds one span per stay of a deal at a stage. Existing deals get theirs from the audit
log, the single source of history until now: the deal was created at its first stage (the ``before`` of its
first stage change, else the stage named by its "created" entry, else its stage now), each "stage_changed"
entry closes a span and opens the next, and a "won" or "lost" entry closes the last one and opens a span on
the outcome stage it names (none when it names no stage). A deal whose stored stage or status disagrees with
its audit log (changed by hand) is brought in line at its ``closed_at`` or ``updated_at``, so every deal's
only open span is on ``deals.stage_id`` — the invariant the application keeps from now on.

``stages.probability`` (whole percent) is set for the seeded stages; a stage admins added keeps ``NULL`` and
takes the default from its place in the pipeline (``domain.pipeline``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:00:00
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The seeded stages (revision 0002) by code: the chance that a deal there is won.
PROBABILITIES = {
    "identification": 10,
    "qualification": 25,
    "proposal": 50,
    "negotiation": 75,
    "closing": 90,
    "post_sale": 95,
    "won": 100,
    "lost": 0,
}
BATCH = 500
CHANGES = ("stage_changed", "won", "lost")

deals = sa.table(
    "deals",
    sa.column("id", sa.Integer),
    sa.column("stage_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", db.base.UtcDateTime),
    sa.column("updated_at", db.base.UtcDateTime),
    sa.column("closed_at", db.base.UtcDateTime),
)
audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("before", sa.Text),
    sa.column("after", sa.Text),
    sa.column("at", db.base.UtcDateTime),
)
spans = sa.table(
    "deal_stage_history",
    sa.column("deal_id", sa.Integer),
    sa.column("stage_id", sa.Integer),
    sa.column("entered_at", db.base.UtcDateTime),
    sa.column("left_at", db.base.UtcDateTime),
    sa.column("entered_by_id", sa.Integer),
    sa.column("left_by_id", sa.Integer),
)


@dataclass
class Event:
    """An audit entry of a deal: what it says about the stage."""

    action: str
    actor_id: int | None
    at: datetime
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass
class History:
    """The spans of one deal as they are rebuilt; the last one may be open."""

    deal_id: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_stage(self) -> int | None:
        return self.rows[-1]["stage_id"] if self.rows and self.rows[-1]["left_at"] is None else None

    def enter(self, stage_id: int, at: datetime, actor_id: int | None) -> None:
        self.rows.append(
            {
                "deal_id": self.deal_id,
                "stage_id": stage_id,
                "entered_at": at,
                "left_at": None,
                "entered_by_id": actor_id,
                "left_by_id": None,
            }
        )

    def leave(self, at: datetime, actor_id: int | None) -> None:
        if self.open_stage is not None:
            # A span never ends before it began, whatever the clocks of old entries say.
            self.rows[-1]["left_at"] = max(at, self.rows[-1]["entered_at"])
            self.rows[-1]["left_by_id"] = actor_id


def _values(text: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(text) if text else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _stage(values: dict[str, Any], stages: dict[int, str]) -> int | None:
    stage_id = values.get("stage_id")
    return stage_id if isinstance(stage_id, int) and stage_id in stages else None


def rebuild(deal: Any, created: Event | None, events: Iterable[Event], stages: dict[int, str]) -> History:
    """The spans of one deal from its row, its "created" entry and its stage events (oldest first);
    ``stages`` maps every stage id to its kind (open, won, lost)."""
    events = list(events)
    history = History(deal.id)
    # The first stage is the one the first change moved the deal from, else the one it was created at.
    first = _stage(events[0].before, stages) if events else None
    first = first or (_stage(created.after, stages) if created else None) or deal.stage_id
    history.enter(first, deal.created_at, deal.created_by_id)
    for event in events:
        target = _stage(event.after, stages)
        if event.action == "stage_changed" and target is not None and target != history.open_stage:
            history.leave(event.at, event.actor_id)
            history.enter(target, event.at, event.actor_id)
        elif event.action in ("won", "lost"):
            history.leave(event.at, event.actor_id)
            if target is not None:
                history.enter(target, event.at, event.actor_id)
            break
    # The stored deal is the truth of today: it rests at its stage (a won or lost deal at its outcome stage,
    # if any); a change the audit log missed is put at the deal's last known moment.
    rests_at = deal.stage_id if deal.status == "open" or stages.get(deal.stage_id) != "open" else None
    if history.open_stage != rests_at:
        at = max(deal.closed_at or deal.updated_at or deal.created_at, history.rows[-1]["entered_at"])
        history.leave(at, None)
        if rests_at is not None:
            history.enter(rests_at, at, None)
    return history


def _events(rows: Iterable[Any]) -> dict[int, tuple[Event | None, list[Event]]]:
    found: dict[int, tuple[Event | None, list[Event]]] = {}
    for row in rows:
        created, events = found.get(row.entity_id, (None, []))
        event = Event(row.action, row.actor_id, row.at, _values(row.before), _values(row.after))
        if row.action == "created":
            created = created or event
        else:
            events.append(event)
        found[row.entity_id] = (created, events)
    return found


def backfill(connection: sa.Connection) -> None:
    """Every deal's spans, a batch of deals at a time (one read of their audit entries per batch)."""
    stages = {row.id: row.kind for row in connection.execute(sa.text("SELECT id, kind FROM stages"))}
    last_id = 0
    while True:
        batch = connection.execute(
            sa.select(deals).where(deals.c.id > last_id).order_by(deals.c.id).limit(BATCH)
        ).all()
        if not batch:
            return
        last_id = batch[-1].id
        entries = connection.execute(
            sa.select(audit_log)
            .where(
                audit_log.c.entity == "deal",
                audit_log.c.entity_id.in_([deal.id for deal in batch]),
                audit_log.c.action.in_(("created", *CHANGES)),
            )
            .order_by(audit_log.c.entity_id, audit_log.c.at, audit_log.c.id)
        )
        by_deal = _events(entries)
        rows = []
        for deal in batch:
            created, events = by_deal.get(deal.id, (None, []))
            rows.extend(rebuild(deal, created, events, stages).rows)
        connection.execute(sa.insert(spans), rows)


def upgrade() -> None:
    op.create_table(
        "deal_stage_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("left_at", db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("left_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], name=op.f("fk_deal_stage_history_deal_id_deals")),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_deal_stage_history_stage_id_stages")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_deal_stage_history_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["left_by_id"], ["users.id"], name=op.f("fk_deal_stage_history_left_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_stage_history")),
    )
    op.create_index("ix_deal_stage_history_deal_entered", "deal_stage_history", ["deal_id", "entered_at"])
    op.create_index("ix_deal_stage_history_stage_entered", "deal_stage_history", ["stage_id", "entered_at"])
    op.create_index(
        "uq_deal_stage_history_open",
        "deal_stage_history",
        ["deal_id"],
        unique=True,
        sqlite_where=sa.text("left_at IS NULL"),
        postgresql_where=sa.text("left_at IS NULL"),
    )
    # A plain ADD COLUMN: a batch copy of a parent table would trip its children's foreign keys.
    op.add_column("stages", sa.Column("probability", sa.Integer(), nullable=True))
    stages = sa.table("stages", sa.column("code", sa.String), sa.column("probability", sa.Integer))
    for code, probability in PROBABILITIES.items():
        op.execute(stages.update().where(stages.c.code == code).values(probability=probability))
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_column("stages", "probability")
    op.drop_index("uq_deal_stage_history_open", table_name="deal_stage_history")
    op.drop_index("ix_deal_stage_history_stage_entered", table_name="deal_stage_history")
    op.drop_index("ix_deal_stage_history_deal_entered", table_name="deal_stage_history")
    op.drop_table("deal_stage_history")
