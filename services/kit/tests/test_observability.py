"""Request ids in and out and in every log line, Prometheus metrics by route template, health endpoints."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from rectify_kit.app import create_service_app
from rectify_kit.db import Database
from rectify_kit.errors import NotFound
from rectify_kit.observability import configure_logging
from rectify_kit.serving import draining_event
from rectify_kit.settings import ServiceSettings

router = APIRouter()


@router.get("/things/{thing_id}")
async def read_thing(thing_id: int) -> dict[str, int]:
    logging.getLogger("rectify.test").info("read thing %s", thing_id)
    return {"id": thing_id}


@router.get("/missing")
async def missing() -> None:
    raise NotFound("nothing here")


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level


def make_app(tmp_path: Path, database_url: str | None = None) -> FastAPI:
    settings = ServiceSettings(service_name="demo-api", var_dir=tmp_path)
    database = Database(database_url or settings.resolved_database_url())
    return create_service_app(settings, title="demo", routers=[router], database=database)


@asynccontextmanager
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            yield c
    finally:
        await app.state.database.dispose()


class TestRequestId:
    async def test_generated_when_absent(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            first = (await c.get("/things/1")).headers["x-request-id"]
            second = (await c.get("/things/1")).headers["x-request-id"]
        assert len(first) == 32
        assert first != second

    async def test_passed_through_when_well_formed(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            response = await c.get("/things/1", headers={"X-Request-ID": "gw-abc.123:x"})
        assert response.headers["x-request-id"] == "gw-abc.123:x"

    @pytest.mark.parametrize("bad", ["has spaces", "x" * 129, "semi;colon", "<script>"])
    async def test_malformed_one_is_replaced(self, tmp_path: Path, bad: str) -> None:
        async with client(make_app(tmp_path)) as c:
            response = await c.get("/things/1", headers={"X-Request-ID": bad})
        assert response.headers["x-request-id"] != bad
        assert len(response.headers["x-request-id"]) == 32

    async def test_problem_body_carries_the_request_id(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            response = await c.get("/missing", headers={"X-Request-ID": "req-42"})
        assert response.status_code == 404
        assert response.json()["request_id"] == "req-42"

    async def test_present_in_json_log_lines(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        app = make_app(tmp_path)  # configures logging onto the captured stderr
        async with client(app) as c:
            await c.get("/things/7", headers={"X-Request-ID": "req-log-7"})
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        ours = [line for line in lines if line.get("message") == "read thing 7"]
        assert len(ours) == 1
        assert ours[0]["request_id"] == "req-log-7"
        assert ours[0]["service"] == "demo-api"
        assert ours[0]["level"] == "INFO"


class TestMetrics:
    async def test_counts_requests_by_route_template(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            await c.get("/things/1")
            await c.get("/things/2")
            await c.get("/missing")
            text = (await c.get("/metrics")).text
        assert (
            'http_requests_total{method="GET",route="/things/{thing_id}",service="demo-api",status="200"} 2.0' in text
        )
        assert 'route="/missing",service="demo-api",status="404"} 1.0' in text
        assert "/things/1" not in text

    async def test_a_route_of_an_included_router_is_counted_by_its_whole_template(self, tmp_path: Path) -> None:
        # The route knows only its own part of the path; the prefix is its inclusion's.
        outer, inner = APIRouter(prefix="/api/v1/boxes"), APIRouter()

        @inner.post("/{box_id}/open")
        async def open_box(box_id: str) -> dict[str, str]:
            return {"id": box_id}

        outer.include_router(inner)
        app = make_app(tmp_path)
        app.include_router(outer)
        async with client(app) as c:
            assert (await c.post("/api/v1/boxes/7/open")).status_code == 200
            text = (await c.get("/metrics")).text
        assert 'http_requests_total{method="POST",route="/api/v1/boxes/{box_id}/open",service="demo-api"' in text
        assert 'route="/{box_id}/open"' not in text

    async def test_unknown_paths_share_one_label(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            await c.get("/nowhere/1")
            await c.get("/nowhere/2")
            text = (await c.get("/metrics")).text
        assert 'route="unmatched",service="demo-api",status="404"} 2.0' in text
        assert "/nowhere" not in text

    async def test_counts_the_requests_being_answered_now(self, tmp_path: Path) -> None:
        app = make_app(tmp_path)
        inside, release = asyncio.Event(), asyncio.Event()

        @app.get("/slow")
        async def slow() -> dict[str, bool]:
            inside.set()
            await release.wait()
            return {"ok": True}

        async with client(app) as c:
            held = asyncio.create_task(c.get("/slow"))
            await inside.wait()
            during = (await c.get("/metrics")).text
            release.set()
            assert (await held).status_code == 200
            after = (await c.get("/metrics")).text
        # The slow request and the scrape itself while it waits; the scrape alone afterwards.
        assert 'http_requests_in_progress{method="GET",service="demo-api"} 2.0' in during
        assert 'http_requests_in_progress{method="GET",service="demo-api"} 1.0' in after


class TestHealth:
    async def test_healthz_answers_without_the_database(self, tmp_path: Path) -> None:
        app = make_app(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/gone/x.db")
        async with client(app) as c:
            response = await c.get("/healthz")
        assert response.json() == {"status": "ok", "service": "demo-api"}

    async def test_readyz_is_ok_when_the_database_answers(self, tmp_path: Path) -> None:
        async with client(make_app(tmp_path)) as c:
            response = await c.get("/readyz")
        assert response.status_code == 200
        assert response.json()["checks"] == {"database": "ok"}

    async def test_readyz_is_503_once_the_replica_drains_so_balancers_stop_sending_to_it(self, tmp_path: Path) -> None:
        app = make_app(tmp_path)
        async with client(app) as c:
            draining_event(app).set()
            response = await c.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"] == {"serving": "draining", "database": "ok"}

    async def test_readyz_is_503_when_the_database_is_gone(self, tmp_path: Path) -> None:
        app = make_app(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/gone/x.db")
        async with client(app) as c:
            response = await c.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert response.json()["checks"]["database"].startswith("error")


class TestSecretPaths:
    def test_tracking_codes_never_reach_the_access_log(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging(service="t", json_logs=False)
        access = logging.getLogger("uvicorn.access")
        access.info(
            '%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/api/v1/public/submissions/9A5R-TN4G-FAEV-MG14", "1.1", 200
        )
        access.info('%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/track/9A5R-TN4G-FAEV-MG14?x=1", "1.1", 200)
        access.info('%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", "/open311/v2/tokens/9A5R-TN4G.json", "1.1", 200)
        access.info('%s - "%s %s HTTP/%s" %d', "1.2.3.4", "POST", "/api/v1/public/submissions", "1.1", 201)
        err = capsys.readouterr().err
        assert "9A5R" not in err
        assert "/api/v1/public/submissions/***" in err
        assert "/track/***?x=1" in err
        assert "/open311/v2/tokens/***" in err
        assert '"POST /api/v1/public/submissions HTTP/1.1" 201' in err
