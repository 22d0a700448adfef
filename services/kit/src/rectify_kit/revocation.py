"""Tokens outlive account changes: an account deactivated, moved to another unit or given another role keeps a
valid signature until the token expires (an hour by default). `AccountCheck` closes that gap by comparing each
token with the account as the service knows it now, looked up at most once every few seconds per account."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.auth import Principal
from rectify_kit.db import Database


@dataclass(frozen=True)
class AccountState:
    """An account as the service knows it now; `scopes` and `unit_ids` only matter for integration clients.

    `not_before` (epoch seconds): tokens issued before it are void, e.g. since a password or secret changed.
    """

    active: bool
    role: str | None = None
    unit_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    unit_ids: frozenset[str] = field(default_factory=frozenset)
    not_before: float | None = None


AccountLookup = Callable[[Principal], Awaitable[AccountState | None]]
# Reads one account (by the token's `sub`) from the service's own copy of the directory.
AccountRead = Callable[[AsyncSession, str], Awaitable[AccountState | None]]


def account_lookup(database: Database, *, users: AccountRead, clients: AccountRead) -> AccountLookup:
    """An `AccountLookup` over the service's own copy of the accounts: integration clients' tokens are read with
    `clients`, every other token with `users`, each in a read session of `database`."""

    async def lookup(principal: Principal) -> AccountState | None:
        read = clients if principal.kind == "client" else users
        async with database.session(write=False) as session:
            return await read(session, principal.sub)

    return lookup


def epoch(moment: datetime | None) -> float | None:
    """A stored moment as `AccountState.not_before` takes it (epoch seconds), None for none."""
    return moment.timestamp() if moment is not None else None


def still_matches(principal: Principal, account: AccountState) -> bool:
    """The token still speaks for the account: active, same role and unit, no scope or bound unit it has since
    lost, issued after the last change of password or secret."""
    if not account.active:
        return False
    # `iat` has whole seconds: a token from the very second of the change is given the benefit of the doubt,
    # so that signing in again right after the change always works.
    if account.not_before is not None and int(principal.claims.get("iat", 0)) < int(account.not_before):
        return False
    if principal.kind == "client":
        return principal.scopes <= account.scopes and principal.unit_ids <= account.unit_ids
    return principal.role == account.role and principal.unit_id == account.unit_id


class AccountCheck:
    """A `TrustedIssuer.account_check`: True while the token's account still matches it.

    An account the lookup does not know passes: accounts are never deleted, only deactivated, and a service
    that learns accounts from the feed may not have heard of a new one yet.
    """

    def __init__(
        self,
        lookup: AccountLookup,
        *,
        ttl_seconds: float = 5.0,
        size: int = 10_000,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lookup = lookup
        self._ttl = ttl_seconds
        self._size = size
        self._now = now
        self._seen: OrderedDict[tuple[str, str], tuple[float, AccountState | None]] = OrderedDict()
        # Look-ups under way: the requests that find an account's answer expired together (a busy account's
        # every request in flight, each time the ttl runs out) wait for one look-up, not one each.
        self._pending: dict[tuple[str, str], asyncio.Future[AccountState | None]] = {}

    async def __call__(self, principal: Principal) -> bool:
        key = (principal.kind, principal.sub)
        now = self._now()
        cached = self._seen.get(key)
        if cached is not None and cached[0] > now:
            account = cached[1]
        else:
            pending = self._pending.get(key)
            if pending is None:
                pending = asyncio.ensure_future(self._look_up(key, principal, now))
                self._pending[key] = pending
                pending.add_done_callback(lambda _: self._pending.pop(key, None))
            # Shielded: a waiter cancelled (its client went away) does not cancel the others' look-up.
            account = await asyncio.shield(pending)
        return account is None or still_matches(principal, account)

    async def _look_up(self, key: tuple[str, str], principal: Principal, now: float) -> AccountState | None:
        account = await self._lookup(principal)
        self._seen[key] = (now + self._ttl, account)
        self._seen.move_to_end(key)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return account
