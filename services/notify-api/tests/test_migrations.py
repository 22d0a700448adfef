"""The migrations build exactly the models' schema, and go down to nothing and back up."""

from __future__ import annotations

import pytest

from notify_api.__main__ import MIGRATIONS
from rectify_kit import migrations

# On both backends: the migrations are each dialect's DDL.
pytestmark = pytest.mark.both_backends


def test_migrations_match_models_and_round_trip(database_url: str) -> None:
    migrations.check(MIGRATIONS, database_url)
    migrations.downgrade(MIGRATIONS, database_url, "base")
    migrations.upgrade(MIGRATIONS, database_url)
    migrations.check(MIGRATIONS, database_url)
