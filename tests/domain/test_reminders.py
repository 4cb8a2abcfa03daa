"""The reminder policy (SPEC "Reminders and alerts"): pure, table-driven, on a fixed clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.access import Role
from domain.deals import DealSnapshot, DealStatus, ProductLine
from domain.reminders import (
    AlertMode,
    DealView,
    Kind,
    Notification,
    ReminderSettings,
    TaskView,
    UserView,
    due_notifications,
    escalation_targets,
    morning_digest_key,
    quiet_release,
    zone_of,
)

MSK = ZoneInfo("Europe/Moscow")
VVO = ZoneInfo("Asia/Vladivostok")
KGD = ZoneInfo("Europe/Kaliningrad")
QUIET = (time(20, 0), time(9, 0))
SETTINGS = ReminderSettings()

MANAGER = UserView(1, Role.MANAGER, team_id=10, timezone="Europe/Moscow")
LEAD = UserView(2, Role.TEAM_LEAD, team_id=10, timezone="Europe/Moscow")
ADMIN = UserView(3, Role.ADMIN, team_id=None, timezone="Europe/Moscow")
ADMIN2 = UserView(4, Role.ADMIN, team_id=None, timezone="Asia/Vladivostok")
LONER = UserView(5, Role.MANAGER, team_id=None, timezone=None)
USERS = (MANAGER, LEAD, ADMIN)

# A deal whose last qualifying call was 20 Nov 2026 at noon Moscow: 2 months → last active day 20 Jan 2027.
BASIS = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
DEADLINE = date(2027, 1, 20)
DEAL = DealView(
    id=42,
    responsible_id=MANAGER.id,
    status=DealStatus.OPEN,
    last_qualifying_at=BASIS,
    created_at=BASIS - timedelta(days=30),
)


def at(day: date, hour: int = 10, minute: int = 0, zone: ZoneInfo = MSK) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def run(
    now: datetime,
    deals: tuple[DealView, ...] = (DEAL,),
    tasks: tuple[TaskView, ...] = (),
    users: tuple[UserView, ...] = USERS,
    settings: ReminderSettings = SETTINGS,
) -> list[Notification]:
    return due_notifications(now, deals, tasks, users, settings)


def of_kind(notifications: list[Notification], kind: Kind) -> list[Notification]:
    return [n for n in notifications if n.kind is kind]


# -- quiet hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "quiet", "expected"),
    [
        (datetime(2027, 1, 5, 23, 0), QUIET, datetime(2027, 1, 6, 9, 0)),
        (datetime(2027, 1, 5, 20, 0), QUIET, datetime(2027, 1, 6, 9, 0)),
        (datetime(2027, 1, 5, 3, 0), QUIET, datetime(2027, 1, 5, 9, 0)),
        (datetime(2027, 1, 5, 0, 0), QUIET, datetime(2027, 1, 5, 9, 0)),
        (datetime(2027, 1, 5, 9, 0), QUIET, datetime(2027, 1, 5, 9, 0)),
        (datetime(2027, 1, 5, 19, 59), QUIET, datetime(2027, 1, 5, 19, 59)),
        (datetime(2027, 1, 5, 23, 0), None, datetime(2027, 1, 5, 23, 0)),
        (datetime(2027, 1, 5, 23, 0), (time(10), time(10)), datetime(2027, 1, 5, 23, 0)),
        (datetime(2027, 1, 5, 13, 30), (time(13), time(14)), datetime(2027, 1, 5, 14, 0)),
        (datetime(2027, 1, 5, 12, 0), (time(13), time(14)), datetime(2027, 1, 5, 12, 0)),
        (datetime(2027, 1, 5, 14, 0), (time(13), time(14)), datetime(2027, 1, 5, 14, 0)),
    ],
)
def test_quiet_hours_move_send_after_to_the_end_of_the_window(
    local: datetime, quiet: tuple[time, time] | None, expected: datetime
) -> None:
    released = quiet_release(local.replace(tzinfo=VVO), VVO, quiet)
    assert released.tzinfo is UTC
    assert released == expected.replace(tzinfo=VVO)


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [("Asia/Vladivostok", VVO), (None, MSK), ("", MSK), ("Mars/Olympus", MSK), ("../etc", MSK)],
)
def test_zone_of_falls_back_to_the_default(timezone: str | None, expected: ZoneInfo) -> None:
    assert zone_of(replace(MANAGER, timezone=timezone), "Europe/Moscow") == expected


# -- escalation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "users", "expected"),
    [
        (MANAGER, USERS, [LEAD.id]),
        (MANAGER, (MANAGER, LEAD, replace(LEAD, id=9), ADMIN), [LEAD.id, 9]),
        (MANAGER, (MANAGER, replace(LEAD, team_id=11), ADMIN), [ADMIN.id]),
        (MANAGER, (MANAGER, replace(LEAD, is_active=False), ADMIN, ADMIN2), [ADMIN.id, ADMIN2.id]),
        (LONER, (LONER, LEAD, ADMIN), [ADMIN.id]),
        (LEAD, (MANAGER, LEAD, ADMIN, ADMIN2), [ADMIN.id, ADMIN2.id]),
        (ADMIN, (MANAGER, LEAD, ADMIN, ADMIN2), [ADMIN2.id]),
        (ADMIN, (MANAGER, LEAD, ADMIN), []),
    ],
)
def test_escalation_targets(owner: UserView, users: tuple[UserView, ...], expected: list[int]) -> None:
    assert [user.id for user in escalation_targets(owner, users)] == expected


# -- before the deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before", "offset"),
    [(10, None), (8, None), (7, 7), (6, 7), (5, 7), (4, 7), (3, 3), (2, 3), (1, 1), (0, 1)],
)
def test_the_most_urgent_reminder_that_is_due(days_before: int, offset: int | None) -> None:
    reminders = of_kind(run(at(DEADLINE - timedelta(days=days_before))), Kind.DEAL_REMINDER)
    if offset is None:
        assert reminders == []
        return
    [reminder] = reminders
    assert reminder.dedupe_key == f"deal:42:inactive-in:{offset}d:2027-01-20"
    assert reminder.recipient_id == MANAGER.id
    assert reminder.payload == {"deal_id": 42, "days_left": offset, "deadline_day": "2027-01-20"}


def test_reminders_fire_exactly_7_3_and_1_days_before() -> None:
    first_seen: dict[str, int] = {}
    for days_before in range(12, -1, -1):
        for hour in (0, 9, 15, 23):
            for n in of_kind(run(at(DEADLINE - timedelta(days=days_before), hour)), Kind.DEAL_REMINDER):
                first_seen.setdefault(n.dedupe_key, days_before)
    assert sorted(first_seen.values(), reverse=True) == [7, 3, 1]


def test_a_reminder_is_due_from_midnight_and_waits_for_the_morning() -> None:
    day = DEADLINE - timedelta(days=3)
    assert of_kind(run(at(day - timedelta(days=1), 23, 59)), Kind.DEAL_REMINDER)[0].payload["days_left"] == 7
    [reminder] = of_kind(run(at(day, 0, 0)), Kind.DEAL_REMINDER)
    assert reminder.payload["days_left"] == 3
    assert reminder.send_after == at(day, 9)
    no_quiet = replace(SETTINGS, quiet_hours=None)
    [early] = of_kind(run(at(day, 0, 5), settings=no_quiet), Kind.DEAL_REMINDER)
    assert early.send_after == at(day, 0, 5)


def test_after_downtime_only_the_most_urgent_missed_reminder_is_sent() -> None:
    [reminder] = of_kind(run(at(DEADLINE, 15)), Kind.DEAL_REMINDER)
    assert reminder.dedupe_key == "deal:42:inactive-in:1d:2027-01-20"
    assert reminder.send_after == at(DEADLINE, 15)


def test_no_reminders_when_none_are_configured() -> None:
    settings = replace(SETTINGS, remind_before_days=())
    assert of_kind(run(at(DEADLINE - timedelta(days=1)), settings=settings), Kind.DEAL_REMINDER) == []


def test_a_qualifying_interaction_moves_the_deadline_and_the_keys() -> None:
    moved = replace(DEAL, last_qualifying_at=BASIS + timedelta(days=5))
    [reminder] = of_kind(run(at(DEADLINE - timedelta(days=1)), deals=(moved,)), Kind.DEAL_REMINDER)
    assert reminder.dedupe_key == "deal:42:inactive-in:7d:2027-01-25"


@pytest.mark.parametrize(
    ("basis", "deadline"),
    [
        (datetime(2026, 12, 31, 10, 0, tzinfo=MSK), date(2027, 2, 28)),
        (datetime(2027, 12, 31, 10, 0, tzinfo=MSK), date(2028, 2, 29)),
        (datetime(2026, 12, 30, 23, 0, tzinfo=MSK), date(2027, 2, 28)),
        # 31 Dec 22:00 UTC is already 1 Jan in Moscow: the manager's calendar decides.
        (datetime(2026, 12, 31, 22, 0, tzinfo=UTC), date(2027, 3, 1)),
    ],
)
def test_deadlines_are_calendar_months(basis: datetime, deadline: date) -> None:
    deal = replace(DEAL, last_qualifying_at=basis)
    [reminder] = of_kind(run(at(deadline - timedelta(days=1)), deals=(deal,)), Kind.DEAL_REMINDER)
    assert reminder.payload["deadline_day"] == deadline.isoformat()


def test_the_creation_date_starts_the_period_without_a_qualifying_interaction() -> None:
    deal = replace(DEAL, last_qualifying_at=None, created_at=BASIS)
    [reminder] = of_kind(run(at(DEADLINE - timedelta(days=7)), deals=(deal,)), Kind.DEAL_REMINDER)
    assert reminder.payload["deadline_day"] == "2027-01-20"


def test_a_stage_period_shortens_the_deadline() -> None:
    deal = replace(DEAL, stage_period_months=1)
    [reminder] = of_kind(run(at(date(2026, 12, 17)), deals=(deal,)), Kind.DEAL_REMINDER)
    assert reminder.dedupe_key == "deal:42:inactive-in:3d:2026-12-20"


# -- at the deadline ----------------------------------------------------------------------------


def test_at_the_deadline_the_manager_is_told_and_the_lead_gets_the_digest() -> None:
    now = at(DEADLINE + timedelta(days=1), 9, 30)
    notes = run(now)
    [inactive] = of_kind(notes, Kind.DEAL_INACTIVE)
    assert inactive.recipient_id == MANAGER.id
    assert inactive.dedupe_key == "deal:42:inactive:2027-01-20"
    assert inactive.payload == {"deal_id": 42, "deadline_day": "2027-01-20"}
    assert inactive.send_after == now
    [digest] = of_kind(notes, Kind.TEAM_INACTIVE_DIGEST)
    assert digest.recipient_id == LEAD.id
    assert digest.dedupe_key == "team-digest:2:2027-01-21"
    assert digest.payload == {"deal_ids": [42], "day": "2027-01-21"}
    assert of_kind(notes, Kind.TEAM_INACTIVE_ALERT) == []
    assert of_kind(notes, Kind.DEAL_REMINDER) == []


def test_the_inactivity_notice_waits_for_the_morning_after_the_deadline_day() -> None:
    [inactive] = of_kind(run(at(DEADLINE + timedelta(days=1), 0, 1)), Kind.DEAL_INACTIVE)
    assert inactive.send_after == at(DEADLINE + timedelta(days=1), 9)
    assert of_kind(run(at(DEADLINE, 23, 59)), Kind.DEAL_INACTIVE) == []


def test_immediate_mode_alerts_the_lead_per_deal() -> None:
    settings = replace(SETTINGS, team_lead_alerts=AlertMode.IMMEDIATE)
    notes = run(at(DEADLINE + timedelta(days=1), 3), settings=settings)
    [alert] = of_kind(notes, Kind.TEAM_INACTIVE_ALERT)
    assert alert.recipient_id == LEAD.id
    assert alert.dedupe_key == "deal:42:inactive-alert:2:2027-01-20"
    assert alert.send_after == at(DEADLINE + timedelta(days=1), 9)
    assert of_kind(notes, Kind.TEAM_INACTIVE_DIGEST) == []
    assert len(of_kind(notes, Kind.DEAL_INACTIVE)) == 1


@pytest.mark.parametrize(("days_after", "told"), [(1, True), (7, True), (8, False)])
def test_the_inactivity_notice_is_returned_for_the_lookback(days_after: int, told: bool) -> None:
    notes = run(at(DEADLINE + timedelta(days=days_after), 12))
    assert bool(of_kind(notes, Kind.DEAL_INACTIVE)) is told


def test_a_team_leads_own_deal_escalates_to_an_admin() -> None:
    deal = replace(DEAL, responsible_id=LEAD.id)
    settings = replace(SETTINGS, team_lead_alerts=AlertMode.IMMEDIATE)
    notes = run(at(DEADLINE + timedelta(days=1), 12), deals=(deal,), settings=settings)
    assert {(n.kind, n.recipient_id) for n in notes if n.kind is not Kind.MORNING_DIGEST} == {
        (Kind.DEAL_INACTIVE, LEAD.id),
        (Kind.TEAM_INACTIVE_ALERT, ADMIN.id),
    }
    digest_mode = run(at(DEADLINE + timedelta(days=1), 12), deals=(deal,))
    assert [n.recipient_id for n in of_kind(digest_mode, Kind.TEAM_INACTIVE_DIGEST)] == [ADMIN.id]


def test_deactivated_or_unreachable_recipients_get_nothing_but_the_lead_still_hears() -> None:
    for manager in (replace(MANAGER, is_active=False), replace(MANAGER, is_reachable=False)):
        users = (manager, LEAD, ADMIN)
        assert run(at(DEADLINE - timedelta(days=7)), users=users) == []
        notes = run(at(DEADLINE + timedelta(days=1), 12), users=users)
        assert [(n.kind, n.recipient_id) for n in notes] == [(Kind.TEAM_INACTIVE_DIGEST, LEAD.id)]
    blocked_lead = (MANAGER, replace(LEAD, is_reachable=False), ADMIN)
    notes = run(at(DEADLINE + timedelta(days=1), 12), users=blocked_lead)
    assert of_kind(notes, Kind.TEAM_INACTIVE_DIGEST) == []


def test_closed_deals_and_unknown_managers_are_ignored() -> None:
    assert run(at(DEADLINE), deals=(replace(DEAL, status=DealStatus.WON),)) == []
    assert run(at(DEADLINE), deals=(replace(DEAL, status=DealStatus.LOST),)) == []
    assert run(at(DEADLINE), deals=(replace(DEAL, responsible_id=999),)) == []


# -- team digests -------------------------------------------------------------------------------


def test_each_deal_is_in_exactly_one_team_digest() -> None:
    # Deal 42 goes inactive at 00:00 on 21 Jan; deal 43 at 00:00 on 22 Jan (Moscow).
    later = replace(DEAL, id=43, last_qualifying_at=BASIS + timedelta(days=1))
    deals = (DEAL, later)
    before_digest = run(at(date(2027, 1, 21), 8, 59), deals=deals)
    assert of_kind(before_digest, Kind.TEAM_INACTIVE_DIGEST) == []
    on_21 = of_kind(run(at(date(2027, 1, 21), 9), deals=deals), Kind.TEAM_INACTIVE_DIGEST)
    assert [(n.dedupe_key, n.payload["deal_ids"]) for n in on_21] == [("team-digest:2:2027-01-21", [42])]
    on_22 = of_kind(run(at(date(2027, 1, 22), 9), deals=deals), Kind.TEAM_INACTIVE_DIGEST)
    assert [(n.dedupe_key, n.payload["deal_ids"]) for n in on_22] == [
        ("team-digest:2:2027-01-21", [42]),
        ("team-digest:2:2027-01-22", [43]),
    ]
    assert on_22[1].send_after == at(date(2027, 1, 22), 9)


def test_a_missed_team_digest_is_caught_up_after_downtime() -> None:
    notes = of_kind(run(at(date(2027, 1, 25), 12)), Kind.TEAM_INACTIVE_DIGEST)
    assert [(n.dedupe_key, n.send_after) for n in notes] == [
        ("team-digest:2:2027-01-21", at(date(2027, 1, 25), 12))
    ]
    assert of_kind(run(at(date(2027, 1, 27), 12)), Kind.TEAM_INACTIVE_DIGEST) == []


# -- incorrect deals ----------------------------------------------------------------------------


def test_an_incorrect_deal_is_reported_once_per_problem_set_and_gets_no_reminders() -> None:
    broken = replace(DEAL, problems=("product_lines", "comment"))
    notes = run(at(DEADLINE - timedelta(days=3), 12), deals=(broken,))
    assert [n.kind for n in notes] == [Kind.DEAL_INCORRECT, Kind.MORNING_DIGEST]
    incorrect = notes[0]
    assert incorrect.dedupe_key == "deal:42:incorrect:comment,product_lines"
    assert incorrect.payload == {"deal_id": 42, "problems": ["comment", "product_lines"]}
    assert notes[1].payload["deal_ids_incorrect"] == [42]
    again = run(at(DEADLINE + timedelta(days=3), 22), deals=(replace(broken, problems=("comment",)),))
    [other] = of_kind(again, Kind.DEAL_INCORRECT)
    assert other.dedupe_key == "deal:42:incorrect:comment"
    assert other.send_after == at(DEADLINE + timedelta(days=4), 9)
    unreachable = (replace(MANAGER, is_reachable=False), LEAD, ADMIN)
    assert run(at(DEADLINE, 12), deals=(broken,), users=unreachable) == []


def test_deal_view_from_a_snapshot_carries_r2f_problems() -> None:
    snapshot = DealSnapshot(
        product_group_id=3,
        stage_id=1,
        contact_id=7,
        comment="ок",
        lines=[ProductLine(product_id=11, amount=Decimal("10"))],
        status=DealStatus.OPEN,
        last_qualifying_at=BASIS,
        created_at=BASIS,
        stage_period_months=1,
    )
    view = DealView.of(5, 1, snapshot)
    assert view == DealView(5, 1, DealStatus.OPEN, BASIS, BASIS, 1, ("comment",))


# -- morning digest -----------------------------------------------------------------------------


def task(task_id: int, due: datetime, assignee: int = MANAGER.id, done: bool = False) -> TaskView:
    return TaskView(id=task_id, assignee_id=assignee, due_at=due, done=done)


def test_morning_digest_lists_tasks_deals_at_risk_and_incorrect_deals() -> None:
    today = DEADLINE - timedelta(days=5)
    tasks = (
        task(1, at(today, 15)),
        task(2, at(today - timedelta(days=2), 15)),
        task(3, at(today + timedelta(days=1), 15)),
        task(4, at(today, 8), done=True),
        task(5, at(today, 7)),
    )
    deals = (
        DEAL,
        replace(DEAL, id=50, problems=("comment",)),
        replace(DEAL, id=51, last_qualifying_at=BASIS + timedelta(days=9)),
    )
    [digest] = of_kind(run(at(today, 9), deals=deals, tasks=tasks), Kind.MORNING_DIGEST)
    assert digest.recipient_id == MANAGER.id
    assert digest.dedupe_key == f"digest:1:{today.isoformat()}"
    assert digest.send_after == at(today, 9)
    assert digest.payload == {
        "task_ids_today": [5, 1],
        "task_ids_overdue": [2],
        "deal_ids_at_risk": [42],
        "deal_ids_incorrect": [50],
    }


def test_no_digest_when_there_is_nothing_to_say() -> None:
    far = replace(DEAL, last_qualifying_at=BASIS + timedelta(days=20))
    notes = run(
        at(DEADLINE - timedelta(days=5), 9), deals=(far,), tasks=(task(1, at(DEADLINE, 9), done=True),)
    )
    assert notes == []


@pytest.mark.parametrize(
    ("hour", "minute", "due"),
    [(8, 59, False), (9, 0, True), (19, 59, True), (20, 0, False), (23, 0, False)],
)
def test_the_digest_is_due_from_9_until_the_evening(hour: int, minute: int, due: bool) -> None:
    now = at(DEADLINE - timedelta(days=2), hour, minute)
    assert bool(of_kind(run(now), Kind.MORNING_DIGEST)) is due
    assert (morning_digest_key(MANAGER, now, SETTINGS) is not None) is due


def test_managers_in_vladivostok_and_kaliningrad_get_the_digest_at_their_own_nine() -> None:
    east = UserView(7, Role.MANAGER, team_id=10, timezone="Asia/Vladivostok")
    west = UserView(8, Role.MANAGER, team_id=10, timezone="Europe/Kaliningrad")
    day = date(2027, 1, 20)
    tasks = (task(1, at(day, 12, zone=VVO), east.id), task(2, at(day, 12, zone=KGD), west.id))
    users = (east, west, LEAD)
    at_east_nine = run(at(day, 9, zone=VVO), deals=(), tasks=tasks, users=users)
    [east_digest] = of_kind(at_east_nine, Kind.MORNING_DIGEST)
    assert east_digest.recipient_id == east.id
    assert east_digest.payload["task_ids_today"] == [1]
    at_west_nine = run(at(day, 9, zone=KGD), deals=(), tasks=tasks, users=users)
    digests = {n.recipient_id: n for n in of_kind(at_west_nine, Kind.MORNING_DIGEST)}
    assert set(digests) == {east.id, west.id}
    west_digest = digests[west.id]
    assert west_digest.payload["task_ids_today"] == [2]
    assert east_digest.send_after == datetime(2027, 1, 19, 23, 0, tzinfo=UTC)
    assert west_digest.send_after == datetime(2027, 1, 20, 7, 0, tzinfo=UTC)
    # Vladivostok is UTC+10 and Kaliningrad UTC+2: the same 09:00 is eight hours apart.
    assert west_digest.send_after - east_digest.send_after == timedelta(hours=8)


def test_a_custom_digest_time() -> None:
    settings = replace(SETTINGS, digest_time=time(10, 30))
    now = at(DEADLINE - timedelta(days=2), 10, 0)
    assert of_kind(run(now, settings=settings), Kind.MORNING_DIGEST) == []
    [digest] = of_kind(run(now + timedelta(minutes=30), settings=settings), Kind.MORNING_DIGEST)
    assert digest.send_after == now + timedelta(minutes=30)


# -- tasks --------------------------------------------------------------------------------------


def test_a_task_reminds_its_assignee_at_its_due_time() -> None:
    due = at(date(2027, 1, 5), 15)
    tasks = (task(7, due),)
    assert of_kind(run(due - timedelta(seconds=1), deals=(), tasks=tasks), Kind.TASK_DUE) == []
    [reminder] = of_kind(run(due, deals=(), tasks=tasks), Kind.TASK_DUE)
    assert reminder.dedupe_key == "task:7:due:2027-01-05T12:00:00+00:00"
    assert reminder.payload == {"task_id": 7, "due_at": "2027-01-05T12:00:00+00:00"}
    assert reminder.send_after == due
    ahead = replace(SETTINGS, task_lookahead=timedelta(minutes=5))
    [early] = of_kind(run(due - timedelta(minutes=4), deals=(), tasks=tasks, settings=ahead), Kind.TASK_DUE)
    assert early.send_after == due


def test_a_task_due_at_23_waits_for_9() -> None:
    due = at(date(2027, 1, 5), 23)
    [reminder] = of_kind(run(due, deals=(), tasks=(task(7, due),)), Kind.TASK_DUE)
    assert reminder.send_after == at(date(2027, 1, 6), 9)


@pytest.mark.parametrize(
    ("tasks", "users"),
    [
        ((task(7, at(date(2027, 1, 5), 15), done=True),), USERS),
        ((task(7, at(date(2027, 1, 5), 15), assignee=999),), USERS),
        ((task(7, at(date(2027, 1, 5), 15)),), (replace(MANAGER, is_active=False), LEAD)),
        ((task(7, at(date(2026, 12, 28), 15)),), USERS),
    ],
)
def test_tasks_that_do_not_remind(tasks: tuple[TaskView, ...], users: tuple[UserView, ...]) -> None:
    assert of_kind(run(at(date(2027, 1, 5), 16), deals=(), tasks=tasks, users=users), Kind.TASK_DUE) == []


# -- the function -------------------------------------------------------------------------------


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        run(datetime(2027, 1, 5, 12, 0))


def test_notifications_are_ordered_by_send_after_then_key() -> None:
    deals = (replace(DEAL, id=60), DEAL, replace(DEAL, id=61, problems=("comment",)))
    notes = run(at(DEADLINE - timedelta(days=3), 12), deals=deals)
    assert notes == sorted(notes, key=lambda n: (n.send_after, n.dedupe_key))
    assert [n.kind for n in notes].count(Kind.DEAL_REMINDER) == 2


@pytest.mark.parametrize(
    ("remind", "risk", "lookback", "horizon", "catchup"),
    [((7, 3, 1), 7, 7, 7, 4), ((14, 1), 7, 2, 14, 0), ((), 5, 10, 5, 7)],
)
def test_settings_windows(
    remind: tuple[int, ...], risk: int, lookback: int, horizon: int, catchup: int
) -> None:
    settings = ReminderSettings(remind_before_days=remind, at_risk_days=risk, lookback_days=lookback)
    assert settings.horizon_days == horizon
    assert settings.team_digest_catchup_days == catchup
