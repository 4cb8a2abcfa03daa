"""Value objects: what a contact (R4a), a deal line and a task are made of.

Each is a small frozen dataclass. ``parse`` is the way in for anything a person typed: it returns
the value or raises :class:`~domain.errors.ValidationError` with a locale key, parameters and a
data-free reason. The constructors trust their arguments (they are for values read back from the
database, which were parsed on the way in).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import ClassVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.dates import add_months, age_on, month_number, normalise_text, real_date, weekday_number
from domain.errors import ValidationError

# ---------------------------------------------------------------------------------------------
# Full name (R4a, R5a)
# ---------------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-"})
_LATIN_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿĀ-ž"
_CYRILLIC_LETTERS = "Ѐ-ӿ"
_NAME_LETTER = f"[{_LATIN_LETTERS}{_CYRILLIC_LETTERS}]"
_NAME_WORD = re.compile(f"{_NAME_LETTER}+(?:[-']{_NAME_LETTER}+)*")
_CYRILLIC = re.compile(f"[{_CYRILLIC_LETTERS}]")
_LATIN = re.compile(f"[{_LATIN_LETTERS}]")
_NAME_MAX_LENGTH = 150
_NAME_MAX_WORDS = 5

# R5a: Latin letters that look like Cyrillic ones. A look-alike never writes a different name:
# «Opex Bepa» typed on a Latin keyboard is «Орех Вера» on screen. Cyrillic is the canonical alphabet.
# ``LOOKALIKE_FOLD`` maps case-folded letters: a letter is folded when its capital or its small form
# has a twin («h» because «H»/«Н»). The ``_TWINS`` sets are case-aware and hold only the letters that
# look alike as written: «H» looks like «Н», «h» looks nothing like «н».
LOOKALIKE_FOLD: dict[str, str] = dict(zip("abcehkmoptxy", "авсенкмортху", strict=True))
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKE_FOLD)
_UPPER_TWINS = frozenset("ABCEHKMOPTXY")
_LOWER_TWINS = frozenset("aceopxy")


def fold_lookalikes(text: str) -> str:
    """R5a: the Latin look-alikes in case-folded ``text`` read as their Cyrillic twins («bepa» → «вера»).

    Idempotent. Letters without a twin and every Cyrillic letter are kept as they are.
    """
    return text.translate(_LOOKALIKE_TABLE)


def looks_cyrillic(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter that looks Cyrillic as written («Opex Bepa»).

    «John Smith» and «Tomoko Okamoto» are Latin: a small «m», «k» or «t» looks nothing like «м», «к», «т».
    """
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char in _UPPER_TWINS or char in _LOWER_TWINS for char in letters)


def name_key(text: str) -> str:
    """The R5a comparison form of a full name: case-folded, «ё»→«е», single spaces, words sorted.

    «Семёнов  Пётр» and «пётр семенов» give the same key. Applying it twice changes nothing.
    """
    composed = unicodedata.normalize("NFC", text.translate(_APOSTROPHES))
    folded = unicodedata.normalize("NFC", composed.casefold()).replace("ё", "е")
    return " ".join(sorted(folded.split()))


def _capitalise_part(part: str) -> str:
    """«иванов» → «Иванов», «ИВАНОВ» → «Иванов»; a deliberate «McDonald» is kept as typed."""
    rest = part[1:]
    if not (rest.isupper() or rest.islower()):
        return part[:1].upper() + rest
    return part[:1].upper() + rest.lower()


def _capitalise_word(word: str) -> str:
    return "-".join(_capitalise_part(part) for part in word.split("-"))


