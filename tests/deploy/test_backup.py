"""`make backup` / `make restore` (scripts/backup.py) on the real processes: back up, wipe everything, restore,
and the audit chain verifies, its anchors included, the figures are those of before, the files come back, and
the feeds go on from where they were.

How a database is copied and put back is the backend's own (SQLite's online backup and a file copy, `pg_dump` and
`pg_restore`): on each backend the services run, are stopped and backed up, and everything is wiped and restored.
On SQLite each database must then be the one the services left, row for row, `sqlite_sequence` included. The
services start again on the restored system on the main backend alone (PostgreSQL, production's, when
configured): what that proves beyond the databases (the files, anchors, key and secrets come back, the feeds go on
from their cursors) is the same on both, and a SQLite database equal to the one left serves as it did."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from notify_api.feed.models import feed_cursors
from rectify_kit.cursors import cursor_state
from rectify_kit.db import Database
from rectify_kit.settings import sqlite_url
from rectify_kit.testing import (
    ForkedProcess,
    Zygote,
    backends,
    create_pg_database,
    drop_pg_database,
    free_port,
    main_backend,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parents[2]
MODULES = {"issues": "issues_api", "notify": "notify_api", "report": "report_api"}
PREFIX = {"issues": "ISSUES_", "notify": "NOTIFY_", "report": "REPORT_"}
EVIDENCE = b"%PDF-1.4\n% rectify backup test evidence\n"


@pytest.fixture(params=backends())
def database_urls(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Nothing on SQLite (each service's file under var/), three databases of the test's own on PostgreSQL."""
    if request.param == "sqlite":
        yield {}
        return
    urls = {name: asyncio.run(create_pg_database(f"backup_{name}")) for name in MODULES}
    try:
        yield urls
    finally:
        for url in urls.values():
            asyncio.run(drop_pg_database(url))


def service_env(var_dir: Path, ports: dict[str, int], database_urls: dict[str, str]) -> dict[str, str]:
    issues = f"http://127.0.0.1:{ports['issues']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(tuple(PREFIX.values()))}
    for name, prefix in PREFIX.items():
        env |= {f"{prefix}PORT": str(ports[name]), f"{prefix}VAR_DIR": str(var_dir), f"{prefix}LOG_JSON": "true"}
        env[f"{prefix}AUTH__JWKS_URL"] = f"{issues}/.well-known/jwks.json"
        if name in database_urls:
            env[f"{prefix}DATABASE_URL"] = database_urls[name]
    return env | {
        "ISSUES_DEMO": "true",
        "ISSUES_DEMO_ITEMS": "12",
        "ISSUES_AUDIT_ANCHOR_SECONDS": "0.5",
        "NOTIFY_ISSUES_URL": issues,
        "NOTIFY_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "notify-api"),
        "REPORT_ISSUES_URL": issues,
        "REPORT_NOTIFY_URL": f"http://127.0.0.1:{ports['notify']}",
        "REPORT_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "report-api"),
        "REPORT_FEED_WAIT_SECONDS": "1",
        "NOTIFY_SCHEDULER_INTERVAL_SECONDS": "0.5",
    }


