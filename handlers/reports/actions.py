"""The reports dialog's steps: pick the report, the period (two calendar days for a custom one) and the
scope; then the report is built once, its chart sent as a photo and its text shown under it with «📥 Excel»
and the buttons that open what is behind a figure.

Every build authorises the scope again (``db.repo.reports.scope.authorise``, R1c): a forged or stale scope
code, report code or period shows nothing. A record opened from a report is authorised by its own card.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from aiogram import Bot
from aiogram.types import BufferedInputFile
from aiogram_dialog import DialogManager, ShowMode

from bot.charts import bars_png
from bot.spreadsheets import write_book
from db.repo.reports import scope as scopes
from domain.errors import Gone, NotAllowed, ValidationError
from domain.periods import Period, PeriodKind, custom_period, period_of
from domain.report_scope import Scope
from handlers.kit.context import actor_of, i18n_of, session_of, settings_of
from handlers.kit.inputs import clear_error, set_error
from handlers.kit.launch import find_state
from handlers.kit.pickers import zone_of
from handlers.kit.steps import chat_id_of
from handlers.reports.registry import DRILLS, REPORTS, Link, ReportOut, ReportQuery
from handlers.reports.states import Reports

log = logging.getLogger(__name__)

REPORT, PERIOD, SCOPE, FIRST_DAY = "report", "period", "scope", "first_day"
TEXT, LINKS, DRILL = "text", "links", "drill"
#: The card each kind of link opens, by state name (the reports package imports no card package).
CARDS = {"deal": ("DealCard:main", "deal_id"), "lead": ("LeadCard:main", "lead_id")}


def today_of(manager: DialogManager) -> date:
    return datetime.now(zone_of(manager)).date()


async def query_of(manager: DialogManager) -> ReportQuery:
    """The query of the picks in dialog data, with the scope authorised again (R1c)."""
    data = manager.dialog_data
    try:
        scope = Scope.parse(str(data.get(SCOPE, "")))
        period = Period.parse(str(data.get(PERIOD, "")))
    except ValueError as exc:
        raise Gone("the report's picks are gone") from exc
    session, actor, i18n = session_of(manager), actor_of(manager), i18n_of(manager)
    await scopes.authorise(session, actor, scope)
    name = await scopes.scope_name(session, scope)
    zone = zone_of(manager)
    start, end = period.utc_bounds(zone)
    return ReportQuery(
        session=session,
        actor=actor,
        scope=scope,
        scope_label=scope_label(manager, scope, name),
        period=period,
        start=start,
        end=end,
        now=datetime.now(UTC),
        zone=zone,
        settings=settings_of(manager),
        i18n=i18n,
    )


def scope_label(manager: DialogManager, scope: Scope, name: str | None) -> str:
    i18n = i18n_of(manager)
    if scope.kind.value == "c":
        return i18n.plain("report-scope-company")
    if scope.kind.value == "u" and scope.id == actor_of(manager).user_id:
        return i18n.plain("report-scope-me")
    key = "report-scope-team" if scope.kind.value == "t" else "report-scope-user"
    return i18n.plain(key, name=name or "—")


async def build(manager: DialogManager) -> ReportOut:
    code = str(manager.dialog_data.get(REPORT, ""))
    builder = REPORTS.get(code)
    if builder is None:
        raise Gone("no such report")
    return await builder(await query_of(manager))


def _bot(manager: DialogManager) -> tuple[Bot, int] | None:
    bot, chat_id = manager.middleware_data.get("bot"), chat_id_of(manager.event)
    return (bot, chat_id) if isinstance(bot, Bot) and chat_id is not None else None


async def show(manager: DialogManager) -> None:
    """Build the report, send its chart, and show its text and buttons under the chart."""
    out = await build(manager)
    target = _bot(manager)
    if out.chart is not None and target is not None:
        bot, chat_id = target
        chart = out.chart
        png = await bars_png(chart.title, chart.labels, chart.series, chart.value_label)
        await bot.send_photo(chat_id, BufferedInputFile(png, "report.png"))
    manager.dialog_data[TEXT] = str(out.text)
    manager.dialog_data[LINKS] = [[link.label, link.target] for link in out.links]
    log.info("user %s built report %s", actor_of(manager).user_id, manager.dialog_data.get(REPORT))
    await manager.switch_to(Reports.result, show_mode=ShowMode.SEND)


async def on_kind(event: Any, widget: Any, manager: DialogManager, code: str) -> None:
    if code not in REPORTS:
        raise Gone("no such report")
    manager.dialog_data[REPORT] = code
    if manager.dialog_data.get(PERIOD) and manager.dialog_data.get(SCOPE):
        await show(manager)  # another report over the same period and scope
        return
    await manager.switch_to(Reports.period)


async def _after_period(manager: DialogManager, period: Period) -> None:
    manager.dialog_data[PERIOD] = period.code()
    if manager.dialog_data.get(SCOPE):
        await show(manager)
        return
    choices = await scopes.choices(session_of(manager), actor_of(manager))
    if len(choices) == 1:
        manager.dialog_data[SCOPE] = choices[0][0].code()
        await show(manager)
        return
    await manager.switch_to(Reports.scope)


async def on_period(event: Any, widget: Any, manager: DialogManager, code: str) -> None:
    try:
        kind = PeriodKind(code)
    except ValueError as exc:
        raise Gone("no such period") from exc
    if kind is PeriodKind.CUSTOM:
        manager.dialog_data.pop(FIRST_DAY, None)
        clear_error(manager)
        await manager.switch_to(Reports.custom)
        return
    await _after_period(manager, period_of(kind, today_of(manager)))


async def on_day(event: Any, widget: Any, manager: DialogManager, day: date) -> None:
    """A custom period: the first day, then the last (in either order); not past today."""
    if day > today_of(manager):
        set_error(manager, "report-err-day-future")
        return
    first = manager.dialog_data.get(FIRST_DAY)
    if first is None:
        manager.dialog_data[FIRST_DAY] = day.isoformat()
        clear_error(manager)
        return
    try:
        period = custom_period(date.fromisoformat(str(first)), day)
    except ValidationError as refusal:
        set_error(manager, refusal.key, **refusal.params)
        manager.dialog_data.pop(FIRST_DAY, None)
        return
    manager.dialog_data.pop(FIRST_DAY, None)
    clear_error(manager)
    await _after_period(manager, period)


async def on_scope(event: Any, widget: Any, manager: DialogManager, code: str) -> None:
    try:
        scope = Scope.parse(code)
    except ValueError as exc:
        raise NotAllowed("not a scope") from exc
    await scopes.authorise(session_of(manager), actor_of(manager), scope)
    manager.dialog_data[SCOPE] = scope.code()
    await show(manager)


async def on_excel(event: Any, widget: Any, manager: DialogManager) -> None:
    """The data behind the report as an XLSX, built again now (the figures are as of this moment)."""
    out = await build(manager)
    target = _bot(manager)
    if target is None:
        return
    bot, chat_id = target
    data = write_book(out.sheets)
    name = f"{manager.dialog_data.get(REPORT)}-{manager.dialog_data.get(PERIOD, '').replace('..', '_')}.xlsx"
    await bot.send_document(chat_id, BufferedInputFile(data, name))
    manager.show_mode = ShowMode.SEND


async def to_periods(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(PERIOD, None)
    await manager.switch_to(Reports.period)


async def to_scopes(event: Any, widget: Any, manager: DialogManager) -> None:
    manager.dialog_data.pop(SCOPE, None)
    await manager.switch_to(Reports.scope)


async def to_kinds(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.switch_to(Reports.kind)


async def back_to_result(event: Any, widget: Any, manager: DialogManager) -> None:
    await manager.switch_to(Reports.result)


def _link(manager: DialogManager, key: str, item_id: str) -> str:
    links = manager.dialog_data.get(key) or []
    index = int(item_id) if item_id.isdigit() else -1
    if not 0 <= index < len(links):
        raise Gone("no such link")
    return str(links[index][1])


async def open_target(manager: DialogManager, target: str) -> None:
    kind, _, rest = target.partition(":")
    if kind == "list":
        name = rest.partition(":")[0]
        if name not in DRILLS:
            raise Gone("no such list")
        manager.dialog_data[DRILL] = rest
        await manager.switch_to(Reports.drill)
        return
    card = CARDS.get(kind)
    state = find_state(card[0]) if card is not None else None
    if card is None or state is None or not rest.isdigit():
        raise Gone("no such record")
    await manager.start(state, data={card[1]: int(rest)})


async def on_link(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await open_target(manager, _link(manager, LINKS, item_id))


async def on_drill_link(event: Any, widget: Any, manager: DialogManager, item_id: str) -> None:
    await open_target(manager, _link(manager, "drill_links", item_id))


async def drill_links(manager: DialogManager) -> tuple[str, list[Link]]:
    name, _, arg = str(manager.dialog_data.get(DRILL, "")).partition(":")
    builder = DRILLS.get(name)
    if builder is None:
        raise Gone("no such list")
    return await builder(await query_of(manager), arg)
