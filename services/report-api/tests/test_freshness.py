"""Freshness never claims more than is known: the lag is counted against the head each feed had when it was last
asked, `checked_at` says when that was, and the lag is unknown (null) when a feed has not been reached lately."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from rectify_kit.consumer import FetchedPage
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.history import Feed, at
from report_testing.rebuild import NoSource


def office(tokens: TokenFactory) -> dict[str, str]:
    return dict(tokens.headers("office-1", role="office"))


async def apply(database: Database, *, issues_head: int, applied: int, asked_at: datetime) -> None:
    """The issues feed read up to `applied` of `issues_head` events, the escalations feed empty, both asked at
    `asked_at`."""
    feed = Feed()
    for n in range(applied):
        feed.add("unit.created", f"u{n}", {"unit": {"id": f"u{n}", "code": f"U{n}", "name": "单位"}}, at("2026-11-02"))
    issues = feed.page()
    await issues_consumer(database, NoSource()).apply(
        FetchedPage(events=issues.events, next=applied, head=issues_head, asked_at=asked_at)
    )
    await escalations_consumer(database, NoSource()).apply(FetchedPage(events=[], next=0, head=0, asked_at=asked_at))


class TestFreshness:
    async def test_before_any_feed_was_read_the_lag_is_unknown(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        body = (await client.get("/api/v1/reports/summary", headers=office(tokens))).json()
        assert (body["as_of_seq"], body["lag_events"], body["checked_at"]) == (0, None, None)

    async def test_the_lag_counts_against_the_head_known_when_the_feed_was_asked(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database
    ) -> None:
        asked_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=3)
        await apply(database, issues_head=5, applied=2, asked_at=asked_at)
        body = (await client.get("/api/v1/reports/summary", headers=office(tokens))).json()
        assert (body["as_of_seq"], body["lag_events"]) == (2, 3)
        assert datetime.fromisoformat(body["checked_at"]) == asked_at

    async def test_a_feed_not_reached_for_a_minute_makes_the_lag_unknown(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database
    ) -> None:
        asked_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=90)
        await apply(database, issues_head=2, applied=2, asked_at=asked_at)
        body = (await client.get("/api/v1/reports/statuses", headers=office(tokens))).json()
        assert (body["as_of_seq"], body["lag_events"]) == (2, None)
        assert datetime.fromisoformat(body["checked_at"]) == asked_at
