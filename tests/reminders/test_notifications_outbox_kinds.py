"""Notices to other users go through the outbox (issue 10, item 6): a route requested or decided, a lead or a
deal handed over, the work a deactivated user left, an invitee who joined, a task set for someone else.

Each change is made by its real repository function; each notice must be queued in the change's own write
transaction (the change rolled back, no row), be delivered by ``bot.sender`` with the text its recipient
expects (names escaped, sent with HTML parse mode to the fake Bot API, which refuses bad markup), wait
through the recipient's quiet hours, be retried on 5xx, skip a recipient who blocked the bot (403), and show
in the admins' ``/outbox`` once failed.
"""

# The fixtures (tg, bot, hub, quiet_free) are imported from test_sender, so pytest sees them as parameters.
# ruff: noqa: F811

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from aiogram import Bot
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import HandoverCb as ReassignCb
from bot.callbacks import PlanCb, RouteCb
from bot.i18n import TranslatorHub
from bot.sender import drain_outbox
from bot.settings import Settings
from db.engine import write_tx, writing
from db.models import ClientRoute, Deal, Lead, OutboxMessage, Task, User
from db.repo import handover as team_repo
from db.repo import leads as leads_repo
from db.repo import outbox, routes, users
from db.repo import tasks as tasks_repo
from db.repo.counterparties import CounterpartyDraft
from domain.access import Actor, Role
from domain.registry import CounterpartyKind
from tests.conftest import ADMIN_ID
from tests.factories import make_contact, make_lead
from tests.fakeapi import FakeTelegram, iter_buttons
from tests.harness import Harness
from tests.registry import make_client
from tests.reminders.test_sender import (  # noqa: F401 - fixtures
    add_deal,
    bot,
    delivered,
    hub,
    person,
    quiet_free,
    tg,
)

Sessionmaker = async_sessionmaker[AsyncSession]

ACTOR_TG, RECIPIENT_TG, OWNER_TG = 9101, 9102, 9103
TEAM = "Продажи Юг"
ACTOR_NAME = "Ольга <Руководитель> & Ко"  # must arrive escaped


class Boom(Exception):
    """Raised inside the change's transaction, after the repository function, to roll it back."""


@dataclass
class Case:
    """One kind of notice: who makes the change, who is told, and how to recognise the message."""

    kind: str
    recipient_tg: int
    expected: str  # a fragment of the delivered text
    change: Callable[[AsyncSession], Awaitable[None]]
    done: Callable[[AsyncSession], Awaitable[bool]]  # the change is in the database
    button: str | None = None  # the callback data of a button the notice carries


async def _user_id(session: AsyncSession, telegram_id: int) -> int:
    found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    assert found is not None
    return found


async def _route_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """A manager sends a client along a route; the approver (a team lead) is asked to decide."""
    requester = await person(sessionmaker, tg, ACTOR_TG, team=TEAM, full_name=ACTOR_NAME)
    approver = await person(sessionmaker, tg, RECIPIENT_TG, role="team_lead", team=TEAM)
    client = await make_client(sessionmaker, requester, "ООО <Ромашка>")
    async with sessionmaker() as session:
        team_id = (await session.get(User, requester)).team_id  # type: ignore[union-attr]
    draft = CounterpartyDraft("ООО «Ко»", "7707083893", None, CounterpartyKind.PARTNER)
    request = routes.RouteRequest(client, approver, draft, "Клиент готов подписать договор")

    async def change(session: AsyncSession) -> None:
        await routes.request_route(session, Actor(requester, Role.MANAGER, team_id), request)

    async def done(session: AsyncSession) -> bool:
        return bool(await session.scalar(select(func.count()).select_from(ClientRoute)))

    return Case(
        outbox.ROUTE_REQUESTED,
        RECIPIENT_TG,
        "Ольга &lt;Руководитель&gt; &amp; Ко",
        change,
        done,
        button="route",
    )


