"""«Менеджеры» (seed 001: each manager's effectiveness): for each manager in scope, the interactions logged in
the period and the qualifying share (R1d), the leads created, converted and refused, the deals won and lost
with their sums; the open pipeline and the overdue tasks now. Sorted by the won sum. Chart: won and lost sums
per manager, grouped bars."""

from __future__ import annotations

from bot.charts import Series, fold
from bot.i18n import Html
from bot.spreadsheets import MONEY, PERCENT, Column
from db.models import User
from db.repo.reports.managers import ManagerRow, managers
from domain.money import from_minor
from handlers.reports.funnel import heading, money, share
from handlers.reports.registry import Chart, ReportOut, ReportQuery, Sheet, report


def name_of(user: User) -> str:
    return user.full_name or str(user.telegram_id)


def thousands(value: float) -> str:
    """A chart's value label: thousands of roubles, e.g. ``1 250``."""
    return f"{value:,.0f}".replace(",", "\u00a0")


def chart_of(query: ReportQuery, rows: list[ManagerRow]) -> Chart:
    i18n = query.i18n
    labels, (won, lost) = fold(
        rows,
        lambda row: name_of(row.user),
        [lambda row: row.won_minor / 100_000, lambda row: row.lost_minor / 100_000],
        lambda count: i18n.plain("report-others", count=count),
    )
    return Chart(
        i18n.plain("report-managers-chart", scope=query.scope_label),
        labels,
        [Series(i18n.plain("report-series-won"), won), Series(i18n.plain("report-series-lost"), lost)],
        thousands,
    )


def sheet_of(query: ReportQuery, rows: list[ManagerRow]) -> Sheet:
    i18n = query.i18n
    headers = [
        ("report-col-manager", 28, None),
        ("report-col-interactions", 14, None),
        ("report-col-qualifying", 14, None),
        ("report-col-qualifying-share", 14, PERCENT),
        ("report-col-leads-created", 12, None),
        ("report-col-leads-converted", 12, None),
        ("report-col-leads-refused", 12, None),
        ("report-col-won", 10, None),
        ("report-col-won-amount", 16, MONEY),
        ("report-col-lost", 10, None),
        ("report-col-lost-amount", 16, MONEY),
        ("report-col-open-deals", 14, None),
        ("report-col-open-amount", 16, MONEY),
        ("report-col-overdue-tasks", 14, None),
    ]
    columns = [Column(i18n.plain(key), width, fmt) for key, width, fmt in headers]
    return Sheet(
        i18n.plain("report-name-managers"),
        columns,
        [
            [
                name_of(row.user),
                row.interactions,
                row.qualifying,
                row.qualifying_share,
                row.leads_created,
                row.leads_converted,
                row.leads_refused,
                row.won,
                from_minor(row.won_minor),
                row.lost,
                from_minor(row.lost_minor),
                row.open_deals,
                from_minor(row.open_minor),
                row.overdue_tasks,
            ]
            for row in rows
        ],
    )


@report("managers")
async def build(query: ReportQuery) -> ReportOut:
    i18n = query.i18n
    rows = await managers(query.session, query.scope, query.start, query.end, query.now)
    lines = [heading(query, "managers")]
    if not rows:
        lines.append(i18n("report-managers-none"))
    for row in rows:
        lines.append(
            i18n(
                "report-managers-row",
                name=name_of(row.user),
                interactions=row.interactions,
                qualifying=row.qualifying,
                qualifying_share=share(row.qualifying, row.interactions),
                leads=row.leads_created,
                converted=row.leads_converted,
                refused=row.leads_refused,
                won=row.won,
                won_amount=money(row.won_minor),
                lost=row.lost,
                lost_amount=money(row.lost_minor),
                open=row.open_deals,
                open_amount=money(row.open_minor),
                overdue=row.overdue_tasks,
            )
        )
    chart = chart_of(query, rows) if rows else None
    return ReportOut(Html("\n".join(lines)), sheet_of(query, rows), chart)
