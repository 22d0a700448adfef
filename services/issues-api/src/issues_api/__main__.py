"""Command line: `python -m issues_api migrate|serve|demo|provision-client|create-admin`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns import repository as campaigns_repository
from issues_api.campaigns import service as campaigns_service
from issues_api.campaigns.definition import (
    CampaignDefinition,
    default_definition_path,
    load_definition,
    shift_for_demo,
)
from issues_api.config import Settings, get_settings
from issues_api.demo.generator import DemoItem, DemoStep, generate_items
from issues_api.directory import repository as directory_repository
from issues_api.directory import service as directory_service
from issues_api.directory.passwords import hash_secret, verify_secret
from issues_api.directory.schemas import ClientCreate, UserCreate
from issues_api.events.service import SYSTEM_ACTOR
from issues_api.intake import followup as intake_followup
from issues_api.intake import service as intake_service
from issues_api.intake import triage as intake_triage
from issues_api.intake.schemas import AcceptBody, FeedbackCreate, SubmissionCreate
from issues_api.ledger import service as ledger_service
from issues_api.ledger.replay import ReplayStep, replay_steps, replay_viewer
from issues_api.ledger.schemas import IssueCreate
from rectify_kit import serving
from rectify_kit.clock import BUSINESS_TZ, Clock, FixedClock, SystemClock, business_today
from rectify_kit.db import Database
from rectify_kit.db_roles import migrate_with

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented password of the demo accounts, demo mode only
SERVICE_CLIENTS = {"notify-api": "通知服务 notify-api", "report-api": "报表服务 report-api"}
SERVICE_SCOPES = ["directory:read", "events:read"]
# notify-api tells submitters who agreed to it: it reads their contacts in `intake.*` events.
EXTRA_SCOPES = {"notify-api": ["contacts:read"]}


def service_scopes(client_id: str) -> list[str]:
    """The scopes of a service client: the feed's, and what that service needs besides."""
    return SERVICE_SCOPES + EXTRA_SCOPES.get(client_id, [])


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


# --- integration clients -------------------------------------------------------------------------------


def secret_path(settings: Settings, client_id: str) -> Path:
    return settings.secrets_dir() / client_id


def _write_secret(path: Path, secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)


async def provision_client(
    session: AsyncSession, settings: Settings, *, client_id: str, scopes: Sequence[str], clock: Clock, rotate: bool
) -> Path:
    """Make sure the client exists with `scopes` and its secret is in `<secrets dir>/<id>` (0600).

    A client whose secret file is missing (or `rotate`) gets a new secret; a stored secret is reused, and becomes
    the client's secret when it changed (a deployment's rotated secret), ending the tokens of the old one.
    A change writes `client.updated`, as an admin's would.
    """
    path = secret_path(settings, client_id)
    known = path.read_text().strip() if path.exists() and not rotate else None
    client = await directory_repository.get_client(session, client_id)
    if client is None:
        data = ClientCreate(id=client_id, name=SERVICE_CLIENTS.get(client_id, client_id), scopes=list(scopes))
        _, secret = await directory_service.create_client(
            session, data=data, actor=SYSTEM_ACTOR, clock=clock, secret=known or None
        )
        if not known:
            _write_secret(path, secret)  # a stored (or mounted, read-only) secret is never written back
        return path
    changed = client.scopes != sorted(set(scopes))
    client.scopes = sorted(set(scopes))
    if known is None:
        secret = directory_service.new_client_secret()
        client.secret_hash = hash_secret(secret)
        client.credentials_changed_at = clock.now()
        _write_secret(path, secret)
        changed = True
    elif not verify_secret(client.secret_hash, known):
        client.secret_hash = hash_secret(known)
        client.credentials_changed_at = clock.now()
        changed = True
    if changed:  # the services that follow clients in the feed learn of it
        await directory_service.record_client_updated(session, client=client, actor=SYSTEM_ACTOR, clock=clock)
    return path


# --- demo ----------------------------------------------------------------------------------------------


def _at_nine(day: Any) -> datetime:
    return datetime.combine(day, time(9, 0), BUSINESS_TZ)


