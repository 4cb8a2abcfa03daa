"""A date picked from a calendar, with month and weekday names in the user's language and "today" in the
user's time zone. A date step offers it beside the typed natural dates the domain accepts («завтра в 15:00»,
«пт 10:00»): the window has both the calendar and a ``DomainInput``."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery
from aiogram_dialog.api.internal import RawKeyboard
from aiogram_dialog.api.protocols import DialogManager, DialogProtocol
from aiogram_dialog.widgets.kbd import Calendar, CalendarScope
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarMonthView,
    CalendarScopeView,
    CalendarUserConfig,
    CalendarYearsView,
)
from aiogram_dialog.widgets.text import Format, Text

from domain.errors import Gone
from handlers.kit.context import settings_of, user_of
from handlers.kit.text import translator


class _Month(Text):
    """``month-N`` from the catalog, optionally with the year: «Март 2027»."""

    def __init__(self, template: str = "{month}") -> None:
        super().__init__()
        self.template = template

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: date = data["date"]
        month = translator(manager).plain(f"month-{day.month}")
        return self.template.format(month=month, year=day.year)


class _Weekday(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        day: date = data["date"]
        return translator(manager).plain(f"weekday-short-{day.weekday()}")


class LocalCalendar(Calendar):
    """aiogram-dialog's ``Calendar`` in the user's language and time zone, weeks from Monday."""

    def _init_views(self) -> dict[CalendarScope, CalendarScopeView]:
        return {
            CalendarScope.DAYS: CalendarDaysView(
                self._item_callback_data,
                weekday_text=_Weekday(),
                header_text=_Month("🗓 {month} {year}"),
                next_month_text=_Month("{month} »"),
                prev_month_text=_Month("« {month}"),
            ),
            CalendarScope.MONTHS: CalendarMonthView(
                self._item_callback_data,
                month_text=_Month(),
                this_month_text=_Month("[ {month} ]"),
                header_text=Format("🗓 {date:%Y}"),
            ),
            CalendarScope.YEARS: CalendarYearsView(self._item_callback_data),
        }

    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        """A forged day, month or year (letters, 10^30) is an out-of-date button, not a crash."""
        try:
            return await super()._process_item_callback(callback, data, dialog, manager)
        except (ValueError, OverflowError) as forged:
            raise Gone("a forged calendar button") from forged

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> RawKeyboard:
        """A dot, not a blank, in the cells outside the month: every button has a visible text."""
        keyboard = await super()._render_keyboard(data, manager)
        for row in keyboard:
            for button in row:
                if not button.text.strip():
                    button.text = "·"
        return keyboard

    async def _get_user_config(self, data: dict[str, Any], manager: DialogManager) -> CalendarUserConfig:
        user, settings = user_of(manager), settings_of(manager)
        offset = datetime.now(ZoneInfo(user.timezone or settings.default_timezone)).utcoffset()
        return CalendarUserConfig(firstweekday=0, timezone=timezone(offset or timedelta(0)))