async def _lead_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """R1c: the team lead hands a manager's lead to another manager of the team."""
    lead_user = await person(sessionmaker, tg, ACTOR_TG, role="team_lead", team=TEAM, full_name=ACTOR_NAME)
    owner = await person(sessionmaker, tg, OWNER_TG, team=TEAM, full_name="Пётр Менеджеров")
    member = await person(sessionmaker, tg, RECIPIENT_TG, team=TEAM, full_name="Олег Новиков")
    lead = await make_lead(
        sessionmaker, await make_contact(sessionmaker, owner, name="Кузнецов Андрей"), owner
    )
    async with sessionmaker() as session:
        team_id = (await session.get(User, lead_user)).team_id  # type: ignore[union-attr]

    async def change(session: AsyncSession) -> None:
        actor = Actor(lead_user, Role.TEAM_LEAD, team_id)
        assert await leads_repo.reassign_lead(session, actor=actor, lead_id=lead, user_id=member) is (
            leads_repo.Change.DONE
        )

    async def done(session: AsyncSession) -> bool:
        return await session.scalar(select(Lead.responsible_id).where(Lead.id == lead)) == member

    return Case(outbox.LEAD_ASSIGNED, RECIPIENT_TG, f"лид №{lead}: Кузнецов Андрей", change, done)


async def _deactivated_owner(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> tuple[int, int, int]:
    """An admin (the actor), a manager with an open deal (and its converted lead), and a team lead."""
    actor = await person(sessionmaker, tg, ACTOR_TG, role="admin", team=None, full_name=ACTOR_NAME)
    owner = await person(sessionmaker, tg, OWNER_TG, team=TEAM, full_name="Пётр Менеджеров")
    lead_user = await person(sessionmaker, tg, RECIPIENT_TG, role="team_lead", team=TEAM)
    await add_deal(sessionmaker, owner, await make_contact(sessionmaker, owner))
    return actor, owner, lead_user


async def _deal_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """An admin hands one open deal of a deactivated manager to the team lead."""
    actor, owner, lead_user = await _deactivated_owner(sessionmaker, tg)
    async with writing(sessionmaker) as session:
        await session.execute(update(User).where(User.id == owner).values(is_active=False))
        deal = await session.scalar(select(Deal.id).where(Deal.responsible_id == owner))
    assert deal is not None

    async def change(session: AsyncSession) -> None:
        await team_repo.reassign_one(session, actor, owner, "d", deal, lead_user)

    async def done(session: AsyncSession) -> bool:
        return await session.scalar(select(Deal.responsible_id).where(Deal.id == deal)) == lead_user

    return Case(outbox.WORK_ASSIGNED, RECIPIENT_TG, f"Вам передана сделка №{deal}", change, done)


async def _handover_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """An admin deactivates a manager with open work: the team's lead is told to hand it over."""
    actor, owner, _lead_user = await _deactivated_owner(sessionmaker, tg)

    async def change(session: AsyncSession) -> None:
        assert await team_repo.set_active(session, actor, owner, False, [])

    async def done(session: AsyncSession) -> bool:
        return await session.scalar(select(User.is_active).where(User.id == owner)) is False

    return Case(
        outbox.WORK_HANDOVER,
        RECIPIENT_TG,
        "Сотрудник Пётр Менеджеров отключён. У него остались открытые лиды: 0 и сделки: 1.",  # counts now
        change,
        done,
        button="handover",
    )


async def _invite_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """A new member joins with an invite: the admin who made it is told."""
    inviter = await person(sessionmaker, tg, RECIPIENT_TG, role="admin", team=None)
    async with writing(sessionmaker) as session:
        team = await users.get_or_create_team(session, TEAM)
    async with sessionmaker() as session:
        code, _invite = await users.create_invite(
            session, role="manager", team_id=team.id, created_by_id=inviter, ttl=timedelta(days=1)
        )
    if tg is not None:
        tg.register_chat(OWNER_TG)

    async def change(session: AsyncSession) -> None:
        await users.redeem_invite(
            session,
            code=code,
            telegram_id=OWNER_TG,
            full_name=ACTOR_NAME,
            username=None,
            max_failures=5,
            window=timedelta(minutes=15),
        )

    async def done(session: AsyncSession) -> bool:
        return await session.scalar(select(User.id).where(User.telegram_id == OWNER_TG)) is not None

    return Case(
        outbox.INVITE_JOINED,
        RECIPIENT_TG,
        "подключился новый сотрудник: Ольга &lt;Руководитель&gt; &amp; Ко. Роль: <b>Менеджер</b>, "
        f"команда: <b>{TEAM}</b>",
        change,
        done,
    )


async def _task_case(sessionmaker: Sessionmaker, tg: FakeTelegram | None) -> Case:
    """R1c: a team lead sets a personal task for a member of the team; the member is told."""
    lead_user = await person(sessionmaker, tg, ACTOR_TG, role="team_lead", team=TEAM, full_name=ACTOR_NAME)
    member = await person(sessionmaker, tg, RECIPIENT_TG, team=TEAM, full_name="Олег Новиков")
    async with sessionmaker() as session:
        team_id = (await session.get(User, lead_user)).team_id  # type: ignore[union-attr]
    due = datetime.now(UTC) + timedelta(days=2)

    async def change(session: AsyncSession) -> None:
        actor = Actor(lead_user, Role.TEAM_LEAD, team_id)
        await tasks_repo.add_subject_task(
            session, actor, tasks_repo.PERSONAL, 0, "Позвонить <директору>", due, assignee_id=member
        )

    async def done(session: AsyncSession) -> bool:
        return await session.scalar(select(Task.assignee_id)) == member

    return Case(
        outbox.TASK_ASSIGNED,
        RECIPIENT_TG,
        "Ольга &lt;Руководитель&gt; &amp; Ко поставил(а) вам задачу «Позвонить &lt;директору&gt;»",
        change,
        done,
        button="plan",
    )


CASES: dict[str, Callable[[Sessionmaker, FakeTelegram | None], Awaitable[Case]]] = {
    "route requested": _route_case,
    "lead reassigned": _lead_case,
    "deal reassigned": _deal_case,
    "work handed over": _handover_case,
    "invitee joined": _invite_case,
    "task assigned": _task_case,
}


async def _notices(sessionmaker: Sessionmaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind.in_(outbox.NOTICE_KINDS))
                .order_by(OutboxMessage.id)
                .execution_options(populate_existing=True)
            )
        )


