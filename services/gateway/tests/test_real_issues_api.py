"""The gateway in front of the real issues-api process: its keys, its readiness, its document; then it dies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.main import create_app
from rectify_kit.auth import encode_token
from rectify_kit.testing import free_port, wait_healthy

# Both commands in one interpreter: importing the service is the slow part of starting it.
_MIGRATE_AND_SERVE = """
import sys
from issues_api.__main__ import main
sys.argv = ["issues_api", "migrate"]
main()
sys.argv = ["issues_api", "serve"]
main()
"""


@dataclass
class IssuesApi:
    url: str
    process: subprocess.Popen[bytes]
    var_dir: Path


@pytest.fixture(scope="module")
def issues_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IssuesApi]:
    """`python -m issues_api migrate`, then `serve` on a free port, with its own var/ directory."""
    var_dir = tmp_path_factory.mktemp("issues-var")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ISSUES_")},
        "ISSUES_VAR_DIR": str(var_dir),
        "ISSUES_PORT": str(port),
        "ISSUES_HOST": "127.0.0.1",
        "ISSUES_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-c", _MIGRATE_AND_SERVE], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    yield IssuesApi(url, process, var_dir)
    process.kill()
    process.wait(10)


@pytest.fixture
def real_gateway(make_settings: Callable[..., Any], issues_api: IssuesApi) -> FastAPI:
    """A gateway that trusts the real issuer's keys, fetched from its JWKS."""
    settings = make_settings(issues_url=issues_api.url, auth={"jwks_url": issues_api.url + "/.well-known/jwks.json"})
    return create_app(settings)


def _issuer_token(issues_api: IssuesApi, kid: str) -> str:
    """A token signed with the real issues-api key (read from its var/ directory), as its login would sign."""
    private_pem = (issues_api.var_dir / "keys" / "issues-api.pem").read_text()
    now = int(time.time())
    claims = {"iss": "rectify", "aud": "rectify", "sub": "someone", "iat": now, "exp": now + 300, "role": "admin"}
    return encode_token(claims, private_key_pem=private_pem, kid=kid)


class TestInFrontOfIssuesApi:
    async def test_keys_readiness_and_document_of_the_real_service(
        self, real_gateway: FastAPI, issues_api: IssuesApi
    ) -> None:
        transport = httpx.ASGITransport(app=real_gateway)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as client:
            jwks = await client.get("/.well-known/jwks.json")
            ready = await client.get("/readyz")
            document = (await client.get("/api/v1/openapi.json")).json()
            kid = jwks.json()["keys"][0]["kid"]
            units = await client.get(
                "/api/v1/units", headers={"Authorization": f"Bearer {_issuer_token(issues_api, kid)}"}
            )
            forged = await client.get("/api/v1/units", headers={"Authorization": "Bearer a.b.c"})
        await real_gateway.state.upstreams.close()
        assert jwks.status_code == 200
        assert ready.json()["checks"]["issues-api"] == "ok"
        assert "/api/v1/auth/token" in document["paths"]
        # The real issuer's token passed the gateway (the service then decides on its own).
        assert units.status_code not in (401, 502, 503, 504), units.text
        assert forged.status_code == 401

    async def test_killed_mid_test_its_routes_answer_503_while_the_others_work(
        self, real_gateway: FastAPI, issues_api: IssuesApi, tokens: Any
    ) -> None:
        real_gateway.state.token_verifier = tokens.verifier()
        transport = httpx.ASGITransport(app=real_gateway)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as client:
            assert (await client.get("/.well-known/jwks.json")).status_code == 200
            issues_api.process.kill()
            issues_api.process.wait(10)
            gone = await client.get("/.well-known/jwks.json")
            others = await client.get("/api/v1/notifications", headers=tokens.headers())
            ready = await client.get("/readyz")
        await real_gateway.state.upstreams.close()
        assert gone.status_code == 503
        assert gone.json()["upstream"] == "issues-api"
        assert others.status_code == 200
        # Not ready: a request to issues-api would not pass.
        assert ready.status_code == 503
        assert ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["issues-api"].startswith("unreachable")
        assert ready.json()["checks"]["notify-api"] == "ok"
