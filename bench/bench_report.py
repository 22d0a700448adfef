"""report-api at scale: read model versus plain GROUP BY, Excel export, rebuild equality.

    python bench/bench_report.py [--issues 1000000] [--export-rows 100000] [--rebuild-issues 100000]
                                 [--keep | --database URL]

Runs on PostgreSQL when RECTIFY_TEST_PG_URL is set (a scratch database, dropped afterwards), else SQLite.
`--keep` leaves the loaded database in place and prints its URL; `--database URL` times that database again without
loading it (a run of code before and after a change, alternately, on the same facts) and leaves it too. Drop a kept
PostgreSQL database when done (`DROP DATABASE ... WITH (FORCE)`).
1. Loads `--issues` facts (10 campaigns of 3 phases each, 60 units) straight into the read model and recomputes
   the rollups.
2. Times what the endpoints answer (summary with its per-phase breakdown, unit ranking, trend; all, one campaign,
   one phase) through the rollups, from the answers kept at the read model's position (figures/cache.py), and as
   a plain GROUP BY over the raw facts, side by side: p50/p95 wall time, CPU per request (this process and
   PostgreSQL's backends, steadier than wall time on a shared machine) and the ratio.
3. Exports one campaign (`--export-rows` rows) to Excel in a child process and prints time and peak RSS.
4. Builds `--rebuild-issues` generated issue histories incrementally and by a rebuild from 0; checks equality.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from wrk import cpu_seconds

from rectify_kit import migrations
from rectify_kit.db import Database
from rectify_kit.testing import create_pg_database, drop_pg_database, pg_admin_url
from rectify_kit.workdays import official_calendar
from report_api.__main__ import MIGRATIONS
from report_api.exports.ledger import write_ledger
from report_api.exports.repository import ledger_rows
from report_api.figures import service as figures
from report_api.figures.cache import FiguresCache
from report_api.figures.filters import ReportFilters
from report_api.readmodel import repository
from report_api.readmodel.projection import fact_values

TODAY = date(2026, 10, 9)
CAMPAIGNS = [str(uuid.UUID(int=1000 + i)) for i in range(10)]
UNITS = [str(uuid.UUID(int=2000 + i)) for i in range(60)]
CATEGORIES = [str(uuid.UUID(int=3000 + i)) for i in range(20)]
SOURCES = ("self_inspection", "inspection", "public", "assigned", "integration")
CITIES = [f"13{i:02d}00" for i in range(1, 12)]
PHASES = {c: [str(uuid.UUID(int=4000 + 10 * i + p)) for p in range(3)] for i, c in enumerate(CAMPAIGNS)}
RUNS = 30
# A question: (a read connection or session, through the rollups, cache) -> the answer
Ask = Callable[[Any, bool, FiguresCache | None], Awaitable[Any]]


def issue_state(rng: random.Random, index: int) -> dict[str, Any]:
    """The final state of one issue, shaped like the events' Issue."""
    created = date(2025, 1, 1) + timedelta(days=rng.randrange(640))
    lead = rng.choice(UNITS)
    deadline = created + timedelta(days=rng.randrange(10, 90))
    extended = deadline + timedelta(days=rng.randrange(5, 30)) if rng.random() < 0.15 else None
    roll = rng.random()  # a ledger of a few years: most issues closed, some open, few cancelled
    status = "closed" if roll < 0.85 else "cancelled" if roll < 0.88 else rng.choice(("assigned", "in_progress"))
    closed = created + timedelta(days=rng.randrange(3, 120))
    closed = min(closed, TODAY)
    return {
        "id": str(uuid.UUID(int=10**9 + index)), "code": f"B-{index:07d}", "campaign_id": CAMPAIGNS[index % 10],
        # a few issues of a ledger imported before the campaign had phases have none
        "phase_id": None if rng.random() < 0.05 else rng.choice(PHASES[CAMPAIGNS[index % 10]]),
        "category_id": rng.choice(CATEGORIES), "kind": "problem", "source": rng.choice(SOURCES),
        "title": f"问题 {index}", "cause": "原因说明", "measures": "整改措施", "lead_unit_id": lead,
        "co_unit_ids": rng.sample(UNITS, rng.randrange(3)), "city": rng.choice(CITIES),
        "deadline": (extended or deadline).isoformat(), "original_deadline": deadline.isoformat(),
        "deadline_history": [], "status": status, "progress_percent": 100 if status == "closed" else 50,
        "reopen_count": int(rng.random() < 0.05), "return_count": rng.choice((0, 0, 0, 1, 2)),
        "satisfaction": rng.choice((None, None, True, True, False)) if status == "closed" else None,
        "created_at": f"{created}T01:00:00+00:00", "assigned_at": f"{created}T03:00:00+00:00",
        "closed_at": f"{closed}T08:00:00+00:00" if status == "closed" else None,
        "cancelled_at": f"{closed}T08:00:00+00:00" if status == "cancelled" else None,
    }  # fmt: skip


