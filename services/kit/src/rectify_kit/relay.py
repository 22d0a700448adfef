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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import BigInteger, Column, Identity, Integer, MetaData, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from rectify_kit.clock import first_of
from rectify_kit.db import Database, after_commit, connected
from rectify_kit.outbox import (
    GENESIS_HASH,
    NewEvent,
    append_events,
    canonical,
    chain_hash_of_canonical,
    event_columns,
    lock_key,
)

log = logging.getLogger("rectify_kit.relay")
# Who to tell when a relay round has moved events into a feed of a database (`on_relayed`): the round runs
# outside any session, so the sessions' after-commit hook (how `append_events`' writers are told) does not see it.
_LISTENERS: weakref.WeakKeyDictionary[Database, list[Callable[[], None]]] = weakref.WeakKeyDictionary()


def on_relayed(database: Database, listener: Callable[[], None]) -> None:
    """Call `listener` after each relay round that moved events into a feed of `database` has committed."""
    _LISTENERS.setdefault(database, []).append(listener)


def _relayed(database: Database) -> None:
    for listener in _LISTENERS.get(database, ()):
        listener()


# Staged rows moved per relay round; a round that moves a full batch is followed by another at once.
BATCH = 1000
# How often `run_relay` looks for rows nobody relayed: a process that died between its commit and its relay, a
# command-line import's. Every commit that stages is relayed by its own process at once (and a failed relay
# wakes the loop), so this is only the fallback: a round every second was a database transaction per second
# per replica on an idle system.
IDLE_SECONDS = 5.0


def make_staging_table(metadata: MetaData, feed: Table) -> Table:
    """`<feed>_staged`: events committed with their change, waiting for the relay to number them."""
    return Table(
        f"{feed.name}_staged",
        metadata,
        # The staging order; an identity, taken when the row is inserted.
        Column("staged", BigInteger().with_variant(Integer(), "sqlite"), Identity(), primary_key=True),
        *event_columns(),
    )


@dataclass(frozen=True)
class _RoundStatements:
    """A relay round's SQL for asyncpg (PostgreSQL), built once per outbox."""

    begin: str  # BEGIN and the feed's lock, one simple query: one round trip
    pending: str  # the first BATCH staged rows ($1), each with the feed's head
    move: str  # the chained rows into the feed, out of the staging table


def _round_statements(feed: Table, staging: Table) -> _RoundStatements:
    # The names are the service's own table names and the lock key a number computed from one, never input:
    # S608 does not apply.
    f, s = f'"{feed.name}"', f'"{staging.name}"'
    begin = f"BEGIN; SELECT pg_advisory_xact_lock({int(lock_key(feed))})"
    pending = (
        f"SELECT s.staged, s.id, s.type, s.occurred_at, s.actor, s.subject_id, s.data, "  # noqa: S608
        f"h.seq AS head_seq, h.hash AS head_hash "
        f"FROM (SELECT * FROM {s} ORDER BY staged LIMIT $1) AS s "
        f"LEFT JOIN (SELECT seq, hash FROM {f} ORDER BY seq DESC LIMIT 1) AS h ON true "
        f"ORDER BY s.staged"
    )
    # The arrays are unnested side by side, one feed row per position; JSON goes as text (already canonical).
    move = (
        f"WITH gone AS (DELETE FROM {s} WHERE staged = ANY($1::bigint[])) "  # noqa: S608
        f"INSERT INTO {f} (seq, id, type, occurred_at, actor, subject_id, data, prev_hash, hash) "
        f"SELECT seq, id, type, occurred_at, CAST(actor AS jsonb), subject_id, CAST(data AS jsonb), prev_hash, hash "
        f"FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], "
        f"$9::text[], $10::text[]) AS t(seq, id, type, occurred_at, actor, subject_id, data, prev_hash, hash)"
    )
    return _RoundStatements(begin, pending, move)


