"""Routes (Маршрут): a manager without the permission sends a client to an approver — real dispatcher."""

from __future__ import annotations

import asyncio

from aiogram.types import InlineKeyboardButton
from sqlalchemy import select

from bot.i18n import TranslatorHub
from bot.settings import Settings
from db.models import ClientRoute, Counterparty, User
from db.repo.routes import pending_routes_for
from handlers.legacy.clients import RouteCb, pending_routes_block
from tests.factories import make_user
from tests.harness import Harness, TgUser
from tests.registry import Sessionmaker, audit_actions, count, make_client, open_client
from tests.reminders.deliver import deliver

MANAGER, TEAM_LEAD, OTHER_MANAGER, ADMIN_TG = 801, 802, 803, 804


async def send_route(harness: Harness, sessionmaker: Sessionmaker) -> tuple[int, TgUser, TgUser]:
    """The manager sends their client to the team lead; returns the client id and both chats."""
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager, "<b>ООО</b> & Co")
    lead_chat = harness.user(TEAM_LEAD, first_name="Ольга", last_name="Руководитель")
    await lead_chat.send("/clients")  # the approver's name is refreshed from Telegram
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    await open_client(u, client)
    assert "юридическое наименование" in (await u.click("Отправить по маршруту"))[-1]
    await u.send("ООО «Ко»")
    await u.send("7707083893")
    await u.click("Пропустить")
    assert "Кому отправить" in (await u.click("Партнёр"))[-1]
    assert "Ольга Руководитель" in u.buttons() and "Пётр Сидоров" not in u.buttons()
    assert "Комментарий для согласующего" in (await u.click("Ольга Руководитель"))[-1]
    summary = (await u.send("Клиент готов подписать договор"))[-1]
    assert "Согласующий: Ольга Руководитель" in summary and "Клиент готов подписать договор" in summary
    replies = await u.click("Отправить на согласование")
    assert any("Отправлено на согласование" in r for r in replies)
    assert await deliver(harness) == 1  # the request reaches the approver through the outbox
    return client, u, lead_chat


async def route_of(sessionmaker: Sessionmaker) -> ClientRoute:
    async with sessionmaker() as session:
        route = await session.scalar(select(ClientRoute))
    assert route is not None
    return route


