"""argon2id at the OWASP baseline, for every hash and for an unknown account's check alike; it runs on threads of its
own: a burst of logins does not stall the service's other requests."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from argon2 import Parameters, Type, extract_parameters

from issues_api.directory import passwords
from issues_testing.tokens import Tokens, post_ok

PASSWORD = "correct horse 42"


@pytest.fixture(autouse=True)
def cheap_password_hashing() -> None:
    """This module hashes at the production cost (the suite's conftest lowers it for every other test)."""


async def make_user(client: httpx.AsyncClient, tokens: Tokens) -> None:
    body = {"username": "KJT-GX", "display_name": "高新处", "role": "office", "password": PASSWORD}
    await post_ok(client, "/api/v1/users", body, tokens.admin())


async def login(client: httpx.AsyncClient, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": "KJT-GX", "password": password})


class TestParameters:
    def test_hashes_are_argon2id_at_the_owasp_baseline_and_an_unknown_account_costs_the_same(self) -> None:
        owasp = Parameters(
            type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19_456, parallelism=1
        )
        assert extract_parameters(passwords.hash_secret(PASSWORD)) == owasp
        assert extract_parameters(passwords._DUMMY_HASH) == owasp
        assert passwords.verify_secret(passwords.hash_secret(PASSWORD), PASSWORD)
        assert not passwords.verify_secret(None, PASSWORD)


class TestHashingOffTheLoop:
    async def test_password_checks_run_on_a_worker_thread(
        self, client: httpx.AsyncClient, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        await make_user(client, tokens)
        threads: list[int] = []
        real = passwords.verify_secret

        def recording(stored: str | None, secret: str) -> bool:
            threads.append(threading.get_ident())
            return real(stored, secret)

        monkeypatch.setattr(passwords, "verify_secret", recording)
        answers = await asyncio.gather(*(login(client, PASSWORD) for _ in range(3)))
        assert [a.status_code for a in answers] == [200] * 3
        assert len(threads) == 3
        assert threading.get_ident() not in threads

    async def test_the_loop_answers_other_requests_while_logins_are_being_checked(
        self, client: httpx.AsyncClient, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        await make_user(client, tokens)
        real = passwords.verify_secret
        checking, release = threading.Event(), threading.Event()

        def held(stored: str | None, secret: str) -> bool:
            # Held until the loop has answered another request: on the loop itself this would never return
            # (the 10 s only turn such a hang into a failure).
            checking.set()
            if not release.wait(timeout=10):
                raise AssertionError("the loop answered nothing while a password was being checked")
            return real(stored, secret)

        monkeypatch.setattr(passwords, "verify_secret", held)
        logins = asyncio.gather(*(login(client, PASSWORD) for _ in range(4)))
        assert await asyncio.to_thread(checking.wait, 10)
        assert (await client.get("/healthz")).status_code == 200
        release.set()
        assert [a.status_code for a in await logins] == [200] * 4
