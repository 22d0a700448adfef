"""The real stack under load, beside an anchor: what a loaded system does, measured from outside.

Starts the `make run` stack (issues-api, notify-api, report-api, the gateway; each on its own PostgreSQL
database, demo loaded, the gateway's rate limits off) on free loopback ports, and the anchor (bench/anchor_app.py:
a bare FastAPI app with an asyncpg pool reading the same `issues` row by id). Then loads each request with wrk
(Debian package `wrk`, `make wrk` installs it) from a separate process, direct to its service and through the
gateway (a GET by id also through bench/hop_relay.py, a byte relay in the gateway's place: the cost of the hop
alone), one after the other in one run:

    GET /api/v1/issues/{id}, the ledger page (20 rows, status filter), the report summary, the public tracking
    page, POST /api/v1/issues (create) and POST /api/v1/issues/{id}/assign (each request a fresh issue)

and prints req/s, p50, p99, the ratio to the anchor (measured first and last; the mean is the reference), the
CPU per request of each process (PostgreSQL: the backends of these databases), the load average, and whether
issue 15's targets hold. After the writes it reads the whole event feed (no gap, no reorder) and verifies
the audit chain.

    python bench/bench_stack.py [--seconds 10] [--rounds 2] [--connections 32] [--pg-url postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
from sqlalchemy.engine import make_url
from wrk import Result, cpu_seconds, merged_percentile, pid_of, run_wrk

from rectify_kit import testing
from rectify_stack import Stack, running_stack

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "demo12345"  # noqa: S105 - the documented password of the demo accounts
NO_RATE_LIMITS = {
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_MINUTE": "0",
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_DAY": "0",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_MINUTE": "0",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_DAY": "0",
    "GATEWAY_RATE_LIMITS__SUBJECT_PER_MINUTE": "0",
}
# make run's demo (the test stacks load 40 items): the figures in bench/README.md were taken on it.
MAKE_RUN_DEMO = {"ISSUES_DEMO_ITEMS": "300"}
P99_TARGET_MS = 50.0


def pool_settings(size: int) -> dict[str, str]:
    """Each service's PostgreSQL pool: `size` kept connections, none beyond (the anchor keeps 10). The server's 100
    connections are shared with other stacks and suites; a service's default (32 and 8 more) took 40 of them."""
    return {
        f"{service}_DATABASE_POOL__{key}": str(value)
        for service in ("ISSUES", "NOTIFY", "REPORT")
        for key, value in (("SIZE", size), ("OVERFLOW", 0))
    }


def stack_settings(pool: int) -> dict[str, str]:
    """The stack measured: no rate limits, make run's demo, `pool` connections per service."""
    return NO_RATE_LIMITS | MAKE_RUN_DEMO | pool_settings(pool)


def _lua_string(text: str) -> str:
    """A Lua long string: LuaJIT knows no \\u escapes, so the text goes in as it is."""
    return f"[==[{text}]==]"


def _headers_lua(headers: dict[str, str]) -> str:
    return "".join(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}\n" for k, v in headers.items())


def get_script(headers: dict[str, str]) -> str:
    return _headers_lua(headers)


def post_script(headers: dict[str, str], body: dict[str, Any]) -> str:
    return (
        'wrk.method = "POST"\n'
        + _headers_lua({**headers, "Content-Type": "application/json"})
        + f"wrk.body = {_lua_string(json.dumps(body, ensure_ascii=False))}\n"
    )


def assign_script(headers: dict[str, str], body: dict[str, Any], issue_ids: list[str], threads: int) -> str:
    """Each request assigns the next registered issue; wrk's threads take every `threads`-th one."""
    ids = ",".join(json.dumps(i) for i in issue_ids)
    return f"""
ids = {{{ids}}}
local started = 0
function setup(thread)
  thread:set("first", started)
  started = started + 1
end
function init(args)
  n = first
end
{_headers_lua({**headers, "Content-Type": "application/json"})}
local body = {_lua_string(json.dumps(body))}
request = function()
  local id = ids[(n % #ids) + 1]
  n = n + {threads}
  return wrk.format("POST", "/api/v1/issues/" .. id .. "/assign", nil, body)
end
"""


