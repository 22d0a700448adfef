"""The gateway's answers carry the security headers: pages a strict policy with a nonce of each answer, the API
page Swagger UI from this origin only, proxied answers the upstream's headers or the gateway's."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from rectify_kit.testing import TokenFactory

INDEX = (
    '<!doctype html><head><meta property="csp-nonce" nonce="__CSP_NONCE__">'
    '<script type="module" src="/assets/index-A1.js" nonce="__CSP_NONCE__"></script></head><div id=root></div>'
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "swagger-ui").mkdir()
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "assets" / "index-A1.js").write_text("console.log('app')", encoding="utf-8")
    (root / "swagger-ui" / "swagger-ui-bundle.js").write_text("window.SwaggerUIBundle = 1", encoding="utf-8")
    (root / "swagger-ui" / "swagger-ui.css").write_text(".swagger-ui{}", encoding="utf-8")
    return root


@pytest.fixture
async def gw(make_gateway: Callable[..., FastAPI], dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = make_gateway(spa_dir=dist, trusted_proxies=["10.9.8.7"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
        yield client
    await app.state.upstreams.close()


def directives(policy: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in policy.split(";") if part.strip()}


class TestPages:
    async def test_a_page_names_the_nonce_of_its_own_tags_and_no_inline_script(self, gw: httpx.AsyncClient) -> None:
        answer = await gw.get("/issues/42")
        policy = directives(answer.headers["content-security-policy"])
        nonce = re.search(r"'nonce-([^']+)'", policy["style-src"])
        assert nonce is not None
        assert f'nonce="{nonce.group(1)}"' in answer.text
        assert "__CSP_NONCE__" not in answer.text
        assert policy["script-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert "unsafe-inline" not in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"

    async def test_each_answer_has_a_nonce_of_its_own(self, gw: httpx.AsyncClient) -> None:
        policies = {(await gw.get("/")).headers["content-security-policy"] for _ in range(3)}
        assert len(policies) == 3


class TestApiPage:
    async def test_the_api_page_loads_swagger_ui_from_this_origin_only(self, gw: httpx.AsyncClient) -> None:
        page = await gw.get("/docs")
        assert page.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources
        assert all(source.startswith("/docs/") for source in sources), sources
        assert "<script>" not in page.text  # no inline script: the page starts Swagger UI from /docs/start.js
        policy = directives(page.headers["content-security-policy"])
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        bundle = await gw.get("/docs/swagger-ui-bundle.js")
        assert bundle.status_code == 200
        assert bundle.text == "window.SwaggerUIBundle = 1"

    async def test_only_swagger_files_are_served_under_docs(self, gw: httpx.AsyncClient) -> None:
        assert (await gw.get("/docs/index.html")).status_code == 404
        assert (await gw.get("/docs/LICENSE")).status_code == 404


class TestProxiedAnswers:
    async def test_api_answers_cannot_be_framed_or_sniffed(self, gw: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answers = [await gw.get("/api/v1/issues", headers=tokens.headers()), await gw.get("/api/v1/issues")]
        for answer in answers:
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert directives(answer.headers["content-security-policy"])["frame-ancestors"] == "'none'"
            assert answer.headers.get_list("x-content-type-options") == ["nosniff"]


class TestHsts:
    async def test_hsts_only_when_tls_ended_at_a_trusted_proxy(
        self, make_gateway: Callable[..., FastAPI], dist: Path
    ) -> None:
        app = make_gateway(spa_dir=dist, trusted_proxies=["10.9.8.7"])
        trusted = httpx.ASGITransport(app=app, client=("10.9.8.7", 5000))
        stranger = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
        https = {"X-Forwarded-Proto": "https"}
        async with httpx.AsyncClient(transport=trusted, base_url="http://gw.test") as client:
            behind = await client.get("/", headers=https)
        async with httpx.AsyncClient(transport=stranger, base_url="http://gw.test") as client:
            claimed = await client.get("/", headers=https)
        await app.state.upstreams.close()
        assert behind.headers["strict-transport-security"].startswith("max-age=")
        assert "strict-transport-security" not in claimed.headers
