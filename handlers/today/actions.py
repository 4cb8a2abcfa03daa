"""What the day plan's buttons do: a task done or moved (R1c in the repository), a card opened on top."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram_dialog import Data, DialogManager

from db.base import utcnow
from db.repo import outbox
from domain.errors import Gone
from handlers.clients.states import RouteView
from handlers.deals.states import DealCard
from handlers.kit.context import actor_of, record_id, session_of, settings_of, user_of
from handlers.kit.pickers import DuePick
from handlers.leads.states import LeadCard
from handlers.tasks.states import TaskForm
from handlers.today import tasks
from handlers.today.getters import NOTICE, VIEW, VIEWS, AdminOnly, is_admin

log = logging.getLogger(__name__)

RESCHEDULING = "rescheduling"


def _item_id(manager: DialogManager) -> int:
    """The task of the pressed row (a ``ListGroup`` row); the repository re-checks it."""
    return int(getattr(manager, "item_id", 0) or 0)


def _notice(manager: DialogManager, key: str | None = None, **params: Any) -> None:
    if key is None:
        manager.dialog_data.pop(NOTICE, None)
    else:
        manager.dialog_data[NOTICE] = {"key": key, "params": params}


async def on_done(event: Any, widget: Any, manager: DialogManager) -> None:
    _notice(manager)
    task = await tasks.complete(session_of(manager), actor_of(manager), _item_id(manager))
    log.info("task %s done by user %s", task.id, actor_of(manager).user_id)
    _notice(manager, "today-task-done-title", title=task.title)


async def on_reschedule(event: Any, widget: Any, manager: DialogManager) -> None:
    """When? — the calendar or a typed moment (``DuePick``); the answer comes back to :func:`on_result`."""
    _notice(manager)
    task = await tasks.check(session_of(manager), actor_of(manager), _item_id(manager))
    manager.dialog_data[RESCHEDULING] = task.id
    await manager.start(DuePick.date, data={"purpose": "task", "current": task.due_at.isoformat()})


async def on_result(start_data: Data, result: Any, manager: DialogManager) -> None:
    task_id = manager.dialog_data.pop(RESCHEDULING, None)
    due = result.get("due") if isinstance(result, dict) else None
    if not task_id or not due:
        return  # back without a new time: nothing changes
    task = await tasks.reschedule(
        session_of(manager), actor_of(manager), int(task_id), datetime.fromisoformat(due)
    )
    zone = ZoneInfo(user_of(manager).timezone or settings_of(manager).default_timezone)
    when = task.due_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
    _notice(manager, "today-rescheduled", title=task.title, when=when)


async def on_tab(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """«Сегодня», «Неделя» or «Просрочено»."""
    if item_id not in VIEWS:
        raise Gone("not a view of the plan")
    _notice(manager)
    manager.dialog_data[VIEW] = item_id


async def on_open_task(event: Any, widget: Any, manager: DialogManager) -> None:
    """The task's deal or lead card, on top of the plan; its getter refuses a record the user may not see."""
    _notice(manager)
    task = await tasks.check(session_of(manager), actor_of(manager), _item_id(manager))
    if task.deal_id:
        await manager.start(DealCard.main, data={"deal_id": task.deal_id})
    elif task.lead_id:
        await manager.start(LeadCard.main, data={"lead_id": task.lead_id})


async def on_new_task(event: Any, widget: Any, manager: DialogManager) -> None:
    """«➕ Задача»: a personal task, on top of the plan (back to the plan when cancelled)."""
    _notice(manager)
    await manager.start(TaskForm.title, data={})


async def on_open_deal(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    _notice(manager)
    await manager.start(DealCard.main, data={"deal_id": record_id(item_id)})


async def on_open_route(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    """A route waiting for the user's decision: the request with «Одобрить» / «Отклонить»."""
    _notice(manager)
    await manager.start(RouteView.request, data={"route_id": record_id(item_id)})


async def on_retry(event: Any, widget: Any, manager: DialogManager) -> None:
    """Admins: every failed notification back into the queue."""
    if not is_admin(manager):
        raise AdminOnly("the outbox is for admins")
    count = await outbox.retry_failed(session_of(manager), utcnow())
    log.info("outbox: admin %s put %d failed notification(s) back", actor_of(manager).user_id, count)
    _notice(manager, "today-outbox-retried", count=count)
