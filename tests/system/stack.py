"""Start the whole system as real processes on loopback: the three services and the gateway."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rectify_kit.testing import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"issues": "issues_api", "notify": "notify_api", "report": "report_api", "gateway": "gateway"}
PREFIX = {"issues": "ISSUES_", "notify": "NOTIFY_", "report": "REPORT_", "gateway": "GATEWAY_"}


@dataclass
class Stack:
    urls: dict[str, str]
    var_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]

    def log(self, name: str) -> str:
        path = self.var_dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def stack_env(var_dir: Path, ports: Mapping[str, int], database_urls: Mapping[str, str]) -> dict[str, str]:
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(tuple(PREFIX.values()))}
    for name, prefix in PREFIX.items():
        env[f"{prefix}PORT"] = str(ports[name])
        env[f"{prefix}VAR_DIR"] = str(var_dir)
        env[f"{prefix}LOG_JSON"] = "true"
        env[f"{prefix}AUTH__JWKS_URL"] = f"{urls['issues']}/.well-known/jwks.json"
        if name in database_urls:
            env[f"{prefix}DATABASE_URL"] = database_urls[name]
    env.update(
        {
            "ISSUES_DEMO": "true",
            "GATEWAY_ISSUES_URL": urls["issues"],
            "GATEWAY_NOTIFY_URL": urls["notify"],
            "GATEWAY_REPORT_URL": urls["report"],
            "GATEWAY_SPA_DIR": str(ROOT / "frontend" / "dist"),
            "NOTIFY_ISSUES_URL": urls["issues"],
            "NOTIFY_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "notify-api"),
            "REPORT_ISSUES_URL": urls["issues"],
            "REPORT_NOTIFY_URL": urls["notify"],
            "REPORT_FEED_CLIENT_SECRET_FILE": str(var_dir / "secrets" / "report-api"),
        }
    )
    return env


@contextmanager
def running_stack(var_dir: Path, *, database_urls: Mapping[str, str] | None = None) -> Iterator[Stack]:
    """Migrate, load the demo campaign, start the four processes; stop them all on exit."""
    ports = {name: free_port() for name in SERVICES}
    env = stack_env(var_dir, ports, database_urls or {})
    stack = Stack(urls={n: f"http://127.0.0.1:{p}" for n, p in ports.items()}, var_dir=var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    for name in ("issues", "notify", "report"):
        subprocess.run([sys.executable, "-m", SERVICES[name], "migrate"], env=env, cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "issues_api", "demo"], env=env, cwd=ROOT, check=True)
    try:
        for name, module in SERVICES.items():
            log = (var_dir / f"{name}.log").open("wb")
            stack.processes[name] = subprocess.Popen(
                [sys.executable, "-m", module, "serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        for name, process in stack.processes.items():
            wait_healthy(stack.urls[name], process, timeout=180)
        yield stack
    finally:
        for process in stack.processes.values():
            process.terminate()
        for process in stack.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