async def _demo_users(session: AsyncSession, definition: CampaignDefinition, *, clock: Clock) -> int:
    """admin, office, leader, and one `unit` user per unit (username = unit code), password demo12345."""
    office_unit = await directory_repository.get_unit_by_code(session, "KJT-ZCFG")
    people: list[UserCreate] = [
        UserCreate(username="admin", display_name="系统管理员", role="admin", password=DEMO_PASSWORD),
        UserCreate(
            username="office",
            display_name="领导小组办公室",
            role="office",
            unit_id=office_unit.id if office_unit else None,
            password=DEMO_PASSWORD,
        ),
        UserCreate(username="leader", display_name="领导小组组长", role="leader", password=DEMO_PASSWORD),
    ]
    for unit_def in definition.units:
        unit = await directory_repository.get_unit_by_code(session, unit_def.code)
        if unit is not None:
            people.append(
                UserCreate(
                    username=unit_def.code,
                    display_name=f"{unit_def.name}经办人",
                    role="unit",
                    unit_id=unit.id,
                    password=DEMO_PASSWORD,
                )
            )
    created = 0
    shared_hash: str | None = None
    for person in people:
        if await directory_repository.get_user_by_username(session, person.username) is None:
            shared_hash = shared_hash or hash_secret(DEMO_PASSWORD)
            await directory_service.create_user(
                session, data=person, actor=SYSTEM_ACTOR, clock=clock, password_hash=shared_hash
            )
            created += 1
    return created


class _Replayer:
    """Replays generated items through the intake and ledger services, each step at its own time."""

    def __init__(self, session: AsyncSession, *, campaign_id: str, units: dict[str, str], categories: dict[str, str]):
        self.session = session
        self.campaign_id = campaign_id
        self.units = units
        self.categories = categories

    async def item(self, item: DemoItem) -> None:
        create, rest = item.steps[0], item.steps[1:]
        submission = None
        office = replay_viewer("office", None)
        if item.submission is not None:
            sent = item.submission
            data = SubmissionCreate(
                title=sent.title[:200],
                content=sent.content[:5000],
                city=sent.city,
                enterprise_name=sent.enterprise_name,
            )
            submission, _ = await intake_service.submit(self.session, data=data, clock=FixedClock(sent.submitted_at))
            body = AcceptBody(category_id=self.categories.get(item.category), title=item.title)
            submission = await intake_triage.accept(
                self.session, submission_id=submission.id, data=body, viewer=office, clock=FixedClock(create.at)
            )
            issue_id = submission.issue_id or ""
        else:
            issue = await ledger_service.create_issue(
                self.session, data=self._issue_create(create), actor=office.actor, clock=FixedClock(create.at)
            )
            issue_id = issue.id
        pending: list[ReplayStep] = []
        lead: str | None = None
        for step in rest:
            if step.action == "feedback" and submission is not None:
                await replay_steps(self.session, issue_id=issue_id, steps_=pending)
                pending = []
                rating = FeedbackCreate(satisfied=step.payload["satisfied"], rating=step.payload["rating"])
                await intake_followup.give_feedback(
                    self.session, submission=submission, data=rating, clock=FixedClock(step.at)
                )
                continue
            if step.action in {"assign", "reassign"}:
                lead = self.units[step.payload["lead_unit"]]
            pending.append(self._replay_step(step, lead))
        await replay_steps(self.session, issue_id=issue_id, steps_=pending)

    def _issue_create(self, step: DemoStep) -> IssueCreate:
        p = step.payload
        return IssueCreate(
            campaign_id=self.campaign_id,
            title=p["title"],
            description=p["description"],
            kind=p.get("kind", "problem"),
            source=p["source"],
            category_id=self.categories.get(p.get("category", "")),
            cause=p.get("cause"),
            measures=p.get("measures"),
            city=p.get("city"),
        )

    def _replay_step(self, step: DemoStep, lead: str | None) -> ReplayStep:
        body = dict(step.payload)
        if step.action in {"assign", "reassign"}:
            body = {
                "lead_unit_id": self.units[body["lead_unit"]],
                "co_unit_ids": [self.units[c] for c in body["co_units"]],
                "deadline": body["deadline"],
                "requirements": body.get("requirements"),
            }
        if step.actor == "co_unit":
            unit_id = self.units[body.pop("unit")]
            return ReplayStep(step.action, "unit", step.at, body, unit_id=unit_id, target_unit_id=unit_id)
        if step.actor == "unit":
            return ReplayStep(step.action, "unit", step.at, body, unit_id=lead)
        return ReplayStep(step.action, step.actor, step.at, body)


