"""What issues-api no longer needs is deleted: idempotency keys past their replay window (plus a margin) and the
refresh tokens of ended or expired sessions. The audit log and the ledger are kept for good."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.models import RefreshToken
from issues_api.config import RetentionSettings
from issues_api.events.models import idempotency_keys
from rectify_kit.clock import Clock
from rectify_kit.idempotency import purge_expired


@dataclass(frozen=True)
class Purged:
    idempotency_keys: int
    refresh_tokens: int


async def purge(session: AsyncSession, *, settings: RetentionSettings, clock: Clock) -> Purged:
    """One round of retention; deletes in the caller's transaction."""
    now = clock.now()
    keys = await purge_expired(session, idempotency_keys, before=now - timedelta(days=settings.idempotency_days))
    gone = now - timedelta(days=settings.sessions_days)
    result = await session.execute(
        delete(RefreshToken).where(or_(RefreshToken.expires_at < gone, RefreshToken.revoked_at < gone))
    )
    return Purged(idempotency_keys=keys, refresh_tokens=int(getattr(result, "rowcount", 0) or 0))
