"""Sub-dialogs that several forms start to choose something, and that return what was chosen.

- :class:`LeadPick` — an open lead the manager may act on (R1c), most recently touched first, each shown
  with its contact, client, product group and age, so two leads on one person look different. Text typed
  there searches (a contact's or a client's name, a phone's digits). Start at ``LeadPick.main`` with
  ``{"purpose": "log" | "deal"}``; the result is ``{"lead_id": int}``. «Отмена» there closes the picker
  and the form that started it (no result is returned). With
  ``"deals": True`` it also lists the manager's open deals, and picking one returns ``{"deal_id": int}``.
- :class:`DuePick` — a moment ahead (a task's due time, a next step): a day from the calendar and then a
  time, or typed the way managers write it («завтра в 15:00», «пт 11:00», «через 3 дня»; the domain's
  ``DueAt.parse``). Start at ``DuePick.date`` with ``{"purpose": "task" | "log", "current": iso | None,
  "removable": bool}``; the result is ``{"due": iso}`` (UTC), ``{"due": None}`` when «без даты» was
  chosen (``removable``), or ``None`` when the user went back.

Both are registered once, with the /log dialogs (``handlers.interactions.dialogs``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, Select
from aiogram_dialog.widgets.text import Const

from db.base import utcnow
from db.repo import interactions as repo
from db.repo.interactions import PickRow, Subject
from domain import limits
from domain.due import DueAt
from domain.errors import Gone, ValidationError
from handlers.kit.calendar import LocalCalendar
from handlers.kit.context import actor_of, i18n_of, record_id, session_of, settings_of, user_of
from handlers.kit.inputs import ERROR_LINE, DomainInput, clear_error, set_error
from handlers.kit.paging import PAGE, page_of, pager
from handlers.kit.steps import NOT_TEXT, cancel_form, tell
from handlers.kit.text import Tr, TrPlain

QUERY = "query"
DUE_TIMES = ("09:00", "10:00", "12:00", "14:00", "16:00", "18:00")
_TIME = re.compile(r"^\s*(?:в\s+|at\s+)?(\d{1,2})(?:[:.\s](\d{2}))?\s*$", re.IGNORECASE)


class LeadPick(StatesGroup):
    """Choose an open lead (or, with ``"deals": True``, a deal). See the module docstring for the data."""

    main = State()
    deals = State()


class DuePick(StatesGroup):
    """Choose a moment ahead: a day (calendar or typed), then its time. See the module docstring."""

    date = State()
    time = State()


def _start(manager: DialogManager) -> dict[str, Any]:
    return manager.start_data if isinstance(manager.start_data, dict) else {}


def zone_of(manager: DialogManager) -> ZoneInfo:
    return ZoneInfo(user_of(manager).timezone or settings_of(manager).default_timezone)


# --- the lead picker --------------------------------------------------------------------------------------


def _label(manager: DialogManager, row: PickRow, today: date) -> str:
    i18n = i18n_of(manager)
    days = max(0, (today - row.created_at.astimezone(zone_of(manager)).date()).days)
    group = row.group or i18n.plain("pick-no-group")
    parts = [row.contact, row.client, group, i18n.plain("pick-age", days=days)]
    return " · ".join(part for part in parts if part) + " · " + i18n.plain("pick-id", id=row.id)


async def _rows(dialog_manager: DialogManager, subject: Subject) -> dict[str, Any]:
    query = str(dialog_manager.dialog_data.get(QUERY) or "")
    rows, has_next = await repo.pick_page(
        session_of(dialog_manager), actor_of(dialog_manager), subject, page_of(dialog_manager), query
    )
    today = datetime.now(zone_of(dialog_manager)).date()
    purpose = str(_start(dialog_manager).get("purpose") or "other")
    locked: set[int] = set()
    if purpose == "deal" and subject is Subject.LEAD:
        # R1d: a lead without a qualifying interaction cannot become a deal yet; it shows a lock.
        policy = settings_of(dialog_manager).comment_policy
        qualified = await repo.qualified_leads(session_of(dialog_manager), [row.id for row in rows], policy)
        locked = {row.id for row in rows} - qualified
    return {
        "purpose": purpose,
        "query": query,
        "items": [
            (row.id, ("🔒 " if row.id in locked else "") + _label(dialog_manager, row, today)) for row in rows
        ],
        "empty": not rows and not query and not page_of(dialog_manager),
        "not_found": not rows and bool(query),
        "has_prev": page_of(dialog_manager) > 0,
        "has_next": has_next,
        "with_deals": bool(_start(dialog_manager).get("deals")),
    }


async def leads_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return await _rows(dialog_manager, Subject.LEAD)


async def deals_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return await _rows(dialog_manager, Subject.DEAL)


def _parse_query(text: str, manager: DialogManager) -> str:
    cleaned = " ".join(text.split())
    if too_long := limits.check_length(cleaned, limits.SEARCH_TEXT):
        raise ValidationError(
            "limit-too-long", "search too long", limit=too_long.limit, length=too_long.length
        )
    return cleaned


async def _on_query(message: Message, widget: Any, manager: DialogManager, query: str) -> None:
    manager.dialog_data[QUERY] = query
    manager.dialog_data[PAGE] = 0


async def _clear_query(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(QUERY, None)
    manager.dialog_data[PAGE] = 0


def _picked_id(item_id: str) -> int:
    return record_id(item_id)


async def _pick_lead(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    lead_id = _picked_id(item_id)
    await repo.require_subject(session_of(manager), actor_of(manager), Subject.LEAD, lead_id)
    await manager.done(result={"lead_id": lead_id})


async def _pick_deal(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    if not _start(manager).get("deals"):
        raise Gone("deals are not offered here")
    deal_id = _picked_id(item_id)
    await repo.require_subject(session_of(manager), actor_of(manager), Subject.DEAL, deal_id)
    await manager.done(result={"deal_id": deal_id})


async def _cancel(event: Any, widget: Any, manager: DialogManager) -> None:
    """Cancel closes the picker and the form that asked for the pick: nothing was chosen, nothing is kept."""
    await manager.mark_closed()
    if manager.has_context():
        await cancel_form(event, widget, manager)
    else:
        await tell(manager, "cancelled")


def _switch(state: State) -> Any:
    async def on_click(event: Any, widget: Any, manager: DialogManager) -> None:
        manager.dialog_data[PAGE] = 0
        manager.dialog_data.pop(QUERY, None)
        clear_error(manager)
        await manager.switch_to(state)

    return on_click


def _for_deal(data: dict[str, Any], widget: Any, manager: DialogManager) -> bool:
    return data.get("purpose") == "deal"


def _not_for_deal(data: dict[str, Any], widget: Any, manager: DialogManager) -> bool:
    return data.get("purpose") != "deal"


def _for_task(data: dict[str, Any], widget: Any, manager: DialogManager) -> bool:
    return data.get("purpose") == "task"


def _not_for_task(data: dict[str, Any], widget: Any, manager: DialogManager) -> bool:
    return data.get("purpose") != "task"


def _pick_window(subject: Subject) -> Window:
    leads = subject is Subject.LEAD
    return Window(
        ERROR_LINE,
        Tr("pick-lead-title-deal", when=_for_deal) if leads else Tr("pick-deal-title"),
        Tr("pick-lead-title", when=_not_for_deal) if leads else Const(""),
        Tr("pick-search", text="query", when="query"),
        Tr("pick-lead-empty" if leads else "pick-deal-empty", when="empty"),
        Tr("pick-not-found", when="not_found"),
        Column(
            Select(
                TrPlain("pick-item", label="item.1"),
                id="lead" if leads else "deal",
                item_id_getter=lambda item: item[0],
                items="items",
                on_click=_pick_lead if leads else _pick_deal,
            )
        ),
        pager(),
        Button(TrPlain("pick-btn-clear"), id="clear", on_click=_clear_query, when="query"),
        Row(
            Button(
                TrPlain("pick-btn-deals" if leads else "pick-btn-leads"),
                id="to_deals" if leads else "to_leads",
                on_click=_switch(LeadPick.deals if leads else LeadPick.main),
                when="with_deals",
            ),
            Button(TrPlain("btn-cancel"), id="cancel", on_click=_cancel),
        ),
        DomainInput("query", _parse_query, on_success=_on_query),
        NOT_TEXT,
        getter=leads_getter if leads else deals_getter,
        state=LeadPick.main if leads else LeadPick.deals,
    )


def lead_pick_dialog() -> Dialog:
    return Dialog(_pick_window(Subject.LEAD), _pick_window(Subject.DEAL))


# --- the due picker ---------------------------------------------------------------------------------------


def parse_due(text: str, manager: DialogManager) -> str:
    """A typed moment ahead, read by the domain in the user's time zone; UTC ISO."""
    return DueAt.parse(text, utcnow(), zone_of(manager)).at.isoformat()


