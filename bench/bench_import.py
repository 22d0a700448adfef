"""Benchmark of the ledger import (issue 13): a 5,000-row workbook's dry run and import, and a unit's 5,000
pasted self-inspection rows, through issues-api's HTTP API in process (httpx over ASGI, SQLite).

Each step runs in a child process of its own, on a fresh migrated database, so that its peak RSS is its own:
the workbook is built beforehand by this process and read from a file. Prints seconds and peak RSS (the whole
child: interpreter, app and the step) against the targets: dry run under 10 s, import under 30 s, under 300 MB.

    python bench/bench_import.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from issues_testing.ledger import migrated_ledger_world
from issues_testing.sheets import large_ledger

TARGETS = {"dry-run": 10.0, "import": 30.0, "reupload": 30.0, "self-inspection": 30.0}
MEMORY_TARGET_MB = 300.0


def rss_mb() -> float:
    """The process's resident set now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def child(step: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with migrated_ledger_world("sqlite", Path(folder)) as world:
            url, params, headers = "/api/v1/issues/import", {"campaign_id": world.campaign_id}, world.headers("office")
            if step == "dry-run":
                params["dry_run"] = "true"
            elif step == "self-inspection":
                url, headers = "/api/v1/issues/self-inspection/batch", world.headers("unit", "A")
            files = {"file": ("台账.xlsx", data, "application/octet-stream")}
            if step == "reupload":  # the second upload of the same rows: every one already there
                first = await world.client.post(url, params=params, files=files, headers=headers, timeout=600)
                assert first.status_code == 201, first.text
            before = rss_mb()
            started = time.perf_counter()
            answer = await world.client.post(url, params=params, files=files, headers=headers, timeout=600)
            elapsed = time.perf_counter() - started
            assert answer.status_code in (200, 201), answer.text[:500]
            body = answer.json()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {peak:.0f} {before:.0f} {body['rows']} {len(body['created'])} {body['existing']}")


def pasted(rows: int) -> bytes:
    """A unit's rows as Excel copies them (tab-separated) under the header the web page adds."""
    lines = ["问题\t原因\t措施\t分类", *(f"自查 问题 {n:05d}\t原因 {n}\t措施 {n}\t简政放权" for n in range(rows))]
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    if args.child:
        step, path = args.child
        asyncio.run(child(step, Path(path).read_bytes()))
        return
    with tempfile.TemporaryDirectory() as folder:
        spoilt, good, paste = (Path(folder) / name for name in ("spoilt.xlsx", "good.xlsx", "paste.tsv"))
        spoilt.write_bytes(large_ledger(args.rows, tag="bench-bad", spoil=True)[0])
        good.write_bytes(large_ledger(args.rows, tag="bench", spoil=False)[0])
        paste.write_bytes(pasted(args.rows))
        steps = [
            ("dry-run", spoilt, f"dry run, {args.rows} rows (1 in 250 bad)"),
            ("import", good, f"import, {args.rows} rows"),
            ("reupload", good, "the same file again (all existing)"),
            ("self-inspection", paste, f"unit's {args.rows} pasted rows"),
        ]
        print(f"ledger import, SQLite, in process; targets: dry run < 10 s, import < 30 s, < {MEMORY_TARGET_MB:.0f} MB")
        print(f"  {'step':<40} {'seconds':>8} {'peak MB':>8} {'before':>8} {'rows':>6} {'new':>6} {'there':>6}  target")
        for step, path, label in steps:
            result = subprocess.run(
                [sys.executable, __file__, "--child", step, str(path)], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                print(f"  {label:<40} failed:\n{result.stderr[-2000:]}")
                raise SystemExit(1)
            seconds, peak, before, rows, created, existing = result.stdout.split()[-6:]
            holds = float(seconds) < TARGETS[step] and float(peak) < MEMORY_TARGET_MB
            print(
                f"  {label:<40} {float(seconds):>8.1f} {peak:>8} {before:>8} {rows:>6} {created:>6} {existing:>6}  "
                f"{'holds' if holds else 'NOT met'} (< {TARGETS[step]:.0f} s)"
            )
    print(f"\nmeasured at {datetime.now(UTC).isoformat(timespec='seconds')}")


if __name__ == "__main__":
    main()