def _chained(rows: Sequence[Any]) -> dict[str, list[Any]]:
    """The move's parameters: the staged rows numbered after the feed's head (given with each row) and chained.

    Actor and data come from JSON columns, so they are JSON already (`chain_events` round-trips what a writer
    gives through JSON first, so the hash covers what a reader gets back): each is serialized once, for its hash
    and for the feed's row (as text, cast to JSON there).
    """
    first = rows[0]
    seq, prev_hash = (int(first["head_seq"]), str(first["head_hash"])) if first["head_seq"] else (0, GENESIS_HASH)
    moved: dict[str, list[Any]] = {key: [] for key in _MOVED}
    for row in rows:
        seq += 1
        actor, data = canonical(row["actor"]), canonical(row["data"])
        occurred_at = row["occurred_at"].astimezone(UTC)
        event_id, subject_id = row["id"], row["subject_id"]
        digest = chain_hash_of_canonical(
            prev_hash,
            seq=seq,
            id=event_id,
            type=row["type"],
            occurred_at=occurred_at,
            actor_json=actor,
            subject_id=subject_id,
            data_json=data,
        )
        values = (row["staged"], seq, event_id, row["type"], occurred_at, actor, subject_id, data, prev_hash, digest)
        for key, value in zip(_MOVED, values, strict=True):
            moved[key].append(value)
        prev_hash = digest
    return moved


_MOVED = ("staged", "seq", "id", "type", "occurred_at", "actor", "subject_id", "data", "prev_hash", "hash")


class _Relay:
    """One database's relay in this process: concurrent callers share rounds.

    Rounds run one after another in a task of their own. A caller waits for the first round that starts after it
    asked, and the end of a round wakes all its callers at once: when they instead passed a lock one at a time to
    learn that a round had covered them, each hand-over cost a turn of the event loop, and under load the next
    round started only after all of them had passed (half a create's answer time in bench_stack).
    """

    def __init__(self, outbox: Outbox, database: Database) -> None:
        self._outbox = outbox
        self._database = database
        self._loop: asyncio.AbstractEventLoop | None = None
        # The round to start once the running one has ended (at once when none runs): who asks now waits for it.
        self._next: asyncio.Future[None] | None = None
        self._rounds: asyncio.Task[None] | None = None
        # Set when a relay failed: the rows it should have moved wait for `run_relay`, which it wakes.
        self.failed = asyncio.Event()

    async def catch_up(self) -> None:
        """Return once every row committed before this call is in the feed; raise what its round raised."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # another event loop (tests): nothing of the last one's can be awaited here
            self._loop, self._next, self._rounds = loop, None, None
        if self._next is None:
            self._next = loop.create_future()
        waited = self._next
        if self._rounds is None:
            self._rounds = loop.create_task(self._run_rounds())
        # Shielded: a caller cancelled (its client gone) does not cancel the round the others wait for.
        await asyncio.shield(waited)

    async def _run_rounds(self) -> None:
        """Rounds while callers wait for one, on one connection: one taken from the pool for each round queued
        behind the writers' own checkouts, and every writer waiting for the relay waited for that queue too."""
        connection: AsyncConnection | None = None
        waited: asyncio.Future[None] | None = None
        try:
            while (waited := self._next) is not None:
                self._next = None
                try:
                    if connection is None:
                        connection = await self._database.read_engine.connect()
                    while await self._outbox.relay_round(self._database, connection) == BATCH:
                        pass
                except Exception as error:  # its callers raise it; who asks later gets a round on a new connection
                    if connection is not None:
                        await connection.close()
                        connection = None
                    _fail(waited, error)
                else:
                    waited.set_result(None)
        finally:
            self._rounds = None
            for left in (waited, self._next):  # cancelled (the loop is closing): no caller is left waiting
                if left is not None and not left.done():
                    _fail(left, RuntimeError("the relay was stopped"))
            if connection is not None:
                await connection.close()


def _fail(waited: asyncio.Future[None], error: BaseException) -> None:
    waited.set_exception(error)
    waited.exception()  # marked as read: a caller cancelled meanwhile never reads it, and asyncio would log it


