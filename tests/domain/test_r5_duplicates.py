"""R5: no duplicate contacts. Two or more matching fields make a duplicate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.duplicates import (
    PAIRS,
    ContactIdentity,
    folded_name_key,
    is_duplicate,
    match_keys,
    matching_fields,
)
from domain.values import name_key

EXISTING = ContactIdentity(
    name_key=name_key("Семёнов Пётр Ильич"),
    phone_e164="+79123456789",
    birth_date=date(1985, 3, 25),
    email="semenov@mail.ru",
)
OTHER_NAME = name_key("Кузнецова Анна")
OTHER_PHONE = "+79990001122"
OTHER_BIRTH = date(1990, 1, 1)
OTHER_EMAIL = "anna@yandex.ru"


def _contact(
    name: str = OTHER_NAME, phone: str = OTHER_PHONE, born: date = OTHER_BIRTH, email: str = OTHER_EMAIL
) -> ContactIdentity:
    return ContactIdentity(name_key=name, phone_e164=phone, birth_date=born, email=email)


def test_r5a_six_pairs_of_four_fields() -> None:
    assert len(PAIRS) == 6
    assert set(match_keys(EXISTING)) == {
        "name+phone",
        "name+birth_date",
        "name+email",
        "phone+birth_date",
        "phone+email",
        "birth_date+email",
    }


@pytest.mark.parametrize(
    ("candidate", "fields"),
    [
        (_contact(name=EXISTING.name_key, phone=EXISTING.phone_e164), {"name", "phone"}),
        (_contact(name=name_key("петр ильич семенов"), born=EXISTING.birth_date), {"name", "birth_date"}),
        (_contact(name=EXISTING.name_key, email="SEMENOV@mail.ru"), {"name", "email"}),
        (_contact(phone=EXISTING.phone_e164, born=EXISTING.birth_date), {"phone", "birth_date"}),
        (_contact(phone=EXISTING.phone_e164, email=EXISTING.email), {"phone", "email"}),
        (_contact(born=EXISTING.birth_date, email=EXISTING.email), {"birth_date", "email"}),
        (EXISTING, {"name", "phone", "birth_date", "email"}),
    ],
    ids=[
        "name-and-phone",
        "name-in-another-order-and-birth",
        "name-and-email-in-capitals",
        "phone-and-birth",
        "phone-and-email",
        "birth-and-email",
        "everything",
    ],
)
def test_r5a_two_or_more_matching_fields_make_a_duplicate(
    candidate: ContactIdentity, fields: set[str]
) -> None:
    assert matching_fields(candidate, EXISTING) == fields
    assert is_duplicate(candidate, EXISTING)
    shared = {pair for pair, key in match_keys(candidate).items() if match_keys(EXISTING)[pair] == key}
    assert shared, "R5c: the database must see the duplicate through a unique key"


@pytest.mark.parametrize(
    "candidate",
    [
        _contact(),
        _contact(name=EXISTING.name_key),
        _contact(phone=EXISTING.phone_e164),
        _contact(born=EXISTING.birth_date),
        _contact(email=EXISTING.email),
    ],
    ids=["nothing", "namesake", "same-phone-only", "same-birthday-only", "same-email-only"],
)
def test_r5a_one_matching_field_is_not_a_duplicate(candidate: ContactIdentity) -> None:
    assert len(matching_fields(candidate, EXISTING)) <= 1
    assert not is_duplicate(candidate, EXISTING)
    assert not set(match_keys(candidate).values()) & set(match_keys(EXISTING).values())


def test_r5c_keys_are_stable_and_carry_no_personal_data() -> None:
    keys = match_keys(EXISTING)
    assert keys == match_keys(replace(EXISTING, email=" Semenov@Mail.ru "))
    assert all(len(key) == 64 for key in keys.values())
    assert not any("semenov" in key or "9123456789" in key for key in keys.values())
    assert len(set(keys.values())) == 6


# --- R5a: another alphabet cannot bypass the check (issue 9, finding 11) --------------------------


@pytest.mark.parametrize(
    ("typed", "twin"),
    [
        ("Opex Bepa", "Орех Вера"),
        ("Kapp Ahha", "Карр Анна"),
        ("bepa opex", "Орех Вера"),
        ("Ca Ea", "Са Еа"),
        ("Cемёнов Пётр Ильич", "Семенов Петр Ильич"),
    ],
    ids=["latin-lookalikes", "small-h-folds-too", "other-order", "order-differs-by-alphabet", "one-latin-c"],
)
def test_r5a_latin_lookalike_letters_fold_to_cyrillic(typed: str, twin: str) -> None:
    assert folded_name_key(typed) == folded_name_key(twin)
    latin = _contact(name=name_key(typed), born=EXISTING.birth_date)
    cyrillic = replace(EXISTING, name_key=name_key(twin))
    assert matching_fields(latin, cyrillic) == {"name", "birth_date"}
    assert is_duplicate(latin, cyrillic)
    assert match_keys(latin)["name+birth_date"] == match_keys(cyrillic)["name+birth_date"]


def test_r5a_folding_keeps_genuinely_different_names_apart() -> None:
    assert folded_name_key("John Smith") != folded_name_key("Иванов Иван")
    assert folded_name_key("John Smith") == folded_name_key("smith john")
    assert folded_name_key("Орех Вера") == "вера орех"
