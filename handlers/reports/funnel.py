"""«Воронка» (seed 001): open deals by stage now, with their sums; of the leads and deals created in the
period, how many became deals and were won; the deals closed in the period, the win rate and the average won
deal. Chart: horizontal bars by stage."""

from __future__ import annotations

from bot.charts import Series, fold
from bot.i18n import Html
from bot.spreadsheets import MONEY, PERCENT, Column
from db.repo.directories import display_name
from db.repo.reports.funnel import funnel
from domain.money import Money, from_minor
from handlers.reports.registry import Chart, ReportOut, ReportQuery, Sheet, report


def money(minor: int) -> str:
    return Money(from_minor(minor)).display()


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def heading(query: ReportQuery, code: str) -> str:
    period = query.period
    return query.i18n(
        "report-heading",
        name=query.i18n.plain(f"report-name-{code}"),
        scope=query.scope_label,
        first=f"{period.first:%d.%m.%Y}",
        last=f"{period.last:%d.%m.%Y}",
    )


@report("funnel")
async def build(query: ReportQuery) -> ReportOut:
    i18n, lang = query.i18n, query.i18n.language
    data = await funnel(query.session, query.scope, query.start, query.end)
    lines = [heading(query, "funnel"), i18n("report-funnel-open")]
    for row in data.open_by_stage:
        name = display_name(row.stage, lang)
        lines.append(i18n("report-funnel-stage", stage=name, deals=row.deals, amount=money(row.amount_minor)))
    total = sum(row.deals for row in data.open_by_stage)
    total_minor = sum(row.amount_minor for row in data.open_by_stage)
    lines.append(i18n("report-funnel-open-total", deals=total, amount=money(total_minor)))
    lines.append(
        i18n(
            "report-funnel-created",
            leads=data.leads_created,
            converted=data.leads_converted,
            converted_share=share(data.leads_converted, data.leads_created),
            deals=data.deals_created,
            won=data.deals_created_won,
            won_share=share(data.deals_created_won, data.deals_created),
        )
    )
    lines.append(
        i18n(
            "report-funnel-closed",
            won=data.won,
            won_amount=money(data.won_minor),
            lost=data.lost,
            lost_amount=money(data.lost_minor),
            rate=share(data.won, data.won + data.lost),
            average=money(data.average_won_minor) if data.average_won_minor is not None else "—",
        )
    )
    if data.deals_created:
        lines.append(i18n("report-funnel-conversion"))
        for before, after in zip(data.reached, data.reached[1:], strict=False):
            lines.append(
                i18n(
                    "report-funnel-step",
                    first=display_name(before.stage, lang),
                    second=display_name(after.stage, lang),
                    share=share(after.deals, before.deals),
                    reached=after.deals,
                    of=before.deals,
                )
            )
    labels, (counts,) = fold(
        data.open_by_stage,
        lambda row: display_name(row.stage, lang),
        [lambda row: float(row.deals)],
        lambda count: i18n.plain("report-others", count=count),
    )
    chart = Chart(
        i18n.plain("report-funnel-chart", scope=query.scope_label),
        labels,
        [Series(i18n.plain("report-series-deals"), counts)],
        lambda value: f"{value:g}",
    )
    sheet = Sheet(
        i18n.plain("report-name-funnel"),
        [
            Column(i18n.plain("report-col-stage"), 28),
            Column(i18n.plain("report-col-open-deals"), 14),
            Column(i18n.plain("report-col-amount"), 18, MONEY),
            Column(i18n.plain("report-col-share"), 12, PERCENT),
            Column(i18n.plain("report-col-reached"), 16),
        ],
        [
            [
                display_name(row.stage, lang),
                row.deals,
                from_minor(row.amount_minor),
                row.deals / total if total else 0.0,
                reached.deals,
            ]
            for row, reached in zip(data.open_by_stage, data.reached, strict=True)
        ],
    )
    return ReportOut(Html("\n".join(lines)), sheet, chart)
