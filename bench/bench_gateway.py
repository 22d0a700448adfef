"""The gateway's cost on a small JSON GET: the same request direct to issues-api and through the gateway.

Starts the real issues-api (migrated, in a temporary var/ directory) and the gateway in front of it, each one
uvicorn worker with uvloop and httptools on loopback, then loads `GET /.well-known/jwks.json` (a small JSON
answer, routed by the gateway to issues-api) from a separate process with 32 connections for a fixed time:
wrk when it is installed, else an aiohttp load generator. Prints req/s, p50 and p95 side by side and whether
the target holds: the gateway adds at most 25% to p50 and keeps at least 70% of the direct throughput.

    python bench/bench_gateway.py [--seconds 10] [--connections 32] [--load auto|wrk|aiohttp]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from wrk import Result, cpu_seconds, run_wrk

PATH = "/.well-known/jwks.json"
P50_TARGET = 1.25
THROUGHPUT_TARGET = 0.70

# issues-api: migrate and serve in one interpreter (importing the service is the slow part of starting it).
_ISSUES_MIGRATE_AND_SERVE = """
import sys
from issues_api.__main__ import main
sys.argv = ["issues_api", "migrate"]
main()
sys.argv = ["issues_api", "serve"]
main()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class Services:
    direct_url: str
    gateway_url: str
    issues_pid: int
    gateway_pid: int


@contextmanager
def services(var_dir: Path) -> Iterator[Services]:
    """issues-api and the gateway on free loopback ports, with the URLs of PATH direct and through the gateway."""
    issues_port, gateway_port = free_port(), free_port()
    issues = f"http://127.0.0.1:{issues_port}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ISSUES_", "GATEWAY_"))}
    issues_env = {
        **base,
        "ISSUES_VAR_DIR": str(var_dir),
        "ISSUES_PORT": str(issues_port),
        "ISSUES_LOG_LEVEL": "WARNING",
    }
    gateway_env = {
        **base,
        "GATEWAY_PORT": str(gateway_port),
        "GATEWAY_ISSUES_URL": issues,
        "GATEWAY_AUTH__JWKS_URL": issues + PATH,
        "GATEWAY_LOG_LEVEL": "WARNING",
    }
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(subprocess.Popen([sys.executable, "-c", _ISSUES_MIGRATE_AND_SERVE], env=issues_env))
        wait_until_up(issues + "/healthz", started[-1])
        started.append(subprocess.Popen([sys.executable, "-m", "gateway", "serve"], env=gateway_env))
        wait_until_up(f"http://127.0.0.1:{gateway_port}/healthz", started[-1])
        yield Services(issues + PATH, f"http://127.0.0.1:{gateway_port}{PATH}", started[0].pid, started[1].pid)
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(10)


def load_with_wrk(label: str, url: str, *, seconds: int, connections: int) -> Result:
    return run_wrk(label, url, seconds=seconds, connections=connections)


def sequential_ms(url: str, *, requests: int = 300) -> float:
    """Mean time of one request after another on one kept-alive connection (a blocking socket, no event loop):
    the latency a hop adds, with as little of the load generator's own scheduling in it as possible."""
    authority, _, path = url.removeprefix("http://").partition("/")
    host, _, port = authority.partition(":")
    request = f"GET /{path} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        started = time.perf_counter()
        for _ in range(requests):
            sock.sendall(request)
            received = b""
            while b"\r\n\r\n" not in received:
                received += sock.recv(65536)
            head, _, body = received.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
            )
            while len(body) < length:
                body += sock.recv(65536)
        return (time.perf_counter() - started) / requests * 1e3


def _aiohttp_worker(url: str, seconds: float, connections: int, results: multiprocessing.Queue[object]) -> None:
    import aiohttp

    async def run() -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        connector = aiohttp.TCPConnector(limit=connections)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one_connection() -> None:
                nonlocal errors
                while (started := time.perf_counter()) < deadline:
                    try:
                        async with session.get(url) as response:
                            await response.read()
                            if response.status != 200:
                                errors += 1
                    except aiohttp.ClientError:
                        errors += 1
                    latencies.append(time.perf_counter() - started)

            await asyncio.gather(*(one_connection() for _ in range(connections)))
        return latencies, errors

    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    latencies, errors = asyncio.run(run())
    results.put((latencies, errors))


def load_with_aiohttp(label: str, url: str, *, seconds: int, connections: int) -> Result:
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[object] = context.Queue()
    worker = context.Process(target=_aiohttp_worker, args=(url, seconds, connections, results))
    worker.start()
    latencies: list[float]
    errors: int
    latencies, errors = results.get(timeout=seconds + 60)  # type: ignore[misc]
    worker.join()
    # Each connection stops starting requests at the deadline, so the window is `seconds` long.
    cuts = statistics.quantiles(latencies, n=100)
    return Result(label, len(latencies), float(seconds), errors, {}, cuts[49] * 1e3, cuts[94] * 1e3, cuts[98] * 1e3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--load", choices=["auto", "wrk", "aiohttp"], default="auto", help="load generator")
    args = parser.parse_args()
    wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    load = load_with_wrk if wrk else load_with_aiohttp
    print(
        f"load generator: {'wrk' if wrk else 'aiohttp (separate process)'}, {args.connections} connections, "
        f"{args.seconds} s each, GET {PATH}, {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as var_dir, services(Path(var_dir)) as running:
        for url in (running.direct_url, running.gateway_url):  # warm both paths: connection pools, caches
            load(url, url, seconds=2, connections=args.connections)
        issues_cpu = cpu_seconds(running.issues_pid)
        direct = load("direct", running.direct_url, seconds=args.seconds, connections=args.connections)
        issues_cpu = cpu_seconds(running.issues_pid) - issues_cpu
        gateway_cpu = cpu_seconds(running.gateway_pid)
        proxied = load("gateway", running.gateway_url, seconds=args.seconds, connections=args.connections)
        gateway_cpu = cpu_seconds(running.gateway_pid) - gateway_cpu
        one_by_one = (sequential_ms(running.direct_url), sequential_ms(running.gateway_url))
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for result in (direct, proxied):
        print(f"{result.label:10}{result.rps:10.0f}{result.p50_ms:10.2f}{result.p95_ms:10.2f}{result.errors:8d}")
    throughput = proxied.rps / direct.rps
    p50 = proxied.p50_ms / direct.p50_ms
    holds = throughput >= THROUGHPUT_TARGET and p50 <= P50_TARGET and proxied.errors == 0
    print(
        f"gateway/direct: throughput {throughput:.0%} (target >= {THROUGHPUT_TARGET:.0%}), "
        f"p50 {p50:.2f}x (target <= {P50_TARGET:.2f}x)"
    )
    print(
        f"CPU per request: issues-api {issues_cpu / max(1, direct.requests) * 1e3:.3f} ms (direct), "
        f"gateway {gateway_cpu / max(1, proxied.requests) * 1e3:.3f} ms (proxying)"
    )
    print(
        f"one connection, one request after another: direct {one_by_one[0]:.2f} ms, "
        f"gateway {one_by_one[1]:.2f} ms ({one_by_one[1] / one_by_one[0]:.2f}x)"
    )
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"target {'holds' if holds else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
