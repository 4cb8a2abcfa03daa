"""Rules that live once, in ``domain/``: R2h "at risk", R5 partial-match keys, R4b's own card, the free-text
limits, money in kopecks, and the error taxonomy the repositories raise."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders import reminder_settings
from bot.settings import ConfigError, Settings, load_settings
from db.models import DUPLICATE_KEY_COLUMNS
from db.repo import counterparties, deal_changes, deal_lists, deals, routes, tasks
from db.repo.contacts import ContactDraft, draft_keys
from domain import errors, limits
from domain.access import Actor, Role
from domain.comments import DEFAULT_COMMENT_POLICY
from domain.contacts import is_own_card
from domain.deals import AT_RISK_DAYS, is_at_risk
from domain.duplicates import PAIR_NAMES, ContactIdentity, known_fields, match_keys, partial_match_keys
from domain.money import Money, from_minor, to_minor
from domain.registry import client_search_key, reject_reason
from domain.reminders import ReminderSettings
from tests.factories import make_user
from tests.reminders.test_sender import add_contact, add_deal

# ---------------------------------------------------------------------------------------------
# R2h: at risk
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "days_left", "days", "expected"),
    [
        (True, 0, 7, True),
        (True, 7, 7, True),
        (True, 8, 7, False),
        (True, 8, 10, True),
        (True, 1, 1, True),
        (True, 2, 1, False),
        (False, 3, 7, False),
        (True, None, 7, False),
    ],
    ids=[
        "deadline-today",
        "seven-days-left",
        "eight-days-left",
        "eight-days-left-window-ten",
        "window-one",
        "outside-window-one",
        "inactive-is-not-at-risk",
        "no-deadline",
    ],
)
def test_r2h_is_at_risk(active: bool, days_left: int | None, days: int, expected: bool) -> None:
    assert is_at_risk(active, days_left, days) is expected


def test_r2h_at_risk_defaults_to_seven_days_everywhere() -> None:
    assert AT_RISK_DAYS == 7
    assert is_at_risk(True, 7) and not is_at_risk(True, 8)
    assert ReminderSettings().at_risk_days == AT_RISK_DAYS
    assert Settings(_env_file=None).at_risk_days == AT_RISK_DAYS  # type: ignore[call-arg]


@pytest.mark.parametrize("days", [1, 14, 60])
def test_r2h_at_risk_days_is_configurable_and_reaches_the_reminders(days: int) -> None:
    settings = load_settings(_env_file=None, at_risk_days=days)
    assert settings.at_risk_days == days
    assert reminder_settings(settings).at_risk_days == days


@pytest.mark.parametrize("days", [0, -1, 61, "семь"])
def test_r2h_at_risk_days_out_of_range_is_a_one_line_config_error(days: object) -> None:
    with pytest.raises(ConfigError, match="AT_RISK_DAYS"):
        load_settings(_env_file=None, at_risk_days=days)


async def test_r2h_the_day_plan_and_the_deals_filter_use_the_configured_window(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A deal ten days from its deadline: not at risk by default, at risk with a window of ten days."""
    zone = ZoneInfo("Europe/Moscow")
    now = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    me = await make_user(sessionmaker, 8301)
    contact = await add_contact(sessionmaker, me, seed=31)
    # Two calendar months from 30 November 2026: 30 January 2027 is the last active day, ten days away.
    deal_id = await add_deal(
        sessionmaker, me, contact, last_qualifying_at=datetime(2026, 11, 30, 9, tzinfo=UTC)
    )
    manager = Actor(user_id=me, role=Role.MANAGER, team_id=None)
    policy = DEFAULT_COMMENT_POLICY
    async with sessionmaker() as session:
        default_plan = await tasks.day_plan(session, me, now=now, zone=zone, period_months=2, policy=policy)
        wide_plan = await tasks.day_plan(
            session, me, now=now, zone=zone, period_months=2, policy=policy, at_risk_days=10
        )
        default_list = await deal_lists.list_deals(
            session, manager, "risk", 0, now=now, period_months=2, policy=policy, tz=zone
        )
        wide_list = await deal_lists.list_deals(
            session, manager, "risk", 0, now=now, period_months=2, policy=policy, tz=zone, at_risk_days=10
        )
    assert [risky.state.days_left for risky in wide_plan.at_risk] == [10]
    assert [risky.deal.id for risky in wide_plan.at_risk] == [deal_id]
    assert default_plan.at_risk == []
    assert [item.deal.id for item in wide_list.rows] == [deal_id]
    assert default_list.rows == []


# ---------------------------------------------------------------------------------------------
# R5: partial-match keys
# ---------------------------------------------------------------------------------------------

NAME, PHONE, BIRTH, EMAIL = "иван иванов", "+79123456789", date(1985, 3, 25), "ivanov@mail.ru"


def test_r5c_a_complete_contact_gets_all_six_keys() -> None:
    assert partial_match_keys(NAME, PHONE, BIRTH, EMAIL) == match_keys(
        ContactIdentity(NAME, PHONE, BIRTH, EMAIL)
    )


