"""Test helpers shared by the services: database URLs (SQLite always, PostgreSQL when configured), tokens,
service processes on loopback (started afresh, or forked from a process that imported the service once), and
route tables shared by the apps of a test run."""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import asyncpg
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from sqlalchemy.engine import make_url

from rectify_kit.auth import AccountCheck, JWKSKeySet, TokenVerifier, TrustedIssuer, encode_token, public_jwk

PG_ENV = "RECTIFY_TEST_PG_URL"
BACKENDS_ENV = "RECTIFY_TEST_BACKENDS"


def pg_admin_url() -> str | None:
    """`RECTIFY_TEST_PG_URL`, e.g. `postgresql://postgres@127.0.0.1:5432/postgres`, or None."""
    return os.environ.get(PG_ENV) or None


def configured_backends() -> list[str]:
    """The database backends this machine offers: always SQLite, PostgreSQL too when configured."""
    return ["sqlite", "postgresql"] if pg_admin_url() else ["sqlite"]


def main_backend() -> str:
    """The backend a test that needs only one runs on: PostgreSQL when configured, else SQLite."""
    return configured_backends()[-1]


def backends() -> list[str]:
    """The database backends the tests of this run use: the configured ones, or those of them named in
    `RECTIFY_TEST_BACKENDS` (e.g. `sqlite`), so that one suite can run as two processes, a backend each."""
    chosen = os.environ.get(BACKENDS_ENV, "").replace(",", " ").split()
    return [b for b in configured_backends() if not chosen or b in chosen]


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL `url` as asyncpg's own `connect` takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_pg_database(prefix: str, *, template: str | None = None) -> str:
    """Create a fresh PostgreSQL database, empty or a copy of the database at the URL `template` (which nobody
    may be connected to); returns its SQLAlchemy asyncpg URL."""
    admin = pg_admin_url()
    if admin is None:
        raise RuntimeError(f"{PG_ENV} is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}".lower()
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    conn = await asyncpg.connect(asyncpg_dsn(admin))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
        # A test database is thrown away: its commits need not wait for the disk.
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()
    return make_url(admin).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


async def drop_pg_database(url: str) -> None:
    admin = pg_admin_url()
    if admin is None:
        return
    name = make_url(url).database
    conn = await asyncpg.connect(asyncpg_dsn(admin))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def sqlite_test_url(directory: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{directory / f'{name}.db'}"


# Where `free_port` looks: below the range the kernel takes outgoing connections' own ports from (Linux's
# `ip_local_port_range`). A port from that range (a bind to port 0 gives one) could be taken by any connection the
# machine opened before the service bound it: a test stack's gateway once failed to start so ("address already in
# use"), the migrations and the demo's load coming between the port's choice and its bind while other suites ran.
_LISTEN_FLOOR = 10000
_OUTGOING_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_given: set[int] = set()


def _outgoing_floor() -> int:
    try:
        return int(_OUTGOING_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now, never given before by this process, and outside
    the range outgoing connections take their ports from (so none opened meanwhile takes it). Chosen at random
    (`secrets`: the forks of a `Zygote` share `random`'s state) so that processes choosing at once rarely meet."""
    ceiling = _outgoing_floor()
    for _ in range(100 if ceiling - _LISTEN_FLOOR > 1000 else 0):
        port = _LISTEN_FLOOR + secrets.randbelow(ceiling - _LISTEN_FLOOR)
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    with socket.socket() as sock:  # no room below the outgoing range: the kernel's choice
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes] | ForkedProcess, *, timeout: float = 120.0) -> None:
    """Wait until the service process at `url` answers `/healthz`; fail early if it exits.

    One client for the whole wait: a client per attempt (`httpx.get`) builds a TLS context each time, ~0.2 s of
    CPU per second of a service's start, ten times what the asking itself costs."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}")
            try:
                if http.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer /healthz within {timeout:.0f}s")


def _run_module(module: str, args: list[str], env: dict[str, str], log: str, cwd: str | None) -> None:
    """In a forked process: what `python -m <module> <args>` (or `python <module> <args>`, for a script's path)
    does, in `env` (and `cwd`), its output appended to `log`."""
    _end_with_the_forkserver()
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(output)
    if cwd is not None:
        os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = [module, *args]
    if module.endswith(".py"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(module)))  # as `python <script>` does
        runpy.run_path(module, run_name="__main__")
    else:
        # runs afresh as __main__: a preloaded `<package>.__main__` would only make runpy warn of it in the log
        sys.modules.pop(f"{module}.__main__", None)
        runpy.run_module(module, run_name="__main__", alter_sys=True)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _end_with_the_forkserver() -> None:
    """In a forked process: be killed when the forkserver ends, and let it end when the process that started it
    does, so that no fork outlives the test run, even one whose process was killed before it could stop them.

    Every fork inherits the forkserver's "alive" pipe, and the forkserver runs until no process holds that pipe
    open: closed here, only the process that started it keeps it running."""
    from multiprocessing import forkserver

    server: Any = forkserver._forkserver
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ForkedProcess:
    """A process `Zygote.start` forked, with the calls of `subprocess.Popen` that tests make on a service's."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(f"process {self.pid}", timeout or 0.0)
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.pid is not None and self._process.exitcode is None:
            os.kill(self._process.pid, sig)

    def terminate(self) -> None:
        self._process.terminate()

    def kill(self) -> None:
        self._process.kill()


class Zygote:
    """Starts `python -m <module> <args>` processes (or `python <script> <args>`, given a script's path) as forks
    of one process that imported `preload` once.

    Each start of a service as a fresh interpreter imports it again (1.5 to 2 s of CPU, on the shared machine);
    a forked process starts with the modules imported, and from there does what `python -m` does, in its own
    environment, with its own output: a real process, stopped or killed like any other (multiprocessing's
    forkserver: the forks are made by a process of their own, which has no threads, sockets or event loop of the
    test's). A fork dies with the forkserver, and the forkserver with the process that started it.

    `close()` stops its forks still running (SIGTERM, SIGKILL after `timeout`), then the forkserver, and waits
    for it, so that its forks' CPU time counts in the test run's own (as a subprocess's does once waited for). A
    process has one forkserver, shared by its Zygotes: while another Zygote's forks run (a stack shared by the
    whole run), it is left to that one's `close()`; the first start after it was stopped starts it again, with the
    modules the latest Zygote named."""

    _running: ClassVar[list[ForkedProcess]] = []  # the forks of every Zygote of the process, as last seen running

    def __init__(self, preload: Sequence[str]) -> None:
        self._context = multiprocessing.get_context("forkserver")
        # this module too: each fork runs a function of it
        self._context.set_forkserver_preload([__name__, *preload])
        self._started: list[ForkedProcess] = []

    def start(
        self, module: str | Path, args: Sequence[str], *, env: Mapping[str, str], log: Path, cwd: Path | None = None
    ) -> ForkedProcess:
        """Start `module`: a module's name, or a script's path (ending in `.py`)."""
        process = self._context.Process(
            target=_run_module, args=(str(module), list(args), dict(env), str(log), None if cwd is None else str(cwd))
        )
        process.start()
        forked = ForkedProcess(process)
        self._started = [each for each in self._started if each.poll() is None] + [forked]
        Zygote._running = [each for each in Zygote._running if each.poll() is None] + [forked]
        return forked

    def close(self, *, timeout: float = 10.0) -> None:
        from multiprocessing import forkserver

        running = [each for each in self._started if each.poll() is None]
        for each in running:
            each.terminate()
        for each in running:
            try:
                each.wait(timeout)
            except subprocess.TimeoutExpired:
                each.kill()
                each.wait()
        self._started = []
        if not any(each.poll() is None for each in Zygote._running):
            forkserver._forkserver._stop()  # type: ignore[attr-defined]  # closes its pipe and waits for it to exit


async def health_of(client: httpx.AsyncClient) -> tuple[Any, int, Any]:
    """What the app behind `client` answers on its health endpoints: `/healthz`'s body, `/readyz`'s status and
    checks."""
    health = await client.get("/healthz")
    ready = await client.get("/readyz")
    return health.json(), ready.status_code, ready.json().get("checks")


def rsa_key_pair() -> tuple[str, str]:
    """A fresh 2048-bit RSA key pair as (private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class TokenFactory:
    """Mints RS256 tokens as the token issuer does, for tests of any service."""

    issuer: str = "rectify"
    audience: str = "rectify"
    kid: str = "test-key"
    keys: tuple[str, str] = field(default_factory=rsa_key_pair)

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [public_jwk(self.keys[1], self.kid)]}

    def verifier(self, *, account_check: AccountCheck | None = None) -> TokenVerifier:
        keyset = JWKSKeySet(keys=self.jwks["keys"])
        return TokenVerifier([TrustedIssuer(self.issuer, self.audience, keyset, account_check=account_check)])

    def token(self, sub: str = "user-1", *, ttl: int = 300, **claims: Any) -> str:
        now = int(time.time())
        body: dict[str, Any] = {"iss": self.issuer, "aud": self.audience, "sub": sub, "iat": now, "exp": now + ttl}
        body.update(claims)
        return encode_token(body, private_key_pem=self.keys[0], kid=self.kid)

    def headers(self, sub: str = "user-1", **claims: Any) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {self.token(sub, **claims)}"}


class SharedRoutesTakeNoOverrides(dict[Any, Any]):
    """`app.dependency_overrides` of an app whose routes are shared (`share_routes`): always empty, since the
    shared routes read the overrides of the app that built them; a test double goes into `app.state` instead."""

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError("this app's routes are shared with the run's other apps (share_routes): no overrides")

    def update(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("this app's routes are shared with the run's other apps (share_routes): no overrides")

    def setdefault(self, key: Any, default: Any = None) -> Any:
        raise TypeError("this app's routes are shared with the run's other apps (share_routes): no overrides")


# By the router's id (routers compare by value): the routers included by more than one app of this process, with
# the inclusions of them built so far (which keep them alive), and the routers seen once, held weakly (a router
# made for one app dies with it, and its entry with it).
_included: dict[int, list[Any]] = {}
_seen_once: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def _without_app(included: Any) -> Any:
    return dataclasses.replace(included.include_context, dependency_overrides_provider=None)


def share_routes(app: FastAPI) -> FastAPI:
    """Let `app` match and call its routes with what earlier apps of this process built for the same routers.

    FastAPI (0.165) builds a router's routes for an app lazily, on the first request that passes them: each
    route's dependency graph, its parameters' and response's pydantic adapters, its handler. That is some 2 ms of
    CPU per route and app, and a suite that makes an app per test (each on a database of its own, with a fixed
    clock and fresh state) paid it again in every test: a third of a service suite's CPU. What is built depends
    only on the router and how it is included (prefix, dependencies, responses), never on the app's state, which
    the routes read from the request (`request.app.state`). So an inclusion of the same router object, included
    the same way, is taken from an earlier app that had it; a router made for one app (whose endpoints may close
    over that app's objects) is never the same object in another, so it stays the app's own (and only routers
    that a second app includes are remembered, so that no app is kept alive by a router made for it). The app keeps its
    own state, middleware, exception handlers, lifespan, OpenAPI document and metrics.

    The one thing a shared route takes from its first app is `dependency_overrides`: every such app's are kept
    empty, and setting one raises (`SharedRoutesTakeNoOverrides`)."""
    included_type = getattr(fastapi_routing, "_IncludedRouter", None)
    if included_type is None:  # a FastAPI that builds routes when they are included: nothing to share
        return app
    app.dependency_overrides = SharedRoutesTakeNoOverrides()
    routes = app.router.routes
    for index, route in enumerate(routes):
        if not isinstance(route, included_type):
            continue
        key = id(route.original_router)
        if key not in _included and _seen_once.get(key) is not route.original_router:
            _seen_once[key] = route.original_router
            continue
        known = _included.setdefault(key, [])
        context = _without_app(route)
        same = next((earlier for earlier in known if _without_app(earlier) == context), None)
        if same is None:
            known.append(route)
        else:
            routes[index] = same
    return app
