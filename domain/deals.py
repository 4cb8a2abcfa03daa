"""R2: deals, their correctness and their activity.

R2d: a deal is made only from a lead and is bound to the lead's contact.
R2e: every deal is correct or incorrect, and active or inactive.
R2f: correct means every required field is filled and valid: product group, current stage,
contact, an expanded comment (R3d) and product lines, each with a product and an amount above 0.
R2g: an incorrect deal is always inactive.
R2h: a correct deal is active until its inactivity deadline: the date of the last qualifying
interaction (R1d) plus the period, 2 calendar months by default, shorter for a stage if an admin
says so. Interactions that do not qualify do not move the deadline.
R2i: a client has at most one open deal per product group; "client" is the client organisation
when there is one, otherwise the contact.

The deadline is a day. «31 Dec + 2 months» is 28 Feb (29 in a leap year): months are calendar
months with the end of the month clamped. The deal stays active through the whole deadline day, so
:func:`inactivity_deadline` returns the first moment after it (midnight at the start of the next
day). That makes the deadline never go backwards when the interaction moves later, even across
the clamp (30 Dec 23:00 and 31 Dec 01:00 both give 28 Feb).

A brand-new deal has no qualifying interaction of its own. It was converted from a lead that had
one (R1d), and the caller passes the latest qualifying moment across the deal and its lead as
``last_qualifying_at``. When there is none, the deal's ``created_at`` starts the period, which
gives an imported or hand-made deal the same grace as a fresh one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from domain.comments import DEFAULT_COMMENT_POLICY, CommentPolicy, check_expanded_text
from domain.dates import add_months

__all__ = [
    "DEFAULT_INACTIVITY_MONTHS",
    "DEFAULT_PIPELINE",
    "REQUIRED_FIELDS",
    "DealSnapshot",
    "DealState",
    "DealStatus",
    "ProductLine",
    "StageSpec",
    "add_months",
    "deal_state",
    "effective_period_months",
    "inactivity_deadline",
    "inactivity_deadline_day",
    "missing_fields",
    "open_deal_key",
    "total_amount",
]

DEFAULT_INACTIVITY_MONTHS = 2
#: R2h: a deal is "at risk" when it is active and its deadline is at most this many days away
#: (``Settings.at_risk_days`` overrides it).
AT_RISK_DAYS = 7


@dataclass(frozen=True)
class StageSpec:
    """A pipeline stage: stable code, display name, and an optional shorter R2h period."""

    code: str
    name: str
    inactivity_months: int | None = None


DEFAULT_PIPELINE: tuple[StageSpec, ...] = (
    StageSpec("identification", "Идентификация лида"),
    StageSpec("qualification", "Квалификация лида"),
    StageSpec("proposal", "Выставление коммерческого предложения"),
    StageSpec("negotiation", "Переговоры"),
    StageSpec("closing", "Закрытие сделки"),
    StageSpec("post_sale", "Последующее обслуживание"),
)


class DealStatus(StrEnum):
    """An open deal moves through the pipeline; won and lost are the terminal outcomes."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    @property
    def is_terminal(self) -> bool:
        return self is not DealStatus.OPEN


REQUIRED_FIELDS: tuple[str, ...] = ("product_group", "stage", "contact", "comment", "product_lines")


@dataclass
class ProductLine:
    """One product of a deal and its amount."""

    product_id: int | None
    amount: Decimal | None


@dataclass
class DealSnapshot:
    """What R2 needs to know about a deal."""

    product_group_id: int | None
    stage_id: int | None
    contact_id: int | None
    comment: str | None
    lines: Sequence[ProductLine]
    status: DealStatus
    last_qualifying_at: datetime | None
    created_at: datetime
    stage_period_months: int | None = None


@dataclass(frozen=True)
class DealState:
    """R2e: correct or not (with the missing fields), active or not, and the R2h deadline.

    ``deadline`` is the moment the deal goes inactive; ``deadline_day`` the last day it is still
    active, and ``days_left`` the days from today to that day (0 on the day itself, negative
    after). A closed deal has neither deadline nor activity.
    """

    correct: bool
    active: bool
    deadline: datetime | None
    days_left: int | None
    problems: tuple[str, ...]
    deadline_day: date | None = None


def _line_is_valid(line: ProductLine) -> bool:
    return line.product_id is not None and line.amount is not None and line.amount > 0


def missing_fields(deal: DealSnapshot, policy: CommentPolicy = DEFAULT_COMMENT_POLICY) -> list[str]:
    """R2f: the required fields that are missing or invalid, as field codes.

    ``product_lines`` is reported when there is no line, or when any line lacks its product or
    has no amount above 0: a half-filled line is an error in filling, which R2f forbids.
    The comment is judged as a single text (R3d).
    """
    problems: list[str] = []
    if deal.product_group_id is None:
        problems.append("product_group")
    if deal.stage_id is None:
        problems.append("stage")
    if deal.contact_id is None:
        problems.append("contact")
    if not check_expanded_text(deal.comment, policy).ok:
        problems.append("comment")
    if not deal.lines or not all(_line_is_valid(line) for line in deal.lines):
        problems.append("product_lines")
    return problems


