"""Run the fake Telegram Bot API by hand: ``python -m tests.fakeapi --port 8081 --token 123:ABC``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from .server import DEFAULT_TOKEN, FakeTelegram


async def _serve(args: argparse.Namespace) -> None:
    tg = FakeTelegram(token=args.token, bot_username=args.username, strict_file_ids=not args.lenient_files)
    await tg.start(host=args.host, port=args.port)
    print(f"Fake Telegram Bot API listening on {tg.base_url}", flush=True)
    print(f"  bot API:  {tg.api_base}/getMe", flush=True)
    print(f"  point the bot at it with TelegramAPIServer.from_base({tg.base_url!r})", flush=True)
    print(
        f"  inject:   curl -X POST {tg.base_url}/_test/inject_message "
        """-d '{"user_id": 42, "text": "/start"}'""",
        flush=True,
    )
    print(f"  call log: curl {tg.base_url}/_test/calls", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await tg.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeapi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="field_crm_bot")
    parser.add_argument("--lenient-files", action="store_true", help="accept unknown file_id strings")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