async def load_demo(database: Database, settings: Settings, *, definition_file: bytes, items: int) -> bool:
    """Load the demo once per database: the shifted campaign, demo users, generated items, service clients.

    Returns False (and changes nothing but the service clients) when the campaign is already there.
    """
    clock = SystemClock()
    today = business_today(clock)
    definition = shift_for_demo(load_definition(definition_file), today)
    async with database.session() as session:
        for client_id in SERVICE_CLIENTS:
            await provision_client(
                session,
                settings,
                client_id=client_id,
                scopes=service_scopes(client_id),
                clock=clock,
                rotate=False,
            )
        if await campaigns_repository.get_by_code(session, definition.campaign.code) is not None:
            return False
        start = FixedClock(_at_nine(definition.concentrated_phase.starts_on))
        result = await campaigns_service.import_definition(
            session, definition=definition, actor=SYSTEM_ACTOR, clock=start
        )
        await _demo_users(session, definition, clock=start)
        units = {u.code: (await directory_repository.get_unit_by_code(session, u.code)) for u in definition.units}
        replayer = _Replayer(
            session,
            campaign_id=result.campaign.id,
            units={code: unit.id for code, unit in units.items() if unit is not None},
            categories={c.code: c.id for c in result.campaign.categories},
        )
        for item in generate_items(definition, count=items, today=today):
            await replayer.item(item)
    return True


# --- commands ------------------------------------------------------------------------------------------


async def _run_demo(settings: Settings, definition_file: bytes) -> None:
    database = Database(settings.resolved_database_url())
    try:
        loaded = await load_demo(database, settings, definition_file=definition_file, items=settings.demo_items)
    finally:
        await database.dispose()
    _say("demo loaded" if loaded else "demo already loaded; service clients checked")


async def _run_provision(settings: Settings, client_id: str, scopes: list[str], rotate: bool) -> None:
    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            path = await provision_client(
                session, settings, client_id=client_id, scopes=scopes, clock=SystemClock(), rotate=rotate
            )
    finally:
        await database.dispose()
    _say(f"client {client_id}: secret in {path}")


async def _run_create_admin(settings: Settings, username: str, password: str) -> None:
    """Create the administrator once: an existing account of that name is left as it is (a first start's step)."""
    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            if await directory_repository.get_user_by_username(session, username) is not None:
                _say(f"user {username} exists; left unchanged")
                return
            data = UserCreate(username=username, display_name="系统管理员", role="admin", password=password)
            await directory_service.create_user(session, data=data, actor=SYSTEM_ACTOR, clock=SystemClock())
    finally:
        await database.dispose()
    _say(f"admin {username} created")


def _admin_password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        return Path(args.password_file).read_text(encoding="utf-8").strip()
    return args.password or getpass.getpass("password: ")


def _client_scopes(args: argparse.Namespace) -> list[str]:
    """The scopes named, else a service client's own (notify-api, report-api), else none."""
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
        migrate_with(settings, MIGRATIONS, append_only=("events",))
    elif args.command == "serve":
        from issues_api.main import create_app  # the app's imports are needed only to serve

        serving.serve(create_app(settings), settings)
    elif args.command == "demo":
        if not settings.demo:
            _say("demo data is loaded only in demo mode: set ISSUES_DEMO=true")
            return 2
        definition_file = default_definition_path(settings.demo_definition).read_bytes()
        asyncio.run(_run_demo(settings, definition_file))
    elif args.command == "provision-client":
        asyncio.run(_run_provision(settings, args.client_id, _client_scopes(args), args.rotate))
    elif args.command == "create-admin":
        asyncio.run(_run_create_admin(settings, args.username, _admin_password(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
