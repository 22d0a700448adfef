"""Command line: `python -m notify_api migrate|serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from notify_api.config import get_settings
from rectify_kit import migrations

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def main() -> None:
    parser = argparse.ArgumentParser(prog="notify_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("serve", help="run the HTTP service")
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "migrate":
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        migrations.upgrade(MIGRATIONS, settings.resolved_database_url())
    elif args.command == "serve":
        uvicorn.run("notify_api.main:create_app", factory=True, host=settings.host, port=settings.port, log_config=None)


if __name__ == "__main__":
    main()