async def _make(case: Case, sessionmaker: Sessionmaker) -> OutboxMessage:
    async with sessionmaker() as session:
        await case.change(session)
    [row] = await _notices(sessionmaker)
    return row


@pytest.mark.parametrize("name", CASES)
async def test_the_notice_is_queued_in_the_changes_transaction(sessionmaker: Sessionmaker, name: str) -> None:
    case = await CASES[name](sessionmaker, None)

    # The change fails after the repository function: neither the change nor its notice remains.
    async with sessionmaker() as session:
        with pytest.raises(Boom):
            async with write_tx(session):
                await case.change(session)  # its own write_tx joins this one
                raise Boom
    async with sessionmaker() as session:
        assert not await case.done(session)
    assert await _notices(sessionmaker) == []

    row = await _make(case, sessionmaker)
    async with sessionmaker() as session:
        assert await case.done(session)
        recipient = await _user_id(session, case.recipient_tg)
    assert row.kind == case.kind and row.recipient_id == recipient and row.status == "pending"
    payload = json.loads(row.payload)
    assert payload and all(isinstance(value, int) for value in payload.values()), "ids and counts only"


@pytest.mark.parametrize("name", CASES)
async def test_the_sender_delivers_the_text_the_recipient_expects(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: Sessionmaker,
    quiet_free: Settings,
    hub: TranslatorHub,
    name: str,
) -> None:
    case = await CASES[name](sessionmaker, tg)
    row = await _make(case, sessionmaker)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 1

    [text] = delivered(tg, case.recipient_tg)
    assert case.expected in text
    assert [r.status for r in await _notices(sessionmaker)] == ["sent"]
    [call] = [
        c for c in tg.calls_to("sendMessage", ok_only=True) if c.params.get("chat_id") == case.recipient_tg
    ]
    data = [button.get("callback_data") for button in iter_buttons(call.params)]
    payload = json.loads(row.payload)
    if case.button == "route":  # the same buttons the route handlers answer
        route = payload["route_id"]
        assert data == [RouteCb(action="approve", id=route).pack(), RouteCb(action="reject", id=route).pack()]
    elif case.button == "plan":
        assert data == [PlanCb().pack()]
    elif case.button == "handover":
        owner = payload["owner_id"]
        assert data == [ReassignCb(action="list", owner=owner).pack()]


