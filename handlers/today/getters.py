"""Read-only data of the day plan and the outbox view, computed now on the user's own clock."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton
from aiogram_dialog import DialogManager

from bot.callbacks import RouteCb
from bot.cards import clipped
from bot.i18n import Html, Translator
from bot.route_cards import pending_routes_block
from db.base import utcnow
from db.repo import outbox
from db.repo import tasks as repo
from domain import limits
from domain.errors import NotAllowed
from handlers.kit.context import i18n_of, session_of, settings_of, user_of

FAILED_SHOWN = 10
NOTICE = "notice"


def _task_line(i18n: Translator, n: int, item: repo.PlannedTask, when: str) -> str:
    title = clipped(item.task.title, limits.LINE_TEXT)
    if item.deal_contact:
        return i18n("today-task-line-about", n=n, when=when, title=title, contact=item.deal_contact)
    return i18n("today-task-line", n=n, when=when, title=title)


def _route_items(rows: list[list[InlineKeyboardButton]]) -> list[tuple[int, str]]:
    """The routes of the shared block (``RouteCb`` «show» buttons), as this window's own buttons."""
    return [
        (RouteCb.unpack(button.callback_data).id, button.text)
        for row in rows
        for button in row
        if button.callback_data
    ]


def _task_item(n: int, item: repo.PlannedTask) -> dict[str, Any]:
    return {"id": item.task.id, "n": n, "deal_id": item.deal_id, "lead_id": item.lead_id}


async def plan_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """R2h: overdue tasks, the rest of today's, the user's own deals at risk (``Settings.at_risk_days``);
    routes waiting for the user's decision first."""
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    user, settings = user_of(dialog_manager), settings_of(dialog_manager)
    now, zone = utcnow(), ZoneInfo(user.timezone or settings.default_timezone)
    plan = await repo.day_plan(
        session,
        user.id,
        now=now,
        zone=zone,
        period_months=settings.inactivity_period,
        policy=settings.comment_policy,
        at_risk_days=settings.at_risk_days,
    )
    routes = await pending_routes_block(session, i18n, user, settings)
    notice = dialog_manager.dialog_data.get(NOTICE) or {}
    sections = [i18n("today-title", date=now.astimezone(zone).strftime("%d.%m.%Y"))]
    data: dict[str, Any] = {
        "notice": notice.get("key"),
        "notice_params": notice.get("params") or {},
        "routes": _route_items(routes[1]) if routes else [],
        "tasks": [],
        "deals": [],
    }
    if plan.empty and routes is None:
        sections.append(i18n("today-empty"))
        return {**data, "plan": Html("\n\n".join(sections))}
    if routes is not None:
        sections.append(routes[0])  # a colleague is waiting for the decision
    n = 0
    for header, items, fmt, more in (
        ("today-overdue-header", plan.overdue, "%d.%m %H:%M", plan.more_overdue),
        ("today-today-header", plan.today, "%H:%M", plan.more_today),
    ):
        if not items:
            continue
        lines = [i18n(header, count=len(items) + more)]
        for item in items:
            n += 1
            lines.append(_task_line(i18n, n, item, item.task.due_at.astimezone(zone).strftime(fmt)))
            data["tasks"].append(_task_item(n, item))
        if more:
            lines.append(i18n("today-more", count=more))
        sections.append("\n".join(lines))
    if plan.at_risk:
        lines = [i18n("today-risk-header", count=len(plan.at_risk))]
        for risky in plan.at_risk:
            n += 1
            deadline = risky.state.deadline_day.strftime("%d.%m.%Y") if risky.state.deadline_day else ""
            lines.append(
                i18n(
                    "today-deal-line",
                    n=n,
                    id=str(risky.deal.id),
                    contact=risky.deal.contact.full_name,
                    days=risky.state.days_left or 0,
                    deadline=deadline,
                )
            )
            data["deals"].append((risky.deal.id, n))
        sections.append("\n".join(lines))
    sections.append(i18n("today-legend"))
    return {**data, "plan": Html("\n\n".join(sections))}


def is_admin(dialog_manager: DialogManager) -> bool:
    user = user_of(dialog_manager)
    return user.role == "admin" and user.is_active


class AdminOnly(NotAllowed):
    key = "admin-only"


async def outbox_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    if not is_admin(dialog_manager):
        raise AdminOnly("the outbox is for admins")
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    count = await outbox.count_failed(session)
    lines = [i18n("today-outbox-title", count=count)] if count else [i18n("today-outbox-none")]
    for row in await outbox.list_failed(session, FAILED_SHOWN) if count else []:
        lines.append(
            i18n(
                "today-outbox-line",
                id=str(row.id),
                kind=row.kind,
                recipient=str(row.recipient_id),
                attempts=row.attempts,
                error=row.last_error or "—",
            )
        )
    notice = dialog_manager.dialog_data.get(NOTICE) or {}
    return {
        "outbox": Html("\n".join(lines)),
        "failed": count,
        "notice": notice.get("key"),
        "notice_params": notice.get("params") or {},
    }
