"""A token whose account was deactivated or changed is refused from the next look-up on, not at its expiry."""

from __future__ import annotations

import asyncio

import pytest

from rectify_kit.auth import InvalidToken, JWKSKeySet, Principal, TokenVerifier, TrustedIssuer
from rectify_kit.revocation import AccountCheck, AccountState, still_matches
from rectify_kit.testing import TokenFactory

FACTORY = TokenFactory()


class Accounts:
    """A lookup over a dict, counting its calls."""

    def __init__(self) -> None:
        self.known: dict[str, AccountState] = {}
        self.calls = 0

    async def __call__(self, principal: Principal) -> AccountState | None:
        self.calls += 1
        return self.known.get(principal.sub)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def unit_user(
    *, active: bool = True, role: str = "unit", unit_id: str = "unit-a", not_before: float | None = None
) -> AccountState:
    return AccountState(active=active, role=role, unit_id=unit_id, not_before=not_before)


USER = Principal(sub="u1", kind="user", role="unit", unit_id="unit-a")
CLIENT = Principal(sub="c1", kind="client", scopes=frozenset({"events:read"}))
ISSUED_AT_1000 = Principal(sub="u1", kind="user", role="unit", unit_id="unit-a", claims={"iat": 1000})


@pytest.mark.parametrize(
    ("principal", "account", "valid"),
    [
        (USER, unit_user(), True),
        (USER, unit_user(active=False), False),
        (USER, unit_user(unit_id="unit-b"), False),
        (USER, unit_user(role="office"), False),
        (CLIENT, AccountState(active=True, scopes=frozenset({"events:read", "directory:read"})), True),
        (CLIENT, AccountState(active=True, scopes=frozenset()), False),
        (CLIENT, AccountState(active=False, scopes=frozenset({"events:read"})), False),
        (ISSUED_AT_1000, unit_user(not_before=999.9), True),
        (ISSUED_AT_1000, unit_user(not_before=1000.5), True),
        (ISSUED_AT_1000, unit_user(not_before=1001.0), False),
    ],
)
def test_a_token_speaks_for_its_account_only_while_nothing_it_claims_has_changed(
    principal: Principal, account: AccountState, valid: bool
) -> None:
    assert still_matches(principal, account) is valid


async def test_an_account_is_looked_up_again_only_after_the_ttl() -> None:
    accounts, clock = Accounts(), Clock()
    accounts.known["u1"] = unit_user()
    check = AccountCheck(accounts, ttl_seconds=5, now=clock)
    assert await check(USER)
    accounts.known["u1"] = unit_user(active=False)
    clock.t += 4.9
    assert await check(USER)  # still within the ttl: the earlier answer stands
    assert accounts.calls == 1
    clock.t += 0.2
    assert not await check(USER)
    assert accounts.calls == 2


async def test_an_unknown_account_passes() -> None:
    check = AccountCheck(Accounts(), ttl_seconds=0)
    assert await check(USER)


async def test_the_verifier_refuses_a_deactivated_accounts_token_and_only_for_its_own_issuer() -> None:
    accounts = Accounts()
    accounts.known["u1"] = unit_user(active=False)
    other = TokenFactory(issuer="https://idp.example.gov.cn", kid="idp-key")
    keys = JWKSKeySet(keys=[*FACTORY.jwks["keys"], *other.jwks["keys"]])
    verifier = TokenVerifier(
        [
            TrustedIssuer(FACTORY.issuer, FACTORY.audience, keys, account_check=AccountCheck(accounts, ttl_seconds=0)),
            TrustedIssuer(other.issuer, other.audience, keys),
        ]
    )
    with pytest.raises(InvalidToken, match="deactivated or changed"):
        await verifier.verify(FACTORY.token("u1", role="unit", unit_id="unit-a"))
    # The same subject from another issuer is that issuer's account, not ours.
    assert (await verifier.verify(other.token("u1", role="unit", unit_id="unit-a"))).sub == "u1"


async def test_a_cached_token_is_refused_once_its_account_changes() -> None:
    accounts = Accounts()
    accounts.known["u1"] = unit_user()
    verifier = FACTORY.verifier(account_check=AccountCheck(accounts, ttl_seconds=0))
    token = FACTORY.token("u1", role="unit", unit_id="unit-a")
    assert (await verifier.verify(token)).unit_id == "unit-a"
    accounts.known["u1"] = unit_user(unit_id="unit-b")  # moved to another unit
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


async def test_requests_that_find_the_answer_expired_together_share_one_look_up() -> None:
    release = asyncio.Event()

    class Slow(Accounts):
        async def __call__(self, principal: Principal) -> AccountState | None:
            self.calls += 1
            await release.wait()
            return self.known.get(principal.sub)

    accounts = Slow()
    accounts.known["u1"] = unit_user(active=False)
    check = AccountCheck(accounts, ttl_seconds=5)
    waiting = [asyncio.create_task(check(USER)) for _ in range(8)]
    await asyncio.sleep(0)
    waiting[0].cancel()  # one client goes away: the others still get their answer
    release.set()
    answers = await asyncio.gather(*waiting[1:])
    assert answers == [False] * 7
    assert accounts.calls == 1
    assert await check(CLIENT)  # another account: a look-up of its own
    assert accounts.calls == 2
