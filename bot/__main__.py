"""``python -m bot [run|migrate|backup PATH|reminders preview --at ISO]``: the bot's command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime

from bot.settings import ConfigError, Settings, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Field CRM bot for Telegram.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the bot (the default): migrations, scheduler, long polling or webhook")
    sub.add_parser("migrate", help="apply database migrations and exit")
    backup = sub.add_parser(
        "backup", help="copy the SQLite database to PATH while the bot runs (PostgreSQL: use pg_dump)"
    )
    backup.add_argument("path", metavar="PATH", help="the backup file to write (refused if it exists)")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    reminders = sub.add_parser("reminders", help="reminders and alerts: preview what the policy would queue")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", metavar="ACTION", required=True)
    preview = reminders_sub.add_parser(
        "preview",
        help="print, one JSON object a line, what the policy would queue at --at (sends and writes nothing)",
    )
    preview.add_argument(
        "--at",
        required=True,
        metavar="ISO",
        help="the moment, e.g. 2027-01-20T09:00:00+03:00 (without an offset: DEFAULT_TIMEZONE)",
    )
    return parser


def _parse_moment(value: str, default_timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(
            f"--at is not an ISO date-time: {value!r} (e.g. 2027-01-20T09:00:00+03:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(default_timezone))


async def _preview(settings: Settings, at: datetime) -> list[str]:
    """The policy's notifications at ``at`` as JSON lines: key, recipient id, kind, send_after; no texts."""
    from sqlalchemy.exc import OperationalError

    from bot.reminders import preview
    from db.engine import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        notifications = await preview(create_sessionmaker(engine), settings, at)
    except OperationalError:
        raise ConfigError("the database is not ready: run `python -m bot migrate` first") from None
    finally:
        await engine.dispose()
    return [
        json.dumps(
            {
                "dedupe_key": n.dedupe_key,
                "recipient": n.recipient_id,
                "kind": n.kind.value,
                "send_after": n.send_after.isoformat(),
            },
            ensure_ascii=False,
        )
        for n in notifications
    ]


async def _migrate(settings: Settings) -> None:
    from db.engine import create_engine
    from db.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        from bot.logs import setup_logging

        token = settings.bot_token.get_secret_value() if settings.bot_token else None
        setup_logging(settings.log_level, [token] if token else None, settings.log_format)
        if command == "reminders":
            at = _parse_moment(args.at, settings.default_timezone)
            for line in asyncio.run(_preview(settings, at)):
                print(line)
            return 0
        if command == "backup":
            from pathlib import Path

            from bot.backup import backup_database

            written = backup_database(settings.database_url, Path(args.path), force=args.force)
            print(f"backup written: {written.path}")
            return 0
        if command == "migrate":
            asyncio.run(_migrate(settings))
            print("migrations applied")
            return 0
        settings.require_token()
        from bot.runtime import run

        asyncio.run(run(settings))
    except ConfigError as exc:
        for line in str(exc).splitlines():  # one line per problem, no traceback
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
