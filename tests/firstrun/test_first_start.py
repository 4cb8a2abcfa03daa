"""The first /start: with no ``ADMIN_IDS`` a stranger learns their id and the line for ``.env``; the first
admin on an empty company is greeted as new and told where to begin, not «С возвращением»."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import User
from tests.conftest import ADMIN_ID
from tests.factories import make_team, make_user
from tests.harness import Harness, t

STRANGER = 555_101
SECOND_ADMIN = 555_102


# --------------------------------------------------------------------------- no ADMIN_IDS yet


async def test_stranger_start_without_admins_gives_the_id_and_the_env_line(
    harness_without_admins: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    replies = await harness_without_admins.user(STRANGER).send("/start")
    assert replies == [t("access-refused-no-admin", user_id=str(STRANGER))]
    assert "<code>ADMIN_IDS=555101</code>" in replies[0]
    assert "<code>555101</code>" in replies[0] and "закрытый" in replies[0]
    async with sessionmaker() as session:  # telling the id makes nobody a member
        assert await session.scalar(select(User).where(User.telegram_id == STRANGER)) is None


async def test_the_env_line_in_english_for_an_english_telegram(harness_without_admins: Harness) -> None:
    replies = await harness_without_admins.user(STRANGER, language_code="en").send("/start")
    assert replies == [t("access-refused-no-admin", "en", user_id=str(STRANGER))]
    assert "ADMIN_IDS=555101" in replies[0] and "Your Telegram ID" in replies[0]


async def test_other_messages_without_admins_get_the_usual_refusal(harness_without_admins: Harness) -> None:
    stranger = harness_without_admins.user(STRANGER)
    for text in ("Привет", "/new_contact", "/help"):
        assert await stranger.send(text) == [t("access-refused", user_id=str(STRANGER))]


async def test_a_wrong_invite_code_without_admins_also_gives_the_env_line(
    harness_without_admins: Harness,
) -> None:
    replies = await harness_without_admins.user(STRANGER).send("/start not-a-code")
    assert len(replies) == 1
    assert replies[0].startswith(t("invite-invalid", user_id=str(STRANGER)))
    assert t("first-setup-admin-line", user_id=str(STRANGER)) in replies[0]


async def test_once_there_is_an_admin_a_stranger_gets_the_invite_only_answer(harness: Harness) -> None:
    stranger = harness.user(STRANGER)
    assert await stranger.send("/start") == [t("access-refused", user_id=str(STRANGER))]
    replies = await stranger.send("/start not-a-code")
    assert replies == [t("invite-invalid", user_id=str(STRANGER))]
    assert "ADMIN_IDS" not in replies[0]


# --------------------------------------------------------------------------- the first admin


async def test_first_admin_on_an_empty_company_is_told_where_to_begin(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, first_name="Анна", last_name="Смирнова")
    replies = await admin.send("/start")
    assert replies == [t("start-first-admin", name="Анна Смирнова")]
    text = replies[0]
    assert "С возвращением" not in text
    assert "/invite" in text and "/settings" in text and "«📚 Справочники»" in text
    assert "товары" in text and "этапы воронки" in text and "причины" in text
    assert "👤 Новый контакт" in admin.reply_keyboard()
    # Until the company is set up, /start keeps saying where to begin.
    assert await admin.send("/start") == [t("start-first-admin", name="Анна Смирнова")]


async def test_first_admin_in_english(harness: Harness) -> None:
    replies = await harness.user(ADMIN_ID, first_name="Anna", last_name=None, language_code="en").send(
        "/start"
    )
    assert replies == [t("start-first-admin", "en", name="Anna")]
    assert "/invite" in replies[0] and "/settings" in replies[0] and "Welcome back" not in replies[0]


async def test_a_second_admin_on_an_empty_company_is_told_too(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, SECOND_ADMIN, role="admin", team=None, full_name="Борис Админ")
    replies = await harness.user(ADMIN_ID, first_name="Анна", last_name=None).send("/start")
    assert replies == [t("start-first-admin", name="Анна")]


async def test_once_there_is_a_team_the_admin_is_welcomed_back(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_team(sessionmaker, "Продажи Север")
    replies = await harness.user(ADMIN_ID, first_name="Анна", last_name=None).send("/start")
    assert replies == [t("start-welcome-back", name="Анна")]


async def test_once_there_is_a_member_the_admin_is_welcomed_back(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, 555_103, role="manager", team=None)
    replies = await harness.user(ADMIN_ID, first_name="Анна", last_name=None).send("/start")
    assert replies == [t("start-welcome-back", name="Анна")]


async def test_a_member_of_a_new_company_gets_no_admin_hints(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, 555_104, role="team_lead", team=None, full_name="Вера Лид")
    replies = await harness.user(555_104, first_name="Вера", last_name="Лид").send("/start")
    assert replies == [t("start-welcome-back", name="Вера Лид")]
