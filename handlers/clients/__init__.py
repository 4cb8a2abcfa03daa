"""The client registry (seed 002): ``/clients``, the new-client form, the client and counterparty cards,
converting a client into a counterparty, and routes to an approver.

The dialogs are in this package's modules; this router only starts them, for commands, the menu button and
buttons on messages outside the dialogs (route notices, the day plan, search results, older cards).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ClientCb, RouteCb
from bot.i18n import Translator
from bot.menu import MenuButton
from db.repo import client_access, documents
from domain.access import Actor
from domain.errors import NotAllowed
from handlers.clients import card, convert, form, lists, routes
from handlers.clients.getters import route_awaiting
from handlers.clients.states import (
    ClientCard,
    ClientForm,
    ClientList,
    ConvertForm,
    PartyCard,
    RouteReject,
    RouteView,
)
from handlers.kit.launch import open_dialog


async def show_clients(message: Message, dialog_manager: DialogManager) -> None:
    await open_dialog(dialog_manager, ClientList.main)


async def on_client(
    query: CallbackQuery,
    callback_data: ClientCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
) -> None:
    """A client button outside the dialogs: its card (an old card's own buttons lead there too), the new
    client form, or the conversion form; each checked against the presser's rights first."""
    action, client_id = callback_data.action, callback_data.id
    if action == "new":
        await query.answer()
        await open_dialog(dialog_manager, ClientForm.name)
        return
    if action in ("convert", "route"):
        await convert.check_may_start(session, actor, client_id, action)
        await query.answer()
        await open_dialog(dialog_manager, ConvertForm.legal_name, {"client_id": client_id, "mode": action})
        return
    if await client_access.get_visible_client(session, actor, client_id) is None:
        raise NotAllowed("client not visible")
    await query.answer()
    await open_dialog(dialog_manager, ClientCard.main, {"client_id": client_id})


async def on_party(
    query: CallbackQuery,
    callback_data: ClientCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
) -> None:
    if await documents.visible_counterparty(session, actor, callback_data.id) is None:
        raise NotAllowed("counterparty not visible")
    await query.answer()
    await open_dialog(dialog_manager, PartyCard.main, {"party_id": callback_data.id})


async def on_route(
    query: CallbackQuery,
    callback_data: RouteCb,
    dialog_manager: DialogManager,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
) -> None:
    """A route notice's or the day plan's button: approve at once, reject with a reason, show the request
    again, or (an older card's button) withdraw."""
    action, route_id = callback_data.action, callback_data.id
    if action == "approve":
        key, params = await routes.approve(session, route_id, actor.user_id)
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(i18n(key, **params))
        return
    if action == "withdraw":
        route = await routes.withdraw(session, route_id, actor.user_id)
        await query.answer()
        notice = {"notice": "clients-route-withdrawn"}
        await open_dialog(dialog_manager, ClientCard.main, {"client_id": route.client_id, **notice})
        return
    await route_awaiting(session, route_id, actor.user_id)
    await query.answer()
    dialog_manager.show_mode = ShowMode.SEND  # the request stays readable above the reason
    state = RouteReject.reason if action == "reject" else RouteView.request
    await open_dialog(dialog_manager, state, {"route_id": route_id})


def create_router() -> Router:
    router = Router(name="clients")
    router.message.register(show_clients, Command("clients"))
    router.message.register(show_clients, MenuButton("clients"))
    router.callback_query.register(on_party, ClientCb.filter(F.action == "party"))
    router.callback_query.register(on_client, ClientCb.filter())
    router.callback_query.register(
        on_route, RouteCb.filter(F.action.in_({"show", "approve", "reject", "withdraw"}))
    )
    return router


def dialogs() -> list[Dialog]:
    return [
        form.form_dialog(),
        convert.convert_dialog(),
        card.card_dialog(),
        card.party_dialog(),
        lists.list_dialog(),
        *routes.route_dialogs(),
    ]
