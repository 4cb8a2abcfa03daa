"""The weekly report (seed 001/003): on Monday at ``DIGEST_TIME`` on their own clock, every team lead gets
the team's funnel, stuck deals and discipline for the week just ended, and every admin the company's.

The sweep queues it (``domain.reminders.weekly_report_key``: one per recipient and ISO week, through the
outbox); it is rendered at send time from the same reports the dialog shows, in the recipient's language,
so the figures are those of the moment it leaves. It can be switched off in /settings.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.i18n import Html
from bot.notices import Context, Rendered
from bot.notifications import register_renderer
from db.repo.reports.scope import scope_name
from domain.access import Actor, Role
from domain.errors import NotAllowed
from domain.periods import Period
from domain.reminders import Kind
from domain.report_scope import ScopeKind, own_scope
from handlers.reports.registry import REPORTS, ReportQuery

#: The reports the weekly message is made of, in order (those that exist).
PARTS = ("funnel", "stuck", "discipline")
#: Telegram's limit on a message's text.
TEXT_MAX = 4096


async def weekly_report(ctx: Context, payload: dict[str, Any]) -> Rendered | None:
    user = ctx.recipient
    if not user.weekly_report or not user.is_active:
        return None
    actor = Actor(user.id, Role(user.role), user.team_id)
    scope = own_scope(actor)
    if scope.kind is ScopeKind.USER:
        return None  # no longer a team lead in a team, nor an admin
    try:
        first = date.fromisoformat(str(payload.get("first")))
    except ValueError:
        return None
    period = Period(first, first + timedelta(days=6))
    start, end = period.utc_bounds(ctx.zone)
    name = await scope_name(ctx.session, scope)
    label = (
        ctx.i18n.plain("report-scope-company")
        if scope.kind is ScopeKind.COMPANY
        else ctx.i18n.plain("report-scope-team", name=name or "—")
    )
    query = ReportQuery(
        session=ctx.session,
        actor=actor,
        scope=scope,
        scope_label=label,
        period=period,
        start=start,
        end=end,
        now=ctx.now,
        zone=ctx.zone,
        settings=ctx.settings,
        i18n=ctx.i18n,
    )
    parts = [ctx.i18n("report-weekly-title", first=f"{period.first:%d.%m}", last=f"{period.last:%d.%m.%Y}")]
    for code in PARTS:
        builder = REPORTS.get(code)
        if builder is not None:
            try:
                parts.append(str((await builder(query)).text))
            except NotAllowed:
                return None
    footer = ctx.i18n("report-weekly-footer")
    return Rendered(Html(_fit("\n\n".join(parts), footer)))


def _fit(body: str, footer: str) -> str:
    """The body, cut at a line break to leave room for the footer within Telegram's limit."""
    room = TEXT_MAX - len(footer) - 4
    if len(body) > room:
        body = body[: body.rfind("\n", 0, room)] + "\n…"
    return f"{body}\n\n{footer}"


register_renderer(Kind.WEEKLY_REPORT.value, weekly_report)
