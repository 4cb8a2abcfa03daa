"""Fast bulk filling of a migrated SQLite file for the benchmarks.

Rows go in through ``sqlite3.executemany`` with their R5 keys computed up front by the same domain functions
the bot uses (``domain.duplicates.match_keys``), with the journal and fsync off while filling.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from db.engine import create_engine
from db.migrate import upgrade
from db.models import DUPLICATE_KEY_COLUMNS
from domain.duplicates import ContactIdentity, match_keys
from domain.values import name_key


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = _words(
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев "
    "Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев "
    "Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв "
    "Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков "
    "Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров"
)
GIVEN = _words(
    "Александр Алексей Андрей Антон Артём Борис Вадим Валентин Василий Виктор Владимир Георгий Глеб Григорий "
    "Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Михаил Никита Николай "
    "Олег Павел Пётр Роман Семён Сергей Станислав Степан Тимофей Фёдор Юрий"
)
PATRONYMICS = _words(
    "Александрович Алексеевич Андреевич Борисович Васильевич Викторович Владимирович Геннадьевич Дмитриевич "
    "Евгеньевич Иванович Игоревич Ильич Константинович Максимович Михайлович Николаевич Олегович Павлович "
    "Петрович Романович Сергеевич Степанович Юрьевич"
)
CREATED = "2026-01-15 09:30:00.000000"
CHUNK = 50_000


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def migrate(path: Path) -> None:
    """A fresh file, migrated to head exactly as the bot does it."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    async def run() -> None:
        engine = create_engine(sqlite_url(path))
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(run())


@dataclass(frozen=True)
class Person:
    surname: str
    given: str
    patronymic: str
    phone: str
    birth: date
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.given} {self.patronymic}"


def person(i: int, rng: random.Random) -> Person:
    """A contact numbered ``i``: phone and e-mail are unique by construction, names and dates realistic."""
    return Person(
        surname=rng.choice(SURNAMES),
        given=rng.choice(GIVEN),
        patronymic=rng.choice(PATRONYMICS),
        phone=f"+7916{i:07d}",
        birth=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
        email=f"client{i}@mail.ru",
    )


_COLUMNS = (
    "surname, given_name, patronymic, name_key, phone, birth_date, email, position, client_id, "
    "responsible_id, created_by_id, created_at, updated_at, " + ", ".join(DUPLICATE_KEY_COLUMNS.values())
)
_PAIRS = tuple(DUPLICATE_KEY_COLUMNS)


def _rows(
    start: int, count: int, responsible_ids: list[int], rng: random.Random
) -> Iterator[tuple[object, ...]]:
    for i in range(start, start + count):
        p = person(i, rng)
        key = name_key(p.full_name)
        keys = match_keys(ContactIdentity(key, p.phone, p.birth, p.email))
        owner = responsible_ids[i % len(responsible_ids)]
        fields = (p.surname, p.given, p.patronymic, key, p.phone, p.birth.isoformat(), p.email)
        yield (*fields, None, None, owner, owner, CREATED, CREATED, *(keys[pair] for pair in _PAIRS))


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA cache_size=-2000000")  # 2 GB of page cache while filling
    return connection


def add_users(connection: sqlite3.Connection, count: int, first_telegram_id: int = 900_000_000) -> list[int]:
    connection.execute("INSERT OR IGNORE INTO teams (name, created_at) VALUES ('Bench team', ?)", (CREATED,))
    team_id = connection.execute("SELECT id FROM teams WHERE name = 'Bench team'").fetchone()[0]
    connection.executemany(
        "INSERT INTO users (telegram_id, full_name, role, team_id, is_active, is_reachable, created_at) "
        "VALUES (?, ?, 'manager', ?, 1, 1, ?)",
        [(first_telegram_id + n, f"Менеджер {n}", team_id, CREATED) for n in range(count)],
    )
    return [row[0] for row in connection.execute("SELECT id FROM users ORDER BY id")]


def add_contacts(
    connection: sqlite3.Connection, count: int, responsible_ids: list[int], seed: int = 1
) -> int:
    """Insert ``count`` contacts (numbered 0…count-1); returns how many went in (rare R5 collisions skip)."""
    rng = random.Random(seed)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    placeholders = ", ".join("?" * len(_COLUMNS.split(",")))
    connection.execute("BEGIN")
    for start in range(0, count, CHUNK):
        connection.executemany(
            f"INSERT OR IGNORE INTO contacts ({_COLUMNS}) VALUES ({placeholders})",  # noqa: S608
            _rows(start, min(CHUNK, count - start), responsible_ids, rng),
        )
    connection.execute("COMMIT")
    inserted = connection.execute("SELECT count(*) FROM contacts").fetchone()[0]
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("ANALYZE")
    return int(inserted)


def add_leads_and_interactions(
    connection: sqlite3.Connection, leads: int, interactions: int, responsible_ids: list[int]
) -> None:
    """``leads`` leads over the first contacts, and ``interactions`` calls spread over the leads."""
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    source_id = connection.execute("SELECT id FROM lead_sources ORDER BY id").fetchone()[0]
    contact_ids = [
        row[0] for row in connection.execute("SELECT id FROM contacts ORDER BY id LIMIT ?", (leads,))
    ]
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO leads (contact_id, source_id, description, responsible_id, status, created_by_id, "
        "created_at, updated_at) VALUES (?, ?, 'Интересуется оборудованием', ?, 'open', ?, ?, ?)",
        (
            (cid, source_id, owner, owner, CREATED, CREATED)
            for n, cid in enumerate(contact_ids)
            for owner in (responsible_ids[n % len(responsible_ids)],)
        ),
    )
    lead_ids = [row[0] for row in connection.execute("SELECT id, responsible_id FROM leads ORDER BY id")]
    connection.executemany(
        "INSERT INTO interactions (lead_id, kind, outcome, discussed, agreed, qualifying, author_id, "
        "occurred_at, created_at) VALUES (?, 'call', 'reached', 'Обсудили поставку сканеров для склада', "
        "'Отправляем коммерческое предложение до пятницы', 1, ?, ?, ?)",
        (
            (lead_ids[n % len(lead_ids)], responsible_ids[n % len(responsible_ids)], CREATED, CREATED)
            for n in range(interactions)
        ),
    )
    connection.execute("COMMIT")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("ANALYZE")


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
