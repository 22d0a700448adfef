"""The built SPA: hashed assets cached for good, index.html (revalidated) for the SPA's routes, never for /api."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

INDEX = "<!doctype html><title>整改台账</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "assets" / "index-D5i4rjME.js").write_text("console.log('app')", encoding="utf-8")
    (root / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    return root


@pytest.fixture
async def spa(make_gateway: Callable[..., FastAPI], dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = make_gateway(spa_dir=dist)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
        yield client


class TestSpa:
    @pytest.mark.parametrize("path", ["/", "/track/ABCD-EFGH-JKLM", "/submit", "/issues/42", "/index.html"])
    async def test_spa_routes_get_index_html_revalidated(self, spa: httpx.AsyncClient, path: str) -> None:
        answer = await spa.get(path)
        assert answer.status_code == 200
        assert answer.text == INDEX
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["cache-control"] == "no-cache"

    async def test_hashed_assets_are_cached_for_good(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.get("/assets/index-D5i4rjME.js")
        assert answer.status_code == 200
        assert answer.text == "console.log('app')"
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"

    async def test_other_files_are_served_with_a_short_cache(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.get("/favicon.svg")
        assert answer.status_code == 200
        assert "immutable" not in answer.headers["cache-control"]

    async def test_a_missing_asset_is_404_not_index_html(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.get("/assets/index-OLD.js")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"

    async def test_api_paths_never_fall_back_to_index_html(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.get("/api/v2/anything")
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"

    async def test_files_outside_dist_are_not_served(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.get("/../secret.txt")
        assert "not for the web" not in answer.text
        answer = await spa.get("/%2e%2e/secret.txt")
        assert "not for the web" not in answer.text

    async def test_writes_to_spa_paths_are_405(self, spa: httpx.AsyncClient) -> None:
        answer = await spa.post("/submit")
        assert answer.status_code == 405

    async def test_without_a_build_the_answer_is_a_clear_503(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/track/ABCD")
        assert answer.status_code == 503
        assert answer.json()["code"] == "spa-not-built"
