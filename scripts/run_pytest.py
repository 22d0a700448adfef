"""Run each test suite in its own pytest process; fail if any fails or collects nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NO_TESTS = 5


def main(suites: list[str]) -> int:
    failed: list[str] = []
    for suite in suites:
        if not Path(suite).is_dir():
            print(f"missing test suite: {suite}")
            failed.append(suite)
            continue
        print(f"==> pytest {suite}", flush=True)
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", suite])
        if code != 0:
            failed.append(f"{suite} (exit {code}{', no tests' if code == NO_TESTS else ''})")
    if failed:
        print("failed suites: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