def _parse_time(text: str, manager: DialogManager) -> str:
    """A time of the day picked on the calendar: «15:30», «15», «в 9.00»; the whole moment must be ahead."""
    match = _TIME.match(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValidationError("due-err-time", "not a time of day")
    day = date.fromisoformat(str(manager.dialog_data["day"]))
    moment = datetime.combine(day, time(int(match.group(1)), int(match.group(2) or 0)), zone_of(manager))
    return DueAt.parse(moment.strftime("%d.%m.%Y %H:%M"), utcnow(), zone_of(manager)).at.isoformat()


async def _due_done(message: Any, widget: Any, manager: DialogManager, due: str) -> None:
    await manager.done(result={"due": due})


async def _on_day(event: Any, widget: Any, manager: DialogManager, day: date) -> None:
    clear_error(manager)
    manager.dialog_data["day"] = day.isoformat()
    await manager.switch_to(DuePick.time)


async def _on_time(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    try:
        due = _parse_time(item_id, manager)
    except ValidationError as error:
        set_error(manager, error.key, **error.params)
        return
    await manager.done(result={"due": due})


async def _remove(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.done(result={"due": None})


async def _leave(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.done()


async def _to_days(event: Any, widget: Any, manager: DialogManager) -> None:
    clear_error(manager)
    await manager.switch_to(DuePick.date)


async def due_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start, zone = _start(dialog_manager), zone_of(dialog_manager)
    current = start.get("current")
    day = dialog_manager.dialog_data.get("day")
    return {
        "purpose": str(start.get("purpose") or "other"),
        "current": DueAt(datetime.fromisoformat(current)).display(zone) if current else "",
        "removable": bool(start.get("removable")),
        "day": date.fromisoformat(day).strftime("%d.%m.%Y") if day else "",
        "times": list(DUE_TIMES),
    }


def due_pick_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("due-ask-task", when=_for_task),
            Tr("due-ask", when=_not_for_task),
            Tr("due-current", "current", when="current"),
            LocalCalendar("calendar", on_click=_on_day),
            Button(TrPlain("due-btn-remove"), id="remove", on_click=_remove, when="removable"),
            Row(Button(TrPlain("btn-back"), id="leave", on_click=_leave)),
            DomainInput("due", parse_due, on_success=_due_done),
            NOT_TEXT,
            getter=due_getter,
            state=DuePick.date,
        ),
        Window(
            ERROR_LINE,
            Tr("due-ask-time", "day"),
            Group(
                Select(
                    TrPlain("pick-item", label="item"),
                    id="time",
                    item_id_getter=lambda item: item.split(":")[0],
                    items="times",
                    on_click=_on_time,
                ),
                width=3,
            ),
            Row(Button(TrPlain("btn-back"), id="days", on_click=_to_days)),
            DomainInput("time", _parse_time, on_success=_due_done),
            NOT_TEXT,
            getter=due_getter,
            state=DuePick.time,
        ),
    )


def dialogs() -> list[Dialog]:
    return [lead_pick_dialog(), due_pick_dialog()]
