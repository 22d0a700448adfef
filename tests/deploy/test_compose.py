"""docker-compose.yml and deploy/ hang together: Docker cannot run here, so their wiring is checked as data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings

from gateway.config import Settings as GatewaySettings
from issues_api.config import Settings as IssuesSettings
from notify_api.config import Settings as NotifySettings
from report_api.config import Settings as ReportSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
APPS: dict[str, tuple[str, type[BaseSettings]]] = {
    "issues-api": ("ISSUES_", IssuesSettings),
    "notify-api": ("NOTIFY_", NotifySettings),
    "report-api": ("REPORT_", ReportSettings),
    "gateway": ("GATEWAY_", GatewaySettings),
}
WITH_DATABASE = ("issues-api", "notify-api", "report-api")


def interpolate(value: str) -> str:
    """What compose makes of `${NAME:-default}` when NAME is unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def environment(service: str) -> dict[str, str]:
    return {k: interpolate(str(v)) for k, v in (SERVICES[service].get("environment") or {}).items()}


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


class TestCompose:
    def test_runs_postgres_the_migrations_and_the_four_services(self) -> None:
        expected = {"postgres", "issues-migrate", "notify-migrate", "report-migrate", *APPS}
        assert set(SERVICES) == expected

    @pytest.mark.parametrize("service", WITH_DATABASE)
    def test_service_starts_only_after_its_migration_succeeded(self, service: str) -> None:
        migrate = service.replace("-api", "-migrate")
        assert SERVICES[service]["depends_on"][migrate] == {"condition": "service_completed_successfully"}
        assert SERVICES[migrate]["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert "migrate" in " ".join(SERVICES[migrate]["command"])

    @pytest.mark.parametrize("service", WITH_DATABASE)
    def test_migration_uses_the_image_and_database_of_its_service(self, service: str) -> None:
        migrate = service.replace("-api", "-migrate")
        prefix = APPS[service][0]
        assert SERVICES[migrate]["image"] == SERVICES[service]["image"]
        assert SERVICES[migrate]["build"]["target"] == service
        key = f"{prefix}DATABASE_URL"
        assert environment(migrate)[key] == environment(service)[key]

    def test_each_service_has_its_own_database_created_by_the_init_script(self) -> None:
        names = [database_name(environment(s)[f"{APPS[s][0]}DATABASE_URL"]) for s in WITH_DATABASE]
        assert len(set(names)) == len(names)
        assert sorted(SERVICES["postgres"]["environment"]["RECTIFY_DATABASES"].split()) == sorted(names)
        init = next(v for v in SERVICES["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v)
        script = ROOT / init.split(":")[0]
        assert script.is_file()
        assert "RECTIFY_DATABASES" in script.read_text(encoding="utf-8")

    def test_every_build_target_is_a_stage_of_the_dockerfile(self) -> None:
        stages = set(re.findall(r"^FROM \S+ AS (\S+)$", DOCKERFILE, flags=re.MULTILINE))
        targets = {s["build"]["target"] for s in SERVICES.values() if "build" in s}
        assert targets == set(APPS)
        assert targets <= stages
        assert all(s["build"]["dockerfile"] == "deploy/Dockerfile" for s in SERVICES.values() if "build" in s)

    def test_dockerfile_installs_from_the_lock_file(self) -> None:
        assert "FROM python:3.11-slim" in DOCKERFILE
        assert "uv sync --frozen --no-dev" in DOCKERFILE

    def test_only_the_gateway_is_published(self) -> None:
        published = {name for name, s in SERVICES.items() if s.get("ports")}
        assert published == {"gateway"}

    def test_sets_every_wiring_variable_the_makefile_sets(self) -> None:
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        wiring = set(re.findall(r"^export ((?:ISSUES|NOTIFY|REPORT|GATEWAY)_\w+) \?=", makefile, flags=re.MULTILINE))
        wiring.discard("ISSUES_DEMO")  # the compose file sets it from the host's environment, default true
        set_here = {k for service in APPS for k in environment(service)}
        assert wiring
        assert wiring <= set_here


class TestServiceEnvironment:
    @pytest.mark.parametrize("service", list(APPS))
    def test_every_variable_reaches_a_setting_of_that_service(
        self, service: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        prefix, settings_class = APPS[service]
        env = {k: v for k, v in environment(service).items() if k != "HEALTH_URL"}
        assert all(k.startswith(prefix) for k in env), "a service reads only its own prefix"
        monkeypatch.chdir(tmp_path)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        settings: Any = settings_class()
        for key, value in env.items():
            current: Any = settings
            for part in key[len(prefix) :].lower().split("__"):
                current = getattr(current, part)  # AttributeError: a variable no setting reads
            assert str(current).lower() == value.lower()

    @pytest.mark.parametrize("service", list(APPS))
    def test_health_check_asks_the_service_itself(self, service: str) -> None:
        port = environment(service)[f"{APPS[service][0]}PORT"]
        assert environment(service)["HEALTH_URL"].startswith(f"http://127.0.0.1:{port}/")