@pytest.mark.parametrize(
    ("given", "pairs"),
    [
        ({"name_key": NAME}, []),
        ({"name_key": NAME, "phone_e164": PHONE}, ["name+phone"]),
        (
            {"name_key": NAME, "phone_e164": PHONE, "birth_date": BIRTH},
            ["name+phone", "name+birth_date", "phone+birth_date"],
        ),
        ({"phone_e164": PHONE, "email": EMAIL}, ["phone+email"]),
    ],
    ids=["name-only", "after-phone", "after-birth-date", "phone-and-email"],
)
def test_r5c_a_form_in_progress_checks_every_complete_pair(
    given: dict[str, object], pairs: list[str]
) -> None:
    values = {"name_key": None, "phone_e164": None, "birth_date": None, "email": None, **given}
    keys = partial_match_keys(**values)  # type: ignore[arg-type]
    full = match_keys(ContactIdentity(NAME, PHONE, BIRTH, EMAIL))
    assert sorted(keys) == sorted(pairs)
    assert all(keys[pair] == full[pair] for pair in pairs)
    assert set(known_fields(**values)) == {  # type: ignore[arg-type]
        {"name_key": "name", "phone_e164": "phone", "birth_date": "birth_date", "email": "email"}[field]
        for field in given
    }


def test_r5c_the_repository_maps_the_domain_keys_onto_its_columns() -> None:
    draft = ContactDraft(name_key=NAME, phone=PHONE)
    assert draft_keys(draft) == {
        DUPLICATE_KEY_COLUMNS["name+phone"]: partial_match_keys(NAME, PHONE, None, None)["name+phone"]
    }
    assert set(PAIR_NAMES) == set(DUPLICATE_KEY_COLUMNS)


def test_client_names_are_searched_by_one_key() -> None:
    assert client_search_key("  ООО «Ёлка»   Плюс ") == "ооо «елка» плюс"


# ---------------------------------------------------------------------------------------------
# R4b: the manager's own card
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("card_user_id", "sender_id", "own"),
    [(42, 42, True), (43, 42, False), (None, 42, False), (42, None, False), (None, None, False)],
    ids=["own-card", "someone-else", "card-without-account", "no-sender", "neither"],
)
def test_r4b_own_card(card_user_id: int | None, sender_id: int | None, own: bool) -> None:
    assert is_own_card(card_user_id, sender_id) is own


# ---------------------------------------------------------------------------------------------
# Free-text limits
# ---------------------------------------------------------------------------------------------


def test_reasons_are_three_to_five_hundred_characters_everywhere() -> None:
    assert (limits.REASON_MIN, limits.REASON) == (3, 500)
    assert reject_reason("Нет") == "Нет"
    for text in ("Не", "я" * 501):
        with pytest.raises(errors.ValidationError):
            reject_reason(text)
    assert reject_reason("я" * 500) == "я" * 500


# ---------------------------------------------------------------------------------------------
# Money in kopecks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "minor"),
    [
        (Decimal("1500.50"), 150050),
        (Decimal("0.01"), 1),
        (Decimal(150000), 15000000),
        (Decimal("1E+3"), 100000),
    ],
)
def test_money_to_and_from_kopecks(amount: Decimal, minor: int) -> None:
    assert to_minor(amount) == minor
    assert from_minor(minor) == amount
    assert str(from_minor(minor)).count(".") == 1 and len(str(from_minor(minor)).partition(".")[2]) == 2


def test_money_a_fraction_of_a_kopeck_is_refused() -> None:
    with pytest.raises(ValueError):
        to_minor(Decimal("0.001"))


def test_money_parsed_amounts_round_trip() -> None:
    for text in ("150 000", "1,5 млн", "1 500,50"):
        amount = Money.parse(text).amount
        assert from_minor(to_minor(amount)) == amount


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (deal_changes.DealClosed, errors.Closed),
        (tasks.SubjectClosed, errors.Closed),
        (deals.DuplicateDeal, errors.Conflict),
        (routes.RoutePending, errors.Conflict),
        (counterparties.AlreadyCounterparty, errors.Conflict),
        (counterparties.InnTaken, errors.Conflict),
        (counterparties.ClientGone, errors.Gone),
        (tasks.SubjectGone, errors.Gone),
        (tasks.TaskGone, errors.Gone),
        (deals.NotAllowed, errors.NotAllowed),
    ],
)
def test_repository_errors_belong_to_the_taxonomy(
    error: type[Exception], kind: type[errors.DomainError]
) -> None:
    assert issubclass(error, kind)
    assert issubclass(kind, errors.DomainError)


def test_the_four_kinds_are_distinct() -> None:
    kinds = [errors.NotAllowed, errors.Gone, errors.Closed, errors.Conflict]
    for kind in kinds:
        assert kind.__doc__
        assert [other for other in kinds if issubclass(kind, other)] == [kind]