@pytest.mark.parametrize("name", CASES)
async def test_the_notice_waits_through_the_recipients_quiet_hours(
    tg: FakeTelegram, bot: Bot, sessionmaker: Sessionmaker, settings: Settings, hub: TranslatorHub, name: str
) -> None:
    night_rule = settings.model_copy(update={"quiet_hours": "21:00-09:00"})
    zone = night_rule.default_zone
    case = await CASES[name](sessionmaker, tg)
    row = await _make(case, sessionmaker)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    night = datetime.combine(tomorrow, time(23, 30), tzinfo=zone)
    morning = datetime.combine(tomorrow + timedelta(days=1), time(9, 0), tzinfo=zone)

    assert await drain_outbox(bot, sessionmaker, night_rule, hub, clock=lambda: night) == 0

    assert delivered(tg, case.recipient_tg) == []
    [held] = await _notices(sessionmaker)
    assert held.id == row.id and held.status == "pending" and held.attempts == 0
    assert held.send_after == morning
    before = morning - timedelta(minutes=1)
    assert await drain_outbox(bot, sessionmaker, night_rule, hub, clock=lambda: before) == 0
    assert await drain_outbox(bot, sessionmaker, night_rule, hub, clock=lambda: morning) == 1
    assert case.expected in delivered(tg, case.recipient_tg)[0]


@pytest.mark.parametrize("name", CASES)
async def test_a_5xx_is_retried_and_a_403_skips_a_recipient_who_blocked_the_bot(
    tg: FakeTelegram,
    bot: Bot,
    sessionmaker: Sessionmaker,
    quiet_free: Settings,
    hub: TranslatorHub,
    name: str,
) -> None:
    case = await CASES[name](sessionmaker, tg)
    row = await _make(case, sessionmaker)
    tg.fail_next("sendMessage", status=502, times=1)
    start = datetime.now(quiet_free.default_zone)

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub, clock=lambda: start) == 0
    [retry] = await _notices(sessionmaker)
    assert retry.status == "pending" and retry.attempts == 1
    assert retry.last_error and retry.last_error.startswith("TelegramServerError")

    tg.block_user(case.recipient_tg)
    later = start + timedelta(minutes=1)
    await drain_outbox(bot, sessionmaker, quiet_free, hub, clock=lambda: later)

    [skipped] = await _notices(sessionmaker)
    assert skipped.id == row.id and skipped.status == "skipped"
    assert skipped.last_error == "TelegramForbiddenError"
    async with sessionmaker() as session:
        recipient = await session.get(User, skipped.recipient_id)
        assert recipient is not None and recipient.is_reachable is False
    calls = [c for c in tg.calls_to("sendMessage") if c.params.get("chat_id") == case.recipient_tg]
    assert [c.status for c in calls] == [502, 403]
    assert delivered(tg, case.recipient_tg) == []


@pytest.mark.parametrize("name", CASES)
async def test_a_failed_notice_shows_in_outbox(
    tg: FakeTelegram,
    bot: Bot,
    harness: Harness,
    sessionmaker: Sessionmaker,
    quiet_free: Settings,
    hub: TranslatorHub,
    name: str,
) -> None:
    case = await CASES[name](sessionmaker, tg)
    row = await _make(case, sessionmaker)
    # Telegram refuses the message (a 400): the row is failed at once, with the error type only.
    tg.fail_next("sendMessage", status=400, description="Bad Request: chat not found")

    assert await drain_outbox(bot, sessionmaker, quiet_free, hub) == 0

    [failed] = await _notices(sessionmaker)
    assert (
        failed.status == "failed" and failed.last_error == "TelegramBadRequest: Bad Request: chat not found"
    )
    admin = harness.user(ADMIN_ID, first_name="Анна", last_name="Админова")
    replies = await admin.send("/outbox")
    assert f"#{row.id} {case.kind}" in replies[-1]
    assert "Ольга" not in replies[-1] and "Кузнецов" not in replies[-1], "no names in the admin view"
