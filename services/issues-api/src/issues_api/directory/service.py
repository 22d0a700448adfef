"""Rules of the directory: units, users and integration clients, each change recorded as an event."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.directory import repository
from issues_api.directory.errors import (
    ClientIdTaken,
    ClientNotFound,
    InvalidDirectoryData,
    UnitCodeTaken,
    UnitNotFound,
    UsernameTaken,
    UserNotFound,
)
from issues_api.directory.models import Client, Unit, User
from issues_api.directory.passwords import hash_secret_in_thread
from issues_api.directory.schemas import (
    ClientCreate,
    ClientOut,
    ClientUpdate,
    UnitCreate,
    UnitOut,
    UnitUpdate,
    UserCreate,
    UserOut,
    UserUpdate,
)
from issues_api.events.service import record_event
from rectify_kit.clock import Clock


def unit_state(unit: Unit) -> dict[str, Any]:
    return UnitOut.model_validate(unit).model_dump(mode="json")


def _not_before(changed: datetime | None) -> str | None:
    return changed.isoformat() if changed is not None else None


def user_state(user: User) -> dict[str, Any]:
    """The `User` of events: contacts included, the password hash never; `not_before`: tokens issued before it
    are void (the last password change), for the services that check tokens against the feed."""
    return {
        **UserOut.model_validate(user).model_dump(mode="json"),
        "not_before": _not_before(user.credentials_changed_at),
    }


async def _flush(session: AsyncSession, conflict: Exception) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create won the unique index
        raise conflict from exc


async def _check_parent(session: AsyncSession, *, unit_id: str | None, parent_id: str | None) -> None:
    """The parent must exist and must not be the unit itself or one of its descendants."""
    seen: set[str] = set()
    current = parent_id
    while current is not None:
        if current == unit_id or current in seen:
            raise InvalidDirectoryData("parent_id", "would make a cycle / 上级单位形成循环")
        seen.add(current)
        parent = await repository.get_unit(session, current)
        if parent is None:
            raise InvalidDirectoryData("parent_id", "unknown unit / 上级单位不存在")
        current = parent.parent_id


async def create_unit(session: AsyncSession, *, data: UnitCreate, actor: dict[str, Any], clock: Clock) -> Unit:
    """Add a unit (code unique → 409); writes `unit.created`."""
    if await repository.get_unit_by_code(session, data.code) is not None:
        raise UnitCodeTaken(f"unit code {data.code} exists")
    await _check_parent(session, unit_id=None, parent_id=data.parent_id)
    now = clock.now()
    unit = Unit(
        code=data.code,
        name=data.name,
        kind=data.kind,
        parent_id=data.parent_id,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(unit)
    await _flush(session, UnitCodeTaken(f"unit code {data.code} exists"))
    await record_event(
        session, type="unit.created", subject_id=unit.id, actor=actor, data={"unit": unit_state(unit)}, clock=clock
    )
    return unit


VersionCheck = Callable[[int], None]


async def update_unit(
    session: AsyncSession,
    *,
    unit_id: str,
    data: UnitUpdate,
    actor: dict[str, Any],
    clock: Clock,
    check_version: VersionCheck,
) -> Unit:
    """Change a unit's name, kind, parent or active flag (`check_version` raises on a stale ETag);
    writes `unit.updated`."""
    unit = await repository.get_unit(session, unit_id)
    if unit is None:
        raise UnitNotFound()
    check_version(unit.version)
    changes = data.model_dump(exclude_unset=True)
    if "parent_id" in changes:
        await _check_parent(session, unit_id=unit.id, parent_id=changes["parent_id"])
    for field in ("name", "kind", "active"):
        if changes.get(field) is not None:
            setattr(unit, field, changes[field])
    if "parent_id" in changes:
        unit.parent_id = changes["parent_id"]
    unit.version += 1
    unit.updated_at = clock.now()
    await session.flush()
    await record_event(
        session, type="unit.updated", subject_id=unit.id, actor=actor, data={"unit": unit_state(unit)}, clock=clock
    )
    return unit


async def _check_user_unit(session: AsyncSession, *, role: str, unit_id: str | None) -> None:
    if role == "unit" and unit_id is None:
        raise InvalidDirectoryData("unit_id", "required for role unit / 单位用户必须指定所属单位")
    if unit_id is not None and await repository.get_unit(session, unit_id) is None:
        raise InvalidDirectoryData("unit_id", "unknown unit / 单位不存在")


async def create_user(
    session: AsyncSession,
    *,
    data: UserCreate,
    actor: dict[str, Any],
    clock: Clock,
    password_hash: str | None = None,
) -> User:
    """Add a user (username unique → 409; a `unit` user needs a unit → 422); writes `user.created`.

    `password_hash`, when given, is `data.password` hashed already: the demo's accounts share one password, and
    hashing it once rather than per account (argon2, ~0.2 s of CPU each) saves seconds on every demo load."""
    if await repository.get_user_by_username(session, data.username) is not None:
        raise UsernameTaken(f"username {data.username} exists")
    await _check_user_unit(session, role=data.role, unit_id=data.unit_id)
    now = clock.now()
    user = User(
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        unit_id=data.unit_id,
        phone=data.phone,
        email=data.email,
        password_hash=password_hash or await hash_secret_in_thread(data.password),
        locale=data.locale,
        digest_opt_in=data.digest_opt_in,
        failed_logins=0,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    await _flush(session, UsernameTaken(f"username {data.username} exists"))
    await record_event(
        session, type="user.created", subject_id=user.id, actor=actor, data={"user": user_state(user)}, clock=clock
    )
    return user


async def update_user(
    session: AsyncSession,
    *,
    user_id: str,
    data: UserUpdate,
    actor: dict[str, Any],
    clock: Clock,
    check_version: VersionCheck,
) -> User:
    """Change a user (`check_version` raises on a stale ETag); a new password also ends a login wait;
    writes `user.updated` (never the hash)."""
    user = await repository.get_user(session, user_id)
    if user is None:
        raise UserNotFound()
    check_version(user.version)
    changes = data.model_dump(exclude_unset=True)
    role = changes.get("role") or user.role
    unit_id = changes.get("unit_id", user.unit_id)
    await _check_user_unit(session, role=role, unit_id=unit_id)
    user.role, user.unit_id = role, unit_id
    for field in ("display_name", "active", "locale", "digest_opt_in"):
        if changes.get(field) is not None:
            setattr(user, field, changes[field])
    for field in ("phone", "email"):  # contacts may be cleared with null
        if field in changes:
            setattr(user, field, changes[field])
    if changes.get("password"):
        user.password_hash = await hash_secret_in_thread(changes["password"])
        user.failed_logins, user.locked_until = 0, None
        user.credentials_changed_at = clock.now()
    user.version += 1
    user.updated_at = clock.now()
    await session.flush()
    await record_event(
        session, type="user.updated", subject_id=user.id, actor=actor, data={"user": user_state(user)}, clock=clock
    )
    return user


async def unlock_user(session: AsyncSession, *, user_id: str, actor: dict[str, Any], clock: Clock) -> User:
    """End the wait that wrong passwords imposed on a user (auth/throttle.py); writes `user.unlocked`."""
    user = await repository.get_user(session, user_id)
    if user is None:
        raise UserNotFound()
    user.failed_logins, user.locked_until = 0, None
    await session.flush()
    await record_event(
        session, type="user.unlocked", subject_id=user.id, actor=actor, data={"user": user_state(user)}, clock=clock
    )
    return user


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def _client_state(client: Client) -> dict[str, Any]:
    """The `Client` of events, with `not_before` (the last secret rotation) like a user's."""
    state = ClientOut.model_validate(client).model_dump(mode="json")
    return {**state, "not_before": _not_before(client.credentials_changed_at)}


