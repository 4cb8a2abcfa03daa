"""Every bad setting is one line: ``error: NAME must be …, e.g. NAME=… (got "…")``, exit code 2, no traceback,
no pydantic wording; a secret is never echoed and a password in an address is hidden."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
PYDANTIC_WORDING = ("pydantic", "errors.pydantic.dev", "Input should", "Value error", "validation error")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No setting from the developer's environment or ``.env``: the working directory is empty."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def errors_of(
    env: dict[str, str], clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """``python -m bot migrate`` in this process with ``env``; asserts exit code 2 and returns the lines."""
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(["migrate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    for line in lines:
        assert line.startswith("error: "), captured.err
        assert not any(word in line for word in PYDANTIC_WORDING), line
    return lines


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"ADMIN_IDS": "@anna"},
            "ADMIN_IDS must be Telegram numeric ids separated by commas, e.g. ADMIN_IDS=123456789,987654321 "
            '(got "@anna")',
        ),
        (
            {"ADMIN_IDS": "123456789, anna"},
            "ADMIN_IDS must be Telegram numeric ids separated by commas, e.g. ADMIN_IDS=123456789,987654321 "
            '(got "anna")',
        ),
        (
            {"QUIET_HOURS": "с 8 вечера"},
            "QUIET_HOURS must be a time range HH:MM-HH:MM, or empty for none, e.g. QUIET_HOURS=20:00-09:00 "
            '(got "с 8 вечера")',
        ),
        (
            {"DEFAULT_TIMEZONE": "Moscow"},
            "DEFAULT_TIMEZONE must be a time zone name from the IANA database, e.g. "
            'DEFAULT_TIMEZONE=Europe/Moscow or DEFAULT_TIMEZONE=Asia/Yekaterinburg (got "Moscow")',
        ),
        (
            {"DATABASE_URL": "mysql://crm:s3cret@db/crm"},
            "DATABASE_URL must be an SQLite or PostgreSQL address, e.g. "
            "DATABASE_URL=sqlite+aiosqlite:///./data/crm.sqlite3 or "
            'DATABASE_URL=postgresql+asyncpg://crm:password@localhost:5432/crm (got "mysql://crm:***@db/crm")',
        ),
        (
            {"DATABASE_URL": "crm.sqlite3"},
            "DATABASE_URL must be an SQLite or PostgreSQL address, e.g. "
            "DATABASE_URL=sqlite+aiosqlite:///./data/crm.sqlite3 or "
            'DATABASE_URL=postgresql+asyncpg://crm:password@localhost:5432/crm (got "crm.sqlite3")',
        ),
        (
            {"INACTIVITY_PERIOD": "два"},
            'INACTIVITY_PERIOD must be a whole number from 1 to 24, e.g. INACTIVITY_PERIOD=2 (got "два")',
        ),
        (
            {"SHUTDOWN_TIMEOUT": "0"},
            'SHUTDOWN_TIMEOUT must be a number above 0 and at most 60, e.g. SHUTDOWN_TIMEOUT=5 (got "0")',
        ),
        (
            {"INVITE_MAX_FAILURES": "-1"},
            'INVITE_MAX_FAILURES must be a whole number of 1 or more, e.g. INVITE_MAX_FAILURES=5 (got "-1")',
        ),
        (
            {"REMIND_BEFORE_DAYS": "7,0"},
            "REMIND_BEFORE_DAYS must be whole numbers of days above 0 separated by commas, e.g. "
            'REMIND_BEFORE_DAYS=7,3,1 (got "7,0")',
        ),
        (
            {"LOG_LEVEL": "loud"},
            'LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, e.g. LOG_LEVEL=INFO (got "loud")',
        ),
        (
            {"TELEGRAM_API_URL": "localhost:8081"},
            "TELEGRAM_API_URL must be the http:// or https:// address of a Bot API server, or empty for "
            'Telegram\'s own, e.g. TELEGRAM_API_URL=http://localhost:8081 (got "localhost:8081")',
        ),
        (
            {"REDIS_URL": "localhost:6379"},
            "REDIS_URL must be a redis:// or rediss:// address, or empty, e.g. "
            'REDIS_URL=redis://localhost:6379/0 (got "localhost:6379")',
        ),
    ],
)
def test_a_bad_variable_is_one_line_naming_it_with_an_example(
    env: dict[str, str], line: str, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert errors_of(env, clean_env, capsys) == [f"error: {line}"]


def test_a_malformed_token_is_one_line_with_an_example_and_not_echoed(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "bot123456:my-secret-value"
    lines = errors_of({"BOT_TOKEN": bad}, clean_env, capsys)
    assert lines == [
        "error: BOT_TOKEN must be the token from @BotFather: digits, a colon, then 30-64 letters, digits, "
        "_ or -, e.g. BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    ]
    assert "my-secret-value" not in lines[0]


def test_a_bad_webhook_secret_is_not_echoed(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = errors_of({"WEBHOOK_SECRET": "my secret!"}, clean_env, capsys)
    assert len(lines) == 1 and lines[0].startswith("error: WEBHOOK_SECRET must be 1-256 letters")
    assert "my secret" not in lines[0] and "e.g. WEBHOOK_SECRET=" in lines[0]


def test_each_bad_variable_gets_its_own_line(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = errors_of(
        {"ADMIN_IDS": "@anna,@boris", "QUIET_HOURS": "late", "DEFAULT_TIMEZONE": "Moscow"}, clean_env, capsys
    )
    assert [line.split()[1] for line in lines] == ["ADMIN_IDS", "DEFAULT_TIMEZONE", "QUIET_HOURS"]
    assert '(got "@anna")' in lines[0]


def test_a_webhook_without_a_secret_says_how_to_set_one(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = errors_of({"WEBHOOK_URL": "https://crm.example.com"}, clean_env, capsys)
    assert len(lines) == 1
    assert lines[0].startswith("error: WEBHOOK_URL is set without WEBHOOK_SECRET")
    assert "e.g. WEBHOOK_SECRET=" in lines[0]


def test_a_plain_http_webhook_needs_a_local_bot_api_server(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Telegram posts webhooks over HTTPS only; a local Bot API server (TELEGRAM_API_URL) may use HTTP."""
    plain = {"WEBHOOK_URL": "http://10.0.0.5:8080", "WEBHOOK_SECRET": "Xq7vR2mLk9PzT4wN"}
    lines = errors_of(plain, clean_env, capsys)
    assert len(lines) == 1
    assert lines[0].startswith("error: WEBHOOK_URL must be the bot's public https:// address")
    assert "e.g. WEBHOOK_URL=https://" in lines[0] and '(got "http://10.0.0.5:8080")' in lines[0]
    for name, value in {**plain, "TELEGRAM_API_URL": "http://127.0.0.1:8081"}.items():
        clean_env.setenv(name, value)
    assert load_settings().webhook_url == "http://10.0.0.5:8080"


