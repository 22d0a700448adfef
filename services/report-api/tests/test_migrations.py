"""The migrations build exactly the models' schema, and go down to base and up again."""

from __future__ import annotations

from rectify_kit import migrations
from report_api.__main__ import MIGRATIONS


async def test_migrations_match_models_and_round_trip(db_url: str) -> None:
    migrations.check(MIGRATIONS, db_url)
    migrations.downgrade(MIGRATIONS, db_url, "base")
    migrations.upgrade(MIGRATIONS, db_url)
    migrations.check(MIGRATIONS, db_url)
