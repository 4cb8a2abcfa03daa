"""The sweep: database → policy → outbox, on a frozen clock, against a real SQLite database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders import preview, sweep
from bot.settings import Settings
from db.engine import writing
from db.models import Deal, DealLine, Product, User
from tests.factories import make_user
from tests.reminders import MSK, clear_outbox, keys, make_deal, make_task, outbox, payload

SM = async_sessionmaker[AsyncSession]
VVO = ZoneInfo("Asia/Vladivostok")
KGD = ZoneInfo("Europe/Kaliningrad")
# Last qualifying call 20 Nov 2026, noon Moscow: the deal's last active day is 20 Jan 2027.
BASIS = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
DEADLINE = date(2027, 1, 20)


def local(day: date, hour: int = 10, minute: int = 0, zone: ZoneInfo = MSK) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


async def sweep_at(sessionmaker: SM, settings: Settings, moment: datetime, **kwargs: bool) -> int:
    """A sweep with the wall clock frozen at ``moment`` (the sweep reads ``utcnow()`` itself)."""
    with time_machine.travel(moment, tick=False):
        return await sweep(sessionmaker, settings, **kwargs)


async def team(sessionmaker: SM) -> tuple[int, int, int]:
    manager = await make_user(sessionmaker, 7001)
    lead = await make_user(sessionmaker, 7002, role="team_lead")
    admin = await make_user(sessionmaker, 7003, role="admin", team=None)
    return manager, lead, admin


async def test_reminders_fire_exactly_7_3_and_1_days_before_the_deadline(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, lead, admin = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    new_rows: dict[int, list[str]] = {}
    seen: set[str] = set()
    for days_before in range(10, -1, -1):
        for hour in (0, 9, 14, 22):
            await sweep_at(sessionmaker, settings, local(DEADLINE - timedelta(days=days_before), hour))
        current = set(await keys(sessionmaker))
        new_rows[days_before] = sorted(current - seen)
        seen = current
    fired = {days: rows for days, rows in new_rows.items() if rows}
    assert fired == {
        7: [f"deal:{deal}:inactive-in:7d:2027-01-20", f"digest:{manager}:2027-01-13"],
        3: [f"deal:{deal}:inactive-in:3d:2027-01-20", f"digest:{manager}:2027-01-17"],
        1: [f"deal:{deal}:inactive-in:1d:2027-01-20", f"digest:{manager}:2027-01-19"],
    } | {d: [f"digest:{manager}:{(DEADLINE - timedelta(days=d)).isoformat()}"] for d in (6, 5, 4, 0)} | {
        # Mondays 11 and 18 January: the team lead's and the admin's weekly reports, once each.
        9: [f"weekly:{lead}:2027-W02", f"weekly:{admin}:2027-W02"],
        2: sorted([f"digest:{manager}:2027-01-18", f"weekly:{lead}:2027-W03", f"weekly:{admin}:2027-W03"]),
    }
    reminders = [row for row in await outbox(sessionmaker) if row.kind == "deal_reminder"]
    assert [payload(row)["days_left"] for row in reminders] == [7, 3, 1]
    assert {row.send_after for row in reminders} == {
        local(DEADLINE - timedelta(days=n), 9).astimezone(UTC) for n in (7, 3, 1)
    }
    assert all(row.recipient_id == manager and row.status == "pending" for row in reminders)


@pytest.mark.parametrize("mode", ["digest", "immediate"])
async def test_at_the_deadline_the_manager_and_the_team_lead_are_told(
    sessionmaker: SM, settings: Settings, mode: str
) -> None:
    manager, lead, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    settings = settings.model_copy(update={"team_lead_alerts": mode})
    assert await sweep_at(sessionmaker, settings, local(DEADLINE, 23, 59)) >= 0
    assert not any(":inactive" in key and "-in:" not in key for key in await keys(sessionmaker))
    await sweep_at(sessionmaker, settings, local(DEADLINE + timedelta(days=1), 9, 5))
    rows = {row.kind: row for row in await outbox(sessionmaker) if row.kind != "morning_digest"}
    inactive = rows["deal_inactive"]
    assert (inactive.recipient_id, inactive.dedupe_key) == (manager, f"deal:{deal}:inactive:2027-01-20")
    if mode == "digest":
        digest = rows["team_inactive_digest"]
        assert (digest.recipient_id, digest.dedupe_key) == (lead, f"team-digest:{lead}:2027-01-21")
        assert payload(digest) == {"deal_ids": [deal], "day": "2027-01-21"}
        assert "team_inactive_alert" not in rows
    else:
        alert = rows["team_inactive_alert"]
        assert (alert.recipient_id, alert.dedupe_key) == (
            lead,
            f"deal:{deal}:inactive-alert:{lead}:2027-01-20",
        )
        assert payload(alert) == {"deal_id": deal, "deadline_day": "2027-01-20"}
        assert "team_inactive_digest" not in rows


async def test_a_team_leads_own_deal_escalates_to_an_admin(sessionmaker: SM, settings: Settings) -> None:
    _, lead, admin = await team(sessionmaker)
    deal = await make_deal(sessionmaker, lead, basis=BASIS)
    settings = settings.model_copy(update={"team_lead_alerts": "immediate"})
    await sweep_at(sessionmaker, settings, local(DEADLINE + timedelta(days=1), 12))
    alerts = [
        (r.recipient_id, r.dedupe_key) for r in await outbox(sessionmaker) if r.kind == "team_inactive_alert"
    ]
    assert alerts == [(admin, f"deal:{deal}:inactive-alert:{admin}:2027-01-20")]


async def test_deadlines_are_calendar_months(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=local(date(2026, 12, 31), 15))
    await sweep_at(sessionmaker, settings, local(date(2027, 2, 27), 12))
    assert f"deal:{deal}:inactive-in:1d:2027-02-28" in await keys(sessionmaker)
    await sweep_at(sessionmaker, settings, local(date(2027, 3, 1), 12))
    assert f"deal:{deal}:inactive:2027-02-28" in await keys(sessionmaker)


async def test_a_shorter_stage_period_is_queried_and_applied(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    short = await make_deal(sessionmaker, manager, basis=BASIS, stage_period_months=1)
    await make_deal(sessionmaker, manager, basis=BASIS)
    await sweep_at(sessionmaker, settings, local(date(2026, 12, 17), 12))
    assert [k for k in await keys(sessionmaker) if k.startswith("deal:")] == [
        f"deal:{short}:inactive-in:3d:2026-12-20"
    ]


async def test_a_deal_without_a_qualifying_interaction_counts_from_its_creation(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS, qualifying=False)
    await sweep_at(sessionmaker, settings, local(DEADLINE - timedelta(days=7), 12))
    assert f"deal:{deal}:inactive-in:7d:2027-01-20" in await keys(sessionmaker)


async def test_a_non_qualifying_interaction_does_not_move_the_deadline_and_a_qualifying_one_does(
    sessionmaker: SM, settings: Settings
) -> None:
    from db.repo.interactions import Subject, save_interaction
    from domain.access import Actor, Role

    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    actor = Actor(manager, Role.MANAGER, None)
    three_before = local(DEADLINE - timedelta(days=3), 12)

    async def log(qualifying: bool) -> None:
        async with sessionmaker() as session:
            await save_interaction(
                session,
                actor=actor,
                subject=Subject.DEAL,
                subject_id=deal,
                kind="call",
                outcome="reached" if qualifying else "not_reached",
                discussed=None,
                agreed=None,
                qualifying=qualifying,
                occurred_at=three_before.astimezone(UTC),
            )

    await log(qualifying=False)
    await sweep_at(sessionmaker, settings, three_before)
    assert f"deal:{deal}:inactive-in:3d:2027-01-20" in await keys(sessionmaker)
    await clear_outbox(sessionmaker)
    await log(qualifying=True)
    await sweep_at(sessionmaker, settings, three_before + timedelta(hours=1))
    assert [k for k in await keys(sessionmaker) if k.startswith("deal:")] == []
    # The new deadline is 17 Mar 2027: its 7-day reminder comes on 10 Mar.
    await sweep_at(sessionmaker, settings, local(date(2027, 3, 10), 12))
    assert f"deal:{deal}:inactive-in:7d:2027-03-17" in await keys(sessionmaker)


async def test_managers_in_vladivostok_and_kaliningrad_get_the_digest_at_their_own_nine(
    sessionmaker: SM, settings: Settings
) -> None:
    east = await make_user(sessionmaker, 7101)
    west = await make_user(sessionmaker, 7102)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == east).values(timezone="Asia/Vladivostok"))
        await session.execute(update(User).where(User.id == west).values(timezone="Europe/Kaliningrad"))
    day = date(2027, 1, 20)
    await make_task(sessionmaker, east, local(day, 15, zone=VVO))
    await make_task(sessionmaker, west, local(day, 15, zone=KGD))
    await sweep_at(sessionmaker, settings, local(day, 8, 59, zone=VVO))
    assert await keys(sessionmaker) == []
    await sweep_at(sessionmaker, settings, local(day, 9, 0, zone=VVO))
    await sweep_at(sessionmaker, settings, local(day, 8, 59, zone=KGD))
    assert [k for k in await keys(sessionmaker) if k.startswith("digest:")] == [f"digest:{east}:2027-01-20"]
    await sweep_at(sessionmaker, settings, local(day, 9, 0, zone=KGD))
    digests = {row.recipient_id: row for row in await outbox(sessionmaker) if row.kind == "morning_digest"}
    assert digests[east].send_after == datetime(2027, 1, 19, 23, 0, tzinfo=UTC)
    assert digests[west].send_after == datetime(2027, 1, 20, 7, 0, tzinfo=UTC)
    assert digests[west].send_after - digests[east].send_after == timedelta(hours=8)
    assert payload(digests[west])["task_ids_today"] != payload(digests[east])["task_ids_today"]


async def test_a_reminder_due_at_23_waits_for_9(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    task = await make_task(sessionmaker, manager, local(date(2027, 1, 5), 23))
    await sweep_at(sessionmaker, settings, local(date(2027, 1, 5), 23))
    [row] = await outbox(sessionmaker)
    assert row.kind == "task_due"
    assert row.dedupe_key == f"task:{task}:due:2027-01-05T20:00:00+00:00"
    assert row.send_after == local(date(2027, 1, 6), 9).astimezone(UTC)


async def test_a_task_is_queued_one_sweep_ahead_to_leave_on_time(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    due = local(date(2027, 1, 5), 15)
    await make_task(sessionmaker, manager, due)
    await sweep_at(sessionmaker, settings, due - timedelta(minutes=settings.sweep_interval_minutes + 1))
    assert [r for r in await outbox(sessionmaker) if r.kind == "task_due"] == []
    await sweep_at(sessionmaker, settings, due - timedelta(minutes=settings.sweep_interval_minutes - 1))
    [row] = [r for r in await outbox(sessionmaker) if r.kind == "task_due"]
    assert row.send_after == due.astimezone(UTC)


async def test_the_digest_is_not_created_when_there_is_nothing_to_say(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    await make_deal(sessionmaker, manager, basis=BASIS)
    assert await sweep_at(sessionmaker, settings, local(DEADLINE - timedelta(days=20), 9, 30)) == 0
    assert await outbox(sessionmaker) == []


async def test_the_digest_lists_todays_and_overdue_tasks_and_deals_at_risk(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    today = DEADLINE - timedelta(days=5)
    overdue = await make_task(sessionmaker, manager, local(today - timedelta(days=30), 12))
    todays = await make_task(sessionmaker, manager, local(today, 18))
    await make_task(sessionmaker, manager, local(today + timedelta(days=1), 12))
    await sweep_at(sessionmaker, settings, local(today, 9, 3))
    [digest] = [r for r in await outbox(sessionmaker) if r.kind == "morning_digest"]
    assert payload(digest) == {
        "task_ids_today": [todays],
        "task_ids_overdue": [overdue],
        "deal_ids_at_risk": [deal],
        "deal_ids_incorrect": [],
    }
    # Due from 09:00; this sweep ran at 09:03, so it leaves at once.
    assert digest.send_after == local(today, 9, 3).astimezone(UTC)


async def test_an_incorrect_deal_is_reported_at_once_and_in_every_digest_until_fixed(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS, comment="ок", with_line=False)
    # Changed a moment ago: the sweep re-checks recently changed deals.
    day = date(2026, 12, 1)
    async with writing(sessionmaker) as session:
        await session.execute(update(Deal).where(Deal.id == deal).values(updated_at=local(day, 11)))
    await sweep_at(sessionmaker, settings, local(day, 12))
    rows = {r.kind: r for r in await outbox(sessionmaker)}
    assert rows["deal_incorrect"].dedupe_key == f"deal:{deal}:incorrect:comment,product_lines"
    assert payload(rows["deal_incorrect"]) == {"deal_id": deal, "problems": ["comment", "product_lines"]}
    assert payload(rows["morning_digest"])["deal_ids_incorrect"] == [deal]
    # A week later it has not changed, but it was reported: it is still in the digest.
    later = day + timedelta(days=7)
    await sweep_at(sessionmaker, settings, local(later, 9, 1))
    digest = next(
        r for r in await outbox(sessionmaker) if r.dedupe_key == f"digest:{manager}:{later.isoformat()}"
    )
    assert payload(digest)["deal_ids_incorrect"] == [deal]
    # Half fixed: a new set of problems is a new report.
    async with writing(sessionmaker) as session:
        await session.execute(
            update(Deal).where(Deal.id == deal).values(comment="Клиенту нужны 5 сканеров, ждём бюджет")
        )
    await sweep_at(sessionmaker, settings, local(later, 12))
    assert f"deal:{deal}:incorrect:product_lines" in await keys(sessionmaker)
    # Fixed: no longer listed.
    async with writing(sessionmaker) as session:
        product = await session.scalar(select(Product).order_by(Product.id))
        assert product is not None
        session.add(DealLine(deal_id=deal, product_id=product.id, amount_minor=100_00))
    fixed_day = later + timedelta(days=1)
    await sweep_at(sessionmaker, settings, local(fixed_day, 9, 1))
    assert f"digest:{manager}:{fixed_day.isoformat()}" not in await keys(sessionmaker)


async def test_the_startup_sweep_finds_old_incorrect_deals(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=datetime(2026, 6, 1, tzinfo=UTC), comment="ок")
    now = local(date(2026, 6, 20), 12)
    await sweep_at(sessionmaker, settings, now)
    assert not any(k.startswith(f"deal:{deal}:incorrect") for k in await keys(sessionmaker))
    await sweep_at(sessionmaker, settings, now, full_check=True)
    assert f"deal:{deal}:incorrect:comment" in await keys(sessionmaker)


async def test_exactly_once_two_sweeps_give_one_row_per_key(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    for shift in range(5):
        await make_deal(sessionmaker, manager, basis=BASIS + timedelta(days=shift))
    now = local(DEADLINE - timedelta(days=1), 9, 30)
    first = await sweep_at(sessionmaker, settings, now)
    assert first > 0
    assert await sweep_at(sessionmaker, settings, now) == 0
    assert await sweep_at(sessionmaker, settings, now + timedelta(hours=2)) == 0
    rows = await outbox(sessionmaker)
    assert len(rows) == first == len({row.dedupe_key for row in rows})


async def test_exactly_once_concurrent_sweeps_in_two_sessions(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    for shift in range(20):
        await make_deal(sessionmaker, manager, basis=BASIS + timedelta(days=shift % 8))
    await make_task(sessionmaker, manager, local(DEADLINE, 8))
    now = local(DEADLINE, 9, 30)
    with time_machine.travel(now, tick=False):
        results = await asyncio.gather(*(sweep(sessionmaker, settings) for _ in range(3)))
    rows = await outbox(sessionmaker)
    assert sum(results) == len(rows) == len({row.dedupe_key for row in rows}) > 20


async def test_downtime_the_missed_reminder_is_queued_once_after_the_restart(
    sessionmaker: SM, settings: Settings
) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    await sweep_at(sessionmaker, settings, local(DEADLINE - timedelta(days=5), 12))
    # Down from 5 days before until the deadline day itself: the 3-day reminder was missed.
    await sweep_at(sessionmaker, settings, local(DEADLINE, 12, 0))
    await sweep_at(sessionmaker, settings, local(DEADLINE, 12, 5))
    reminders = [r.dedupe_key for r in await outbox(sessionmaker) if r.kind == "deal_reminder"]
    assert reminders == [f"deal:{deal}:inactive-in:7d:2027-01-20", f"deal:{deal}:inactive-in:1d:2027-01-20"]


async def test_deactivated_and_unreachable_users_get_nothing(sessionmaker: SM, settings: Settings) -> None:
    manager, lead, _ = await team(sessionmaker)
    await make_deal(sessionmaker, manager, basis=BASIS)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == manager).values(is_reachable=False))
    await sweep_at(sessionmaker, settings, local(DEADLINE - timedelta(days=3), 12))
    assert await outbox(sessionmaker) == []
    await sweep_at(sessionmaker, settings, local(DEADLINE + timedelta(days=1), 12))
    assert [(r.kind, r.recipient_id) for r in await outbox(sessionmaker)] == [("team_inactive_digest", lead)]


async def test_preview_writes_nothing(sessionmaker: SM, settings: Settings) -> None:
    manager, _, _ = await team(sessionmaker)
    deal = await make_deal(sessionmaker, manager, basis=BASIS)
    notes = await preview(sessionmaker, settings, local(DEADLINE - timedelta(days=3), 12))
    assert [n.dedupe_key for n in notes if n.kind == "deal_reminder"] == [
        f"deal:{deal}:inactive-in:3d:2027-01-20"
    ]
    assert await outbox(sessionmaker) == []
