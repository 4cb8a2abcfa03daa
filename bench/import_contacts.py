"""Issue 13 benchmark: a 100k-row CSV of contacts checked, previewed, written and reported, on SQLite.

The file is generated with exact shares, by the row's index ``i`` (``i % 100``):

- 0…4: a person already in the database (5 %, R5 against the database; the file holds the same four fields);
- 10: a landline, 11: a malformed e-mail, 12: a birth date in the future (3 % invalid, R4a);
- 50: the name and phone of row ``i - 30`` with a new birth date and e-mail (1 %, R5 within the file);
- every other row: a new person (91 %). Names, phones, e-mails and birth dates never share a pair by accident.

Each row also names one of 500 companies (created by the run) and a position. The database is a temp file
migrated to head, with the 5 % already saved (``executemany`` with their ``dup_*`` keys). The phases are the
bot's own: ``read_table`` on the bytes, the mapping (``recognise`` + ``pick``) and ``create_job``,
``preview``, ``run``, ``report_file`` — each one's wall time, and the process's peak RSS after each. The
counts of the preview, of the run and of the «Результат» column are checked against the generator's.

    python -m bench.import_contacts               # 100k rows
    python -m bench.import_contacts --rows 10000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench.fill import CREATED, GIVEN, PATRONYMICS, SURNAMES, add_users, connect, migrate, sqlite_url
from bot.i18n import TranslatorHub
from bot.import_files import read_table
from bot.import_report import report_file
from bot.settings import Settings
from db.engine import create_engine, create_sessionmaker
from db.models import DUPLICATE_KEY_COLUMNS, Contact
from db.repo import imports as repo
from db.repo.import_runs import run
from domain.access import Actor, Role
from domain.duplicates import ContactIdentity, match_keys
from domain.import_columns import recognise
from domain.values import name_key
from handlers.imports.actions import source_rows

HEADERS = ["ФИО", "Мобильный телефон", "Дата рождения", "E-mail", "Компания", "Должность", "Ответственный"]
IN_DATABASE = range(0, 5)
INVALID = (10, 11, 12)
IN_FILE = 50
IN_FILE_OF = 30  # rows back
COMPANIES = 500
#: A well-formed token that is never sent (no bot runs here; aiogram is not even imported).
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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The process's RSS now (Linux), to tell the import's own growth from the set-up's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Clock:
    def __init__(self) -> None:
        self.phases: list[tuple[str, float, float]] = []

    def lap(self, name: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.phases.append((name, seconds, peak_mb()))
        print(
            f"  {name:<18} {seconds:7.2f} s   RSS now {rss_mb():4.0f} MB, peak {peak_mb():4.0f} MB",
            flush=True,
        )


async def measure(path: Path, csv_path: Path, expected: Expected, actor: Actor, clock: Clock) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=sqlite_url(path),
        admin_ids=[1],
    )
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    tr = TranslatorHub().get("ru")

    print(f"  RSS before the import: {rss_mb():.0f} MB", flush=True)
    started = time.perf_counter()
    data = await asyncio.to_thread(csv_path.read_bytes)  # as the bot downloads it
    table = read_table(data, "contacts.csv", max_rows=settings.import_max_rows, max_bytes=len(data) + 1)
    del data  # the bot holds the downloaded bytes only while it reads them
    clock.lap("read_table", started)

    started = time.perf_counter()
    fields = recognise(table.headers)
    assert None not in fields, fields
    async with sessionmaker() as session:
        job_id = await repo.create_job(
            session,
            actor,
            filename="contacts.csv",
            source=table.source,
            headers=table.headers,
            rows=source_rows(table, fields),
            numbers=table.row_numbers,
        )
        del table
        clock.lap("map + create_job", started)

        started = time.perf_counter()
        shown = await repo.preview(session, job_id, settings=settings, actor=actor)
        clock.lap("preview", started)
    got = (shown.new, shown.duplicates, shown.invalid)
    want = (expected.new, expected.duplicates, expected.invalid)
    assert got == want, f"preview counts {got}, expected {want}"
    print(f"  preview: {shown.new:,} new, {shown.duplicates:,} duplicates, {shown.invalid:,} invalid — exact")

    started = time.perf_counter()
    summary = await run(sessionmaker, job_id, settings=settings)
    clock.lap("run", started)
    got = (summary.created, summary.duplicates, summary.invalid + summary.failed)
    assert got == want, f"run counts {got}, expected {want}"
    async with sessionmaker() as session:
        saved = await session.scalar(select(func.count()).select_from(Contact))
    assert saved == expected.new + expected.in_database, saved

    started = time.perf_counter()
    async with sessionmaker() as session:
        report, name = await report_file(session, job_id, tr)
    clock.lap("report_file", started)
    results = Counter(
        line[-1].split(":")[0] for line in csv.reader(io.StringIO(report.decode("utf-8-sig")), delimiter=";")
    )
    counted = (results["создан"], results["дубликат"], results["ошибка"])
    assert counted == want, f"report counts {counted}, expected {want}"
    assert sum(results.values()) == sum(want) + 1  # and the header
    print(f"  {name}: {len(report) / 1e6:.1f} MB, «Результат» counts exact")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the SQLite file")
    args = parser.parse_args()
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as tmp:
        path = Path(tmp) / "import.sqlite3"
        started = time.perf_counter()
        data, expected = generate(args.rows)
        actor = fill(path, expected)
        print(
            f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV; {expected.in_database:,} already saved "
            f"(set-up {time.perf_counter() - started:.1f} s, peak RSS {peak_mb():.0f} MB)",
            flush=True,
        )
        csv_path = Path(tmp) / "contacts.csv"
        csv_path.write_bytes(data)
        del data
        print(f"  (the generator's own peak RSS: {peak_mb():.0f} MB)", flush=True)
        asyncio.run(measure(path, csv_path, expected, actor, clock))
    by_name = {name: seconds for name, seconds, _ in clock.phases}
    checked = by_name["read_table"] + by_name["map + create_job"] + by_name["preview"]
    print(f"\nchecked and previewed: {checked:.1f} s (target < 60 s)")
    print(f"written:               {by_name['run']:.1f} s (target < 60 s)")
    print(f"report file:           {by_name['report_file']:.1f} s")
    peak = max(mb for _, _, mb in clock.phases)  # the bench's own count of the report's lines comes after
    print(f"peak RSS:              {peak:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
