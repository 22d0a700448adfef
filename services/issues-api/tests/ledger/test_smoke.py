from __future__ import annotations

import pytest

from issues_api.ledger.testing import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_issue_reaches_closed(world: LedgerWorld) -> None:
    issue = await world.issue_in("closed")
    assert issue["code"].startswith("YS-2017-")
