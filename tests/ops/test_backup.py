"""``python -m bot backup PATH``: a consistent copy of the SQLite database while it is being written to."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot import backup
from bot.__main__ import main
from bot.settings import Settings

ROW = "x" * 200  # a few rows fill a page: the copy has many pages to step through


def make_database(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE visits (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        db.executemany("INSERT INTO visits (note) VALUES (?)", [(ROW,)] * rows)
    db.close()


class Writer(threading.Thread):
    """Commits one row at a time, as fast as it can, on its own connection (as the running bot would)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.committed = 0  # the highest id known to be committed
        self.stop = threading.Event()

    def run(self) -> None:
        db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            while not self.stop.is_set():
                db.execute("BEGIN IMMEDIATE")
                row_id = db.execute("INSERT INTO visits (note) VALUES (?)", (ROW,)).lastrowid
                db.execute("COMMIT")
                self.committed = int(row_id or 0)
        finally:
            db.close()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No developer .env or environment: the command reads DATABASE_URL only."""
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    return tmp_path


def check_copy(copy: Path, committed_before: int) -> int:
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {row_id for (row_id,) in db.execute("SELECT id FROM visits")}
    db.close()
    assert set(range(1, committed_before + 1)) <= ids, "a row committed before the backup is missing"
    assert ids == set(range(1, max(ids) + 1)), "the copy is one moment: no gaps"
    return len(ids)


@pytest.mark.parametrize("pages", [64, -1])
def test_a_backup_taken_while_rows_are_committed_has_every_earlier_row(tmp_path: Path, pages: int) -> None:
    source = tmp_path / "crm.sqlite3"
    make_database(source, 20_000)  # about 5 MB
    writer = Writer(source)
    writer.start()
    try:
        while writer.committed < 20_100:
            time.sleep(0.001)
        committed_before = writer.committed
        backup.backup_database(
            f"sqlite+aiosqlite:///{source}", tmp_path / "copy.sqlite3", pages=pages, pause=0.001
        )
    finally:
        writer.stop.set()
        writer.join()
    assert check_copy(tmp_path / "copy.sqlite3", committed_before) >= committed_before
    assert not list(tmp_path.glob("*.partial")), "no temporary file is left behind"


def test_a_busy_database_is_finished_in_one_step_after_restarts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes between steps make SQLite begin the copy again; at the limit the rest is copied in one step,
    so a busy bot never keeps the backup from finishing."""
    monkeypatch.setattr(backup, "MAX_RESTARTS", 1)
    source = tmp_path / "crm.sqlite3"
    make_database(source, 20_000)
    writer = Writer(source)
    writer.start()
    try:
        while writer.committed < 20_100:
            time.sleep(0.001)
        # A write between two steps is what restarts the copy; on a loaded machine the writer may miss every
        # pause of one attempt, so a few attempts are allowed, each checked.
        for _attempt in range(5):
            committed_before = writer.committed
            done = backup.backup_database(
                f"sqlite+aiosqlite:///{source}", tmp_path / "copy.sqlite3", force=True, pages=8, pause=0.01
            )
            assert check_copy(done.path, committed_before) >= committed_before
            if done.restarts:
                break
    finally:
        writer.stop.set()
        writer.join()
    assert done.restarts == 1, "the copy was restarted by a write and then finished in one step"


def test_the_command_writes_the_copy_and_refuses_to_overwrite_it(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = env / "crm.sqlite3"
    make_database(source, 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{source}")
    target = env / "backups" / "crm-2027-01-20.sqlite3"
    target.parent.mkdir()

    assert main(["backup", str(target)]) == 0
    assert capsys.readouterr().out == f"backup written: {target}\n"
    assert check_copy(target, 100) == 100
    assert not (env / "backups" / "crm-2027-01-20.sqlite3-wal").exists(), "one self-contained file"

    with sqlite3.connect(source) as db:
        db.execute("INSERT INTO visits (note) VALUES ('later')")
    db.close()
    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "Traceback" not in err
    assert check_copy(target, 100) == 100, "the old copy is untouched"

    assert main(["backup", str(target), "--force"]) == 0
    assert check_copy(target, 101) == 101


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+asyncpg://crm:pa55word@db.example.com:5432/crm", "pg_dump"),
        ("sqlite+aiosqlite:///:memory:", "in-memory"),
        ("sqlite+aiosqlite:///./data/missing.sqlite3", "does not exist"),
    ],
)
def test_what_cannot_be_backed_up_is_refused_in_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, says: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["backup", str(env / "copy.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert "pa55word" not in err
    assert not (env / "copy.sqlite3").exists()
    assert not (env / "data" / "missing.sqlite3").exists(), "no empty database is created"


def test_a_missing_folder_is_refused(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = env / "crm.sqlite3"
    make_database(source, 10)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{source}")
    assert main(["backup", str(env / "no-such-folder" / "copy.sqlite3")]) == 2