@dataclass(frozen=True)
class FullName:
    """A person's full name, ФИО (R4a): surname and given name required, patronymic optional."""

    surname: str
    given: str
    patronymic: str | None = None

    @classmethod
    def parse(cls, text: str) -> FullName:
        """Parse «Фамилия Имя [Отчество]» in Cyrillic or Latin, with hyphens and apostrophes.

        Capitalisation is normalised («иванов иван» → «Иванов Иван», «петрова-водкина» →
        «Петрова-Водкина»). Words after the given name form the patronymic, so «Мамедов Рашид
        Рустам оглы» is accepted. A word mixing Cyrillic and Latin letters is refused, since a
        Latin «а» inside a Russian name would defeat the duplicate check (R5a). So is a name whose
        every word, as displayed, is Latin look-alikes of Cyrillic letters («Opex Bepa» reads as «Орех
        Вера» but is not, see :func:`looks_cyrillic`), and a Cyrillic name with such a word («Орех
        Bepa»). A Latin name with such a word, «Edgar Poe», is Latin and accepted.
        """
        cleaned = unicodedata.normalize("NFC", text.translate(_APOSTROPHES)).strip()
        words = cleaned.split()
        if not words:
            raise ValidationError("err-name-empty", "full name is empty")
        if len(cleaned) > _NAME_MAX_LENGTH or len(words) > _NAME_MAX_WORDS:
            raise ValidationError("err-name-too-long", "full name is too long", max_length=_NAME_MAX_LENGTH)
        for word in words:
            if not _NAME_WORD.fullmatch(word):
                raise ValidationError("err-name-invalid-chars", "full name has characters other than letters")
            if _CYRILLIC.search(word) and _LATIN.search(word):
                raise ValidationError("err-name-mixed-alphabets", "a word mixes Cyrillic and Latin letters")
        if len(words) < 2:
            raise ValidationError("err-name-incomplete", "surname or given name is missing")
        if any(len(word) < 2 for word in words[:2]):
            raise ValidationError("err-name-initials", "initials instead of a full given name")
        surname, given, *rest = (_capitalise_word(word) for word in words)
        capitalised = (surname, given, *rest)
        if any(map(looks_cyrillic, capitalised)) and (
            all(map(looks_cyrillic, capitalised)) or any(map(_CYRILLIC.search, capitalised))
        ):
            raise ValidationError(
                "err-name-lookalike-alphabet", "the whole name is Latin look-alikes of Cyrillic"
            )
        # «оглы» and «кызы» are written in lower case: «Мамедов Рашид Рустам оглы».
        patronymic = " ".join(word.lower() if word.lower() in {"оглы", "кызы"} else word for word in rest)
        return cls(surname=surname, given=given, patronymic=patronymic or None)

    def display(self) -> str:
        """«Иванов Иван Иванович»."""
        return " ".join(part for part in (self.surname, self.given, self.patronymic) if part)

    def key(self) -> str:
        """The R5a duplicate-check key of this name (see :func:`name_key`)."""
        return name_key(self.display())


# ---------------------------------------------------------------------------------------------
# Mobile phone (R4a, R4b)
# ---------------------------------------------------------------------------------------------

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class MobilePhone:
    """A mobile phone number stored in E.164 (R4a)."""

    e164: str

    @classmethod
    def parse(cls, text: str, default_region: str = "RU", *, forbidden: Iterable[str] = ()) -> MobilePhone:
        """Parse a number as people type it: «+7 (912) 345-67-89», «8 912 345 67 89», «+375 29 …».

        ``default_region`` (configuration) applies to numbers without «+». A valid number that is
        not mobile is refused with its own message (R4a). ``forbidden`` holds E.164 numbers that
        may not be entered, such as the manager's own phone (R4b).
        """
        cleaned = text.strip()
        if not cleaned:
            raise ValidationError("err-phone-empty", "phone is empty")
        if _LETTERS.search(cleaned):
            raise ValidationError("err-phone-invalid", "phone contains letters")
        try:
            number = phonenumbers.parse(cleaned, default_region.upper())
        except phonenumbers.NumberParseException as error:
            if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
                raise ValidationError(
                    "err-phone-country-code", "country code is missing or unknown"
                ) from None
            raise ValidationError("err-phone-invalid", "phone cannot be parsed") from None
        if number.extension or not phonenumbers.is_valid_number(number):
            raise ValidationError("err-phone-invalid", "phone is not a valid number")
        if phonenumbers.number_type(number) not in _MOBILE_TYPES:
            raise ValidationError("err-phone-not-mobile", "phone is valid but not a mobile number")
        phone = cls(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        if phone.e164 in {item.strip() for item in forbidden}:
            raise ValidationError("err-phone-employee", "phone belongs to an employee (R4b)")
        return phone

    def display(self) -> str:
        """International format, «+7 912 345-67-89»."""
        number = phonenumbers.parse(self.e164)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def masked(self) -> str:
        """The number for someone who may not see the contact (R5b): «+7 912 ***-**-89»."""
        number = phonenumbers.parse(self.e164)
        formatted = self.display()
        national_digits = len(self.e164) - 1 - len(str(number.country_code))
        keep_head = len(str(number.country_code)) + max(0, min(3, national_digits - 4))
        total = sum(char.isdigit() for char in formatted)
        seen = 0
        out = []
        for char in formatted:
            if char.isdigit():
                seen += 1
                if keep_head < seen <= total - 2:
                    char = "*"
            out.append(char)
        return "".join(out)


# ---------------------------------------------------------------------------------------------
# E-mail (R4a, R4b)
# ---------------------------------------------------------------------------------------------


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2]


