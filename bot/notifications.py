"""Notifications rendered at send time: each outbox kind becomes a text and its buttons, from the database.

The outbox holds ids and numbers only; names, contacts and amounts are read here, in the recipient's
language, and escaped (the translator escapes every str parameter; lists built here go through ``escape``).
A notification whose subject no longer applies is not sent: :func:`render` returns ``None`` and the sender
marks the row ``skipped``. That is the case when the deal was closed, when it was prolonged since the
reminder was queued (the payload's ``deadline_day`` no longer matches), when it is no longer incorrect, or
when the task is done, reassigned or moved later.

Notices about changes other users made (routes, handovers, invitees who joined) are rendered by
``bot.notices``, through the same :func:`render` and the same sender.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import DealCb, LeadCb, PlanCb, TaskCb
from bot.i18n import Html, Translator, TranslatorHub, escape
from bot.notices import NOTICE_RENDERERS, Rendered
from bot.notices import Context as _Ctx
from bot.notices import button as _button
from bot.notices import markup as _markup
from bot.settings import Settings
from db.base import READER_LANGUAGE, utcnow
from db.models import Deal, OutboxMessage, User
from db.repo import deal_lists as deals_repo
from db.repo import tasks as tasks_repo
from db.repo import users
from db.repo.deals import snapshot, state_of
from domain.deals import DealStatus, total_amount
from domain.money import Money

log = logging.getLogger(__name__)

DIGEST_MAX_BUTTONS = 20
DIGEST_MAX_LINES = 30
# A task moved later than this past its queued reminder is reminded again by a newer row, not by this one.
TASK_MOVED_SLACK = timedelta(minutes=5)


def zone_of(user: User, settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or settings.default_timezone)
    except (ValueError, KeyError):
        return settings.default_zone


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _amount(deal: Deal) -> str:
    return Money(total_amount(snapshot(deal).lines)).display()


def _deadline_days(ctx: _Ctx, deal: Deal, owner: User | None) -> set[str]:
    """The deal's current last active day, on its manager's calendar and on the company's (the policy's)."""
    zones = {ctx.settings.default_zone}
    if owner is not None:
        zones.add(zone_of(owner, ctx.settings))
    days = set()
    for zone in zones:
        state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, zone)
        if state.deadline_day is not None:
            days.add(state.deadline_day.isoformat())
    return days


async def _open_deal(ctx: _Ctx, deal_id: Any) -> tuple[Deal, User | None] | None:
    if not isinstance(deal_id, int):
        return None
    deal = (await deals_repo.deals_by_ids(ctx.session, [deal_id])).get(deal_id)
    if deal is None or deal.status != DealStatus.OPEN.value:
        return None
    owner = (await users.users_by_ids(ctx.session, [deal.responsible_id])).get(deal.responsible_id)
    return deal, owner


def _deal_buttons(i18n: Translator, deal_id: int, *actions: str) -> list[list[InlineKeyboardButton]]:
    keys = {"log": "reminder-btn-log", "open": "reminder-btn-open-deal", "lost": "reminder-btn-lost"}
    return [[_button(i18n(keys[action]), DealCb(action=action, id=deal_id)) for action in actions]]


# ---------------------------------------------------------------------------------------------
# One function per kind (the contract with the policy: see the issue guide)
# ---------------------------------------------------------------------------------------------


async def deal_reminder(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the manager, N days before the deadline: log / open / mark lost."""
    found = await _open_deal(ctx, payload.get("deal_id"))
    if found is None:
        return None
    deal, owner = found
    if deal.responsible_id != ctx.recipient.id or payload.get("deadline_day") not in _deadline_days(
        ctx, deal, owner
    ):
        return None
    state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, ctx.zone)
    if not state.active or state.deadline_day is None or state.days_left is None:
        return None
    text = ctx.i18n(
        "reminder-deal-reminder",
        id=str(deal.id),
        contact=deal.contact.full_name,
        days=state.days_left,
        deadline=_day(state.deadline_day),
    )
    rows = _deal_buttons(ctx.i18n, deal.id, "log", "open") + _deal_buttons(ctx.i18n, deal.id, "lost")
    return Rendered(text, _markup(rows))


