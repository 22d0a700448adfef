"""What other provincial systems rely on, through the gateway of the running system: every snippet of
docs/integration.md (Python run, Java compiled and run), a third-party Open311 GeoReport v2 client, and a
Schemathesis run (`--checks all`) over the merged OpenAPI document that finds nothing.

On the shared stack of the main backend (`main_stack`: PostgreSQL when configured, else SQLite), whose gateway
limits are raised, so that Schemathesis reaches the services instead of the rate limiter (429 is documented
either way).
Schemathesis runs last: it leaves generated data behind.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import httpx
import pytest
from georeport import GeoReport

from notify_api.delivery.channels import webhook_signature
from rectify_stack import Stack, login

HERE = Path(__file__).parent
GUIDE = HERE.parents[1] / "docs" / "integration.md"
SNIPPET = re.compile(r"<!-- snippet: ([a-z0-9-]+) -->\n```(\w+)\n(.*?)```", re.S)
GUIDE_SNIPPETS = {"token", "feed", "idempotency", "verify-python", "verify-java", "open311"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
UNIT = "SJZ"  # 石家庄市 in the demo campaign
# Schemathesis' budget, a number of requests rather than a time: with `--max-time 150` a loaded machine ended it
# part-way through its coverage phase (fuzzing never ran, some operations never called) and an idle one repeated
# fuzzing until the time was spent. Now every operation gets the schema's examples and this many generated
# requests (about 500 in all, 13 to 20 s of CPU with the stack's), checked below in its report.
SCHEMATHESIS_EXAMPLES = 3
SCHEMATHESIS_PHASES = "examples,fuzzing"
METHODS = ("get", "post", "put", "patch", "delete")


# On the main backend's shared stack alone (Schemathesis runs long; what it finds does not depend on the database),
# after the tests on `stack`: Schemathesis, last here, leaves generated data behind.
pytestmark = pytest.mark.usefixtures("main_stack")


@pytest.fixture(scope="module")
def office(main_stack: Stack) -> dict[str, str]:
    with httpx.Client(base_url=main_stack.gateway, timeout=30) as client:
        return login(client, "office")


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def snippets() -> dict[str, tuple[str, str]]:
    return {name: (language, code) for name, language, code in SNIPPET.findall(GUIDE.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def guide_env(main_stack: Stack) -> dict[str, str]:
    """The environment the guide's snippets read: the gateway and a client an admin registered."""
    with httpx.Client(base_url=main_stack.gateway, timeout=30) as client:
        scopes = ["issues:read", "issues:write", "events:read"]
        body = {"id": "guide-system", "name": "对接示例系统", "scopes": scopes}
        secret = ok(client.post("/api/v1/clients", json=body, headers=login(client, "admin")), 201)["client_secret"]
    return {
        **os.environ,
        "RECTIFY_URL": main_stack.gateway,
        "RECTIFY_CLIENT_ID": "guide-system",
        "RECTIFY_CLIENT_SECRET": secret,
    }


