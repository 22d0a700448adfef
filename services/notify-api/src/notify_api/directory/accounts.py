"""The users behind tokens as notify-api last heard of them from the feed (for the kit's AccountCheck).

Integration clients are not in the directory feed, so their tokens are taken as they are."""

from __future__ import annotations

from notify_api.directory.repository import get_user
from rectify_kit.auth import Principal
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState


def account_lookup(database: Database) -> AccountLookup:
    async def lookup(principal: Principal) -> AccountState | None:
        if principal.kind != "user":
            return None
        async with database.session(write=False) as session:
            user = await get_user(session, principal.sub)
        return None if user is None else AccountState(active=user.active, role=user.role, unit_id=user.unit_id)

    return lookup
