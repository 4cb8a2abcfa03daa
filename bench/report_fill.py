# ruff: noqa: S608 - every statement is built from integers and literals of this module, no outside text
"""Bulk filling of a migrated SQLite file for the reports benchmark (``bench/reports.py``).

Everything is generated inside SQLite: ``INSERT … SELECT`` over a recursive counter CTE, one transaction
per table, with ``synchronous=OFF`` while filling. Values are spread by multiplying the row number by
primes modulo the range, so a rerun makes the same file. R5 keys and the open deals' party keys are made
unique from the row number (the benchmark measures reading, not the duplicate rules).

Shape for ``deals`` = D: 200 managers in 20 teams (each team with its lead) and one admin; D/4 contacts;
D + D/4 leads (the first D converted, one deal each; the rest open or refused); D deals over the year before
``NOW`` (60 % open at pipeline stages 1–6, 25 % won, 15 % lost with a reason), one line each; their stage
history (a span at the first stage, then one at the current stage, then the outcome); 3·D interactions
(three quarters on deals, a quarter on leads, two thirds qualifying); D/5 tasks (half done, the rest due
around ``NOW``); D/100 R3/R5 refusals.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.fill import migrate

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
YEAR = 365 * 86400
TEAMS, PER_TEAM = 20, 10


def _counter(limit: str) -> str:
    return f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {limit}) "


def _stamp(seconds_before_now: str) -> str:
    """SQL: the moment ``seconds_before_now`` before NOW, in the bot's stored format."""
    epoch = int(NOW.timestamp())
    return f"(datetime({epoch} - ({seconds_before_now}), 'unixepoch') || '.000000')"


def _users(connection: sqlite3.Connection, teams: int, per_team: int) -> None:
    created = _stamp(str(YEAR + 86400))
    connection.execute(
        f"INSERT INTO users (telegram_id, full_name, role, team_id, is_active, is_reachable, created_at) "
        f"VALUES (800000000, 'Администратор', 'admin', NULL, 1, 1, {created})"
    )
    for team in range(1, teams + 1):
        team_id = connection.execute(
            f"INSERT INTO teams (name, created_at) VALUES (?, {created})",
            (f"Команда {team:02d}",),
        ).lastrowid
        connection.execute(
            f"INSERT INTO users (telegram_id, full_name, role, team_id, is_active, is_reachable, created_at) "
            f"VALUES (?, ?, 'team_lead', ?, 1, 1, {created})",
            (800000000 + team * 100, f"Руководитель {team:02d}", team_id),
        )
        for member in range(per_team):
            connection.execute(
                f"INSERT INTO users (telegram_id, full_name, role, team_id, is_active, is_reachable, "
                f"created_at) VALUES (?, ?, 'manager', ?, 1, 1, {created})",
                (800000000 + team * 100 + member + 1, f"Менеджер {team:02d}-{member + 1:02d}", team_id),
            )
    connection.execute("CREATE TEMP TABLE mgr (k INTEGER PRIMARY KEY, user_id INTEGER NOT NULL)")
    connection.execute(
        "INSERT INTO mgr (k, user_id) SELECT row_number() OVER (ORDER BY id) - 1, id FROM users "
        "WHERE role = 'manager'"
    )


def _contacts(connection: sqlite3.Connection, count: int) -> None:
    connection.execute(
        _counter(str(count)) + "INSERT INTO contacts (id, surname, given_name, patronymic, name_key, phone, "
        "birth_date, email, responsible_id, created_by_id, created_at, updated_at, dup_name_phone, "
        "dup_name_birth, dup_name_email, dup_phone_birth, dup_phone_email, dup_birth_email) "
        "SELECT i, 'Клиентов' || (i % 997), 'Иван', 'Петрович', 'клиентов' || (i % 997) || ' иван петрович', "
        "'+7916' || printf('%07d', i), date('1960-01-01', '+' || (i * 7 % 18000) || ' days'), "
        "'client' || i || '@mail.ru', m.user_id, m.user_id, "
        + _stamp(f"{YEAR} + 86400 * 2")
        + ", "
        + _stamp(f"{YEAR} + 86400 * 2")
        + ", 'np' || i, 'nb' || i, 'ne' || i, 'pb' || i, 'pe' || i, 'be' || i "
        "FROM n JOIN mgr m ON m.k = " + _owner("i")
    )