@dataclass
class Row:
    result: Result
    cpu_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class World:
    """What the requests need: tokens, ids, and the processes whose CPU is counted."""

    stack: Stack
    anchor_url: str
    hop_url: str  # the byte relay in front of issues-api (hop_relay.py)
    pids: dict[str, int]
    db_names: list[str]
    admin_dsn: str
    issues_dsn: str
    office: dict[str, str] = field(default_factory=dict)
    admin: dict[str, str] = field(default_factory=dict)
    campaign_id: str = ""
    issue_id: str = ""
    units: list[str] = field(default_factory=list)
    tracking_code: str = ""
    profile_dir: Path | None = None


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _token(gateway: str, username: str) -> dict[str, str]:
    response = httpx.post(f"{gateway}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def prepare(world: World) -> None:
    """Tokens, the issue read by id, the units to assign to, and an accepted public submission to follow."""
    gateway = world.stack.gateway
    world.office = _token(gateway, "office")
    world.admin = _token(gateway, "admin")
    with httpx.Client(base_url=gateway, headers=world.office, timeout=30) as client:
        issue = client.get("/api/v1/issues", params={"status": "in_progress", "limit": 1}).json()["items"][0]
        world.issue_id, world.campaign_id = issue["id"], issue["campaign_id"]
        world.units = [u["id"] for u in client.get("/api/v1/units", params={"limit": 200}).json()["items"]]
        sent = {"title": "审批材料要求重复提交", "content": "同一材料在两个窗口各交一次。", "enterprise_name": "某企业"}
        world.tracking_code = client.post("/api/v1/public/submissions", json=sent).json()["tracking_code"]
        submitted = client.get("/api/v1/intake", params={"status": "submitted", "limit": 1}).json()["items"][0]
        client.post(f"/api/v1/intake/{submitted['id']}/accept", json={}).raise_for_status()


def settle(world: World, *, busy: float = 0.05, longest: float = 300.0) -> float:
    """Wait until notify-api and report-api have caught up with the feed (each under `busy` of a core over
    two seconds), so their catching up is not counted against the requests; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        before = {name: cpu_seconds(world.pids[name]) for name in ("notify", "report")}
        time.sleep(2)
        if all(cpu_seconds(world.pids[name]) - cpu < 2 * busy for name, cpu in before.items()):
            break
    return time.monotonic() - started


async def _pg_backends(admin_dsn: str, names: list[str]) -> dict[int, float]:
    conn = await asyncpg.connect(admin_dsn)
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])", names)
    finally:
        await conn.close()
    return {r["pid"]: cpu_seconds(r["pid"]) for r in rows}


def measure(
    world: World, label: str, url: str, *, seconds: int, connections: int, script: str, profile: bool = False
) -> Row:
    # Statistics as autoanalyze would have them by now: the runs before may have grown a table many times over.
    asyncio.run(_maintained(world.admin_dsn, world.db_names, "ANALYZE"))
    before = {name: cpu_seconds(pid) for name, pid in world.pids.items()}
    pg_before = asyncio.run(_pg_backends(world.admin_dsn, world.db_names))
    with profiling(world if profile else None, label, seconds):
        result = run_wrk(label, url, seconds=seconds, connections=connections, script=script)
    pg_after = asyncio.run(_pg_backends(world.admin_dsn, world.db_names))
    answered = max(1, result.requests)
    row = Row(result)
    for name, pid in world.pids.items():
        row.cpu_ms[name] = (cpu_seconds(pid) - before[name]) / answered * 1e3
    pg = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    row.cpu_ms["postgres"] = pg / answered * 1e3
    print(f"  {label:44} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f}  p99 {result.p99_ms:6.1f} ms  "
          f"errors {result.errors_said}  load {_load()}", flush=True)  # fmt: skip
    return row


@contextmanager
def profiling(world: World | None, label: str, seconds: int) -> Iterator[None]:
    """With `--profile DIR`: py-spy records each of the stack's processes while wrk runs (the feed consumers of
    notify-api and report-api do their share of a write's work there), one collapsed-stack file each
    (`<label>.<process>.txt`, for flamegraph.pl or speedscope). The sampling costs CPU: take figures from a run
    without it."""
    if world is None or world.profile_dir is None:
        yield
        return
    slug = "-".join("".join(c if c.isalnum() else " " for c in label.lower()).split())
    spies = []
    for name in ("issues", "notify", "report", "gateway"):
        output = world.profile_dir / f"{slug}.{name}.txt"
        command = ["py-spy", "record", "--pid", str(world.pids[name]), "--duration", str(seconds), "--rate", "250"]
        command += ["--format", "raw", "--nonblocking", "--output", str(output)]
        spies.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        yield
    finally:
        for spy in spies:
            spy.wait(seconds + 30)


async def _as_in_production(admin_dsn: str, names: list[str]) -> None:
    """Commits wait for the disk again: the kit's test databases are made with `synchronous_commit = off`, which
    a production server does not run with, and writes measured without the WAL flush would look cheaper."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        for name in names:
            await conn.execute(f'ALTER DATABASE "{name}" RESET synchronous_commit')
    finally:
        await conn.close()


async def _maintained(admin_dsn: str, names: list[str], command: str) -> None:
    """`command` (`VACUUM (ANALYZE)`, `ANALYZE`) run in each database, as autovacuum would have: this machine's
    server runs with `autovacuum = off`. Without it the requests were planned with no statistics and read every
    dead version the demo's loading left (three or four per issue); and a prepared statement's cached plan, made
    while a table held the demo's 300 issues, stayed after a create run had grown it to 20,000 (notify-api read a
    page's issues by a sequential scan: 15 ms instead of 0.2), where autoanalyze would have had it planned anew."""
    for name in names:
        conn = await asyncpg.connect(admin_dsn, database=name)
        try:
            await conn.execute(command)
        finally:
            await conn.close()


async def _registered_ids(dsn: str) -> list[str]:
    """The bench's items still registered, once the previous run's last requests have ended: wrk stops with
    requests in flight, which the service still carries out, so ids read at once would include items assigned a
    moment later (their assign then answers 409 and counts as an error)."""
    query = "SELECT id FROM issues WHERE status = 'registered' AND title LIKE 'bench %'"
    conn = await asyncpg.connect(dsn)
    try:
        ids = [r["id"] for r in await conn.fetch(query)]
        for _ in range(20):
            await asyncio.sleep(0.5)
            again = [r["id"] for r in await conn.fetch(query)]
            if len(again) == len(ids):
                break
            ids = again
    finally:
        await conn.close()
    return ids


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    path: str
    service: str
    script: Callable[[list[str]], str]  # the wrk script, given the ids of fresh registered issues


SCENARIOS = ("get", "ledger", "summary", "tracking", "create", "assign")


def scenarios(world: World) -> list[Scenario]:
    office = world.office
    create_body = {"campaign_id": world.campaign_id, "title": "bench 新问题", "description": "负载测试登记的问题。"}
    assign_body = {
        "lead_unit_id": world.units[0],
        "co_unit_ids": world.units[1:2],
        "deadline": (datetime.now(UTC).date() + timedelta(days=60)).isoformat(),
    }
    return [
        Scenario("get", "GET issue by id", f"/api/v1/issues/{world.issue_id}", "issues", lambda _: get_script(office)),
        Scenario("ledger", "ledger page (20, status filter)", "/api/v1/issues?status=in_progress&limit=20", "issues",
                 lambda _: get_script(office)),
        Scenario("summary", "report summary", f"/api/v1/reports/summary?campaign_id={world.campaign_id}", "report",
                 lambda _: get_script(office)),
        Scenario("tracking", "public tracking page", f"/api/v1/public/submissions/{world.tracking_code}", "issues",
                 lambda _: get_script({})),
        Scenario("create", "POST /api/v1/issues (create)", "/api/v1/issues", "issues",
                 lambda _: post_script(office, create_body)),
        Scenario("assign", "POST /api/v1/issues/{id}/assign", "", "issues",
                 lambda ids: assign_script(office, assign_body, ids, 2)),
    ]  # fmt: skip


def run_all(
    world: World, *, seconds: int, connections: int, only: set[str], rounds: int
) -> tuple[list[Row], dict[str, Row]]:
    """The anchor first and last; each scenario direct and through the gateway, in `rounds` turns each.

    Returns the anchor rows and the others keyed `<scenario>/direct` and `<scenario>/gateway`."""
    urls, gw = world.stack.urls, world.stack.gateway
    anchor_url = f"{world.anchor_url}/issues/{world.issue_id}"
    issue_path = f"/api/v1/issues/{world.issue_id}"
    for url in (anchor_url, urls["issues"] + issue_path, gw + issue_path):  # warm pools and caches
        run_wrk("warm", url, seconds=2, connections=connections, script=get_script(world.office))
    anchors = [measure(world, "anchor: bare FastAPI + asyncpg, issue by id", anchor_url, seconds=seconds,
                       connections=connections, script="")]  # fmt: skip
    rows: dict[str, Row] = {}
    per_turn = max(1, round(seconds / rounds))
    for scenario in scenarios(world):
        if scenario.key not in only:
            continue
        # A GET by id also through the bare hop: the gateway's place taken by a process doing nothing.
        hop = (("bare hop", world.hop_url),) if scenario.key == "get" else ()
        places = [("direct", urls[scenario.service]), ("gateway", gw), *hop]
        turns: dict[str, list[Row]] = {where: [] for where, _ in places}
        # The order turns round every other time (direct, gateway, gateway, direct, …): the machine's pace drifts
        # over a run (the anchor measured last is most often slower than first), and a place always measured
        # first would gain from it.
        for turn in range(rounds):
            for where, base in places if turn % 2 == 0 else places[::-1]:
                ids = asyncio.run(_registered_ids(world.issues_dsn)) if scenario.key == "assign" else []
                label = f"{scenario.label}, {where}" + (f" ({len(ids)} fresh issues)" if ids else "")
                turns[where].append(
                    measure(
                        world,
                        label + (f" [{turn + 1}/{rounds}]" if rounds > 1 else ""),
                        base + scenario.path,
                        seconds=per_turn,
                        connections=connections,
                        script=scenario.script(ids),
                        profile=turn == 0,
                    )
                )
        for where, measured in turns.items():
            rows[f"{scenario.key}/{where}"] = merged(f"{scenario.label}, {where}", measured)
    anchors.append(measure(world, "anchor again", anchor_url, seconds=seconds, connections=connections, script=""))
    return anchors, rows


def merged(label: str, turns: list[Row]) -> Row:
    """One row for a place's turns: their requests, seconds, errors and CPU added up; p95 and p99 of all their
    requests (from each turn's tail, `wrk.merged_percentile`); p50 the turns' medians weighed by their requests."""
    if len(turns) == 1:
        return Row(replace(turns[0].result, label=label), turns[0].cpu_ms)
    results = [turn.result for turn in turns]
    requests = sum(r.requests for r in results)
    kinds: Counter[str] = Counter()
    for r in results:
        kinds.update(r.error_kinds)
    result = Result(
        label,
        requests,
        sum(r.seconds for r in results),
        sum(r.errors for r in results),
        dict(kinds),
        sum(r.p50_ms * r.requests for r in results) / max(1, requests),
        merged_percentile(results, 95),
        merged_percentile(results, 99),
    )
    # measure() gives CPU per answered request (at least one): back to milliseconds, added, and per request again.
    cpu = {
        name: sum(t.cpu_ms[name] * max(1, t.result.requests) for t in turns) / max(1, requests)
        for name in turns[0].cpu_ms
    }
    return Row(result, cpu)


def check_feed(world: World) -> str:
    """Read the whole feed as admin: sequence numbers 1..head, no gap or repeat; then verify the chain."""
    seqs: list[int] = []
    after = 0
    with httpx.Client(base_url=world.stack.urls["issues"], timeout=120) as client:
        while True:
            page = client.get("/api/v1/events", params={"after": after, "limit": 1000}, headers=world.admin).json()
            seqs += [e["seq"] for e in page["events"]]
            if not page["events"]:
                head = page["head"]
                break
            after = page["next"]
        verified = client.get("/api/v1/audit/verify", headers=world.office).json()
    gap_free = seqs == list(range(1, head + 1))
    return (
        f"event feed: {len(seqs)} events, head {head}, "
        f"{'gap-free and in order' if gap_free else 'GAP OR REORDER'}; audit chain "
        f"{'verifies' if verified['ok'] else 'BROKEN at ' + str(verified['first_bad_seq'])} "
        f"({verified['checked']} checked)"
    )


def report(anchors: list[Row], rows: dict[str, Row], seconds: int, connections: int) -> None:
    anchor = sum(a.result.rps for a in anchors) / len(anchors)
    names = list(anchors[0].cpu_ms)
    print(f"\n{connections} connections, {seconds} s each, {os.cpu_count()} cores; anchor {anchor:.0f} req/s (mean)")
    header = f"{'request':50}{'req/s':>8}{'p50':>7}{'p99':>7}{'err':>6}{'×anchor':>8}"
    print(header + "".join(f"{n[:8]:>9}" for n in names) + "   (CPU ms per request)")
    for row in [*anchors, *rows.values()]:
        r = row.result
        print(f"{r.label[:50]:50}{r.rps:8.0f}{r.p50_ms:7.1f}{r.p99_ms:7.1f}{r.errors:6d}{r.rps / anchor:8.2f}"
              + "".join(f"{row.cpu_ms[n]:9.2f}" for n in names))  # fmt: skip
    for text, holds in targets(rows, anchor):
        print(f"  {'holds  ' if holds else 'NOT met'}  {text}")


def targets(rows: dict[str, Row], anchor: float) -> list[tuple[str, bool]]:
    """Issue 15's targets among the rows measured."""
    found: list[tuple[str, bool]] = []
    get = {k: rows[f"get/{k}"].result for k in ("direct", "gateway") if f"get/{k}" in rows}
    if "gateway" in get:
        ratio = get["gateway"].rps / anchor
        found.append((f"GET by id through the gateway >= 0.40 x anchor: {ratio:.2f}", ratio >= 0.40))
    if len(get) == 2:
        ratio = get["gateway"].rps / get["direct"].rps
        hop = rows.get("get/bare hop")
        beside = f" (the bare hop: {hop.result.rps / get['direct'].rps:.2f})" if hop is not None else ""
        found.append((f"gateway >= 0.85 of direct on GET by id: {ratio:.2f}{beside}", ratio >= 0.85))
    if "ledger/gateway" in rows:
        ratio = rows["ledger/gateway"].result.rps / anchor
        found.append((f"ledger page through the gateway >= 0.25 x anchor: {ratio:.2f}", ratio >= 0.25))
    if "create/gateway" in rows:
        rps = rows["create/gateway"].result.rps
        found.append((f"POST /api/v1/issues through the gateway >= 1,000 req/s: {rps:.0f}", rps >= 1000))
    for key in ("get/gateway", "ledger/gateway", "create/gateway"):
        if key in rows:
            r = rows[key].result
            found.append((f"p99 < {P99_TARGET_MS:.0f} ms, {r.label}: {r.p99_ms:.1f}", r.p99_ms < P99_TARGET_MS))
    return found


@contextmanager
def anchor_process(dsn: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with _process("anchor_app.py", dsn) as (url, process):
        yield url, process


@contextmanager
def hop_process(upstream: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """hop_relay.py in front of `upstream` (an http://host:port URL)."""
    parts = urlsplit(upstream)
    with _process("hop_relay.py", parts.hostname or "127.0.0.1", str(parts.port)) as (url, process):
        yield url, process


@contextmanager
def _process(script: str, *args: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`bench/<script> *args PORT` running, once its /healthz answers."""
    port = testing.free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / script), *args, str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        testing.wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--pg-url", default=None, help=f"PostgreSQL admin URL (default ${testing.PG_ENV} or {DEFAULT_PG})"
    )
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"some of {','.join(SCENARIOS)}")
    parser.add_argument("--profile", type=Path, default=None, help="a folder for py-spy's profiles of each request")
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL connections kept by each service")
    parser.add_argument(
        "--rounds", type=int, default=2, help="turns per request, the order of direct and gateway reversed each turn"
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    if not only <= set(SCENARIOS):
        parser.error(f"--only: unknown {', '.join(sorted(only - set(SCENARIOS)))}")
    if "assign" in only and "create" not in only:
        parser.error("--only: assign assigns the issues the create run registers: add create")
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make wrk` (Debian package wrk)")
        return 1
    if args.profile is not None:
        if shutil.which("py-spy") is None:
            print("--profile needs py-spy (e.g. `uv tool install py-spy`)")
            return 1
        args.profile.mkdir(parents=True, exist_ok=True)
    os.environ[testing.PG_ENV] = args.pg_url or testing.pg_admin_url() or DEFAULT_PG
    admin_dsn = _dsn(os.environ[testing.PG_ENV])
    print(f"load average before: {_load()}", flush=True)
    urls = {n: asyncio.run(testing.create_pg_database(f"rectify_bench_{n}")) for n in ("issues", "notify", "report")}
    asyncio.run(_as_in_production(admin_dsn, [make_url(u).database or "" for u in urls.values()]))
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            started = time.perf_counter()
            with (
                running_stack(Path(var_dir), database_urls=urls, settings=stack_settings(args.pool)) as stack,
                anchor_process(_dsn(urls["issues"])) as (anchor_url, anchor),
                hop_process(stack.urls["issues"]) as (hop_url, hop),
            ):
                print(f"stack up with the demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
                pids = {name: pid_of(p) for name, p in stack.processes.items()} | {"anchor": anchor.pid, "hop": hop.pid}
                world = World(
                    stack,
                    anchor_url,
                    hop_url,
                    pids,
                    [make_url(u).database or "" for u in urls.values()],
                    admin_dsn,
                    _dsn(urls["issues"]),
                    profile_dir=args.profile,
                )
                prepare(world)
                print(f"feed consumers caught up after {settle(world):.0f} s", flush=True)
                asyncio.run(_maintained(admin_dsn, world.db_names, "VACUUM (ANALYZE)"))
                anchors, rows = run_all(
                    world, seconds=args.seconds, connections=args.connections, only=only, rounds=args.rounds
                )
                feed = check_feed(world) if {"create", "assign"} & only else ""
        report(anchors, rows, args.seconds, args.connections)
        if feed:
            print(feed)
        print(f"load average after: {_load()}")
    finally:
        for url in urls.values():
            asyncio.run(testing.drop_pg_database(url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
