"""Fake Telegram Bot API server for tests (see ``server.FakeTelegram``)."""

from .formatting import EntityParseError, parse_html, parse_markdown_v2
from .server import DEFAULT_TOKEN, Call, FakeTelegram, FileRecord, TelegramError, UploadedFile, iter_buttons

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "EntityParseError",
    "FakeTelegram",
    "FileRecord",
    "TelegramError",
    "UploadedFile",
    "iter_buttons",
    "parse_html",
    "parse_markdown_v2",
]
