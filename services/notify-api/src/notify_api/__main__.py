"""Command line: `python -m notify_api migrate|serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

from notify_api.config import get_settings
from rectify_kit import serving
from rectify_kit.db_roles import migrate_with

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def main() -> None:
    parser = argparse.ArgumentParser(prog="notify_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("serve", help="run the HTTP service")
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "migrate":
        migrate_with(settings, MIGRATIONS)
    elif args.command == "serve":
        from notify_api.main import create_app  # the app's imports are needed only to serve

        serving.serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
