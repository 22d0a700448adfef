"""The SPA in a real browser (Debian's Chromium, driven by playwright-core) against the whole system."""

from __future__ import annotations

import os
import shutil
import subprocess

from stack import ROOT, Stack

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


class TestBrowser:
    def test_office_and_public_journeys_pass_in_chromium(self, stack: Stack) -> None:
        assert (ROOT / "frontend" / "dist" / "index.html").is_file(), "build the SPA first: make frontend"
        assert shutil.which(CHROMIUM), "Chromium is missing: make browser installs Debian's package"
        result = subprocess.run(
            ["npm", "run", "--silent", "e2e"],
            cwd=ROOT / "frontend",
            env={**os.environ, "E2E_BASE_URL": stack.gateway, "CHROMIUM_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