def in_environment(patch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """Make `env` this process's environment (undone with `patch`)."""
    for key in [k for k in os.environ if k not in env]:
        patch.delenv(key)
    for key, value in env.items():
        patch.setenv(key, value)
    patch.chdir(ROOT)  # where `make` runs the commands


def run_command(module: str, command: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m MODULE COMMAND` (migrate, demo) run in this process, in `env`, rather than in one of its own that
    would import Python's and the service's libraries again. The service reads its settings once per process
    (`get_settings` is cached): the cache is emptied on either side, so that the command reads `env`."""
    cli = importlib.import_module(f"{module}.__main__")
    config = importlib.import_module(f"{module}.config")
    with monkeypatch.context() as patch:
        in_environment(patch, env)
        patch.setattr(sys, "argv", [module, command])
        config.get_settings.cache_clear()
        try:
            assert cli.main() in (None, 0)
        finally:
            config.get_settings.cache_clear()


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    """The module's nine service processes (three on SQLite, six on PostgreSQL) are forked from one process that
    imported the three services once: each started as a fresh interpreter imported its service again, some 2 s of
    CPU each. (Every service keeps its metrics in a registry of its own app: the others' modules, imported
    beside it, add nothing to what it serves.)"""
    forks = Zygote([f"{module}.{name}" for module in MODULES.values() for name in ("__main__", "main")])
    try:
        yield forks
    finally:
        forks.close()


@pytest.fixture(scope="module")
def backup_script() -> ModuleType:
    """scripts/backup.py, which `make backup` and `make restore` run, imported: its `main` runs here, in the
    environment the services were given, rather than in a process of its own that would import it all again."""
    spec = importlib.util.spec_from_file_location("rectify_backup_script", ROOT / "scripts" / "backup.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(
    script: ModuleType,
    argv: list[str],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    """`python scripts/backup.py ARGV` with `env` as its environment: what it printed."""
    with monkeypatch.context() as patch:
        in_environment(patch, env)
        capsys.readouterr()
        assert script.main(argv) == 0
    printed: str = capsys.readouterr().out
    return printed


def sqlite_rows(var_dir: Path) -> dict[str, list[str]]:
    """Each SQLite database under var/ as SQL (schema and rows, `sqlite_sequence` included), by file name."""
    rows = {}
    for path in sorted(var_dir.glob("*.db")):
        with closing(sqlite3.connect(path)) as connection:
            rows[path.name] = list(connection.iterdump())
    return rows


class Running:
    """The three services as processes (forks of `zygote`); stopped with SIGTERM on exit. `http`: one client for
    every request of the test (a client of its own per request would build a TLS context each time);
    `notify_position()`: the last issues event notify-api applied, read from its database over one engine kept
    while the services run."""

    def __init__(self, zygote: Zygote, env: dict[str, str], ports: dict[str, int], logs: Path) -> None:
        self.zygote, self.env, self.ports, self.logs = zygote, env, ports, logs
        self.processes: list[ForkedProcess] = []
        self.http = httpx.Client(timeout=60)
        self._runner = asyncio.Runner()
        notify_url = env.get("NOTIFY_DATABASE_URL") or sqlite_url(Path(env["NOTIFY_VAR_DIR"]), "notify-api")
        self._notify = Database(notify_url)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def __enter__(self) -> Running:
        for name, module in MODULES.items():
            log = self.logs / f"{name}-{len(self.processes)}.log"
            self.processes.append(self.zygote.start(module, ["serve"], env=self.env, log=log))
        for name, process in zip(MODULES, self.processes, strict=True):
            wait_healthy(self.url(name), process, timeout=180)
        return self

    def notify_position(self) -> int:
        return self._runner.run(notify_position(self._notify))

    def __exit__(self, *_: object) -> None:
        self.http.close()
        self._runner.run(self._notify.dispose())
        self._runner.close()
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def token(stack: Running, username: str) -> dict[str, str]:
    answer = stack.http.post(
        f"{stack.url('issues')}/api/v1/auth/token", data={"username": username, "password": "demo12345"}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def settled(read: Callable[[], Any], *, timeout: float = 240.0) -> Any:
    """`read()` once it answers the same (and not None) three times in a row, over several scheduler rounds."""
    deadline, seen = time.monotonic() + timeout, [None]
    while time.monotonic() < deadline:
        seen = [*seen[-2:], read()]
        if seen[-1] is not None and len(seen) == 3 and seen[0] == seen[1] == seen[2]:
            return seen[-1]
        time.sleep(1.5)
    raise AssertionError(f"never settled: {seen[-1]}")


async def notify_position(database: Database) -> int:
    async with database.session(write=False) as session:
        return (await cursor_state(session, feed_cursors, "issues"))[0]


def figures(stack: Running, admin: dict[str, str]) -> dict[str, Any] | None:
    """What a user sees of the whole system, or None while notify-api or report-api lag behind the feeds."""
    http = stack.http
    summary = http.get(f"{stack.url('report')}/api/v1/reports/summary", headers=admin).json()
    head = http.get(f"{stack.url('issues')}/api/v1/events", params={"after": 0, "limit": 1}, headers=admin).json()
    caught_up = stack.notify_position() == head["head"]
    if not caught_up or summary["lag_events"] != 0 or summary["as_of_seq"] != head["head"]:
        return None
    units = http.get(f"{stack.url('report')}/api/v1/reports/units", headers=admin).json()
    issues = http.get(f"{stack.url('issues')}/api/v1/issues", params={"limit": 1}, headers=admin).json()
    escalations = http.get(f"{stack.url('notify')}/api/v1/escalations", params={"limit": 1}, headers=admin).json()
    return {
        "summary": {k: v for k, v in summary.items() if k != "checked_at"},  # when the feeds were last asked
        "units": units["items"],
        "issues": issues["total"],
        "escalations": escalations["total"],
        "head": head["head"],
    }


def audit(stack: Running, admin: dict[str, str]) -> dict[str, Any]:
    answer = stack.http.get(f"{stack.url('issues')}/api/v1/audit/verify", headers=admin)
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def attach_evidence(stack: Running) -> tuple[str, str]:
    """A file attached by the office to an open issue: (issue id, attachment id)."""
    office = token(stack, "office")
    listed = stack.http.get(f"{stack.url('issues')}/api/v1/issues", params={"status": "in_progress"}, headers=office)
    issue = listed.json()["items"][0]["id"]
    files = {"file": ("整改证明.pdf", EVIDENCE, "application/pdf")}
    answer = stack.http.post(f"{stack.url('issues')}/api/v1/issues/{issue}/attachments", files=files, headers=office)
    assert answer.status_code == 201, answer.text
    return issue, answer.json()["id"]


def first_campaign(stack: Running, admin: dict[str, str]) -> str:
    campaigns = stack.http.get(f"{stack.url('issues')}/api/v1/campaigns", headers=admin).json()
    campaign_id: str = campaigns["items"][0]["id"]
    return campaign_id


async def wipe_postgres(urls: dict[str, str]) -> None:
    """The disaster: every database dropped and made again, empty."""
    for url in urls.values():
        parsed = make_url(url)
        server = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        connection = await asyncpg.connect(server)
        try:
            await connection.execute(f'DROP DATABASE "{parsed.database}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{parsed.database}"')
        finally:
            await connection.close()


class TestBackupAndRestore:
    def test_back_up_wipe_restore_and_everything_is_as_before(
        self,
        database_urls: dict[str, str],
        zygote: Zygote,
        backup_script: ModuleType,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        var_dir, logs = tmp_path / "var", tmp_path / "logs"
        logs.mkdir()
        ports = {name: free_port() for name in MODULES}
        env = service_env(var_dir, ports, database_urls)
        for module in MODULES.values():
            run_command(module, "migrate", env, monkeypatch)
        run_command("issues_api", "demo", env, monkeypatch)

        with Running(zygote, env, ports, logs) as stack:
            admin = token(stack, "admin")
            issue, attachment = attach_evidence(stack)
            before = settled(lambda: figures(stack, admin))
            settled(lambda: audit(stack, admin)["anchors_checked"] or None)  # the head after the upload is anchored
            assert audit(stack, admin)["ok"] is True
        left = sqlite_rows(var_dir)

        backed_up = run_script(backup_script, ["backup", str(tmp_path / "backups")], env, monkeypatch, capsys)
        archive = Path(backed_up.split()[-1])
        assert archive.is_file()
        shutil.rmtree(var_dir)
        if database_urls:
            asyncio.run(wipe_postgres(database_urls))
        run_script(backup_script, ["restore", str(archive)], env, monkeypatch, capsys)

        backend = "postgresql" if database_urls else "sqlite"
        if backend == "sqlite":
            assert set(left) == {"issues-api.db", "notify-api.db", "report-api.db"}
            assert sqlite_rows(var_dir) == left
        if backend != main_backend():
            return  # what the services see after a restore is proven on the main backend

        with Running(zygote, env, ports, logs) as stack:
            admin = token(stack, "admin")  # the directory, the signing key
            after = settled(lambda: figures(stack, admin))
            verified = audit(stack, admin)
            download = stack.http.get(
                f"{stack.url('issues')}/api/v1/issues/{issue}/attachments/{attachment}", headers=admin
            )
            created = stack.http.post(
                f"{stack.url('issues')}/api/v1/issues",
                json={
                    "campaign_id": first_campaign(stack, admin),
                    "title": "恢复后登记",
                    "description": "恢复后的新问题",
                },
                headers=token(stack, "office"),
            )
            assert created.status_code == 201, created.text
            later = settled(lambda: figures(stack, admin))

        assert after == before
        assert verified["ok"] is True
        assert verified["first_bad_seq"] is None
        assert verified["anchors_checked"] >= 1
        assert download.status_code == 200
        assert download.content == EVIDENCE
        assert later["summary"]["total"] == before["summary"]["total"] + 1  # the feeds go on from where they were
        assert later["head"] > before["head"]
