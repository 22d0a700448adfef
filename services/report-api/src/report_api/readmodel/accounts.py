"""The accounts behind tokens as report-api last heard of them from the directory events (for the kit's
AccountCheck): users (role, unit, active, `not_before`) and integration clients (active, scopes, bound units,
`not_before`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit import revocation
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState, epoch
from report_api.readmodel.models import Account, ClientAccount


async def _client(session: AsyncSession, client_id: str) -> AccountState | None:
    client = await session.get(ClientAccount, client_id)
    if client is None:
        return None
    scopes, unit_ids = frozenset(client.scopes.split()), frozenset(client.unit_ids.split())
    return AccountState(active=client.active, scopes=scopes, unit_ids=unit_ids, not_before=epoch(client.not_before))


async def _user(session: AsyncSession, user_id: str) -> AccountState | None:
    user = await session.get(Account, user_id)
    if user is None:
        return None
    return AccountState(active=user.active, role=user.role, unit_id=user.unit_id, not_before=epoch(user.not_before))


def account_lookup(database: Database) -> AccountLookup:
    return revocation.account_lookup(database, users=_user, clients=_client)
