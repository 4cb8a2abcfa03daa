"""Settings: every SPEC runtime variable is read; a bad BOT_TOKEN is one line, no traceback, non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
SPEC_VARIABLES = [
    "BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "DEFAULT_TIMEZONE", "DEFAULT_PHONE_REGION",
    "COMPANY_EMAIL_DOMAINS", "INACTIVITY_PERIOD", "REMIND_BEFORE_DAYS", "QUIET_HOURS", "REDIS_URL",
    "WEBHOOK_URL", "WEBHOOK_SECRET", "LOG_LEVEL",
]  # fmt: skip


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SPEC_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_spec_variable_is_a_setting_and_documented() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    fields = {name.upper() for name in Settings.model_fields}
    for name in SPEC_VARIABLES:
        assert name in fields, name
        assert f"\n{name}=" in example, f"{name} is not documented in .env.example"
    for name in fields:
        assert f"\n{name}=" in example, f"{name} is not documented in .env.example"


def test_lists_and_windows_are_parsed_from_plain_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "1, 2,3")
    monkeypatch.setenv("COMPANY_EMAIL_DOMAINS", "FieldCRM.ru, @corp.example")
    monkeypatch.setenv("REMIND_BEFORE_DAYS", "1,7,3")
    monkeypatch.setenv("QUIET_HOURS", "21:30-08:00")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.admin_ids == [1, 2, 3]
    assert settings.company_email_domains == ["fieldcrm.ru", "corp.example"]
    assert settings.remind_before_days == [7, 3, 1]
    assert settings.quiet_window == (time(21, 30), time(8, 0))


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEFAULT_TIMEZONE", "Mars/Olympus"), ("QUIET_HOURS", "late"), ("INACTIVITY_PERIOD", "0")],
)
def test_invalid_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings(_env_file=None)


def test_missing_token_is_one_line_without_traceback(tmp_path: Path) -> None:
    result = run_cli("run", env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"}, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_malformed_token_is_one_line_and_not_echoed(tmp_path: Path) -> None:
    bad = "not-a-token-secret-value-12345"
    result = run_cli("run", env={"BOT_TOKEN": bad}, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0], result.stderr
    assert bad not in result.stderr + result.stdout


def test_help_lists_the_subcommands(tmp_path: Path) -> None:
    result = run_cli("--help", env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert "run" in result.stdout and "migrate" in result.stdout


def test_migrate_creates_the_data_directory_and_needs_no_token(tmp_path: Path) -> None:
    result = run_cli("migrate", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "crm.sqlite3").exists()