def test_a_missing_token_says_where_to_get_one(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: BOT_TOKEN is missing") and "@BotFather" in lines[0]
    assert "e.g. BOT_TOKEN=" in lines[0]


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("sqlite:///./data/crm.sqlite3", "sqlite+aiosqlite:///./data/crm.sqlite3"),
        ("sqlite+aiosqlite:////var/lib/crm/crm.sqlite3", "sqlite+aiosqlite:////var/lib/crm/crm.sqlite3"),
        ("postgresql://crm:pw@db:5432/crm", "postgresql+asyncpg://crm:pw@db:5432/crm"),
        ("postgres://crm:pw@db/crm", "postgresql+asyncpg://crm:pw@db/crm"),
        ("postgresql+asyncpg://crm:pw@db/crm", "postgresql+asyncpg://crm:pw@db/crm"),
    ],
)
def test_an_address_without_the_async_driver_gets_it(given: str, used: str) -> None:
    assert load_settings(_env_file=None, database_url=given).database_url == used


def test_a_synchronous_driver_is_refused_with_an_example() -> None:
    from bot.settings import ConfigError

    with pytest.raises(ConfigError, match=r"^DATABASE_URL must be an SQLite or PostgreSQL address, e\.g\."):
        load_settings(_env_file=None, database_url="postgresql+psycopg2://crm:pw@db/crm")


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    own = {name.upper() for name in Settings.model_fields}
    clean = {k: v for k, v in os.environ.items() if k.upper() not in own}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_real_command_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", env={"BOT_TOKEN": TOKEN, "ADMIN_IDS": "@anna"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: ADMIN_IDS must be Telegram numeric ids separated by commas, "
        'e.g. ADMIN_IDS=123456789,987654321 (got "@anna")'
    ]


def test_the_real_command_reads_the_env_file_the_same_way(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nDEFAULT_TIMEZONE=Moscow\n", encoding="utf-8")
    result = run_cli("run", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: DEFAULT_TIMEZONE must be a time zone name from the IANA database, e.g. "
        'DEFAULT_TIMEZONE=Europe/Moscow or DEFAULT_TIMEZONE=Asia/Yekaterinburg (got "Moscow")'
    ]


def test_sqlite_without_the_driver_name_migrates(tmp_path: Path) -> None:
    result = run_cli("migrate", env={"DATABASE_URL": "sqlite:///./crm.sqlite3"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "crm.sqlite3").exists()


def test_every_variable_that_refuses_a_value_says_so_in_one_plain_line(clean_env: pytest.MonkeyPatch) -> None:
    """Whatever the variable, a refused value is one line naming it, with an example: no pydantic wording."""
    from bot.settings import ConfigError

    takes_any_text = {"outbox_journal", "company_email_domains", "comment_stop_phrases"}
    for name in Settings.model_fields:
        env = name.upper()
        clean_env.setenv(env, "@@ nonsense @@")
        try:
            load_settings()
        except ConfigError as exc:
            lines = str(exc).splitlines()
            assert len(lines) == 1, lines
            assert lines[0].startswith(f"{env} must be "), lines[0]
            assert f"e.g. {env}=" in lines[0], lines[0]
            assert not any(word in lines[0] for word in PYDANTIC_WORDING), lines[0]
        else:
            assert name in takes_any_text, f"{env} accepted nonsense"
        clean_env.delenv(env)


def test_a_field_without_its_own_hint_is_described_by_its_type() -> None:
    from pydantic import Field
    from pydantic_settings import BaseSettings

    from bot.config_errors import variable_line

    class More(BaseSettings):
        health_port: int | None = Field(default=None, ge=1, le=65535)
        metrics_enabled: bool = False

    port = More.model_fields["health_port"]
    assert (
        variable_line("health_port", port, "x")
        == 'HEALTH_PORT must be a whole number from 1 to 65535 (got "x")'
    )
    assert (
        variable_line("metrics_enabled", More.model_fields["metrics_enabled"], "maybe")
        == 'METRICS_ENABLED must be true or false, e.g. METRICS_ENABLED=false (got "maybe")'
    )
