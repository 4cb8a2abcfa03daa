"""The pictures of the reports' charts in ``docs/reports/<code>.png`` (issue 12: a reviewer sees them without
running the bot).

A small demo company is filled as the reports benchmark fills its big one (``bench.report_fill``: two teams
of four managers, 300 deals over the year before ``NOW``, narrowing like a funnel over the stages, their
stage history, interactions and tasks), then given readable names; each registered report
(``handlers.reports.registry.REPORTS``) is built by the real builder for the company, read by the admin,
over this quarter (to ``NOW``), and its chart drawn by ``bot.charts.draw_bars``, exactly as the dialog sends
it.

    python -m bench.report_charts                   # writes docs/reports/*.png
    python -m bench.report_charts --out /tmp/charts
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import tempfile
from pathlib import Path

from bench.fill import GIVEN, PATRONYMICS, SURNAMES
from bench.report_fill import NOW, fill
from bench.reports import ZONE, Bench, cases
from bot.charts import draw_bars
from domain.periods import PeriodKind, period_of
from handlers.reports.registry import ORDER, REPORTS

DEALS, TEAMS, PER_TEAM = 300, 2, 4
TEAM_NAMES = ("Москва", "Санкт-Петербург")


def _person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(SURNAMES), rng.choice(GIVEN), rng.choice(PATRONYMICS)


def name_people(path: Path) -> None:
    """Readable names for the demo: the teams by city, people by surname and given name."""
    rng = random.Random(12)
    with sqlite3.connect(path) as connection:
        for team_id, name in zip(
            (row[0] for row in connection.execute("SELECT id FROM teams ORDER BY id")),
            TEAM_NAMES,
            strict=False,
        ):
            connection.execute("UPDATE teams SET name = ? WHERE id = ?", (name, team_id))
        taken: set[str] = set()
        for (user_id,) in connection.execute("SELECT id FROM users ORDER BY id").fetchall():
            surname, given, _ = _person(rng)
            while f"{given} {surname}" in taken:
                surname, given, _ = _person(rng)
            taken.add(f"{given} {surname}")
            connection.execute("UPDATE users SET full_name = ? WHERE id = ?", (f"{given} {surname}", user_id))
        for (contact_id,) in connection.execute("SELECT id FROM contacts").fetchall():
            surname, given, patronymic = _person(rng)
            connection.execute(
                "UPDATE contacts SET surname = ?, given_name = ?, patronymic = ? WHERE id = ?",
                (surname, given, patronymic, contact_id),
            )


async def draw_all(path: Path, out: Path) -> None:
    bench = Bench(path)
    try:
        async with bench.sessionmaker() as session:
            company = (await cases(session))[0]
        period = period_of(PeriodKind.QUARTER, NOW.astimezone(ZONE).date())
        for code in dict.fromkeys(code for code in (*ORDER, *sorted(REPORTS)) if code in REPORTS):
            _, report = await bench.build(code, company, period)
            chart = report.chart
            if chart is None:
                print(f"{code}: no chart")
                continue
            png = draw_bars(chart.title, chart.labels, chart.series, chart.value_label)
            target = out / f"{code}.png"
            target.write_bytes(png)
            print(f"{target}: {len(png) / 1024:.0f} KB", flush=True)
    finally:
        await bench.engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "reports"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        demo = Path(directory) / "demo.db"
        fill(demo, DEALS, TEAMS, PER_TEAM, funnel=True)
        name_people(demo)
        asyncio.run(draw_all(demo, args.out))