async def _bound_units(session: AsyncSession, unit_ids: list[str]) -> list[str]:
    """The units a client is bound to, each existing (422 otherwise), without repeats."""
    wanted = list(dict.fromkeys(unit_ids))
    missing = [u for u in wanted if await repository.get_unit(session, u) is None]
    if missing:
        raise InvalidDirectoryData("unit_ids", f"unknown unit / 单位不存在: {', '.join(missing)}")
    return wanted


async def create_client(
    session: AsyncSession, *, data: ClientCreate, actor: dict[str, Any], clock: Clock, secret: str | None = None
) -> tuple[Client, str]:
    """Register an integration client; returns it with its secret (shown once); writes `client.created`."""
    if await repository.get_client(session, data.id) is not None:
        raise ClientIdTaken(f"client {data.id} exists")
    unit_ids = await _bound_units(session, data.unit_ids)
    secret = secret or new_client_secret()
    now = clock.now()
    client = Client(
        id=data.id,
        name=data.name,
        secret_hash=await hash_secret_in_thread(secret),
        scopes=sorted(set(data.scopes)),
        unit_ids=unit_ids,
        active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(client)
    await _flush(session, ClientIdTaken(f"client {data.id} exists"))
    await record_event(
        session,
        type="client.created",
        subject_id=client.id,
        actor=actor,
        data={"client": _client_state(client)},
        clock=clock,
    )
    return client, secret


async def update_client(
    session: AsyncSession, *, client_id: str, data: ClientUpdate, actor: dict[str, Any], clock: Clock
) -> tuple[Client, str | None]:
    """Change a client's name, scopes, bound units or active flag, or rotate its secret; writes `client.updated`.

    Tokens that claim a scope or a unit the client no longer has are refused from then on (auth/accounts.py)."""
    client = await repository.get_client(session, client_id)
    if client is None:
        raise ClientNotFound()
    if data.name is not None:
        client.name = data.name
    if data.scopes is not None:
        client.scopes = sorted(set(data.scopes))
    if data.unit_ids is not None:
        client.unit_ids = await _bound_units(session, data.unit_ids)
    if data.active is not None:
        client.active = data.active
    secret = new_client_secret() if data.rotate_secret else None
    if secret is not None:
        client.secret_hash = await hash_secret_in_thread(secret)
        client.credentials_changed_at = clock.now()
    await record_client_updated(session, client=client, actor=actor, clock=clock)
    return client, secret


async def record_client_updated(session: AsyncSession, *, client: Client, actor: dict[str, Any], clock: Clock) -> None:
    """Stamp a changed client and write `client.updated`: notify-api's webhooks and token checks follow it."""
    client.updated_at = clock.now()
    await session.flush()
    await record_event(
        session,
        type="client.updated",
        subject_id=client.id,
        actor=actor,
        data={"client": _client_state(client)},
        clock=clock,
    )
