"""The accounts behind this issuer's tokens, as the directory holds them now (for the kit's AccountCheck)."""

from __future__ import annotations

from datetime import datetime

from issues_api.directory import repository
from rectify_kit.auth import Principal
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def account_lookup(database: Database) -> AccountLookup:
    async def lookup(principal: Principal) -> AccountState | None:
        async with database.session(write=False) as session:
            if principal.kind == "client":
                client = await repository.get_client(session, principal.sub)
                if client is None:
                    return None
                return AccountState(
                    active=client.active,
                    scopes=frozenset(client.scopes),
                    not_before=_epoch(client.credentials_changed_at),
                )
            user = await repository.get_user(session, principal.sub)
            if user is None:
                return None
            return AccountState(
                active=user.active,
                role=user.role,
                unit_id=user.unit_id,
                not_before=_epoch(user.credentials_changed_at),
            )

    return lookup