async def write_batch(database: Database, facts: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """COPY on PostgreSQL (the loader is not what is measured), multi-row INSERT on SQLite."""
    async with database.session() as session:
        if not database.is_postgres:
            await session.execute(insert(repository.facts), facts)
            await session.execute(insert(repository.issue_units), units)
            return
        raw = (await (await session.connection()).get_raw_connection()).driver_connection
        assert raw is not None  # an open connection has its driver's
        for table, rows in ((repository.facts, facts), (repository.issue_units, units)):
            columns = [c.name for c in table.columns]
            json_columns = {"co_unit_ids", "deadline_history"}
            records = [tuple(json.dumps(row[c]) if c in json_columns else row[c] for c in columns) for row in rows]
            await raw.copy_records_to_table(table.name, records=records, columns=columns)


async def load(database: Database, count: int) -> float:
    rng = random.Random(1)
    started = time.perf_counter()
    calendar = official_calendar()
    names = [{"id": u, "code": f"U{i:02d}", "name": f"单位{i:02d}"} for i, u in enumerate(UNITS)]
    phases = [
        {"id": p, "campaign_id": c, "code": f"P{n}", "name": f"阶段{n}", "starts_on": date(2025, 1, 1) + timedelta(
            days=200 * n), "ends_on": date(2025, 1, 1) + timedelta(days=200 * n + 199), "position": n}
        for c, ids in PHASES.items() for n, p in enumerate(ids)
    ]  # fmt: skip
    async with database.session() as session:
        await session.execute(insert(repository.unit_names), names)
        await session.execute(insert(repository.phase_names), phases)
    batch: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    for index in range(count):
        state = issue_state(rng, index)
        fact = fact_values(state, calendar)
        fact.update(
            id=state["id"], last_seq=index + 1, reject_count=0, latest_progress=None, max_escalation_level=None,
            responsible_name=None, appeals=0,
        )  # fmt: skip
        batch.append(fact)
        lead = state["lead_unit_id"]
        units.append({"issue_id": state["id"], "unit_id": lead, "role": "lead"})
        units += [{"issue_id": state["id"], "unit_id": u, "role": "co"} for u in state["co_unit_ids"] if u != lead]
        if len(batch) == 10_000 or index == count - 1:
            await write_batch(database, batch, units)
            batch, units = [], []
    async with database.session() as session:
        await repository.recompute_rollups(session)
    if database.is_postgres:
        async with database.engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


async def timed(database: Database, question: Callable[[Any], Awaitable[Any]]) -> tuple[list[float], float]:
    """Wall milliseconds of each run, and the CPU milliseconds a run cost this process and PostgreSQL's backends."""
    samples = []
    cpu_before = await cpu_seconds_spent(database)
    for _ in range(RUNS):
        async with database.read_connection() as connection:  # what the endpoints read on
            started = time.perf_counter()
            await question(connection)
            samples.append((time.perf_counter() - started) * 1000)
    return samples, (await cpu_seconds_spent(database) - cpu_before) * 1000 / RUNS


async def cpu_seconds_spent(database: Database) -> float:
    """CPU seconds of this process and of the PostgreSQL backends connected to the bench's database so far: on a
    shared machine a steadier measure than wall time."""
    spent = cpu_seconds(os.getpid())
    if database.is_postgres:
        async with database.session(write=False) as session:
            query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            spent += sum(cpu_seconds(int(pid)) for pid in (await session.scalars(query)).all())
    return float(spent)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


async def compare(database: Database) -> None:
    everything, one = ReportFilters(), ReportFilters(campaign_id=CAMPAIGNS[0])
    phase = ReportFilters(campaign_id=CAMPAIGNS[0], phase_id=PHASES[CAMPAIGNS[0]][1])
    t = TODAY

    def summary(f: ReportFilters) -> Ask:
        return lambda s, r, c: figures.summary(s, f, today=t, with_province=False, use_rollups=r, cache=c)

    def units(f: ReportFilters) -> Ask:
        return lambda s, r, c: figures.unit_ranking(s, f, today=t, only_unit=None, use_rollups=r, cache=c)

    def trend(f: ReportFilters, granularity: str) -> Ask:
        return lambda s, r, c: figures.trend(s, f, granularity=granularity, today=t, use_rollups=r, cache=c)

    questions: list[tuple[str, Ask]] = [
        ("summary (all)", summary(everything)),
        ("summary (campaign, phases)", summary(one)),
        ("summary (phase)", summary(phase)),
        ("units (all)", units(everything)),
        ("units (campaign)", units(one)),
        ("units (phase)", units(phase)),
        ("trend weeks (all)", trend(everything, "week")),
        ("trend months (campaign)", trend(one, "month")),
        ("trend weeks (phase)", trend(phase, "week")),
    ]
    print("p50 / p95 wall ms, CPU ms per request (this process + PostgreSQL); cached: answers reused at one position")
    print(f"{'question':28} {'read model':>22} {'cached':>15} {'GROUP BY':>24} {'ratio p95':>10}")
    cache = FiguresCache()
    for name, ask in questions:
        fast, fast_cpu = await timed(database, lambda s, a=ask: a(s, True, None))  # type: ignore[misc]
        async with database.read_connection() as connection:
            await ask(connection, True, cache)  # the first answer at this position is computed and kept
        hits, _ = await timed(database, lambda s, a=ask: a(s, True, cache))  # type: ignore[misc]
        plain, plain_cpu = await timed(database, lambda s, a=ask: a(s, False, None))  # type: ignore[misc]
        async with database.read_connection() as connection:
            answers = [
                await ask(connection, True, None),
                await ask(connection, True, cache),
                await ask(connection, False, None),
            ]
            assert answers[0] == answers[1] == answers[2], f"{name}: answers differ"
        print(
            f"{name:28} {statistics.median(fast):6.1f} / {p95(fast):6.1f}, {fast_cpu:5.1f} "
            f"{statistics.median(hits):6.1f} / {p95(hits):6.1f} "
            f"{statistics.median(plain):7.1f} / {p95(plain):7.1f}, {plain_cpu:6.1f} {p95(plain) / p95(fast):9.1f}x"
        )


async def export_child(url: str, campaign: str, out: str) -> None:
    database = Database(url)
    started = time.perf_counter()
    async with database.snapshot() as session:  # the rows stream through a server-side cursor
        names = {u: f"单位{i:02d}" for i, u in enumerate(UNITS)}
        rows = await write_ledger(
            ledger_rows(session, ReportFilters(campaign_id=campaign), split=None),
            Path(out),
            lang="zh",
            units=names,
            split=None,
        )
    elapsed = time.perf_counter() - started
    await database.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rows} {elapsed:.2f} {peak:.0f}")


