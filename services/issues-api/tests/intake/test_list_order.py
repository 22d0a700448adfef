"""The office's list of submissions: newest first by default, or the longest waiting first (the desk's 待受理诉求)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Intake

# On both backends: the order of stored times and of NULLs differs by dialect unless the SQL says it.
pytestmark = pytest.mark.both_backends

LIST = "/api/v1/intake?contacts=false&status=submitted"


async def titles(intake: Intake, query: str) -> tuple[list[str], Any]:
    response = await intake.client.get(f"{LIST}&{query}", headers=intake.tokens.office())
    assert response.status_code == 200, response.text
    body = response.json()
    return [item["title"] for item in body["items"]], body


class TestListOrder:
    async def test_newest_first_unless_the_longest_waiting_are_asked_for_first(self, intake: Intake) -> None:
        for n in range(5):
            await intake.submit(title=f"诉求{n}")

        newest, _ = await titles(intake, "limit=50")
        assert newest == ["诉求4", "诉求3", "诉求2", "诉求1", "诉求0"]

        first, body = await titles(intake, "sort=submitted_at&limit=2")
        assert first == ["诉求0", "诉求1"]
        assert body["total"] == 5
        second, body = await titles(intake, f"sort=submitted_at&limit=2&cursor={body['next_cursor']}")
        assert second == ["诉求2", "诉求3"]
        third, body = await titles(intake, f"sort=submitted_at&limit=2&cursor={body['next_cursor']}")
        assert third == ["诉求4"]
        assert body["next_cursor"] is None

    async def test_an_unknown_order_is_a_problem(self, intake: Intake) -> None:
        response = await intake.client.get(f"{LIST}&sort=title", headers=intake.tokens.office())
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
