"""The contacts' export (issue 13): 100k contacts written as XLSX and as CSV, timed, with the peak RSS.

Fills a migrated SQLite file with ``--size`` contacts of 20 managers of one team, then runs the export the
bot runs («📤 Экспорт» under ``/contacts``: ``handlers.exports.tables.sheet_of`` and
``handlers.exports.actions.write``) for the team lead, who sees them all (R1c), into a temporary file.
The goal: under 30 s and under 300 MB RSS for 100k contacts.

    python -m bench.export_contacts                    # 100k contacts
    python -m bench.export_contacts --size 20000
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bench.fill import add_contacts, add_users, connect, migrate, sqlite_url
from bot.i18n import TranslatorHub
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from domain.access import Actor, Role
from handlers.exports.actions import write
from handlers.exports.tables import sheet_of


def _rss_mb() -> float:
    """This process's peak RSS (``VmHWM``: ``ru_maxrss`` survives ``exec``, so it would be the filler's)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _export(path: Path, fmt: str, out_dir: Path, lead: Actor) -> tuple[int, float, int]:
    """The export the bot runs, into ``out_dir``: rows, seconds, bytes."""
    engine = create_engine(sqlite_url(path))
    sessionmaker = create_sessionmaker(engine)
    settings = Settings(_env_file=None, bot_token=SecretStr("1:x"), database_url=sqlite_url(path))  # type: ignore[call-arg]
    i18n = TranslatorHub().get("ru")
    async with sessionmaker() as session:
        sheet = sheet_of(
            "contacts",
            "all",
            session=session,
            actor=lead,
            i18n=i18n,
            tz=ZoneInfo("Europe/Moscow"),
            settings=settings,
        )
        started = time.perf_counter()
        with (out_dir / f"contacts.{fmt}").open("wb") as out:
            count = await write(sheet, out, fmt)
            size = out.tell()
        seconds = time.perf_counter() - started
    await engine.dispose()
    return count, seconds, size


def _one(path: Path, fmt: str, lead: Actor) -> None:
    """One export in this process (its peak RSS is the export's own, not the filling's)."""
    with tempfile.TemporaryDirectory(prefix="crm-bench-") as tmp:
        count, seconds, size = asyncio.run(_export(path, fmt, Path(tmp), lead))
    megabytes = size / 1024 / 1024
    print(f"  {fmt}: {count:,} rows in {seconds:.1f} s, {megabytes:.1f} MB, peak RSS {_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000, help="how many contacts")
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)  # one export of a filled file
    parser.add_argument("--format", default="xlsx", help=argparse.SUPPRESS)
    parser.add_argument("--lead", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.db is not None:
        user_id, team_id = (int(part) for part in args.lead.split(","))
        _one(args.db, args.format, Actor(user_id=user_id, role=Role.TEAM_LEAD, team_id=team_id))
        return
    with tempfile.TemporaryDirectory(prefix="crm-bench-") as tmp:
        path = Path(tmp) / "contacts.sqlite3"
        migrate(path)
        connection = connect(path)
        users = add_users(connection, 20)
        connection.execute("UPDATE users SET role = 'team_lead' WHERE id = ?", (users[0],))
        team_id = connection.execute("SELECT team_id FROM users WHERE id = ?", (users[0],)).fetchone()[0]
        inserted = add_contacts(connection, args.size, users)
        connection.close()
        print(f"{inserted:,} contacts, exported by their team lead (R1c: the whole team)", flush=True)
        for fmt in ("xlsx", "csv"):
            command = [sys.executable, "-m", "bench.export_contacts", "--db", str(path), "--format", fmt]
            subprocess.run([*command, "--lead", f"{users[0]},{team_id}"], check=True)


if __name__ == "__main__":
    main()