async def test_route_sent_and_approved(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    request = lead_chat.harness.message(TEAM_LEAD).text or ""
    assert "Маршрут: перевод клиента в контрагенты" in request and "Пётр Сидоров" in request
    assert "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in request and "7707083893" in request
    assert {"✅ Одобрить", "✖️ Отклонить"} <= set(lead_chat.buttons())
    route = await route_of(sessionmaker)
    assert route.status == "pending" and route.comment == "Клиент готов подписать договор"
    assert await count(sessionmaker, Counterparty) == 0
    # The requester's card now offers withdrawal, not another route.
    await open_client(u, client)
    assert "↩️ Отозвать маршрут" in u.buttons() and "📨 Отправить по маршруту" not in u.buttons()

    replies = await lead_chat.click("Одобрить")
    assert any("Маршрут одобрен" in r for r in replies)
    assert await deliver(harness) == 1
    told = u.harness.message(MANAGER).text or ""
    assert "Ольга Руководитель одобрил(а) маршрут" in told and "ООО «Ко»" in told
    route = await route_of(sessionmaker)
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
    assert cp is not None and route.status == "approved" and route.counterparty_id == cp.id
    assert cp.client_id == client and cp.kind == "partner" and cp.created_by_id == route.approver_id
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_approved"]
    # A second press changes nothing.
    again = await lead_chat.press(RouteCb(action="approve", id=route.id).pack())
    assert "уже решён" in again[-1]
    assert await count(sessionmaker, Counterparty) == 1


async def test_route_rejected_with_a_reason(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    assert "Почему отклоняете" in (await lead_chat.click("Отклонить"))[-1]
    assert "от 3 до 500 символов" in (await lead_chat.send("не"))[-1]
    replies = await lead_chat.send("Нет подписанного договора")
    assert "Маршрут отклонён" in replies[-1]
    assert await deliver(harness) == 1
    told = u.harness.message(MANAGER).text or ""
    assert "отклонил(а) маршрут" in told and "Причина: Нет подписанного договора" in told
    route = await route_of(sessionmaker)
    assert route.status == "rejected" and route.reason == "Нет подписанного договора"
    assert await count(sessionmaker, Counterparty) == 0
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_rejected"]
    # The route is decided: approving afterwards changes nothing.
    again = await lead_chat.press(RouteCb(action="approve", id=route.id).pack())
    assert "уже решён" in again[-1]
    assert await count(sessionmaker, Counterparty) == 0


async def test_route_withdrawn_then_the_approvers_press_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    route = await route_of(sessionmaker)
    await open_client(u, client)
    replies = await u.click("Отозвать маршрут")
    assert any("Маршрут отозван" in r for r in replies)
    assert "📨 Отправить по маршруту" in u.buttons()
    assert await deliver(harness) == 1
    assert "отозвал(а) маршрут" in (lead_chat.harness.message(TEAM_LEAD).text or "")
    approve = await lead_chat.press(
        RouteCb(action="approve", id=route.id).pack(), message_id=_request_message_id(lead_chat)
    )
    assert "уже решён" in approve[-1]
    reject = await lead_chat.press(RouteCb(action="reject", id=route.id).pack())
    assert "уже решён" in reject[-1]
    assert (await route_of(sessionmaker)).status == "withdrawn"
    assert await count(sessionmaker, Counterparty) == 0
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_withdrawn"]
    # Withdrawing again changes nothing either.
    assert "уже решён" in (await u.press(RouteCb(action="withdraw", id=route.id).pack()))[-1]


def _request_message_id(chat: TgUser) -> int:
    for message in reversed(chat.harness.messages_to(chat.telegram_id)):
        if "Маршрут: перевод" in (message.text or ""):
            return message.message_id
    raise AssertionError("no route request")


async def test_forged_approve_by_someone_else_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    await send_route(harness, sessionmaker)
    route = await route_of(sessionmaker)
    await make_user(sessionmaker, ADMIN_TG, role="admin")
    await make_user(sessionmaker, OTHER_MANAGER)
    for telegram_id in (ADMIN_TG, OTHER_MANAGER, MANAGER):  # an admin, a stranger, the requester himself
        chat = harness.user(telegram_id)
        await chat.send("/clients")
        replies = await chat.press(RouteCb(action="approve", id=route.id).pack())
        assert "адресован не вам" in replies[-1]
        assert "уже решён" in (await chat.press(RouteCb(action="reject", id=route.id).pack()))[-1]
    assert (await route_of(sessionmaker)).status == "pending"
    assert await count(sessionmaker, Counterparty) == 0


async def test_two_concurrent_approves_create_one_counterparty(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    _client, _u, lead_chat = await send_route(harness, sessionmaker)
    route = await route_of(sessionmaker)
    data = RouteCb(action="approve", id=route.id).pack()
    message_id = _request_message_id(lead_chat)
    await asyncio.gather(lead_chat.press(data, message_id), lead_chat.press(data, message_id))
    assert await count(sessionmaker, Counterparty) == 1
    assert (await route_of(sessionmaker)).status == "approved"
    await deliver(harness)
    approvals = [m for m in harness.messages_to(MANAGER) if "одобрил(а) маршрут" in (m.text or "")]
    assert len(approvals) == 1, "the requester is told once"


async def test_one_pending_route_per_client(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, _lead_chat = await send_route(harness, sessionmaker)
    await make_user(sessionmaker, OTHER_MANAGER)
    colleague = harness.user(OTHER_MANAGER)
    await colleague.send("/clients")
    # The colleague cannot see the client at all.
    assert "Нет доступа" in (await colleague.press(f"cl:route:{client}"))[-1]
    # The requester forges a second route request from the card.
    second = await u.press(f"cl:route:{client}")
    assert "уже есть маршрут" in second[-1]
    assert await count(sessionmaker, ClientRoute) == 1


async def test_a_user_with_the_permission_is_not_sent_along_a_route(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    lead_chat = harness.user(TEAM_LEAD)
    await lead_chat.send("/clients")
    assert "право перевода" in (await lead_chat.press(f"cl:route:{client}"))[-1]
    assert await count(sessionmaker, ClientRoute) == 0


async def test_pending_routes_for_today(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, _u, _lead_chat = await send_route(harness, sessionmaker)
    i18n = TranslatorHub().get("ru")
    async with sessionmaker() as session:
        approver = await session.scalar(select(User).where(User.telegram_id == TEAM_LEAD))
        manager = await session.scalar(select(User).where(User.telegram_id == MANAGER))
        assert approver is not None and manager is not None
        assert [r.client_id for r in await pending_routes_for(session, approver.id)] == [client]
        assert await pending_routes_block(session, i18n, manager, Settings(_env_file=None)) is None  # type: ignore[call-arg]
    # The approver sees the pending route under /today.
    text = (await _lead_chat.send("/today"))[-1]
    assert "Маршруты на согласование: 1" in text and "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in text
    button = next(b for row in harness.message(TEAM_LEAD).reply_markup.inline_keyboard for b in row)  # type: ignore[union-attr]
    assert isinstance(button, InlineKeyboardButton) and button.text == "📨 <b>ООО</b> & Co"
    # The button shows the request again, with its decision buttons, to the approver only.
    assert button.callback_data is not None
    assert "Маршрут: перевод" in (await _lead_chat.press(button.callback_data))[-1]
    await _u.send("/clients")
    assert "адресован не вам" in (await _u.press(button.callback_data))[-1]
