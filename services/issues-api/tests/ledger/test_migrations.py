"""The ledger's migrations match the models and go down to base and back up, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from issues_api.ledger.testing import MIGRATIONS
from rectify_kit import migrations
from rectify_kit.testing import backends, create_pg_database, drop_pg_database, sqlite_test_url


@pytest.mark.parametrize("backend", backends())
async def test_upgrade_check_downgrade_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    url = await create_pg_database("issues_mig") if backend == "postgresql" else sqlite_test_url(tmp_path, "mig")
    try:
        migrations.upgrade(MIGRATIONS, url)
        migrations.check(MIGRATIONS, url)
        migrations.downgrade(MIGRATIONS, url, "base")
        migrations.upgrade(MIGRATIONS, url)
        migrations.check(MIGRATIONS, url)
    finally:
        if backend == "postgresql":
            await drop_pg_database(url)
