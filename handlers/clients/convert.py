"""A client into a counterparty (seed 002, SPEC "Access"): legal name → INN → KPP → kind → summary.

With the permission to convert the counterparty is created at once. Without it the same fields, an approver
(someone with the permission) and an optional comment go along a route: the approver gets the request
through the outbox (``bot.notices``) and decides (:mod:`handlers.clients.routes`).
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.types import ContentType, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select
from aiogram_dialog.widgets.text import Format
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from db.repo import client_access, counterparties, routes
from domain import limits
from domain.access import Actor
from domain.errors import Gone, NotAllowed, ValidationError
from domain.registry import CounterpartyKind, Inn, Kpp, LegalName, route_comment
from handlers.clients import getters
from handlers.clients.getters import CONV, conv_steps, start_of
from handlers.clients.refusals import (
    ApproverInvalid,
    ConvertDenied,
    HasCounterparty,
    RouteExists,
    RouteNotNeeded,
)
from handlers.clients.states import ClientCard, ConvertForm
from handlers.kit.context import actor_of, i18n_of, record_id, session_of
from handlers.kit.inputs import ERROR_LINE, DomainInput, clear_error, set_error
from handlers.kit.nav import cancel_button, nav
from handlers.kit.steps import NOT_TEXT, use_buttons
from handlers.kit.text import Tr, TrPlain

log = logging.getLogger(__name__)

STATE_OF = {step: getattr(ConvertForm, step) for step in (*getters.ROUTE_STEPS, "summary")}


async def check_may_start(session: AsyncSession, actor: Actor, client_id: int, mode: str) -> None:
    """Before the form opens: the client is visible, the user's right matches the mode, and the client has
    neither a counterparty nor a pending route. Raises the refusal otherwise."""
    if await client_access.get_visible_client(session, actor, client_id) is None:
        raise NotAllowed("client not visible")
    may_convert = await client_access.user_may_convert(session, actor.user_id)
    if mode == "convert" and not may_convert:
        raise ConvertDenied("no permission to convert")
    if mode == "route" and may_convert:
        raise RouteNotNeeded("the user converts directly")
    if await counterparties.counterparty_of(session, client_id) is not None:
        raise HasCounterparty("already a counterparty")
    if await routes.pending_route_of(session, client_id) is not None:
        raise RouteExists("a route is pending")


# --- parsing ---------------------------------------------------------------------------------------------


def _within(value: str, limit: int) -> str:
    if too_long := limits.check_length(value, limit):
        raise ValidationError("limit-too-long", "too long", limit=too_long.limit, length=too_long.length)
    return value


def parse_legal_name(text: str, manager: DialogManager) -> str:
    return _within(LegalName.parse(text).value, limits.LEGAL_NAME)


def parse_inn(text: str, manager: DialogManager) -> str:
    return Inn.parse(text).value


def parse_kpp(text: str, manager: DialogManager) -> str:
    return Kpp.parse(text).value


def parse_comment(text: str, manager: DialogManager) -> str:
    return _within(route_comment(text), limits.ROUTE_COMMENT)


# --- moving through the form ------------------------------------------------------------------------------


def _conv(manager: DialogManager) -> dict[str, Any]:
    conv = manager.dialog_data.setdefault(CONV, {})
    assert isinstance(conv, dict)
    return conv


async def _answer(manager: DialogManager, step: str, value: Any) -> None:
    """Keep the answer; then the summary when editing, else the next step."""
    conv = _conv(manager)
    conv[step] = value
    manager.dialog_data.pop("filter", None)
    steps = conv_steps(manager)
    index = steps.index(step) + 1
    if conv.pop("editing", False) or index >= len(steps):
        await manager.switch_to(ConvertForm.summary)
        return
    await manager.switch_to(STATE_OF[steps[index]])


def _step_of(manager: DialogManager) -> str:
    return (manager.current_context().state.state or "").split(":")[-1]


async def on_text(message: Message, widget: Any, manager: DialogManager, value: str) -> None:
    await _answer(manager, _step_of(manager), value)


async def on_skip(event: Any, widget: Any, manager: DialogManager) -> None:
    step = _step_of(manager)
    if step in ("kpp", "comment"):
        await _answer(manager, step, None)


async def on_keep_name(event: Any, widget: Any, manager: DialogManager) -> None:
    """«Оставить «name»»: the client's name as the legal name, if it is one."""
    client = await client_access.get_visible_client(
        session_of(manager), actor_of(manager), int(start_of(manager)["client_id"])
    )
    if client is None:
        raise NotAllowed("client not visible")
    try:
        await _answer(manager, "legal_name", parse_legal_name(client.name, manager))
    except ValidationError as error:
        set_error(manager, error.key, **error.params)