@dataclass(frozen=True)
class Email:
    """A private e-mail address, lower-case (R4a, R5a)."""

    value: str

    @classmethod
    def parse(
        cls, text: str, company_domains: Iterable[str] = (), employee_emails: Iterable[str] = ()
    ) -> Email:
        """Check the syntax offline and refuse the company's own addresses (R4b).

        An address on a company domain, or on a subdomain of one, is refused for everyone.
        ``employee_emails`` are the manager's own work and personal addresses.
        """
        cleaned = text.strip()
        if not cleaned:
            raise ValidationError("err-email-empty", "e-mail is empty")
        try:
            checked = validate_email(cleaned, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError("err-email-invalid", "e-mail syntax is invalid") from None
        value = checked.normalized.lower()
        domain = _domain_of(value)
        for company_domain in company_domains:
            own = company_domain.strip().lower().lstrip("@")
            if own and (domain == own or domain.endswith("." + own)):
                raise ValidationError(
                    "err-email-company-domain", "e-mail is on a company domain (R4b)", domain=own
                )
        if value in {address.strip().lower() for address in employee_emails}:
            raise ValidationError("err-email-employee", "e-mail belongs to an employee (R4b)")
        return cls(value)

    def masked(self) -> str:
        """«i***@mail.ru»."""
        local, _, domain = self.value.rpartition("@")
        return f"{local[:1]}***@{domain}"


# ---------------------------------------------------------------------------------------------
# Date of birth (R4a)
# ---------------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_YMD = re.compile(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})")
_D_MONTH_Y = re.compile(r"(\d{1,2})\s*([^\W\d_]+)\.?,?\s*(\d{4})")
_MONTH_D_Y = re.compile(r"([^\W\d_]+)\.?\s*(\d{1,2}),?\s*(\d{4})")
_YEAR_SUFFIX = re.compile(r"\s*(?:г|гг|года?)$")


def _parse_calendar_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from «25.03.1985», «25/03/1985», «1985-03-25», «25 марта 1985», «March 25, 1985»."""
    cleaned = _YEAR_SUFFIX.sub("", normalise_text(text))
    if match := _DMY.fullmatch(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _YMD.fullmatch(cleaned):
        return int(match[1]), int(match[2]), int(match[3])
    if (match := _D_MONTH_Y.fullmatch(cleaned)) and (month := month_number(match[2])):
        return int(match[3]), month, int(match[1])
    if (match := _MONTH_D_Y.fullmatch(cleaned)) and (month := month_number(match[1])):
        return int(match[3]), month, int(match[2])
    return None


@dataclass(frozen=True)
class BirthDate:
    """A date of birth: a real date, not in the future, age 14–120 (R4a)."""

    value: date

    MIN_AGE: ClassVar[int] = 14
    MAX_AGE: ClassVar[int] = 120

    @classmethod
    def parse(cls, text: str, today: date) -> BirthDate:
        """Parse «25.03.1985», «25/03/1985», «1985-03-25» or «25 марта 1985» relative to ``today``.

        Two-digit years are refused: «25.03.10» could be 1910 or 2010, and a wrong century would
        slip past the duplicate check (R5a).
        """
        if not text.strip():
            raise ValidationError("err-birth-date-empty", "date of birth is empty")
        parts = _parse_calendar_date(text)
        if parts is None:
            raise ValidationError("err-birth-date-format", "date of birth is not in a known format")
        born = real_date(*parts)
        if born is None:
            raise ValidationError("err-date-impossible", "no such calendar date")
        if born > today:
            raise ValidationError("err-birth-date-future", "date of birth is in the future")
        age = age_on(born, today)
        if age < cls.MIN_AGE:
            raise ValidationError("err-birth-date-too-young", "age is below the minimum", min_age=cls.MIN_AGE)
        if age > cls.MAX_AGE:
            raise ValidationError("err-birth-date-too-old", "age is above the maximum", max_age=cls.MAX_AGE)
        return cls(born)

    def display(self) -> str:
        """«25.03.1985»."""
        return self.value.strftime("%d.%m.%Y")

    def masked(self) -> str:
        """«**.**.1985»: the year only."""
        return f"**.**.{self.value.year:04d}"


# ---------------------------------------------------------------------------------------------
# Money (R2f)
# ---------------------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** 12
_MULTIPLIERS: dict[str, Decimal] = {
    **dict.fromkeys(("", "р", "руб", "рубль", "рубля", "рублей", "₽", "rub", "rur"), Decimal(1)),
    **dict.fromkeys(("к", "k", "т", "тыс", "тысяча", "тысячи", "тысяч", "thousand"), Decimal(1000)),
    **dict.fromkeys(
        ("м", "m", "млн", "миллион", "миллиона", "миллионов", "mln", "million"), Decimal(10) ** 6
    ),
    **dict.fromkeys(("млрд", "миллиард", "миллиарда", "миллиардов", "bn", "billion"), Decimal(10) ** 9),
}
_AMOUNT = re.compile(r"(?P<sign>[-−–])?\s*(?P<number>\d[\d\s'.,]*?)\s*(?P<suffix>[^\d\s.,]*)\.?")
_CURRENCY_WORDS = re.compile(r"\s*(?:₽|р\.?|руб\.?|рублей|рубля|rub|rur)$")
_CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€"}


def _plain_number(number: str) -> str | None:
    """«150 000» → «150000», «1,5» → «1.5», «1,500,000.50» → «1500000.50»; ``None`` if ambiguous.

    A single «,» or «.» is the decimal separator (Russian habit). Repeated separators, or both
    kinds at once, are read as thousands grouping plus a final decimal separator.
    """
    compact = re.sub(r"[\s']", "", number)
    separators = [char for char in compact if char in ",."]
    if not separators:
        return compact
    if len(separators) == 1:
        return compact.replace(",", ".")
    last = separators[-1]
    grouping = separators[0]
    if any(separator != grouping for separator in separators[:-1]):
        return None
    if last == grouping:  # «1.500.000»: all grouping, no decimals
        groups = compact.split(grouping)
        decimal_part = ""
    else:
        head, _, decimal_part = compact.rpartition(last)
        groups = head.split(grouping)
    if not all(len(group) == 3 for group in groups[1:]) or not 1 <= len(groups[0]) <= 3:
        return None
    whole = "".join(groups)
    return f"{whole}.{decimal_part}" if decimal_part else whole


def _group_thousands(whole: int) -> str:
    return f"{whole:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Money:
    """An amount of money greater than zero, to the kopeck (R2f: a product line's amount)."""

    amount: Decimal
    currency: str = "RUB"

    @classmethod
    def parse(cls, text: str, currency: str = "RUB") -> Money:
        """Parse «150000», «150 000», «150к», «1,5 млн», «1.5k», «150 000 руб.».

        The result is quantised to kopecks; more than two decimals, zero, negative and absurd
        amounts (over 10^12) are refused.
        """
        cleaned = normalise_text(text).replace("\u202f", " ").replace("\u2009", " ")
        if not cleaned:
            raise ValidationError("err-amount-empty", "amount is empty")
        cleaned = _CURRENCY_WORDS.sub("", cleaned)
        match = _AMOUNT.fullmatch(cleaned)
        multiplier = _MULTIPLIERS.get(match["suffix"]) if match else None
        plain = _plain_number(match["number"]) if match else None
        if match is None or multiplier is None or plain is None:
            raise ValidationError("err-amount-format", "amount is not a number")
        value = Decimal(plain) * multiplier
        typed_decimals = len(plain.partition(".")[2])
        if match["sign"] or value <= 0:
            raise ValidationError("err-amount-not-positive", "amount is not greater than zero")
        if value > _MAX_AMOUNT:
            raise ValidationError("err-amount-too-large", "amount is implausibly large")
        # «150,000» is 150 thousand typed the English way, not 150 roubles: refuse, don't guess.
        if value != value.quantize(_CENT) or (multiplier == 1 and typed_decimals > 2):
            raise ValidationError("err-amount-too-many-decimals", "amount has more than two decimals")
        return cls(value.quantize(_CENT), currency.upper())

    def display(self) -> str:
        """«150 000 ₽», «1 500,50 ₽» (non-breaking spaces between thousands)."""
        whole, fraction = divmod(self.amount.quantize(_CENT), 1)
        text = _group_thousands(int(whole))
        if fraction:
            text += "," + f"{fraction:.2f}"[2:]
        return f"{text}\u00a0{_CURRENCY_SIGNS.get(self.currency, self.currency)}"


# ---------------------------------------------------------------------------------------------
# Task due time
# ---------------------------------------------------------------------------------------------

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