def export(url: str, rows: int) -> None:
    campaign = CAMPAIGNS[0]
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "ledger.xlsx")
        result = subprocess.run(
            [sys.executable, __file__, "--export-child", url, campaign, out], capture_output=True, text=True, check=True
        )
        size = Path(out).stat().st_size
    written, seconds, peak = result.stdout.split()[-3:]
    print(f"excel export: {written} rows in {float(seconds):.1f} s, peak RSS {peak} MB (whole process), "
          f"{size / 1e6:.1f} MB file")  # fmt: skip
    if int(written) < rows:
        print(f"  (campaign held {written} rows; load at least {rows * 10} issues for {rows})")


async def rebuild_check(database: Database, count: int) -> None:
    from report_testing.history import generated
    from report_testing.rebuild import apply_incrementally, read_model, rebuild

    started = time.perf_counter()
    issues, escalations = generated(count)
    print(f"rebuild check: {count} issues, {len(issues.events)} + {len(escalations.events)} events generated in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    async with database.session() as session:
        await repository.clear(session)
    started = time.perf_counter()
    await apply_incrementally(database, issues, escalations, max_page=500)
    incremental_s = time.perf_counter() - started
    before = await read_model(database)
    started = time.perf_counter()
    await rebuild(database, issues, escalations)
    rebuild_s = time.perf_counter() - started
    after = await read_model(database)
    assert after == before, "rebuilt read model differs from the incremental one"
    print(f"  incremental {incremental_s:.0f} s, rebuild {rebuild_s:.0f} s: read models equal "
          f"({len(after['report_issues'])} facts, {len(after['report_rollup_daily'])} daily rollup rows)")  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    scratch = tempfile.TemporaryDirectory()
    if args.database:
        url = args.database
    elif pg_admin_url():
        url = await create_pg_database("report_bench")
    else:
        folder = tempfile.mkdtemp(prefix="report_bench_") if args.keep else scratch.name
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
    keep = args.keep or args.database is not None
    print(f"backend: {'sqlite' if url.startswith('sqlite') else 'postgresql'}; {args.issues} issues")
    if args.database is None:
        migrations.upgrade(MIGRATIONS, url)
    database = Database(url)
    try:
        if args.issues:
            if args.database is None:
                print(f"loaded in {await load(database, args.issues):.0f} s")
            await compare(database)
            if args.export_rows:
                export(url, args.export_rows)
        if args.rebuild_issues:
            await rebuild_check(database, args.rebuild_issues)
    finally:
        await database.dispose()
        if keep:
            print(f"kept: --database {url}")
        elif pg_admin_url():
            await drop_pg_database(url)
        scratch.cleanup()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--export-child":
        asyncio.run(export_child(*sys.argv[2:]))
        sys.exit(0)
    parser = argparse.ArgumentParser()
    parser.add_argument("--issues", type=int, default=int(os.environ.get("REPORT_BENCH_ISSUES", 1_000_000)))
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--rebuild-issues", type=int, default=100_000)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", action="store_true", help="leave the loaded database and print its URL")
    where.add_argument("--database", help="time this database, loaded by a --keep run, without loading it")
    parsed = parser.parse_args()
    if (parsed.keep or parsed.database) and parsed.rebuild_issues:
        parser.error("the rebuild check empties the read model: add --rebuild-issues 0 to --keep or --database")
    asyncio.run(main(parsed))
