"""Run the test suites as separate pytest processes, several at a time, each one's output kept apart.

    python scripts/run_pytest.py [--jobs N] SUITE[@BACKEND] ...

A suite is a test folder or file; `SUITE@sqlite` / `SUITE@postgresql` runs it on that database backend alone
(`RECTIFY_TEST_BACKENDS`), so that one suite's two backends run side by side; a `@postgresql` suite is left out
when no PostgreSQL is configured (`RECTIFY_TEST_PG_URL`). A file or folder given as a suite of its own inside
another suite's folder is a shard of it: that suite (on the same backend) leaves it out, so that a long folder
runs as several processes at once, each starting what its tests need. The suites start in the order given (put
the longest first) and at most N run at once: the machine has two cores, so they overlap their waiting
(processes starting, the feeds, PostgreSQL, the browser), not their computing. Each suite's output is printed
whole when it ends, with its duration. The run fails if any suite fails or collects nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

NO_TESTS = 5
PG_ENV = "RECTIFY_TEST_PG_URL"
BACKENDS_ENV = "RECTIFY_TEST_BACKENDS"


@dataclass(frozen=True)
class Suite:
    path: str
    backend: str | None

    @classmethod
    def parse(cls, spec: str) -> Suite:
        path, _, backend = spec.partition("@")
        return cls(path, backend or None)

    @property
    def name(self) -> str:
        return f"{self.path}@{self.backend}" if self.backend else self.path


@dataclass(frozen=True)
class Outcome:
    suite: Suite
    code: int
    seconds: float
    cpu: float

    @property
    def failure(self) -> str | None:
        if self.code == 0:
            return None
        return f"{self.suite.name} (exit {self.code}{', no tests' if self.code == NO_TESTS else ''})"


_print_lock = Lock()


def shards(suite: Suite, suites: list[Suite]) -> list[str]:
    """The files and folders in `suite`'s folder that run as suites of their own on the same backend."""
    folder = Path(suite.path)
    return [s.path for s in suites if s.backend == suite.backend and Path(s.path).parent == folder]


def run(suite: Suite, left_out: list[str], started: float) -> Outcome:
    env = dict(os.environ)
    if suite.backend:
        env[BACKENDS_ENV] = suite.backend
    begin = time.monotonic()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "--durations=5", *(f"--ignore={p}" for p in left_out), suite.path],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        # wait4 gives this suite's own CPU time (its stacks' processes included, once reaped): on a machine with
        # fewer cores than suites, the sum of these, not the wall time of one, is what makes the run long
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        output.seek(0)
        text = output.read().decode(errors="replace")
    seconds = time.monotonic() - begin
    with _print_lock:
        ended = time.monotonic() - started
        print(f"==> pytest {suite.name}: {seconds:.0f} s, {cpu:.0f} s CPU (ended {ended:.0f} s in)", flush=True)
        print(text, end="" if text.endswith("\n") else "\n", flush=True)
    return Outcome(suite, code, seconds, cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("PYTEST_JOBS", "4")))
    parser.add_argument("suites", nargs="+")
    args = parser.parse_args()
    suites = [Suite.parse(spec) for spec in args.suites]
    missing = [s.name for s in suites if not Path(s.path).is_dir() and not Path(s.path).is_file()]
    if not os.environ.get(PG_ENV):
        suites = [s for s in suites if s.backend != "postgresql"]
    started = time.monotonic()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        present = [s for s in suites if s.name not in missing]
        outcomes = list(pool.map(lambda s: run(s, shards(s, present), started), present))
    total_cpu = sum(o.cpu for o in outcomes)
    print(f"pytest suites, {len(outcomes)} in {time.monotonic() - started:.0f} s, {total_cpu:.0f} s CPU:")
    for outcome in sorted(outcomes, key=lambda o: -o.seconds):
        failed = "" if outcome.code == 0 else "  FAILED"
        print(f"  {outcome.seconds:6.0f} s  {outcome.cpu:6.0f} s CPU  {outcome.suite.name}{failed}")
    failed = [f"missing test suite: {name}" for name in missing]
    failed += [o.failure for o in outcomes if o.failure]
    if failed:
        print("failed suites: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