def _owner(i: str) -> str:
    """SQL: the manager (``mgr.k``) of deal or lead ``i``; shifted every 20 rows, so that each manager gets
    every status (which follows ``i % 20``)."""
    return f"((({i}) + ({i}) / 20) % (SELECT count(*) FROM mgr))"


def _age(i: str) -> str:
    """SQL: how many seconds before NOW deal (or lead) ``i`` was created, spread over the year."""
    return f"(({i}) * 7919 % {YEAR})"


def _leads(connection: sqlite3.Connection, deals: int, contacts: int) -> None:
    leads = deals + deals // 4
    connection.execute(
        _counter(str(leads)) + "INSERT INTO leads (id, contact_id, source_id, description, responsible_id, "
        "status, reject_reason_id, created_by_id, created_at, updated_at) "
        f"SELECT i, (i - 1) % {contacts} + 1, 1 + i % 5, 'Интересуется оборудованием для склада', m.user_id, "
        f"CASE WHEN i <= {deals} THEN 'converted' WHEN i % 3 = 1 THEN 'rejected' ELSE 'open' END, "
        f"CASE WHEN i > {deals} AND i % 3 = 1 THEN 1 + i % 4 END, m.user_id, "
        + _stamp(_age("i") + " + 86400")
        + ", "
        + _stamp(_age("i"))
        + " FROM n JOIN mgr m ON m.k = "
        + _owner("i")
    )


_STATUS = "CASE WHEN i % 20 < 12 THEN 'open' WHEN i % 20 < 17 THEN 'won' ELSE 'lost' END"
_EVEN = "(1 + i * 31 % 6)"
#: A funnel's shape for the demo pictures: of 21 open deals, 6 at the first stage, then 5, 4, 3, 2, 1.
_FUNNEL = (
    "(CASE WHEN i * 31 % 21 < 6 THEN 1 WHEN i * 31 % 21 < 11 THEN 2 WHEN i * 31 % 21 < 15 THEN 3 "
    "WHEN i * 31 % 21 < 18 THEN 4 WHEN i * 31 % 21 < 20 THEN 5 ELSE 6 END)"
)


def _deals(connection: sqlite3.Connection, deals: int, contacts: int, at_stage: str) -> None:
    status = _STATUS
    stage = f"CASE WHEN i % 20 < 12 THEN {at_stage} WHEN i % 20 < 17 THEN 7 ELSE 8 END"
    connection.execute(
        _counter(str(deals)) + "INSERT INTO deals (id, lead_id, contact_id, party_key, product_group_id, "
        "stage_id, status, comment, responsible_id, last_qualifying_at, lost_reason_id, closed_at, "
        "created_by_id, created_at, updated_at, expected_close) "
        f"SELECT i, i, (i - 1) % {contacts} + 1, 'bench:' || i, 1 + i % 4, {stage}, {status}, "
        "'Клиент выбирает сканеры для склада, ждёт КП до пятницы, бюджет согласован с директором', "
        f"m.user_id, CASE WHEN i % 3 > 0 THEN {_stamp(_age('i') + ' * 0.2')} END, "
        "CASE WHEN i % 20 >= 17 THEN 1 + i % 6 END, "
        f"CASE WHEN i % 20 >= 12 THEN {_stamp(_age('i') + ' * 0.4')} END, m.user_id, {_stamp(_age('i'))}, "
        f"{_stamp(_age('i') + ' * 0.2')}, "
        "CASE WHEN i % 20 < 12 AND i % 5 > 0 THEN date('2026-10-01', '+' || (i * 13 % 240) || ' days') END "
        "FROM n JOIN mgr m ON m.k = " + _owner("i")
    )
    connection.execute(
        _counter(str(deals)) + "INSERT INTO deal_lines (deal_id, product_id, amount_minor, currency) "
        "SELECT i, 1 + i % 10, 1000000 + (i * 7717 % 50000) * 10000, 'RUB' FROM n"
    )


