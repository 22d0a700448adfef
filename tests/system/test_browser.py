"""The SPA in a real browser (Debian's Chromium, driven by playwright-core) against the whole system.

Once, on the main backend's stack (`main_stack`): what the browser sees does not depend on the database behind
the services, whose own tests and the other system tests run on both backends, and a browser journey is the
costliest test of the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import httpx

from rectify_stack import ROOT, Stack

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def e2e(script: str, stack: Stack) -> subprocess.CompletedProcess[str]:
    """Run one of frontend/e2e's scripts (`npm run <script>`) in Chromium against the stack's gateway."""
    assert shutil.which(CHROMIUM), "Chromium is missing: make browser installs Debian's package"
    return subprocess.run(
        ["npm", "run", "--silent", script],
        cwd=ROOT / "frontend",
        env={**os.environ, "E2E_BASE_URL": stack.gateway, "CHROMIUM_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


class TestBrowser:
    def test_office_and_public_journeys_pass_in_chromium(self, main_stack: Stack) -> None:
        assert (ROOT / "frontend" / "dist" / "index.html").is_file(), "build the SPA first: make frontend"
        result = e2e("e2e", main_stack)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_security_journeys_pass_in_chromium(self, main_stack: Stack) -> None:
        """Strict CSP without a violation on every kind of page, no token readable by scripts, a session that
        survives a reload and ends on sign-out (frontend/e2e/security.mjs)."""
        assert (ROOT / "frontend" / "dist" / "index.html").is_file(), "build the SPA first: make frontend"
        result = e2e("e2e:security", main_stack)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_each_role_lands_on_its_page_and_the_staff_app_works_in_chinese_on_a_phone(self, main_stack: Stack) -> None:
        """Unit, office and leader at 1440x900 and 390x844 (frontend/e2e/roles.mjs): each lands on its page; at
        390 px no route scrolls sideways; no English string of the UI library on any route (date pickers opened, an
        empty table); a unit clerk accepts, reports progress, asks for an extension, submits completion and signs a
        督办 notice on the phone."""
        assert (ROOT / "frontend" / "dist" / "index.html").is_file(), "build the SPA first: make frontend"
        result = e2e("e2e:roles", main_stack)
        sys.stdout.write(result.stdout)  # each check with its time (shown with -rP)
        assert result.returncode == 0, result.stdout + result.stderr


class TestPublicPages:
    """The citizens' light app as the gateway serves it from the real build, and on a throttled phone."""

    def test_every_asset_is_precompressed_and_served_brotli_with_the_immutable_cache_header(
        self, main_stack: Stack
    ) -> None:
        assets = ROOT / "frontend" / "dist" / "assets"
        scripts = sorted(p for p in assets.iterdir() if p.suffix in (".js", ".css"))
        assert scripts, "build the SPA first: make frontend"
        missing = [p.name for p in scripts for coded in (".br", ".gz") if not p.with_name(p.name + coded).is_file()]
        assert missing == []
        public = next(p for p in scripts if p.name.startswith("public-"))
        with httpx.Client(base_url=main_stack.gateway, timeout=30) as client:
            answer = client.get(f"/assets/{public.name}", headers={"Accept-Encoding": "br"})
            assert answer.status_code == 200
            assert answer.headers["content-encoding"] == "br"
            assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert "accept-encoding" in answer.headers["vary"].lower()
            assert int(answer.headers["content-length"]) == public.with_name(public.name + ".br").stat().st_size
            assert answer.content == public.read_bytes()
            gzipped = client.get(f"/assets/{public.name}", headers={"Accept-Encoding": "gzip"})
            assert gzipped.headers["content-encoding"] == "gzip"
            plain = client.get(f"/assets/{public.name}", headers={"Accept-Encoding": "identity"})
            assert "content-encoding" not in plain.headers
            assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"

    def test_public_paths_get_the_light_page_and_json_over_1_kb_is_compressed(self, main_stack: Stack) -> None:
        with httpx.Client(base_url=main_stack.gateway, timeout=30) as client:
            page = client.get("/track/ABCD-EFGH-JKMN-PQRS", headers={"Accept-Encoding": "br"})
            assert page.status_code == 200
            assert "/assets/public-" in page.text
            assert "/assets/index-" not in page.text
            assert page.headers["cache-control"] == "no-cache"
            token = client.post("/api/v1/auth/token", data={"username": "office", "password": "demo12345"})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Accept-Encoding": "br"}
            listed = client.get("/api/v1/issues?limit=50", headers=headers)
            assert listed.status_code == 200
            assert listed.headers["content-encoding"] == "br"
            assert len(listed.content) > 1024
            assert listed.json()["items"]

    def test_a_citizen_submits_and_follows_on_a_throttled_phone(self, main_stack: Stack) -> None:
        result = e2e("e2e:public", main_stack)
        sys.stdout.write(result.stdout)  # the sizes and timings the script measured (shown with -rP)
        assert result.returncode == 0, result.stdout + result.stderr
