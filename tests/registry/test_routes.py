"""Routes (Маршрут, SPEC "Access"): a manager without the permission sends a client to an approver, who
approves or rejects it with a reason — dialogs and notices through the real dispatcher."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.callbacks import ClientCb, RouteCb
from bot.i18n import TranslatorHub
from bot.route_cards import pending_routes_block
from bot.settings import Settings
from db.models import ClientRoute, Counterparty, User
from db.repo.routes import pending_routes_for
from tests.factories import make_client, make_user
from tests.harness import Harness, TgUser, first_line, t, tp
from tests.registry import Sessionmaker, audit_actions, count, open_client, set_permission
from tests.reminders.deliver import deliver

MANAGER, TEAM_LEAD, OTHER_MANAGER, ADMIN_TG = 801, 802, 803, 804
CLIENT = "<b>ООО</b> & Co"
DECIDED = tp("clients-route-decided")


async def send_route(harness: Harness, sessionmaker: Sessionmaker) -> tuple[int, TgUser, TgUser]:
    """The manager sends their client to the team lead; returns the client id and both chats."""
    manager = await make_user(sessionmaker, MANAGER, full_name="Пётр Сидоров")
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Ольга Руководитель")
    client = await make_client(sessionmaker, manager, CLIENT)
    lead_chat = harness.user(TEAM_LEAD, first_name="Ольга", last_name="Руководитель")
    u = harness.user(MANAGER, first_name="Пётр", last_name="Сидоров")
    await open_client(u, client)
    assert first_line("clients-ask-legal-name", name=CLIENT) in (await u.click(tp("clients-btn-route")))[-1]
    await u.send("ООО «Ко»")
    await u.send("7707083893")
    await u.click(tp("btn-skip"))
    assert first_line("clients-ask-approver") in (await u.click(tp("clients-kind-partner")))[-1]
    assert "Ольга Руководитель" in u.buttons() and "Пётр Сидоров" not in u.buttons()
    assert first_line("clients-ask-comment") in (await u.click("Ольга Руководитель"))[-1]
    summary = (await u.send("Клиент готов подписать договор"))[-1]
    assert (
        t("clients-route-summary", approver="Ольга Руководитель", comment="Клиент готов подписать договор")
        in summary
    )
    replies = await u.click(tp("clients-btn-send-route"))
    assert t("clients-route-sent", approver="Ольга Руководитель", client=CLIENT) in replies[-1]
    assert await deliver(harness) == 1  # the request reaches the approver through the outbox
    return client, u, lead_chat


async def route_of(sessionmaker: Sessionmaker) -> ClientRoute:
    async with sessionmaker() as session:
        route = await session.scalar(select(ClientRoute))
    assert route is not None
    return route


def _request_message_id(chat: TgUser) -> int:
    title = first_line(
        "clients-route-request", requester="", card="", legal_name="", inn="", kpp="", kind="", comment=""
    )
    for message in reversed(chat.harness.messages_to(chat.telegram_id)):
        if title in (message.text or ""):
            return message.message_id
    raise AssertionError("no route request")


async def test_route_sent_and_approved_from_the_notice(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    request = lead_chat.harness.message(TEAM_LEAD).text or ""
    assert (
        "Пётр Сидоров" in request and "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in request and "7707083893" in request
    )
    assert {tp("clients-btn-approve"), tp("clients-btn-reject")} <= set(lead_chat.buttons())
    route = await route_of(sessionmaker)
    assert route.status == "pending" and route.comment == "Клиент готов подписать договор"
    assert await count(sessionmaker, Counterparty) == 0
    # The requester's card now offers withdrawal, not another route.
    await open_client(u, client)
    assert tp("clients-btn-withdraw") in u.buttons() and tp("clients-btn-route") not in u.buttons()

    replies = await lead_chat.click(tp("clients-btn-approve"))
    assert t("clients-route-approved-you", client=CLIENT, legal_name="ООО «Ко»") in replies[-1]
    assert await deliver(harness) == 1
    told = u.harness.message(MANAGER).text or ""
    assert "Ольга Руководитель" in told and "ООО «Ко»" in told
    assert told.startswith(
        first_line(
            "clients-route-approved-requester",
            approver="Ольга Руководитель",
            client=CLIENT,
            legal_name="ООО «Ко»",
            inn="7707083893",
        )
    )
    route = await route_of(sessionmaker)
    async with sessionmaker() as session:
        cp = await session.scalar(select(Counterparty))
    assert cp is not None and route.status == "approved" and route.counterparty_id == cp.id
    assert cp.client_id == client and cp.kind == "partner" and cp.created_by_id == route.approver_id
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_approved"]
    # A second press changes nothing; the requester's notice opens the client card.
    again = await lead_chat.press(
        RouteCb(action="approve", id=route.id).pack(), _request_message_id(lead_chat)
    )
    assert again[-1] == DECIDED
    assert await count(sessionmaker, Counterparty) == 1
    assert "ООО «Ко»" in (await u.click(tp("clients-btn-open")))[-1]


async def test_route_rejected_with_a_reason(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    asked = (await lead_chat.click(tp("clients-btn-reject")))[-1]
    assert first_line("clients-ask-reject-reason", requester="Пётр Сидоров") in asked
    assert "от 3 до 500 символов" in (await lead_chat.send("не"))[-1]
    assert "500" in (await lead_chat.send("Я" * 501))[-1]
    assert (await route_of(sessionmaker)).status == "pending"
    replies = await lead_chat.send("Нет подписанного договора")
    assert t("clients-route-rejected-you", requester="Пётр Сидоров") in replies[-1]
    assert await deliver(harness) == 1
    told = u.harness.message(MANAGER).text or ""
    assert "Нет подписанного договора" in told and "Ольга Руководитель" in told
    route = await route_of(sessionmaker)
    assert route.status == "rejected" and route.reason == "Нет подписанного договора"
    assert await count(sessionmaker, Counterparty) == 0
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_rejected"]
    # The route is decided: approving afterwards changes nothing.
    again = await lead_chat.press(
        RouteCb(action="approve", id=route.id).pack(), _request_message_id(lead_chat)
    )
    assert again[-1] == DECIDED
    assert await count(sessionmaker, Counterparty) == 0


async def test_route_withdrawn_then_the_approvers_press_changes_nothing(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    route = await route_of(sessionmaker)
    await open_client(u, client)
    card = (await u.click(tp("clients-btn-withdraw")))[-1]
    assert t("clients-route-withdrawn") in card and tp("clients-btn-route") in u.buttons()
    assert await deliver(harness) == 1
    assert "Пётр Сидоров" in (lead_chat.harness.message(TEAM_LEAD).text or "")
    message_id = _request_message_id(lead_chat)
    assert (await lead_chat.press(RouteCb(action="approve", id=route.id).pack(), message_id))[-1] == DECIDED
    assert (await lead_chat.press(RouteCb(action="reject", id=route.id).pack(), message_id))[-1] == DECIDED
    assert (await route_of(sessionmaker)).status == "withdrawn"
    assert await count(sessionmaker, Counterparty) == 0
    assert await audit_actions(sessionmaker, "client", client) == ["route_requested", "route_withdrawn"]
    # Withdrawing again changes nothing either.
    assert (await u.press(RouteCb(action="withdraw", id=route.id).pack()))[-1] == DECIDED


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
        assert (await chat.press(RouteCb(action="approve", id=route.id).pack()))[-1] == DECIDED
        assert (await chat.press(RouteCb(action="reject", id=route.id).pack()))[-1] == DECIDED
        assert (await chat.press(RouteCb(action="show", id=route.id).pack()))[-1] == DECIDED
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
    approvals = [m for m in harness.messages_to(MANAGER) if "ООО «Ко»" in (m.text or "")]
    assert len(approvals) == 1, "the requester is told once"


async def test_one_pending_route_per_client(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, _lead_chat = await send_route(harness, sessionmaker)
    await make_user(sessionmaker, OTHER_MANAGER, team="Продажи Юг")
    colleague = harness.user(OTHER_MANAGER)
    await colleague.send("/clients")
    # The colleague cannot see the client at all.
    assert (await colleague.press(ClientCb(action="route", id=client).pack()))[-1] == t("access-denied")
    # The requester forges a second route request.
    second = await u.press(ClientCb(action="route", id=client).pack())
    assert second[-1] == tp("clients-refused-route-pending")
    assert await count(sessionmaker, ClientRoute) == 1


async def test_a_user_with_the_permission_is_not_sent_along_a_route(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    await make_user(sessionmaker, TEAM_LEAD, role="team_lead")
    client = await make_client(sessionmaker, manager)
    lead_chat = harness.user(TEAM_LEAD)
    await lead_chat.send("/clients")
    refused = (await lead_chat.press(ClientCb(action="route", id=client).pack()))[-1]
    assert refused in {tp("clients-route-not-needed"), t("access-denied")}
    assert await count(sessionmaker, ClientRoute) == 0


async def test_the_approver_decides_from_the_client_card(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    """An approver who sees the client gets «Одобрить» / «Отклонить» on its card too."""
    client, _u, lead_chat = await send_route(harness, sessionmaker)
    await open_client(lead_chat, client)
    assert {tp("clients-btn-approve"), tp("clients-btn-reject")} <= set(lead_chat.buttons())
    await lead_chat.click(tp("clients-btn-reject"))
    await lead_chat.click(tp("btn-cancel"))
    assert (await route_of(sessionmaker)).status == "pending"
    card = (await lead_chat.click(tp("clients-btn-approve")))[-1]
    assert t("clients-route-approved-you", client=CLIENT, legal_name="ООО «Ко»") in card
    assert tp("clients-btn-party") in lead_chat.buttons()
    assert (await route_of(sessionmaker)).status == "approved"


async def test_pending_routes_for_today(harness: Harness, sessionmaker: Sessionmaker) -> None:
    client, u, lead_chat = await send_route(harness, sessionmaker)
    i18n = TranslatorHub().get("ru")
    async with sessionmaker() as session:
        approver = await session.scalar(select(User).where(User.telegram_id == TEAM_LEAD))
        manager = await session.scalar(select(User).where(User.telegram_id == MANAGER))
        assert approver is not None and manager is not None
        assert [r.client_id for r in await pending_routes_for(session, approver.id)] == [client]
        assert await pending_routes_block(session, i18n, manager, Settings(_env_file=None)) is None  # type: ignore[call-arg]
    # The approver sees the pending route under /today, and opens the request from there.
    text = (await lead_chat.send("/today"))[-1]
    assert (
        first_line("clients-today-routes-title", count=1) in text
        and "&lt;b&gt;ООО&lt;/b&gt; &amp; Co" in text
    )
    shown = (await lead_chat.click(tp("clients-btn-show-route", client=CLIENT)))[-1]
    assert "7707083893" in shown and tp("clients-btn-approve") in lead_chat.buttons()
    # The block's own button shows the request again, to the approver only.
    async with sessionmaker() as session:
        block = await pending_routes_block(session, i18n, approver, Settings(_env_file=None))  # type: ignore[call-arg]
    assert block is not None
    [[button]] = block[1]
    assert button.text == tp("clients-btn-show-route", client=CLIENT) and button.callback_data is not None
    await u.send("/clients")
    assert (await u.press(button.callback_data))[-1] == DECIDED
    shown = (await lead_chat.press(button.callback_data))[-1]
    assert "7707083893" in shown
    # Rejecting from the shown request closes it with the outcome.
    await lead_chat.click(tp("clients-btn-reject"))
    replies = await lead_chat.send("Нет подписанного договора")
    assert t("clients-route-rejected-you", requester="Пётр Сидоров") in replies[-1]
    assert (await route_of(sessionmaker)).status == "rejected"


async def test_no_approver_to_send_to(harness: Harness, sessionmaker: Sessionmaker) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(tp("clients-btn-route"))
    await u.send("ООО «Ко»")
    await u.send("7707083893")
    await u.click(tp("btn-skip"))
    assert t("clients-no-approvers") in (await u.click(tp("clients-kind-partner")))[-1]
    assert await count(sessionmaker, ClientRoute) == 0


async def test_an_approver_who_lost_the_permission_is_asked_again(
    harness: Harness, sessionmaker: Sessionmaker
) -> None:
    manager = await make_user(sessionmaker, MANAGER)
    team_lead = await make_user(sessionmaker, TEAM_LEAD, role="team_lead", full_name="Ольга Руководитель")
    await make_user(sessionmaker, ADMIN_TG, role="admin", full_name="Анна Админ")
    client = await make_client(sessionmaker, manager)
    u = harness.user(MANAGER)
    await open_client(u, client)
    await u.click(tp("clients-btn-route"))
    await u.send("ООО «Ко»")
    await u.send("7707083893")
    await u.click(tp("btn-skip"))
    await u.click(tp("clients-kind-partner"))
    assert set(u.buttons()) >= {"Ольга Руководитель", "Анна Админ"}
    await u.send("ольга")  # typed text at the approver step finds the approver
    await u.click(tp("btn-skip"))
    await set_permission(sessionmaker, team_lead, False)
    answer = (await u.click(tp("clients-btn-send-route")))[-1]
    assert t("clients-approver-invalid") in answer and first_line("clients-ask-approver") in answer
    assert "Ольга Руководитель" not in u.buttons()
    assert await count(sessionmaker, ClientRoute) == 0
    summary = (await u.click("Анна Админ"))[-1]
    assert "Анна Админ" in summary
    await u.click(tp("clients-btn-send-route"))
    assert (await route_of(sessionmaker)).approver_id != team_lead
