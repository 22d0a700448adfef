"""Load from a separate process with wrk (Debian package `wrk`), and the CPU time a process has used.

wrk prints its own summary; a Lua `done` hook writes the figures the benchmarks need as one JSON line, and an
optional request script (method, body, headers, per-request paths) runs before it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

_REPORT = """
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local tail = {}
  for k = 0, TAIL_STEPS - 1 do
    tail[#tail + 1] = string.format('%f', latency:percentile(TAIL_FROM + k * (100 - TAIL_FROM) / TAIL_STEPS) / 1000)
  end
  tail[#tail + 1] = string.format('%f', latency.max / 1000)  -- wrk's percentile(100) says 0
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "error_kinds": {"connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d}, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "tail_ms": [%s]}\\n',
    summary.requests, seconds, e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(tail, ', ')))
end
"""
# The tail of each run's latencies, as percentiles from TAIL_FROM to 100 in TAIL_STEPS steps (90, 90.1, … 100):
# enough to find the p95 and p99 of several runs together (`merged_percentile`).
TAIL_FROM, TAIL_STEPS = 90.0, 100


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    errors: int
    error_kinds: dict[str, int]
    p50_ms: float
    p95_ms: float
    p99_ms: float
    tail_ms: tuple[float, ...] = ()  # the latencies at TAIL_FROM %, … 100 % of the requests

    @property
    def rps(self) -> float:
        """Answered requests per second, failures (non-2xx/3xx, socket errors) left out."""
        return max(0, self.requests - self.errors) / self.seconds

    @property
    def errors_said(self) -> str:
        """The failures and their kinds: `4 (status 3, read 1)`; wrk's status errors are answers not 2xx/3xx."""
        kinds = ", ".join(f"{kind} {count}" for kind, count in self.error_kinds.items())
        return f"{self.errors} ({kinds})" if kinds else str(self.errors)


def run_wrk(label: str, url: str, *, seconds: int, connections: int, script: str = "", threads: int = 2) -> Result:
    """Load `url` for `seconds` with `connections`; `script` is wrk Lua run before the reporting hook."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(f"{script}\nTAIL_FROM, TAIL_STEPS = {TAIL_FROM}, {TAIL_STEPS}\n{_REPORT}")
    try:
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", lua.name, url],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(lua.name)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Result(
        label,
        report["requests"],
        report["seconds"],
        report["errors"],
        {kind: count for kind, count in report["error_kinds"].items() if count},
        report["p50_ms"],
        report["p95_ms"],
        report["p99_ms"],
        tuple(report["tail_ms"]),
    )


def merged_percentile(results: list[Result], percent: float) -> float:
    """The latency under which `percent` (≥ TAIL_FROM) of all the runs' requests were answered, from each run's
    tail. A run counts as having none of its requests under a latency below its own TAIL_FROM point: a bound from
    above where runs differ that much."""
    levels = [TAIL_FROM + k * (100 - TAIL_FROM) / TAIL_STEPS for k in range(TAIL_STEPS + 1)]
    total = sum(r.requests for r in results)
    for latency in sorted({value for r in results for value in r.tail_ms}):
        under = 0.0
        for r in results:
            reached = [level for level, value in zip(levels, r.tail_ms, strict=True) if value <= latency]
            under += r.requests * (max(reached) if reached else 0.0) / 100
        if under >= total * percent / 100 - 1e-9:
            return latency
    return max(max(r.tail_ms) for r in results)


class _Process(Protocol):
    @property
    def pid(self) -> int | None: ...


def pid_of(process: _Process) -> int:
    """The id of a started process (a multiprocessing process has none until it starts)."""
    if process.pid is None:
        raise RuntimeError("the process has not started")
    return process.pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
