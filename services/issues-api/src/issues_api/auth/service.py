"""Logins: the password grant (with a growing wait after wrong passwords), the client-credentials grant, and the
tokens they earn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.errors import LoginThrottled
from issues_api.auth.keys import ServiceKeys
from issues_api.auth.throttle import seconds_left, wait_after
from issues_api.config import Settings
from issues_api.directory import repository
from issues_api.directory.models import Client, User
from issues_api.directory.passwords import verify_secret_in_thread
from rectify_kit.auth import encode_token
from rectify_kit.clock import Clock


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int


def issue_token(claims: dict[str, Any], *, keys: ServiceKeys, settings: Settings, clock: Clock) -> IssuedToken:
    """Sign `claims` with the standard ones added: iss, aud, iat, exp."""
    now = int(clock.now().timestamp())
    ttl = settings.tokens.ttl_seconds
    body = {**claims, "iss": settings.auth.issuer, "aud": settings.auth.audience, "iat": now, "exp": now + ttl}
    return IssuedToken(encode_token(body, private_key_pem=keys.private_pem, kid=keys.kid), ttl)


def user_claims(user: User) -> dict[str, Any]:
    return {
        "sub": user.id,
        "kind": "user",
        "role": user.role,
        "unit_id": user.unit_id,
        "username": user.username,
        "name": user.display_name,
        "scope": "",
    }


def client_claims(client: Client, scopes: list[str]) -> dict[str, Any]:
    return {
        "sub": client.id,
        "kind": "client",
        "role": "integration",
        "unit_id": None,
        "username": client.id,
        "name": client.name,
        "scope": " ".join(scopes),
        # The units it works the ledger for (scope issues:act); notify-api filters webhooks by it too.
        "unit_ids": list(client.unit_ids),
    }


async def authenticate_user(
    session: AsyncSession, *, username: str, password: str, settings: Settings, clock: Clock
) -> User | None:
    """The user when the password is right and the account active; else None.

    While the account waits after wrong passwords (`auth/throttle.py`) this raises `LoginThrottled` with the
    seconds left, without looking at the password. Otherwise one argon2 verification runs on every path (unknown
    user, inactive account), so the answer takes the same time, and each failure counts and may start a wait.
    The caller must keep the counter changes even though the login fails (commit, do not roll back).
    """
    user = await repository.get_user_by_username(session, username)
    now = clock.now()
    if user is not None and (wait := seconds_left(user.locked_until, now)) is not None:
        raise LoginThrottled(
            f"sign in again in {wait} s / 请 {wait} 秒后再试", headers={"Retry-After": str(wait)}, retry_after=wait
        )
    password_ok = await verify_secret_in_thread(user.password_hash if user else None, password)
    if user is None:
        return None
    if password_ok and user.active:
        user.failed_logins, user.locked_until = 0, None
        await session.flush()
        return user
    user.failed_logins += 1
    wait_for = wait_after(user.failed_logins, settings.login)
    user.locked_until = now + wait_for if wait_for is not None else None
    await session.flush()
    return None


async def authenticate_client(session: AsyncSession, *, client_id: str, client_secret: str) -> Client | None:
    """The active client whose secret matches, else None (one argon2 verification on every path)."""
    client = await repository.get_client(session, client_id)
    secret_ok = await verify_secret_in_thread(client.secret_hash if client else None, client_secret)
    if client is None or not secret_ok or not client.active:
        return None
    return client


def granted_scopes(client: Client, requested: str | None) -> list[str] | None:
    """The scopes of the token: all the client's, or the requested subset; None if it asks for more."""
    if not requested:
        return list(client.scopes)
    wanted = requested.split()
    return wanted if set(wanted) <= set(client.scopes) else None
