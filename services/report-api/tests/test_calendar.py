"""Working-day figures follow the calendar overrides notify-api publishes (`calendar.updated` on its feed):
days overdue, the traffic lights' yellow window and the working days from assignment to closure move with an
override, move back when it is withdrawn, and come out the same whichever feed arrives first."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.history import Feed
from report_testing.rebuild import NoSource
from report_testing.scenario import build

# On both backends: the working-day figures are aggregated in SQL over the read model's rollups.
pytestmark = pytest.mark.both_backends

# Friday 4 September (inside every closed issue's span), Thursday 8 October (E is overdue since 30 September)
# and Monday 12 October (inside the yellow window of Friday 9 October) made days off.
DAYS_OFF = ["2026-09-04", "2026-10-08", "2026-10-12"]


NO_SOURCE = NoSource()


def calendar_event(feed: Feed, year: int, days_off: list[str]) -> None:
    """The `calendar.updated` event of docs/events.md, as notify-api publishes it."""
    overrides = [{"date": day, "is_working": False, "note": "临时调整"} for day in days_off]
    body = {"year": year, "overrides": overrides, "declared_complete": False}
    feed.add("calendar.updated", str(year), {"calendar": body}, "2026-10-09T02:00:00+00:00")


async def figures(client: httpx.AsyncClient, tokens: TokenFactory) -> tuple[Any, ...]:
    headers = dict(tokens.headers("office-1", role="office"))
    summary = (await client.get("/api/v1/reports/summary", headers=headers)).json()
    lights = (await client.get("/api/v1/reports/lights", headers=headers)).json()
    [overdue] = (await client.get("/api/v1/reports/overdue", headers=headers)).json()["items"]
    return summary["avg_working_days_to_close"], lights["due_soon_until"], overdue["days_overdue"]


async def apply_all(database: Database, issues: Feed, escalations: Feed, *, calendar_first: bool) -> None:
    pairs = [(issues_consumer(database, NO_SOURCE), issues), (escalations_consumer(database, NO_SOURCE), escalations)]
    for consumer, feed in pairs[::-1] if calendar_first else pairs:
        await consumer.apply(feed.page())


class TestOverrides:
    async def test_an_override_moves_every_working_day_figure_and_its_withdrawal_moves_them_back(
        self, database: Database, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        scenario = build()
        await apply_all(database, scenario.issues, scenario.escalations, calendar_first=False)
        assert await figures(client, tokens) == (13.67, "2026-10-13", 2)

        later = Feed(events=list(scenario.escalations.events))
        calendar_event(later, 2026, DAYS_OFF)
        await escalations_consumer(database, NO_SOURCE).apply(later.page())
        # One working day fewer in each of A, B and C's spans; only 9 October past E's deadline; Tuesday 13
        # is the second working day after Friday 9, so the window reaches Wednesday 14.
        assert await figures(client, tokens) == (12.67, "2026-10-14", 1)

        calendar_event(later, 2026, [])
        await escalations_consumer(database, NO_SOURCE).apply(later.page())
        assert await figures(client, tokens) == (13.67, "2026-10-13", 2)

    async def test_the_figures_are_the_same_whichever_feed_comes_first(
        self, database: Database, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        scenario = build()
        calendar_event(scenario.escalations, 2026, DAYS_OFF)
        await apply_all(database, scenario.issues, scenario.escalations, calendar_first=True)
        assert await figures(client, tokens) == (12.67, "2026-10-14", 1)
