"""People and access: admins from ADMIN_IDS, invites, strangers refused on every update, groups ignored."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, Message, Update
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Invite, InviteFailure, Team, User
from tests.conftest import ADMIN_ID
from tests.harness import BOT_USERNAME, Harness


async def make_invite(harness: Harness, role: str = "manager", team: str = "Продажи Север") -> str:
    """An admin invites through the buttons; returns the start code from the deep link."""
    admin = harness.user(ADMIN_ID)
    await admin.send("/invite")
    await admin.click({"manager": "Менеджер", "team_lead": "Руководитель", "admin": "Администратор"}[role])
    if role != "admin":
        if team in admin.buttons():
            await admin.click(team)
        else:
            await admin.click("Новая команда")
            await admin.send(team)
    link = admin.last
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert prefix in link, link
    return link.split(prefix)[1].split()[0]


async def test_admin_from_admin_ids_gets_the_menu_on_start(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    admin = harness.user(ADMIN_ID)
    replies = await admin.send("/start")
    assert "Главное меню" in replies[-1]
    assert "👤 Новый контакт" in admin.reply_keyboard()
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
    assert user is not None and user.role == "admin"


async def test_stranger_is_refused_with_their_id_and_nothing_else(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    stranger = harness.user(555_001)
    for text in ("/start", "/new_contact", "Привет", "/help"):
        replies = await stranger.send(text)
        assert len(replies) == 1
        assert "555001" in replies[0] and "закрытый" in replies[0]
    async with sessionmaker() as session:
        assert await session.scalar(select(User).where(User.telegram_id == 555_001)) is None


async def test_stranger_pressing_a_button_gets_a_refusal_alert(harness: Harness) -> None:
    stranger = harness.user(555_002)
    fake = Message(
        message_id=1, date=utcnow(), chat=Chat(id=555_002, type="private"), text="old", from_user=None
    )
    harness.session.messages[(555_002, 1)] = fake
    replies = await stranger.press("inv:role:admin:0", message_id=1)
    assert "555002" in replies[0]
    alerts = harness.calls(AnswerCallbackQuery)
    assert alerts and alerts[-1].show_alert


async def test_stranger_edited_message_is_refused_too(harness: Harness) -> None:
    stranger = harness.user(555_003)
    message = stranger._message(text="изменённое")
    replies = await stranger.feed(Update(update_id=900_001, edited_message=message))
    assert "555003" in replies[0]


async def test_group_chats_are_ignored(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    before = len(harness.session.calls)
    group = Chat(id=-100123, type="supergroup", title="Отдел")
    await admin.feed(Update(update_id=900_002, message=admin._message(text="/start", chat=group)))
    assert harness.session.calls[before:] == []


async def test_invite_joins_a_stranger_once_and_never_again(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    code = await make_invite(harness, "manager", "Продажи Север")
    newcomer = harness.user(777_001, first_name="Анна", last_name="Смирнова")
    replies = await newcomer.send(f"/start {code}")
    assert "Добро пожаловать, Анна Смирнова" in replies[-1]
    assert "Менеджер" in replies[-1] and "Продажи Север" in replies[-1]
    assert "📅 План на день" in newcomer.reply_keyboard()

    second = harness.user(777_002)
    replies = await second.send(f"/start {code}")
    assert "недействительна" in replies[-1] and "777002" in replies[-1]
    async with sessionmaker() as session:
        joined = await session.scalar(select(User).where(User.telegram_id == 777_001))
        assert joined is not None and joined.role == "manager" and joined.team_id is not None
        assert await session.scalar(select(User).where(User.telegram_id == 777_002)) is None
        # Only the hash of the code is stored.
        invite = await session.scalar(select(Invite))
        assert invite is not None and code not in invite.code_hash and invite.used_at is not None


async def test_team_lead_invite_reuses_an_existing_team(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await make_invite(harness, "manager", "Юг")
    code = await make_invite(harness, "team_lead", "Юг")
    lead = harness.user(777_010)
    await lead.send(f"/start {code}")
    async with sessionmaker() as session:
        users = {u.telegram_id: u for u in await session.scalars(select(User))}
    assert users[777_010].role == "team_lead"


async def test_new_team_typed_again_in_other_case_reuses_the_team(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    """A Cyrillic name typed again, in capitals or as it was, is the same team (SQLite folds ASCII only)."""
    admin = harness.user(ADMIN_ID)
    for typed in ("Продажи Восток", "ПРОДАЖИ ВОСТОК", "ПРОДАЖИ ВОСТОК"):
        await admin.send("/invite")
        await admin.click("Менеджер")
        await admin.click("Новая команда")
        replies = await admin.send(typed)
        assert f"https://t.me/{BOT_USERNAME}?start=" in replies[-1], replies
    async with sessionmaker() as session:
        assert [team.name for team in await session.scalars(select(Team))] == ["Продажи Восток"]


async def test_expired_invite_is_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    code = await make_invite(harness)
    async with sessionmaker() as session:
        await session.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
        await session.commit()
    replies = await harness.user(777_003).send(f"/start {code}")
    assert "недействительна" in replies[-1]


async def test_wrong_codes_are_rate_limited_per_telegram_id(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    code = await make_invite(harness)
    guesser = harness.user(777_004)
    for attempt in range(5):
        replies = await guesser.send(f"/start wrong-code-{attempt}")
        assert "недействительна" in replies[-1]
    replies = await guesser.send(f"/start {code}")
    assert "Слишком много неверных кодов" in replies[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(User).where(User.telegram_id == 777_004)) is None
        assert len(list(await session.scalars(select(InviteFailure)))) == 5
    # Another person is not affected by this one's guessing.
    replies = await harness.user(777_005).send(f"/start {code}")
    assert "Добро пожаловать" in replies[-1]


async def test_only_admins_may_invite(harness: Harness) -> None:
    code = await make_invite(harness)
    manager = harness.user(777_006)
    await manager.send(f"/start {code}")
    replies = await manager.send("/invite")
    assert replies == ["Эта команда доступна только администраторам."]
    # A forged invite button from a manager changes nothing either.
    replies = await manager.press("inv:role:admin:0", message_id=harness.messages_to(777_006)[-1].message_id)
    assert "только администраторам" in replies[-1]
    sent_links = [c for c in harness.calls(SendMessage) if c.chat_id == 777_006 and "t.me/" in c.text]
    assert sent_links == []


async def test_deactivated_user_is_refused(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    code = await make_invite(harness)
    person = harness.user(777_007)
    await person.send(f"/start {code}")
    async with sessionmaker() as session:
        await session.execute(update(User).where(User.telegram_id == 777_007).values(is_active=False))
        await session.commit()
    replies = await person.send("/menu")
    assert "отключён" in replies[-1] and "777007" in replies[-1]


async def test_a_user_who_writes_again_is_reachable_again(harness: Harness, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    """After a 403 the sender marks a user unreachable; their next message shows they unblocked the bot."""
    code = await make_invite(harness)
    person = harness.user(777_008)
    await person.send(f"/start {code}")
    async with sessionmaker() as session:
        await session.execute(update(User).where(User.telegram_id == 777_008).values(is_reachable=False))
        await session.commit()
    await person.send("/menu")
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 777_008))
    assert user is not None and user.is_reachable
