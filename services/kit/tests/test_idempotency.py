"""Idempotency-Key: the first answer is replayed, a reused key with another body is refused, in-flight is 409."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column, Integer, String, Table, func, insert, select

from rectify_kit.clock import FixedClock
from rectify_kit.db import Database, SessionDep, make_metadata
from rectify_kit.errors import Conflict, install_problem_handlers
from rectify_kit.idempotency import Idempotency, idempotency_dependency, make_idempotency_table

from .conftest import MakeDatabase

metadata = make_metadata()
keys = make_idempotency_table(metadata)
things = Table("things", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


class ThingIn(BaseModel):
    name: str


def now(request: Request) -> datetime:
    clock: FixedClock = request.app.state.clock
    return clock.now()


IdempotencyDep = Annotated[Idempotency, Depends(idempotency_dependency(keys, now))]


def make_app(database: Database) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.database = database
    app.state.clock = FixedClock(T0)
    app.state.gate = None

    @app.post("/things", status_code=201)
    async def create(body: ThingIn, request: Request, session: SessionDep, idem: IdempotencyDep) -> JSONResponse:
        async def produce() -> dict[str, Any]:
            gate: tuple[asyncio.Event, asyncio.Event] | None = request.app.state.gate
            if gate is not None:
                gate[0].set()
                await gate[1].wait()
            result = await session.execute(insert(things).values(name=body.name).returning(things.c.id))
            thing_id = result.scalar_one()
            if body.name == "refused":
                raise Conflict("refused after writing")
            return {"id": thing_id, "name": body.name}

        return await idem.run(
            session,
            owner=request.headers.get("x-owner", "anon"),
            produce=produce,
            location=lambda thing: f"/things/{thing['id']}",
        )

    return app


@asynccontextmanager
async def client(database: Database) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    app = make_app(database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c, app


async def thing_count(database: Database) -> int:
    async with database.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(things))).scalar_one())


def key(value: str, owner: str = "u1") -> dict[str, str]:
    return {"Idempotency-Key": value, "x-owner": owner}


class TestIdempotency:
    async def test_without_a_key_every_request_runs(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            await c.post("/things", json={"name": "a"})
            response = await c.post("/things", json={"name": "a"})
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
        assert await thing_count(database) == 2

    async def test_first_answer_is_replayed_with_its_status_and_location(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            first = await c.post("/things", json={"name": "a"}, headers=key("k1"))
            second = await c.post("/things", json={"name": "a"}, headers=key("k1"))
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["location"] == first.headers["location"] == f"/things/{first.json()['id']}"
        assert second.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert await thing_count(database) == 1

    async def test_same_key_with_another_body_is_422(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            await c.post("/things", json={"name": "a"}, headers=key("k1"))
            response = await c.post("/things", json={"name": "b"}, headers=key("k1"))
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency-key-reused"
        assert await thing_count(database) == 1

    async def test_same_key_while_the_first_still_runs_is_409(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, app):
            entered, release = asyncio.Event(), asyncio.Event()
            app.state.gate = (entered, release)
            first = asyncio.create_task(c.post("/things", json={"name": "a"}, headers=key("k1")))
            await asyncio.wait_for(entered.wait(), timeout=10)
            app.state.gate = None
            second = await c.post("/things", json={"name": "a"}, headers=key("k1"))
            release.set()
            assert (await first).status_code == 201
        assert second.status_code == 409
        assert second.json()["code"] == "idempotency-in-flight"
        assert await thing_count(database) == 1

    async def test_keys_belong_to_their_owner(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            await c.post("/things", json={"name": "a"}, headers=key("k1", owner="u1"))
            other = await c.post("/things", json={"name": "a"}, headers=key("k1", owner="u2"))
        assert "idempotent-replayed" not in other.headers
        assert await thing_count(database) == 2

    async def test_key_expires_after_24_hours(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, app):
            await c.post("/things", json={"name": "a"}, headers=key("k1"))
            app.state.clock.set(T0 + timedelta(hours=23, minutes=59))
            within = await c.post("/things", json={"name": "a"}, headers=key("k1"))
            app.state.clock.set(T0 + timedelta(hours=24, seconds=1))
            after = await c.post("/things", json={"name": "b"}, headers=key("k1"))
        assert within.headers["idempotent-replayed"] == "true"
        assert after.status_code == 201
        assert "idempotent-replayed" not in after.headers
        assert await thing_count(database) == 2

    async def test_failed_request_releases_its_key(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            failed = await c.post("/things", json={"name": "refused"}, headers=key("k1"))
            retried = await c.post("/things", json={"name": "refused"}, headers=key("k1"))
        assert failed.status_code == retried.status_code == 409
        assert retried.json()["code"] == "conflict"
        assert await thing_count(database) == 0

    async def test_claim_abandoned_for_over_two_minutes_is_taken_over(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        body = b'{"name":"a"}'
        same_request = hashlib.sha256(b"POST/things" + body).hexdigest()
        async with database.session() as session:
            await session.execute(
                insert(keys).values(
                    owner="u1", key="k1", request_hash=same_request, created_at=T0 - timedelta(minutes=3)
                )
            )
        async with client(database) as (c, _):
            headers = {**key("k1"), "Content-Type": "application/json"}
            response = await c.post("/things", content=body, headers=headers)
        assert response.status_code == 201
        assert await thing_count(database) == 1

    async def test_overlong_key_is_422(self, make_database: MakeDatabase) -> None:
        database = await make_database(metadata)
        async with client(database) as (c, _):
            response = await c.post("/things", json={"name": "a"}, headers=key("k" * 201))
        assert response.status_code == 422

    async def test_claim_whose_request_is_gone_is_free_at_once_on_postgresql(self, make_database: MakeDatabase) -> None:
        """A request that claimed the key and never stored its answer (its connection cut while the database was
        away, its commit lost) holds nothing any more: on PostgreSQL its retry runs at once."""
        database = await make_database(metadata)
        body = b'{"name":"a"}'
        same_request = hashlib.sha256(b"POST/things" + body).hexdigest()
        async with database.session() as session:
            await session.execute(insert(keys).values(owner="u1", key="k1", request_hash=same_request, created_at=T0))
        async with client(database) as (c, _):
            headers = {**key("k1"), "Content-Type": "application/json"}
            response = await c.post("/things", content=body, headers=headers)
        if database.is_postgres:
            assert response.status_code == 201
            assert await thing_count(database) == 1
        else:  # one process: the claim is taken over once it is two minutes old
            assert response.status_code == 409
            assert await thing_count(database) == 0
