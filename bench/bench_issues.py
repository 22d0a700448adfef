"""Benchmark of issues-api's ledger: 100,000 issues; create, assign, and list (filtered, paginated).

Loads the issues in bulk, then drives the HTTP API in process (httpx over ASGI, no network) and prints p50,
p95 and requests per second for each operation. SQLite always; PostgreSQL as well when RECTIFY_TEST_PG_URL
is set or --pg-url is given (a scratch database is created and dropped).

    python bench/bench_issues.py [--count 100000] [--requests 300] [--pg-url postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from issues_api.directory.models import Unit
from issues_api.ledger.models import CoUnit, Issue
from issues_testing.ledger import START, LedgerWorld, migrated_ledger_world
from rectify_kit.testing import PG_ENV, backends

STATUSES = ["registered", "assigned", "returned", "in_progress", "pending_review", "closed", "cancelled"]
WEIGHTS = [5, 10, 2, 45, 8, 27, 3]
WORDS = ["审批", "收费", "窗口", "材料", "时限", "网办", "证照", "检查", "补贴", "备案", "评审", "资质"]
BATCH = 5000


async def add_units(world: LedgerWorld, count: int) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    async with world.database.session() as session:
        await session.execute(
            insert(Unit),
            [
                {
                    "id": uid,
                    "code": f"B-{n:03d}",
                    "name": f"单位{n}",
                    "kind": "department",
                    "active": True,
                    "created_at": START,
                    "updated_at": START,
                }
                for n, uid in enumerate(ids)
            ],
        )
    return [*world.units.values(), *ids]


def issue_row(n: int, units: list[str], campaign_id: str, rng: random.Random) -> dict[str, Any]:
    status = rng.choices(STATUSES, WEIGHTS)[0]
    created = START - timedelta(minutes=n)
    assigned = status != "registered"
    deadline = (date(2026, 6, 1) + timedelta(days=rng.randrange(400))) if assigned else None
    return {
        "id": str(uuid.uuid4()),
        "code": f"BENCH-{n:07d}",
        "campaign_id": campaign_id,
        "category_id": None,
        "kind": "problem",
        "source": rng.choice(["self_inspection", "inspection", "public", "assigned"]),
        "title": f"{rng.choice(WORDS)}{rng.choice(WORDS)}问题 {n}",
        "description": f"企业反映{rng.choice(WORDS)}环节{rng.choice(WORDS)}不规范，编号 {n}",
        "cause": None,
        "measures": None,
        "requirements": None,
        "lead_unit_id": rng.choice(units) if assigned else None,
        "city": None,
        "deadline": deadline,
        "original_deadline": deadline,
        "status": status,
        "progress_percent": 0,
        "reopen_count": 0,
        "return_count": 0,
        "flagged": False,
        "satisfaction": None,
        "rating": None,
        "created_at": created,
        "updated_at": created,
        "assigned_at": created if assigned else None,
        "accepted_at": None,
        "submitted_at": None,
        "closed_at": created if status == "closed" else None,
        "cancelled_at": None,
        "last_progress_at": None,
        "version": 1,
    }


async def load(world: LedgerWorld, count: int) -> list[str]:
    rng = random.Random(7)
    units = await add_units(world, 60)
    for start in range(0, count, BATCH):
        rows = [issue_row(n, units, world.campaign_id, rng) for n in range(start, min(count, start + BATCH))]
        co = [
            {"issue_id": r["id"], "unit_id": unit, "status": "pending", "position": 0}
            for r in rows
            if r["lead_unit_id"] and rng.random() < 0.3 and (unit := rng.choice(units)) != r["lead_unit_id"]
        ]
        async with world.database.session() as session:
            await session.execute(insert(Issue), rows)
            if co:
                await session.execute(insert(CoUnit), co)
    return units


async def analyze(world: LedgerWorld) -> None:
    async with world.database.engine.connect() as conn:
        await conn.exec_driver_sql("ANALYZE")
        await conn.commit()


async def measure(name: str, count: int, call: Callable[[int], Awaitable[None]]) -> dict[str, float]:
    latencies = []
    started = time.perf_counter()
    for i in range(count):
        t = time.perf_counter()
        await call(i)
        latencies.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return {"p50": statistics.median(latencies), "p95": quantiles[94], "rps": count / elapsed}


async def run(backend: str, count: int, requests: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        async with migrated_ledger_world(backend, Path(tmp)) as world:
            logging.getLogger("httpx").setLevel(logging.WARNING)
            t = time.perf_counter()
            units = await load(world, count)
            await analyze(world)
            print(f"[{backend}] loaded {count} issues in {time.perf_counter() - t:.1f}s", flush=True)
            office = world.headers("office")
            created: list[str] = []

            async def create(i: int) -> None:
                body = {
                    "campaign_id": world.campaign_id,
                    "title": f"新问题 {i}",
                    "description": "bench",
                    "source": "inspection",
                }
                response = await world.client.post("/api/v1/issues", json=body, headers=office)
                assert response.status_code == 201, response.text
                created.append(response.json()["id"])

            async def assign(i: int) -> None:
                body = {
                    "lead_unit_id": units[i % len(units)],
                    "co_unit_ids": [units[(i + 1) % len(units)]],
                    "deadline": "2027-06-30",
                }
                response = await world.client.post(f"/api/v1/issues/{created[i]}/assign", json=body, headers=office)
                assert response.status_code == 200, response.text

            cursors: dict[int, str | None] = {}

            async def list_page(i: int) -> None:
                params: dict[str, Any] = {
                    "status": "in_progress",
                    "unit_id": units[i % 10],
                    "limit": 20,
                    "sort": "-created_at",
                }
                if cursors.get(i % 10):
                    params["cursor"] = cursors[i % 10]
                response = await world.client.get("/api/v1/issues", params=params, headers=office)
                assert response.status_code == 200, response.text
                cursors[i % 10] = response.json()["next_cursor"]

            unit_headers = world.headers("unit", "A")

            async def list_as_unit(i: int) -> None:
                params: dict[str, str | int] = {"overdue": "true", "limit": 20, "sort": "deadline"}
                response = await world.client.get("/api/v1/issues", params=params, headers=unit_headers)
                assert response.status_code == 200, response.text

            return {
                "create": await measure("create", requests, create),
                "assign": await measure("assign", requests, assign),
                "list (status+unit, page 20)": await measure("list", requests, list_page),
                "list as unit (overdue)": await measure("list unit", requests, list_as_unit),
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    if args.pg_url:
        os.environ[PG_ENV] = args.pg_url
    for backend in backends():
        results = asyncio.run(run(backend, args.count, args.requests))
        print(f"\n{backend}: {args.count} issues, {args.requests} requests per operation (in process, 1 client)")
        print(f"  {'operation':<30} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
        for name, r in results.items():
            print(f"  {name:<30} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['rps']:>8.0f}")
    print(f"\nmeasured at {datetime.now(UTC).isoformat(timespec='seconds')}")


if __name__ == "__main__":
    main()
