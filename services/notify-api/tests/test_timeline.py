"""Time travel: an issue assigned before National Day 2026 walks past T+5 working days; exactly which
messages go to whom on which channel, and how an extension, a closure and a reopening change the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select

from notify_api.config import Settings, SmtpSettings
from notify_api.escalations.models import Escalation, Timer
from notify_api.main import create_app
from notify_api.notifications.models import Notification
from notify_testing.world import Mailbox, World, issue, local
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory, share_routes

# On both backends: a tick claims due timers (FOR UPDATE SKIP LOCKED on PostgreSQL) and numbers notices (an upsert
# of each dialect).
pytestmark = pytest.mark.both_backends

DEADLINE = date(2026, 9, 30)
UNITS = {"u-a", "u-b"}


@pytest.fixture
async def mail_app(
    database_url: str, tmp_path: Path, clock: FixedClock, tokens: TokenFactory, smtp_server: tuple[Mailbox, int]
) -> Any:
    settings = Settings(
        database_url=database_url,
        var_dir=tmp_path,
        background=False,
        log_json=False,
        smtp=SmtpSettings(host="127.0.0.1", port=smtp_server[1], sender="rectify@example.gov.cn"),
    )
    application = share_routes(create_app(settings, clock=clock))
    application.state.token_verifier = tokens.verifier()
    async with LifespanManager(application):
        yield application


class Walk:
    def __init__(self, app: FastAPI, world: World, mailbox: Mailbox) -> None:
        self.app, self.world, self.mailbox = app, world, mailbox
        self.seen: set[str] = set()
        self.mails_seen = 0

    @property
    def database(self) -> Database:
        database: Database = self.app.state.database
        return database

    async def at(self, moment: datetime) -> tuple[set[tuple[str, str, int | None]], set[tuple[str, str]]]:
        """Travel to `moment`, run the scheduler and the deliveries; the new inbox rows and e-mails."""
        self.world.clock.set(moment.astimezone(UTC))
        await self.world.tick()
        return await self.flush()

    async def flush(self) -> tuple[set[tuple[str, str, int | None]], set[tuple[str, str]]]:
        while await self.world.runtime.worker.run_once():
            pass
        async with self.database.session(write=False) as session:
            rows = (await session.execute(select(Notification))).scalars().all()
        new = {(n.user_id, n.kind, n.level) for n in rows if n.id not in self.seen}
        self.seen |= {n.id for n in rows}
        mails = {
            (to[0], subject.split("】")[0].lstrip("【[").split("]")[0])
            for to, subject, _ in self.mailbox.messages[self.mails_seen :]
        }
        self.mails_seen = len(self.mailbox.messages)
        return new, mails

    async def pending(self) -> list[tuple[str, datetime]]:
        async with self.database.session(write=False) as session:
            rows = (await session.execute(select(Timer).where(Timer.status == "pending"))).scalars().all()
        return sorted((t.step, t.due_at) for t in rows)


def mail(user_id: str) -> str:
    return f"{user_id}@example.gov.cn"


@pytest.fixture
async def walk(mail_app: FastAPI, clock: FixedClock, tokens: TokenFactory, smtp_server: tuple[Mailbox, int]) -> Walk:
    world = World(mail_app, clock, tokens)
    await world.directory()
    return Walk(mail_app, world, smtp_server[0])


async def assign(walk: Walk, deadline: date = DEADLINE) -> None:
    walk.world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
    await walk.world.feed(
        "issue.assigned", "issue-1", {"issue": issue(deadline=deadline, assigned_at=walk.world.clock.now())}
    )


async def accept(walk: Walk, deadline: date = DEADLINE) -> None:
    walk.world.clock.set(local(2026, 9, 23, 10).astimezone(UTC))
    now = walk.world.clock.now()
    body = issue(
        status="in_progress", deadline=deadline, assigned_at=local(2026, 9, 22, 10), accepted_at=now.isoformat()
    )
    await walk.world.feed("issue.accepted", "issue-1", {"issue": body})


def esc(users: set[str], level: int) -> set[tuple[str, str, int | None]]:
    return {(u, "escalation", level) for u in users}


class TestWalkPastNationalDay:
    async def test_messages_by_day_channel_and_recipient(self, walk: Walk) -> None:
        await assign(walk)
        inbox, mails = await walk.flush()
        assert inbox == {("u-a", "assigned", None), ("u-b", "assigned", None)}
        assert mails == {(mail("u-a"), "交办通知"), (mail("u-b"), "Assignment")}  # u-b reads English
        await accept(walk)
        assert await walk.flush() == (set(), set())

        assert await walk.at(local(2026, 9, 24, 8, 59)) == (set(), set())
        inbox, mails = await walk.at(local(2026, 9, 24, 9))  # T-3 working days
        assert inbox == esc(UNITS, 0)
        assert mails == {(mail("u-a"), "临近提醒"), (mail("u-b"), "Reminder")}
        assert (await walk.at(local(2026, 9, 28, 9)))[0] == set()
        assert (await walk.at(local(2026, 9, 29, 9)))[0] == esc(UNITS, 0)  # T-1
        for day in range(1, 8):  # National Day: nothing fires
            assert await walk.at(local(2026, 10, day, 9)) == (set(), set())
        inbox, mails = await walk.at(local(2026, 10, 8, 9))  # T+1: the first working day after
        assert inbox == esc(UNITS, 1)
        assert mails == {(mail("u-a"), "催办"), (mail("u-b"), "Urge")}
        assert (await walk.at(local(2026, 10, 9, 9)))[0] == set()
        inbox, mails = await walk.at(local(2026, 10, 10, 9))  # T+3 on the make-up Saturday
        assert inbox == esc({*UNITS, "u-office"}, 2)
        assert mails == {(mail("u-a"), "督办"), (mail("u-b"), "Supervision notice"), (mail("u-office"), "督办")}
        assert (await walk.at(local(2026, 10, 12, 9)))[0] == set()
        inbox, _ = await walk.at(local(2026, 10, 13, 9))  # T+5
        assert inbox == esc({*UNITS, "u-office", "u-leader"}, 3)

        async with walk.database.session(write=False) as session:
            fired = (await session.execute(select(Escalation).order_by(Escalation.fired_at))).scalars().all()
        assert [(e.step, e.level, e.number) for e in fired] == [
            ("T-3", 0, None),
            ("T-1", 0, None),
            ("T+1", 1, None),
            ("T+3", 2, "督〔2026〕1号"),
            ("T+5", 3, "督〔2026〕2号"),
        ]
        assert [s for s, _ in await walk.pending()] == ["T+10", "no-progress"]

    async def test_approved_extension_moves_the_plan(self, walk: Walk) -> None:
        await assign(walk)
        await accept(walk)
        await walk.flush()
        walk.world.clock.set(local(2026, 9, 28, 15).astimezone(UTC))
        extended = date(2026, 10, 16)
        body = issue(
            status="in_progress",
            deadline=extended,
            assigned_at=local(2026, 9, 22, 10),
            accepted_at=local(2026, 9, 23, 10).isoformat(),
        )
        extension = {
            "id": "x1",
            "new_deadline": extended.isoformat(),
            "reason": "r",
            "status": "approved",
            "decided_at": walk.world.clock.now().isoformat(),
            "comment": None,
        }
        await walk.world.feed("issue.extension_decided", "issue-1", {"issue": body, "extension": extension})
        inbox, mails = await walk.flush()
        assert inbox == {("u-a", "extension_decided", None)}
        assert mails == {(mail("u-a"), "延期审批")}
        pending = dict(await walk.pending())
        assert pending["T-3"] == local(2026, 10, 13, 9)
        assert pending["T-1"] == local(2026, 10, 15, 9)
        assert pending["T+1"] == local(2026, 10, 19, 9)
        assert (await walk.at(local(2026, 9, 29, 9)))[0] == set()
        assert (await walk.at(local(2026, 10, 8, 9)))[0] == set()
        assert (await walk.at(local(2026, 10, 13, 9)))[0] == esc(UNITS, 0)

    async def test_closure_removes_and_reopen_brings_back_only_the_highest_step(self, walk: Walk) -> None:
        await assign(walk)
        await accept(walk)
        await walk.flush()
        walk.world.clock.set(local(2026, 9, 30, 16).astimezone(UTC))
        closed = issue(status="closed", deadline=DEADLINE, assigned_at=local(2026, 9, 22, 10))
        await walk.world.feed("issue.closed", "issue-1", {"issue": closed, "comment": None})
        assert await walk.pending() == []
        assert (await walk.at(local(2026, 10, 8, 9)))[0] == set()
        assert (await walk.at(local(2026, 10, 14, 9)))[0] == set()

        reopened = issue(status="in_progress", deadline=DEADLINE, assigned_at=local(2026, 9, 22, 10), reopen_count=1)
        await walk.world.feed("issue.reopened", "issue-1", {"issue": reopened, "reason": "复查未通过"})
        inbox, _ = await walk.flush()
        assert inbox == {("u-a", "reopened", None), ("u-b", "reopened", None)}
        # Past T+5 already: only the highest step reached fires, once; T+10 still waits.
        inbox, _ = await walk.at(local(2026, 10, 14, 9, 5))
        assert inbox == esc({*UNITS, "u-office", "u-leader"}, 3)
        assert [s for s, _ in await walk.pending()] == ["T+10"]
        assert (await walk.at(local(2026, 10, 15, 9)))[0] == set()
