"""Reminders and alerts: which notifications are due at a moment (SPEC "Reminders and alerts").

One pure function, :func:`due_notifications`, takes ``now``, the candidate deals, tasks and users
and the settings, and returns every notification that is due. It keeps no state: the caller (the
sweep) inserts each one into the outbox under its **dedupe key** and ignores keys that already
exist, so the policy may, and does, return the same notification on every sweep while it stays
relevant. That is what makes downtime harmless: whatever became due while the bot was down is
returned by the first sweep after the restart.

Decisions (all times are read on the recipient's own clock, ``UserView.timezone`` or the default):

- **Before the deadline.** The deadline day is R2h's last active day
  (:func:`domain.deals.inactivity_deadline_day` on the responsible manager's calendar). The
  reminder "N days before" is due from the start (00:00) of ``deadline_day - N``; quiet hours then
  move it to the morning. It stays relevant until the deadline passes. When several are due at
  once (after downtime, or a stage period shorter than the first offset), only the most urgent one,
  the smallest N, is returned: a manager never gets 7, 3 and 1 together. With daily sweeps the
  set of returned keys therefore changes exactly on the days N = 7, 3, 1 before.
- **At the deadline.** ``deal_inactive`` to the manager is due from the first moment after the
  deadline day and is returned for ``lookback_days`` days after it, so a restart within that
  time still delivers it. Reminders and the inactivity notice are about the R2h deadline of a
  *correct* deal: an incorrect deal is inactive anyway (R2g) and gets ``deal_incorrect`` instead.
- **Team lead.** Who hears about a deal going inactive (:func:`escalation_targets`): the active
  team leads of the manager's team; when the responsible is a team lead or an admin, or the team
  has no active lead, the active admins (never the responsible themselves). In ``immediate`` mode
  each gets one ``team_inactive_alert`` per deal. In ``digest`` mode each gets at most one
  ``team_inactive_digest`` per local day D, sent at ``digest_time`` on D, listing the deals whose
  inactivity began in ``[digest time of D-1, digest time of D)`` on the recipient's clock: every
  deal falls into exactly one digest. Digests of the last ``lookback_days - 3`` days are still
  returned (with those windows) so that downtime loses none; the dedupe key stops repeats.
- **Incorrect deals (R2f)**: ``deal_incorrect`` at once, once per distinct set of problems (the
  key holds the sorted field codes), and the deal is listed in the manager's morning digest while
  it stays incorrect.
- **Tasks**: ``task_due`` at the task's due time (it may be queued ``task_lookahead`` early so
  that it leaves on time), returned for ``lookback_days`` after it while not done.
- **Morning digest**: at ``digest_time`` local, one per user per local day, with today's tasks,
  overdue tasks (due before today), correct deals whose deadline is 0–``at_risk_days`` days away
  and incorrect deals. Nothing when all four are empty. If the day's digest could only leave
  after the day is over (the sweep first ran in the evening quiet hours), it is dropped: the next
  morning's digest says the same, and more recently.
- **Quiet hours** ``(start, end)``: nothing is sent in ``[start, end)`` local; a window whose start
  is after its end crosses midnight (20:00–09:00). ``send_after`` of a notification is the later of
  the moment it became due and ``now``, moved to the end of the quiet window when it falls inside.
- **Recipients** who are deactivated or unreachable (the bot got 403) get nothing; a deal's team
  lead still hears about it when its manager is gone.

Payloads hold ids, numbers and ISO dates only: texts are rendered at send time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.access import Role
from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy
from domain.deals import (
    AT_RISK_DAYS,
    DealSnapshot,
    DealStatus,
    effective_period_months,
    inactivity_deadline_day,
    is_at_risk,
    missing_fields,
)

__all__ = [
    "AlertMode",
    "DealView",
    "Kind",
    "Notification",
    "ReminderSettings",
    "TaskView",
    "UserView",
    "due_notifications",
    "escalation_targets",
    "morning_digest_key",
    "quiet_release",
    "zone_of",
]


class Kind(StrEnum):
    """Notification kinds: the contract between the sweep and the sender."""

    DEAL_REMINDER = "deal_reminder"
    DEAL_INACTIVE = "deal_inactive"
    TEAM_INACTIVE_ALERT = "team_inactive_alert"
    TEAM_INACTIVE_DIGEST = "team_inactive_digest"
    DEAL_INCORRECT = "deal_incorrect"
    TASK_DUE = "task_due"
    MORNING_DIGEST = "morning_digest"
    WEEKLY_REPORT = "weekly_report"


class AlertMode(StrEnum):
    """How a team lead hears about newly inactive deals."""

    DIGEST = "digest"
    IMMEDIATE = "immediate"


@dataclass(frozen=True)
class UserView:
    """A possible recipient: role and team for escalation, the zone for the clock."""

    id: int
    role: Role
    team_id: int | None
    timezone: str | None
    is_active: bool = True
    is_reachable: bool = True
    weekly_report: bool = True

    @property
    def reachable(self) -> bool:
        return self.is_active and self.is_reachable


@dataclass(frozen=True)
class DealView:
    """What the policy needs of a deal. ``problems`` are R2f's missing fields (empty: correct)."""

    id: int
    responsible_id: int
    status: DealStatus
    last_qualifying_at: datetime | None
    created_at: datetime
    stage_period_months: int | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        deal_id: int,
        responsible_id: int,
        snapshot: DealSnapshot,
        policy: CommentPolicy = DEFAULT_COMMENT_POLICY,
    ) -> DealView:
        """From R2's snapshot: the problems are :func:`domain.deals.missing_fields`."""
        return cls(
            id=deal_id,
            responsible_id=responsible_id,
            status=snapshot.status,
            last_qualifying_at=snapshot.last_qualifying_at,
            created_at=snapshot.created_at,
            stage_period_months=snapshot.stage_period_months,
            problems=tuple(missing_fields(snapshot, policy)),
        )


