"""«Где застревают сделки» (seed 001): for each pipeline stage, the median and 90th-percentile days deals
spent in it over the period, the open deals in it now past its limit (its own inactivity period, R2h, or
else its median), and the stage where the deals lost in the period were lost; the stuck deals, the worst
first, each opening its card. Chart: days in stage, the median and the 90th percentile per stage."""

from __future__ import annotations

from bot.charts import Series
from bot.i18n import Html
from bot.spreadsheets import Cell, Column
from db.repo.directories import display_name
from db.repo.reports.stuck import Stuck, StuckDeal, stuck
from domain.values import short_name
from handlers.reports.funnel import heading
from handlers.reports.registry import Chart, Link, ReportOut, ReportQuery, Sheet, report

#: The stuck deals listed (and given a button), the worst first.
LIST_LIMIT = 20


def days(value: float | None, language: str) -> str:
    """Days to one decimal («4,5» in Russian); «—» when there is no figure."""
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if language == "ru" else text


def deal_label(deal: StuckDeal, query: ReportQuery) -> str:
    return query.i18n.plain(
        "report-stuck-deal",
        id=deal.deal_id,
        contact=short_name(deal.contact),
        stage=display_name(deal.stage, query.i18n.language),
        days=int(deal.days),
    )


def _sheets(query: ReportQuery, data: Stuck) -> tuple[Sheet, list[Sheet]]:
    """Two tables, a sheet each: the stages, and the deals stuck now."""
    i18n, lang = query.i18n, query.i18n.language
    stages: list[list[Cell]] = [
        [display_name(row.stage, lang), row.median, row.p90, row.stuck, row.lost] for row in data.stages
    ]
    if data.lost_unknown:
        stages.append([i18n.plain("report-stuck-stage-unknown"), None, None, None, data.lost_unknown])
    stage_sheet = Sheet(
        i18n.plain("report-name-stuck"),
        [
            Column(i18n.plain("report-col-stage"), 28),
            Column(i18n.plain("report-col-median-days"), 14, "0.0"),
            Column(i18n.plain("report-col-p90-days"), 14, "0.0"),
            Column(i18n.plain("report-col-stuck-now"), 14),
            Column(i18n.plain("report-col-lost-here"), 14),
        ],
        stages,
    )
    deal_sheet = Sheet(
        i18n.plain("report-sheet-stuck-deals"),
        [
            Column(i18n.plain("report-col-deal"), 10),
            Column(i18n.plain("report-col-contact"), 28),
            Column(i18n.plain("report-col-stage"), 28),
            Column(i18n.plain("report-col-days-in-stage"), 14, "0.0"),
        ],
        [[deal.deal_id, deal.contact, display_name(deal.stage, lang), deal.days] for deal in data.deals],
    )
    return stage_sheet, [deal_sheet]


@report("stuck")
async def build(query: ReportQuery) -> ReportOut:
    i18n, lang = query.i18n, query.i18n.language
    data = await stuck(query.session, query.scope, query.start, query.end, query.now, LIST_LIMIT)
    lines = [heading(query, "stuck")]
    if data.empty:
        lines.append(i18n("report-stuck-empty"))
        stage_sheet, deal_sheets = _sheets(query, data)
        return ReportOut(Html("\n".join(lines)), stage_sheet, more_sheets=deal_sheets)
    lines.append(i18n("report-stuck-stages"))
    for row in data.stages:
        lines.append(
            i18n(
                "report-stuck-stage",
                stage=display_name(row.stage, lang),
                median=days(row.median, lang),
                p90=days(row.p90, lang),
                stuck=row.stuck,
                lost=row.lost,
            )
        )
    if data.lost_unknown:
        lines.append(i18n("report-stuck-lost-unknown", lost=data.lost_unknown))
    lines.append(i18n("report-stuck-total", stuck=data.stuck_total))
    more = data.stuck_total - len(data.deals)
    if more > 0:
        lines.append(i18n("report-stuck-more", more=more))
    labels = [display_name(row.stage, lang) for row in data.stages]
    chart = Chart(
        i18n.plain("report-stuck-chart", scope=query.scope_label),
        labels,
        [
            Series(i18n.plain("report-series-median"), [row.median or 0.0 for row in data.stages]),
            Series(i18n.plain("report-series-p90"), [row.p90 or 0.0 for row in data.stages]),
        ],
        lambda value: days(value, lang),
    )
    links = [Link(deal_label(deal, query), f"deal:{deal.deal_id}") for deal in data.deals]
    stage_sheet, deal_sheets = _sheets(query, data)
    return ReportOut(Html("\n".join(lines)), stage_sheet, chart, links, deal_sheets)
