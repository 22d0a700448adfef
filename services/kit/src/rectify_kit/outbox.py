"""The transactional outbox: each change writes its event in the same transaction, chained by hash.

Sequence numbers are taken as last + 1 under a lock held until commit (a transaction-level advisory lock on
PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite). Writers of events therefore commit one after the
other in sequence order, so a reader that has seen `seq = N` can never later find a smaller one appear.
This needs READ COMMITTED (PostgreSQL's default): the read of the last event must see the commit it waited for,
which a REPEATABLE READ snapshot taken before the lock would not.

`append_events` holds that lock from the append to the commit, so its writers run one after the other; the
relay (relay.py) takes it only for its own short transactions, after the writers have committed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, MetaData, String, Table, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.db import JSONType, UTCDateTime

GENESIS_HASH = "0" * 64
# Set in a session's info when it wrote numbered events: the feed's notifier wakes its readers after the commit.
EVENTS_WRITTEN = "rectify_events_written"
# One advisory-lock key per outbox table name, stable across processes.
_LOCK_NAMESPACE = 0x5EC7


def event_columns() -> list[Column[Any]]:
    """What every event holds, numbered in a feed or staged for the relay (`relay.make_staging_table`)."""
    return [
        Column("id", String(36), nullable=False, unique=True),
        Column("type", String(80), nullable=False),
        Column("occurred_at", UTCDateTime(), nullable=False),
        Column("actor", JSONType, nullable=False),
        Column("subject_id", String(64), nullable=False),
        Column("data", JSONType, nullable=False),
    ]


def make_event_table(metadata: MetaData, name: str = "events") -> Table:
    """The outbox table; it is also the audit log, so rows are only ever appended."""
    return Table(
        name,
        metadata,
        Column("seq", BigInteger(), primary_key=True, autoincrement=False),
        *event_columns(),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
        Index(f"ix_{name}_subject_id_seq", "subject_id", "seq"),
        Index(f"ix_{name}_type_seq", "type", "seq"),
    )


@dataclass(frozen=True)
class Event:
    seq: int
    id: str
    type: str
    occurred_at: datetime
    actor: dict[str, Any]
    subject_id: str
    data: dict[str, Any]
    hash: str
    prev_hash: str = GENESIS_HASH

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor,
            "subject_id": self.subject_id,
            "data": self.data,
            "hash": self.hash,
        }

    def chained_to(self, prev_hash: str) -> str:
        """This event's hash when it follows `prev_hash` in the chain."""
        return chain_hash(
            prev_hash,
            seq=self.seq,
            id=self.id,
            type=self.type,
            occurred_at=self.occurred_at,
            actor=self.actor,
            subject_id=self.subject_id,
            data=self.data,
        )

    @classmethod
    def from_row(cls, row: Any) -> Event:
        m = row._mapping
        return cls(
            seq=int(m["seq"]),
            id=m["id"],
            type=m["type"],
            occurred_at=m["occurred_at"],
            actor=m["actor"],
            subject_id=m["subject_id"],
            data=m["data"],
            hash=m["hash"],
            prev_hash=m["prev_hash"],
        )


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; the input of every hash."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(
    prev_hash: str,
    *,
    seq: int,
    id: str,
    type: str,
    occurred_at: datetime,
    actor: dict[str, Any],
    subject_id: str,
    data: dict[str, Any],
) -> str:
    content = canonical(
        {
            "seq": seq,
            "id": id,
            "type": type,
            "occurred_at": occurred_at.isoformat(),
            "actor": actor,
            "subject_id": subject_id,
            "data": data,
        }
    )
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def chain_hash_of_canonical(
    prev_hash: str,
    *,
    seq: int,
    id: str,
    type: str,
    occurred_at: datetime,
    actor_json: str,
    subject_id: str,
    data_json: str,
) -> str:
    """`chain_hash` of an event whose actor and data are given as their canonical JSON (`canonical`): the same
    hash, its input put together from the parts in canonical's key order instead of serializing them again (the
    relay's per-event cost: the data, often a whole record, was serialized three times per event)."""
    content = (
        f'{{"actor":{actor_json},"data":{data_json},"id":{_string(id)},'
        f'"occurred_at":{_string(occurred_at.isoformat())},"seq":{seq},'
        f'"subject_id":{_string(subject_id)},"type":{_string(type)}}}'
    )
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def lock_key(table: Table) -> int:
    """The feed's advisory lock (PostgreSQL): held by whoever numbers its events, until the end of the transaction."""
    return int.from_bytes(hashlib.sha256(table.name.encode()).digest()[:4], "big") ^ _LOCK_NAMESPACE


