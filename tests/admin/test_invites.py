"""/invite (admins): a role, a team (a button, or a name typed), then a single-use deep link in a message of
its own. Invalid team names re-ask with the reason and save nothing; forged or stale buttons change
nothing."""

from __future__ import annotations

import re

from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import writing
from db.models import Invite, Team, User
from tests.admin.helpers import admin, count, dialog_button, person
from tests.conftest import ADMIN_ID
from tests.factories import make_team, make_user
from tests.harness import BOT_USERNAME, Harness, first_line, t, tp

LINK = re.compile(re.escape(f"https://t.me/{BOT_USERNAME}?start=") + r"(\S+)")
MANAGER = 901
SECOND_ADMIN = 902


async def _invites(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Invite]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Invite).order_by(Invite.id)))


async def test_manager_invite_into_an_existing_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    team_id = await make_team(sessionmaker, "Продажи Север")
    boss = await admin(harness)
    replies = await boss.send("/invite")
    assert replies == [t("invite-pick-role")]
    assert boss.buttons()[:3] == [tp("role-manager"), tp("role-team_lead"), tp("role-admin")]
    replies = await boss.click(tp("role-manager"))
    assert first_line("invite-pick-team", role=tp("role-manager")) in replies[-1]
    assert t("invite-team-or-type") in replies[-1]
    assert isinstance(harness.session.calls[-2], EditMessageText)  # the window changed in place
    replies = await boss.click("Продажи Север")
    link = replies[-1]
    match = LINK.search(link)
    assert match is not None
    assert "Роль: <b>Менеджер</b>, команда: <b>Продажи Север</b>" in link
    [invite] = await _invites(sessionmaker)
    assert invite.role == "manager" and invite.team_id == team_id and invite.used_at is None
    assert match.group(1) not in (invite.code_hash or "")

    joiner = harness.user(700_500, first_name="Анна", last_name="Смирнова")
    replies = await joiner.send(f"/start {match.group(1)}")
    assert "Анна Смирнова" in replies[0] and "Продажи Север" in replies[0]


async def test_admin_invite_needs_no_team(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/invite")
    replies = await boss.click(tp("role-admin"))
    assert LINK.search(replies[-1]) and "команда: <b>—</b>" in replies[-1]
    [invite] = await _invites(sessionmaker)
    assert invite.role == "admin" and invite.team_id is None


async def test_new_team_is_asked_in_a_message_and_invalid_names_are_refused(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/invite")
    await boss.click(tp("role-team_lead"))
    sent_before = len(harness.calls(SendMessage))
    replies = await boss.click(tp("invite-new-team"))
    assert replies[-1] == t("invite-ask-team-name")
    assert len(harness.calls(SendMessage)) == sent_before + 1  # a message of its own, as before
    replies = await boss.send("Ю")
    assert t("invite-team-name-invalid") in replies[-1] and t("invite-ask-team-name") in replies[-1]
    replies = await boss.send("ю" * 101)
    assert t("limit-too-long", limit=100, length=101) in replies[-1]
    replies = await boss.send_document("team.pdf")
    assert t("form-err-text-expected") in replies[-1]
    assert await count(sessionmaker, Team) == 0 and await _invites(sessionmaker) == []
    replies = await boss.send("  Продажи   Восток ")
    assert (
        LINK.search(replies[-1]) and "Руководитель группы" in replies[-1] and "Продажи Восток" in replies[-1]
    )
    async with sessionmaker() as session:
        team = await session.scalar(select(Team).where(Team.name == "Продажи Восток"))
    [invite] = await _invites(sessionmaker)
    assert team is not None and invite.team_id == team.id and invite.role == "team_lead"


async def test_a_team_name_typed_at_the_team_buttons_picks_or_creates_it(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    team_id = await make_team(sessionmaker, "Продажи Север")
    boss = await admin(harness)
    await boss.send("/invite")
    await boss.click(tp("role-manager"))
    replies = await boss.send("продажи СЕВЕР")
    assert LINK.search(replies[-1]) and "Продажи Север" in replies[-1]
    assert await count(sessionmaker, Team) == 1
    assert [invite.team_id for invite in await _invites(sessionmaker)] == [team_id]


async def test_cancel_and_back_save_nothing(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = await admin(harness)
    await boss.send("/invite")
    await boss.click(tp("role-manager"))
    replies = await boss.click(tp("btn-back"))
    assert replies[-1] == t("invite-pick-role")
    replies = await boss.send("Менеджер")
    assert t("invite-use-buttons") in replies[-1]
    replies = await boss.click(tp("btn-cancel"))
    assert replies[-1] == t("cancelled")
    assert await _invites(sessionmaker) == []


async def test_non_admins_and_forged_or_stale_buttons_get_no_invite(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessionmaker, MANAGER, full_name="Пётр Менеджеров")
    manager = person(harness, MANAGER, "Пётр Менеджеров")
    replies = await manager.send("/invite")
    assert replies == [t("admin-only")]

    boss = await admin(harness)
    await boss.send("/invite")
    replies = await boss.press(dialog_button(harness, ADMIN_ID, "role:owner"))
    assert replies == [tp("button-stale")]
    await boss.click(tp("role-manager"))
    replies = await boss.press(dialog_button(harness, ADMIN_ID, "team:999999"))
    assert replies == [tp("button-stale")]
    replies = await manager.press(dialog_button(harness, ADMIN_ID, "new_team"))
    assert replies == [tp("button-stale")]

    # An admin demoted in the middle of an invite is refused at the next press.
    second_id = await make_user(
        sessionmaker, SECOND_ADMIN, role="admin", team="Продажи Север", full_name="Борис Второй"
    )
    second = person(harness, SECOND_ADMIN, "Борис Второй")
    await second.send("/invite")
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == second_id).values(role="manager"))
    replies = await second.click(tp("role-admin"))
    assert replies == [tp("admin-only")]
    assert await _invites(sessionmaker) == []


async def test_an_english_admin_invites_in_english(
    harness: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    boss = harness.user(ADMIN_ID, language_code="en")
    replies = await boss.send("/invite")
    assert replies == [t("invite-pick-role", "en")]
    await boss.click(tp("role-manager", "en"))
    await boss.click(tp("invite-new-team", "en"))
    replies = await boss.send("Sales East")
    assert LINK.search(replies[-1]) and "Role: <b>Manager</b>" in replies[-1]
    assert not re.search("[А-Яа-яЁё]", "".join(boss.replies()))
