"""What deployments set up from the command line: the service clients with their secret files, the first admin."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.config import Settings
from issues_api.directory import repository as directory_repository
from issues_api.directory import service as directory_service
from issues_api.directory.passwords import hash_secret, verify_secret
from issues_api.directory.schemas import ClientCreate, UserCreate
from issues_api.events.service import SYSTEM_ACTOR
from rectify_kit.clock import Clock, SystemClock
from rectify_kit.db import Database

SERVICE_CLIENTS = {"notify-api": "通知服务 notify-api", "report-api": "报表服务 report-api"}
SERVICE_SCOPES = ["directory:read", "events:read"]
# notify-api tells submitters who agreed to it: it reads their contacts in `intake.*` events.
EXTRA_SCOPES = {"notify-api": ["contacts:read"]}


def service_scopes(client_id: str) -> list[str]:
    """The scopes of a service client: the feed's, and what that service needs besides."""
    return SERVICE_SCOPES + EXTRA_SCOPES.get(client_id, [])


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


async def run_provision(settings: Settings, *, client_id: str, scopes: list[str], rotate: bool) -> Path:
    """`provision-client`: `provision_client` on the configured database; the path of the secret file."""
    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            return await provision_client(
                session, settings, client_id=client_id, scopes=scopes, clock=SystemClock(), rotate=rotate
            )
    finally:
        await database.dispose()


async def run_create_admin(settings: Settings, *, username: str, password: str) -> bool:
    """`create-admin`: the administrator, once; an existing account of that name is left as it is (False)."""
    database = Database(settings.resolved_database_url())
    try:
        async with database.session() as session:
            if await directory_repository.get_user_by_username(session, username) is not None:
                return False
            data = UserCreate(username=username, display_name="系统管理员", role="admin", password=password)
            await directory_service.create_user(session, data=data, actor=SYSTEM_ACTOR, clock=SystemClock())
    finally:
        await database.dispose()
    return True
