"""The migrations build exactly the models' schema, and go down to nothing and back up again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from issues_api.__main__ import MIGRATIONS
from rectify_kit import migrations
from rectify_kit.testing import backends, create_pg_database, drop_pg_database, sqlite_test_url


@pytest.mark.parametrize("engine", backends())
def test_upgrade_matches_models_and_downgrades_to_base_and_back(engine: str, tmp_path: Path) -> None:
    url = sqlite_test_url(tmp_path, "issues") if engine == "sqlite" else asyncio.run(create_pg_database("issues_mig"))
    try:
        migrations.upgrade(MIGRATIONS, url)
        migrations.check(MIGRATIONS, url)
        migrations.downgrade(MIGRATIONS, url, "base")
        migrations.upgrade(MIGRATIONS, url)
        migrations.check(MIGRATIONS, url)
    finally:
        if engine != "sqlite":
            asyncio.run(drop_pg_database(url))
