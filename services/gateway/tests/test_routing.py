"""Prefix routing without rewriting, forwarding headers and request ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.routing import TimeoutKind, timeout_kind, upstream_for
from rectify_kit.testing import TokenFactory


class TestPrefixTable:
    @pytest.mark.parametrize(
        ("path", "service"),
        [
            ("/api/v1/issues", "issues-api"),
            ("/api/v1/issues/42/timeline", "issues-api"),
            ("/open311/v2/requests.json", "issues-api"),
            ("/.well-known/jwks.json", "issues-api"),
            ("/api/v1/escalations/feed", "notify-api"),
            ("/api/v1/escalation-policies/7", "notify-api"),
            ("/api/v1/notifications/stream", "notify-api"),
            ("/api/v1/reports/ledger.xlsx", "report-api"),
            ("/api/v1/reports", "report-api"),
            ("/api/v1/issues/", "issues-api"),
            ("/open311", "issues-api"),
        ],
    )
    def test_path_goes_to_its_service(self, path: str, service: str) -> None:
        routed = upstream_for(path)
        assert routed is not None
        assert routed[0] == service

    @pytest.mark.parametrize(
        "path", ["/api/v1/issuesx", "/api/v1", "/api/v2/issues", "/track/ABC", "/api//v1/issues", "/open311x/v2"]
    )
    def test_paths_of_no_service_match_nothing(self, path: str) -> None:
        assert upstream_for(path) is None

    @pytest.mark.parametrize(
        ("path", "query", "kind"),
        [
            ("/api/v1/issues/7", b"", TimeoutKind.default),
            ("/api/v1/reports/ledger.xlsx", b"campaign_id=1", TimeoutKind.long),
            ("/api/v1/issues/7/dossier.zip", b"", TimeoutKind.long),
            ("/api/v1/events", b"after=10&wait=25", TimeoutKind.long),
            ("/api/v1/notifications/stream", b"", TimeoutKind.stream),
        ],
    )
    def test_exports_long_polls_and_streams_get_longer_timeouts(
        self, path: str, query: bytes, kind: TimeoutKind
    ) -> None:
        assert timeout_kind(path, query) is kind


class TestProxying:
    async def test_each_prefix_reaches_its_service_with_path_and_query_unchanged(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        for path, service in [
            ("/api/v1/issues/abc%2Fdef", "issues-api"),
            ("/api/v1/escalations/feed", "notify-api"),
            ("/api/v1/reports/summary", "report-api"),
        ]:
            answer = await gateway.get(path, params={"q": "整改 a&b"}, headers=tokens.headers())
            assert answer.status_code == 200, answer.text
            echo = answer.json()
            assert echo["service"] == service
            assert echo["raw_path"] == path
            assert httpx.QueryParams(echo["query"]) == httpx.QueryParams({"q": "整改 a&b"})

    async def test_post_body_and_status_pass_through(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answer = await gateway.post("/api/v1/issues", json={"title": "x" * 1000}, headers=tokens.headers())
        assert answer.status_code == 200
        assert answer.json()["method"] == "POST"
        assert answer.json()["body_length"] == len(b'{"title":"' + b"x" * 1000 + b'"}')

    async def test_forwarding_headers_are_set_and_hop_by_hop_headers_dropped(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        headers = {
            **tokens.headers(),
            "Connection": "keep-alive, X-Hop",
            "X-Hop": "secret",
            "Proxy-Authorization": "Basic abc",
            "TE": "trailers",
            "X-Forwarded-For": "6.6.6.6",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "spoofed.example",
            "X-Custom": "kept",
        }
        answer = await gateway.get("/api/v1/units", headers=headers)
        seen = answer.json()["headers"]
        assert "x-hop" not in seen
        assert "proxy-authorization" not in seen
        assert "te" not in seen
        assert seen["x-custom"] == "kept"
        assert seen["authorization"].startswith("Bearer ")
        # A client cannot pass itself off as another address.
        assert seen["x-forwarded-for"] == "127.0.0.1"
        assert seen["x-forwarded-proto"] == "http"
        assert seen["x-forwarded-host"] == "gw.test"
        assert answer.headers["x-upstream"] == "issues-api"

    async def test_a_request_id_is_made_and_the_upstream_gets_the_same(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        answer = await gateway.get("/api/v1/units", headers=tokens.headers())
        request_id = answer.headers["x-request-id"]
        assert len(request_id) >= 16
        assert answer.json()["headers"]["x-request-id"] == request_id

    async def test_the_clients_request_id_is_passed_on(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answer = await gateway.get("/api/v1/units", headers={**tokens.headers(), "X-Request-ID": "req-123.abc"})
        assert answer.headers["x-request-id"] == "req-123.abc"
        assert answer.json()["headers"]["x-request-id"] == "req-123.abc"

    async def test_unknown_api_path_is_a_404_problem(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/api/v1/nothing-here")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "not-found"


class TestCors:
    async def test_no_cors_headers_by_default(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answer = await gateway.get("/api/v1/units", headers={**tokens.headers(), "Origin": "https://other.example"})
        assert "access-control-allow-origin" not in answer.headers

    async def test_configured_origins_get_preflight_and_headers(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(cors_origins=["https://portal.example"])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            preflight = await client.options(
                "/api/v1/issues",
                headers={
                    "Origin": "https://portal.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            answer = await client.get(
                "/api/v1/issues", headers={**tokens.headers(), "Origin": "https://portal.example"}
            )
            stranger = await client.get(
                "/api/v1/issues", headers={**tokens.headers(), "Origin": "https://evil.example"}
            )
        await app.state.upstreams.close()
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://portal.example"
        assert answer.headers["access-control-allow-origin"] == "https://portal.example"
        assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()
        assert "access-control-allow-origin" not in stranger.headers


class TestUnexpectedErrors:
    async def test_an_unexpected_error_before_the_answer_is_a_500_problem_with_the_edges_headers(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway()

        async def broken(token: str) -> None:
            raise RuntimeError("a bug")

        app.state.token_verifier.verify = broken
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as client:
            answer = await client.get("/api/v1/issues/1", headers=tokens.headers())
        await app.state.upstreams.close()
        assert answer.status_code == 500
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "internal-error"
        assert answer.json()["request_id"] == answer.headers["x-request-id"]
        assert answer.headers["x-content-type-options"] == "nosniff"


class TestHead:
    async def test_a_head_request_gets_the_upstreams_status_and_headers_without_a_body(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        async with httpx.AsyncClient() as plain:
            direct = await plain.head(upstreams["issues-api"].url + "/api/v1/issues/1")
        answer = await gateway.head("/api/v1/issues/1", headers=tokens.headers())
        after = await gateway.get("/api/v1/issues/2", headers=tokens.headers())
        assert answer.status_code == direct.status_code
        assert answer.headers.get("content-type") == direct.headers.get("content-type")
        assert answer.content == b""
        assert after.json()["path"] == "/api/v1/issues/2"
