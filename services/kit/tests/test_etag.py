"""If-Match guards updates: missing is 428, stale is 412, current passes."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request

from rectify_kit.errors import install_problem_handlers
from rectify_kit.etag import etag_for, parse_etag, require_if_match

CURRENT_VERSION = 3


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.patch("/things/1")
    async def update(request: Request) -> dict[str, int]:
        require_if_match(request, CURRENT_VERSION)
        return {"version": CURRENT_VERSION + 1}

    return app


async def patch(headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=make_app()), base_url="http://t") as c:
        return await c.patch("/things/1", headers=headers)


class TestRequireIfMatch:
    async def test_missing_if_match_is_428(self) -> None:
        response = await patch({})
        assert response.status_code == 428
        assert response.headers["content-type"] == "application/problem+json"

    async def test_stale_etag_is_412_and_names_the_current_one(self) -> None:
        response = await patch({"If-Match": '"2"'})
        assert response.status_code == 412
        assert response.json()["current_etag"] == '"3"'

    @pytest.mark.parametrize("header", ['"3"', 'W/"3"', '"1", "3"', "*"])
    async def test_current_etag_passes(self, header: str) -> None:
        response = await patch({"If-Match": header})
        assert response.status_code == 200

    async def test_unquoted_version_is_not_the_etag(self) -> None:
        assert (await patch({"If-Match": "3"})).status_code == 412


class TestEtagFor:
    def test_is_the_quoted_version(self) -> None:
        assert etag_for(7) == '"7"'

    def test_weak_prefix_is_ignored_when_parsing(self) -> None:
        assert parse_etag(' W/"7" ') == '"7"'
