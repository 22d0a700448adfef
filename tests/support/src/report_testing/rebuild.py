"""Incremental versus rebuilt read model: shared by the rebuild test and the bench."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select

from rectify_kit.consumer import FetchedPage
from rectify_kit.db import Database
from report_api.readmodel import repository, service
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_api.readmodel.models import feed_cursors
from report_testing.history import Feed


class NoSource:
    """The feed source of a consumer whose pages the test or bench applies itself (`consumer.apply(page)`)."""

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        raise AssertionError("pages are applied directly")


async def read_model(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table (cursors aside), sorted."""
    tables = [t for t in repository.READ_MODEL_TABLES if t is not feed_cursors]
    async with database.session(write=False) as session:
        return {t.name: sorted(map(tuple, (await session.execute(select(t))).all()), key=repr) for t in tables}


async def apply_incrementally(
    database: Database, issues: Feed, escalations: Feed, *, seed: int = 3, max_page: int = 60
) -> None:
    """Small random pages, the two feeds interleaved, some pages delivered twice."""
    rng = random.Random(seed)
    issue_consumer = issues_consumer(database, NoSource())
    escalation_consumer = escalations_consumer(database, NoSource())
    position, escalated = 0, 0
    while position < len(issues.events) or escalated < len(escalations.events):
        size = rng.randrange(1, max_page)
        page = issues.page(position, position + size)
        await issue_consumer.apply(page)
        if rng.random() < 0.1:
            await issue_consumer.apply(page)  # a page delivered again
        position += size
        if rng.random() < 0.3 or position >= len(issues.events):
            step = rng.randrange(1, max(2, max_page // 6))
            await escalation_consumer.apply(escalations.page(escalated, escalated + step))
            escalated += step


async def rebuild(database: Database, issues: Feed, escalations: Feed, *, page: int = 5000) -> None:
    """Reset, then replay both feeds from 0 in big pages, the issues feed first."""
    async with database.session() as session:
        await service.reset(session)
    issue_consumer = issues_consumer(database, NoSource())
    escalation_consumer = escalations_consumer(database, NoSource())
    for start in range(0, len(issues.events), page):
        await issue_consumer.apply(issues.page(start, start + page))
    for start in range(0, len(escalations.events), page):
        await escalation_consumer.apply(escalations.page(start, start + page))


async def recompute_rollups(database: Database) -> None:
    async with database.session() as session:
        await repository.recompute_rollups(session)
