"""Base against new for the gateway alone: its CPU per proxied request, two gateways in front of one stand-in.

The stand-in upstream is a bare uvloop protocol over httptools (this file with `--upstream`) that answers what
issues-api answers, shaped alike (a 1 KB issue with its headers, a 21 KB ledger page, a 201 create, the JWKS), and
spends a given CPU time per answer (`--burn`, ms for a `GET`, a page, a create: by default what issues-api spends),
so that the gateways wait for it as they wait for a real service. The new gateway is this checkout's, the base one
another checkout's `services/gateway/src` (`--base`), both on this checkout's `.venv`; the two run side by side,
each request type loaded with wrk (32 connections) on each alternately, the order reversed every round. Prints each
run and the medians of the gateway's CPU milliseconds per request (user and system; `sys` alone too).

    python bench/ab_gateway.py --base ../base-checkout [--rounds 4] [--seconds 5] [--only get,page,create]
                               [--burn 0.6,1.9,1.5]

A base checkout: `git worktree add --detach ../base <commit>` (no install needed). Other people's load moves every
figure: compare the two gateways within one run, never runs with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from bench_gateway import free_port
from wrk import run_wrk

ROOT = Path(__file__).resolve().parent.parent
ISSUE_PATH = "/api/v1/issues/0190a0b0-0000-7000-8000-000000000001"
REQUESTS = {
    "get": (ISSUE_PATH, "GET", None),
    "page": ("/api/v1/issues?status=in_progress&limit=20", "GET", None),
    "create": ("/api/v1/issues", "POST", json.dumps({"title": "t" * 40, "description": "d" * 200, "lead_unit_id": 1})),
}
_SECURITY = (
    b"x-content-type-options: nosniff\r\nreferrer-policy: no-referrer\r\nx-frame-options: DENY\r\n"
    b"cross-origin-opener-policy: same-origin\r\n"
    b"content-security-policy: default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'\r\n"
)


def _answer(status: bytes, body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\ndate: Thu, 03 Dec 2026 17:00:00 GMT\r\nserver: uvicorn\r\n"
        b"content-length: "
        + str(len(body)).encode()
        + b"\r\ncontent-type: application/json\r\n"
        + extra
        + _SECURITY
        + b"x-request-id: 0123456789abcdef0123456789abcdef\r\n\r\n"
        + body
    )


def serve_upstream(port: int, jwks: str, burn: list[float]) -> None:
    """The stand-in: canned answers, `burn` ms of CPU each (a `GET` by id, a page, a create)."""
    import httptools
    import uvloop

    item = {
        "id": ISSUE_PATH.rsplit("/", 1)[1], "code": "RC-2026-000123", "title": "某某单位整改事项" * 3,
        "description": "x" * 600, "status": "in_progress", "lead_unit": {"id": 1, "name": "市场监管局"},
        "co_units": [{"id": 2, "name": "住建局"}], "deadline": "2026-12-31", "assignees": [{"id": 1, "name": "张三"}],
        "version": 3, "created_at": "2026-12-01T00:00:00Z",
    }  # fmt: skip
    one = json.dumps(item, ensure_ascii=False).encode()
    page = json.dumps({"items": [item] * 20, "total": 123}, ensure_ascii=False).encode()
    answers = {
        "get": _answer(b"200 OK", one, b'etag: "abc"\r\n'),
        "page": _answer(b"200 OK", page),
        "create": _answer(b"201 Created", one),
        "jwks": _answer(b"200 OK", jwks.encode()),
        "ready": _answer(b"200 OK", b'{"status":"ok"}'),
        "other": _answer(b"404 Not Found", b'{"detail":"not found"}'),
    }
    seconds = dict(zip(("get", "page", "create"), (ms / 1e3 for ms in burn), strict=True))

    def pick(method: bytes, url: bytes) -> str:
        if method == b"POST":
            return "create"
        if url.startswith(b"/api/v1/issues?"):
            return "page"
        if url.startswith(b"/api/v1/issues/"):
            return "get"
        return "jwks" if url.startswith(b"/.well-known/") else "ready" if url == b"/readyz" else "other"

    class Upstream(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport: Any = transport
            self.parser = httptools.HttpRequestParser(self)
            self.url = b""

        def on_url(self, url: bytes) -> None:
            self.url += url

        def on_message_complete(self) -> None:
            kind = pick(self.parser.get_method(), self.url)
            self.url = b""
            until = time.perf_counter() + seconds.get(kind, 0.0)
            while time.perf_counter() < until:
                pass
            self.transport.write(answers[kind])

        def data_received(self, data: bytes) -> None:
            self.parser.feed_data(data)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Upstream, "127.0.0.1", port, backlog=1024)
        await server.serve_forever()

    uvloop.run(main())


def _cpu(pid: int) -> tuple[float, float]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def _start_gateway(src: Path, port: int, upstream: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env |= {"PYTHONPATH": str(src), "GATEWAY_PORT": str(port), "GATEWAY_AUTH__JWKS_URL": upstream + "/.well-known/jwks"}
    env |= {f"GATEWAY_{name}_URL": upstream for name in ("ISSUES", "NOTIFY", "REPORT")}
    limits = ("PUBLIC_PER_MINUTE", "PUBLIC_PER_DAY", "LOGIN_PER_MINUTE", "LOGIN_PER_DAY", "SUBJECT_PER_MINUTE")
    env |= {f"GATEWAY_RATE_LIMITS__{name}": "0" for name in limits}
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the gateway from {src} did not start")


def _script(method: str, body: str | None, token: str) -> str:
    script = f'wrk.method = "{method}"\nwrk.headers["Authorization"] = "Bearer {token}"\n'
    if body:
        script += f'wrk.headers["Content-Type"] = "application/json"\nwrk.body = {json.dumps(body)}\n'
    return script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="the base checkout")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--only", default="get,page,create")
    parser.add_argument("--burn", default="0.6,1.9,1.5", help="the stand-in's CPU ms per GET, page, create")
    parser.add_argument("--upstream", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--jwks", help=argparse.SUPPRESS)
    args = parser.parse_args()
    burn = [float(ms) for ms in args.burn.split(",")]
    if args.upstream:
        serve_upstream(args.upstream, args.jwks, burn)
        return 0
    if args.base is None:
        parser.error("--base is required")
    from rectify_kit.testing import TokenFactory

    tokens = TokenFactory()
    token = tokens.token("bench", ttl=86_400, role="admin")
    port = free_port()
    upstream_url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, __file__, "--upstream", str(port), "--jwks", json.dumps(tokens.jwks), "--burn", args.burn]
    started = [subprocess.Popen(argv)]
    try:
        time.sleep(1)
        sources = {"new": ROOT / "services/gateway/src", "base": args.base.resolve() / "services/gateway/src"}
        ports = {name: free_port() for name in sources}
        gateways = {name: _start_gateway(src, ports[name], upstream_url) for name, src in sources.items()}
        started += gateways.values()
        cpu: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for kind in args.only.split(","):
            path, method, body = REQUESTS[kind]
            script = _script(method, body, token)
            for name in gateways:  # warm both: connection pools, the token's verification
                run_wrk("warm", f"http://127.0.0.1:{ports[name]}{path}", seconds=1, connections=32, script=script)
            for round_ in range(args.rounds):
                for name in list(gateways) if round_ % 2 == 0 else list(reversed(gateways)):
                    user, system = _cpu(gateways[name].pid)
                    url = f"http://127.0.0.1:{ports[name]}{path}"
                    result = run_wrk(name, url, seconds=args.seconds, connections=32, script=script)
                    user2, system2 = _cpu(gateways[name].pid)
                    per = max(1, result.requests) / 1e3
                    cpu.setdefault((kind, name), []).append(
                        ((user2 - user + system2 - system) / per, (system2 - system) / per)
                    )
                    total, sys_ms = cpu[kind, name][-1]
                    print(
                        f"{kind:7} {name:5} round {round_}: {result.rps:7.0f} req/s, errors {result.errors}, "
                        f"CPU {total:.3f} ms (sys {sys_ms:.3f})",
                        flush=True,
                    )
        print("medians, the gateway's CPU ms per proxied request (sys):")
        for (kind, name), runs in cpu.items():
            each = " ".join(f"{r[0]:.3f}" for r in runs)
            total = statistics.median(r[0] for r in runs)
            print(f"  {kind:7} {name:5} {total:.3f} ({statistics.median(r[1] for r in runs):.3f})  runs {each}")
        print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
