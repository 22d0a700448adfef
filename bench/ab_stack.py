"""Base against new, side by side on one stack: what a change to the read paths buys, on a machine too noisy for
two separate runs to compare.

Starts the `make run` stack of this checkout on PostgreSQL (as bench_stack.py does: scratch databases, the demo,
rate limits off), then a second issues-api and gateway from another checkout (`--base`, its own `.venv`) on the
same databases, the base gateway in front of the base issues-api, and the anchor. Each round loads the anchor,
then each request direct and through the gateway, new and base alternately (the order reversed every other
round), with wrk; it prints each run and then the medians: req/s, the ratio to the anchor, p99 and the CPU
milliseconds per request of issues-api and of the gateway.

    python bench/ab_stack.py --base ../base-checkout [--rounds 3] [--seconds 8] [--only get,ledger,create]
                             [--pool 10] [--keep]

`create` posts the plain create of bench_stack.py to each issues-api (both write into the one database; the feed
consumers follow it as usual).

`--keep` keeps the three databases (`rectify_ab_kept_*`) for the next run with `--keep`, which finds the demo
loaded: loading it takes minutes on the loaded machine. Drop them when done (`DROP DATABASE`).

A base checkout: `git worktree add --detach ../base <commit>` and `make install-python` in it, or a bare tree
(`git archive <commit> | tar -x -C ../base`), whose services then run on this interpreter with its code first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import asyncpg
import httpx
from bench_stack import DEFAULT_PG, _dsn, _token, anchor_process, get_script, post_script, stack_settings
from sqlalchemy.engine import make_url
from wrk import cpu_seconds, pid_of, run_wrk

from rectify_kit import testing
from rectify_stack import running_stack

Measured = tuple[float, float, list[float]]  # req/s, p99 ms, CPU ms per request of each process


def _start(base: Path, module: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    python = base / ".venv" / "bin" / "python"
    if not python.exists():  # a bare tree of the base (`git archive`): this interpreter, the base's code first
        python = Path(sys.executable)
        env = {**env, "PYTHONPATH": os.pathsep.join(str(p) for p in sorted(base.glob("services/*/src")))}
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(python), "-m", module, "serve"],
            env=env,
            cwd=base,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def _kept_database(name: str) -> str:
    """The database `name`, created unless it exists; its SQLAlchemy URL."""
    admin = testing.pg_admin_url() or DEFAULT_PG
    conn = await asyncpg.connect(testing.asyncpg_dsn(admin))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await conn.close()
    return make_url(admin).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the base checkout (with its .venv)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", default="get,ledger", help="some of get,ledger,create")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL connections kept by each service")
    parser.add_argument("--keep", action="store_true", help="keep the databases, and reuse those kept before")
    args = parser.parse_args()
    base = args.base.resolve()
    os.environ[testing.PG_ENV] = testing.pg_admin_url() or DEFAULT_PG
    names = ("issues", "notify", "report")
    if args.keep:
        urls = {n: asyncio.run(_kept_database(f"rectify_ab_kept_{n}")) for n in names}
    else:
        urls = {n: asyncio.run(testing.create_pg_database(f"rectify_ab_{n}")) for n in names}
    settings = stack_settings(args.pool)
    try:
        with (
            tempfile.TemporaryDirectory() as var_dir,
            running_stack(Path(var_dir), database_urls=urls, settings=settings) as stack,
            anchor_process(_dsn(urls["issues"])) as (anchor_url, anchor),
        ):
            issues_port, gateway_port = testing.free_port(), testing.free_port()
            base_issues_url = f"http://127.0.0.1:{issues_port}"
            base_issues = _start(
                base, "issues_api", {**stack.env, "ISSUES_PORT": str(issues_port)}, Path(var_dir) / "base-issues.log"
            )
            gateway_env = {**stack.env, "GATEWAY_PORT": str(gateway_port), "GATEWAY_ISSUES_URL": base_issues_url}
            base_gateway = _start(base, "gateway", gateway_env, Path(var_dir) / "base-gateway.log")
            try:
                testing.wait_healthy(base_issues_url, base_issues)
                testing.wait_healthy(f"http://127.0.0.1:{gateway_port}", base_gateway)
                pids = {
                    "new issues": pid_of(stack.processes["issues"]),
                    "new gateway": pid_of(stack.processes["gateway"]),
                    "base issues": base_issues.pid,
                    "base gateway": base_gateway.pid,
                    "anchor": anchor.pid,
                }
                hosts = {
                    "new, direct": (stack.urls["issues"], ["new issues"]),
                    "base, direct": (base_issues_url, ["base issues"]),
                    "new, gateway": (stack.gateway, ["new issues", "new gateway"]),
                    "base, gateway": (f"http://127.0.0.1:{gateway_port}", ["base issues", "base gateway"]),
                }
                rows = rounds(args, stack.gateway, anchor_url, hosts, pids)
            finally:
                for process in (base_issues, base_gateway):
                    process.terminate()
                    process.wait(10)
        anchor_rps = statistics.median(r[0] for r in rows["anchor"])
        print("\nmedians: req/s (x anchor), p99 ms, CPU ms per request (issues-api, gateway)")
        for label, runs in rows.items():
            rps = statistics.median(r[0] for r in runs)
            cpu = [statistics.median(r[2][i] for r in runs) for i in range(len(runs[0][2]))]
            print(f"  {label:24} {rps:7.0f} ({rps / anchor_rps:4.2f})  p99 {statistics.median(r[1] for r in runs):7.1f}"
                  f"  CPU {' '.join(f'{c:5.2f}' for c in cpu)}")  # fmt: skip
    finally:
        for url in urls.values() if not args.keep else ():
            asyncio.run(testing.drop_pg_database(url))
    return 0


def rounds(
    args: argparse.Namespace,
    gateway: str,
    anchor_url: str,
    hosts: dict[str, tuple[str, list[str]]],
    pids: dict[str, int],
) -> dict[str, list[Measured]]:
    office = _token(gateway, "office")
    with httpx.Client(base_url=gateway, headers=office, timeout=30) as client:
        issue = client.get("/api/v1/issues", params={"status": "in_progress", "limit": 1}).json()["items"][0]
    issue_id, campaign_id = issue["id"], issue["campaign_id"]
    paths = {
        "get": f"/api/v1/issues/{issue_id}",
        "ledger": "/api/v1/issues?status=in_progress&limit=20",
        "create": "/api/v1/issues",
    }
    script = get_script(office)
    create_body = {"campaign_id": campaign_id, "title": "bench 新问题", "description": "负载测试登记的问题。"}
    scripts = {"get": script, "ledger": script, "create": post_script(office, create_body)}
    for host, _ in hosts.values():  # warm pools and caches
        run_wrk("warm", host + paths["get"], seconds=2, connections=32, script=script)
    rows: dict[str, list[Measured]] = {}

    def measure(label: str, url: str, processes: list[str], lua: str) -> None:
        before = [cpu_seconds(pids[p]) for p in processes]
        result = run_wrk(label, url, seconds=args.seconds, connections=32, script=lua)
        answered = max(1, result.requests)
        cpu = [(cpu_seconds(pids[p]) - b) / answered * 1e3 for p, b in zip(processes, before, strict=True)]
        rows.setdefault(label, []).append((result.rps, result.p99_ms, cpu))
        print(f"  {label:24} {result.rps:7.0f} req/s  p99 {result.p99_ms:7.1f}  errors {result.errors:5d}  CPU "
              f"{' '.join(f'{c:5.2f}' for c in cpu)}  load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip

    for number in range(args.rounds):
        order = list(hosts.items()) if number % 2 == 0 else list(reversed(hosts.items()))
        measure("anchor", f"{anchor_url}/issues/{issue_id}", ["anchor"], "")
        for key in args.only.split(","):
            for where, (host, processes) in order:
                measure(f"{key}, {where}", host + paths[key], processes, scripts[key])
    return rows


if __name__ == "__main__":
    sys.exit(main())
