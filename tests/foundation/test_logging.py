"""Logs carry no personal data and never the token."""

from __future__ import annotations

import logging

from bot.logs import RedactingFilter
from tests.harness import TOKEN


def test_redaction_removes_token_phones_and_emails() -> None:
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "token %s phone %s mail %s",
        (TOKEN, "+7 912 345-67-89", "a.b@mail.ru"),
        None,
    )
    RedactingFilter([TOKEN]).filter(record)
    text = record.getMessage()
    assert TOKEN not in text and "912" not in text and "mail.ru" not in text
    assert "[phone]" in text and "[email]" in text


def test_redaction_covers_exception_text() -> None:
    try:
        raise ValueError("bad phone +79123456789")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    RedactingFilter().filter(record)
    assert "79123456789" not in record.getMessage()


def test_telegram_ids_stay_readable_but_phone_forms_are_redacted() -> None:
    f = RedactingFilter()
    assert f.redact("Update id=7000000001 is handled") == "Update id=7000000001 is handled"
    assert f.redact("queued deal:42:inactive-in:3d:2027-01-20") == "queued deal:42:inactive-in:3d:2027-01-20"
    assert f.redact("next run at: 2026-11-22 11:33:50 UTC") == "next run at: 2026-11-22 11:33:50 UTC"
    for phone in ("+79123456789", "89123456789", "8 912 345 67 89", "8 (912) 345-67-89", "+375 29 123-45-67"):
        assert f.redact(f"x {phone} y") == "x [phone] y", phone
