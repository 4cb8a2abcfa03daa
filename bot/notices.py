"""Notices: messages to another user about a change someone made, rendered at send time from the outbox.

Each is queued by ``db.repo.outbox.queue_notice`` in the write transaction of the change it reports (a route
requested, approved, rejected or withdrawn; a lead or deal handed over; the open work a deactivated user left;
an invitee who joined). Its payload holds ids and counts only: names, titles and reasons are read here, in
the recipient's language, and the translator escapes every str parameter. A notice whose subject has moved
on before it could be sent (the route was decided, the lead handed to someone else, the user reactivated)
renders ``None`` and is skipped.

This module also holds what every renderer shares (:class:`Rendered`, :class:`Context`, the button helpers),
so that ``bot.notifications`` and it need not import each other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import ClientCb, DealCb, HandoverCb, LeadCb, PlanCb
from bot.i18n import Translator
from bot.route_cards import decision_buttons, route_request_text
from bot.settings import Settings
from db.models import Client, ClientRoute, Contact, Counterparty, Deal, Lead, Task, Team, User
from db.repo import outbox
from db.repo.handover import open_work
from domain.due import DueAt
from domain.registry import RouteStatus


@dataclass(frozen=True)
class Rendered:
    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Context:
    session: AsyncSession
    i18n: Translator
    settings: Settings
    recipient: User
    zone: ZoneInfo
    now: datetime


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: Iterable[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _id(payload: dict[str, Any], key: str) -> int | None:
    value = payload.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _name(user: User | None) -> str:
    if user is None:
        return "—"
    return user.full_name or str(user.telegram_id)


async def _user(ctx: Context, user_id: int | None) -> User | None:
    return await ctx.session.get(User, user_id) if user_id is not None else None


async def _route(ctx: Context, payload: dict[str, Any], status: RouteStatus) -> ClientRoute | None:
    route_id = _id(payload, "route_id")
    if route_id is None:
        return None
    route = await ctx.session.scalar(
        select(ClientRoute).where(ClientRoute.id == route_id).execution_options(populate_existing=True)
    )
    return route if route is not None and route.status == status.value else None


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------


async def route_requested(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the approver while the route is pending: the request with «Одобрить» / «Отклонить»."""
    route = await _route(ctx, payload, RouteStatus.PENDING)
    if route is None or route.approver_id != ctx.recipient.id:
        return None
    text = await route_request_text(ctx.session, ctx.i18n, ctx.recipient, route)
    if text is None:
        return None
    return Rendered(text, markup([decision_buttons(ctx.i18n, route.id)]))


