"""The accounts behind this issuer's tokens, as the directory holds them now (for the kit's AccountCheck)."""

from __future__ import annotations

from issues_api.directory import repository
from rectify_kit.auth import Principal
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState


def account_lookup(database: Database) -> AccountLookup:
    async def lookup(principal: Principal) -> AccountState | None:
        async with database.session(write=False) as session:
            if principal.kind == "client":
                client = await repository.get_client(session, principal.sub)
                return None if client is None else AccountState(active=client.active, scopes=frozenset(client.scopes))
            user = await repository.get_user(session, principal.sub)
            return None if user is None else AccountState(active=user.active, role=user.role, unit_id=user.unit_id)

    return lookup
