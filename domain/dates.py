"""Calendar helpers shared by the value objects and the deal rules.

Month and weekday names are the ones a Russian- or English-speaking manager types on a phone:
full names in the nominative and genitive («март», «марта»), the accusative of weekdays
(«в пятницу») and the usual abbreviations («пт», «fri»).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TypeVar

_D = TypeVar("_D", date, datetime)


def _index(rows: tuple[str, ...], start: int) -> dict[str, int]:
    """Every spelling in a row maps to the row's number."""
    return {form: number for number, forms in enumerate(rows, start=start) for form in forms.split()}


MONTHS: dict[str, int] = _index(
    (
        "январь января янв jan january",
        "февраль февраля фев февр feb february",
        "март марта мар mar march",
        "апрель апреля апр apr april",
        "май мая may",
        "июнь июня июн jun june",
        "июль июля июл jul july",
        "август августа авг aug august",
        "сентябрь сентября сен сент sep sept september",
        "октябрь октября окт oct october",
        "ноябрь ноября ноя нояб nov november",
        "декабрь декабря дек dec december",
    ),
    start=1,
)

# Monday is 0, as in ``date.weekday()``.
WEEKDAYS: dict[str, int] = _index(
    (
        "пн пон понедельник mon monday",
        "вт вто вторник tue tues tuesday",
        "ср сре среда среду wed weds wednesday",
        "чт чет четверг thu thur thurs thursday",
        "пт пят пятница пятницу fri friday",
        "сб суб суббота субботу sat saturday",
        "вс вос воскресенье sun sunday",
    ),
    start=0,
)


def normalise_text(text: str) -> str:
    """Lower-case, «ё»→«е», collapsed spaces, no surrounding spaces or trailing full stop."""
    collapsed = " ".join(text.replace("\u00a0", " ").split()).casefold().replace("ё", "е")
    return collapsed.rstrip(".!").strip()


def month_number(word: str) -> int | None:
    """The month a word names («марта» → 3, «Mar.» → 3), or ``None``."""
    return MONTHS.get(word.casefold().replace("ё", "е").rstrip("."))


def weekday_number(word: str) -> int | None:
    """The weekday a word names, Monday = 0 («пт» → 4, «пятницу» → 4, «fri» → 4), or ``None``."""
    return WEEKDAYS.get(word.casefold().replace("ё", "е").rstrip("."))


def real_date(year: int, month: int, day: int) -> date | None:
    """The date, or ``None`` when it does not exist (31.02, month 13, year 0)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_months(moment: _D, months: int) -> _D:
    """Add calendar months, clamping to the end of the month (R2h).

    31 Dec + 2 months is 28 Feb, or 29 Feb in a leap year; 31 Jan + 1 month is 28/29 Feb.
    The time of day and the time zone of a ``datetime`` are kept.
    """
    years, month_index = divmod(moment.month - 1 + months, 12)
    year = moment.year + years
    month = month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def age_on(born: date, today: date) -> int:
    """Full years between ``born`` and ``today``; someone born on 29 Feb ages on 1 Mar."""
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)
