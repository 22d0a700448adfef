"""Due timers seeded straight into notify-api's database, for the tests of schedulers racing over them."""

from __future__ import annotations

from datetime import date, timedelta

from notify_api.directory.models import User
from notify_api.escalations.models import Timer
from notify_api.issues.models import IssueState
from rectify_kit.clock import Clock
from rectify_kit.db import Database


async def seed_due_timers(database: Database, *, count: int, due: Clock, level: int = 1, step: str = "T+1") -> None:
    """`count` in-progress issues of unit A, each with one timer due (up to 6 minutes ago) at `level`."""
    async with database.session() as session:
        session.add(
            User(
                id="u-a",
                username="a",
                display_name="A",
                role="unit",
                unit_id="unit-a",
                email="a@example.gov.cn",
                active=True,
                digest_opt_in=False,
                locale="zh-CN",
            )
        )
        for i in range(count):
            issue_id = f"issue-{i:05d}"
            session.add(
                IssueState(
                    id=issue_id,
                    code=f"YS-{i}",
                    campaign_id="c",
                    title="t",
                    status="in_progress",
                    lead_unit_id="unit-a",
                    co_unit_ids=[],
                    deadline=date(2026, 9, 30),
                    deadline_version=1,
                    needs_replan=False,
                    last_seq=i,
                )
            )
            session.add(
                Timer(
                    dedupe_key=f"{issue_id}:{step}:d1",
                    issue_id=issue_id,
                    step=step,
                    version="d1",
                    level=level,
                    due_at=due.now() - timedelta(minutes=i % 7),
                    status="pending",
                    provisional=False,
                    recipients=["lead_unit"],
                    channels=["inbox", "email"],
                )
            )
