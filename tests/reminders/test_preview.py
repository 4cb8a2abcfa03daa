"""``python -m bot reminders preview --at ISO``: JSON lines of what would be queued; writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import make_user
from tests.reminders import MSK, make_deal, make_task, outbox

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = ("BOT_TOKEN", "DATABASE_URL", "DEFAULT_TIMEZONE", "TEAM_LEAD_ALERTS", "QUIET_HOURS")


def preview_cli(*args: str, db_path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{db_path}", "PYTHONPATH": str(ROOT)})
    return subprocess.run(
        [sys.executable, "-m", "bot", "reminders", "preview", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_preview_prints_json_lines_without_personal_data_and_writes_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], db_path: Path, tmp_path: Path
) -> None:
    manager = await make_user(sessionmaker, 8001, full_name="Секретов Секрет")
    await make_user(sessionmaker, 8002, role="team_lead")
    deal = await make_deal(sessionmaker, manager, basis=datetime(2026, 11, 23, 12, 0, tzinfo=MSK))
    task = await make_task(
        sessionmaker, manager, datetime(2027, 1, 20, 8, 30, tzinfo=MSK), title="Тайная задача"
    )
    before = db_path.stat().st_mtime_ns

    result = preview_cli("--at", "2027-01-20T09:00:00+03:00", db_path=db_path, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {tuple(sorted(line)) for line in lines} == {("dedupe_key", "kind", "recipient", "send_after")}
    by_kind = {line["kind"]: line for line in lines}
    assert by_kind["deal_reminder"] == {
        "dedupe_key": f"deal:{deal}:inactive-in:3d:2027-01-23",
        "recipient": manager,
        "kind": "deal_reminder",
        "send_after": "2027-01-20T06:00:00+00:00",
    }
    assert by_kind["task_due"]["dedupe_key"] == f"task:{task}:due:2027-01-20T05:30:00+00:00"
    assert by_kind["morning_digest"]["dedupe_key"] == f"digest:{manager}:2027-01-20"
    assert datetime.fromisoformat(by_kind["morning_digest"]["send_after"]) == datetime(
        2027, 1, 20, 6, tzinfo=UTC
    )
    for secret in ("Секрет", "Тайная", "Иванов", "+7912", "@mail.ru"):
        assert secret not in result.stdout
    assert await outbox(sessionmaker) == []
    assert db_path.stat().st_mtime_ns == before


async def test_preview_with_nothing_due_prints_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], db_path: Path, tmp_path: Path
) -> None:
    await make_user(sessionmaker, 8001)
    result = preview_cli("--at", "2027-01-20T09:00:00", db_path=db_path, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_bad_at_is_a_one_line_error(db_path: Path, tmp_path: Path) -> None:
    for bad in ("tomorrow", "2027-13-01T09:00", ""):
        result = preview_cli("--at", bad, db_path=db_path, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("error: --at")


def test_help_lists_the_preview(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "reminders" in result.stdout
    sub = subprocess.run(
        [sys.executable, "-m", "bot", "reminders", "--help"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "preview" in sub.stdout
