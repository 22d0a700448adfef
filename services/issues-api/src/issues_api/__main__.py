"""Command line: `python -m issues_api migrate|serve|demo|provision-client|create-admin`.

Each command imports what it runs, when it runs: importing the whole service costs a second of CPU at every start,
and `migrate` or `provision-client` (run before every start of a stack, in tests dozens of times) need a part.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from issues_api.config import get_settings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _admin_password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        return Path(args.password_file).read_text(encoding="utf-8").strip()
    return args.password or getpass.getpass("password: ")


def _client_scopes(args: argparse.Namespace) -> list[str]:
    """The scopes named, else a service client's own (notify-api, report-api), else none."""
    from issues_api.directory.provisioning import SERVICE_CLIENTS, service_scopes

    if args.scopes is not None:
        return list(args.scopes.split())
    return service_scopes(args.client_id) if args.client_id in SERVICE_CLIENTS else []


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="issues_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("serve", help="run the HTTP service")
    sub.add_parser("demo", help="load the demo campaign, accounts and items once (ISSUES_DEMO=true)")
    provision = sub.add_parser(
        "provision-client", help="register an integration client, its secret in <ISSUES_CLIENT_SECRETS_DIR>/<id>"
    )
    provision.add_argument("--id", required=True, dest="client_id")
    provision.add_argument(
        "--scopes", default=None, help='space separated, e.g. "events:read"; default: a service client\'s own'
    )
    provision.add_argument("--rotate", action="store_true", help="issue a new secret even if one is stored")
    admin = sub.add_parser("create-admin", help="create an administrator account unless it exists")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--password", default=None, help="prompted for when neither it nor a file is given")
    admin.add_argument("--password-file", default=None, help="a file holding the password (a mounted secret)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if args.command == "migrate":
        from rectify_kit.db_roles import migrate_with

        migrate_with(settings, MIGRATIONS, append_only=("events",))
    elif args.command == "serve":
        from issues_api.main import create_app
        from rectify_kit import serving

        serving.serve(create_app(settings), settings)
    elif args.command == "demo":
        if not settings.demo:
            _say("demo data is loaded only in demo mode: set ISSUES_DEMO=true")
            return 2
        from issues_api.demo.loader import run_demo

        loaded = asyncio.run(run_demo(settings))
        _say("demo loaded" if loaded else "demo already loaded; service clients checked")
    elif args.command == "provision-client":
        from issues_api.directory.provisioning import run_provision

        path = asyncio.run(
            run_provision(settings, client_id=args.client_id, scopes=_client_scopes(args), rotate=args.rotate)
        )
        _say(f"client {args.client_id}: secret in {path}")
    elif args.command == "create-admin":
        from issues_api.directory.provisioning import run_create_admin

        username = args.username
        created = asyncio.run(run_create_admin(settings, username=username, password=_admin_password(args)))
        _say(f"admin {username} created" if created else f"user {username} exists; left unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