def effective_period_months(default_months: int, stage_months: int | None) -> int:
    """R2h: the stage's period when an admin set one, which may only shorten the default."""
    return default_months if stage_months is None else min(default_months, stage_months)


def _deadline_day(basis: datetime, period_months: int, tz: tzinfo | None) -> date:
    if period_months < 1:
        raise ValueError("the inactivity period must be at least one month")
    local = basis.astimezone(tz) if tz is not None else basis
    return add_months(local.date(), period_months)


def _first_moment_after(day: date, zone: tzinfo | None) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def inactivity_deadline_day(
    last_qualifying_at: datetime | None, period_months: int, tz: tzinfo | None = None
) -> date | None:
    """R2h: the last day a deal is active: the day of the last qualifying interaction plus the period.

    The day is read on the clock of ``tz`` (by default the timestamp's own zone).
    """
    if last_qualifying_at is None:
        return None
    return _deadline_day(last_qualifying_at, period_months, tz)


def inactivity_deadline(
    last_qualifying_at: datetime | None, period_months: int, tz: tzinfo | None = None
) -> datetime | None:
    """R2h: the moment a deal goes inactive: midnight after :func:`inactivity_deadline_day`.

    In ``tz`` when given, otherwise in the timestamp's own zone.
    """
    if last_qualifying_at is None:
        return None
    day = _deadline_day(last_qualifying_at, period_months, tz)
    return _first_moment_after(day, tz if tz is not None else last_qualifying_at.tzinfo)


def bases_going_inactive(
    period_months: int, start: datetime, end: datetime, zone: tzinfo
) -> tuple[datetime, datetime] | None:
    """R2h inverted: the bases (the last qualifying interaction, or the creation) whose inactivity deadline
    falls in ``[start, end)``, as ``[first, last)`` moments in ``zone``; ``None`` when there are none.

    The deadline is the midnight after the basis's day plus the period, so it never decreases as the basis
    grows, and the bases of the deadlines in a window are the days from the first one whose deadline reaches
    ``start`` up to the first one whose deadline reaches ``end``.
    """

    def deadline(day: date) -> datetime:
        return _first_moment_after(add_months(day, period_months), zone)

    def first_day_reaching(moment: datetime) -> date:
        day = add_months(moment.astimezone(zone).date(), -period_months) - timedelta(days=4)
        while deadline(day) >= moment:
            day -= timedelta(days=1)
        while deadline(day) < moment:
            day += timedelta(days=1)
        return day

    first, after = first_day_reaching(start), first_day_reaching(end)
    if first >= after:
        return None
    return datetime.combine(first, time(0), tzinfo=zone), datetime.combine(after, time(0), tzinfo=zone)


def deal_state(
    deal: DealSnapshot,
    now: datetime,
    default_period_months: int = DEFAULT_INACTIVITY_MONTHS,
    policy: CommentPolicy = DEFAULT_COMMENT_POLICY,
    tz: tzinfo | None = None,
) -> DealState:
    """R2e–R2h: correctness, activity and the deadline of a deal at ``now``.

    R2g: an incorrect deal is inactive. R2h: a correct open deal is active while ``now`` is before
    the deadline. The deadline counts from ``last_qualifying_at``, or from ``created_at`` when the
    deal and its lead have no qualifying interaction yet (see the module docstring). ``now`` and
    the deal's timestamps are all aware (or, in tests, all naive).
    """
    problems = tuple(missing_fields(deal, policy))
    correct = not problems
    if deal.status.is_terminal:
        return DealState(correct=correct, active=False, deadline=None, days_left=None, problems=problems)
    basis = deal.last_qualifying_at or deal.created_at
    period = effective_period_months(default_period_months, deal.stage_period_months)
    zone = tz if tz is not None else basis.tzinfo
    day = _deadline_day(basis, period, zone)
    deadline = _first_moment_after(day, zone)
    local_today = (now.astimezone(zone) if zone is not None else now).date()
    return DealState(
        correct=correct,
        active=correct and now < deadline,
        deadline=deadline,
        days_left=(day - local_today).days,
        problems=problems,
        deadline_day=day,
    )


def is_at_risk(active: bool, days_left: int | None, days: int = AT_RISK_DAYS) -> bool:
    """R2h: an active deal whose deadline day is at most ``days`` days away (0 = the deadline is today).

    The one check behind the ⏳ mark, the /deals "at risk" filter, the day plan and the reminders' digest.
    Pass :class:`DealState`'s ``active`` and ``days_left``, and the configured ``Settings.at_risk_days``.
    """
    return active and days_left is not None and days_left <= days


def open_deal_key(client_id: int | None, contact_id: int, product_group_id: int) -> str:
    """R2i: the key that may appear on one open deal only, e.g. ``client:5:group:3``.

    The client organisation when the deal has one, otherwise the contact. The database keeps it
    unique among open deals, so two managers saving at once cannot both succeed.
    """
    owner = f"client:{client_id}" if client_id is not None else f"contact:{contact_id}"
    return f"{owner}:group:{product_group_id}"


def total_amount(lines: Iterable[ProductLine]) -> Decimal:
    """The deal's sum: the amounts of its lines, to the kopeck."""
    return sum((line.amount for line in lines if line.amount is not None), Decimal(0)).quantize(
        Decimal("0.01")
    )
