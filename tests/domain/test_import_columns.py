"""Issue 13, import: columns recognised by their headers (Russian, English, amoCRM's and Bitrix24's exports),
and the best value of each field in a row: the mobile for R4a's phone, the personal e-mail for R4a/R4b."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from domain.import_columns import Field, column_letter, mapping_summary, normalise, pick, recognise

DATA = Path(__file__).resolve().parents[1] / "data"
F = Field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ФИО", F.FULL_NAME), ("Ф.И.О.", F.FULL_NAME), (" ф. и. о. ", F.FULL_NAME), ("Контакт", F.FULL_NAME),
        ("Контактное лицо", F.FULL_NAME), ("Полное имя", F.FULL_NAME), ("Full name", F.FULL_NAME),
        ("Name", F.FULL_NAME), ("FULL_NAME", F.FULL_NAME),
        ("Фамилия", F.SURNAME), ("Last name", F.SURNAME), ("Surname", F.SURNAME),
        ("Имя", F.GIVEN_NAME), ("First name", F.GIVEN_NAME), ("Отчество", F.PATRONYMIC),
        ("Middle name", F.PATRONYMIC),
        ("Телефон", F.PHONE), ("Рабочий телефон", F.PHONE), ("Тел.", F.PHONE), ("Phone", F.PHONE),
        ("Домашний телефон", F.PHONE),
        ("Мобильный", F.MOBILE), ("Моб. телефон", F.MOBILE), ("МОБИЛЬНЫЙ  ТЕЛЕФОН", F.MOBILE),
        ("Сотовый", F.MOBILE), ("Mobile", F.MOBILE), ("Mobile phone", F.MOBILE),
        ("Дата рождения", F.BIRTH_DATE), ("День рождения", F.BIRTH_DATE), ("Birthday", F.BIRTH_DATE),
        ("Date of birth", F.BIRTH_DATE), ("Д.Р.", F.BIRTH_DATE),
        ("E-mail", F.EMAIL), ("Email", F.EMAIL), ("е-mail", F.EMAIL), ("Эл. почта", F.EMAIL),
        ("Почта", F.EMAIL), ("Электронная почта", F.EMAIL), ("Личный e-mail", F.EMAIL),
        ("Рабочий e-mail", F.WORK_EMAIL), ("Work email", F.WORK_EMAIL),
        ("Должность", F.POSITION), ("Job title", F.POSITION), ("Position", F.POSITION),
        ("Компания", F.CLIENT), ("Клиент", F.CLIENT), ("Организация", F.CLIENT), ("Company", F.CLIENT),
        ("Отрасль", F.INDUSTRY), ("Сфера деятельности", F.INDUSTRY), ("Industry", F.INDUSTRY),
        ("Регион", F.REGION), ("Бизнес-регион", F.REGION), ("Region", F.REGION), ("Город", F.CITY),
        ("Ответственный", F.RESPONSIBLE), ("Owner", F.RESPONSIBLE), ("Responsible", F.RESPONSIBLE),
        ("Должность контакта", F.POSITION),
    ],
)  # fmt: skip
def test_headers_are_recognised_in_russian_and_english(header: str, field: Field) -> None:
    assert recognise([header]) == [field]


@pytest.mark.parametrize(
    "header",
    [
        "ID",
        "Дата создания",
        "Теги",
        "Примечание",
        "Номер факса",
        "Другой e-mail",
        "Обращение",
        "",
        "Сумма",
        "Название",
    ],
)
def test_other_headers_are_not_recognised(header: str) -> None:
    assert recognise([header]) == [None]


def test_a_company_qualifier_gives_the_client_never_the_contact() -> None:
    """amoCRM's combined export: the company's phone is not the contact's (R4a wants the contact's mobile)."""
    headers = [
        "Рабочий телефон (компания)", "Название (компания)", "Сфера деятельности (компания)",
        "Регион (компания)", "Рабочий телефон (контакт)", "Web (компания)",
    ]  # fmt: skip
    assert recognise(headers) == [None, F.CLIENT, F.INDUSTRY, F.REGION, F.PHONE, None]


def test_normalise() -> None:
    assert normalise("  Моб.   ТЕЛЕФОН ") == "моб телефон"
    assert normalise("E - Mail") == "email"
    assert normalise("Ёлка_1") == "елка 1"


def _headers(filename: str, encoding: str, delimiter: str) -> list[str]:
    text = (DATA / filename).read_text(encoding=encoding)
    return next(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_the_amocrm_sample_is_recognised_fully() -> None:
    headers = _headers("amocrm_contacts.csv", "utf-8-sig", ",")
    assert dict(zip(headers, recognise(headers), strict=True)) == {
        "ID": None, "Полное имя": F.FULL_NAME, "Имя": F.GIVEN_NAME, "Фамилия": F.SURNAME,
        "Компания": F.CLIENT, "Должность (контакт)": F.POSITION, "Рабочий телефон (контакт)": F.PHONE,
        "Мобильный телефон (контакт)": F.MOBILE, "Рабочий email (контакт)": F.WORK_EMAIL,
        "Личный email (контакт)": F.EMAIL, "День рождения (контакт)": F.BIRTH_DATE,
        "Ответственный": F.RESPONSIBLE,
        "Дата создания": None, "Кем создан": None, "Теги": None, "Примечание": None,
        "Сфера деятельности (компания)": F.INDUSTRY, "Рабочий телефон (компания)": None,
    }  # fmt: skip


def test_the_bitrix24_sample_is_recognised_fully() -> None:
    headers = _headers("bitrix24_contacts.csv", "cp1251", ";")
    assert dict(zip(headers, recognise(headers), strict=True)) == {
        "ID": None, "Обращение": None, "Имя": F.GIVEN_NAME, "Фамилия": F.SURNAME, "Отчество": F.PATRONYMIC,
        "Дата рождения": F.BIRTH_DATE, "Должность": F.POSITION, "Рабочий телефон": F.PHONE,
        "Мобильный телефон": F.MOBILE, "Номер факса": None, "Домашний телефон": F.PHONE,
        "Рабочий e-mail": F.WORK_EMAIL, "Частный e-mail": F.EMAIL, "Другой e-mail": None,
        "Компания": F.CLIENT,
        "Город": F.CITY, "Область": F.REGION, "Тип контакта": None, "Источник": None,
        "Ответственный": F.RESPONSIBLE, "Комментарий": None, "Дата создания": None,
    }  # fmt: skip


def test_the_english_sample_is_recognised_fully() -> None:
    headers = _headers("contacts_en.csv", "utf-8", ",")
    assert recognise(headers) == [
        F.FULL_NAME, F.POSITION, F.CLIENT, F.INDUSTRY, F.REGION, F.MOBILE, F.PHONE, F.EMAIL, F.BIRTH_DATE,
        F.RESPONSIBLE, None,
    ]  # fmt: skip


COLUMNS = [
    F.SURNAME,
    F.GIVEN_NAME,
    F.PATRONYMIC,
    F.PHONE,
    F.MOBILE,
    F.WORK_EMAIL,
    F.EMAIL,
    F.CITY,
    F.REGION,
    None,
]


def test_pick_prefers_the_mobile_and_the_personal_email() -> None:
    """R4a needs a mobile and a private e-mail; the other phone and the work e-mail are kept beside them."""
    row = [
        "Иванов",
        "Пётр",
        "Сергеевич",
        "+74951234567",
        "+79123456789",
        "p@firm.ru",
        "p@mail.ru",
        "Пермь",
        "Урал",
        "x",
    ]
    assert pick(COLUMNS, row) == {
        F.SURNAME: "Иванов", F.GIVEN_NAME: "Пётр", F.PATRONYMIC: "Сергеевич",
        F.FULL_NAME: "Иванов Пётр Сергеевич", F.PHONE: "+74951234567", F.MOBILE: "+79123456789",
        F.WORK_EMAIL: "p@firm.ru", F.EMAIL: "p@mail.ru", F.CITY: "Пермь", F.REGION: "Урал",
    }  # fmt: skip


def test_pick_falls_back_on_the_other_phone_email_and_city() -> None:
    row = ["Иванов", "Пётр", "", "+79123456789", " ", "p@firm.ru", "", "Пермь", "", ""]
    assert pick(COLUMNS, row) == {
        F.SURNAME: "Иванов", F.GIVEN_NAME: "Пётр", F.FULL_NAME: "Иванов Пётр", F.MOBILE: "+79123456789",
        F.EMAIL: "p@firm.ru", F.REGION: "Пермь",
    }  # fmt: skip


def test_pick_takes_the_full_name_over_its_parts_and_the_first_filled_column() -> None:
    columns = [F.FULL_NAME, F.SURNAME, F.GIVEN_NAME, F.PHONE, F.PHONE, F.MOBILE]
    row = ["Петров Иван", "Иванов", "Пётр", "", "+74951234567", "+74951234567"]
    assert pick(columns, row) == {
        F.FULL_NAME: "Петров Иван", F.SURNAME: "Иванов", F.GIVEN_NAME: "Пётр", F.MOBILE: "+74951234567",
    }  # fmt: skip


def test_pick_on_an_empty_or_short_row() -> None:
    assert pick(COLUMNS, [""] * len(COLUMNS)) == {}
    assert pick(COLUMNS, ["Иванов"]) == {F.SURNAME: "Иванов", F.FULL_NAME: "Иванов"}


def test_mapping_summary_names_blank_headers_by_their_letter() -> None:
    headers = ["ФИО", "", "Заметки"]
    assert mapping_summary(headers, recognise(headers)) == [
        ("ФИО", F.FULL_NAME),
        ("B", None),
        ("Заметки", None),
    ]
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    with pytest.raises(ValueError):
        mapping_summary(headers, [None])
