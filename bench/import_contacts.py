"""Issue 13 benchmark: a 100k-row CSV of contacts checked, previewed, written and reported, on SQLite.

The file is generated with exact shares, by the row's index ``i`` (``i % 100``):

- 0…4: a person already in the database (5 %, R5 against the database; the file holds the same four fields);
- 10: a landline, 11: a malformed e-mail, 12: a birth date in the future (3 % invalid, R4a);
- 50: the name and phone of row ``i - 30`` with a new birth date and e-mail (1 %, R5 within the file);
- every other row: a new person (91 %). Names, phones, e-mails and birth dates never share a pair by accident.

Each row also names one of 500 companies (created by the run) and a position. The database is a temp file
migrated to head, with the 5 % already saved (``executemany`` with their ``dup_*`` keys).

The import runs the bot's own path, in two fresh processes that have imported ``bot.app`` first (so their
memory is the bot's: aiogram and the rest loaded), each reporting its wall times and its peak RSS
(``VmHWM``):

1. **check**: the file's bytes as downloaded, then what the dialog does (``handlers.imports.actions``):
   ``scan_file`` (the file step: every row read once, counted, the column samples kept), ``recognise``,
   ``store_file`` (the file read again as a stream, its rows stored as a job) and ``preview``;
2. **write**: ``db.repo.import_runs.run`` and the result file written into a temporary file by
   ``bot.import_report.write_report``, as ``bot.import_delivery`` does in the background.

The counts of the preview, of the run and of the «Результат» column are checked against the generator's.

    python -m bench.import_contacts               # 100k rows
    python -m bench.import_contacts --rows 10000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.fill import CREATED, GIVEN, PATRONYMICS, SURNAMES, add_users, connect, migrate, sqlite_url
from bot.i18n import TranslatorHub
from bot.import_report import write_report
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from db.models import DUPLICATE_KEY_COLUMNS, Contact
from db.repo import imports as repo
from db.repo.import_runs import run
from domain.access import Actor, Role
from domain.duplicates import ContactIdentity, match_keys
from domain.import_columns import recognise
from domain.values import name_key
from handlers.imports.actions import scan_file, store_file

HEADERS = ["ФИО", "Мобильный телефон", "Дата рождения", "E-mail", "Компания", "Должность", "Ответственный"]
IN_DATABASE = range(0, 5)
INVALID = (10, 11, 12)
IN_FILE = 50
IN_FILE_OF = 30  # rows back
COMPANIES = 500
#: A well-formed token that is never sent (no bot runs here).
TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"  # noqa: S105
_NAMES = len(SURNAMES) * len(GIVEN) * len(PATRONYMICS)


@dataclass(frozen=True)
class Person:
    full_name: str
    phone: str  # E.164
    birth: date
    email: str


def person(i: int) -> Person:
    """Row ``i``'s person: the name from ``i % 57600``, the birth date carries ``i // 57600``, so no two
    people share a name and a birth date; phone and e-mail carry ``i``."""
    n = i % _NAMES
    surname = SURNAMES[n % len(SURNAMES)]
    given = GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
    patronymic = PATRONYMICS[n // (len(SURNAMES) * len(GIVEN))]
    birth = date(1950, 1, 1) + timedelta(days=(i // _NAMES) * 10_000 + (i * 31) % 9_000)
    return Person(f"{surname} {given} {patronymic}", f"+7916{i:07d}", birth, f"client{i}@mail.ru")


def spaced(phone: str) -> str:
    """+79160000123 → «+7 916 000-01-23», as people type it."""
    return f"{phone[:2]} {phone[2:5]} {phone[5:8]}-{phone[8:10]}-{phone[10:]}"


@dataclass
class Expected:
    new: int = 0
    in_database: int = 0
    in_file: int = 0
    invalid: int = 0
    db_people: list[int] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.in_database + self.in_file

    @property
    def rows(self) -> int:
        return self.new + self.duplicates + self.invalid


def generate(rows: int) -> tuple[bytes, Expected]:
    """The CSV (UTF-8, «;», as a Russian Excel saves it) and what its rows must come out as."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    expected = Expected()
    for i in range(rows):
        kind = i % 100
        p = person(i)
        phone, birth, email = spaced(p.phone), p.birth.strftime("%d.%m.%Y"), p.email
        if kind in IN_DATABASE:
            expected.in_database += 1
            expected.db_people.append(i)
        elif kind == INVALID[0]:
            phone, expected.invalid = f"+7 495 {i % 1000:03d}-{i % 100:02d}-00", expected.invalid + 1
        elif kind == INVALID[1]:
            email, expected.invalid = f"client{i}-at-mail.ru", expected.invalid + 1
        elif kind == INVALID[2]:
            birth, expected.invalid = "01.01.2100", expected.invalid + 1
        elif kind == IN_FILE:
            earlier = person(i - IN_FILE_OF)
            phone, email = spaced(earlier.phone), f"again{i}@mail.ru"
            birth = (date(1940, 1, 1) + timedelta(days=i // 100)).strftime("%d.%m.%Y")
            writer.writerow([earlier.full_name, phone, birth, email, f"ООО Компания {i % COMPANIES}", "", ""])
            expected.in_file += 1
            continue
        else:
            expected.new += 1
        company = f"ООО Компания {i % COMPANIES}"
        writer.writerow([p.full_name, phone, birth, email, company, "Менеджер по закупкам", ""])
    return out.getvalue().encode("utf-8"), expected


def fill(path: Path, expected: Expected) -> Actor:
    """The database at head, a team lead who imports, and the people the file duplicates already saved."""
    migrate(path)
    connection = connect(path)
    users = add_users(connection, 5)
    importer = users[0]
    connection.execute("UPDATE users SET role = 'team_lead' WHERE id = ?", (importer,))
    team_id = connection.execute("SELECT team_id FROM users WHERE id = ?", (importer,)).fetchone()[0]
    pairs = tuple(DUPLICATE_KEY_COLUMNS)
    columns = (
        "surname, given_name, patronymic, name_key, phone, birth_date, email, responsible_id, created_by_id, "
        "created_at, updated_at, " + ", ".join(DUPLICATE_KEY_COLUMNS[pair] for pair in pairs)
    )
    values = []
    for i in expected.db_people:
        p = person(i)
        key = name_key(p.full_name)
        keys = match_keys(ContactIdentity(key, p.phone, p.birth, p.email))
        owner = users[1 + i % 4]
        values.append(
            (*p.full_name.split(), key, p.phone, p.birth.isoformat(), p.email, owner, owner, CREATED, CREATED,
             *(keys[pair] for pair in pairs))
        )  # fmt: skip
    placeholders = ", ".join("?" * len(columns.split(",")))
    connection.execute("BEGIN")
    connection.executemany(f"INSERT INTO contacts ({columns}) VALUES ({placeholders})", values)  # noqa: S608
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return Actor(user_id=importer, role=Role.TEAM_LEAD, team_id=team_id)


def peak_mb() -> float:
    """This process's peak RSS (``VmHWM``: ``ru_maxrss`` survives ``exec``, so it would be the parent's)."""
    return _status("VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The process's RSS now."""
    return _status("VmRSS:")


def _status(field_name: str) -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith(field_name):
                return int(line.split()[1]) / 1024
    return 0.0


class Clock:
    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    def lap(self, name: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.phases[name] = seconds
        print(
            f"  {name:<18} {seconds:7.2f} s   RSS now {rss_mb():4.0f} MB, peak {peak_mb():4.0f} MB",
            flush=True,
        )


def _settings(path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=sqlite_url(path),
        admin_ids=[1],
    )


async def check(path: Path, csv_path: Path, expected: Expected, actor: Actor, clock: Clock) -> int:
    """The file step and the check, as the dialog runs them: the job's id."""
    settings = _settings(path)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    started = time.perf_counter()
    data = await asyncio.to_thread(csv_path.read_bytes)  # as the bot downloads it
    summary = await scan_file(data, "contacts.csv", settings)
    assert summary.rows == expected.rows, summary.rows
    fields = recognise(summary.headers)
    assert None not in fields, fields
    del data  # the dialog keeps the file's id, headers and choices, never its bytes or rows
    clock.lap("file step (scan)", started)

    started = time.perf_counter()
    data = await asyncio.to_thread(csv_path.read_bytes)  # downloaded again by «Проверить»
    async with sessionmaker() as session:
        job_id = await store_file(
            session, actor, settings, data=data, filename="contacts.csv", fields=fields, chat_id=None
        )
        del data
        clock.lap("store_file", started)

        started = time.perf_counter()
        shown = await repo.preview(session, job_id, settings=settings, actor=actor)
        clock.lap("preview", started)
    got = (shown.new, shown.duplicates, shown.invalid)
    want = (expected.new, expected.duplicates, expected.invalid)
    assert got == want, f"preview counts {got}, expected {want}"
    print(f"  preview: {shown.new:,} new, {shown.duplicates:,} duplicates, {shown.invalid:,} invalid — exact")
    await engine.dispose()
    return job_id


async def write(path: Path, job_id: int, expected: Expected, clock: Clock) -> None:
    """The run and the result file, as the background task writes them."""
    settings = _settings(path)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    tr = TranslatorHub().get("ru")
    started = time.perf_counter()
    summary = await run(sessionmaker, job_id, settings=settings)
    clock.lap("run", started)
    want = (expected.new, expected.duplicates, expected.invalid)
    got = (summary.created, summary.duplicates, summary.invalid + summary.failed)
    assert got == want, f"run counts {got}, expected {want}"
    async with sessionmaker() as session:
        saved = await session.scalar(select(func.count()).select_from(Contact))
    assert saved == expected.new + expected.in_database, saved

    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        async with sessionmaker() as session:
            name = await write_report(session, job_id, tr, out)
        clock.lap("write_report", started)
        size = out.tell()
        out.seek(0)
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        results = Counter(line[-1].split(":")[0] for line in csv.reader(text, delimiter=";"))
    counted = (results["создан"], results["дубликат"], results["ошибка"])
    assert counted == want, f"report counts {counted}, expected {want}"
    assert sum(results.values()) == sum(want) + 1  # and the header
    print(f"  {name}: {size / 1e6:.1f} MB, «Результат» counts exact")
    await engine.dispose()


def phase(args: argparse.Namespace) -> None:
    """One phase in this process, after the bot's own imports; its figures as JSON into ``--out``."""
    import bot.app  # noqa: F401  # the bot's modules, as loaded in the running bot

    state = json.loads(args.state.read_text(encoding="utf-8"))
    expected = Expected(**state["expected"])
    actor = Actor(user_id=state["actor"][0], role=Role.TEAM_LEAD, team_id=state["actor"][1])
    clock = Clock()
    start_mb = rss_mb()
    print(f"  RSS with bot.app imported: {start_mb:.0f} MB", flush=True)
    if args.phase == "check":
        job_id = asyncio.run(check(args.db, args.csv, expected, actor, clock))
    else:
        job_id = state["job_id"]
        asyncio.run(write(args.db, job_id, expected, clock))
    figures = {"job_id": job_id, "phases": clock.phases, "start_mb": start_mb, "peak_mb": peak_mb()}
    args.out.write_text(json.dumps(figures), encoding="utf-8")
    print(f"  peak RSS of the {args.phase} process: {peak_mb():.0f} MB", flush=True)


def _subprocess(name: str, tmp: Path, db: Path, csv_path: Path, state: Path) -> dict[str, Any]:
    out = tmp / f"{name}.json"
    command = [sys.executable, "-m", "bench.import_contacts", "--phase", name, "--db", str(db)]
    command += ["--csv", str(csv_path), "--state", str(state), "--out", str(out)]
    print(f"{name}:", flush=True)
    subprocess.run(command, check=True)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the SQLite file")
    for hidden in ("--phase", "--db", "--csv", "--state", "--out"):  # one phase in a fresh process
        parser.add_argument(hidden, type=None if hidden == "--phase" else Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase is not None:
        phase(args)
        return
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as name:
        tmp = Path(name)
        path = tmp / "import.sqlite3"
        started = time.perf_counter()
        data, expected = generate(args.rows)
        actor = fill(path, expected)
        print(
            f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV; {expected.in_database:,} already saved "
            f"(set-up {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        csv_path = tmp / "contacts.csv"
        csv_path.write_bytes(data)
        del data
        state = tmp / "state.json"
        state_of = {"expected": asdict(expected), "actor": [actor.user_id, actor.team_id]}
        state.write_text(json.dumps(state_of), encoding="utf-8")
        checked = _subprocess("check", tmp, path, csv_path, state)
        state.write_text(json.dumps(state_of | {"job_id": checked["job_id"]}), encoding="utf-8")
        written = _subprocess("write", tmp, path, csv_path, state)
    check_s = sum(checked["phases"].values())
    print(f"\nchecked and previewed: {check_s:.1f} s (target < 60 s: {check_s / 60:.2f} of it)")
    run_s = written["phases"]["run"]
    print(f"written:               {run_s:.1f} s (target < 60 s: {run_s / 60:.2f} of it)")
    print(f"result file:           {written['phases']['write_report']:.1f} s")
    for label, figures in (("check", checked), ("write", written)):
        peak = figures["peak_mb"]
        print(
            f"peak RSS, {label}:      {peak:.0f} MB (target < 300 MB: {peak / 300:.2f} of it; "
            f"{figures['start_mb']:.0f} MB of it the bot's own modules)"
        )


if __name__ == "__main__":
    main()
