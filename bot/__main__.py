"""``python -m bot [run|migrate]``: the bot's command line."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import ConfigError, Settings, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Field CRM bot for Telegram.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the bot (the default): migrations, scheduler, long polling or webhook")
    sub.add_parser("migrate", help="apply database migrations and exit")
    return parser


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
        setup_logging(settings.log_level, [token] if token else None)
        if command == "migrate":
            asyncio.run(_migrate(settings))
            print("migrations applied")
            return 0
        settings.require_token()
        from bot.runtime import run

        asyncio.run(run(settings))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
