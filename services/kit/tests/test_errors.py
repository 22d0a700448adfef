"""Every error is an RFC 9457 problem, titled in Chinese unless the client prefers English."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from rectify_kit.errors import (
    Conflict,
    ProblemError,
    Unprocessable,
    install_problem_handlers,
    prefers_english,
    problem_responses,
)
from rectify_kit.field_messages import field_error


class Body(BaseModel):
    percent: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"percent": body.percent}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("not now", current_status="closed")

    @app.post("/rule")
    async def rule() -> None:
        raise Unprocessable("too early", errors=[field_error("deadline", "须晚于当前时限", "must be later")])

    return app


async def request(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


class TestProblems:
    async def test_domain_error_renders_problem_with_extra_fields(self) -> None:
        response = await request("POST", "/conflict")
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "状态冲突"
        assert body["current_status"] == "closed"
        assert body["type"].endswith("/conflict")

    async def test_english_title_when_client_prefers_english(self) -> None:
        response = await request("POST", "/conflict", headers={"Accept-Language": "en-US,en;q=0.9"})
        assert response.json()["title"] == "Conflict"

    async def test_validation_error_names_the_field(self) -> None:
        response = await request("POST", "/things", json={"percent": "many"})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["percent"]

    async def test_unknown_route_is_a_problem_too(self) -> None:
        response = await request("GET", "/nowhere")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def make_failing_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/teapot")
    async def teapot() -> None:
        raise ProblemError("short and stout", status=418, code="teapot", title_en="Teapot", headers={"X-Why": "tea"})

    return app


class TestUnexpectedAndCustomErrors:
    async def test_unexpected_exception_is_a_500_problem_without_internals(self) -> None:
        transport = httpx.ASGITransport(app=make_failing_app(), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/boom")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "internal-error"
        assert "secret internals" not in response.text

    async def test_custom_status_code_title_and_headers_are_kept(self) -> None:
        transport = httpx.ASGITransport(app=make_failing_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/teapot", headers={"Accept-Language": "en"})
        assert (response.status_code, response.json()["code"], response.json()["title"]) == (418, "teapot", "Teapot")
        assert response.json()["detail"] == "short and stout"
        assert response.headers["x-why"] == "tea"

    async def test_wrong_method_is_a_405_problem(self) -> None:
        response = await request("DELETE", "/things")
        assert response.status_code == 405
        assert response.json()["title"] == "不支持该方法"


class TestPrefersEnglish:
    @pytest.mark.parametrize(
        ("header", "english"),
        [(None, False), ("en", True), ("zh-CN,zh;q=0.9,en;q=0.8", False), ("en-GB,zh;q=0.5", True), ("fr", False)],
    )
    def test_ranks_the_first_known_language(self, header: str | None, english: bool) -> None:
        assert prefers_english(header) is english


def test_problem_responses_document_the_problem_schema() -> None:
    documented = problem_responses(404, 409)
    assert set(documented) == {404, 409}
    assert documented[404]["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


class TestFieldMessagesInTheReadersLanguage:
    async def test_validation_messages_are_chinese_by_default(self) -> None:
        response = await request("POST", "/things", json={"percent": "lots"}, headers={"Accept-Language": "zh-CN"})
        assert response.json()["errors"] == [{"field": "percent", "message": "应为整数"}]
        assert response.json()["title"] == "请求参数无效"

    async def test_validation_messages_stay_english_for_english_readers(self) -> None:
        response = await request("POST", "/things", json={}, headers={"Accept-Language": "en-GB,en;q=0.9"})
        assert response.json()["errors"] == [{"field": "percent", "message": "Field required"}]

    async def test_a_domain_rule_names_its_field_in_the_readers_language(self) -> None:
        zh = await request("POST", "/rule")
        en = await request("POST", "/rule", headers={"Accept-Language": "en"})
        assert zh.json()["errors"] == [{"field": "deadline", "message": "须晚于当前时限"}]
        assert en.json()["errors"] == [{"field": "deadline", "message": "must be later"}]


class _DriverError(Exception):
    """A database driver's error, as asyncpg's carry it: a SQLSTATE."""

    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def database_error(message: str, sqlstate: str, *, invalidated: bool = False) -> DBAPIError:
    orig = _DriverError(message, sqlstate)
    error = DBAPIError.instance("SELECT 1", {}, orig, Exception, connection_invalidated=invalidated)
    assert isinstance(error, DBAPIError)  # a driver's error is wrapped as one (StatementError otherwise)
    return error


def failing_app(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/write")
    async def write() -> None:
        raise error

    return app


async def post_write(error: Exception, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=failing_app(error), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post("/write", headers=headers)


def sqlite_busy(tmp_path: Path) -> DBAPIError:
    """The error SQLite itself raises when another connection holds the write lock past the busy timeout."""
    path = str(tmp_path / "busy.db")
    holder, waiter = sqlite3.connect(path, isolation_level=None), sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiter.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        error = OperationalError.instance("BEGIN IMMEDIATE", {}, exc, Exception)
        assert isinstance(error, DBAPIError)
        return error
    finally:
        holder.close()
        waiter.close()
    raise AssertionError("the second writer was not refused")


class TestDatabaseAway:
    """The database stopped, restarting or cut off is a 503 to retry, never a 500; a refused statement stays 500."""

    @pytest.mark.parametrize(
        "error",
        [
            database_error('database "x" is not currently accepting connections', "55000"),
            database_error("terminating connection due to administrator command", "57P01"),
            database_error("the database system is starting up", "57P03"),
            database_error("connection failure", "08006"),
            database_error("another operation is in progress", "", invalidated=True),
            PoolTimeout("QueuePool limit reached"),
            ConnectionRefusedError(111, "Connect call failed"),
        ],
    )
    async def test_is_a_503_problem_with_retry_after(self, error: Exception) -> None:
        response = await post_write(error)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["retry-after"] == "5"
        body = response.json()
        assert (body["code"], body["retry_after"]) == ("database-unavailable", 5)
        assert body["title"] == "数据库暂不可用，请稍后重试"

    async def test_sqlite_busy_past_its_timeout_is_a_503_too(self, tmp_path: Path) -> None:
        response = await post_write(sqlite_busy(tmp_path))
        assert (response.status_code, response.json()["code"]) == (503, "database-unavailable")

    async def test_is_titled_in_english_when_preferred(self) -> None:
        response = await post_write(database_error("x", "57P01"), **{"Accept-Language": "en"})
        assert response.json()["title"] == "The database is unavailable; try again shortly"

    @pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
    async def test_a_deadlocks_victim_is_a_503_to_send_again(self, sqlstate: str) -> None:
        response = await post_write(database_error("deadlock detected", sqlstate))
        assert (response.status_code, response.headers["retry-after"]) == (503, "1")
        assert (response.json()["code"], response.json()["retry_after"]) == ("try-again", 1)

    async def test_a_statement_the_database_refuses_stays_a_500(self) -> None:
        response = await post_write(database_error('relation "nope" does not exist', "42P01"))
        assert response.status_code == 500
        assert response.json()["code"] == "internal-error"
