"""The web app's sessions: a refresh token in an HttpOnly cookie, exchanged for a new one on every use.

The access token lives in the page's memory only (no script-readable storage), so a reload asks
`POST /api/v1/auth/refresh` for a new one with the cookie. Each refresh replaces the cookie's token by a new one
of the same family; a replaced token presented again after `refresh_grace_seconds` means two parties hold it, and
ends the whole family. A password change, a deactivated account or a sign-out ends a session too.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth import repository as tokens
from issues_api.auth.errors import RefreshRefused
from issues_api.auth.models import RefreshToken
from issues_api.config import TokenSettings
from issues_api.directory import repository
from issues_api.directory.models import User
from rectify_kit.clock import Clock


@dataclass(frozen=True)
class Renewal:
    """A refresh's outcome: the user to issue an access token to, and the next refresh token (None when a
    concurrent refresh of the same session already took it: the browser keeps that one's cookie)."""

    user: User
    refresh_token: str | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start(session: AsyncSession, *, user_id: str, settings: TokenSettings, clock: Clock) -> str:
    """A new session for `user_id`: its first refresh token."""
    return await _add(session, user_id=user_id, family_id=str(uuid.uuid4()), settings=settings, clock=clock)


async def _add(session: AsyncSession, *, user_id: str, family_id: str, settings: TokenSettings, clock: Clock) -> str:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(
        RefreshToken(
            id=str(uuid.uuid4()),
            family_id=family_id,
            user_id=user_id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_ttl_seconds),
        )
    )
    await session.flush()
    return token


async def renew(session: AsyncSession, *, presented: str, settings: TokenSettings, clock: Clock) -> Renewal:
    """Exchange a refresh token for the next one (raises `RefreshRefused`; a reuse ends the family).

    The caller commits even when this refuses, so that a family ended for reuse stays ended.
    """
    now = clock.now()
    token = await tokens.get_refresh_token(session, _hash(presented), for_update=True)
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise RefreshRefused("the session ended; sign in again")
    user = await repository.get_user(session, token.user_id)
    changed = user.credentials_changed_at if user is not None else None
    if user is None or not user.active or (changed is not None and token.created_at < changed):
        await end_family(session, family_id=token.family_id, clock=clock)
        raise RefreshRefused("the account changed since this session began; sign in again")
    if token.replaced_at is not None:
        if now - token.replaced_at <= timedelta(seconds=settings.refresh_grace_seconds):
            return Renewal(user=user, refresh_token=None)
        await end_family(session, family_id=token.family_id, clock=clock)
        raise RefreshRefused("this refresh token was used before: the session is ended", code="refresh-reused")
    token.replaced_at = now
    successor = await _add(session, user_id=user.id, family_id=token.family_id, settings=settings, clock=clock)
    return Renewal(user=user, refresh_token=successor)


async def end(session: AsyncSession, *, presented: str, clock: Clock) -> None:
    """Sign out: the session of this refresh token ends (unknown tokens change nothing)."""
    token = await tokens.get_refresh_token(session, _hash(presented))
    if token is not None:
        await end_family(session, family_id=token.family_id, clock=clock)


async def end_family(session: AsyncSession, *, family_id: str, clock: Clock) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
