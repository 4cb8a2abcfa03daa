"""The outbox seen from the sender: claim due rows, then mark each one sent, skipped, failed or retried.

A claim moves rows from ``pending`` to ``sending`` and stamps ``claimed_at`` (and ``claimed_by``, the
claiming sender's instance id) in one short write transaction, so two senders (two instances, or two
overlapping drains) never claim the same row. On PostgreSQL the ids are read with ``FOR UPDATE OF outbox SKIP
LOCKED``; on SQLite the write transaction is ``BEGIN IMMEDIATE``, which serialises claims, and the ``UPDATE``
repeats the due condition.

A claim is spread across recipients: at most ``per_chat`` rows of one recipient per claim (the earliest by
``send_after``, ``ROW_NUMBER() OVER (PARTITION BY recipient_id ...)``, which SQLite ≥ 3.25 and PostgreSQL
both run), everyone's first row before anyone's second. A few recipients with many due rows therefore never
fill a claim on their own while the per-chat spacing holds them back (issue 9, finding 6).

A row left in ``sending`` for longer than the sender's timeout (its process died between the claim and the
mark) is due again; a sender with a journal takes its own claims back at once (``recover_claims``).

Besides the reminders the policy queues, every message to another user about a change someone made (a route
requested or decided, a lead or deal handed over, work left by a deactivated user, an invitee who joined) is
a row queued by :func:`queue_notice` inside the write transaction of that change: the change rolled back, no
message. Those rows are due at once; the sender holds them through the recipient's quiet hours.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.engine import write_tx
from db.models import OutboxMessage, User

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"

# Notices: messages to another user about a change, queued in the change's transaction (``queue_notice``).
ROUTE_REQUESTED = "route_requested"  # to the approver, with «Одобрить» / «Отклонить»
ROUTE_APPROVED = "route_approved"  # to the requester
ROUTE_REJECTED = "route_rejected"  # to the requester, with the reason
ROUTE_WITHDRAWN = "route_withdrawn"  # to the approver
TASK_ASSIGNED = "task_assigned"  # to the assignee of a task someone else set for them
LEAD_ASSIGNED = "lead_assigned"  # to the new responsible manager of a lead (created for them or reassigned)
WORK_ASSIGNED = "work_assigned"  # to the new owner of one lead or deal of a deactivated user
WORK_ASSIGNED_ALL = "work_assigned_all"  # to the new owner of all the open work of a deactivated user
WORK_TAKEN = "work_taken"  # to an active former owner: a lead or deal, or all the open work, handed over
WORK_HANDOVER = "work_handover"  # to the team leads (or admins): a deactivated user left open work
INVITE_JOINED = "invite_joined"  # to the admin who made the invite: the invitee joined
DEAL_REASSIGNED = "deal_reassigned"  # to the old and the new responsible of a deal a team lead handed over
NOTICE_KINDS = frozenset(
    {
        ROUTE_REQUESTED,
        ROUTE_APPROVED,
        ROUTE_REJECTED,
        ROUTE_WITHDRAWN,
        LEAD_ASSIGNED,
        TASK_ASSIGNED,
        WORK_ASSIGNED,
        WORK_ASSIGNED_ALL,
        WORK_TAKEN,
        WORK_HANDOVER,
        INVITE_JOINED,
        DEAL_REASSIGNED,
    }
)


@dataclass(frozen=True)
class Claimed:
    """A claimed row and its recipient as they were at the claim."""

    row: OutboxMessage
    recipient: User

    @property
    def chat_id(self) -> int:
        return self.recipient.telegram_id


def _due(now: datetime, stale_before: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.send_after <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < stale_before),
    )


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    stale_before: datetime,
    limit: int,
    per_chat: int = 2,
    claimer: str | None = None,
) -> list[Claimed]:
    """Claim up to ``limit`` due rows, at most ``per_chat`` per recipient, with their recipients.

    Rows come in rounds: every recipient's earliest due row (oldest ``send_after`` first), then every
    recipient's second one, and so on; within a recipient, in ``send_after`` order. ``claimer`` is stamped
    into ``claimed_by``.
    """
    due = _due(now, stale_before)
    ranked = (
        select(
            OutboxMessage.id.label("id"),
            func.row_number()
            .over(
                partition_by=OutboxMessage.recipient_id,
                order_by=(OutboxMessage.send_after, OutboxMessage.id),
            )
            .label("turn"),
        )
        .where(due)
        .subquery("ranked")
    )
    async with write_tx(session):
        ids = list(
            await session.scalars(
                select(OutboxMessage.id)
                .join(ranked, ranked.c.id == OutboxMessage.id)
                .where(ranked.c.turn <= per_chat, due)
                .order_by(ranked.c.turn, OutboxMessage.send_after, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=OutboxMessage)
            )
        )
        if not ids:
            return []
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), due)
            .values(status=SENDING, claimed_at=now, claimed_by=claimer)
            .execution_options(synchronize_session=False)
        )
        rows = (
            await session.execute(
                select(OutboxMessage, User)
                .join(User, User.id == OutboxMessage.recipient_id)
                .where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.status == SENDING,
                    OutboxMessage.claimed_at == now,
                )
                .execution_options(populate_existing=True)
            )
        ).all()
    turn = {row_id: index for index, row_id in enumerate(ids)}
    return [Claimed(row, user) for row, user in sorted(rows, key=lambda pair: turn[pair[0].id])]


async def _set(session: AsyncSession, row_id: int, **values: Any) -> None:
    async with write_tx(session):
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


async def mark_sent(session: AsyncSession, row_id: int, now: datetime) -> None:
    await _set(session, row_id, status=SENT, sent_at=now, last_error=None, claimed_by=None)


@dataclass(frozen=True)
class Recovered:
    """What ``recover_claims`` did: rows marked sent from the journal, and claims given back."""

    confirmed: int
    given_back: list[int]


async def recover_claims(
    session: AsyncSession, *, claimer: str, confirmed: Mapping[int, datetime]
) -> Recovered:
    """A sender's own leftovers from a run that ended without finishing its rows (a crash, a kill -9).

    ``confirmed`` (row id → when Telegram answered 200, read from the sender's journal) become ``sent``,
    unless already finished; every other row still claimed by ``claimer`` goes back to ``pending`` at once,
    due as it was, without counting an attempt. The caller guarantees that no live drain holds
    ``claimer``'s claims.
    """
    table = OutboxMessage.__table__
    assert isinstance(table, Table)
    async with write_tx(session):
        params = [{"row_id": row_id, "at": at} for row_id, at in confirmed.items()]
        marked = 0
        for start in range(0, len(params), 500):
            result = await session.execute(
                table.update()
                .where(
                    table.c.id == bindparam("row_id"),
                    or_(table.c.status == PENDING, table.c.status == SENDING),  # executemany: no IN
                )
                .values(status=SENT, sent_at=bindparam("at"), last_error=None, claimed_by=None),
                params[start : start + 500],
            )
            marked += max(0, int(getattr(result, "rowcount", 0) or 0))
        back = list(
            await session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.status == SENDING, OutboxMessage.claimed_by == claimer
                )
            )
        )
        if back:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(back), OutboxMessage.status == SENDING)
                .values(status=PENDING, claimed_at=None, claimed_by=None)
                .execution_options(synchronize_session=False)
            )
    return Recovered(confirmed=marked, given_back=back)


async def mark_skipped(session: AsyncSession, row_id: int, reason: str) -> None:
    await _set(session, row_id, status=SKIPPED, last_error=reason)


async def mark_failed(session: AsyncSession, row_id: int, error: str, attempts: int) -> None:
    await _set(session, row_id, status=FAILED, last_error=error, attempts=attempts)


async def reschedule(
    session: AsyncSession, row_id: int, *, send_after: datetime, attempts: int, error: str | None
) -> None:
    """Back to ``pending`` for a later try (a transient error, or a claim given back unsent)."""
    await _set(
        session,
        row_id,
        status=PENDING,
        send_after=send_after,
        attempts=attempts,
        last_error=error,
        claimed_at=None,
        claimed_by=None,
    )


async def release(session: AsyncSession, row_ids: Sequence[int], send_after: datetime | None = None) -> None:
    """Give claimed rows back unsent and without counting an attempt (the drain ran out of time)."""
    if not row_ids:
        return
    values: dict[str, Any] = {"status": PENDING, "claimed_at": None, "claimed_by": None}
    if send_after is not None:
        values["send_after"] = send_after
    async with write_tx(session):
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == SENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


async def mark_recipient_unreachable(
    session: AsyncSession,
    *,
    row_id: int,
    user_id: int,
    alerts: Iterable[tuple[int, datetime]],
    now: datetime,
) -> None:
    """403: the user blocked the bot. Flag them, skip the row, and queue one alert per recipient.

    ``alerts`` are (recipient user id, send_after). The dedupe key ``unreachable:<user>:<recipient>`` makes
    the alert go out once, however many 403s follow.
    """
    async with write_tx(session):
        await session.execute(
            update(User)
            .where(User.id == user_id)
            .values(is_reachable=False)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(status=SKIPPED, last_error="TelegramForbiddenError")
            .execution_options(synchronize_session=False)
        )
        for recipient_id, send_after in alerts:
            await enqueue(
                session,
                dedupe_key=f"unreachable:{user_id}:{recipient_id}",
                recipient_id=recipient_id,
                kind="user_unreachable",
                payload={"user_id": user_id},
                send_after=send_after,
                now=now,
            )


async def enqueue(
    session: AsyncSession,
    *,
    dedupe_key: str,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    send_after: datetime,
    now: datetime,
) -> None:
    """Insert a row unless its dedupe key exists (inside the caller's write transaction)."""
    values = {
        "dedupe_key": dedupe_key,
        "recipient_id": recipient_id,
        "kind": kind,
        "payload": json.dumps(payload, sort_keys=True),
        "send_after": send_after,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(insert(OutboxMessage).values(**values).on_conflict_do_nothing())


async def queue_notice(
    session: AsyncSession,
    *,
    kind: str,
    recipient_id: int,
    payload: dict[str, int],
    key: str | None = None,
    now: datetime | None = None,
) -> None:
    """Queue a notice to ``recipient_id`` inside the caller's write transaction, due at once.

    ``payload`` holds ids and counts only; the text is rendered at send time. ``key`` makes the notice
    unique per subject (a route is requested once); without it, every call queues its own row.
    """
    assert kind in NOTICE_KINDS, kind
    moment = now or utcnow()
    await enqueue(
        session,
        dedupe_key=f"{kind}:{recipient_id}:{key or uuid.uuid4().hex}",
        recipient_id=recipient_id,
        kind=kind,
        payload=dict(payload),
        send_after=moment,
        now=moment,
    )


async def alert_recipients_for(session: AsyncSession, user: User) -> list[User]:
    """Who hears that ``user`` is unreachable: their team lead(s); when there is none, the admins."""
    leads: list[User] = []
    if user.team_id is not None:
        leads = list(
            await session.scalars(
                select(User).where(
                    User.team_id == user.team_id,
                    User.role == "team_lead",
                    User.is_active.is_(True),
                    User.id != user.id,
                )
            )
        )
    if leads:
        return leads
    return list(
        await session.scalars(
            select(User).where(User.role == "admin", User.is_active.is_(True), User.id != user.id)
        )
    )


# ---------------------------------------------------------------------------------------------
# Admin view of failures
# ---------------------------------------------------------------------------------------------


async def count_failed(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == FAILED)
        )
        or 0
    )


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """Rows per status, for the ``crm_outbox_rows`` metric (``bot.metrics``)."""
    rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: int(count) for status, count in rows}


async def list_failed(session: AsyncSession, limit: int = 10) -> list[OutboxMessage]:
    """The latest failed rows (their errors hold exception types and API descriptions only)."""
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == FAILED)
            .order_by(OutboxMessage.send_after.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


async def retry_failed(session: AsyncSession, now: datetime) -> int:
    """Every failed row back to ``pending``, due now, with a fresh attempt count."""
    async with write_tx(session):
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == FAILED)
            .values(status=PENDING, attempts=0, send_after=now, claimed_at=None, claimed_by=None)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)
