"""The reports, each a builder from a query (scope, period, reader) to what the reader gets: a short text
summary, a chart sent as a photo, the data behind it as a sheet («📥 Excel»), and buttons that open the
records or lists behind a figure.

A report module registers its builder with :func:`report`; ``ORDER`` is the order of the buttons. A figure
that opens a list registers that list with :func:`drill`: its links are ``list:<name>:<arg>``, and the dialog
asks the drill for the records (each opening its card) when the button is pressed, with the scope authorised
again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.charts import Series
from bot.i18n import Html, Translator
from bot.settings import Settings
from bot.spreadsheets import Table
from domain.access import Actor
from domain.periods import Period
from domain.report_scope import Scope


@dataclass(frozen=True)
class ReportQuery:
    """One build of a report: whose work, which days, for whom, read at ``now``."""

    session: AsyncSession
    actor: Actor
    scope: Scope
    scope_label: str
    period: Period
    start: datetime  # UTC, first moment of the period on the reader's clock
    end: datetime  # UTC, first moment after the period
    now: datetime
    zone: ZoneInfo
    settings: Settings
    i18n: Translator


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    series: list[Series]
    value_label: Callable[[float], str] = lambda value: f"{value:g}"


#: A table of the report's workbook (one sheet each).
Sheet = Table


@dataclass(frozen=True)
class Link:
    """A button under the report: ``deal:<id>``, ``lead:<id>`` or ``list:<drill>:<arg>``."""

    label: str
    target: str


@dataclass(frozen=True)
class ReportOut:
    """What a report gives: its text, its data (``sheet``, then ``more_sheets``: one sheet per table of the
    workbook «📥 Excel» sends), its chart and the buttons under it."""

    text: Html
    sheet: Sheet
    chart: Chart | None = None
    links: list[Link] = field(default_factory=list)
    more_sheets: list[Sheet] = field(default_factory=list)

    @property
    def sheets(self) -> list[Sheet]:
        return [self.sheet, *self.more_sheets]


Builder = Callable[[ReportQuery], Awaitable[ReportOut]]
Drill = Callable[[ReportQuery, str], Awaitable[tuple[str, list[Link]]]]

#: The reports' buttons, in this order (a registered report not listed here comes last).
ORDER = ("funnel", "stuck", "managers", "discipline", "lost", "forecast")

REPORTS: dict[str, Builder] = {}
DRILLS: dict[str, Drill] = {}


def report(code: str) -> Callable[[Builder], Builder]:
    """Register a report under ``code`` (its catalog name is ``report-name-<code>``)."""

    def register(builder: Builder) -> Builder:
        REPORTS[code] = builder
        return builder

    return register


def drill(name: str) -> Callable[[Drill], Drill]:
    """Register the list behind a figure: it returns the list's title and its records' links."""

    def register(builder: Drill) -> Drill:
        DRILLS[name] = builder
        return builder

    return register
