"""Create PostgreSQL databases that do not exist yet (`make run-pg`): `pg_databases.py SERVER_URL NAME...`."""

from __future__ import annotations

import asyncio
import sys

import asyncpg


async def create_missing(server_url: str, names: list[str]) -> list[str]:
    """Create each database of `names` missing on the server; returns the ones created."""
    connection = await asyncpg.connect(server_url)
    created = []
    try:
        for name in names:
            if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name) is None:
                quoted = '"' + name.replace('"', '""') + '"'
                await connection.execute(f"CREATE DATABASE {quoted}")
                created.append(name)
    finally:
        await connection.close()
    return created


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: pg_databases.py postgresql://user@host:port/postgres NAME...")
        return 2
    created = asyncio.run(create_missing(argv[0], argv[1:]))
    print(f"databases created: {', '.join(created)}" if created else f"databases present: {', '.join(argv[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
