"""The migrations build exactly the models' schema, and go down to base and up again."""

from __future__ import annotations

import pytest

from rectify_kit import migrations
from report_api.__main__ import MIGRATIONS

# On both backends: the migrations are each dialect's DDL.
pytestmark = pytest.mark.both_backends


async def test_migrations_match_models_and_round_trip(database_url: str) -> None:
    migrations.check(MIGRATIONS, database_url)
    migrations.downgrade(MIGRATIONS, database_url, "base")
    migrations.upgrade(MIGRATIONS, database_url)
    migrations.check(MIGRATIONS, database_url)
