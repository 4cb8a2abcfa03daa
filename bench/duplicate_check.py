"""R5c benchmark: the duplicate check stays an index lookup as the contact table grows.

Fills migrated SQLite files with 10k, 100k and 1M contacts, then times ``db.repo.contacts.find_duplicate``
(the query the form runs at each step and at save) for random probes, hits and misses, at each size.
The goal: p50 at 1M within 2× of p50 at 10k, which only index lookups can give.

    python -m bench.duplicate_check                    # 10k, 100k, 1M
    python -m bench.duplicate_check --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.fill import add_contacts, add_users, connect, migrate, percentile, person, sqlite_url, timed
from db.engine import create_engine, create_sessionmaker
from db.repo.contacts import ContactDraft, draft_keys, duplicate_query, find_duplicate
from domain.values import name_key


@dataclass
class Result:
    size: int
    fill_seconds: float
    hit_p50: float
    hit_p99: float
    miss_p50: float
    miss_p99: float
    all_p50: float
    all_p99: float


def _probes(size: int, count: int, seed: int) -> list[tuple[ContactDraft, bool]]:
    """Half hits (an existing contact's name and phone, with a new birth date and e-mail: a partial match,
    which is what a manager re-entering a known person types), half misses (all four fields new)."""
    rng = random.Random(seed)
    wanted = {rng.randrange(size) for _ in range(count)}
    fill_rng = random.Random(1)  # replays the fill to know existing people
    existing = [known for i in range(size) if (known := person(i, fill_rng)) and i in wanted]
    probes: list[tuple[ContactDraft, bool]] = []
    for n in range(count):
        if n % 2 == 0:
            known = existing[rng.randrange(len(existing))]
            draft = ContactDraft(name_key(known.full_name), known.phone, date(1949, 1, 1), "x@new.ru")
            probes.append((draft, True))
        else:
            fresh = person(size + 10_000_000 + n, rng)
            probes.append(
                (ContactDraft(name_key(fresh.full_name), fresh.phone, fresh.birth, fresh.email), False)
            )
    rng.shuffle(probes)
    return probes


async def _time_probes(path: Path, probes: list[tuple[ContactDraft, bool]]) -> dict[bool, list[float]]:
    engine = create_engine(sqlite_url(path))
    sessionmaker = create_sessionmaker(engine)
    timings: dict[bool, list[float]] = {True: [], False: []}
    async with sessionmaker() as session:
        for draft, _hit in probes[:50]:  # warm-up: connection, statement cache
            await find_duplicate(session, draft)
        for draft, hit in probes:
            started = time.perf_counter()
            found = await find_duplicate(session, draft)
            timings[hit].append((time.perf_counter() - started) * 1000)
            if (found is not None) != hit:
                raise AssertionError("a probe did not behave as planned")
    await engine.dispose()
    return timings


def query_plan(path: Path) -> list[str]:
    keys = draft_keys(
        ContactDraft("иван иванов", "+79123456789", person(0, random.Random(0)).birth, "a@b.ru")
    )
    statement = duplicate_query(keys).compile(compile_kwargs={"literal_binds": True})
    with sqlite3.connect(path) as connection:
        return [row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}")]


def run(size: int, directory: Path, probes: int) -> Result:
    path = directory / f"contacts_{size}.sqlite3"
    print(f"{size:>9,} contacts → {path}", flush=True)
    started = time.perf_counter()
    migrate(path)
    connection = connect(path)
    users = add_users(connection, 20)
    inserted = timed("bulk insert", add_contacts, connection, size, users)
    connection.close()
    fill_seconds = time.perf_counter() - started
    print(f"  {inserted:,} rows (R5 collisions of the random data skipped: {size - inserted})", flush=True)
    timings = asyncio.run(_time_probes(path, _probes(size, probes, seed=size)))
    every = timings[True] + timings[False]
    result = Result(
        size=size,
        fill_seconds=fill_seconds,
        hit_p50=percentile(timings[True], 0.5),
        hit_p99=percentile(timings[True], 0.99),
        miss_p50=percentile(timings[False], 0.5),
        miss_p99=percentile(timings[False], 0.99),
        all_p50=percentile(every, 0.5),
        all_p99=percentile(every, 0.99),
    )
    print(
        f"  find_duplicate, {len(every)} probes: p50 {result.all_p50:.3f} ms, p99 {result.all_p99:.3f} ms "
        f"(hits p50 {result.hit_p50:.3f}, misses p50 {result.miss_p50:.3f})",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated contact counts")
    parser.add_argument("--probes", type=int, default=2000, help="duplicate checks timed per size")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to put the SQLite files (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files")
    args = parser.parse_args()
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    with tempfile.TemporaryDirectory(prefix="crm-bench-", dir=args.dir) as tmp:
        directory = Path(tmp)
        results = [run(size, directory, args.probes) for size in sizes]
        print("\nEXPLAIN QUERY PLAN of the R5 check (all six pairs known):")
        for step in query_plan(directory / f"contacts_{sizes[-1]}.sqlite3"):
            print(f"  {step}")
        if args.keep:
            for result in results:
                kept = (args.dir or Path.cwd()) / f"contacts_{result.size}.sqlite3"
                (directory / f"contacts_{result.size}.sqlite3").replace(kept)
    print("\n| contacts | fill, s | p50, ms | p99, ms | hits p50 / p99, ms | misses p50 / p99, ms |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.size:,} | {r.fill_seconds:.1f} | {r.all_p50:.3f} | {r.all_p99:.3f} | "
            f"{r.hit_p50:.3f} / {r.hit_p99:.3f} | {r.miss_p50:.3f} / {r.miss_p99:.3f} |"
        )
    first, last = results[0], results[-1]
    print(
        f"\nratio {last.size:,} / {first.size:,}: p50 {last.all_p50 / first.all_p50:.2f}, "
        f"p99 {last.all_p99 / first.all_p99:.2f} (goal ≤ 2)"
    )


if __name__ == "__main__":
    main()
