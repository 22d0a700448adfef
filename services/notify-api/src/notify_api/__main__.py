"""Command line: `python -m notify_api migrate|serve`.

Each command imports what it runs: `migrate` (before every start) needs neither the app nor the HTTP server.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from notify_api.config import get_settings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def main() -> None:
    parser = argparse.ArgumentParser(prog="notify_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("serve", help="run the HTTP service")
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "migrate":
        from rectify_kit.db_roles import migrate_with

        migrate_with(settings, MIGRATIONS)
    elif args.command == "serve":
        from notify_api.main import create_app
        from rectify_kit import serving

        serving.serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
