"""Start the whole system as real processes on loopback: the three services and the gateway, one process of each
or several replicas of each.

Every process of a stack (the migrations, the demo's loading, the servers) is `python -m <service> <command>`
forked from one process that imported the four services once (`rectify_kit.testing.Zygote`), not a fresh
interpreter importing them again: some 1.5 to 2 s of CPU less per process, eight or more per stack. Each is
still a process of its own, with its own environment (read as it starts), port and log, stopped or killed like
any other. The forkserver serves every stack of the test run and is stopped (and waited for, so that its forks'
CPU counts in the run's) when the run's process exits; a fork dies with it.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from rectify_kit.testing import ForkedProcess, Zygote, free_port, wait_healthy
from rectify_stack.clients import eventually, login

ROOT = Path(__file__).resolve().parents[4]  # the repository: tests/support/src/rectify_stack/processes.py
SERVICES = {"issues": "issues_api", "notify": "notify_api", "report": "report_api", "gateway": "gateway"}
PREFIX = {"issues": "ISSUES_", "notify": "NOTIFY_", "report": "REPORT_", "gateway": "GATEWAY_"}
# What the forkserver imports once: each service's command line and its app (imported by `serve` only).
PRELOAD = [f"{module}.{part}" for module in SERVICES.values() for part in ("__main__", "main")]

_forks: Zygote | None = None


def forks() -> Zygote:
    """The test run's forkserver for stack processes, started with the first stack, stopped when the run's process
    exits (after the stacks, which stop their own processes)."""
    global _forks  # one per process, as multiprocessing's forkserver is
    if _forks is None:
        _forks = Zygote(PRELOAD)
        atexit.register(_forks.close)
    return _forks


@dataclass
class Replica:
    """One process of a service: `service` is a key of SERVICES, `index` counts from 1."""

    service: str
    index: int
    url: str
    process: ForkedProcess

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"

    @property
    def log_name(self) -> str:
        """Its log's name in the stack's folder (Stack.log): `<service>` for the first, `<service>-<n>` after."""
        return self.service if self.index == 1 else f"{self.service}-{self.index}"


@dataclass
class Stack:
    """`urls` and `processes`: the first replica of each service (the only one unless asked for more);
    `replicas`: every process of each service, in the order the gateway was given them."""

    urls: dict[str, str]
    var_dir: Path
    processes: dict[str, ForkedProcess] = field(default_factory=dict)
    replicas: dict[str, list[Replica]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]

    def start(self, service: str, index: int, port: int) -> Replica:
        """Start replica `index` of `service` on `port` (logging to its file); it is not waited for."""
        process = forks().start(
            SERVICES[service],
            ["serve"],
            env={**self.env, f"{PREFIX[service]}PORT": str(port)},
            log=self.var_dir / (f"{service}.log" if index == 1 else f"{service}-{index}.log"),
            cwd=ROOT,
        )
        replica = Replica(service, index, f"http://127.0.0.1:{port}", process)
        replicas = self.replicas.setdefault(service, [])
        replicas[index - 1 : index] = [replica]
        if index == 1:
            self.processes[service] = process
        return replica

    def restart(self, *replicas: Replica) -> list[Replica]:
        """Start replicas that were stopped (or killed) again, each on its port, and wait until they answer."""
        if running := [replica.name for replica in replicas if replica.process.poll() is None]:
            raise RuntimeError(f"still running: {running}")
        started = [self.start(r.service, r.index, int(r.url.rsplit(":", 1)[1])) for r in replicas]
        for replica in started:
            wait_healthy(replica.url, replica.process, timeout=180)
        return started

    def log(self, name: str) -> str:
        path = self.var_dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def check_running(self) -> None:
        """Fail with the end of its log when a process of the stack has exited (a refused connection says less)."""
        for replica in every_replica(self):
            if replica.process.poll() is not None:
                log = self.log(replica.log_name)[-4000:]
                raise RuntimeError(f"{replica.name} exited ({replica.process.returncode}); the end of its log:\n{log}")

    def errors(self, *, last: int = 8, trace_chars: int = 2500) -> str:
        """The services' last `last` records logged at ERROR (with the end of each traceback), oldest first: what a
        failing test shows of the processes behind it, as their logs live in a folder pytest removes later."""
        records: list[tuple[str, str, str]] = []
        for path in sorted(self.var_dir.glob("*.log")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if '"ERROR"' not in line:
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                trace = str(record.get("exc_info") or "")[-trace_chars:]
                records.append((str(record.get("time", "")), path.stem, f"{record.get('message', '')}\n{trace}"))
        return "\n".join(f"{at} {name}: {text}" for at, name, text in sorted(records)[-last:])


def stack_env(var_dir: Path, ports: Mapping[str, list[int]], database_urls: Mapping[str, str]) -> dict[str, str]:
    """The environment every process starts with (each gets its own `<PREFIX>PORT` on top).

    With one process per service they call each other directly. With replicas, the gateway balances over each
    service's, and the services reach issues-api (the feed, the JWKS) and notify-api (its feed) through the first
    gateway, as they would through a Kubernetes Service: whichever replica dies, the others are still reached.
    """
    urls = {name: [f"http://127.0.0.1:{port}" for port in each] for name, each in ports.items()}
    replicated = any(len(each) > 1 for each in urls.values())
    reach = {name: urls["gateway"][0] if replicated else each[0] for name, each in urls.items()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(tuple(PREFIX.values()))}
    for name, prefix in PREFIX.items():
        env[f"{prefix}PORT"] = str(ports[name][0])
        env[f"{prefix}VAR_DIR"] = str(var_dir)
        env[f"{prefix}LOG_JSON"] = "true"
        env[f"{prefix}AUTH__JWKS_URL"] = f"{reach['issues']}/.well-known/jwks.json"
        if name in database_urls:
            env[f"{prefix}DATABASE_URL"] = database_urls[name]
    env.update(
        {
            "ISSUES_DEMO": "true",
            # A small demo (`make run` loads 300 items): it still has every situation the tests start from
            # (issues-api's demo/stories.py, FORCED_STORIES), and loading it and catching up on its feed take
            # far less CPU. A caller's `settings` may ask for another size.
            "ISSUES_DEMO_ITEMS": "40",
            "GATEWAY_ISSUES_URL": ",".join(urls["issues"]),
            "GATEWAY_NOTIFY_URL": ",".join(urls["notify"]),
            "GATEWAY_REPORT_URL": ",".join(urls["report"]),
            "GATEWAY_SPA_DIR": str(ROOT / "frontend" / "dist"),
            "NOTIFY_ISSUES_URL": reach["issues"],
            "NOTIFY_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "notify-api"),
            "REPORT_ISSUES_URL": reach["issues"],
            "REPORT_NOTIFY_URL": reach["notify"],
            "REPORT_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "report-api"),
        }
    )
    if replicated:
        # The gateway reads the JWKS through itself: the JWKS of whichever issues-api replica answers.
        env["GATEWAY_AUTH__JWKS_URL"] = f"{urls['gateway'][0]}/.well-known/jwks.json"
    return env


def prepare(env: Mapping[str, str], var_dir: Path) -> None:
    """Migrate the three databases at once (and load the demo into issues-api's as soon as it is migrated); each
    command's output is in `<service>-<command>.log`."""

    def start(service: str, command: str) -> tuple[str, ForkedProcess]:
        log = var_dir / f"{service}-{command}.log"
        return log.name, forks().start(SERVICES[service], [command], env=env, log=log, cwd=ROOT)

    def finish(name: str, process: ForkedProcess) -> None:
        if (code := process.wait(timeout=600)) != 0:
            output = (var_dir / name).read_text(encoding="utf-8", errors="replace")[-4000:]
            raise RuntimeError(f"{name.removesuffix('.log')} failed ({code}):\n{output}")

    issues, *others = [start(service, "migrate") for service in ("issues", "notify", "report")]
    finish(*issues)
    demo = start("issues", "demo")
    for each in [*others, demo]:
        finish(*each)


FEED_POSITION = "SELECT position FROM feed_cursors WHERE name = 'issues'"
FOLLOWERS = ("notify", "report")  # the services that read issues-api's feed


@contextmanager
def feed_positions(stack: Stack) -> Iterator[Callable[[], dict[str, int]]]:
    """A reader of the last issues-feed event each follower has applied, from its database (notify-api's API does
    not say; report-api's says it in its summary, costly to compute twice a second), over one connection per
    database kept open while waiting: a new PostgreSQL connection per read costs the server a process each time."""
    with ExitStack() as exit_stack:
        runner = exit_stack.enter_context(asyncio.Runner())
        readers: dict[str, Callable[[], int]] = {}
        for name in FOLLOWERS:
            url = stack.env.get(f"{PREFIX[name]}DATABASE_URL")
            if url:
                dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
                readers[name] = _pg_reader(runner, runner.run(asyncpg.connect(dsn)), exit_stack)
            else:
                path = stack.var_dir / f"{SERVICES[name].replace('_', '-')}.db"
                readers[name] = _sqlite_reader(exit_stack.enter_context(closing(sqlite3.connect(path, timeout=30))))
        yield lambda: {name: read() for name, read in readers.items()}


def _pg_reader(runner: asyncio.Runner, connection: asyncpg.Connection, exit_stack: ExitStack) -> Callable[[], int]:
    exit_stack.callback(lambda: runner.run(connection.close()))
    return lambda: int(runner.run(connection.fetchval(FEED_POSITION)) or 0)


def _sqlite_reader(connection: sqlite3.Connection) -> Callable[[], int]:
    def read() -> int:
        row = connection.execute(FEED_POSITION).fetchone()
        return int(row[0]) if row else 0

    return read


def wait_caught_up(stack: Stack, *, timeout: float = 600.0) -> None:
    """Wait until notify-api and report-api have read the demo's events: tests then start on a system at rest, not
    one still busy with thousands of events (on a loaded machine notify-api may lag far behind report-api, and a
    test waiting for a message or an escalation would wait for the whole backlog first)."""
    with httpx.Client(base_url=stack.urls["issues"], timeout=30) as issues:
        admin = login(issues, "admin")
        head = issues.get("/api/v1/events", params={"after": 0, "limit": 1}, headers=admin).json()["head"]
    with feed_positions(stack) as positions:

        def caught_up() -> bool:
            stack.check_running()  # a follower that died would never catch up: its log says why
            return all(position >= head for position in positions().values())

        eventually(caught_up, timeout=timeout, every=0.5)


@contextmanager
def running_stack(
    var_dir: Path,
    *,
    database_urls: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
    replicas: int = 1,
) -> Iterator[Stack]:
    """Migrate, load the demo campaign, start the processes (`replicas` of each service, the gateway included),
    all forked from the run's forkserver (`forks()`); stop them all on exit. Logs: `<service>.log` for the first
    replica, `<service>-<n>.log` for the others, `<service>-migrate.log` and `issues-demo.log`.

    `settings`: environment variables of the services' own (`GATEWAY_RATE_LIMITS__SUBJECT_PER_MINUTE`, …).
    """
    ports = {name: [free_port() for _ in range(replicas)] for name in SERVICES}
    env = {**stack_env(var_dir, ports, database_urls or {}), **(settings or {})}
    stack = Stack(urls={n: f"http://127.0.0.1:{p[0]}" for n, p in ports.items()}, var_dir=var_dir, env=env)
    var_dir.mkdir(parents=True, exist_ok=True)
    prepare(env, var_dir)
    try:
        for name in SERVICES:
            for index, port in enumerate(ports[name], start=1):
                stack.start(name, index, port)
        for replica in every_replica(stack):
            try:
                wait_healthy(replica.url, replica.process, timeout=180)
            except RuntimeError as failed:
                # the logs live in a folder pytest removes later: the end of this one's is the only cause kept
                raise RuntimeError(f"{failed}; the end of its log:\n{stack.log(replica.log_name)[-4000:]}") from failed
        wait_caught_up(stack)
        yield stack
    finally:
        for replica in every_replica(stack):
            if replica.process.poll() is None:
                replica.process.terminate()
        for replica in every_replica(stack):
            try:
                replica.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                replica.process.kill()
                replica.process.wait()


def every_replica(stack: Stack) -> list[Replica]:
    return [replica for each in stack.replicas.values() for replica in each]
