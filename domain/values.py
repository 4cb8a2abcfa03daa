"""Value objects: what a contact is made of (R4a): a full name (and its R5a comparison key), a mobile phone,
an e-mail, a date of birth.

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
from datetime import date
from typing import ClassVar

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.dates import age_on, month_number, normalise_text, real_date
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


def short_name(full_name: str) -> str:
    """A person's name on a narrow list line: the first word and the second's initial («Пётр Петров», a
    Telegram name, → «Пётр П.»; «Петров Пётр Ильич» → «Петров П.»). A one-word name is kept as it is."""
    words = full_name.split()
    if len(words) < 2:
        return " ".join(words)
    return f"{words[0]} {words[1][0]}."


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
        # number_type is UNKNOWN exactly when is_valid_number is false: one lookup of the number's region
        # instead of two (an import checks 100k numbers).
        kind = phonenumbers.number_type(number)
        if number.extension or kind == phonenumbers.PhoneNumberType.UNKNOWN:
            raise ValidationError("err-phone-invalid", "phone is not a valid number")
        if kind not in _MOBILE_TYPES:
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
