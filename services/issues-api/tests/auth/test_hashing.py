"""argon2 runs on threads of its own: a burst of logins does not stall the service's other requests."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from issues_api.directory import passwords
from issues_testing.tokens import Tokens, post_ok

PASSWORD = "correct horse 42"


async def make_user(client: httpx.AsyncClient, tokens: Tokens) -> None:
    body = {"username": "KJT-GX", "display_name": "高新处", "role": "office", "password": PASSWORD}
    await post_ok(client, "/api/v1/users", body, tokens.admin())


async def login(client: httpx.AsyncClient, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": "KJT-GX", "password": password})


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

    async def test_the_loop_keeps_answering_during_a_burst_of_logins(
        self, client: httpx.AsyncClient, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        await make_user(client, tokens)
        real = passwords.verify_secret

        def slow(stored: str | None, secret: str) -> bool:
            time.sleep(0.3)  # a slow machine's argon2: blocks its thread, not the interpreter
            return real(stored, secret)

        monkeypatch.setattr(passwords, "verify_secret", slow)
        gaps: list[float] = []

        async def ticker(done: asyncio.Event) -> None:
            last = time.monotonic()
            while not done.is_set():
                await asyncio.sleep(0.005)
                gaps.append(time.monotonic() - last)
                last = time.monotonic()

        done = asyncio.Event()
        ticking = asyncio.create_task(ticker(done))
        answers = await asyncio.gather(*(login(client, PASSWORD) for _ in range(4)))
        done.set()
        await ticking
        assert [a.status_code for a in answers] == [200] * 4
        # On the loop each verification would hold it for at least 0.3 s.
        assert max(gaps) < 0.15, max(gaps)
