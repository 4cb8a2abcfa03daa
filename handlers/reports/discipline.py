"""«Дисциплина» (seed 003: breaking R1–R4 costs lost deals, payments and fines): for each manager in scope,
the deals incorrect now (R2f), the deals that went inactive in the period (R2h), the comments refused as not
expanded (R3) and the duplicate contacts refused (R5) in the period, and the open leads left with no
interaction for more than ``STALE_LEAD_DAYS``. Each list opens from its button; the refusals are counts.
Chart: the violations per manager.

A list's argument is a user id from the dialog's data; the list authorises it again against the report's
(authorised) scope (R1c, ``db.repo.reports.scope.member_of``).
"""

from __future__ import annotations

from bot.charts import Series, fold
from bot.i18n import Html
from bot.spreadsheets import Column
from db.models import Deal, Lead, User
from db.repo.reports.discipline import (
    DisciplineRow,
    Rules,
    deal_list,
    discipline,
    incorrect,
    stale_leads,
    went_inactive,
)
from db.repo.reports.scope import member_of
from domain.errors import Gone
from handlers.reports.funnel import heading
from handlers.reports.managers import name_of
from handlers.reports.registry import Chart, Link, ReportOut, ReportQuery, Sheet, drill, report

#: The most records a list behind a figure shows (the oldest or first by id).
DRILL_MAX = 50
LABEL_MAX = 40


def rules_of(query: ReportQuery) -> Rules:
    settings = query.settings
    return Rules(settings.inactivity_period, query.zone, settings.stale_lead_days)


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def deal_link(deal: Deal) -> Link:
    return Link(_clip(f"№{deal.id} {deal.contact.full_name}"), f"deal:{deal.id}")


def lead_link(lead: Lead, query: ReportQuery) -> Link:
    created = lead.created_at.astimezone(query.zone)
    return Link(_clip(f"№{lead.id} {lead.contact.full_name} · {created:%d.%m.%Y}"), f"lead:{lead.id}")


def links_of(query: ReportQuery, row: DisciplineRow) -> list[Link]:
    i18n, user_id, name = query.i18n, row.user.id, name_of(row.user)
    figures = (
        ("incorrect", row.incorrect),
        ("inactive", row.inactive),
        ("stale_leads", row.stale_leads),
    )
    return [
        Link(i18n.plain(f"report-discipline-link-{kind}", name=name, count=count), f"list:{kind}:{user_id}")
        for kind, count in figures
        if count
    ]


def chart_of(query: ReportQuery, rows: list[DisciplineRow]) -> Chart:
    i18n = query.i18n
    labels, (totals,) = fold(
        rows,
        lambda row: name_of(row.user),
        [lambda row: float(row.total)],
        lambda count: i18n.plain("report-others", count=count),
    )
    return Chart(
        i18n.plain("report-discipline-chart", scope=query.scope_label),
        labels,
        [Series(i18n.plain("report-series-violations"), totals)],
        lambda value: f"{value:g}",
    )


def sheet_of(query: ReportQuery, rows: list[DisciplineRow]) -> Sheet:
    i18n = query.i18n
    keys = ("manager", "incorrect", "inactive", "refused-r3", "refused-r5", "stale-leads", "violations")
    return Sheet(
        i18n.plain("report-name-discipline"),
        [Column(i18n.plain(f"report-col-{key}", days=query.settings.stale_lead_days), 16) for key in keys],
        [
            [
                name_of(row.user),
                row.incorrect,
                row.inactive,
                row.refused_r3,
                row.refused_r5,
                row.stale_leads,
                row.total,
            ]
            for row in rows
        ],
    )


@report("discipline")
async def build(query: ReportQuery) -> ReportOut:
    i18n = query.i18n
    rows = await discipline(query.session, query.scope, query.start, query.end, query.now, rules_of(query))
    lines = [heading(query, "discipline")]
    if not rows:
        lines.append(i18n("report-managers-none"))
    for row in rows:
        lines.append(
            i18n(
                "report-discipline-row",
                name=name_of(row.user),
                total=row.total,
                incorrect=row.incorrect,
                inactive=row.inactive,
                r3=row.refused_r3,
                r5=row.refused_r5,
                stale=row.stale_leads,
                days=query.settings.stale_lead_days,
            )
        )
    links = [link for row in rows for link in links_of(query, row)]
    chart = chart_of(query, rows) if rows else None
    return ReportOut(Html("\n".join(lines)), sheet_of(query, rows), chart, links)


async def _member(query: ReportQuery, arg: str) -> User:
    """The list's user, again in the report's scope (R1c): a forged id opens nothing."""
    if not arg.isdigit() or len(arg) > 18:
        raise Gone("not a user id")
    return await member_of(query.session, query.scope, int(arg))


def _title(query: ReportQuery, kind: str, user: User, count: int) -> str:
    return query.i18n.plain(f"report-discipline-link-{kind}", name=name_of(user), count=count)


@drill("incorrect")
async def incorrect_deals(query: ReportQuery, arg: str) -> tuple[str, list[Link]]:
    """R2f: the user's open deals that are incorrect now."""
    user = await _member(query, arg)
    count, deals = await deal_list(query.session, query.scope, user.id, incorrect(), DRILL_MAX)
    return _title(query, "incorrect", user, count), [deal_link(deal) for deal in deals]


@drill("inactive")
async def inactive_deals(query: ReportQuery, arg: str) -> tuple[str, list[Link]]:
    """R2h: the user's open deals that went inactive in the period."""
    user = await _member(query, arg)
    inactive = await went_inactive(query.session, query.start, query.end, query.now, rules_of(query))
    count, deals = await deal_list(query.session, query.scope, user.id, inactive, DRILL_MAX)
    return _title(query, "inactive", user, count), [deal_link(deal) for deal in deals]


@drill("stale_leads")
async def stale_lead_list(query: ReportQuery, arg: str) -> tuple[str, list[Link]]:
    """The user's open leads older than ``STALE_LEAD_DAYS`` with no interaction, oldest first."""
    user = await _member(query, arg)
    leads = await stale_leads(query.session, query.scope, user.id, query.now, query.settings.stale_lead_days)
    return _title(query, "stale_leads", user, len(leads)), [
        lead_link(lead, query) for lead in leads[:DRILL_MAX]
    ]
