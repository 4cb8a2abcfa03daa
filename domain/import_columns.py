"""Issue 13, import: which contact field each column of a file holds, recognised by its header.

Headers are compared case-, «ё»- and punctuation-insensitively, in Russian and English, including the column
names of amoCRM's and Bitrix24's contact exports (samples in ``tests/data/``). amoCRM's combined exports add
a qualifier in brackets: «Рабочий телефон (контакт)» is the contact's, «Рабочий телефон (компания)» is the
company's and is not taken for the contact (only the company's name, industry and region are).

Some fields come from more than one column. The contact's phone must be a mobile (R4a) and its e-mail a
private one (R4a, R4b), so :func:`pick` takes the mobile over another phone and the personal e-mail over a
work one, and a full name over the name put together from its parts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class Field(StrEnum):
    """A value an import can take from a column. The values are the ``import-field-*`` catalog suffixes."""

    FULL_NAME = "full_name"
    SURNAME = "surname"
    GIVEN_NAME = "given_name"
    PATRONYMIC = "patronymic"
    PHONE = "phone"
    MOBILE = "mobile"
    BIRTH_DATE = "birth_date"
    EMAIL = "email"
    #: A work e-mail: the contact's e-mail only when no personal one is given (R4a asks for a private one).
    WORK_EMAIL = "work_email"
    POSITION = "position"
    CLIENT = "client"
    INDUSTRY = "industry"
    REGION = "region"
    #: A city: the client's region only when no region column is filled.
    CITY = "city"
    RESPONSIBLE = "responsible"


_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.FULL_NAME: (
        "фио", "ф и о", "контакт", "контактное лицо", "полное имя", "название контакта", "имя контакта",
        "full name", "fullname", "name", "contact", "contact name",
        "contact person",
    ),
    Field.SURNAME: ("фамилия", "last name", "lastname", "surname", "family name"),
    Field.GIVEN_NAME: ("имя", "first name", "firstname", "given name"),
    Field.PATRONYMIC: ("отчество", "middle name", "middlename", "patronymic"),
    Field.PHONE: (
        "телефон", "тел", "номер телефона", "рабочий телефон", "рабочий прямой телефон", "прямой телефон",
        "домашний телефон", "другой телефон", "городской телефон", "стационарный телефон", "phone",
        "telephone", "phone number", "work phone", "office phone", "home phone", "other phone",
        "business phone",
    ),
    Field.MOBILE: (
        "мобильный", "мобильный телефон", "моб телефон", "моб тел", "моб", "сотовый", "сотовый телефон",
        "mobile", "mobile phone", "cell", "cell phone", "cellphone", "mobile number",
    ),
    Field.BIRTH_DATE: (
        "дата рождения", "день рождения", "др", "д р", "birthday", "date of birth", "birth date",
        "birthdate", "dob",
    ),
    Field.EMAIL: (
        "email", "эл почта", "электронная почта", "почта", "личный email", "частный email", "личная почта",
        "personal email", "private email", "email address", "mail",
    ),
    Field.WORK_EMAIL: (
        "рабочий email", "рабочая почта", "корпоративный email", "work email", "business email",
    ),
    Field.POSITION: ("должность", "позиция", "job title", "position", "job position"),
    Field.CLIENT: (
        "компания", "клиент", "организация", "название компании", "наименование компании", "контрагент",
        "компания контакта", "company", "client", "organization", "organisation", "company name",
        "account", "account name",
    ),
    Field.INDUSTRY: ("отрасль", "сфера деятельности", "сфера", "industry", "sector"),
    Field.REGION: ("регион", "бизнес регион", "область", "region", "business region", "state"),
    Field.CITY: ("город", "city"),
    Field.RESPONSIBLE: (
        "ответственный", "ответственный менеджер", "ответственный сотрудник", "менеджер", "owner",
        "responsible", "manager", "assigned to", "contact owner", "account owner",
    ),
}  # fmt: skip
_BY_NAME: dict[str, Field] = {name: field for field, names in _SYNONYMS.items() for name in names}
#: The fields a company's column gives the contact's client, by the header's name without the qualifier.
_COMPANY_FIELDS: dict[Field, Field] = {
    Field.FULL_NAME: Field.CLIENT,
    Field.CLIENT: Field.CLIENT,
    Field.INDUSTRY: Field.INDUSTRY,
    Field.REGION: Field.REGION,
    Field.CITY: Field.CITY,
}
_QUALIFIER = re.compile(r"\(([^()]*)\)")
_COMPANY_WORDS = frozenset({"компания", "company", "компании"})
_COMPANY_NAMES = frozenset({"название", "наименование", "name"})
_PUNCTUATION = re.compile(r"[^\w]+|_")


def normalise(header: str) -> str:
    """A header as compared: lower case, «ё» as «е», «e-mail» as «email», punctuation as one space."""
    text = header.lower().replace("ё", "е")
    text = re.sub(r"\b([eе])\s*-\s*mail", "email", text)  # e-mail, е-mail (Cyrillic е), e - mail
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def recognise_one(header: str) -> Field | None:
    """The field a header names, or ``None``."""
    qualifiers = {normalise(found) for found in _QUALIFIER.findall(header)}
    base = normalise(_QUALIFIER.sub(" ", header))
    field = _BY_NAME.get(base)
    if qualifiers & _COMPANY_WORDS:
        if base in _COMPANY_NAMES:
            return Field.CLIENT
        return _COMPANY_FIELDS.get(field) if field is not None else None
    if field is None and base.endswith((" контакта", " contact")):
        field = _BY_NAME.get(base.rsplit(" ", 1)[0])  # «Должность контакта»
    return field


def recognise(headers: Sequence[str]) -> list[Field | None]:
    """The field of each column by its header; ``None``: not recognised, for the user to assign or ignore."""
    return [recognise_one(header) for header in headers]


def mapping_summary(headers: Sequence[str], fields: Sequence[Field | None]) -> list[tuple[str, Field | None]]:
    """Each column's header (its letter when the header is blank) with its field, for the mapping window."""
    return [
        (header or column_letter(index), field)
        for index, (header, field) in enumerate(zip(headers, fields, strict=True), start=1)
    ]


