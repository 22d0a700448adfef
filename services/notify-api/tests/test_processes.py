"""notify-api as real processes on one database, mailing a real SMTP server on loopback: two replicas fire
and deliver 400 due steps (20 batches each way) exactly once; a process SIGKILLed while firing, or while
delivering, then restarted, loses nothing and sends nothing twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from notify_api.delivery.models import Delivery, DeliveryAttempt
from notify_api.escalations.models import Escalation
from notify_api.notifications.models import Notification
from notify_api.outbox import events
from notify_testing.timers import seed_due_timers
from notify_testing.world import Mailbox, smtp_on_loopback, wait_until
from rectify_kit.clock import SystemClock
from rectify_kit.db import Database
from rectify_kit.outbox import verify_chain
from rectify_kit.testing import ForkedProcess, Zygote, free_port, wait_healthy

# On both backends: real processes share one database, with each dialect's locking.
pytestmark = pytest.mark.both_backends

# T+10 is the accountability step (level 4): loud enough to pass quiet hours and non-working days, so the
# test means the same whenever it runs, and not a numbered notice, so firing it plans no further step.
STEP, LEVEL = "T+10", 4


class GatedMailbox(Mailbox):
    """Accepts `allowed` messages, then holds every further one unanswered until `open()`.

    A held message is only kept if the gate opens while its sender is still connected: when the sender
    dies, aiosmtpd cancels the handler, and the message was never accepted (no `250`), as on a real relay.
    """

    def __init__(self, allowed: int | None = None) -> None:
        super().__init__()
        self.allowed = allowed
        self.held = 0
        self._open = threading.Event()

    def open(self) -> None:
        self._open.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.allowed is not None and len(self.messages) >= self.allowed:
            self.held += 1
            try:
                while not self._open.is_set():  # noqa: ASYNC110 - the gate is opened from the test's thread
                    await asyncio.sleep(0.01)
            finally:
                self.held -= 1
        return await super().handle_DATA(server, session, envelope)

    def message_ids(self) -> Counter[str]:
        return Counter(message_id for _, _, message_id in self.messages)


@pytest.fixture
def mailbox() -> Iterator[tuple[GatedMailbox, int]]:
    box = GatedMailbox()
    with smtp_on_loopback(box) as port:
        try:
            yield box, port
        finally:
            box.open()  # let held handlers finish before the server stops


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    """The module's 12 replicas are forked from one process that imported notify-api once: each started as a
    fresh interpreter, their imports were some 20 of this module's 75 s of CPU."""
    forks = Zygote(["notify_api.__main__", "notify_api.main"])
    try:
        yield forks
    finally:
        forks.close()


class Replicas:
    """`python -m notify_api serve` processes sharing one database, each with its own port and log."""

    def __init__(self, zygote: Zygote, database_url: str, smtp_port: int, var_dir: Path) -> None:
        self.zygote = zygote
        self.var_dir = var_dir
        nowhere = f"http://127.0.0.1:{free_port()}"  # no issues-api: the timers are seeded directly
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("NOTIFY_")},
            "NOTIFY_DATABASE_URL": database_url,
            "NOTIFY_VAR_DIR": str(var_dir),
            "NOTIFY_ISSUES_URL": nowhere,
            "NOTIFY_AUTH__JWKS_URL": f"{nowhere}/.well-known/jwks.json",
            "NOTIFY_SMTP__HOST": "127.0.0.1",
            "NOTIFY_SMTP__PORT": str(smtp_port),
            "NOTIFY_SCHEDULER_INTERVAL_SECONDS": "0.2",
            "NOTIFY_SCHEDULER_BATCH_SIZE": "20",
            "NOTIFY_DELIVERY__BATCH_SIZE": "20",
            "NOTIFY_DELIVERY__LEASE_SECONDS": "3",
        }
        self.processes: list[tuple[ForkedProcess, str]] = []

    def start(self, **settings: str) -> tuple[ForkedProcess, str]:
        """Start one more process; `settings` override the environment (`NOTIFY_` names, e.g. a batch size)."""
        port = free_port()
        process = self.zygote.start(
            "notify_api",
            ["serve"],
            env={**self.env, **settings, "NOTIFY_PORT": str(port)},
            log=self.var_dir / f"notify-{len(self.processes)}.log",
        )
        url = f"http://127.0.0.1:{port}"
        self.processes.append((process, url))
        wait_healthy(url, process)
        return process, url

    def stop(self) -> None:
        for process, _ in self.processes:
            process.terminate()
        for process, _ in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


LONG_LEASE = {"NOTIFY_DELIVERY__LEASE_SECONDS": "120"}


@pytest.fixture
def replicas(
    zygote: Zygote, database_url: str, mailbox: tuple[GatedMailbox, int], tmp_path: Path
) -> Iterator[Replicas]:
    group = Replicas(zygote, database_url, mailbox[1], tmp_path)
    try:
        yield group
    finally:
        group.stop()


def work_done(url: str) -> dict[str, float]:
    """The process's own counters: timers taken, e-mails sent."""
    text = httpx.get(f"{url}/metrics", timeout=5).text
    found = {"timers": 0.0, "sent": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "notify_timers_taken_total":
                found["timers"] += sample.value
            elif sample.name == "notify_delivery_attempts_total" and sample.labels.get("outcome") == "sent":
                found["sent"] += sample.value
    return found


async def escalation_count(database: Database) -> int:
    async with database.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(Escalation))).scalar_one())


