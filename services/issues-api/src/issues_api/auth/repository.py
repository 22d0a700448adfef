"""Queries of the sessions' refresh tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.auth.models import RefreshToken


async def get_refresh_token(session: AsyncSession, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
    query = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()