def column_letter(number: int) -> str:
    """A column's letter as a spreadsheet shows it: 1 is «A», 27 is «AA»."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def pick(fields_by_column: Sequence[Field | None], row: Sequence[str]) -> dict[Field, str]:
    """The best value of each field in one row; a field with no value in the row is left out.

    - the first non-empty column of a field wins;
    - ``FULL_NAME``: the full-name column, else «Фамилия Имя Отчество» put together from the parts;
    - ``MOBILE``: the mobile column, else another phone (R4a needs a mobile; the rule decides whether it is
      one); ``PHONE`` keeps the other phone, when it is not the one taken;
    - ``EMAIL``: the personal e-mail, else the work one (R4a, R4b); ``WORK_EMAIL`` keeps the work one;
    - ``REGION``: the region, else the city.
    """
    values: dict[Field, list[str]] = {}
    for field, value in zip(fields_by_column, row, strict=False):
        text = value.strip()
        if field is not None and text:
            values.setdefault(field, []).append(text)
    best = {field: found[0] for field, found in values.items()}
    if Field.FULL_NAME not in best:
        parts = [best[part] for part in (Field.SURNAME, Field.GIVEN_NAME, Field.PATRONYMIC) if part in best]
        if parts:
            best[Field.FULL_NAME] = " ".join(parts)
    _prefer(best, values, Field.MOBILE, Field.PHONE)
    _prefer(best, values, Field.EMAIL, Field.WORK_EMAIL)
    _prefer(best, values, Field.REGION, Field.CITY)
    return best


def _prefer(best: dict[Field, str], values: dict[Field, list[str]], main: Field, other: Field) -> None:
    """``main`` falls back on ``other``; ``other`` keeps a value different from the one ``main`` took."""
    if main not in best and other in best:
        best[main] = best[other]
    rest = [value for value in values.get(other, []) if value != best.get(main)]
    if rest:
        best[other] = rest[0]
    else:
        best.pop(other, None)
