"""Idempotency-Key for creates (IETF draft): the first answer is stored and replayed for 24 hours.

The same key with another body is 422; the same key while the first request still runs is 409. Keys are per
client (the token subject). The stored answer commits in the same transaction as the change it describes. A
request that never stored its answer (it failed, or its commit did not reach the database) leaves the key free:
at once on PostgreSQL (the claim's holder is a lock of the request's transaction), after 2 minutes on SQLite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.db import Database, DatabaseDep, JSONType, UTCDateTime
from rectify_kit.errors import Conflict, Unprocessable

TTL = timedelta(hours=24)
STALE_RUNNING = timedelta(minutes=2)
MAX_KEY_LENGTH = 200


def make_idempotency_table(metadata: MetaData, name: str = "idempotency_keys") -> Table:
    return Table(
        name,
        metadata,
        Column("owner", String(100), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer(), nullable=True),
        Column("body", JSONType, nullable=True),
        Column("location", Text(), nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
    )


async def purge_expired(session: AsyncSession, table: Table, *, before: datetime) -> int:
    """Delete the keys created before `before` (past their replay window); returns how many went."""
    result = await session.execute(delete(table).where(table.c.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


class Idempotency:
    """Runs a create at most once per (owner, key)."""

    def __init__(self, *, request: Request, database: Database, table: Table, now: datetime) -> None:
        self.key = request.headers.get("idempotency-key")
        self.request = request
        self.database = database
        self.table = table
        self.now = now

    async def run(
        self,
        session: AsyncSession,
        *,
        owner: str,
        produce: Callable[[], Awaitable[Any]],
        status_code: int = 201,
        location: Callable[[Any], str] | None = None,
    ) -> JSONResponse:
        """Produce the answer (or replay the stored one); `session` is the request's transaction.

        Call it before writing with `session`: the key is claimed in a transaction of its own, which on SQLite
        waits for the write lock. If `produce` raises, `session` is rolled back and the key released.
        """
        if self.key is None:
            return self._response(status_code, _encoded(result := await produce()), location, result)
        if not 0 < len(self.key) <= MAX_KEY_LENGTH:
            raise Unprocessable("Idempotency-Key must be 1 to 200 characters", errors=[{"field": "Idempotency-Key"}])
        request_hash = hashlib.sha256(
            self.request.method.encode() + self.request.url.path.encode() + await self.request.body()
        ).hexdigest()
        if not await self._hold(session, owner):
            raise Conflict("a request with this Idempotency-Key is still being processed", code="idempotency-in-flight")
        replay = await self._claim(owner, request_hash, held=self.database.is_postgres)
        if replay is not None:
            return replay
        try:
            result = await produce()
        except BaseException:
            # The request's transaction is lost anyway: end it first, or on SQLite its write lock would block
            # the release below until the busy timeout.
            await session.rollback()
            await self._release(owner)
            raise
        body = _json_ready(result)
        loc = location(result) if location else None
        await session.execute(
            self.table.update().where(self._match(owner)).values(status_code=status_code, body=body, location=loc)
        )
        return self._response(status_code, _encoded(body), location, result)

    def _match(self, owner: str) -> Any:
        return and_(self.table.c.owner == owner, self.table.c.key == self.key)

    async def _hold(self, session: AsyncSession, owner: str) -> bool:
        """On PostgreSQL, hold a lock on the key for as long as the request's transaction lives (False: another
        request holds it). A claim whose holder is gone (its connection cut, its process stopped, its commit
        failed while the database was away) is then known abandoned at once, not after STALE_RUNNING."""
        if not self.database.is_postgres:
            return True
        digest = hashlib.sha256(f"{self.table.name}\0{owner}\0{self.key}".encode()).digest()
        lock = int.from_bytes(digest[:8], "big", signed=True)
        return bool((await session.execute(select(func.pg_try_advisory_xact_lock(lock)))).scalar_one())

    async def _claim(self, owner: str, request_hash: str, *, held: bool = False) -> JSONResponse | None:
        # Claimed in a transaction of its own, so a concurrent duplicate sees "running" at once.
        async with self.database.session(write=True) as session:
            await session.execute(
                delete(self.table).where(self._match(owner), self.table.c.created_at < self.now - TTL)
            )
            row = (await session.execute(select(self.table).where(self._match(owner)))).first()
            if row is None:
                try:
                    async with session.begin_nested():
                        await session.execute(
                            self.table.insert().values(
                                owner=owner, key=self.key, request_hash=request_hash, created_at=self.now
                            )
                        )
                    return None
                except IntegrityError:
                    row = (await session.execute(select(self.table).where(self._match(owner)))).first()
                    if row is None:
                        raise
        if row.request_hash != request_hash:
            raise Unprocessable("Idempotency-Key was used with a different request", code="idempotency-key-reused")
        if row.status_code is None:
            if held or row.created_at < self.now - STALE_RUNNING:
                await self._release(owner)
                return await self._claim(owner, request_hash)
            raise Conflict("a request with this Idempotency-Key is still being processed", code="idempotency-in-flight")
        headers = {"Idempotent-Replayed": "true"}
        if row.location:
            headers["Location"] = row.location
        return JSONResponse(row.body, status_code=row.status_code, headers=headers)

    async def _release(self, owner: str) -> None:
        async with self.database.session(write=True) as session:
            await session.execute(delete(self.table).where(self._match(owner), self.table.c.status_code.is_(None)))

    @staticmethod
    def _response(status_code: int, body: bytes, location: Callable[[Any], str] | None, result: Any) -> JSONResponse:
        headers = {"Location": location(result)} if location else None
        return _EncodedJSON(body, status_code=status_code, headers=headers)


class _EncodedJSON(JSONResponse):
    """A JSON answer whose body is already bytes."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


def _json_ready(result: Any) -> Any:
    return result.model_dump(mode="json") if isinstance(result, BaseModel) else jsonable_encoder(result)


def _encoded(result: Any) -> bytes:
    """The answer as JSON bytes: a model straight through pydantic's serializer, anything else as JSONResponse."""
    if isinstance(result, BaseModel):
        return result.model_dump_json().encode()
    return bytes(JSONResponse(jsonable_encoder(result)).body)


def idempotency_dependency(table: Table, now: Callable[[Request], datetime]) -> Callable[..., Awaitable[Idempotency]]:
    """A FastAPI dependency giving routes an `Idempotency` for their request."""

    async def dependency(request: Request, database: DatabaseDep) -> Idempotency:
        return Idempotency(request=request, database=database, table=table, now=now(request))

    return dependency