@dataclass(frozen=True)
class NewEvent:
    """An event to append; `seq`, `id` (unless given) and the hashes are assigned by the outbox."""

    type: str
    subject_id: str
    actor: dict[str, Any]
    data: dict[str, Any]
    occurred_at: datetime
    event_id: str | None = None


async def lock_feed(session: AsyncSession, table: Table) -> None:
    """Take the feed's lock until the end of the transaction (PostgreSQL; SQLite's write lock does this)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(table)})


def chain_events(events: Sequence[NewEvent], *, after_seq: int, prev_hash: str) -> list[Event]:
    """Number and chain `events` in order after the event (`after_seq`, `prev_hash`)."""
    seq = after_seq
    written: list[Event] = []
    for new in events:
        seq += 1
        # JSON round-trip now, so the hash covers exactly what a reader will get back.
        data = json.loads(canonical(new.data))
        actor = json.loads(canonical(new.actor))
        occurred_at = new.occurred_at.astimezone(UTC)
        eid = new.event_id or str(uuid.uuid4())
        unhashed = Event(seq, eid, new.type, occurred_at, actor, new.subject_id, data, "", prev_hash)
        written.append(replace(unhashed, hash=unhashed.chained_to(prev_hash)))
        prev_hash = written[-1].hash
    return written


async def insert_events(session: AsyncSession, table: Table, written: Sequence[Event]) -> None:
    """Store chained events with one INSERT; the feed's notifier wakes its readers after the commit."""
    await session.execute(
        table.insert(),
        [
            {
                "seq": e.seq,
                "id": e.id,
                "type": e.type,
                "occurred_at": e.occurred_at,
                "actor": e.actor,
                "subject_id": e.subject_id,
                "data": e.data,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in written
        ],
    )
    session.info[EVENTS_WRITTEN] = True


async def append_events(session: AsyncSession, table: Table, events: Sequence[NewEvent]) -> list[Event]:
    """Append events in the caller's transaction, in the given order, with one INSERT; the caller commits.

    The feed's lock is held from here to the commit: for writers that need `seq` at once. Writers that do not
    stage their events with `relay.Outbox.add` and wait for no one.
    """
    if not events:
        return []
    await lock_feed(session, table)
    seq, prev_hash = await head(session, table)
    written = chain_events(events, after_seq=seq, prev_hash=prev_hash)
    await insert_events(session, table, written)
    return written


async def append_event(
    session: AsyncSession,
    table: Table,
    *,
    type: str,
    subject_id: str,
    actor: dict[str, Any],
    data: dict[str, Any],
    occurred_at: datetime,
    event_id: str | None = None,
) -> Event:
    """Append one event in the caller's transaction and return it; the caller commits."""
    new = NewEvent(type=type, subject_id=subject_id, actor=actor, data=data, occurred_at=occurred_at, event_id=event_id)
    return (await append_events(session, table, [new]))[0]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None


async def iter_events(session: AsyncSession, table: Table, *, batch: int = 2000) -> AsyncIterator[Event]:
    after = 0
    while True:
        rows = (
            await session.execute(select(table).where(table.c.seq > after).order_by(table.c.seq).limit(batch))
        ).all()
        if not rows:
            return
        for row in rows:
            yield Event.from_row(row)
        after = int(rows[-1].seq)


async def verify_chain(session: AsyncSession, table: Table) -> ChainReport:
    """Recompute every hash from the start; name the first event whose content or link does not match."""
    prev = GENESIS_HASH
    checked = 0
    expected_seq = 1
    async for ev in iter_events(session, table):
        recomputed = ev.chained_to(prev)
        if ev.seq != expected_seq or ev.prev_hash != prev or ev.hash != recomputed:
            return ChainReport(ok=False, checked=checked, first_bad_seq=ev.seq)
        prev = ev.hash
        checked += 1
        expected_seq += 1
    return ChainReport(ok=True, checked=checked, first_bad_seq=None)


async def head(session: AsyncSession, table: Table) -> tuple[int, str]:
    """The last sequence number and hash (0 and the genesis hash when empty)."""
    last = (await session.execute(select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1))).first()
    return (int(last.seq), str(last.hash)) if last else (0, GENESIS_HASH)
