"""The whole system, started once per test module as real processes on loopback."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rectify_kit import testing

# The harness module sits beside this file; importlib mode does not put test folders on the path.
sys.path.insert(0, str(Path(__file__).parent))

from stack import Stack, running_stack


@pytest.fixture(scope="module", params=testing.backends())
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir: Path = tmp_path_factory.mktemp(f"system-{request.param}")
    urls: dict[str, str] = {}
    if request.param == "postgresql":
        urls = {
            name: asyncio.run(testing.create_pg_database(f"rectify_system_{name}"))
            for name in ("issues", "notify", "report")
        }
    try:
        with running_stack(var_dir, database_urls=urls) as running:
            yield running
    finally:
        for url in urls.values():
            asyncio.run(testing.drop_pg_database(url))
