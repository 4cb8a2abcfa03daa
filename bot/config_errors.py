"""Bad configuration in plain words: one line per variable, naming it, saying what it takes, with an example.

``load_settings`` turns pydantic's validation errors into these lines, so whoever sets up the bot reads::

    ADMIN_IDS must be Telegram numeric ids separated by commas, e.g. ADMIN_IDS=123456789 (got "@anna")

and never pydantic's own wording or links. Secrets are never echoed, and a password in an address is hidden.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import annotated_types
from pydantic import SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

#: What a variable takes, and one or more examples of a good value.
HINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bot_token": (
        "the token from @BotFather: digits, a colon, then 30-64 letters, digits, _ or -",
        ("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",),
    ),
    "database_url": (
        "an SQLite or PostgreSQL address",
        ("sqlite+aiosqlite:///./data/crm.sqlite3", "postgresql+asyncpg://crm:password@localhost:5432/crm"),
    ),
    "admin_ids": ("Telegram numeric ids separated by commas", ("123456789,987654321",)),
    "default_timezone": ("a time zone name from the IANA database", ("Europe/Moscow", "Asia/Yekaterinburg")),
    "default_language": ("ru or en", ("ru",)),
    "default_phone_region": ("a two-letter country code", ("RU", "KZ")),
    "quiet_hours": ("a time range HH:MM-HH:MM, or empty for none", ("20:00-09:00",)),
    "remind_before_days": ("whole numbers of days above 0 separated by commas", ("7,3,1",)),
    "digest_time": ("a time of day HH:MM", ("09:00",)),
    "team_lead_alerts": ("digest or immediate", ("digest",)),
    "log_level": ("DEBUG, INFO, WARNING or ERROR", ("INFO",)),
    "telegram_api_url": (
        "the http:// or https:// address of a Bot API server, or empty for Telegram's own",
        ("http://localhost:8081",),
    ),
    "redis_url": ("a redis:// or rediss:// address, or empty", ("redis://localhost:6379/0",)),
    "webhook_url": (
        "the bot's public https:// address, or empty for long polling",
        ("https://crm.example.com",),
    ),
    "webhook_secret": ("1-256 letters A-Z a-z, digits, _ or -", ("Xq7vR2mLk9PzT4wN",)),
    "webhook_listen": ("host:port", ("127.0.0.1:8080",)),
    "health_listen": ("host:port for /healthz and /metrics, or empty", ("127.0.0.1:8081",)),
    "log_format": ("text or json", ("json",)),
}

_LIST_HINTS = {int: "whole numbers separated by commas", str: "values separated by commas"}
_PASSWORD = re.compile(r"(//[^/:@]*:)[^/@]*@")
_MAX_ECHO = 60


def config_lines(errors: Iterable[ErrorDetails], fields: Mapping[str, FieldInfo]) -> list[str]:
    """One line per bad variable, in the order of the errors; a rule across fields keeps its own words."""
    lines: list[str] = []
    seen: set[str] = set()
    for error in errors:
        loc = error.get("loc") or ()
        if not loc:
            lines.append(str(error.get("msg", "invalid configuration")).removeprefix("Value error, "))
            continue
        name = str(loc[0])
        if name in seen:
            continue
        seen.add(name)
        lines.append(variable_line(name, fields.get(name), error.get("input")))
    return lines


def variable_line(name: str, field: FieldInfo | None, given: Any) -> str:
    """``NAME must be …, e.g. NAME=… (got "…")``."""
    env = name.upper()
    requirement, examples = HINTS.get(name) or _derived_hint(field)
    line = f"{env} must be {requirement}"
    if examples:
        line += ", e.g. " + " or ".join(f"{env}={example}" for example in examples)
    echo = _echo(name, field, given)
    return f"{line} ({echo})" if echo else line


def _derived_hint(field: FieldInfo | None) -> tuple[str, tuple[str, ...]]:
    """For a variable without its own hint: what its type and bounds allow, its default as the example."""
    if field is None:
        return "a valid value", ()
    annotation = field.annotation
    args = [arg for arg in getattr(annotation, "__args__", ()) if arg is not type(None)]
    if isinstance(annotation, types.UnionType) and len(args) == 1:  # ``int | None``: what a value must be
        annotation = args[0]
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        (item,) = getattr(annotation, "__args__", (str,))
        return _LIST_HINTS.get(item, "values separated by commas"), _example(field)
    if annotation is int:
        return "a whole number" + _bounds(field.metadata), _example(field)
    if annotation is float:
        return "a number" + _bounds(field.metadata), _example(field)
    if annotation is bool:
        return "true or false", _example(field)
    return "a valid value", _example(field)


def _bounds(metadata: Sequence[Any]) -> str:
    limits: dict[str, Any] = {}
    for item in metadata:
        for kind in ("ge", "gt", "le", "lt"):
            if isinstance(item, annotated_types.BaseMetadata) and hasattr(item, kind):
                limits[kind] = getattr(item, kind)
    low = f"from {limits['ge']}" if "ge" in limits else f"above {limits['gt']}" if "gt" in limits else ""
    if "le" in limits:
        high = f"to {limits['le']}" if "ge" in limits else f"at most {limits['le']}"
    else:
        high = f"below {limits['lt']}" if "lt" in limits else ""
    if low and high:
        return f" {low} {high}" if high.startswith("to") else f" {low} and {high}"
    if "ge" in limits:
        return f" of {limits['ge']} or more"
    return f" {low or high}" if low or high else ""


def _example(field: FieldInfo) -> tuple[str, ...]:
    default = field.get_default(call_default_factory=True)
    if default is None or default == "" or default == []:
        return ()
    if isinstance(default, list):
        return (",".join(str(item) for item in default),)
    if isinstance(default, bool):
        return ("true" if default else "false",)
    if isinstance(default, float) and default.is_integer():
        return (str(int(default)),)
    return (str(default),)


def _echo(name: str, field: FieldInfo | None, given: Any) -> str:
    """What was given, as it was typed; nothing for a secret; an address without its password."""
    if field is not None and SecretStr in getattr(field.annotation, "__args__", (field.annotation,)):
        return ""
    if isinstance(given, list) and all(isinstance(item, str | int) for item in given):
        given = ",".join(str(item) for item in given)
    if isinstance(given, SecretStr) or not isinstance(given, str | int | float):
        return ""
    text = str(given)
    if name.endswith("_url"):
        text = _PASSWORD.sub(r"\1***@", text)
    if len(text) > _MAX_ECHO:
        text = text[: _MAX_ECHO - 1] + "…"
    return "got " + json.dumps(text, ensure_ascii=False)
