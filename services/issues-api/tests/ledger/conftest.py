"""A migrated database with seed units and a campaign, and an app over it, per module and backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from issues_api.ledger.testing import LedgerWorld, ledger_world
from rectify_kit.testing import backends


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=backends())
async def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LedgerWorld]:
    directory: Path = tmp_path_factory.mktemp("world")
    async with ledger_world(request.param, directory) as built:
        yield built
