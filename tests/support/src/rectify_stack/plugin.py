"""pytest fixtures sharing one running stack per backend across a whole test run (a pytest11 entry point).

- `stack`: the stack on each backend of the run (SQLite, and PostgreSQL when configured): a test using it runs
  once per backend.
- `main_stack`: the stack on the main backend only (PostgreSQL when configured, else SQLite), for a test that
  need not run twice; in a run limited to another backend (`RECTIFY_TEST_BACKENDS`) such tests are deselected,
  the run of the main backend has them, after the tests on `stack`. A module that needs no stack for some of
  its tests may mark them all with `pytest.mark.usefixtures("main_stack")` so that they run once; a module
  that starts a stack of its own (other settings) marks them with `pytest.mark.main_backend` (registered here)
  instead: they run once, with the main backend's tests, and the shared stack is not started for them.

Every test shares the stack with every other, so none may depend on another's writes, nor change what others
read (the demo accounts, units and campaign): a test creates what it needs, under names of its own. The
gateway's rate limits and issues-api's submissions per address are raised here: many tests sign in and submit
from 127.0.0.1; so are its timeouts, for a loaded machine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from rectify_kit import testing
from rectify_stack.processes import Stack, running_stack

SHARED_SETTINGS = {
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_MINUTE": "100000",
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_DAY": "1000000",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_MINUTE": "100000",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_DAY": "1000000",
    "GATEWAY_RATE_LIMITS__SUBJECT_PER_MINUTE": "100000",
    "ISSUES_INTAKE__PER_ADDRESS_PER_DAY": "100000",
    # The gateway judges a replica by answers within 2 s (production's machines): on the test machine, two cores
    # running every suite at once, a live service may take longer, and an upstream taken for down (503
    # upstream-unavailable) is not what these tests are about. The breaker itself is the gateway's tests' and
    # tests/deploy's (replicas killed and stopped).
    "GATEWAY_TIMEOUTS__CONNECT": "15",
    "GATEWAY_TIMEOUTS__READINESS": "15",
    "GATEWAY_TIMEOUTS__POOL_WAIT": "30",
    # Each service builds its OpenAPI document on its first request (0.6 s of CPU for issues-api's): on the loaded
    # machine that outlasts production's 5 s, and the merged document the API page, Schemathesis and the
    # authorization matrix read would silently lack that service's operations.
    "GATEWAY_TIMEOUTS__OPENAPI": "30",
    # A few PostgreSQL connections kept per service (production keeps 32): several stacks and the services' suites
    # share one server's 100 connections during `make test`.
    **{
        f"{service}_DATABASE_POOL__{key}": "4"
        for service in ("ISSUES", "NOTIFY", "REPORT")
        for key in ("SIZE", "OVERFLOW")
    },
}
DATABASES = ("issues", "notify", "report")


class Stacks:
    """The run's stacks, one per backend, each started when a test first asks for it, all stopped at the end."""

    def __init__(self, base: pytest.TempPathFactory) -> None:
        self._base = base
        self._running: dict[str, Stack] = {}
        self._exit = ExitStack()

    def get(self, backend: str) -> Stack:
        if backend not in self._running:
            self._running[backend] = self._start(backend)
        return self._running[backend]

    def _start(self, backend: str) -> Stack:
        urls: dict[str, str] = {}
        if backend == "postgresql":
            urls = {name: asyncio.run(testing.create_pg_database(f"rectify_system_{name}")) for name in DATABASES}
            self._exit.callback(lambda: [asyncio.run(testing.drop_pg_database(url)) for url in urls.values()])
        var_dir: Path = self._base.mktemp(f"stack-{backend}")
        return self._exit.enter_context(running_stack(var_dir, database_urls=urls, settings=SHARED_SETTINGS))

    def close(self) -> None:
        self._exit.close()


@pytest.fixture(scope="session")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stacks]:
    running = Stacks(tmp_path_factory)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="session", params=testing.backends())
def stack(request: pytest.FixtureRequest, stacks: Stacks) -> Stack:
    """The shared stack on each backend of the run."""
    return stacks.get(str(request.param))


@pytest.fixture(scope="session")
def main_stack(stacks: Stacks) -> Stack:
    """The shared stack on the main backend (PostgreSQL when configured, else SQLite)."""
    return stacks.get(testing.main_backend())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test on a stack reports the services' last errors beside its own (a 500's traceback)."""
    report: pytest.TestReport = yield
    if report.failed:
        # A stack fixture built on another (`replicated` on `started`) is the same stack: reported once.
        stacks = {id(v): v for v in getattr(item, "funcargs", {}).values() if isinstance(v, Stack)}
        for running in stacks.values():
            if errors := running.errors():
                report.sections.append((f"services' last errors ({running.var_dir.name})", errors))
    return report


MAIN_BACKEND = "main_backend"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MAIN_BACKEND}: starts a stack of its own, once, on the main backend")


def _on_main_stack(item: pytest.Item) -> bool:
    return "main_stack" in getattr(item, "fixturenames", ()) or item.get_closest_marker(MAIN_BACKEND) is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run `main_stack`'s tests after the others (whatever leaves data behind goes last), and leave them to the
    run that has the main backend."""
    items.sort(key=_on_main_stack)
    if testing.main_backend() in testing.backends():
        return
    other = [item for item in items if _on_main_stack(item)]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if not _on_main_stack(item)]