@dataclass(frozen=True)
class TaskView:
    id: int
    assignee_id: int
    due_at: datetime
    done: bool = False


@dataclass(frozen=True)
class ReminderSettings:
    """The policy's configuration (``bot.settings.Settings`` maps onto it)."""

    remind_before_days: tuple[int, ...] = (7, 3, 1)
    quiet_hours: tuple[time, time] | None = (time(20, 0), time(9, 0))
    default_timezone: str = "Europe/Moscow"
    period_months: int = 2
    team_lead_alerts: AlertMode = AlertMode.DIGEST
    digest_time: time = time(9, 0)
    at_risk_days: int = AT_RISK_DAYS
    lookback_days: int = 7
    task_lookahead: timedelta = timedelta(0)

    @property
    def horizon_days(self) -> int:
        """How far ahead of a deadline the policy looks: the first reminder or the digest's horizon."""
        return max((*self.remind_before_days, self.at_risk_days))

    @property
    def team_digest_catchup_days(self) -> int:
        """Past days whose team digest is still returned: their windows lie within the lookback."""
        return max(self.lookback_days - 3, 0)


@dataclass(frozen=True)
class Notification:
    """One outbox row to be: ``send_after`` is aware UTC."""

    recipient_id: int
    kind: Kind
    payload: dict[str, object] = field(compare=True, hash=False)
    dedupe_key: str
    send_after: datetime


