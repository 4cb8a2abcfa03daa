"""The reports on a big company (issue 12 "Done when"): 1M deals, 3M interactions, 200 managers in 20 teams.

Each registered report's builder (``handlers.reports.registry.REPORTS``) is called with a ``ReportQuery``
built as the dialog builds it (``handlers.reports.actions.query_of``): the company read by the admin, one team
read by its lead, one manager read by themself; this month and last quarter, on the reader's calendar
(Europe/Moscow), with ``now`` fixed at ``bench.report_fill.NOW``. Each case runs ``--runs`` times in a fresh
session (the first is a warm-up and is not counted); p50 and max are printed, with the ratio to the targets:
the company funnel, stuck deals and managers under 2 s, a manager's own report under 200 ms. The chart
(``bot.charts.draw_bars``) and the XLSX (``bot.spreadsheets.write_xlsx``) of the company's last-quarter build
are timed apart.

Then every statement the builders run for the team and manager scopes is explained (``EXPLAIN QUERY PLAN``
with its own parameters) and the script fails if one scans ``deals`` or ``interactions`` whole.

    python -m bench.reports --db /tmp/reports-1m.db                 # 1M deals (the fill is cached in --db)
    python -m bench.reports --deals 100000 --db /tmp/reports-100k.db
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncSession

import handlers.reports  # noqa: F401 - registers the reports
from bench.fill import sqlite_url
from bench.report_fill import NOW, fill
from bot.charts import draw_bars
from bot.i18n import TranslatorHub
from bot.settings import Settings
from bot.spreadsheets import write_xlsx
from db.engine import create_engine, create_sessionmaker
from db.migrate import upgrade
from db.models import User
from domain.access import Actor, Role
from domain.dates import add_months
from domain.periods import Period, PeriodKind, period_of
from domain.report_scope import Scope, ScopeKind
from handlers.reports.registry import ORDER, REPORTS, ReportOut, ReportQuery
from tests.harness import TOKEN

ZONE = ZoneInfo("Europe/Moscow")
COMPANY_TARGET, MANAGER_TARGET = 2000.0, 200.0  # ms
COMPANY_TARGETED = ("funnel", "stuck", "managers")
FULL_SCAN = re.compile(r"\bSCAN (deals|interactions)\b")


@dataclass(frozen=True)
class Case:
    label: str
    actor: Actor
    scope: Scope


def last_quarter(today: date) -> Period:
    first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return Period(add_months(first, -3), first - timedelta(days=1))


def periods() -> dict[str, Period]:
    today = NOW.astimezone(ZONE).date()
    return {"this month": period_of(PeriodKind.MONTH, today), "last quarter": last_quarter(today)}


def deals_in(path: Path) -> int:
    if not path.exists():
        return -1
    try:
        with sqlite3.connect(path) as connection:
            return int(connection.execute("SELECT count(*) FROM deals").fetchone()[0])
    except sqlite3.Error:
        return -1


async def cases(session: AsyncSession) -> list[Case]:
    admin = await session.scalar(select(User).where(User.role == Role.ADMIN.value).order_by(User.id))
    lead = await session.scalar(select(User).where(User.role == Role.TEAM_LEAD.value).order_by(User.id))
    assert admin is not None and lead is not None and lead.team_id is not None
    manager = await session.scalar(
        select(User).where(User.team_id == lead.team_id, User.role == Role.MANAGER.value).order_by(User.id)
    )
    assert manager is not None
    return [
        Case("company", Actor(admin.id, Role.ADMIN, None), Scope(ScopeKind.COMPANY)),
        Case("team", Actor(lead.id, Role.TEAM_LEAD, lead.team_id), Scope(ScopeKind.TEAM, lead.team_id)),
        Case("manager", Actor(manager.id, Role.MANAGER, manager.team_id), Scope(ScopeKind.USER, manager.id)),
    ]


class Bench:
    def __init__(self, path: Path) -> None:
        self.deals = deals_in(path)
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=TOKEN,
            database_url=sqlite_url(path),
        )
        self.engine = create_engine(self.settings.database_url)
        self.sessionmaker = create_sessionmaker(self.engine)
        self.i18n = TranslatorHub().get("ru")
        self.statements: list[tuple[str, Any]] | None = None
        event.listen(self.engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, _conn: object, _cursor: object, sql: str, params: Any, *_args: object) -> None:
        if self.statements is not None:
            self.statements.append((sql, params))

    async def build(self, code: str, case: Case, period: Period) -> tuple[float, ReportOut]:
        start, end = period.utc_bounds(ZONE)
        async with self.sessionmaker() as session:
            query = ReportQuery(
                session=session,
                actor=case.actor,
                scope=case.scope,
                scope_label=self.i18n.plain("report-scope-company"),
                period=period,
                start=start,
                end=end,
                now=NOW,
                zone=ZONE,
                settings=self.settings,
                i18n=self.i18n,
            )
            began = time.perf_counter()
            out = await REPORTS[code](query)
            return (time.perf_counter() - began) * 1000, out


def timed_ms(func: Callable[[], Any]) -> float:
    began = time.perf_counter()
    func()
    return (time.perf_counter() - began) * 1000


def verdict(code: str, case: Case, p50: float) -> str:
    if case.label == "manager":
        return f"{p50 / MANAGER_TARGET:.2f} of 200 ms"
    if case.label == "company" and code in COMPANY_TARGETED:
        return f"{p50 / COMPANY_TARGET:.2f} of 2 s"
    return ""


async def measure(bench: Bench, runs: int, only: list[str] | None = None) -> None:
    async with bench.sessionmaker() as session:
        every = await cases(session)
    codes = [code for code in (*ORDER, *sorted(REPORTS)) if code in REPORTS]
    codes = [code for code in dict.fromkeys(codes) if not only or code in only]
    print("\n| report | scope | period | p50, ms | max, ms | runs | vs target |")
    print("|---|---|---|---:|---:|---:|---|")
    broadest: dict[str, tuple[str, ReportOut]] = {}
    for code in codes:
        for case in every:
            for name, period in periods().items():
                count = runs + 1
                times = []
                out = None
                for _ in range(count):
                    ms, out = await bench.build(code, case, period)
                    times.append(ms)
                counted = times[1:]
                p50, peak = statistics.median(counted), max(counted)
                print(
                    f"| {code} | {case.label} | {name} | {p50:.0f} | {peak:.0f} | {len(counted)} | "
                    f"{verdict(code, case, p50)} |",
                    flush=True,
                )
                if name == "last quarter" and out is not None and code not in broadest:
                    broadest[code] = (case.label, out)  # the company's, or a team's when it was not run
    print("\n| report (last quarter) | scope | chart PNG, ms | PNG, KB | XLSX, ms | XLSX, KB | sheet rows |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for code, (label, out) in broadest.items():
        print(render_costs(code, label, out), flush=True)


def render_costs(code: str, label: str, out: ReportOut) -> str:
    png, xlsx = b"", b""
    chart, sheet = out.chart, out.sheet

    def draw() -> None:
        nonlocal png
        if chart is not None:
            png = draw_bars(chart.title, chart.labels, chart.series, chart.value_label)

    def write() -> None:
        nonlocal xlsx
        xlsx = write_xlsx(sheet.title, sheet.columns, sheet.rows)

    draw()  # matplotlib's first import and font cache are not the chart's cost
    chart_ms = statistics.median(timed_ms(draw) for _ in range(3)) if chart is not None else 0.0
    xlsx_ms = statistics.median(timed_ms(write) for _ in range(3))
    return (
        f"| {code} | {label} | {chart_ms:.0f} | {len(png) / 1024:.0f} | "
        f"{xlsx_ms:.0f} | {len(xlsx) / 1024:.0f} | {len(sheet.rows)} |"
    )


PLAN_TABLES = re.compile(r"\b(deals|interactions|leads|tasks|deal_stage_history)\b")


async def explain(bench: Bench, path: Path) -> list[str]:
    """Every statement of every report for the team and manager scopes, explained; the full scans found."""
    async with bench.sessionmaker() as session:
        every = await cases(session)
    period = periods()["last quarter"]
    connection = sqlite3.connect(path)
    failures: list[str] = []
    for case in every[1:]:
        for code in REPORTS:
            bench.statements = []
            await bench.build(code, case, period)
            seen: set[str] = set()
            print(f"\n### {code}, {case.label} scope", flush=True)
            for sql, params in bench.statements:
                if not PLAN_TABLES.search(sql) or sql in seen:
                    continue
                seen.add(sql)
                rows = connection.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                print("-- " + " ".join(sql.split())[:160] + ("…" if len(sql) > 160 else ""))
                for row in rows:
                    detail = str(row[-1])
                    print("   " + detail)
                    if FULL_SCAN.search(detail):
                        failures.append(f"{code}/{case.label}: {detail}")
            bench.statements = None
    connection.close()
    return failures


async def upgrade_cached(path: Path) -> None:
    """A cached file filled before the last migrations: upgrade it, and analyze it again if anything ran."""
    engine = create_engine(sqlite_url(path))
    try:
        async with engine.connect() as connection:
            before = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        await upgrade(engine)
        async with engine.begin() as connection:
            after = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            if after != before:
                print(f"  upgraded {before} → {after}; ANALYZE", flush=True)
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def main(path: Path, runs: int, plans: bool, only: list[str] | None = None) -> None:
    bench = Bench(path)
    try:
        await measure(bench, runs, only)
        if plans:
            failures = await explain(bench, path)
            assert not failures, "full scans for a team or a manager: " + "; ".join(failures)
            print("\nno full scan of deals or interactions for the team and manager scopes")
    finally:
        await bench.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench-reports.db")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case, after one warm-up")
    parser.add_argument("--no-plans", action="store_true", help="skip EXPLAIN QUERY PLAN")
    parser.add_argument("--only", help="comma-separated report codes to time (default: every report)")
    args = parser.parse_args()
    if deals_in(args.db) != args.deals:
        print(f"filling {args.db} with {args.deals:,} deals…", flush=True)
        fill(args.db, args.deals)
    else:
        print(f"reusing {args.db} ({args.deals:,} deals), migrated to head", flush=True)
        asyncio.run(upgrade_cached(args.db))
    asyncio.run(main(args.db, args.runs, not args.no_plans, args.only.split(",") if args.only else None))
