"""/deals as each role sees it (R1c): its title, the owner and amount of each deal, the total of the whole
filter, and the won and lost filters with the close day and the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Deal, User
from tests.factories import make_contact, make_user
from tests.flows.deals.helpers import MANAGER, OTHER, TEAM_LEAD, Setup, convertible_lead, insert_deal
from tests.harness import Harness, TgUser, first_line, t, tp

ADMIN = 504
DENIED = tp("access-denied")
GROUPS = ("Оборудование", "Расходные материалы", "Программное обеспечение", "Услуги")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def heading(scope: str, flt: str = "all", lang: str = "ru") -> str:
    return first_line("deal-list", lang, scope=scope, filter=t(f"deal-filter-{flt}", lang), items="")


def total(count: int, amount: str) -> str:
    return plain(t("deal-list-total", count=count, amount=amount))


async def close_deal(
    sessionmaker: async_sessionmaker[AsyncSession],
    deal_id: int,
    status: str,
    closed_at: datetime,
    reason: str | None = None,
) -> None:
    async with writing(sessionmaker) as session:
        deal = await session.get(Deal, deal_id)
        assert deal is not None
        deal.status, deal.closed_at, deal.lost_reason = status, closed_at, reason


async def set_timezone(sessionmaker: async_sessionmaker[AsyncSession], user_id: int, zone: str) -> None:
    async with writing(sessionmaker) as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.timezone = zone


async def south_deal(sessionmaker: async_sessionmaker[AsyncSession], **kwargs: object) -> int:
    """A deal of a manager of another team («Продажи Юг»)."""
    await make_user(sessionmaker, OTHER, team="Продажи Юг", full_name="Южный Олег")
    setup = await convertible_lead(sessionmaker, telegram_id=OTHER, other_contact=True)
    return await insert_deal(sessionmaker, setup, **kwargs)  # type: ignore[arg-type]


async def team(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[Setup, Setup]:
    """A manager and their team lead («Продажи Север»), each with a convertible lead."""
    await make_user(sessionmaker, MANAGER, full_name="Петров Пётр Ильич")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Сидоров Семён")
    mine = await convertible_lead(sessionmaker)
    contact = await make_contact(
        sessionmaker,
        mine.manager_id,
        name="Кузнецов Олег",
        phone="+79210000001",
        email="k1@mail.ru",
    )
    lead = await convertible_lead(sessionmaker, telegram_id=TEAM_LEAD, contact_id=contact)
    return mine, lead


def person(harness: Harness, telegram_id: int, given: str, surname: str) -> TgUser:
    """A chat whose Telegram name («Пётр Петров») the bot keeps as the user's name."""
    return harness.user(telegram_id, first_name=given, last_name=surname)


def open_buttons(user: TgUser) -> list[str]:
    return [label for label in user.buttons() if "№" in label]


