"""The test helpers the services share: backends, per-test PostgreSQL databases, tokens, shared routes,
processes forked from a zygote."""

from __future__ import annotations

import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from sqlalchemy.engine import make_url

from rectify_kit.testing import (
    BACKENDS_ENV,
    PG_ENV,
    TokenFactory,
    Zygote,
    backends,
    create_pg_database,
    drop_pg_database,
    free_port,
    main_backend,
    pg_admin_url,
    share_routes,
    sqlite_test_url,
)


class TestBackends:
    @pytest.fixture(autouse=True)
    def _no_choice(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(BACKENDS_ENV, raising=False)

    def test_sqlite_only_without_the_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(PG_ENV, raising=False)
        assert backends() == ["sqlite"]
        assert pg_admin_url() is None

    def test_empty_variable_means_not_configured(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(PG_ENV, "")
        assert backends() == ["sqlite"]

    def test_postgresql_too_when_configured(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(PG_ENV, "postgresql://postgres@127.0.0.1:5432/postgres")
        assert backends() == ["sqlite", "postgresql"]
        assert main_backend() == "postgresql"

    @pytest.mark.parametrize(("chosen", "expected"), [("sqlite", ["sqlite"]), ("postgresql", ["postgresql"])])
    def test_a_run_may_choose_one_of_the_configured_backends(
        self, monkeypatch: pytest.MonkeyPatch, chosen: str, expected: list[str]
    ) -> None:
        monkeypatch.setenv(PG_ENV, "postgresql://postgres@127.0.0.1:5432/postgres")
        monkeypatch.setenv(BACKENDS_ENV, chosen)
        assert backends() == expected
        assert main_backend() == "postgresql"

    def test_choosing_an_unconfigured_backend_chooses_none(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(PG_ENV, raising=False)
        monkeypatch.setenv(BACKENDS_ENV, "postgresql")
        assert backends() == []
        assert main_backend() == "sqlite"

    async def test_creating_a_database_without_the_variable_is_an_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(PG_ENV, raising=False)
        with pytest.raises(RuntimeError, match=PG_ENV):
            await create_pg_database("nope")


class TestFreePort:
    def test_ports_are_bindable_distinct_and_below_the_outgoing_connections_range(self) -> None:
        floor = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
        ports = [free_port() for _ in range(50)]
        assert len(set(ports)) == 50
        assert all(10000 <= port < floor for port in ports)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", ports[-1]))

    def test_a_port_someone_listens_on_is_not_given(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import rectify_kit.testing as testing

        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            busy = taken.getsockname()[1]
            # The random choices land on the busy port twice, then on the ports after it.
            choices = iter([busy, busy, *range(busy + 1, 65536)])
            monkeypatch.setattr(testing, "_outgoing_floor", lambda: 65536)
            monkeypatch.setattr(secrets, "randbelow", lambda n: next(choices) - 10000)
            assert testing.free_port() > busy


def test_sqlite_test_url_points_into_the_directory(tmp_path: Path) -> None:
    assert sqlite_test_url(tmp_path, "svc") == f"sqlite+aiosqlite:///{tmp_path}/svc.db"


class TestTokenFactory:
    async def test_its_tokens_pass_its_verifier_with_their_claims(self) -> None:
        factory = TokenFactory()
        principal = await factory.verifier().verify(factory.token("u1", role="unit", unit_id="KJT"))
        assert (principal.sub, principal.role, principal.unit_id) == ("u1", "unit", "KJT")

    def test_headers_carry_a_bearer_token(self) -> None:
        assert TokenFactory().headers()["Authorization"].startswith("Bearer ey")

    def test_jwks_names_the_key_id(self) -> None:
        key = TokenFactory(kid="k9").jwks["keys"][0]
        assert (key["kid"], key["kty"], key["alg"]) == ("k9", "RSA", "RS256")


if pg_admin_url():

    class TestPgDatabase:
        async def test_create_then_drop(self) -> None:
            url = await create_pg_database("kit_helper")
            name = make_url(url).database
            assert name is not None
            assert name.startswith("kit_helper_")
            assert make_url(url).drivername == "postgresql+asyncpg"
            conn = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
            try:
                assert await conn.fetchval("SELECT current_database()") == name
            finally:
                await conn.close()
            await drop_pg_database(url)
            admin = await asyncpg.connect(pg_admin_url())
            try:
                assert await admin.fetchval("SELECT count(*) FROM pg_database WHERE datname = $1", name) == 0
            finally:
                await admin.close()

        async def test_a_copy_of_a_template_has_its_tables_and_rows_and_commits_without_waiting(self) -> None:
            template = await create_pg_database("kit_template")
            conn = await asyncpg.connect(make_url(template).set(drivername="postgresql").render_as_string(False))
            try:
                await conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
            finally:
                await conn.close()
            copy = await create_pg_database("kit_copy", template=template)
            try:
                conn = await asyncpg.connect(make_url(copy).set(drivername="postgresql").render_as_string(False))
                try:
                    assert await conn.fetchval("SELECT n FROM kept") == 7
                    assert await conn.fetchval("SHOW synchronous_commit") == "off"
                finally:
                    await conn.close()
            finally:
                await drop_pg_database(copy)
                await drop_pg_database(template)


# A router made once, as a service's modules make theirs: every app of the run includes this same object.
shared_router = APIRouter(prefix="/shared")


@shared_router.get("/state")
async def state_of(request: Request, item: int = 0) -> dict[str, Any]:
    return {"app": request.app.state.name, "item": item}


def router_for(name: str) -> APIRouter:
    """A router made for one app, whose endpoint closes over that app's object."""
    router = APIRouter()

    @router.get("/own")
    async def own() -> dict[str, str]:
        return {"app": name}

    return router


def service_app(name: str, *, prefix: str = "") -> FastAPI:
    app = FastAPI()
    app.state.name = name
    app.include_router(shared_router, prefix=prefix)
    app.include_router(router_for(name))
    return share_routes(app)


async def answers(app: FastAPI, path: str) -> Any:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get(path)
        assert response.status_code == 200, response.text
        return response.json()


class TestSharedRoutes:
    async def test_apps_share_a_routers_routes_and_each_answers_with_its_own_state(self) -> None:
        apps = [service_app(f"app-{n}") for n in range(3)]
        for app in apps:  # each built on its first request, unless shared
            assert await answers(app, "/shared/state?item=7") == {"app": app.state.name, "item": 7}
            assert await answers(app, "/own") == {"app": app.state.name}
        shared = [app.router.routes[-2] for app in apps]  # the inclusion of shared_router, before the own one
        assert shared[2] is shared[1]  # the third app took the second's, built once
        own = [app.router.routes[-1] for app in apps]
        assert own[2] is not own[1]  # a router made for one app stays its own
        # Built before the request above, the next app answers with its own state through the shared routes too.
        assert await answers(service_app("late"), "/shared/state") == {"app": "late", "item": 0}

    async def test_a_router_included_another_way_is_not_shared(self) -> None:
        plain, prefixed = service_app("plain"), service_app("prefixed", prefix="/v2")
        again = service_app("again", prefix="/v2")
        assert await answers(prefixed, "/v2/shared/state") == {"app": "prefixed", "item": 0}
        assert await answers(again, "/v2/shared/state") == {"app": "again", "item": 0}
        assert await answers(plain, "/shared/state") == {"app": "plain", "item": 0}
        assert again.router.routes[-2] is not plain.router.routes[-2]

    def test_an_app_sharing_routes_refuses_dependency_overrides(self) -> None:
        app = service_app("overridden")
        with pytest.raises(TypeError, match="share_routes"):
            app.dependency_overrides[state_of] = lambda: {}
        assert app.dependency_overrides == {}


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    forks = Zygote(["calendar", "timeit", "http.server"])
    try:
        yield forks
    finally:
        forks.close()


class TestZygote:
    """Processes forked from one that imported their modules once: real processes, their CPU counted as ours."""

    def test_a_fork_runs_the_module_as_python_m_does_with_its_output_in_its_log(
        self, zygote: Zygote, tmp_path: Path
    ) -> None:
        log = tmp_path / "calendar.log"
        process = zygote.start("calendar", ["2026", "6"], env={"LANG": "C"}, log=log)
        assert process.wait(timeout=60) == 0
        assert "June 2026" in log.read_text()

    def test_a_fork_runs_a_script_as_python_does(self, zygote: Zygote, tmp_path: Path) -> None:
        script = tmp_path / "script.py"
        script.write_text("import os, sys\nprint(__name__, sys.argv[1:], os.getcwd(), os.environ['WORD'])\n")
        log = tmp_path / "script.log"
        process = zygote.start(script, ["one", "two"], env={"WORD": "three"}, log=log, cwd=tmp_path)
        assert process.wait(timeout=60) == 0
        assert log.read_text() == f"__main__ ['one', 'two'] {tmp_path} three\n"

    def test_a_fork_is_killed_like_any_process(self, zygote: Zygote, tmp_path: Path) -> None:
        process = zygote.start("http.server", ["0", "--bind", "127.0.0.1"], env={}, log=tmp_path / "http.log")
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)  # it serves until stopped
        assert process.poll() is None
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL

    def test_the_forks_cpu_time_counts_in_the_runs_own_once_closed(self, tmp_path: Path) -> None:
        zygote = Zygote(["timeit"])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy = zygote.start("timeit", ["-n", "1", "-r", "1", "sum(range(20_000_000))"], env={}, log=tmp_path / "t")
        assert busy.wait(timeout=120) == 0
        zygote.close()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert after.ru_utime - before.ru_utime > 0.2

    def test_close_stops_the_forks_still_running(self, tmp_path: Path) -> None:
        zygote = Zygote(["http.server"])
        server = zygote.start("http.server", ["0", "--bind", "127.0.0.1"], env={}, log=tmp_path / "http.log")
        zygote.close()
        assert server.poll() == -signal.SIGTERM

    def test_close_leaves_the_forkserver_to_another_zygotes_running_forks(self, tmp_path: Path) -> None:
        shared, own = Zygote(["http.server"]), Zygote(["calendar"])
        server = shared.start("http.server", ["0", "--bind", "127.0.0.1"], env={}, log=tmp_path / "http.log")
        assert own.start("calendar", ["2026"], env={}, log=tmp_path / "calendar.log").wait(timeout=60) == 0
        own.close()
        assert server.poll() is None
        shared.close()
        assert server.poll() == -signal.SIGTERM

    def test_no_fork_outlives_the_process_that_started_it(self, tmp_path: Path) -> None:
        """Even one killed before it could stop them: its forkserver ends, and the forks with it."""
        script = (
            "import sys, time; from pathlib import Path; from rectify_kit.testing import Zygote; "
            "fork = Zygote(['http.server']).start('http.server', ['0', '--bind', '127.0.0.1'], env={}, "
            "log=Path(sys.argv[1])); print(fork.pid, flush=True); time.sleep(300)"
        )
        parent = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / "http.log")], stdout=subprocess.PIPE, text=True
        )
        assert parent.stdout is not None
        with parent.stdout:
            fork = int(parent.stdout.readline())
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 30
        while running(fork) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(fork)


def running(pid: int) -> bool:
    """Whether the process `pid` (not ours: its parent is gone) still runs; a zombie does not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
