"""Command line: `python -m report_api migrate|serve|rebuild`.

Each command imports what it runs: `migrate` (before every start) needs neither the app, the HTTP server nor the
feed consumers.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from report_api.config import Settings, get_settings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def rebuild(settings: Settings) -> int:
    """Clear the read model, then replay both feeds from sequence 0 up to their heads."""
    import httpx

    from rectify_kit.db import Database
    from report_api.readmodel import feeds, service

    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            await service.reset(session)
        async with httpx.AsyncClient() as http:
            return await feeds.catch_up(feeds.http_consumers(settings, database, http))
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="report_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("serve", help="run the HTTP service")
    sub.add_parser("rebuild", help="rebuild the read model from sequence 0 of both feeds")
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "migrate":
        from rectify_kit.db_roles import migrate_with

        migrate_with(settings, MIGRATIONS)
    elif args.command == "rebuild":
        applied = asyncio.run(rebuild(settings))
        print(f"read model rebuilt: {applied} events applied")  # noqa: T201
    elif args.command == "serve":
        from rectify_kit import serving
        from report_api.main import create_app

        serving.serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
