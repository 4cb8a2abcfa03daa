"""Properties that must hold for every input, not just the ones in the tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import phonenumbers
from hypothesis import assume, example, given
from hypothesis import strategies as st

from domain.comments import KEYBOARD_ROWS, check_expanded_comment, check_expanded_text
from domain.deals import add_months, inactivity_deadline
from domain.due import DueAt
from domain.duplicates import ContactIdentity, is_duplicate, match_keys, matching_fields
from domain.errors import ValidationError
from domain.money import Money
from domain.values import LOOKALIKE_FOLD, BirthDate, Email, FullName, MobilePhone, fold_lookalikes, name_key

NAME_LETTERS = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯabcdefghijklmnopqrstuvwxyzABCXYZ"
)

name_words = st.text(alphabet=NAME_LETTERS, min_size=2, max_size=12)
spaced_names = st.lists(name_words, min_size=2, max_size=4).map(lambda words: "  ".join(words))


@given(st.text())
def test_r5a_name_normalisation_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@given(
    st.lists(name_words, min_size=2, max_size=4).flatmap(lambda w: st.tuples(st.just(w), st.permutations(w)))
)
def test_r5a_name_key_ignores_word_order_and_case(words_and_shuffled: tuple[list[str], list[str]]) -> None:
    words, shuffled = words_and_shuffled
    assert name_key(" ".join(shuffled).upper()) == name_key(" ".join(words))


@given(spaced_names)
def test_r4a_parsed_name_is_stable(text: str) -> None:
    try:
        name = FullName.parse(text)
    except ValidationError:
        return
    assert FullName.parse(name.display()) == name
    assert name.key() == name_key(name.key())


mobile_numbers = st.sampled_from(["RU", "BY", "KZ", "DE", "GB", "US", "UA"]).map(
    lambda region: phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
)


@given(mobile_numbers, st.sampled_from(["RU", "BY", "US"]))
def test_r4a_e164_round_trips(number: phonenumbers.PhoneNumber, region: str) -> None:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    phone = MobilePhone.parse(e164, default_region=region)
    assert phone.e164 == e164
    assert MobilePhone.parse(phone.e164, default_region=region) == phone
    assert MobilePhone.parse(phone.display(), default_region=region) == phone


@given(st.text(max_size=40))
def test_r4a_phone_parse_either_returns_e164_or_refuses(text: str) -> None:
    try:
        phone = MobilePhone.parse(text)
    except ValidationError as error:
        assert error.key.startswith("err-phone-")
        return
    assert phone.e164.startswith("+")
    assert phone.e164[1:].isdigit()


identities = st.builds(
    ContactIdentity,
    name_key=st.sampled_from(["иванов иван", "петров петр", "сидорова анна"]),
    phone_e164=st.sampled_from(["+79123456789", "+79990001122"]),
    birth_date=st.sampled_from([date(1985, 3, 25), date(1990, 1, 1)]),
    email=st.sampled_from(["a@mail.ru", "b@mail.ru"]),
)


@given(identities, identities)
def test_r5a_duplicate_relation_is_symmetric(a: ContactIdentity, b: ContactIdentity) -> None:
    assert is_duplicate(a, b) == is_duplicate(b, a)
    assert matching_fields(a, b) == matching_fields(b, a)


@given(identities, identities)
def test_r5c_unique_keys_find_exactly_the_duplicates(a: ContactIdentity, b: ContactIdentity) -> None:
    keys_a, keys_b = match_keys(a), match_keys(b)
    shares_a_key = any(keys_a[pair] == keys_b[pair] for pair in keys_a)
    assert shares_a_key == is_duplicate(a, b)


@given(identities)
def test_r5a_a_contact_duplicates_itself(a: ContactIdentity) -> None:
    assert is_duplicate(a, a)


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)


@given(moments, moments, st.integers(min_value=1, max_value=24))
def test_r2h_deadline_is_monotonic_in_the_interaction_date(a: datetime, b: datetime, months: int) -> None:
    assume(a <= b)
    deadline_a = inactivity_deadline(a, months)
    deadline_b = inactivity_deadline(b, months)
    assert deadline_a is not None and deadline_b is not None
    assert deadline_a <= deadline_b


@given(moments, st.integers(min_value=1, max_value=24))
def test_r2h_deadline_is_after_the_interaction(moment: datetime, months: int) -> None:
    deadline = inactivity_deadline(moment, months)
    assert deadline is not None
    assert deadline > moment + timedelta(days=27 * months)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 1, 1)), st.integers(0, 48))
def test_r2h_add_months_lands_in_the_right_month(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day


amount_texts = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"-?\d{1,15}([.,]\d{1,4})?\s?(к|k|млн|млрд|руб)?", fullmatch=True),
)


@given(amount_texts)
def test_r2f_parsed_amount_is_never_zero_or_negative(text: str) -> None:
    try:
        money = Money.parse(text)
    except ValidationError as error:
        assert error.key.startswith("err-amount-")
        return
    assert money.amount > 0
    assert money.amount == money.amount.quantize(Decimal("0.01"))


due_texts = st.one_of(
    st.text(max_size=30),
    st.from_regex(
        r"(через|in) \d{1,5} (час|дня|недель|месяцев|лет|minutes|days)( в \d{1,2}:\d{2})?"
        r"|(сегодня|завтра|пт|вс|fri|\d{1,2}\.\d{1,2}(\.\d{4})?|\d{4}-\d{2}-\d{2})( в)? \d{1,2}:\d{2}( ?pm)?",
        fullmatch=True,
    ),
)


@given(
    due_texts,
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "America/New_York", "Europe/Berlin"]),
)
def test_due_at_is_never_in_the_past(text: str, now: datetime, zone: str) -> None:
    try:
        due = DueAt.parse(text, now, ZoneInfo(zone))
    except ValidationError as error:
        assert error.key.startswith(("err-due-", "err-date-", "err-time-"))
        return
    assert due.at > now
    assert due.at.tzinfo is UTC


@given(st.text(max_size=60))
def test_parsers_refuse_garbage_only_with_validation_errors(text: str) -> None:
    today = date(2026, 5, 13)
    for parse in (
        FullName.parse,
        MobilePhone.parse,
        Email.parse,
        lambda value: BirthDate.parse(value, today),
        Money.parse,
    ):
        try:
            parse(text)
        except ValidationError as error:
            assert error.key.startswith("err-")


# ---------------------------------------------------------------------------------------------
# R3c: numbers, punctuation, keyboard mash and repeats never make an expanded comment
# ---------------------------------------------------------------------------------------------

REAL_DISCUSSED = "Обсудили поставку 20 труб на объект, клиенту важна цена"
REAL_AGREED = "Отправляю КП со скидкой до пятницы, созвон в понедельник"

_numbers = st.from_regex(r"\d{1,6}([.,:/-]\d{1,4})?%?", fullmatch=True)
_punctuation = st.text(alphabet=".,;:!?-—()«»\"' ", min_size=1, max_size=5)
_repeated_letters = st.tuples(
    st.sampled_from("абвгдежзиклмнопрстуфхцчшщыэюяabcdefghijklmnopqrstuvwxyz"), st.integers(1, 8)
).map(lambda pair: pair[0] * pair[1])
_keyboard_runs = st.tuples(
    st.sampled_from(KEYBOARD_ROWS), st.integers(0, 9), st.integers(3, 12), st.booleans()
).map(lambda run: (run[0][::-1] if run[3] else run[0])[run[1] : run[1] + run[2]])
_junk_token = st.one_of(
    _numbers, _punctuation, _repeated_letters, _keyboard_runs.filter(lambda run: len(run) >= 3)
)
_junk = st.lists(_junk_token, min_size=1, max_size=12).flatmap(
    lambda tokens: st.booleans().map(lambda upper: " ".join(tokens).upper() if upper else " ".join(tokens))
)


@given(_junk)
@example("ааа ббб ввв")
@example("йцу кен гшщ")
@example("1 2 3")
@example("... ... ...")
def test_r3c_numbers_punctuation_and_mash_are_never_an_expanded_comment(text: str) -> None:
    assert not check_expanded_text(text).ok
    assert not check_expanded_comment(text, REAL_AGREED).ok
    assert not check_expanded_comment(REAL_DISCUSSED, text).ok


@given(st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=20), st.integers(2, 6))
@example("тест", 3)
def test_r3c_one_word_repeated_is_never_an_expanded_comment(word: str, times: int) -> None:
    text = " ".join([word] * times)
    assert not check_expanded_text(text).ok
    assert not check_expanded_comment(REAL_DISCUSSED, text).ok


@given(_junk)
def test_r3c_junk_added_to_a_real_comment_keeps_it_real(junk: str) -> None:
    assert check_expanded_comment(REAL_DISCUSSED + " " + junk, REAL_AGREED).ok


# ---------------------------------------------------------------------------------------------
# R5a: Latin look-alike letters fold to Cyrillic
# ---------------------------------------------------------------------------------------------

_lookalike_words = st.text(alphabet="".join(LOOKALIKE_FOLD), min_size=2, max_size=10)


@given(st.lists(_lookalike_words, min_size=2, max_size=3))
def test_r5a_a_name_in_lookalike_letters_has_the_key_of_its_cyrillic_twin(words: list[str]) -> None:
    latin = " ".join(words)
    cyrillic = "".join(LOOKALIKE_FOLD.get(char, char) for char in latin)
    born = date(1985, 3, 25)
    twin = ContactIdentity(name_key(cyrillic), "+79123456789", born, "a@mail.ru")
    typed = ContactIdentity(name_key(latin.title()), "+79990001122", born, "b@mail.ru")
    assert is_duplicate(typed, twin)
    assert match_keys(typed)["name+birth_date"] == match_keys(twin)["name+birth_date"]


@given(st.text())
def test_r5a_folding_is_idempotent(text: str) -> None:
    assert fold_lookalikes(fold_lookalikes(text)) == fold_lookalikes(text)
