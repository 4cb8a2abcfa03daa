"""Logging that carries no personal data and never the token.

Our own log lines name records by id only. This filter is the safety net for third-party lines: it removes the
token, e-mail addresses and phone-like digit runs from every record before it is written.

``LOG_FORMAT=json`` writes one JSON object a line (``time`` in UTC, ``level``, ``logger``, ``message``, and
``exception`` with the traceback when there is one), for a log collector; the same filter runs first.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w:])\+?\d[\d\s()-]{6,}\d(?!\w)")


def _phone_or_id(match: re.Match[str]) -> str:
    """A phone has 9+ digits; a bare run of up to 10 digits is left alone, since Telegram user, chat and
    update ids look like that and logs name records by id (an ISO date has only 8 digits)."""
    text = match.group(0)
    if _DATE.search(text):
        return text
    digits = sum(ch.isdigit() for ch in text)
    if digits < 9 or (text.isdigit() and digits <= 10):
        return text
    return "[phone]"


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOKEN = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{30,64}")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[secret]")
        text = _TOKEN.sub("[token]", text)
        text = _EMAIL.sub("[email]", text)
        return _PHONE.sub(_phone_or_id, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message or record.exc_info:
            record.msg = redacted
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts may quote user input: the traceback is redacted like the message. A formatter
            # prints ``exc_text`` after the message (the text format) or as its own field (JSON).
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message and, if any, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str, secrets: list[str] | None = None, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
        logging.captureWarnings(True)  # Python's warnings become JSON lines too, not raw text
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