class Outbox:
    """A feed table and its staging table: where a service's writers put their events."""

    def __init__(self, feed: Table, staging: Table) -> None:
        self.feed = feed
        self.staging = staging
        self._relays: weakref.WeakKeyDictionary[Database, _Relay] = weakref.WeakKeyDictionary()
        self._round: _RoundStatements | None = None

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
        self.relay_after_commit(session)

    def relay_after_commit(self, session: AsyncSession) -> None:
        """Relay once the `Database.session()` block of `session` has committed: for events a caller staged in
        `staging` with a statement of its own (`add` calls it for its)."""
        after_commit(session, f"relay:{self.feed.name}", self.relay)

    async def relay(self, database: Database) -> None:
        """Move every staged row committed before this call into the feed (PostgreSQL; nothing on SQLite)."""
        if not database.is_postgres:
            return
        relay = self._relay(database)
        try:
            await relay.catch_up()
        except Exception:
            relay.failed.set()  # `run_relay` tries again at once, then every `interval` while it fails
            raise

    async def relay_quietly(self, database: Database) -> None:
        """`relay` for a writer that committed outside a `Database.session()` block (a statement in autocommit):
        a failure is logged, not raised, as the session's after-commit hook does; the commit stands and
        `run_relay`, woken by the failure, moves its rows."""
        try:
            await self.relay(database)
        except Exception:
            log.exception("relaying staged events failed")

    def _relay(self, database: Database) -> _Relay:
        relay = self._relays.get(database)
        if relay is None:
            relay = self._relays[database] = _Relay(self, database)
        return relay

    async def relay_round(self, database: Database, connection: AsyncConnection | None = None) -> int:
        """One transaction under the feed's lock: number, chain and move up to BATCH committed staged rows.

        Four round trips, straight on asyncpg: `BEGIN` and the lock in one simple query, the staged rows with the
        feed's head, the move (into the feed and out of the staging table in one statement), `COMMIT`. The head
        is read in a statement after the one that takes the lock: a READ COMMITTED statement sees the commits
        made before it started, so the statement that waits for the lock must not read the head. The round runs
        on an autocommit connection whose transaction is this method's own; a round that fails or is cancelled
        half-way closes the connection (PostgreSQL rolls its transaction back), so no pooled connection is ever
        left inside it. `connection` (one of `database.read_engine`'s, which the caller closes) saves the checkout.
        """
        if connection is None:
            async with connected(database.read_engine) as own:
                return await self.relay_round(database, own)
        statements = self._statements()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        finished = False
        try:
            await driver.execute(statements.begin)
            rows = await driver.fetch(statements.pending, BATCH)
            if rows:
                # By number, not by range: a row with a smaller number may commit between the select and here.
                moved = _chained(rows)
                await driver.execute(statements.move, *(moved[key] for key in _MOVED))
            await driver.execute("COMMIT")
            finished = True
        finally:
            if not finished:
                await connection.invalidate()
        if rows:
            _relayed(database)  # the feed's notifier wakes its readers
        return len(rows)

    def _statements(self) -> _RoundStatements:
        if self._round is None:
            self._round = _round_statements(self.feed, self.staging)
        return self._round

    async def run_relay(
        self, database: Database, *, stop: asyncio.Event, interval: float = 1.0, idle_interval: float = IDLE_SECONDS
    ) -> None:
        """Until `stop` is set: relay rows whose after-commit relay failed (at once, then every `interval` while
        relaying fails), and rows other processes left staged (every `idle_interval`). Nothing on SQLite."""
        if not database.is_postgres:
            return
        failed = self._relay(database).failed
        while not stop.is_set():
            failed.clear()
            try:
                await self.relay(database)
                delay = idle_interval
            except Exception:  # retried after `interval`; the service goes on
                log.exception("relaying staged events failed")
                failed.clear()
                delay = interval
            await first_of(failed, stop, seconds=delay)
