"""The users behind tokens as report-api last heard of them from the directory events (for the kit's
AccountCheck); integration clients are not in those events, so their tokens are taken as they are."""

from __future__ import annotations

from rectify_kit.auth import Principal
from rectify_kit.db import Database
from rectify_kit.revocation import AccountLookup, AccountState
from report_api.readmodel.models import Account


def account_lookup(database: Database) -> AccountLookup:
    async def lookup(principal: Principal) -> AccountState | None:
        if principal.kind != "user":
            return None
        async with database.session(write=False) as session:
            account = await session.get(Account, principal.sub)
        if account is None:
            return None
        return AccountState(active=account.active, role=account.role, unit_id=account.unit_id)

    return lookup