class TestIntegrationGuide:
    """docs/integration.md: each snippet does what the text around it says."""

    def test_the_guide_has_exactly_the_snippets_checked_here(self) -> None:
        assert set(snippets()) == GUIDE_SNIPPETS

    @pytest.mark.parametrize(
        ("name", "printed"),
        [
            ("token", "integration 对接示例系统"),
            ("feed", "caught up at"),
            ("idempotency", "one issue:"),
            ("open311", "open "),
        ],
    )
    def test_a_python_snippet_runs_against_the_system(self, guide_env: dict[str, str], name: str, printed: str) -> None:
        language, code = snippets()[name]
        assert language == "python"
        run = subprocess.run([sys.executable, "-c", code], env=guide_env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert printed in run.stdout

    def vector(self, *, age: int = 0) -> tuple[str, str, str, bytes]:
        secret, body = "whsec-guide", b'{"type":"issue.assigned","data":{"issue":{"code":"YS-2017-0042"}}}'
        timestamp = str(int(time.time()) - age)
        return secret, timestamp, webhook_signature(secret, timestamp, body), body

    def test_the_python_verifier_accepts_notify_apis_signature_and_nothing_else(self) -> None:
        namespace: dict[str, Any] = {}
        exec(snippets()["verify-python"][1], namespace)  # noqa: S102 - our own documentation's code
        verify = namespace["verify"]
        secret, timestamp, signature, body = self.vector()
        assert verify(secret, timestamp, signature, body)
        assert not verify(secret, timestamp, signature, body.replace(b"0042", b"0043"))
        assert not verify("another-secret", timestamp, signature, body)
        old = self.vector(age=3600)
        assert not verify(old[0], old[1], old[2], old[3])

    def test_the_java_verifier_compiles_and_agrees(self, tmp_path: Path) -> None:
        javac, java = shutil.which("javac"), shutil.which("java")
        assert javac is not None, "the JDK (Debian: openjdk-17-jdk-headless) compiles the guide's Java"
        assert java is not None, "the JDK (Debian: openjdk-17-jdk-headless) runs the guide's Java"
        (tmp_path / "WebhookVerifier.java").write_text(snippets()["verify-java"][1], encoding="utf-8")
        (tmp_path / "Check.java").write_text(
            "public final class Check { public static void main(String[] a) throws Exception {"
            " byte[] body = java.util.Base64.getDecoder().decode(a[3]);"
            " System.out.println(WebhookVerifier.verify(a[0], a[1], a[2], body, 300)); } }",
            encoding="utf-8",
        )
        subprocess.run([javac, "WebhookVerifier.java", "Check.java"], cwd=tmp_path, check=True, timeout=120)
        secret, timestamp, signature, body = self.vector()
        answers = []
        for candidate in (body, body.replace(b"0042", b"0043")):
            encoded = base64.b64encode(candidate).decode()
            run = subprocess.run(
                [java, "-cp", str(tmp_path), "Check", secret, timestamp, signature, encoded],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            answers.append(run.stdout.strip())
        assert answers == ["true", "false"]


class TestGeoReportClient:
    """`georeport` (PyPI) reads; it has no POST, so the request is posted as the spec's form by httpx."""

    def test_lists_services_posts_a_request_and_reads_it_back_in_json_and_xml(
        self, main_stack: Stack, office: dict[str, str]
    ) -> None:
        root = f"{main_stack.gateway}/open311/v2"
        services = GeoReport(root).get_service_list()
        assert services, "the demo campaign's categories are the services"
        code = services[0]["service_code"]
        xml_services = GeoReport(root, output_format="xml").get_service_list()
        assert [s["service_code"] for s in xml_services] == [s["service_code"] for s in services]

        with httpx.Client(base_url=main_stack.gateway, timeout=30) as client:
            admin = login(client, "admin")
            system = {"id": "gov-portal", "name": "省政务服务网", "scopes": ["issues:write"]}
            secret = ok(client.post("/api/v1/clients", json=system, headers=admin), 201)["client_secret"]
            form = {"api_key": f"gov-portal:{secret}", "service_code": code, "description": "企业开办材料重复提交"}
            created = ok(client.post("/open311/v2/requests.json", data=form), 201)[0]
            request_id = created["service_request_id"]

            unit = next(u for u in ok(client.get("/api/v1/units", headers=office))["items"] if u["code"] == UNIT)
            accept = {"title": "企业开办材料重复提交", "public_reply": "已受理，交石家庄市办理。"}
            issue_id = ok(client.post(f"/api/v1/intake/{request_id}/accept", json=accept, headers=office))["issue_id"]
            deadline = (datetime.now(SHANGHAI).date() + timedelta(days=20)).isoformat()
            assign = {"lead_unit_id": unit["id"], "co_unit_ids": [], "deadline": deadline}
            ok(client.post(f"/api/v1/issues/{issue_id}/assign", json=assign, headers=office))

        as_json = GeoReport(root).get_service_request(request_id)
        as_xml = GeoReport(root, output_format="xml").get_service_request(request_id)
        for shown in (as_json, as_xml):
            assert shown["service_request_id"] == request_id
            assert shown["status"] == "open"
            assert shown["agency_responsible"] == unit["name"]
            assert shown["expected_datetime"] == f"{deadline}T23:59:59+08:00"
            assert shown["status_notes"] == "已受理，交石家庄市办理。"
            assert shown["service_code"] == code
        listed = GeoReport(root).get_service_requests(service_request_id=request_id, status="open")
        assert [r["service_request_id"] for r in listed] == [request_id]


class TestSchemathesis:
    def test_checks_all_over_the_merged_openapi_as_office_find_nothing(
        self, main_stack: Stack, office: dict[str, str], tmp_path: Path
    ) -> None:
        with httpx.Client(base_url=main_stack.gateway, timeout=60) as client:
            document = ok(client.get("/api/v1/openapi.json"))
        # Every service's operations: one the gateway could not read is named here, and would go untested. The
        # gateway keeps a complete set for a minute, so Schemathesis, reading it next, gets this same document.
        assert "x-unavailable-services" not in document["info"], document["info"]
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "run",
            f"{main_stack.gateway}/api/v1/openapi.json",
            "--checks",
            "all",
            "--header",
            f"Authorization: {office['Authorization']}",
            "--phases",
            SCHEMATHESIS_PHASES,
            "--max-examples",
            str(SCHEMATHESIS_EXAMPLES),
            "--request-timeout",
            "60",
            "--seed",
            "20261202",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ]
        run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=1200, check=False)
        summary = run.stdout[run.stdout.find("SUMMARY") :] if "SUMMARY" in run.stdout else run.stdout[-20000:]
        assert run.returncode == 0, f"{summary}\n{run.stderr[-3000:]}\n{run.stdout[:20000]}"
        # every operation of the document was called, none skipped
        [report] = tmp_path.glob("junit*.xml")
        cases = ElementTree.parse(report).getroot().iter("testcase")  # noqa: S314 - the report just written here
        tested = {case.get("name") for case in cases if case.find("skipped") is None}
        operations = {f"{m.upper()} {path}" for path, item in document["paths"].items() for m in item if m in METHODS}
        assert tested == operations, summary
