"""PostgreSQL only: issues-api's database goes away for 5 s while issues are being created and read.

The database is made unreachable without touching the shared server: its connections are terminated and it
refuses new ones (`ALLOW_CONNECTIONS false`) for 5 s, as during a restart or a failover. Meanwhile every answer is
either what was asked or a 503 problem `database-unavailable` with `Retry-After` (never a 500, never a hang);
afterwards the service recovers by itself, every create it acknowledged is there, each Idempotency-Key made one
issue however often it was retried, and the event feed has no gap.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from rectify_kit.auth import encode_token
from rectify_kit.testing import Zygote, create_pg_database, drop_pg_database, free_port, pg_admin_url, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "campaigns" / "hebei-2017.yaml"
WRITERS = 6
OUTAGE_SECONDS = 5.0
SLOWEST_ANSWER_SECONDS = 10.0  # a request waiting longer than this while the database is away is a hang
RETRYABLE = {503: "database-unavailable", 409: "idempotency-in-flight"}


@dataclass
class Service:
    url: str
    database_url: str
    office: dict[str, str] = field(default_factory=dict)
    admin: dict[str, str] = field(default_factory=dict)


def _asyncpg(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _token(var_dir: Path, kid: str, role: str) -> dict[str, str]:
    now = int(time.time())
    claims = {"iss": "rectify", "aud": "rectify", "sub": f"fault-{role}", "kind": "user", "role": role}
    pem = (var_dir / "keys" / "issues-api.pem").read_text()
    token = encode_token({**claims, "iat": now, "exp": now + 600}, private_key_pem=pem, kid=kid)
    return {"Authorization": f"Bearer {token}"}


if pg_admin_url():

    @pytest.fixture(scope="module")
    def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
        """issues-api alone, on a PostgreSQL database of its own, with a campaign to file issues under; its
        migration and its server forked from one process that imported it once (`Zygote`), not two fresh
        interpreters importing it each."""
        database_url = asyncio.run(create_pg_database("rectify_fault_issues"))
        var_dir = tmp_path_factory.mktemp("outage")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ISSUES_")}
        env |= {
            "ISSUES_DATABASE_URL": database_url,
            "ISSUES_VAR_DIR": str(var_dir),
            "ISSUES_PORT": str(port),
            "ISSUES_LOG_JSON": "true",
            "ISSUES_AUTH__JWKS_URL": f"http://127.0.0.1:{port}/.well-known/jwks.json",
        }
        forks = Zygote(["issues_api.__main__", "issues_api.main"])
        migrated = forks.start("issues_api", ["migrate"], env=env, log=var_dir / "migrate.log", cwd=ROOT)
        assert migrated.wait(timeout=120) == 0, (var_dir / "migrate.log").read_text()
        process = forks.start("issues_api", ["serve"], env=env, log=var_dir / "issues.log", cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process, timeout=120)
            kid = httpx.get(f"{url}/.well-known/jwks.json").json()["keys"][0]["kid"]
            running = Service(url, database_url, _token(var_dir, kid, "office"), _token(var_dir, kid, "admin"))
            imported = httpx.post(
                f"{url}/api/v1/campaigns/import",
                content=DEFINITION.read_bytes(),
                headers={**running.admin, "Content-Type": "application/yaml"},
                timeout=60,
            )
            assert imported.status_code == 201, imported.text
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            forks.close()
            asyncio.run(drop_pg_database(database_url))

    @dataclass
    class Answer:
        kind: str  # "create", "read"
        status: int
        seconds: float
        code: str | None
        retry_after: str | None
        at: float

    @dataclass
    class Load:
        answers: list[Answer] = field(default_factory=list)
        acknowledged: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> issue id
        readyz: list[int] = field(default_factory=list)

    async def _timed(http: httpx.AsyncClient, kind: str, load: Load, request: httpx.Request) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await http.send(request)
        except httpx.TimeoutException:
            load.answers.append(Answer(kind, 0, time.monotonic() - started, "timeout", None, started))
            return None
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        code = body.get("code") if isinstance(body, dict) else None
        answer = Answer(kind, response.status_code, time.monotonic() - started, code, None, started)
        answer.retry_after = response.headers.get("retry-after")
        load.answers.append(answer)
        return response

    async def _writer(http: httpx.AsyncClient, service: Service, campaign_id: str, load: Load, stop: float) -> None:
        """Create issues one after the other; each is retried under its Idempotency-Key until acknowledged."""
        while time.monotonic() < stop:
            key = str(uuid.uuid4())
            body = {"campaign_id": campaign_id, "title": f"故障测试 {key[:8]}", "description": "数据库中断"}
            while True:
                headers = {**service.office, "Idempotency-Key": key}
                request = http.build_request("POST", "/api/v1/issues", json=body, headers=headers)
                response = await _timed(http, "create", load, request)
                if response is not None and response.status_code == 201:
                    load.acknowledged[key] = response.json()["id"]
                    break
                await asyncio.sleep(0.2)

    async def _reader(http: httpx.AsyncClient, service: Service, load: Load, stop: float) -> None:
        while time.monotonic() < stop:
            request = http.build_request("GET", "/api/v1/issues", params={"limit": 5}, headers=service.office)
            await _timed(http, "read", load, request)
            load.readyz.append((await http.get("/readyz")).status_code)
            await asyncio.sleep(0.1)

    async def _outage(database_url: str, *, after: float) -> tuple[float, float]:
        """Cut the database off for OUTAGE_SECONDS (terminate its connections, refuse new ones); its window."""
        await asyncio.sleep(after)
        name = make_url(database_url).database
        admin_url = pg_admin_url()
        assert admin_url is not None
        conn = await asyncpg.connect(_asyncpg(admin_url))
        try:
            await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            began = time.monotonic()
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
            await asyncio.sleep(OUTAGE_SECONDS)
            await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            return began, time.monotonic()
        finally:
            await conn.close()

    async def _run(service: Service) -> tuple[Load, tuple[float, float]]:
        load = Load()
        timeout = httpx.Timeout(SLOWEST_ANSWER_SECONDS * 2)
        async with httpx.AsyncClient(base_url=service.url, timeout=timeout) as http:
            campaigns = (await http.get("/api/v1/campaigns", headers=service.office)).json()["items"]
            campaign_id = campaigns[0]["id"]
            stop = time.monotonic() + 2 + OUTAGE_SECONDS + 4
            tasks = [_writer(http, service, campaign_id, load, stop) for _ in range(WRITERS)]
            window, *_ = await asyncio.gather(
                _outage(service.database_url, after=2), _reader(http, service, load, stop), *tasks
            )
        return load, window

    async def _feed(service: Service) -> list[dict[str, Any]]:
        admin = service.admin
        events: list[dict[str, Any]] = []
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
            after = 0
            while True:
                page = (
                    await http.get("/api/v1/events", params={"after": after, "limit": 500, "wait": 0}, headers=admin)
                ).json()
                events += page["events"]
                if page["next"] >= page["head"] or not page["events"]:
                    return events
                after = page["next"]

    class TestDatabaseOutage:
        def test_503_while_away_then_recovery_and_nothing_acknowledged_is_lost(self, service: Service) -> None:
            load, (began, ended) = asyncio.run(_run(service))

            during = [a for a in load.answers if began <= a.at <= ended]
            refused = [a for a in load.answers if a.status not in (200, 201)]
            assert during, "no request was made while the database was away"
            assert any(a.status == 503 for a in during), "the outage was not felt"
            assert all(RETRYABLE.get(a.status) == a.code for a in refused), sorted(
                {(a.status, a.code) for a in refused}
            )
            assert all(a.retry_after for a in refused if a.status == 503)
            slowest = max(a.seconds for a in load.answers)
            assert slowest < SLOWEST_ANSWER_SECONDS, f"an answer took {slowest:.1f} s"
            assert 503 in load.readyz
            assert load.readyz[-1] == 200

            # Recovery: creates made a second after the database came back all succeed.
            after = [a for a in load.answers if a.at > ended + 1 and a.kind == "create"]
            assert after, "no request after the outage"
            assert all(a.status == 201 for a in after), sorted({a.status for a in after})

            # Nothing lost: each acknowledged create is there, once, and the feed has no gap.
            events = asyncio.run(_feed(service))
            seqs = [e["seq"] for e in events]
            assert seqs == list(range(1, len(seqs) + 1))
            created = [e["subject_id"] for e in events if e["type"] == "issue.created"]
            assert set(load.acknowledged.values()) <= set(created)
            assert len(created) == len(set(created))
            titles = [e["data"]["issue"]["title"] for e in events if e["type"] == "issue.created"]
            assert len(titles) == len(set(titles)), "an Idempotency-Key made two issues"
            with httpx.Client(base_url=service.url, headers=service.office, timeout=30) as http:
                for issue_id in load.acknowledged.values():
                    assert http.get(f"/api/v1/issues/{issue_id}").status_code == 200
