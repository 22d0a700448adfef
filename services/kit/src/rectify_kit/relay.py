"""Events staged without a lock and chained after commit: on PostgreSQL, writers no longer wait for each other.

`append_events` numbers an event when it is written and so holds the feed's lock until the writer commits:
every event-writing transaction of a service runs one after the other. An `Outbox` instead pairs the feed
with a staging table. `Outbox.add` inserts the transaction's events there, with no lock and no number, and
they commit together with the change. After the commit the relay moves committed staged rows into the feed in
a short transaction of its own under the feed's lock: `seq` = last + 1 and the hash chained, in staging order.

Why the feed stays gap-free and in commit order: numbers are given only by the relay (or by `append_events`,
under the same lock), each relay round commits before the next one starts, and a round only ever sees rows
whose writers have committed. So the feed grows in order and a reader following `after=N` never skips an event.
A writer that changes a subject locks its row before it stages the event, so two writers of one subject stage
(and are relayed) in the order they committed.

Read-your-writes: `Database.session()` runs the relay after a staging block commits and before it returns, so
a request's answer goes out once its events are in the feed. Concurrent requests of one process share relay
rounds. A relay that fails there is logged and done by `run_relay`, the loop every service that stages runs
(which also moves rows other processes, such as a command-line import, left behind).
On SQLite the single writer already orders the commits: `add` appends to the feed at once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections.abc import Sequence

from sqlalchemy import BigInteger, Column, Identity, Integer, MetaData, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.clock import pause
from rectify_kit.db import Database, after_commit
from rectify_kit.outbox import NewEvent, append_events, chain_events, event_columns, head, insert_events, lock_feed

log = logging.getLogger("rectify_kit.relay")
# Staged rows moved per relay round; a round that moves a full batch is followed by another at once.
BATCH = 1000


def make_staging_table(metadata: MetaData, feed: Table) -> Table:
    """`<feed>_staged`: events committed with their change, waiting for the relay to number them."""
    return Table(
        f"{feed.name}_staged",
        metadata,
        # The staging order; an identity, taken when the row is inserted.
        Column("staged", BigInteger().with_variant(Integer(), "sqlite"), Identity(), primary_key=True),
        *event_columns(),
    )


class _Relay:
    """One database's relay in this process: concurrent callers share rounds instead of queueing for the lock."""

    def __init__(self, outbox: Outbox, database: Database) -> None:
        self._outbox = outbox
        self._database = database
        self._lock = asyncio.Lock()
        self._asked = 0
        self._done = 0

    async def catch_up(self) -> None:
        """Return once every row committed before this call is in the feed."""
        self._asked += 1
        ticket = self._asked
        async with self._lock:
            if self._done >= ticket:
                return  # a round that started after this call's commit has moved its rows
            covered = self._asked
            while await self._outbox.relay_round(self._database) == BATCH:
                pass
            self._done = covered


class Outbox:
    """A feed table and its staging table: where a service's writers put their events."""

    def __init__(self, feed: Table, staging: Table) -> None:
        self.feed = feed
        self.staging = staging
        self._relays: weakref.WeakKeyDictionary[Database, _Relay] = weakref.WeakKeyDictionary()

    async def add(self, session: AsyncSession, events: Sequence[NewEvent]) -> None:
        """Stage events in the caller's transaction, in order; the relay numbers them after the commit.

        Use it inside a `Database.session()` block (a request's session is one), which runs the relay before
        the block returns.
        """
        if not events:
            return
        if session.get_bind().dialect.name != "postgresql":
            await append_events(session, self.feed, events)
            return
        await session.execute(
            self.staging.insert(),
            [
                {
                    "id": new.event_id or str(uuid.uuid4()),
                    "type": new.type,
                    "occurred_at": new.occurred_at,
                    "actor": new.actor,
                    "subject_id": new.subject_id,
                    "data": new.data,
                }
                for new in events
            ],
        )
        after_commit(session, f"relay:{self.feed.name}", self.relay)

    async def relay(self, database: Database) -> None:
        """Move every staged row committed before this call into the feed (PostgreSQL; nothing on SQLite)."""
        if not database.is_postgres:
            return
        relay = self._relays.get(database)
        if relay is None:
            relay = self._relays[database] = _Relay(self, database)
        await relay.catch_up()

    async def relay_round(self, database: Database) -> int:
        """One transaction under the feed's lock: number, chain and move up to BATCH committed staged rows."""
        async with database.session() as session:
            await lock_feed(session, self.feed)
            seq, prev_hash = await head(session, self.feed)
            query = select(self.staging).order_by(self.staging.c.staged).limit(BATCH)
            rows = (await session.execute(query)).all()
            if not rows:
                return 0
            staged = [
                NewEvent(r.type, r.subject_id, r.actor, r.data, occurred_at=r.occurred_at, event_id=r.id) for r in rows
            ]
            await insert_events(session, self.feed, chain_events(staged, after_seq=seq, prev_hash=prev_hash))
            # By number, not by range: a row with a smaller number may commit between the select and here.
            await session.execute(delete(self.staging).where(self.staging.c.staged.in_([r.staged for r in rows])))
        return len(rows)

    async def run_relay(self, database: Database, *, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Relay every `interval` seconds until `stop` is set: rows whose after-commit relay failed, and rows
        other processes staged."""
        while not stop.is_set():
            try:
                await self.relay(database)
            except Exception:  # retried at the next round; the service goes on
                log.exception("relaying staged events failed")
            await pause(interval, stop=stop)