def zone_of(user: UserView, default_timezone: str) -> ZoneInfo:
    """The user's zone; an unknown or empty one falls back to the default."""
    if user.timezone:
        try:
            return ZoneInfo(user.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(default_timezone)


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def quiet_release(moment: datetime, zone: tzinfo, quiet: tuple[time, time] | None) -> datetime:
    """The first moment at or after ``moment`` outside the quiet window on ``zone``'s clock, in UTC.

    ``quiet`` is ``(start, end)``: quiet from ``start`` included to ``end`` excluded; when start is
    after end the window crosses midnight. No window, or an empty one, changes nothing.
    """
    if quiet is None or quiet[0] == quiet[1]:
        return moment.astimezone(UTC)
    start, end = quiet
    local = moment.astimezone(zone)
    clock = local.time()
    day = local.date()
    if start > end:
        if clock >= start:
            release = datetime.combine(day + timedelta(days=1), end, tzinfo=zone)
        elif clock < end:
            release = datetime.combine(day, end, tzinfo=zone)
        else:
            return moment.astimezone(UTC)
    elif start <= clock < end:
        release = datetime.combine(day, end, tzinfo=zone)
    else:
        return moment.astimezone(UTC)
    return release.astimezone(UTC)


def escalation_targets(owner: UserView, users: Iterable[UserView]) -> list[UserView]:
    """Who hears that ``owner``'s deal went inactive (reachable or not; the caller filters).

    A manager's active team leads; a team lead's or an admin's own deal, or a manager whose team
    has no active lead, escalates to the active admins. Never the owner themselves.
    """
    everyone = [user for user in users if user.is_active and user.id != owner.id]
    if owner.role is Role.MANAGER and owner.team_id is not None:
        leads = [u for u in everyone if u.role is Role.TEAM_LEAD and u.team_id == owner.team_id]
        if leads:
            return leads
    return [user for user in everyone if user.role is Role.ADMIN]


def morning_digest_key(user: UserView, now: datetime, settings: ReminderSettings) -> str | None:
    """The dedupe key of ``user``'s morning digest when one is due at ``now``, else ``None``.

    Due from ``digest_time`` on the user's clock, for the rest of that day as long as it can leave
    that day (outside the evening quiet hours): a later one would repeat the next morning's.
    Reachable users only. The sweep uses it to load a digest's material only for digests not yet
    queued.
    """
    if not user.reachable:
        return None
    zone = zone_of(user, settings.default_timezone)
    today = now.astimezone(zone).date()
    if now < datetime.combine(today, settings.digest_time, tzinfo=zone):
        return None
    if quiet_release(now, zone, settings.quiet_hours).astimezone(zone).date() != today:
        return None
    return f"digest:{user.id}:{today.isoformat()}"


def weekly_report_key(user: UserView, now: datetime, settings: ReminderSettings) -> str | None:
    """The dedupe key of ``user``'s weekly report when one is due at ``now``, else ``None`` (seed 001/003
    reports).

    A team lead in a team (the team's report) and an admin (the company's) get it on Monday from
    ``digest_time`` on their own clock, for the rest of Monday as long as it can leave that day; unless
    they switched it off in /settings. One per ISO week: the key names the week.
    """
    if not user.reachable or not user.weekly_report:
        return None
    if not (user.role is Role.ADMIN or (user.role is Role.TEAM_LEAD and user.team_id is not None)):
        return None
    zone = zone_of(user, settings.default_timezone)
    today = now.astimezone(zone).date()
    if today.weekday() != 0 or now < datetime.combine(today, settings.digest_time, tzinfo=zone):
        return None
    if quiet_release(now, zone, settings.quiet_hours).astimezone(zone).date() != today:
        return None
    year, week, _ = today.isocalendar()
    return f"weekly:{user.id}:{year}-W{week:02d}"


class _Policy:
    """One evaluation of the policy; collects notifications and the digests' material."""

    def __init__(self, now: datetime, users: Sequence[UserView], settings: ReminderSettings) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        self.now = now.astimezone(UTC)
        self.users = users
        self.by_id = {user.id: user for user in users}
        self.settings = settings
        self.out: list[Notification] = []
        self.team_items: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        self.at_risk: dict[int, list[int]] = defaultdict(list)
        self.incorrect: dict[int, list[int]] = defaultdict(list)

    def zone(self, user: UserView) -> ZoneInfo:
        return zone_of(user, self.settings.default_timezone)

    def add(
        self, user: UserView, kind: Kind, key: str, payload: dict[str, object], due: datetime
    ) -> Notification:
        send_after = quiet_release(max(due, self.now), self.zone(user), self.settings.quiet_hours)
        notification = Notification(user.id, kind, payload, key, send_after)
        self.out.append(notification)
        return notification

    # -- deals -----------------------------------------------------------------------------------

    def deal(self, deal: DealView) -> None:
        owner = self.by_id.get(deal.responsible_id)
        if deal.status is not DealStatus.OPEN or owner is None:
            return
        if deal.problems:
            self.incorrect[owner.id].append(deal.id)
            if owner.reachable:
                problems = sorted(deal.problems)
                self.add(
                    owner,
                    Kind.DEAL_INCORRECT,
                    f"deal:{deal.id}:incorrect:{','.join(problems)}",
                    {"deal_id": deal.id, "problems": problems},
                    self.now,
                )
            return
        zone = self.zone(owner)
        basis = deal.last_qualifying_at or deal.created_at
        period = effective_period_months(self.settings.period_months, deal.stage_period_months)
        day = inactivity_deadline_day(basis, period, zone)
        assert day is not None
        days_left = (day - self.now.astimezone(zone).date()).days
        if days_left >= 0:
            if is_at_risk(True, days_left, self.settings.at_risk_days):
                self.at_risk[owner.id].append(deal.id)
            self.reminder(deal, owner, zone, day, days_left)
        elif -days_left <= self.settings.lookback_days:
            self.inactive(deal, owner, _start_of(day + timedelta(days=1), zone), day)

    def reminder(self, deal: DealView, owner: UserView, zone: tzinfo, day: date, days_left: int) -> None:
        due_offsets = [n for n in self.settings.remind_before_days if n >= days_left]
        if not due_offsets or not owner.reachable:
            return
        n = min(due_offsets)
        self.add(
            owner,
            Kind.DEAL_REMINDER,
            f"deal:{deal.id}:inactive-in:{n}d:{day.isoformat()}",
            {"deal_id": deal.id, "days_left": n, "deadline_day": day.isoformat()},
            _start_of(day - timedelta(days=n), zone),
        )

    def inactive(self, deal: DealView, owner: UserView, inactive_at: datetime, day: date) -> None:
        payload: dict[str, object] = {"deal_id": deal.id, "deadline_day": day.isoformat()}
        if owner.reachable:
            self.add(
                owner, Kind.DEAL_INACTIVE, f"deal:{deal.id}:inactive:{day.isoformat()}", payload, inactive_at
            )
        for target in escalation_targets(owner, self.users):
            if not target.reachable:
                continue
            if self.settings.team_lead_alerts is AlertMode.IMMEDIATE:
                self.add(
                    target,
                    Kind.TEAM_INACTIVE_ALERT,
                    f"deal:{deal.id}:inactive-alert:{target.id}:{day.isoformat()}",
                    dict(payload),
                    inactive_at,
                )
            else:
                self.team_items[target.id].append((inactive_at, deal.id))

    # -- digests ---------------------------------------------------------------------------------

    def digest_moment(self, day: date, zone: tzinfo) -> datetime:
        return datetime.combine(day, self.settings.digest_time, tzinfo=zone)

    def team_digests(self) -> None:
        for recipient_id, items in sorted(self.team_items.items()):
            recipient = self.by_id[recipient_id]
            zone = self.zone(recipient)
            today = self.now.astimezone(zone).date()
            for back in range(self.settings.team_digest_catchup_days + 1):
                day = today - timedelta(days=back)
                closes = self.digest_moment(day, zone)
                if closes > self.now:
                    continue
                opens = self.digest_moment(day - timedelta(days=1), zone)
                deal_ids = sorted(deal_id for at, deal_id in items if opens <= at < closes)
                if deal_ids:
                    self.add(
                        recipient,
                        Kind.TEAM_INACTIVE_DIGEST,
                        f"team-digest:{recipient.id}:{day.isoformat()}",
                        {"deal_ids": deal_ids, "day": day.isoformat()},
                        closes,
                    )

    def morning_digests(self, tasks: Iterable[TaskView]) -> None:
        open_tasks: dict[int, list[TaskView]] = defaultdict(list)
        for task in tasks:
            if not task.done:
                open_tasks[task.assignee_id].append(task)
        for user in self.users:
            key = morning_digest_key(user, self.now, self.settings)
            if key is None:
                continue
            zone = self.zone(user)
            today = self.now.astimezone(zone).date()
            mine = sorted(open_tasks.get(user.id, []), key=lambda t: (t.due_at, t.id))
            payload: dict[str, object] = {
                "task_ids_today": [t.id for t in mine if t.due_at.astimezone(zone).date() == today],
                "task_ids_overdue": [t.id for t in mine if t.due_at.astimezone(zone).date() < today],
                "deal_ids_at_risk": sorted(self.at_risk.get(user.id, [])),
                "deal_ids_incorrect": sorted(self.incorrect.get(user.id, [])),
            }
            if any(payload.values()):
                self.add(user, Kind.MORNING_DIGEST, key, payload, self.digest_moment(today, zone))

    def weekly_reports(self) -> None:
        """The week just ended (Monday to Sunday), for each team lead and admin due one."""
        for user in self.users:
            key = weekly_report_key(user, self.now, self.settings)
            if key is None:
                continue
            zone = self.zone(user)
            today = self.now.astimezone(zone).date()
            payload: dict[str, object] = {"first": (today - timedelta(days=7)).isoformat()}
            self.add(user, Kind.WEEKLY_REPORT, key, payload, self.digest_moment(today, zone))

    # -- tasks -----------------------------------------------------------------------------------

    def task(self, task: TaskView) -> None:
        assignee = self.by_id.get(task.assignee_id)
        if task.done or assignee is None or not assignee.reachable:
            return
        if self.now < task.due_at - self.settings.task_lookahead:
            return
        if self.now - task.due_at > timedelta(days=self.settings.lookback_days):
            return
        due_iso = task.due_at.astimezone(UTC).isoformat()
        self.add(
            assignee,
            Kind.TASK_DUE,
            f"task:{task.id}:due:{due_iso}",
            {"task_id": task.id, "due_at": due_iso},
            task.due_at,
        )


def due_notifications(
    now: datetime,
    deals: Iterable[DealView],
    tasks: Iterable[TaskView],
    users: Iterable[UserView],
    settings: ReminderSettings,
) -> list[Notification]:
    """Every notification due at ``now`` (aware), ordered by ``send_after`` then dedupe key.

    ``deals`` and ``tasks`` may be any superset of the relevant ones (the sweep passes candidates
    narrowed by indexed date ranges); ``users`` must hold every user the policy may name: the
    deals' managers, their team leads and the admins. See the module docstring for the rules.
    """
    task_list = list(tasks)
    policy = _Policy(now, list(users), settings)
    for deal in sorted(deals, key=lambda d: d.id):
        policy.deal(deal)
    policy.team_digests()
    policy.morning_digests(task_list)
    policy.weekly_reports()
    for task in sorted(task_list, key=lambda t: t.id):
        policy.task(task)
    return sorted(policy.out, key=lambda n: (n.send_after, n.dedupe_key))