async def route_approved(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the requester: the client became a counterparty. Open the client."""
    route = await _route(ctx, payload, RouteStatus.APPROVED)
    if route is None or route.requester_id != ctx.recipient.id or route.counterparty_id is None:
        return None
    client = await ctx.session.get(Client, route.client_id)
    counterparty = await ctx.session.get(Counterparty, route.counterparty_id)
    if client is None or counterparty is None:
        return None
    approver = await _user(ctx, route.approver_id)
    text = ctx.i18n(
        "clients-route-approved-requester",
        approver=_name(approver),
        client=client.name,
        legal_name=counterparty.legal_name,
        inn=counterparty.inn,
    )
    open_client = button(ctx.i18n("clients-btn-open"), ClientCb(action="open", id=client.id))
    return Rendered(text, markup([[open_client]]))


async def route_rejected(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the requester: the route was rejected, with the approver's reason."""
    route = await _route(ctx, payload, RouteStatus.REJECTED)
    if route is None or route.requester_id != ctx.recipient.id:
        return None
    client = await ctx.session.get(Client, route.client_id)
    approver = await _user(ctx, route.approver_id)
    text = ctx.i18n(
        "clients-route-rejected-requester",
        approver=_name(approver),
        client=client.name if client else "",
        reason=route.reason or "",
    )
    return Rendered(text)


async def route_withdrawn(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the approver: the requester took the route back; no decision is needed."""
    route = await _route(ctx, payload, RouteStatus.WITHDRAWN)
    if route is None or route.approver_id != ctx.recipient.id:
        return None
    client = await ctx.session.get(Client, route.client_id)
    requester = await _user(ctx, route.requester_id)
    text = ctx.i18n(
        "clients-route-withdrawn-approver", requester=_name(requester), client=client.name if client else ""
    )
    return Rendered(text)


# ---------------------------------------------------------------------------------------------
# Leads, deals and the work of a deactivated user
# ---------------------------------------------------------------------------------------------


async def _lead(ctx: Context, lead_id: int | None) -> Lead | None:
    """The lead, while the recipient is still its responsible manager."""
    lead = await ctx.session.get(Lead, lead_id, populate_existing=True) if lead_id is not None else None
    return lead if lead is not None and lead.responsible_id == ctx.recipient.id else None


async def _deal(ctx: Context, deal_id: int | None) -> Deal | None:
    """The deal, while the recipient is still its responsible manager."""
    deal = await ctx.session.get(Deal, deal_id, populate_existing=True) if deal_id is not None else None
    return deal if deal is not None and deal.responsible_id == ctx.recipient.id else None


async def lead_assigned(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the new responsible manager of a lead (created for them, or reassigned to them). Open the lead."""
    lead = await _lead(ctx, _id(payload, "lead_id"))
    if lead is None:
        return None
    contact = await ctx.session.get(Contact, lead.contact_id)
    by = await _user(ctx, _id(payload, "by_id"))
    text = ctx.i18n(
        "lead-assigned-notice",
        id=lead.id,
        contact=contact.full_name if contact else "—",
        by=by.full_name if by else "—",
    )
    return Rendered(text, markup([[button(ctx.i18n("lead-btn-open"), LeadCb(action="open", id=lead.id))]]))


async def deal_reassigned(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """R2c: a team lead or an admin handed an open deal over. To the new responsible: the deal is theirs, with
    «open» (nothing once it has moved on); to the former one: who has it now and who handed it over."""
    deal_id = _id(payload, "deal_id")
    deal = await ctx.session.get(Deal, deal_id, populate_existing=True) if deal_id is not None else None
    if deal is None or deal.status != "open":
        return None
    contact = await ctx.session.get(Contact, deal.contact_id)
    by = await _user(ctx, _id(payload, "by_id"))
    params = {"id": str(deal.id), "contact": contact.full_name if contact else "—", "by": _name(by)}
    if ctx.recipient.id == _id(payload, "to_id"):
        if deal.responsible_id != ctx.recipient.id:
            return None
        text = ctx.i18n("reminder-deal-reassigned-to-you", **params)
        return Rendered(
            text, markup([[button(ctx.i18n("reminder-btn-open-deal"), DealCb(action="open", id=deal.id))]])
        )
    to = await _user(ctx, _id(payload, "to_id"))
    return Rendered(ctx.i18n("reminder-deal-reassigned-away", **params, to=_name(to)))


async def task_assigned(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the assignee of a task someone else set for them: the task, its due time on their clock, who set
    it. Open the day plan. Nothing is sent once the task is done or given to someone else."""
    task = await ctx.session.get(Task, _id(payload, "task_id") or 0, populate_existing=True)
    if task is None or task.done_at is not None or task.assignee_id != ctx.recipient.id:
        return None
    by = await _user(ctx, task.created_by_id)
    text = ctx.i18n(
        "task-assigned-notice",
        title=task.title,
        due=DueAt(task.due_at).display(ctx.zone),
        by=_name(by),
    )
    return Rendered(text, markup([[button(ctx.i18n("task-btn-open-plan"), PlanCb())]]))


async def work_assigned(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the new owner of one lead or deal of a deactivated user. Open it."""
    by = await _user(ctx, _id(payload, "by_id"))
    lead_id, deal_id = _id(payload, "lead_id"), _id(payload, "deal_id")
    if lead_id is not None:
        if await _lead(ctx, lead_id) is None:
            return None
        text = ctx.i18n("team-assigned-lead", id=str(lead_id), by=_name(by))
        open_it = button(ctx.i18n("team-btn-open-lead"), LeadCb(action="open", id=lead_id))
    elif deal_id is not None:
        if await _deal(ctx, deal_id) is None:
            return None
        text = ctx.i18n("team-assigned-deal", id=str(deal_id), by=_name(by))
        open_it = button(ctx.i18n("team-btn-open-deal"), DealCb(action="open", id=deal_id))
    else:
        return None
    return Rendered(text, markup([[open_it]]))


async def work_assigned_all(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the new owner of all the open work of a deactivated user: how many leads and deals."""
    owner = await _user(ctx, _id(payload, "owner_id"))
    by = await _user(ctx, _id(payload, "by_id"))
    leads, deals = _id(payload, "leads") or 0, _id(payload, "deals") or 0
    if owner is None or not leads + deals:
        return None
    text = ctx.i18n("team-assigned-all", leads=leads, deals=deals, by=_name(by), owner=_name(owner))
    return Rendered(text)


async def work_taken(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To an active former owner: which lead or deal, or how much open work, went to whom, and who did it."""
    to, by = await _user(ctx, _id(payload, "to_id")), await _user(ctx, _id(payload, "by_id"))
    lead_id, deal_id = _id(payload, "lead_id"), _id(payload, "deal_id")
    if lead_id is not None:
        text = ctx.i18n("team-taken-lead", id=str(lead_id), to=_name(to), by=_name(by))
    elif deal_id is not None:
        text = ctx.i18n("team-taken-deal", id=str(deal_id), to=_name(to), by=_name(by))
    else:
        leads, deals = _id(payload, "leads") or 0, _id(payload, "deals") or 0
        if not leads + deals:
            return None
        text = ctx.i18n("team-taken-all", leads=leads, deals=deals, to=_name(to), by=_name(by))
    return Rendered(text)


async def work_handover(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the team leads (the admins when none): a deactivated user left open work. Reassign it.

    The counts are read now; nothing is sent once the user is active again or the work is handed over.
    """
    owner = await _user(ctx, _id(payload, "owner_id"))
    if owner is None or owner.is_active:
        return None
    work = await open_work(ctx.session, owner.id)
    if not work.total:
        return None
    text = ctx.i18n("team-reassign-notice", name=_name(owner), leads=work.leads, deals=work.deals)
    reassign = button(ctx.i18n("team-btn-reassign-notice"), HandoverCb(action="list", owner=owner.id))
    return Rendered(text, markup([[reassign]]))


# ---------------------------------------------------------------------------------------------
# Invites
# ---------------------------------------------------------------------------------------------


async def invite_joined(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    """To the admin who made the invite: who joined, with which role and team (as they are now)."""
    user = await _user(ctx, _id(payload, "user_id"))
    if user is None or not user.is_active:
        return None
    team = await ctx.session.get(Team, user.team_id) if user.team_id is not None else None
    text = ctx.i18n(
        "invite-joined-admin",
        name=_name(user),
        role=ctx.i18n(f"role-{user.role}"),
        team=team.name if team else "—",
    )
    return Rendered(text)


NOTICE_RENDERERS: dict[str, Callable[[Context, dict[str, Any]], Awaitable[Rendered | None]]] = {
    outbox.ROUTE_REQUESTED: route_requested,
    outbox.ROUTE_APPROVED: route_approved,
    outbox.ROUTE_REJECTED: route_rejected,
    outbox.ROUTE_WITHDRAWN: route_withdrawn,
    outbox.LEAD_ASSIGNED: lead_assigned,
    outbox.DEAL_REASSIGNED: deal_reassigned,
    outbox.TASK_ASSIGNED: task_assigned,
    outbox.WORK_ASSIGNED: work_assigned,
    outbox.WORK_ASSIGNED_ALL: work_assigned_all,
    outbox.WORK_TAKEN: work_taken,
    outbox.WORK_HANDOVER: work_handover,
    outbox.INVITE_JOINED: invite_joined,
}