async def deal_inactive(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the manager, when the deadline has passed: log / open."""
    found = await _open_deal(ctx, payload.get("deal_id"))
    if found is None:
        return None
    deal, owner = found
    if deal.responsible_id != ctx.recipient.id or payload.get("deadline_day") not in _deadline_days(
        ctx, deal, owner
    ):
        return None
    text = ctx.i18n(
        "reminder-deal-inactive",
        id=str(deal.id),
        contact=deal.contact.full_name,
        deadline=_day(date.fromisoformat(payload["deadline_day"])),
    )
    return Rendered(text, _markup(_deal_buttons(ctx.i18n, deal.id, "log", "open")))


def _team_entry(ctx: _Ctx, deal: Deal, owner: User | None) -> str:
    return ctx.i18n(
        "reminder-team-entry",
        id=str(deal.id),
        manager=owner.full_name if owner else "—",
        contact=deal.contact.full_name,
        amount=_amount(deal),
    )


async def team_inactive_alert(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the team lead (or an admin for a team lead's own deal): one deal went inactive. Open."""
    found = await _open_deal(ctx, payload.get("deal_id"))
    if found is None:
        return None
    deal, owner = found
    if payload.get("deadline_day") not in _deadline_days(ctx, deal, owner):
        return None
    text = ctx.i18n("reminder-team-alert", entry=Html(_team_entry(ctx, deal, owner)))
    return Rendered(text, _markup(_deal_buttons(ctx.i18n, deal.id, "open")))


async def team_inactive_digest(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the team lead: the team's newly inactive deals of the day, each with an "open" button."""
    ids = [i for i in payload.get("deal_ids", []) if isinstance(i, int)]
    deals = await deals_repo.deals_by_ids(ctx.session, ids)
    owners = await users.users_by_ids(ctx.session, list({d.responsible_id for d in deals.values()}))
    still: list[Deal] = []
    for deal_id in ids:
        deal = deals.get(deal_id)
        if deal is None or deal.status != DealStatus.OPEN.value:
            continue
        state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, ctx.zone)
        if not state.active:
            still.append(deal)
    if not still:
        return None
    shown = still[:DIGEST_MAX_LINES]
    lines = [escape("• ") + _team_entry(ctx, deal, owners.get(deal.responsible_id)) for deal in shown]
    if len(still) > len(shown):
        lines.append(ctx.i18n("reminder-and-more", count=len(still) - len(shown)))
    text = ctx.i18n("reminder-team-digest", count=len(still), entries=Html("\n".join(lines)))
    buttons = [
        _button(ctx.i18n("reminder-btn-open-deal-n", id=str(deal.id)), DealCb(action="open", id=deal.id))
        for deal in still[:DIGEST_MAX_BUTTONS]
    ]
    return Rendered(text, _markup(buttons[i : i + 2] for i in range(0, len(buttons), 2)))


async def deal_incorrect(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """R2f to the manager: what is missing, with an "open" button. Skipped once the deal is correct."""
    found = await _open_deal(ctx, payload.get("deal_id"))
    if found is None:
        return None
    deal, _owner = found
    state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, ctx.zone)
    if state.correct or deal.responsible_id != ctx.recipient.id:
        return None
    fields = ", ".join(ctx.i18n(f"field-{name}") for name in state.problems)
    text = ctx.i18n("reminder-deal-incorrect", id=str(deal.id), contact=deal.contact.full_name, fields=fields)
    return Rendered(text, _markup(_deal_buttons(ctx.i18n, deal.id, "open")))


def _task_open_button(
    i18n: Translator, item: tasks_repo.PlannedTask, label_key: str
) -> InlineKeyboardButton | None:
    if item.deal_id:
        return _button(i18n(label_key), DealCb(action="open", id=item.deal_id))
    if item.lead_id:
        return _button(i18n(label_key), LeadCb(action="open", id=item.lead_id))
    return None


async def task_due(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the assignee at the due time: done / open the deal or lead."""
    task_id = payload.get("task_id")
    items = await tasks_repo.tasks_by_ids(ctx.session, [task_id] if isinstance(task_id, int) else [])
    if not items:
        return None
    item = items[0]
    task = item.task
    if task.done_at is not None or task.assignee_id != ctx.recipient.id:
        return None
    if task.due_at > ctx.now + TASK_MOVED_SLACK:
        return None
    due = task.due_at.astimezone(ctx.zone).strftime("%d.%m.%Y %H:%M")
    about = ctx.i18n("reminder-task-about", contact=item.deal_contact) if item.deal_contact else ""
    text = ctx.i18n("reminder-task-due", title=task.title, due=due, about=Html(about))
    row = [_button(ctx.i18n("reminder-btn-task-done"), TaskCb(action="done", id=task.id))]
    open_button = _task_open_button(ctx.i18n, item, "reminder-btn-open")
    if open_button is not None:
        row.append(open_button)
    return Rendered(text.rstrip(), _markup([row]))


def _task_line(ctx: _Ctx, item: tasks_repo.PlannedTask, fmt: str) -> str:
    when = item.task.due_at.astimezone(ctx.zone).strftime(fmt)
    if item.deal_contact:
        return ctx.i18n(
            "reminder-digest-task-about", when=when, title=item.task.title, contact=item.deal_contact
        )
    return ctx.i18n("reminder-digest-task", when=when, title=item.task.title)


async def morning_digest(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the manager at 09:00: today's and overdue tasks, deals at risk, incorrect deals; nothing → None."""

    def ints(key: str) -> list[int]:
        return [i for i in payload.get(key, []) if isinstance(i, int)]

    tasks = {
        item.task.id: item
        for item in await tasks_repo.tasks_by_ids(
            ctx.session, ints("task_ids_today") + ints("task_ids_overdue")
        )
        if item.task.done_at is None and item.task.assignee_id == ctx.recipient.id
    }
    today = [tasks[i] for i in ints("task_ids_today") if i in tasks]
    overdue = [tasks[i] for i in ints("task_ids_overdue") if i in tasks]
    deals = await deals_repo.deals_by_ids(ctx.session, ints("deal_ids_at_risk") + ints("deal_ids_incorrect"))
    risky: list[tuple[Deal, str]] = []
    wrong: list[tuple[Deal, str]] = []
    for deal_id in ints("deal_ids_at_risk"):
        deal = deals.get(deal_id)
        if deal is None or deal.status != DealStatus.OPEN.value or deal.responsible_id != ctx.recipient.id:
            continue
        state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, ctx.zone)
        if state.active and state.deadline_day is not None and state.days_left is not None:
            line = ctx.i18n(
                "reminder-digest-risk",
                id=str(deal.id),
                contact=deal.contact.full_name,
                days=state.days_left,
                deadline=_day(state.deadline_day),
            )
            risky.append((deal, line))
    for deal_id in ints("deal_ids_incorrect"):
        deal = deals.get(deal_id)
        if deal is None or deal.status != DealStatus.OPEN.value or deal.responsible_id != ctx.recipient.id:
            continue
        state = state_of(deal, ctx.now, ctx.settings.inactivity_period, ctx.settings.comment_policy, ctx.zone)
        if not state.correct:
            fields = ", ".join(ctx.i18n(f"field-{name}") for name in state.problems)
            wrong.append(
                (
                    deal,
                    ctx.i18n(
                        "reminder-digest-incorrect",
                        id=str(deal.id),
                        contact=deal.contact.full_name,
                        fields=fields,
                    ),
                )
            )
    if not (today or overdue or risky or wrong):
        return None
    sections = [ctx.i18n("reminder-digest-title")]
    for key, lines in (
        ("reminder-digest-overdue", [_task_line(ctx, item, "%d.%m %H:%M") for item in overdue]),
        ("reminder-digest-today", [_task_line(ctx, item, "%H:%M") for item in today]),
        ("reminder-digest-risky", [line for _deal, line in risky]),
        ("reminder-digest-wrong", [line for _deal, line in wrong]),
    ):
        if lines:
            shown = lines[:DIGEST_MAX_LINES]
            if len(lines) > len(shown):
                shown.append(ctx.i18n("reminder-and-more", count=len(lines) - len(shown)))
            sections.append(ctx.i18n(key, count=len(lines), entries=Html("\n".join(shown))))
    seen: set[int] = set()
    buttons: list[InlineKeyboardButton] = []
    for deal, _line in risky + wrong:
        if deal.id not in seen and len(buttons) < DIGEST_MAX_BUTTONS:
            seen.add(deal.id)
            buttons.append(
                _button(
                    ctx.i18n("reminder-btn-open-deal-n", id=str(deal.id)), DealCb(action="open", id=deal.id)
                )
            )
    rows = [[_button(ctx.i18n("reminder-btn-plan"), PlanCb())]]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return Rendered("\n\n".join(sections), _markup(rows))


async def user_unreachable(ctx: _Ctx, payload: dict[str, Any]) -> Rendered | None:
    """To the team lead (admins when none): a user blocked the bot and gets no reminders."""
    user_id = payload.get("user_id")
    found = await users.users_by_ids(ctx.session, [user_id] if isinstance(user_id, int) else [])
    user = found.get(user_id) if isinstance(user_id, int) else None
    if user is None or user.is_reachable or not user.is_active:
        return None
    return Rendered(ctx.i18n("reminder-user-unreachable", name=user.full_name or str(user.telegram_id)))


RENDERERS: dict[str, Callable[[_Ctx, dict[str, Any]], Awaitable[Rendered | None]]] = {
    "deal_reminder": deal_reminder,
    "deal_inactive": deal_inactive,
    "team_inactive_alert": team_inactive_alert,
    "team_inactive_digest": team_inactive_digest,
    "deal_incorrect": deal_incorrect,
    "task_due": task_due,
    "morning_digest": morning_digest,
    "user_unreachable": user_unreachable,
    **NOTICE_RENDERERS,  # messages about changes other users made (``bot.notices``)
}


def register_renderer(
    kind: str, renderer: Callable[[_Ctx, dict[str, Any]], Awaitable[Rendered | None]]
) -> None:
    """A renderer that lives with its feature (``handlers.reports.weekly``: the weekly report is built by the
    reports themselves), registered when the feature is imported, as the dispatcher is built."""
    RENDERERS[kind] = renderer


class UnknownKind(Exception):
    """An outbox row of a kind this sender cannot render (a newer policy, or a bad row)."""


async def render(
    session: AsyncSession,
    hub: TranslatorHub,
    settings: Settings,
    row: OutboxMessage,
    recipient: User,
    *,
    now: datetime | None = None,
) -> Rendered | None:
    """The text and buttons of ``row`` for ``recipient``, in their language; ``None``: no longer applies."""
    renderer = RENDERERS.get(row.kind)
    if renderer is None:
        raise UnknownKind(row.kind)
    payload = json.loads(row.payload or "{}")
    if not isinstance(payload, dict):
        raise UnknownKind(row.kind)
    i18n = hub.get(recipient.language or settings.default_language)
    ctx = _Ctx(
        session=session,
        i18n=i18n,
        settings=settings,
        recipient=recipient,
        zone=zone_of(recipient, settings),
        now=now or utcnow(),
    )
    token = READER_LANGUAGE.set(i18n.language)  # directory values in the recipient's language
    try:
        return await renderer(ctx, payload)
    finally:
        READER_LANGUAGE.reset(token)