def _spans(connection: sqlite3.Connection, deals: int, at_stage: str) -> None:
    """The first stage from creation; the current (or last pipeline) stage; the outcome for closed deals."""
    age = _age("i")
    first_left = f"CASE WHEN {at_stage} > 1 OR i % 20 >= 12 THEN {_stamp(age + ' * 0.7')} END"
    connection.execute(
        _counter(str(deals)) + "INSERT INTO deal_stage_history (deal_id, stage_id, entered_at, left_at, "
        f"entered_by_id, left_by_id) SELECT i, 1, {_stamp(age)}, "
        + first_left
        + ", d.responsible_id, d.responsible_id FROM n JOIN deals d ON d.id = i"
    )
    connection.execute(
        _counter(str(deals)) + "INSERT INTO deal_stage_history (deal_id, stage_id, entered_at, left_at, "
        f"entered_by_id, left_by_id) SELECT i, {at_stage}, {_stamp(age + ' * 0.7')}, "
        f"CASE WHEN i % 20 >= 12 THEN {_stamp(age + ' * 0.4')} END, d.responsible_id, d.responsible_id "
        f"FROM n JOIN deals d ON d.id = i WHERE {at_stage} > 1"
    )
    connection.execute(
        _counter(str(deals)) + "INSERT INTO deal_stage_history (deal_id, stage_id, entered_at, "
        f"entered_by_id) SELECT i, d.stage_id, {_stamp(age + ' * 0.4')}, d.responsible_id "
        "FROM n JOIN deals d ON d.id = i WHERE i % 20 >= 12"
    )


def _interactions(connection: sqlite3.Connection, deals: int) -> None:
    leads = deals + deals // 4
    connection.execute(
        _counter(str(3 * deals)) + "INSERT INTO interactions (deal_id, lead_id, kind, outcome, discussed, "
        "agreed, qualifying, author_id, occurred_at, created_at) "
        f"SELECT CASE WHEN i % 4 > 0 THEN i % {deals} + 1 END, "
        f"CASE WHEN i % 4 = 0 THEN i % {leads} + 1 END, 'call', 'reached', "
        "'Обсудили поставку сканеров для склада', 'Отправляем КП до пятницы', i % 3 > 0, m.user_id, "
        f"{_stamp(f'i * 104729 % {YEAR}')}, {_stamp(f'i * 104729 % {YEAR}')} "
        "FROM n JOIN mgr m ON m.k = "
        + _owner(f"CASE WHEN i % 4 > 0 THEN i % {deals} + 1 ELSE i % {leads} + 1 END")
    )


def _tasks_and_refusals(connection: sqlite3.Connection, deals: int) -> None:
    connection.execute(
        _counter(str(deals // 5)) + "INSERT INTO tasks (title, due_at, assignee_id, deal_id, done_at, "
        "created_by_id, created_at) "
        f"SELECT 'Перезвонить клиенту', {_stamp('(i * 104729 % (86400 * 60)) - 86400 * 20')}, m.user_id, "
        f"(i * 5 % {deals}) + 1, CASE WHEN i % 2 = 0 THEN {_stamp('86400 * 30')} END, m.user_id, "
        f"{_stamp('86400 * 61')} FROM n JOIN mgr m ON m.k = " + _owner(f"i * 5 % {deals} + 1")
    )
    connection.execute(
        _counter(str(max(deals // 100, 1))) + "INSERT INTO rule_refusals (user_id, rule, at) "
        f"SELECT m.user_id, CASE WHEN i % 2 = 0 THEN 'R3' ELSE 'R5' END, {_stamp(f'i * 7919 % {YEAR}')} "
        "FROM n JOIN mgr m ON m.k = " + _owner("i")
    )


def fill(
    path: Path, deals: int, teams: int = TEAMS, per_team: int = PER_TEAM, *, funnel: bool = False
) -> None:
    """A fresh file migrated to head and filled for ``deals`` deals (see the module docstring); the open
    deals are spread evenly over the pipeline stages, or narrowing like a funnel (``funnel``)."""
    at_stage = _FUNNEL if funnel else _EVEN
    started = time.perf_counter()
    migrate(path)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-1000000")
    contacts = max(deals // 4, 1)
    steps = (
        ("users", lambda: _users(connection, teams, per_team)),
        ("contacts", lambda: _contacts(connection, contacts)),
        ("leads", lambda: _leads(connection, deals, contacts)),
        ("deals and lines", lambda: _deals(connection, deals, contacts, at_stage)),
        ("stage history", lambda: _spans(connection, deals, at_stage)),
        ("interactions", lambda: _interactions(connection, deals)),
        ("tasks and refusals", lambda: _tasks_and_refusals(connection, deals)),
    )
    for label, step in steps:
        began = time.perf_counter()
        connection.execute("BEGIN")
        step()
        connection.execute("COMMIT")
        print(f"  {label}: {time.perf_counter() - began:.1f} s", flush=True)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA synchronous=FULL")
    connection.close()
    print(f"filled {deals:,} deals in {time.perf_counter() - started:.1f} s", flush=True)
