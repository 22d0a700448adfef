"""The accounts behind this issuer's tokens, as the directory holds them now (for the kit's AccountCheck)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.directory import repository
from rectify_kit import revocation
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState, epoch


async def _client(session: AsyncSession, client_id: str) -> AccountState | None:
    client = await repository.get_client(session, client_id)
    if client is None:
        return None
    scopes, unit_ids = frozenset(client.scopes), frozenset(client.unit_ids)
    changed = epoch(client.credentials_changed_at)
    return AccountState(active=client.active, scopes=scopes, unit_ids=unit_ids, not_before=changed)


async def _user(session: AsyncSession, user_id: str) -> AccountState | None:
    user = await repository.get_user(session, user_id)
    if user is None:
        return None
    changed = epoch(user.credentials_changed_at)
    return AccountState(active=user.active, role=user.role, unit_id=user.unit_id, not_before=changed)


def account_lookup(database: Database) -> AccountLookup:
    return revocation.account_lookup(database, users=_user, clients=_client)
