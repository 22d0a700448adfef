"""The accounts behind tokens as notify-api last heard of them from the feed (for the kit's AccountCheck):
users from `user.*` events (a token older than the user's last password change is refused), integration clients
from `client.*` events (a token claiming a scope or unit the client no longer has, of a deactivated client, or
older than its last secret rotation is refused)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory.repository import get_client, get_user
from rectify_kit import revocation
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState, epoch


async def _client(session: AsyncSession, client_id: str) -> AccountState | None:
    client = await get_client(session, client_id)
    if client is None:
        return None
    scopes, unit_ids = frozenset(client.scopes), frozenset(client.unit_ids)
    return AccountState(active=client.active, scopes=scopes, unit_ids=unit_ids, not_before=epoch(client.not_before))


async def _user(session: AsyncSession, user_id: str) -> AccountState | None:
    user = await get_user(session, user_id)
    if user is None:
        return None
    return AccountState(active=user.active, role=user.role, unit_id=user.unit_id, not_before=epoch(user.not_before))


def account_lookup(database: Database) -> AccountLookup:
    return revocation.account_lookup(database, users=_user, clients=_client)
