"""Database size per issue: the `make run` stack on PostgreSQL with a generated demo ledger, then every table's
`pg_total_relation_size` (rows, indexes, TOAST) in each service's database, per issue and per million issues.

Starts the stack (three scratch databases, migrated, the demo campaign with `--items` generated issues in every
status of the workflow, each with its steps as events, and public submissions),
waits until notify-api and report-api have read the whole feed, runs VACUUM ANALYZE so that the sizes are those
of settled tables, and prints the bytes per issue of each database and of its largest tables. A million issues
is the per-issue figure times a million: the demo's mix of statuses and events per issue is what it assumes.

    python bench/bench_size.py [--items 3000] [--pg-url postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from rectify_kit import testing
from rectify_stack import running_stack

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
SIZES = """
SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes, c.reltuples::bigint AS rows
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
ORDER BY bytes DESC
"""


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def sizes(url: str) -> tuple[int, list[tuple[str, int, int]]]:
    """(the database's size, each table's (name, bytes, rows)) after VACUUM ANALYZE."""
    connection = await asyncpg.connect(_dsn(url))
    try:
        await connection.execute("VACUUM ANALYZE")
        total = int(await connection.fetchval("SELECT pg_database_size(current_database())"))
        tables = [(r["name"], int(r["bytes"]), int(r["rows"])) for r in await connection.fetch(SIZES)]
    finally:
        await connection.close()
    return total, tables


async def count(url: str, table: str) -> int:
    connection = await asyncpg.connect(_dsn(url))
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608 - our own table names
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3000, help="generated demo issues (at most 5000)")
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    os.environ[testing.PG_ENV] = args.pg_url or testing.pg_admin_url() or DEFAULT_PG
    urls = {n: asyncio.run(testing.create_pg_database(f"rectify_size_{n}")) for n in ("issues", "notify", "report")}
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            started = time.perf_counter()
            settings = {"ISSUES_DEMO_ITEMS": str(args.items)}
            with running_stack(Path(var_dir), database_urls=urls, settings=settings):
                print(f"stack up, demo loaded and read by both consumers in {time.perf_counter() - started:.0f} s")
                issues = asyncio.run(count(urls["issues"], "issues"))
                events = asyncio.run(count(urls["issues"], "events"))
                measured = {name: asyncio.run(sizes(url)) for name, url in urls.items()}
    finally:
        for url in urls.values():
            asyncio.run(testing.drop_pg_database(url))
    print(f"{issues:,} issues, {events:,} events ({events / issues:.1f} per issue)")
    whole = 0.0
    for name, (total, tables) in measured.items():
        table_bytes = sum(b for _, b, _ in tables)
        whole += table_bytes / issues
        print(
            f"{name}: database {total / 1e6:.1f} MB, tables {table_bytes / 1e6:.1f} MB, "
            f"{table_bytes / issues:,.0f} bytes per issue, {table_bytes / issues * 1e6 / 1e9:.1f} GB per million issues"
        )
        for table, size, rows in tables[:6]:
            print(f"    {table:<28} {size / 1e6:8.2f} MB  {rows:>9,} rows  {size / issues:>8,.0f} bytes per issue")
    print(
        f"all three: {whole:,.0f} bytes per issue, {whole * 1e6 / 1e9:.1f} GB per million issues (tables and indexes)"
    )


if __name__ == "__main__":
    main()