async def on_kind(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    if item_id not in set(CounterpartyKind):
        raise Gone("not a counterparty kind")
    await _answer(manager, "kind", item_id)


async def on_approver(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """The approver: someone else with the permission, read again (the id came from the button)."""
    approver_id = record_id(item_id)
    session, actor = session_of(manager), actor_of(manager)
    if approver_id == actor.user_id or not await client_access.user_may_convert(session, approver_id):
        raise ApproverInvalid("not an approver")
    await _answer(manager, "approver", approver_id)


async def _choose_typed(manager: DialogManager, step: str, options: list[tuple[Any, str]], text: str) -> None:
    found = getters.matching(options, text)
    if len(found) == 1:
        clear_error(manager)
        if step == "approver":
            await on_approver(None, None, manager, str(found[0][0]))
        else:
            await _answer(manager, step, found[0][0])
    elif found:
        clear_error(manager)
        manager.dialog_data["filter"] = {"step": step, "text": text}
    else:
        set_error(manager, "clients-choice-none", query=text)


async def on_kind_text(message: Message, widget: Any, manager: DialogManager) -> None:
    """Typed text at the kind step picks the kind it names."""
    i18n = i18n_of(manager)
    kinds = [(kind.value, i18n.plain(f"clients-kind-{kind}")) for kind in CounterpartyKind]
    await _choose_typed(manager, "kind", kinds, " ".join((message.text or "").split()))


async def on_approver_text(message: Message, widget: Any, manager: DialogManager) -> None:
    """Typed text at the approver step searches the approvers by name."""
    people = await client_access.approvers(session_of(manager), exclude_id=actor_of(manager).user_id)
    options = [(p.id, p.full_name or str(p.id)) for p in people]
    await _choose_typed(manager, "approver", options, " ".join((message.text or "").split()))


async def on_edit(event: Any, widget: Any, manager: DialogManager, field: str) -> None:
    if field in conv_steps(manager):
        _conv(manager)["editing"] = True
        await manager.switch_to(STATE_OF[field])


async def on_back(event: Any, widget: Any, manager: DialogManager) -> None:
    """From the summary: the last step of this mode (the route has two more than a conversion)."""
    await manager.switch_to(STATE_OF[conv_steps(manager)[-1]])


async def _back_to(manager: DialogManager, step: str, key: str, **params: Any) -> None:
    _conv(manager)["editing"] = True
    await manager.switch_to(STATE_OF[step])
    set_error(manager, key, **params)


async def on_save(event: Any, widget: Any, manager: DialogManager) -> None:
    """Create the counterparty, or send the route; every right and uniqueness is checked in the write."""
    session, actor, conv = session_of(manager), actor_of(manager), _conv(manager)
    missing = [step for step in conv_steps(manager) if step not in conv]
    if missing:
        await manager.switch_to(STATE_OF[missing[0]])
        return
    client_id = int(start_of(manager)["client_id"])
    draft = counterparties.CounterpartyDraft(
        conv["legal_name"], conv["inn"], conv.get("kpp"), CounterpartyKind(conv["kind"])
    )
    try:
        if start_of(manager).get("mode") == "route":
            notice = await _send_route(manager, client_id, draft)
            if notice is None:
                return
        else:
            notice = await _convert(session, actor, client_id, draft)
    except counterparties.AlreadyCounterparty as exc:
        raise HasCounterparty("already a counterparty") from exc
    except routes.RoutePending as exc:
        raise RouteExists("a route is pending") from exc
    except counterparties.InnTaken as exc:
        taken = exc.counterparty
        await _back_to(manager, "inn", "clients-inn-taken", legal_name=taken.legal_name, inn=taken.inn)
        return
    await manager.start(ClientCard.main, data={"client_id": client_id, **notice}, mode=StartMode.RESET_STACK)


async def _convert(
    session: AsyncSession, actor: Actor, client_id: int, draft: counterparties.CounterpartyDraft
) -> dict[str, Any]:
    try:
        party = await counterparties.convert_client(session, actor, client_id, draft)
    except counterparties.NotAllowed as exc:
        if await client_access.get_visible_client(session, actor, client_id) is None:
            raise
        raise ConvertDenied("no permission to convert") from exc
    log.info("client %s converted into counterparty %s by user %s", client_id, party.id, actor.user_id)
    return {
        "notice": "clients-converted",
        "notice_params": {"legal_name": party.legal_name, "inn": party.inn},
    }


async def _send_route(
    manager: DialogManager, client_id: int, draft: counterparties.CounterpartyDraft
) -> dict[str, Any] | None:
    session, actor, conv = session_of(manager), actor_of(manager), _conv(manager)
    request = routes.RouteRequest(client_id, int(conv["approver"]), draft, conv.get("comment"))
    try:
        route = await routes.request_route(session, actor, request)
    except counterparties.NotAllowed:
        if await client_access.get_visible_client(session, actor, client_id) is None:
            raise
        await _back_to(manager, "approver", "clients-approver-invalid")
        return None
    log.info("route %s for client %s sent by user %s", route.id, client_id, actor.user_id)
    approver = await session.get(User, route.approver_id)
    client = await client_access.get_visible_client(session, actor, client_id)
    params = {"approver": approver.full_name if approver else "", "client": client.name if client else ""}
    return {"notice": "clients-route-sent", "notice_params": params}


# --- windows -----------------------------------------------------------------------------------------------


def _item_id(item: tuple[Any, ...]) -> Any:
    return item[0]


def _typed(step: str, parse: Any, *, skip: bool = False, extra: Any = None) -> Window:
    widgets: list[Any] = [ERROR_LINE, Tr(f"clients-ask-{step.replace('_', '-')}", name="client")]
    if extra is not None:
        widgets.append(extra)
    widgets += [
        DomainInput(step, parse, on_success=on_text),
        NOT_TEXT,
        nav(back=step != "legal_name", skip=on_skip if skip else None),
    ]
    return Window(*widgets, getter=getters.conv_getter, state=STATE_OF[step])


def _choice(step: str, items: str, on_click: Any, on_typed: Any) -> Window:
    return Window(
        ERROR_LINE,
        Tr(f"clients-ask-{step}", when=lambda data, *_: not data.get("no_approvers")),
        Tr("clients-no-approvers", when="no_approvers"),
        Group(
            Select(Format("{item[1]}"), id=step, item_id_getter=_item_id, items=items, on_click=on_click),
            width=2,
        ),
        MessageInput(on_typed, content_types=ContentType.TEXT),
        NOT_TEXT,
        nav(),
        getter=getters.conv_getter,
        state=STATE_OF[step],
    )


def convert_dialog() -> Dialog:
    keep = Button(TrPlain("clients-btn-keep-name", name="client"), id="keep", on_click=on_keep_name)
    return Dialog(
        _typed("legal_name", parse_legal_name, extra=keep),
        _typed("inn", parse_inn),
        _typed("kpp", parse_kpp, skip=True),
        _choice("kind", "kinds", on_kind, on_kind_text),
        _choice("approver", "approvers", on_approver, on_approver_text),
        _typed("comment", parse_comment, skip=True),
        Window(
            ERROR_LINE,
            Tr("clients-conv-summary", "client", "legal_name", "inn", "kpp", "kind"),
            Tr("clients-route-summary", "approver", "comment", when="route"),
            Column(
                Button(
                    TrPlain("clients-btn-create-counterparty"), id="save", on_click=on_save, when="convert"
                ),
                Button(TrPlain("clients-btn-send-route"), id="send", on_click=on_save, when="route"),
            ),
            Group(
                Select(
                    Format("{item[1]}"), id="edit", item_id_getter=_item_id, items="fields", on_click=on_edit
                ),
                width=2,
            ),
            Row(Button(TrPlain("btn-back"), id="back", on_click=on_back), cancel_button()),
            use_buttons("clients-use-buttons"),
            getter=getters.conv_getter,
            state=ConvertForm.summary,
        ),
    )
