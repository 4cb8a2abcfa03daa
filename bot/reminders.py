"""The sweep: database → reminder policy (``domain.reminders``) → outbox, and its dry run for the CLI.

The sweep keeps no state. It reads the candidates (``db.repo.reminders``: indexed, so its cost follows
what is due), asks :func:`domain.reminders.due_notifications` what is due at ``now``, and inserts each
notification under its dedupe key, ignoring keys already queued. Running it twice, after a restart, or in
two processes at once never queues anything twice; running it after downtime queues what became due in
the meantime (the policy looks back ``lookback_days``).

The morning digests need no job of their own: the policy returns a user's digest from ``DIGEST_TIME`` on
the user's clock, so the first sweep after 09:00 in each time zone queues it with ``send_after`` at 09:00
local (the sweep runs every ``SWEEP_INTERVAL_MINUTES``, so a digest leaves at most that late). One job for
every zone is simpler than one job per zone, and a missed run costs nothing: the next sweep catches up.

Only the digests not yet queued get their material loaded (today's and overdue tasks); a digest already
queued is not recomputed.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import SWEEP_SECONDS
from bot.settings import Settings
from db.base import utcnow
from db.repo import reminders as repo
from db.repo.deals import rejudge_comments
from domain.reminders import (
    AlertMode,
    Kind,
    Notification,
    ReminderSettings,
    due_notifications,
    morning_digest_key,
)

log = logging.getLogger(__name__)


def reminder_settings(settings: Settings) -> ReminderSettings:
    """The policy's settings from the bot's; tasks are queued one sweep interval early to leave on time."""
    hours, minutes = (int(part) for part in settings.digest_time.split(":"))
    return ReminderSettings(
        remind_before_days=tuple(settings.remind_before_days),
        quiet_hours=settings.quiet_window,
        default_timezone=settings.default_timezone,
        period_months=settings.inactivity_period,
        team_lead_alerts=AlertMode(settings.team_lead_alerts),
        digest_time=time(hours, minutes),
        task_lookahead=timedelta(minutes=settings.sweep_interval_minutes),
        at_risk_days=settings.at_risk_days,
    )


async def collect(
    session: AsyncSession, settings: Settings, now: datetime, *, full_check: bool = False
) -> list[Notification]:
    """Everything due at ``now`` that is worth inserting (reads only)."""
    policy_settings = reminder_settings(settings)
    users = await repo.load_users(session)
    digest_keys = {}
    for user in users:
        key = morning_digest_key(user, now, policy_settings)
        if key is not None:
            digest_keys[key] = user.id
    queued = await repo.existing_keys(session, digest_keys)
    pending_digests = {key for key in digest_keys if key not in queued}
    deals = await repo.deadline_candidates(session, now, policy_settings)
    if full_check:
        deals.extend(await repo.all_open_deals(session))
    else:
        deals.extend(await repo.incorrect_candidates(session, now))
    tasks = await repo.task_candidates(
        session, now, policy_settings, [digest_keys[key] for key in pending_digests]
    )
    notifications = due_notifications(
        now, repo.deal_views(deals, settings.comment_policy), tasks, users, policy_settings
    )
    # A digest already queued was computed above without its tasks: it is not inserted again anyway.
    return [n for n in notifications if n.kind is not Kind.MORNING_DIGEST or n.dedupe_key in pending_digests]


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime | None = None,
    *,
    full_check: bool = False,
) -> int:
    """Queue what is due at ``now`` (default: the current time); returns the number of rows inserted.

    ``full_check`` re-checks every open deal for R2f (the run at startup), not only the recent ones.
    """
    now = (now or utcnow()).astimezone(UTC)
    async with sessionmaker() as session:
        if full_check:
            rejudged = await rejudge_comments(session, settings.comment_policy)
            if rejudged:
                log.info("sweep: %d open deal comment verdict(s) judged again", rejudged)
        notifications = await collect(session, settings, now, full_check=full_check)
        await session.rollback()  # end the read snapshot before the write
        inserted = await repo.insert_ignore(session, notifications)
    kinds = Counter(n.kind.value for n in notifications)
    log.info("sweep: %d due, %d queued %s", len(notifications), inserted, dict(sorted(kinds.items())))
    return inserted


async def preview(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, at: datetime
) -> list[Notification]:
    """What a sweep at ``at`` would consider due (including keys already queued); writes nothing."""
    async with sessionmaker() as session:
        try:
            return await collect(session, settings, at.astimezone(UTC))
        finally:
            await session.rollback()


async def run_sweep(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The scheduler's periodic job."""
    with SWEEP_SECONDS.labels("periodic").time():
        await sweep(sessionmaker, settings)


async def run_startup_sweep(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The scheduler's run at startup: catches up after downtime and re-checks every open deal for R2f."""
    with SWEEP_SECONDS.labels("startup").time():
        await sweep(sessionmaker, settings, full_check=True)
