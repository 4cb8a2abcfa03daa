"""«Прогноз» (issue 12): the open deals in scope by the month they are expected to close, each month's count,
sum and sum weighted by the stage's probability; the deals whose expected date has passed on a line of their
own, and the deals with no expected date counted apart, so the forecast cannot look better than the data.

The forecast looks forward from the reader's current month, whatever period was picked: the period picks
nothing here (open deals are read as they are now), and the heading says so. Chart: bars by month, the
weighted sum and the full sum.
"""

from __future__ import annotations

from datetime import date

from bot.charts import Series
from bot.i18n import Html
from bot.spreadsheets import MONEY, Cell, Column
from db.repo.reports.forecast import Bucket, Forecast, forecast
from domain.money import from_minor
from handlers.reports.funnel import money
from handlers.reports.registry import Chart, ReportOut, ReportQuery, Sheet, report

#: Months drawn one by one; the later ones share a bar (a chart stays readable on a phone).
CHART_MONTHS = 7


def month_label(month: date) -> str:
    return f"{month:%m.%Y}"


def _rows(query: ReportQuery, data: Forecast) -> list[tuple[str, Bucket]]:
    """The lines of the forecast in order: the overdue dates first, then the months."""
    rows = [(query.i18n.plain("report-forecast-overdue-label"), data.overdue)] if data.overdue.deals else []
    return rows + [(month_label(month), bucket) for month, bucket in data.months.items()]


def _chart(query: ReportQuery, rows: list[tuple[str, Bucket]]) -> Chart:
    i18n = query.i18n
    shown = rows[:CHART_MONTHS]
    if len(rows) > CHART_MONTHS + 1:
        rest = [bucket for _label, bucket in rows[CHART_MONTHS:]]
        later = Bucket(
            sum(bucket.deals for bucket in rest),
            sum(bucket.amount_minor for bucket in rest),
            sum(bucket.weighted_centi for bucket in rest),
        )
        shown.append((i18n.plain("report-forecast-later"), later))
    else:
        shown = rows
    return Chart(
        i18n.plain("report-forecast-chart", scope=query.scope_label),
        [label for label, _bucket in shown],
        [
            Series(
                i18n.plain("report-series-weighted"), [float(from_minor(b.weighted_minor)) for _l, b in shown]
            ),
            Series(
                i18n.plain("report-series-amount"), [float(from_minor(b.amount_minor)) for _l, b in shown]
            ),
        ],
        lambda value: money(round(value * 100)),
    )


def _sheet(query: ReportQuery, data: Forecast) -> Sheet:
    i18n = query.i18n
    lines: list[tuple[Cell, Bucket]] = []
    if data.overdue.deals:
        lines.append((i18n.plain("report-forecast-overdue-label"), data.overdue))
    lines.extend(data.months.items())
    if data.undated.deals:
        lines.append((i18n.plain("report-forecast-undated-label"), data.undated))
    return Sheet(
        i18n.plain("report-name-forecast"),
        [
            Column(i18n.plain("report-col-month"), 18, "MM.YYYY"),
            Column(i18n.plain("report-col-deals"), 12),
            Column(i18n.plain("report-col-amount"), 18, MONEY),
            Column(i18n.plain("report-col-weighted"), 18, MONEY),
        ],
        [
            [month, bucket.deals, from_minor(bucket.amount_minor), from_minor(bucket.weighted_minor)]
            for month, bucket in lines
        ],
    )


@report("forecast")
async def build(query: ReportQuery) -> ReportOut:
    i18n = query.i18n
    today = query.now.astimezone(query.zone).date()
    data = await forecast(query.session, query.scope, today.replace(day=1))
    lines = [
        i18n(
            "report-forecast-heading",
            name=i18n.plain("report-name-forecast"),
            scope=query.scope_label,
            today=f"{today:%d.%m.%Y}",
        )
    ]
    if data.empty:
        lines.append(i18n("report-forecast-empty"))
        return ReportOut(Html("\n".join(lines)), _sheet(query, data))
    rows = _rows(query, data)
    if rows:
        lines.append(i18n("report-forecast-months"))
    for label, bucket in rows:
        key = "report-forecast-overdue" if bucket is data.overdue else "report-forecast-month"
        lines.append(
            i18n(
                key,
                month=label,
                deals=bucket.deals,
                amount=money(bucket.amount_minor),
                weighted=money(bucket.weighted_minor),
            )
        )
    dated = [bucket for _label, bucket in rows]
    lines.append(
        i18n(
            "report-forecast-total",
            deals=sum(bucket.deals for bucket in dated),
            amount=money(sum(bucket.amount_minor for bucket in dated)),
            weighted=money(sum(bucket.weighted_minor for bucket in dated)),
        )
    )
    if data.undated.deals:
        lines.append(
            i18n("report-forecast-undated", deals=data.undated.deals, amount=money(data.undated.amount_minor))
        )
    chart = _chart(query, rows) if rows else None
    return ReportOut(Html("\n".join(lines)), _sheet(query, data), chart)