async def sent_count(database: Database) -> int:
    async with database.session(write=False) as session:
        query = select(func.count()).select_from(Delivery).where(Delivery.status == "sent")
        return int((await session.execute(query)).scalar_one())


async def assert_each_step_once(database: Database, box: GatedMailbox, due: int) -> None:
    """One escalation, one inbox row, one e-mail and one sending attempt per due step; nothing else."""
    async with database.session(write=False) as session:
        keys = (await session.execute(select(Escalation.dedupe_key))).scalars().all()
        notified = (await session.execute(select(Notification.dedupe_key))).scalars().all()
        deliveries = (await session.execute(select(Delivery.id, Delivery.status))).all()
        attempts = (await session.execute(select(DeliveryAttempt.delivery_id))).scalars().all()
        chain = await verify_chain(session, events)
    assert len(keys) == len(set(keys)) == due
    assert len(notified) == len(set(notified)) == due
    assert Counter(status for _, status in deliveries) == {"sent": due}
    assert sorted(Counter(attempts).values()) == [1] * due
    assert chain.ok
    assert chain.checked == due
    received = box.message_ids()
    assert len(box.messages) == due
    assert set(received.values()) == {1}
    assert set(received) == {f"<{delivery_id}@rectify>" for delivery_id, _ in deliveries}


async def all_delivered_once(database: Database, box: GatedMailbox, due: int) -> None:
    """Wait until every due step's mail went out, give late duplicates a second to show, then check."""

    async def all_sent() -> bool:
        return len(box.messages) >= due and await sent_count(database) == due

    await wait_until(all_sent, within=120)
    await asyncio.sleep(1.0)  # several more ticks of every loop: a late duplicate would show now
    await assert_each_step_once(database, box, due)


def kill(process: ForkedProcess) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL


async def open_after_drops(box: GatedMailbox) -> None:
    """Once the dead sender's unanswered messages are dropped (aiosmtpd cancels them), accept all mail."""

    async def connections_dropped() -> bool:
        return box.held == 0

    await wait_until(connections_dropped)
    box.open()


async def test_two_processes_deliver_every_due_step_exactly_once(
    database_url: str, mailbox: tuple[GatedMailbox, int], replicas: Replicas
) -> None:
    box, _ = mailbox
    due = 400  # 20 batches of 20: enough for both replicas to claim side by side, each step costs a real mail
    # No process dies here, so no lease need run out: the kill tests' 3 s lease would let the other replica
    # take over and resend a batch that a loaded machine is still sending.
    urls = [replicas.start(**LONG_LEASE)[1], replicas.start(**LONG_LEASE)[1]]
    database = Database(database_url)
    try:
        # Seeded once both are up, so that both find the whole batch due at the same moment.
        await seed_due_timers(database, count=due, due=SystemClock(), level=LEVEL, step=STEP)
        await all_delivered_once(database, box, due)
        postgres = database.is_postgres
    finally:
        await database.dispose()
    work = [work_done(url) for url in urls]
    assert sum(w["timers"] for w in work) == due
    assert sum(w["sent"] for w in work) == due
    if postgres:
        # Both replicas took part, claiming side by side with SKIP LOCKED. (SQLite, the embedded
        # single-process database, serialises writers, and one process may take every batch.)
        assert all(w["timers"] > 0 and w["sent"] > 0 for w in work), work


async def test_process_killed_while_delivering_restarts_with_nothing_lost_or_twice(
    database_url: str, mailbox: tuple[GatedMailbox, int], replicas: Replicas
) -> None:
    box, _ = mailbox
    due, accepted = 120, 50  # the first process dies inside its third batch of 20
    box.allowed = accepted
    first, _ = replicas.start()
    database = Database(database_url)
    try:
        await seed_due_timers(database, count=due, due=SystemClock(), level=LEVEL, step=STEP)

        async def stuck_in_flight() -> bool:
            # Every accepted message recorded as sent, the next ones sent but unanswered. (Killed in the
            # instant between a relay's `250` and our record, a message goes again, with the same Message-ID
            # for the receiver to drop: at-least-once is all SMTP allows.)
            return len(box.messages) == accepted and box.held > 0 and await sent_count(database) == accepted

        await wait_until(stuck_in_flight, within=60)
        kill(first)
        await open_after_drops(box)
        assert len(box.messages) == accepted  # the unanswered ones died with their sender
        replicas.start()  # takes over once the dead process's leases run out (3 s)
        await all_delivered_once(database, box, due)
    finally:
        await database.dispose()


async def test_process_killed_while_firing_restarts_with_nothing_lost_or_twice(
    database_url: str, mailbox: tuple[GatedMailbox, int], replicas: Replicas
) -> None:
    box, _ = mailbox
    due = 400
    box.allowed = 0  # the first process's mail is never accepted: this test is about the firing
    # Small batches: many transactions, so that the kill lands between two of them or inside one.
    first, _ = replicas.start(NOTIFY_SCHEDULER_BATCH_SIZE="10")
    database = Database(database_url)
    try:
        await seed_due_timers(database, count=due, due=SystemClock(), level=LEVEL, step=STEP)

        async def firing() -> bool:
            return await escalation_count(database) > 0

        await wait_until(firing, within=60)
        kill(first)
        assert 0 < await escalation_count(database) < due  # killed half-way
        await open_after_drops(box)
        assert box.messages == []
        replicas.start()
        await all_delivered_once(database, box, due)
    finally:
        await database.dispose()
