"""When a task is due (:class:`DueAt`): the due time a manager types, read on their calendar.

``DueAt.parse`` is the way in for anything a person typed: it returns the value or raises
:class:`~domain.errors.ValidationError` with a locale key, parameters and a data-free reason. The constructor
trusts its argument (a value read back from the database, which was parsed on the way in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from domain.dates import add_months, month_number, normalise_text, real_date, weekday_number
from domain.errors import ValidationError

DEFAULT_DUE_TIME = time(10, 0)
MAX_DUE_YEARS = 5

_TIME = re.compile(
    r"(?:^|\s)(?:(?:в|во|at|@)\s*)?(?P<hour>\d{1,2})[:](?P<minute>\d{2})\s*(?P<ampm>am|pm)?$"
    r"|(?:^|\s)(?:в|at|@)\s*(?P<hour_only>\d{1,2})\s*(?P<ampm2>am|pm|ч|час|часа|часов)?$"
    r"|(?:^|\s)(?P<hour_ampm>\d{1,2})\s*(?P<ampm3>am|pm)$"
)
_DAY_WORDS = {
    "сегодня": 0,
    "today": 0,
    "завтра": 1,
    "tomorrow": 1,
    "послезавтра": 2,
    "day after tomorrow": 2,
}
_UNITS: dict[str, str] = {
    **dict.fromkeys(("минуту", "минуты", "минут", "мин", "minute", "minutes", "min", "mins"), "minutes"),
    **dict.fromkeys(("час", "часа", "часов", "ч", "hour", "hours", "h", "hr", "hrs"), "hours"),
    **dict.fromkeys(("день", "дня", "дней", "д", "сутки", "суток", "day", "days", "d"), "days"),
    **dict.fromkeys(("неделю", "недели", "недель", "нед", "week", "weeks", "w", "wk"), "weeks"),
    **dict.fromkeys(("месяц", "месяца", "месяцев", "мес", "month", "months"), "months"),
    **dict.fromkeys(("год", "года", "лет", "year", "years"), "years"),
}
_RELATIVE = re.compile(r"(?:через|in)\s+(?:(?P<count>\d{1,4}|a|an|one)\s*)?(?P<unit>[^\W\d_]+)\.?")
_DAY_MONTH = re.compile(r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})(?:[./](?P<year>\d{4}))?")
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY_MONTH_NAME = re.compile(r"(?P<day>\d{1,2})\s*(?P<month>[^\W\d_]+)\.?(?:\s+(?P<year>\d{4}))?")
_ISO_T = re.compile(r"(?<=\d)t(?=\d)")
_WEEKDAY = re.compile(r"(?:(?:в|во|on|next)\s+)?(?P<weekday>[^\W\d_]+)\.?")


def _split_time(text: str) -> tuple[str, time | None]:
    """Cut a trailing time («15:00», «в 15», «3pm») off the text."""
    match = _TIME.search(text)
    if match is None:
        return text, None
    hour = int(match["hour"] or match["hour_only"] or match["hour_ampm"])
    minute = int(match["minute"] or 0)
    suffix = match["ampm"] or match["ampm2"] or match["ampm3"]
    if suffix in {"am", "pm"}:
        if not 1 <= hour <= 12:
            raise ValidationError("err-time-impossible", "no such time of day")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError("err-time-impossible", "no such time of day")
    rest = text[: match.start()].strip().removesuffix(",").strip()
    return rest, time(hour, minute)


def _aware(day: date, at: time, tz: tzinfo) -> datetime:
    """Local wall time to an aware datetime.

    A wall time that does not exist (the spring-forward gap) lands after the gap; an ambiguous
    one (autumn) takes its first occurrence. Moscow has neither, but managers travel.
    """
    local = datetime.combine(day, at, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz)


def _next_day_month(local_now: datetime, day: int, month: int) -> date:
    """The nearest day-month that is today or later: «25.01» typed in December means next January."""
    for year in range(local_now.year, local_now.year + 8):
        candidate = real_date(year, month, day)
        if candidate is not None and candidate >= local_now.date():
            return candidate
    raise ValidationError("err-date-impossible", "no such calendar date")


def _exact_day(local_now: datetime, year: str | None, month: int, day: int) -> date:
    """The day a date names; without a year, its next occurrence (see :func:`_next_day_month`)."""
    if year is None:
        return _next_day_month(local_now, day, month)
    exact = real_date(int(year), month, day)
    if exact is None:
        raise ValidationError("err-date-impossible", "no such calendar date")
    # Years far away are refused before any time zone arithmetic can overflow.
    if exact.year < local_now.year - 1:
        raise ValidationError("err-due-in-past", "due time is in the past")
    if exact.year > local_now.year + MAX_DUE_YEARS:
        raise ValidationError("err-due-too-far", "due time is too far ahead", years=MAX_DUE_YEARS)
    return exact


def _resolve_due(text: str, now: datetime, tz: tzinfo) -> datetime:
    local_now = now.astimezone(tz)
    today = local_now.date()
    if match := _RELATIVE.fullmatch(text):
        return _relative_due(match, local_now, None)
    rest, at = _split_time(text)
    if match := _RELATIVE.fullmatch(rest):
        return _relative_due(match, local_now, at)
    if at is not None and not rest:
        # A bare time is the next time the clock shows it, as with an alarm clock.
        candidate = _aware(today, at, tz)
        return candidate if candidate > now else _aware(today + timedelta(days=1), at, tz)
    at = at or DEFAULT_DUE_TIME
    if rest in _DAY_WORDS:
        return _aware(today + timedelta(days=_DAY_WORDS[rest]), at, tz)
    if match := (_DAY_MONTH.fullmatch(rest) or _ISO_DATE.fullmatch(rest)):
        return _aware(_exact_day(local_now, match["year"], int(match["month"]), int(match["day"])), at, tz)
    if (match := _DAY_MONTH_NAME.fullmatch(rest)) and (month := month_number(match["month"])):
        return _aware(_exact_day(local_now, match["year"], month, int(match["day"])), at, tz)
    if (match := _WEEKDAY.fullmatch(rest)) and (weekday := weekday_number(match["weekday"])) is not None:
        ahead = (weekday - today.weekday()) % 7
        candidate = _aware(today + timedelta(days=ahead), at, tz)
        return candidate if candidate > now else _aware(today + timedelta(days=ahead + 7), at, tz)
    raise ValidationError("err-due-format", "due time is not in a known format")


def _relative_due(match: re.Match[str], local_now: datetime, at: time | None) -> datetime:
    """«через 3 дня», «через час», «in 2 weeks», optionally with a time: «через 3 дня в 15:00».

    Hours and minutes are elapsed time; days, weeks and months are calendar steps that keep the
    current time of day (or take the given one).
    """
    unit = _UNITS.get(match["unit"])
    raw_count = match["count"]
    count = 1 if raw_count in {None, "a", "an", "one"} else int(raw_count)
    if unit is None or count < 1:
        raise ValidationError("err-due-format", "due time is not in a known format")
    tz = local_now.tzinfo
    assert tz is not None
    if unit in {"minutes", "hours"}:
        if at is not None:
            raise ValidationError("err-due-format", "a time of day cannot follow hours or minutes")
        moment = local_now.astimezone(UTC) + timedelta(**{unit: count})
        return moment.replace(second=0, microsecond=0).astimezone(tz)
    if unit in {"months", "years"}:
        months = count * (12 if unit == "years" else 1)
        if months > 12 * MAX_DUE_YEARS:  # refused here, before the calendar runs out of years
            raise ValidationError("err-due-too-far", "due time is too far ahead", years=MAX_DUE_YEARS)
        day = add_months(local_now.date(), months)
    else:
        day = local_now.date() + timedelta(**{unit: count})
    return _aware(day, at or local_now.time().replace(second=0, microsecond=0, tzinfo=None), tz)


@dataclass(frozen=True)
class DueAt:
    """When a task is due: an aware moment in UTC, never in the past."""

    at: datetime

    @classmethod
    def parse(cls, text: str, now: datetime, tz: tzinfo) -> DueAt:
        """Parse a due time the way a manager types it, relative to ``now`` in the zone ``tz``.

        Understood: «сегодня/завтра/послезавтра [в] 15:00», weekdays «пт 11:00», «пятница 11:00»,
        «в пятницу», «fri 11:00» (the next such day; today if the time is still ahead), «через 3
        дня», «через час», «через неделю», «in 3 days», «25.12 10:30», «25.12.2026 10:30», «25.12»,
        «25 декабря 10:30», «2026-12-25 10:30», «tomorrow 3pm», a bare «15:00» (its next
        occurrence). A day without a time means 10:00. Hours and minutes count from ``now``; days
        and weeks keep the current time of day unless a time is given.
        """
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        cleaned = _ISO_T.sub(" ", normalise_text(text).removeprefix("на ").strip())
        if not cleaned:
            raise ValidationError("err-due-empty", "due time is empty")
        due = _resolve_due(cleaned, now, tz)
        if due <= now:
            raise ValidationError("err-due-in-past", "due time is in the past")
        if due > add_months(now, 12 * MAX_DUE_YEARS):
            raise ValidationError("err-due-too-far", "due time is too far ahead", years=MAX_DUE_YEARS)
        return cls(due.astimezone(UTC))

    def local(self, tz: tzinfo) -> datetime:
        """The due moment on the reader's clock."""
        return self.at.astimezone(tz)

    def display(self, tz: tzinfo) -> str:
        """«25.12.2026 10:30» on the reader's clock."""
        return self.local(tz).strftime("%d.%m.%Y %H:%M")
