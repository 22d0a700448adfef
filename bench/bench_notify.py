"""Benchmark of notify-api's scheduler: plan timers for 100,000 open issues, then fire 10,000 due at once.

Loads the directory and 100,000 open issues (state as the issues feed leaves it) in bulk, plans every
issue's timers with the default policy on the official calendar (`replan_many`, as the scheduler re-plans
flagged issues), then makes one step of 10,000 issues due at the same moment and runs one scheduler tick:
each firing records the escalation, appends `escalation.fired` to notify-api's feed, writes the inbox rows
and queues the e-mails. Prints plans/s, firings/s and whether the target holds: every escalation recorded
within 60 s of its due time. SQLite always; PostgreSQL too when RECTIFY_TEST_PG_URL is set or --pg-url is
given (a scratch database is created and dropped).

    python bench/bench_notify.py [--issues 100000] [--due 10000] [--pg-url postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from notify_api.__main__ import MIGRATIONS
from notify_api.calendar import service as calendar_service
from notify_api.calendar.quiet import QuietHours
from notify_api.directory.models import User
from notify_api.escalations.models import Escalation, Timer
from notify_api.escalations.plans import replan_many
from notify_api.issues.models import IssueState
from notify_api.policies.schemas import DEFAULT_POLICY
from notify_api.scheduler import Scheduler
from rectify_kit import migrations
from rectify_kit.clock import BUSINESS_TZ, FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import create_pg_database, drop_pg_database, pg_admin_url

TARGET_SECONDS = 60.0
UNITS = 40
PLAN_BATCH = 1000
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=BUSINESS_TZ).astimezone(UTC)


async def load(database: Database, *, issues: int) -> None:
    """Units' staff, the office and leaders; open issues with deadlines over the coming months."""
    rng = random.Random(7)
    users = [
        {
            "id": f"u-{u}",
            "username": f"u{u}",
            "display_name": f"U{u}",
            "role": "unit",
            "unit_id": f"unit-{u}",
            "email": f"u{u}@example.gov.cn",
            "phone": None,
            "active": True,
            "digest_opt_in": False,
            "locale": "zh-CN",
        }
        for u in range(UNITS)
    ]
    users.append(
        {
            "id": "office",
            "username": "office",
            "display_name": "O",
            "role": "office",
            "unit_id": None,
            "email": "office@example.gov.cn",
            "phone": None,
            "active": True,
            "digest_opt_in": False,
            "locale": "zh-CN",
        }
    )
    async with database.session() as session:
        await session.execute(insert(User), users)
        await calendar_service.seed(session, clock=FixedClock(NOW))
        for start in range(0, issues, 5000):
            rows = []
            for i in range(start, min(start + 5000, issues)):
                lead = rng.randrange(UNITS)
                rows.append(
                    {
                        "id": f"issue-{i:06d}",
                        "code": f"YS-2026-{i:06d}",
                        "campaign_id": "campaign",
                        "title": "问题",
                        "status": "in_progress",
                        "lead_unit_id": f"unit-{lead}",
                        "co_unit_ids": [f"unit-{(lead + 1) % UNITS}"],
                        "deadline": date(2026, 11, 16) + timedelta(days=rng.randrange(120)),
                        "deadline_version": 1,
                        "reopen_count": 0,
                        "assigned_at": NOW - timedelta(days=3),
                        "accepted_at": NOW - timedelta(days=2),
                        "submitted_at": None,
                        "last_progress_at": NOW - timedelta(days=1),
                        "needs_replan": False,
                        "last_seq": i,
                    }
                )
            await session.execute(insert(IssueState), rows)


async def plan_all(database: Database, *, issues: int) -> float:
    """Plan every issue's timers in batches; returns the seconds taken."""
    started = time.perf_counter()
    async with database.session(write=False) as session:
        calendar = await calendar_service.load(session)
    for offset in range(0, issues, PLAN_BATCH):
        async with database.session() as session:
            query = select(IssueState).order_by(IssueState.id).offset(offset).limit(PLAN_BATCH)
            batch = list((await session.execute(query)).scalars())
            await replan_many(
                session, issues=batch, policies={"campaign": DEFAULT_POLICY}, calendar=calendar, now=NOW, fire_hour=9
            )
    return time.perf_counter() - started


async def make_due(database: Database, *, due: int) -> None:
    """One step (T-3) of `due` issues falls due at NOW, all at once."""
    async with database.session() as session:
        ids = (await session.execute(select(IssueState.id).order_by(IssueState.id).limit(due))).scalars().all()
        for start in range(0, len(ids), 500):
            await session.execute(
                update(Timer)
                .where(Timer.issue_id.in_(ids[start : start + 500]), Timer.step == "T-3")
                .values(due_at=NOW)
            )


async def run(url: str, *, issues: int, due: int, label: str) -> None:
    migrations.upgrade(MIGRATIONS, url)
    database = Database(url)
    try:
        await load(database, issues=issues)
        plan_seconds = await plan_all(database, issues=issues)
        async with database.session(write=False) as session:
            timers = (await session.execute(select(func.count()).select_from(Timer))).scalar_one()
        await make_due(database, due=due)
        scheduler = Scheduler(database=database, clock=FixedClock(NOW), quiet=QuietHours(), fire_hour=9, batch_size=500)
        started = time.perf_counter()
        result = await scheduler.tick()
        fire_seconds = time.perf_counter() - started
        async with database.session(write=False) as session:
            fired = (await session.execute(select(func.count()).select_from(Escalation))).scalar_one()
        print(
            f"[{label}] planned {timers:,} timers for {issues:,} open issues in {plan_seconds:.1f} s "
            f"= {issues / plan_seconds:,.0f} issues/s ({timers / plan_seconds:,.0f} timers/s)"
        )
        print(
            f"[{label}] fired {fired:,} escalations due at once in {fire_seconds:.1f} s "
            f"= {result.fired / fire_seconds:,.0f} firings/s (inbox rows and e-mails queued in the same transactions)"
        )
        verdict = "holds" if fired == due and fire_seconds <= TARGET_SECONDS else "MISSED"
        print(
            f"[{label}] target: the last of {due:,} simultaneous escalations recorded within "
            f"{TARGET_SECONDS:.0f} s of its due time: {verdict} ({fire_seconds:.1f} s)"
        )
    finally:
        await database.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'notify-bench.db'}"
        await run(url, issues=args.issues, due=args.due, label="sqlite")
    if args.pg_url:
        os.environ["RECTIFY_TEST_PG_URL"] = args.pg_url
    if pg_admin_url():
        pg = await create_pg_database("notify_bench")
        try:
            await run(pg, issues=args.issues, due=args.due, label="postgresql")
        finally:
            await drop_pg_database(pg)


if __name__ == "__main__":
    asyncio.run(main())