async def test_r1c_titles_by_role_owner_for_a_team_lead_and_amounts(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: «Мои сделки» for a manager (no owner shown), «Сделки команды» for a team lead with each deal's
    owner, «Все сделки» for an admin; every line has the deal's amount, and the filter its total."""
    mine, lead = await team(sessionmaker)
    await make_user(sessionmaker, ADMIN, role="admin", team=None, full_name="Админов Андрей")
    now = datetime.now(UTC)
    own = await insert_deal(sessionmaker, mine, amount_minor=123_450_000, last_qualifying_at=now)
    leads = await insert_deal(sessionmaker, lead, amount_minor=5_000_050, last_qualifying_at=now)
    south = await south_deal(sessionmaker, amount_minor=700_000_00, last_qualifying_at=now)

    manager = person(harness, MANAGER, "Пётр", "Петров")
    text = plain((await manager.send("/deals"))[-1])
    assert heading("own") in text
    assert f"№{own} " in text and f"№{leads} " not in text and f"№{south} " not in text
    assert "1 234 500 ₽" in text and "👤" not in text
    assert total(1, "1 234 500 ₽") in text
    assert open_buttons(manager) == [f"🟢 №{own} Иванов Иван Иванович"]

    team_lead = person(harness, TEAM_LEAD, "Семён", "Сидоров")
    text = plain((await team_lead.send("/deals"))[-1])
    assert heading("team") in text
    assert f"№{own} " in text and f"№{leads} " in text and f"№{south} " not in text
    assert plain(t("deal-list-owner", owner="Пётр П.")) in text
    assert plain(t("deal-list-owner", owner="Семён С.")) in text
    assert "50 000,50 ₽" in text
    assert total(2, "1 284 500,50 ₽") in text
    labels = open_buttons(team_lead)
    assert f"🟢 №{own} Иванов Иван Иванович · Пётр П." in labels
    assert all(len(label) <= 64 for label in labels)

    text = plain((await harness.user(ADMIN).send("/deals"))[-1])
    assert heading("all") in text
    assert all(f"№{deal_id} " in text for deal_id in (own, leads, south))
    assert plain(t("deal-list-owner", owner="Южный О.")) in text
    assert total(3, "1 984 500,50 ₽") in text


async def test_the_english_titles(harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    mine, _ = await team(sessionmaker)
    await insert_deal(sessionmaker, mine, last_qualifying_at=datetime.now(UTC))
    text = (await harness.user(TEAM_LEAD, language_code="en").send("/deals"))[-1]
    assert heading("team", lang="en") in text
    assert plain(t("deal-list-total", "en", count=1, amount="150 000 ₽")) in plain(text)


async def test_the_total_counts_every_page_with_russian_plurals(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Twelve open deals of 102 875 ₽: the first page shows ten, both pages the total of all twelve."""
    first = await convertible_lead(sessionmaker)
    contacts = [first.contact_id]
    for name, phone, email in (
        ("Кузнецов Олег", "+79210000001", "a1@mail.ru"),
        ("Кузнецов Юрий", "+79210000002", "a2@mail.ru"),
    ):
        contacts.append(
            await make_contact(sessionmaker, first.manager_id, name=name, phone=phone, email=email)
        )
    ids = []
    for contact_id in contacts:
        for group in GROUPS:
            setup = await convertible_lead(sessionmaker, contact_id=contact_id)
            ids.append(
                await insert_deal(
                    sessionmaker,
                    setup,
                    group=group,
                    amount_minor=10_287_500,
                    last_qualifying_at=datetime.now(UTC),
                )
            )
    manager = harness.user(MANAGER)
    first_page = plain((await manager.send("/deals"))[-1])
    assert sum(f"№{deal_id} " in first_page for deal_id in ids) == 10
    assert "Всего: 12 сделок на 1 234 500 ₽" in first_page
    second_page = plain((await manager.click(tp("btn-next")))[-1])
    assert sum(f"№{deal_id} " in second_page for deal_id in ids) == 2
    assert "Всего: 12 сделок на 1 234 500 ₽" in second_page
    assert total(1, "1 ₽") == "Всего: 1 сделка на 1 ₽"
    assert total(3, "1 ₽") == "Всего: 3 сделки на 1 ₽"
    assert total(11, "1 ₽") == "Всего: 11 сделок на 1 ₽"
    assert total(22, "1 ₽") == "Всего: 22 сделки на 1 ₽"


async def test_won_and_lost_filters_show_the_close_day_and_the_reason_of_the_team_only(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: a team lead's «Выиграны» and «Проиграны» hold the team's closed deals, the latest first, with the
    close day in the reader's time zone and a lost deal's reason; another team's closed deals are not there.
    A closed deal opens as its card, read-only."""
    mine, lead = await team(sessionmaker)
    lead_id = lead.manager_id
    await set_timezone(sessionmaker, lead_id, "Asia/Vladivostok")
    won_old = await insert_deal(sessionmaker, mine, group="Оборудование", amount_minor=100_000_00)
    second = await convertible_lead(sessionmaker, contact_id=mine.contact_id)
    won_new = await insert_deal(sessionmaker, second, group="Услуги", amount_minor=20_000_00)
    lost = await insert_deal(sessionmaker, lead, amount_minor=30_000_00)
    open_deal = await insert_deal(
        sessionmaker,
        await convertible_lead(sessionmaker, contact_id=mine.contact_id),
        group="Расходные материалы",
        last_qualifying_at=datetime.now(UTC),
    )
    south_won = await south_deal(sessionmaker)
    # 20:30 UTC on 10 March is the 11th in Vladivostok (UTC+10).
    await close_deal(sessionmaker, won_old, "won", datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    await close_deal(sessionmaker, won_new, "won", datetime(2027, 3, 10, 20, 30, tzinfo=UTC))
    await close_deal(
        sessionmaker, lost, "lost", datetime(2027, 3, 5, 9, 0, tzinfo=UTC), "Клиент выбрал поставщика дешевле"
    )
    await close_deal(sessionmaker, south_won, "won", datetime(2027, 3, 12, 9, 0, tzinfo=UTC))

    team_lead = harness.user(TEAM_LEAD)
    text = plain((await team_lead.send("/deals"))[-1])
    assert f"№{open_deal} " in text and f"№{won_new} " not in text
    text = plain((await team_lead.click(tp("deal-filter-won")))[-1])
    assert heading("team", "won") in text
    assert f"№{south_won} " not in text and f"№{lost} " not in text and f"№{open_deal} " not in text
    assert text.index(f"№{won_new} ") < text.index(f"№{won_old} ")
    assert "выиграна 11.03.2027" in text and "выиграна 01.03.2027" in text
    assert plain(t("deal-list-owner", owner="Петров П.")) in text
    assert total(2, "120 000 ₽") in text
    assert f"🏆 №{won_new} Иванов Иван Иванович · Петров П." in team_lead.buttons()

    text = plain((await team_lead.click(tp("deal-filter-lost")))[-1])
    assert f"№{lost} " in text and f"№{won_new} " not in text
    assert "проиграна 05.03.2027" in text
    assert "Клиент выбрал поставщика дешевле" in text
    assert total(1, "30 000 ₽") in text

    # The closed deal opens as its card: closed, with no buttons that change it.
    card = (await team_lead.click(f"№{lost} "))[-1]
    assert first_line("deal-card-title", id=str(lost), status=t("deal-status-lost")) in card
    assert "Клиент выбрал поставщика дешевле" in card
    assert tp("deal-btn-won") not in team_lead.buttons() and tp("deal-btn-edit") not in team_lead.buttons()

    # The manager's own «Выиграны» has their two deals only, in Moscow time (the default zone).
    manager = harness.user(MANAGER)
    await manager.send("/deals")
    text = plain((await manager.click(tp("deal-filter-won")))[-1])
    assert heading("own", "won") in text
    assert f"№{won_new} " in text and f"№{won_old} " in text and f"№{south_won} " not in text
    assert "выиграна 10.03.2027" in text and "11.03.2027" not in text
    text = plain((await manager.click(tp("deal-filter-lost")))[-1])
    assert t("deal-list-empty") in text and "Всего" not in text


async def test_closed_deals_are_paged_by_sql_with_the_total_of_all(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Twelve lost deals: ten on the first page (the latest closed), two on the next, the total of twelve."""
    first = await convertible_lead(sessionmaker)
    contacts = [first.contact_id]
    for name, phone, email in (
        ("Кузнецов Олег", "+79210000001", "a1@mail.ru"),
        ("Кузнецов Юрий", "+79210000002", "a2@mail.ru"),
    ):
        contacts.append(
            await make_contact(sessionmaker, first.manager_id, name=name, phone=phone, email=email)
        )
    ids = []
    for contact_id in contacts:
        for group in GROUPS:
            setup = await convertible_lead(sessionmaker, contact_id=contact_id)
            deal_id = await insert_deal(sessionmaker, setup, group=group, amount_minor=1_000_00)
            await close_deal(
                sessionmaker, deal_id, "lost", datetime(2027, 1, 1 + len(ids), 9, tzinfo=UTC), "Дорого"
            )
            ids.append(deal_id)
    manager = harness.user(MANAGER)
    await manager.send("/deals")
    first_page = plain((await manager.click(tp("deal-filter-lost")))[-1])
    assert [deal_id for deal_id in ids if f"№{deal_id} " in first_page] == ids[2:]
    assert first_page.index(f"№{ids[-1]} ") < first_page.index(f"№{ids[2]} ")
    assert total(12, "12 000 ₽") in first_page
    second_page = plain((await manager.click(tp("btn-next")))[-1])
    assert [deal_id for deal_id in ids if f"№{deal_id} " in second_page] == ids[:2]
    assert total(12, "12 000 ₽") in second_page
    assert tp("btn-next") not in manager.buttons()


async def test_r1c_a_forged_deal_id_from_the_list_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """R1c: a list button's data with another team's deal id (open or closed) is refused; nothing opens."""
    mine, _ = await team(sessionmaker)
    own = await insert_deal(sessionmaker, mine, last_qualifying_at=datetime.now(UTC))
    south = await south_deal(sessionmaker, last_qualifying_at=datetime.now(UTC))
    team_lead = harness.user(TEAM_LEAD)
    await team_lead.send("/deals")
    message = harness.messages_to(TEAM_LEAD)[-1]
    assert message.reply_markup is not None
    data = next(
        b.callback_data for row in message.reply_markup.inline_keyboard for b in row
        if b.text.startswith(f"🟢 №{own} ")
    )  # fmt: skip
    assert data is not None and data.endswith(str(own))
    forged = data.removesuffix(str(own)) + str(south)
    assert await team_lead.press(forged) == [DENIED]
    await close_deal(sessionmaker, south, "won", datetime(2027, 3, 1, tzinfo=UTC))
    assert await team_lead.press(forged) == [DENIED]
    # The real button still opens the team's deal.
    replies = await team_lead.press(data)
    assert first_line("deal-card-title", id=str(own), status=t("deal-status-open")) in replies[-1]


async def test_an_empty_filter_says_so_without_a_total(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, ADMIN, role="admin", team=None)
    admin = harness.user(ADMIN)
    text = (await admin.send("/deals"))[-1]
    assert heading("all") in text and t("deal-list-empty") in text and "Всего" not in text
    for flt in ("won", "lost"):
        text = (await admin.click(tp(f"deal-filter-{flt}")))[-1]
        assert heading("all", flt) in text and t("deal-list-empty") in text
