"""«Причины проигрыша» (seed 001, R2a): the deals lost in the period, counted and summed by the reason from
the directory, by the stage they were lost at, and by manager; each line's share is of the lost deals' count.
Chart: horizontal bars of deals by reason (at most 8, then «прочие»). Sheet: the reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.charts import Series, fold
from bot.i18n import Html
from bot.spreadsheets import MONEY, PERCENT, Column
from db.models import LostReason, Stage
from db.repo.directories import display_name
from db.repo.reports.lost import Lost, LostRow, lost
from domain.money import from_minor
from handlers.reports.funnel import heading, money, share
from handlers.reports.managers import name_of
from handlers.reports.registry import Chart, ReportOut, ReportQuery, Sheet, report

K = TypeVar("K")


def reason_name(query: ReportQuery, reason: LostReason | None) -> str:
    if reason is None:
        return query.i18n.plain("report-lost-no-reason")
    return display_name(reason, query.i18n.language)


def stage_name(query: ReportQuery, stage: Stage | None) -> str:
    if stage is None:
        return query.i18n.plain("report-stuck-stage-unknown")
    return display_name(stage, query.i18n.language)


def block(
    query: ReportQuery, title: str, rows: list[LostRow[K]], name: Callable[[K], str], total: int
) -> list[str]:
    lines = [query.i18n(title)]
    for row in rows:
        lines.append(
            query.i18n(
                "report-lost-row",
                name=name(row.key),
                deals=row.deals,
                amount=money(row.amount_minor),
                share=share(row.deals, total),
            )
        )
    return lines


def chart_of(query: ReportQuery, data: Lost) -> Chart:
    i18n = query.i18n
    labels, (deals,) = fold(
        data.reasons,
        lambda row: reason_name(query, row.key),
        [lambda row: float(row.deals)],
        lambda count: i18n.plain("report-others", count=count),
    )
    return Chart(
        i18n.plain("report-lost-chart", scope=query.scope_label),
        labels,
        [Series(i18n.plain("report-series-deals"), deals)],
    )


def sheet_of(query: ReportQuery, data: Lost) -> Sheet:
    i18n, total = query.i18n, data.deals
    return Sheet(
        i18n.plain("report-name-lost"),
        [
            Column(i18n.plain("report-col-reason"), 28),
            Column(i18n.plain("report-col-deals"), 12),
            Column(i18n.plain("report-col-amount"), 18, MONEY),
            Column(i18n.plain("report-col-share"), 12, PERCENT),
        ],
        [
            [reason_name(query, row.key), row.deals, from_minor(row.amount_minor), row.deals / total]
            for row in data.reasons
        ],
    )


@report("lost")
async def build(query: ReportQuery) -> ReportOut:
    i18n = query.i18n
    data = await lost(query.session, query.scope, query.start, query.end)
    lines = [heading(query, "lost")]
    total = data.deals
    if not total:
        lines.append(i18n("report-lost-empty"))
        return ReportOut(Html("\n".join(lines)), sheet_of(query, data))
    lines.append(i18n("report-lost-total", deals=total, amount=money(data.amount_minor)))
    lines += block(query, "report-lost-reasons", data.reasons, lambda key: reason_name(query, key), total)
    lines += block(query, "report-lost-stages", data.stages, lambda key: stage_name(query, key), total)
    lines += block(query, "report-lost-managers", data.managers, name_of, total)
    return ReportOut(Html("\n".join(lines)), sheet_of(query, data), chart_of(query, data))
