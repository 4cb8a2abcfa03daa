"""``LOG_FORMAT=json``: one JSON object a line, with the same redaction of the token and personal data."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import setup_logging
from bot.settings import ConfigError, Settings, load_settings
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
PHONE = "+7 912 345-67-89"


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)


def test_each_line_is_one_json_object_without_token_or_phone(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("INFO", [TOKEN], "json")
    log = logging.getLogger("bot.test")
    log.info("token %s, phone %s, mail %s", TOKEN, PHONE, "ivan.petrov@mail.ru")
    log.warning("deal %s:\nmoved to stage %s", 42, "КП")
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        log.exception("update %s failed", 7)
    log.debug("not at INFO")

    lines = capsys.readouterr().err.splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry)
        assert entry["logger"] == "bot.test" and entry["time"].endswith("+00:00")
    first, second, third = entries
    assert first["level"] == "INFO" and "[secret]" in first["message"]
    assert "[phone]" in first["message"] and "[email]" in first["message"]
    assert second["message"] == "deal 42:\nmoved to stage КП"
    assert third["level"] == "ERROR" and third["message"] == "update 7 failed"
    assert "ValueError" in third["exception"] and "[phone]" in third["exception"]
    text = "\n".join(lines)
    for secret in (TOKEN, "912", "345-67", "mail.ru"):
        assert secret not in text


def test_text_stays_the_default_and_keeps_the_traceback_after_the_message(
    restore_root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("INFO", [TOKEN])
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        logging.getLogger("bot.test").exception("update %s failed", 7)
    err = capsys.readouterr().err
    assert "ERROR bot.test: update 7 failed\nTraceback" in err
    assert "ValueError: bad phone [phone]" in err and "912" not in err


def test_log_format_is_text_or_json() -> None:
    assert load_settings(_env_file=None).log_format == "text"
    assert load_settings(_env_file=None, log_format="json").log_format == "json"
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        load_settings(_env_file=None, log_format="xml")


def test_the_process_logs_json_lines(tmp_path: Path) -> None:
    """``python -m bot migrate`` with ``LOG_FORMAT=json``: every line it logs parses."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in {n.upper() for n in Settings.model_fields}}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'crm.sqlite3'}",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines, "migrate logs what it applies"
    assert all(json.loads(line)["level"] for line in lines)
