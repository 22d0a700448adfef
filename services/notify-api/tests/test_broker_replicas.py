"""Live inbox messages across replicas: a message committed on one replica reaches the user's stream on another
through the real Redis server on 127.0.0.1:6379; without Redis, or with Redis away, it reaches this process's."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from notify_api.notifications.broker import InboxBroker

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    engine = create_async_engine("sqlite+aiosqlite://")
    async with async_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


async def commit_with(session: AsyncSession, broker: InboxBroker, user_id: str, message: dict[str, str]) -> None:
    await session.execute(text("select 1"))
    broker.publish_on_commit(session, [(user_id, message)])
    await session.commit()


class TestAcrossReplicas:
    async def test_a_message_committed_on_one_replica_reaches_the_stream_on_another(
        self, session: AsyncSession
    ) -> None:
        here, there = InboxBroker(REDIS_URL), InboxBroker(REDIS_URL)
        await here.start()
        await there.start()
        user, other = f"u-{uuid.uuid4()}", f"u-{uuid.uuid4()}"
        stream, elsewhere = there.subscribe(user), there.subscribe(other)
        try:
            await commit_with(session, here, user, {"kind": "assigned"})
            async with asyncio.timeout(5):
                assert await stream.get() == {"kind": "assigned"}
            assert elsewhere.empty()
        finally:
            await here.stop()
            await there.stop()

    async def test_a_rolled_back_message_goes_nowhere(self, session: AsyncSession) -> None:
        broker = InboxBroker(REDIS_URL)
        await broker.start()
        user = f"u-{uuid.uuid4()}"
        stream = broker.subscribe(user)
        await session.execute(text("select 1"))
        broker.publish_on_commit(session, [(user, {"kind": "assigned"})])
        await session.rollback()
        await commit_with(session, broker, user, {"kind": "second"})
        try:
            async with asyncio.timeout(5):
                assert await stream.get() == {"kind": "second"}
        finally:
            await broker.stop()


class TestWithoutRedis:
    async def test_one_process_delivers_its_own_messages(self, session: AsyncSession) -> None:
        broker = InboxBroker()
        stream = broker.subscribe("u-1")
        await commit_with(session, broker, "u-1", {"kind": "assigned"})
        assert stream.get_nowait() == {"kind": "assigned"}

    async def test_with_redis_away_this_replicas_streams_still_hear_its_messages(self, session: AsyncSession) -> None:
        broker = InboxBroker("redis://127.0.0.1:9/0")
        await broker.start()
        stream = broker.subscribe("u-1")
        await commit_with(session, broker, "u-1", {"kind": "assigned"})
        try:
            async with asyncio.timeout(5):
                assert await stream.get() == {"kind": "assigned"}
        finally:
            await broker.stop()
