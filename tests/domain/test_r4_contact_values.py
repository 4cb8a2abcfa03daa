"""R4a/R4b: the fields a contact is made of. Every bad input says why, with a locale key."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ValidationError
from domain.values import BirthDate, Email, FullName, MobilePhone, name_key, short_name

TODAY = date(2026, 5, 13)


# --- Full name -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "surname", "given", "patronymic"),
    [
        ("Иванов Иван Иванович", "Иванов", "Иван", "Иванович"),
        ("иванов иван", "Иванов", "Иван", None),
        ("  ИВАНОВ   ИВАН  ", "Иванов", "Иван", None),
        ("петрова-водкина мария ивановна", "Петрова-Водкина", "Мария", "Ивановна"),
        ("Семёнов Пётр", "Семёнов", "Пётр", None),
        ("O'Brien john", "O'Brien", "John", None),
        ("д’артаньян шарль", "Д'артаньян", "Шарль", None),
        ("McDonald ronald", "McDonald", "Ronald", None),
        ("Мамедов Рашид Рустам оглы", "Мамедов", "Рашид", "Рустам оглы"),
        ("Müller Jürgen", "Müller", "Jürgen", None),
        ("Poe Edgar", "Poe", "Edgar", None),
        ("okamoto tomoko", "Okamoto", "Tomoko", None),
    ],
    ids=[
        "full",
        "lower-case",
        "upper-case-and-spaces",
        "hyphenated",
        "yo-kept-for-display",
        "apostrophe-latin",
        "typographic-apostrophe",
        "deliberate-mixed-case",
        "oglu-patronymic",
        "latin-diacritics",
        "latin-name-with-one-lookalike-word",
        "latin-small-letters-unlike-cyrillic",
    ],
)
def test_r4a_full_name_accepts_and_normalises_capitalisation(
    typed: str, surname: str, given: str, patronymic: str | None
) -> None:
    name = FullName.parse(typed)
    assert (name.surname, name.given, name.patronymic) == (surname, given, patronymic)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "err-name-empty"),
        ("   ", "err-name-empty"),
        ("Иванов", "err-name-incomplete"),
        ("Иванов И.", "err-name-invalid-chars"),
        ("Иванов И", "err-name-initials"),
        ("Иванов 1ван", "err-name-invalid-chars"),
        ("Иванов Иван!", "err-name-invalid-chars"),
        ("Иванов -Иван", "err-name-invalid-chars"),
        ("Ивaнов Иван", "err-name-mixed-alphabets"),
        ("Opex Bepa", "err-name-lookalike-alphabet"),
        ("OPEX BEPA", "err-name-lookalike-alphabet"),
        ("opex bepa", "err-name-lookalike-alphabet"),
        ("Орех Bepa", "err-name-lookalike-alphabet"),
        ("王 小明", "err-name-invalid-chars"),
        ("Иванов " + "Иван" * 40, "err-name-too-long"),
        ("А Б В Г Д Е", "err-name-too-long"),
    ],
    ids=[
        "empty",
        "blank",
        "surname-only",
        "initial-with-dot",
        "initial",
        "digit",
        "punctuation",
        "leading-hyphen",
        "latin-a-inside-cyrillic",
        "whole-name-in-lookalikes",
        "lookalikes-in-capitals",
        "lookalikes-in-small-letters-read-capitalised",
        "lookalike-given-name",
        "other-script",
        "too-long",
        "too-many-words",
    ],
)
def test_r4a_full_name_refuses(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        FullName.parse(typed)
    assert caught.value.key == key


def test_r4a_full_name_displays_all_parts() -> None:
    assert FullName.parse("иванов иван иванович").display() == "Иванов Иван Иванович"
    assert FullName("Иванов", "Иван", None).display() == "Иванов Иван"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Петров Пётр Ильич", "Петров П."),
        ("Пётр  Петров", "Пётр П."),
        ("Пётр", "Пётр"),
        ("", ""),
    ],
)
def test_short_name_for_a_list_line(name: str, short: str) -> None:
    """R1c: a team lead's /deals names each deal's owner this short."""
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Семёнов Пётр", "семенов петр"),
        ("Иванов Иван Иванович", "Иван Иванович Иванов"),
        ("Иванов  Иван", " иванов иван "),
        ("ИВАНОВ ИВАН", "иванов иван"),
    ],
    ids=["yo", "word-order", "spaces", "case"],
)
def test_r5a_name_key_ignores_case_yo_spaces_and_order(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)
    assert FullName.parse(left).key() == FullName.parse(right).key()


def test_r5a_name_key_keeps_different_names_apart() -> None:
    assert name_key("Иванов Иван") != name_key("Иванов Иван Иванович")
    assert name_key("Ильин Иван") != name_key("Ильина Иван")


# --- Mobile phone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+7 (912) 345-67-89", "+79123456789"),
        ("8 912 345 67 89", "+79123456789"),
        ("89123456789", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("+7-912-345-67-89", "+79123456789"),
        ("+375 29 123 45 67", "+375291234567"),
    ],
    ids=["plus-seven-brackets", "eight-spaces", "eight-compact", "no-prefix", "dashes", "belarus"],
)
def test_r4a_mobile_phone_is_stored_as_e164(typed: str, e164: str) -> None:
    assert MobilePhone.parse(typed).e164 == e164


def test_r4a_default_region_comes_from_configuration() -> None:
    assert MobilePhone.parse("29 123 45 67", default_region="by").e164 == "+375291234567"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "err-phone-empty"),
        ("+7 495 123-45-67", "err-phone-not-mobile"),
        ("8 800 555 35 35", "err-phone-not-mobile"),
        ("912", "err-phone-invalid"),
        ("+7 912 345", "err-phone-invalid"),
        ("звоните мне", "err-phone-invalid"),
        ("8 912 345 67 89 доб. 12", "err-phone-invalid"),
        ("+7 912 345 67 89 ext 12", "err-phone-invalid"),
        ("--", "err-phone-invalid"),
        ("+999 123 45 67", "err-phone-country-code"),
    ],
    ids=[
        "empty",
        "moscow-landline",
        "toll-free",
        "too-short",
        "truncated",
        "words",
        "extension-ru",
        "extension-en",
        "punctuation",
        "unknown-country",
    ],
)
def test_r4a_mobile_phone_refuses(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        MobilePhone.parse(typed)
    assert caught.value.key == key


def test_r4b_manager_cannot_enter_own_phone() -> None:
    with pytest.raises(ValidationError) as caught:
        MobilePhone.parse("8 912 345 67 89", forbidden=["+79123456789"])
    assert caught.value.key == "err-phone-employee"
    assert MobilePhone.parse("8 912 345 67 88", forbidden=["+79123456789"]).e164 == "+79123456788"


@pytest.mark.parametrize(
    ("e164", "display", "masked"),
    [
        ("+79123456789", "+7 912 345-67-89", "+7 912 ***-**-89"),
        ("+375291234567", "+375 29 123-45-67", "+375 29 1**-**-67"),
    ],
    ids=["russia", "belarus"],
)
def test_r5b_phone_display_and_mask(e164: str, display: str, masked: str) -> None:
    phone = MobilePhone(e164)
    assert phone.display() == display
    assert phone.masked() == masked


# --- E-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ivanov@mail.ru", "ivanov@mail.ru"),
        ("  Ivan.Petrov@Mail.RU ", "ivan.petrov@mail.ru"),
        ("petrov+crm@yandex.ru", "petrov+crm@yandex.ru"),
        ("иван@почта.рф", "иван@почта.рф"),
    ],
    ids=["plain", "upper-case-and-spaces", "plus-tag", "cyrillic-domain"],
)
def test_r4a_email_is_lower_cased(typed: str, stored: str) -> None:
    assert Email.parse(typed).value == stored


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "err-email-empty"),
        ("ivanov", "err-email-invalid"),
        ("ivanov@", "err-email-invalid"),
        ("ivanov@mail", "err-email-invalid"),
        ("iva nov@mail.ru", "err-email-invalid"),
        ("ivanov@@mail.ru", "err-email-invalid"),
    ],
    ids=["empty", "no-at", "no-domain", "no-tld", "space", "double-at"],
)
def test_r4a_email_refuses_bad_syntax(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Email.parse(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "typed",
    ["sidorov@ourcompany.ru", "Sidorov@OurCompany.RU", "sidorov@msk.ourcompany.ru"],
    ids=["domain", "domain-upper-case", "subdomain"],
)
def test_r4b_company_domains_are_refused_for_everyone(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Email.parse(typed, company_domains=["@OurCompany.ru", ""])
    assert caught.value.key == "err-email-company-domain"
    assert caught.value.params == {"domain": "ourcompany.ru"}


def test_r4b_lookalike_domain_is_not_the_company_domain() -> None:
    assert Email.parse("a@notourcompany.ru", company_domains=["ourcompany.ru"]).value == "a@notourcompany.ru"


def test_r4b_manager_cannot_enter_own_private_email() -> None:
    with pytest.raises(ValidationError) as caught:
        Email.parse("Manager.Home@Gmail.com", employee_emails=[" manager.home@gmail.com "])
    assert caught.value.key == "err-email-employee"


def test_r5b_email_mask_hides_the_local_part() -> None:
    assert Email("ivanov@mail.ru").masked() == "i***@mail.ru"


def test_validation_reasons_never_echo_the_input() -> None:
    with pytest.raises(ValidationError) as caught:
        Email.parse("secret.person@ourcompany.ru", company_domains=["ourcompany.ru"])
    assert "secret" not in caught.value.reason
    assert "secret" not in str(caught.value)
    assert "secret" not in repr(caught.value)


# --- Date of birth ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "25.03.1985",
        "25/03/1985",
        "25-03-1985",
        "1985-03-25",
        "25 марта 1985",
        "25 марта 1985 г.",
        "25 мар. 1985",
        "25 МАРТА 1985 года",
        "25 March 1985",
        "March 25, 1985",
        "25.3.1985",
    ],
    ids=[
        "dotted",
        "slashed",
        "dashed",
        "iso",
        "genitive-month",
        "with-g",
        "abbreviated",
        "upper-case-goda",
        "english-day-first",
        "english-month-first",
        "single-digit-month",
    ],
)
def test_r4a_birth_date_formats(typed: str) -> None:
    assert BirthDate.parse(typed, TODAY).value == date(1985, 3, 25)


@pytest.mark.parametrize(
    ("typed", "key", "params"),
    [
        ("", "err-birth-date-empty", {}),
        ("вчера", "err-birth-date-format", {}),
        ("25.03.85", "err-birth-date-format", {}),
        ("25 мартобря 1985", "err-birth-date-format", {}),
        ("31.02.1985", "err-date-impossible", {}),
        ("29.02.1985", "err-date-impossible", {}),
        ("12.13.1985", "err-date-impossible", {}),
        ("14.05.2026", "err-birth-date-future", {}),
        ("14.05.2012", "err-birth-date-too-young", {"min_age": 14}),
        ("12.05.1905", "err-birth-date-too-old", {"max_age": 120}),
    ],
    ids=[
        "empty",
        "words",
        "two-digit-year",
        "unknown-month",
        "31-february",
        "29-february-common-year",
        "month-13",
        "tomorrow",
        "a-day-short-of-14",
        "121-years",
    ],
)
def test_r4a_birth_date_refuses(typed: str, key: str, params: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as caught:
        BirthDate.parse(typed, TODAY)
    assert caught.value.key == key
    assert caught.value.params == params


@pytest.mark.parametrize(
    "typed",
    ["13.05.2012", "13.05.1906", "29.02.1988"],
    ids=["exactly-14-today", "exactly-120-today", "leap-day"],
)
def test_r4a_birth_date_age_bounds_are_inclusive(typed: str) -> None:
    assert BirthDate.parse(typed, TODAY).display() == typed


def test_r4a_birth_date_display_and_mask() -> None:
    born = BirthDate(date(1985, 3, 5))
    assert born.display() == "05.03.1985"
    assert born.masked() == "**.**.1985"
