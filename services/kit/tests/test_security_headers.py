"""Every answer of a service carries the security headers; HSTS only over https; a page's own policy wins."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from rectify_kit.app import create_service_app
from rectify_kit.errors import Conflict
from rectify_kit.security_headers import API_POLICY
from rectify_kit.settings import ServiceSettings

HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": API_POLICY,
}


def make_app(trusted_proxies: tuple[str, ...] = ()) -> FastAPI:
    app = create_service_app(
        ServiceSettings(log_json=False), title="t", with_database=False, trusted_proxies=trusted_proxies
    )

    @app.get("/thing")
    async def thing() -> dict[str, int]:
        return {"n": 1}

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("no")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("unexpected")

    @app.get("/page")
    async def page() -> HTMLResponse:
        return HTMLResponse("<p>hi</p>", headers={"Content-Security-Policy": "default-src 'self'"})

    return app


async def get(path: str, *, base: str = "http://svc.test", app: FastAPI | None = None, **kw: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app or make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=base) as client:
        return await client.get(path, **kw)  # type: ignore[arg-type]


class TestSecurityHeaders:
    @pytest.mark.parametrize(
        ("path", "status"), [("/thing", 200), ("/conflict", 409), ("/nowhere", 404), ("/boom", 500), ("/healthz", 200)]
    )
    async def test_every_answer_carries_them(self, path: str, status: int) -> None:
        answer = await get(path)
        assert answer.status_code == status
        assert {k: answer.headers.get(k) for k in HEADERS} == HEADERS
        assert "strict-transport-security" not in answer.headers

    async def test_an_unexpected_errors_500_carries_the_request_id_and_is_counted(self) -> None:
        app = make_app()
        answer = await get("/boom", app=app, headers={"X-Request-ID": "req-500"})
        assert answer.status_code == 500
        assert answer.headers.get_list("x-request-id") == ["req-500"]
        counted = app.state.metrics.requests.labels("service", "GET", "/boom", "500")._value.get()
        assert counted == 1

    async def test_new_request_ids_differ_and_look_like_uuid_hex(self) -> None:
        app = make_app()
        ids = [(await get("/thing", app=app)).headers["x-request-id"] for _ in range(3)]
        assert len(set(ids)) == 3
        assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)

    async def test_a_page_keeps_its_own_policy(self) -> None:
        answer = await get("/page")
        assert answer.headers.get_list("content-security-policy") == ["default-src 'self'"]
        assert answer.headers["x-content-type-options"] == "nosniff"

    async def test_hsts_over_https(self) -> None:
        answer = await get("/thing", base="https://svc.test")
        assert answer.headers["strict-transport-security"].startswith("max-age=31536000")

    async def test_hsts_when_a_trusted_proxy_ended_tls(self) -> None:
        app = make_app(trusted_proxies=("127.0.0.1",))
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://svc.test") as client:
            behind = await client.get("/thing", headers={"X-Forwarded-Proto": "https"})
            plain = await client.get("/thing", headers={"X-Forwarded-Proto": "http"})
        assert "strict-transport-security" in behind.headers
        assert "strict-transport-security" not in plain.headers

    async def test_an_untrusted_peer_cannot_claim_https(self) -> None:
        answer = await get("/thing", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in answer.headers

    async def test_no_service_serves_a_swagger_page_from_a_cdn(self) -> None:
        assert (await get("/docs")).status_code == 404
