"""Read-only data of the day plan and the outbox view, computed now on the user's own clock."""

from __future__ import annotations

from datetime import timedelta
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
VIEW = "view"
VIEWS = ("today", "week", "overdue")


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


def view_of(manager: DialogManager) -> str:
    view = manager.dialog_data.get(VIEW)
    return view if view in VIEWS else VIEWS[0]


def _tabs(i18n: Translator, current: str) -> list[tuple[str, str]]:
    """«📌 Сегодня», «🗓 Неделя», «⏰ Просрочено»; the one shown is marked."""
    return [
        (
            view,
            i18n.plain(
                "today-tab-current" if view == current else "today-tab", label=i18n.plain(f"today-tab-{view}")
            ),
        )
        for view in VIEWS
    ]


def _listed(
    i18n: Translator,
    items: list[repo.PlannedTask],
    more: int,
    zone: ZoneInfo,
    data: dict[str, Any],
    *,
    fmt: str,
    start: int = 1,
    by_day: bool = False,
) -> list[str]:
    """Task lines numbered from ``start`` for the row buttons; ``by_day``: under a header per day
    («Чт, 21.01»)."""
    lines: list[str] = []
    day = None
    for n, item in enumerate(items, start=start):
        due = item.task.due_at.astimezone(zone)
        if by_day and due.date() != day:
            day = due.date()
            weekday = i18n.plain(f"weekday-short-{day.weekday()}")
            lines.append(i18n("today-week-day", weekday=weekday, date=day.strftime("%d.%m")))
        lines.append(_task_line(i18n, n, item, due.strftime(fmt)))
        data["tasks"].append(_task_item(n, item))
    if more:
        lines.append(i18n("today-more", count=more))
    return lines


async def _other_view(manager: DialogManager, view: str, data: dict[str, Any]) -> dict[str, Any]:
    """«Неделя» (the next seven days by day) or «Просрочено» (every overdue task)."""
    session, i18n = session_of(manager), i18n_of(manager)
    user, settings = user_of(manager), settings_of(manager)
    now, zone = utcnow(), ZoneInfo(user.timezone or settings.default_timezone)
    if view == "week":
        items, more = await repo.week_tasks(session, user.id, now=now, zone=zone)
        last = now.astimezone(zone).date() + timedelta(days=repo.WEEK_DAYS - 1)
        title = i18n(
            "today-week-title", start=now.astimezone(zone).strftime("%d.%m"), end=last.strftime("%d.%m")
        )
    else:
        items, more = await repo.overdue_tasks(session, user.id, now=now)
        title = i18n("today-overdue-title", count=len(items) + more)
    if not items:
        return {**data, "plan": Html("\n".join((title, i18n(f"today-{view}-empty"))))}
    week = view == "week"
    lines = _listed(i18n, items, more, zone, data, fmt="%H:%M" if week else "%d.%m %H:%M", by_day=week)
    return {**data, "plan": Html("\n\n".join((title, "\n".join(lines), i18n("today-legend"))))}


async def plan_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """«Сегодня»: R2h: overdue tasks, the rest of today's, the user's own deals at risk
    (``Settings.at_risk_days``); routes waiting for the user's decision first. «Неделя» and «Просрочено»:
    :func:`_other_view`."""
    session, i18n = session_of(dialog_manager), i18n_of(dialog_manager)
    user, settings = user_of(dialog_manager), settings_of(dialog_manager)
    view = view_of(dialog_manager)
    notice = dialog_manager.dialog_data.get(NOTICE) or {}
    base: dict[str, Any] = {
        "notice": notice.get("key"),
        "notice_params": notice.get("params") or {},
        "tabs": _tabs(i18n, view),
        "routes": [],
        "tasks": [],
        "deals": [],
    }
    if view != "today":
        return await _other_view(dialog_manager, view, base)
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
    sections = [i18n("today-title", date=now.astimezone(zone).strftime("%d.%m.%Y"))]
    data = {**base, "routes": _route_items(routes[1]) if routes else []}
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
        if items:
            lines = _listed(i18n, items, more, zone, data, fmt=fmt, start=n + 1)
            sections.append("\n".join((i18n(header, count=len(items) + more), *lines)))
            n += len(items)
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
