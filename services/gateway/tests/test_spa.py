"""The built apps: hashed assets cached for good, the HTML pages (revalidated) for their routes, never for /api;
every precompressed file answered in the coding the client accepts."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import brotli
import httpx
import pytest
from fastapi import FastAPI

INDEX = "<!doctype html><title>整改台账</title><div id=root></div>"
PUBLIC = "<!doctype html><title>诉求</title><main>提交诉求</main>"
SCRIPT = "console.log('app');" * 200


def vary(answer: httpx.Response) -> set[str]:
    """The Vary header's field names (a repeated name is the same name)."""
    return {name.strip().lower() for name in answer.headers.get("vary", "").split(",") if name.strip()}


def precompress(file: Path) -> None:
    """What the build's precompress step leaves beside each file."""
    data = file.read_bytes()
    file.with_name(file.name + ".br").write_bytes(brotli.compress(data))
    file.with_name(file.name + ".gz").write_bytes(gzip.compress(data))


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


@pytest.fixture
def built(dist: Path) -> Path:
    """A build as `make frontend` leaves it: the public pages' own HTML, every file precompressed."""
    (dist / "public.html").write_text(PUBLIC, encoding="utf-8")
    script = dist / "assets" / "public-Bx8kq2Lm.js"
    script.write_text(SCRIPT, encoding="utf-8")
    for file in (dist / "index.html", dist / "public.html", script):
        precompress(file)
    return dist


@pytest.fixture
async def built_spa(make_gateway: Callable[..., FastAPI], built: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = make_gateway(spa_dir=built)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
        yield client


class TestPublicPages:
    @pytest.mark.parametrize("path", ["/submit", "/track", "/track/ABCD-EFGH-JKLM-NPQR"])
    async def test_public_paths_get_the_light_page(self, built_spa: httpx.AsyncClient, path: str) -> None:
        answer = await built_spa.get(path, headers={"Accept-Encoding": "identity"})
        assert answer.status_code == 200
        assert answer.text == PUBLIC
        assert answer.headers["cache-control"] == "no-cache"

    @pytest.mark.parametrize("path", ["/", "/issues/42", "/submitted", "/trackers"])
    async def test_staff_paths_keep_the_staff_app(self, built_spa: httpx.AsyncClient, path: str) -> None:
        answer = await built_spa.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")
        assert (await built_spa.get(path, headers={"Accept-Encoding": "identity"})).text == INDEX


class TestPrecompressed:
    async def test_brotli_is_served_with_the_immutable_cache_header(self, built_spa: httpx.AsyncClient) -> None:
        answer = await built_spa.get("/assets/public-Bx8kq2Lm.js", headers={"Accept-Encoding": "br"})
        assert answer.status_code == 200
        assert answer.headers["content-encoding"] == "br"
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert vary(answer) == {"accept-encoding"}
        assert answer.headers["content-type"] in ("text/javascript; charset=utf-8", "application/javascript")
        assert int(answer.headers["content-length"]) < len(SCRIPT) / 10
        assert answer.text == SCRIPT  # httpx decodes brotli

    async def test_gzip_when_brotli_is_not_accepted(self, built_spa: httpx.AsyncClient) -> None:
        answer = await built_spa.get("/assets/public-Bx8kq2Lm.js", headers={"Accept-Encoding": "gzip, br;q=0"})
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.text == SCRIPT

    async def test_a_browsers_header_gets_brotli(self, built_spa: httpx.AsyncClient) -> None:
        answer = await built_spa.get(
            "/assets/public-Bx8kq2Lm.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"}
        )
        assert answer.headers["content-encoding"] == "br"

    @pytest.mark.parametrize("accept", ["identity", "", "deflate", "*;q=0"])
    async def test_identity_when_no_coding_we_have_is_accepted(self, built_spa: httpx.AsyncClient, accept: str) -> None:
        answer = await built_spa.get("/assets/public-Bx8kq2Lm.js", headers={"Accept-Encoding": accept})
        assert "content-encoding" not in answer.headers
        assert vary(answer) == {"accept-encoding"}
        assert answer.content == SCRIPT.encode()

    async def test_html_pages_are_sent_as_built_with_their_nonce_not_precompressed(
        self, built_spa: httpx.AsyncClient
    ) -> None:
        # Each answer of a page carries a nonce of its own (csp.py), so its precompressed copies cannot serve.
        answer = await built_spa.get("/track/ABCD", headers={"Accept-Encoding": "br"})
        assert "content-encoding" not in answer.headers
        assert answer.headers["cache-control"] == "no-cache"
        assert answer.text == PUBLIC

    async def test_head_answers_the_headers_of_the_coded_file(self, built_spa: httpx.AsyncClient) -> None:
        answer = await built_spa.head("/assets/public-Bx8kq2Lm.js", headers={"Accept-Encoding": "br"})
        assert answer.status_code == 200
        assert answer.headers["content-encoding"] == "br"
        assert answer.content == b""
