"""docker-compose.yml and deploy/ hang together: Docker cannot run here, so their wiring is checked as data, and
the commands the one-shots run are run for real against a database of the test's own."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic_settings import BaseSettings

from gateway.config import Settings as GatewaySettings
from issues_api import __main__ as issues_cli
from issues_api.config import Settings as IssuesSettings
from issues_api.config import TokenSettings, get_settings
from issues_api.main import create_app
from notify_api.config import Settings as NotifySettings
from rectify_kit.testing import create_pg_database, drop_pg_database, sqlite_test_url
from report_api.config import Settings as ReportSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
CREATE_SECRETS = ROOT / "deploy" / "secrets" / "create.sh"
APPS: dict[str, tuple[str, type[BaseSettings]]] = {
    "issues-api": ("ISSUES_", IssuesSettings),
    "notify-api": ("NOTIFY_", NotifySettings),
    "report-api": ("REPORT_", ReportSettings),
    "gateway": ("GATEWAY_", GatewaySettings),
}
WITH_DATABASE = ("issues-api", "notify-api", "report-api")
ONE_SHOT = {"issues-api": "issues-init", "notify-api": "notify-migrate", "report-api": "report-migrate"}
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def environment(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in (SERVICES[service].get("environment") or {}).items()}


def mounted_secrets(service: str) -> dict[str, str]:
    """{secret name: path inside the container} of a service."""
    found = {}
    for entry in SERVICES[service].get("secrets") or []:
        source, target = (entry, entry) if isinstance(entry, str) else (entry["source"], entry.get("target"))
        found[source] = f"/run/secrets/{target or source}"
    return found


def long_running() -> list[str]:
    return [name for name, s in SERVICES.items() if s.get("restart") != "no"]


class TestCompose:
    def test_runs_postgres_the_one_shots_and_the_four_services(self) -> None:
        one_shots = {"issues-init", "issues-demo", "notify-migrate", "report-migrate"}
        assert set(SERVICES) == {"postgres", *one_shots, *APPS}
        assert {name for name, s in SERVICES.items() if s.get("restart") == "no"} == one_shots

    @pytest.mark.parametrize("service", WITH_DATABASE)
    def test_service_starts_only_after_its_one_shot_migrated(self, service: str) -> None:
        one_shot = ONE_SHOT[service]
        assert SERVICES[service]["depends_on"][one_shot] == {"condition": "service_completed_successfully"}
        assert SERVICES[one_shot]["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert f"python -m {service.replace('-', '_')} migrate" in " ".join(SERVICES[one_shot]["command"])

    @pytest.mark.parametrize("service", WITH_DATABASE)
    def test_one_shot_uses_the_image_database_and_password_of_its_service(self, service: str) -> None:
        one_shot, prefix = ONE_SHOT[service], APPS[service][0]
        assert SERVICES[one_shot]["image"] == SERVICES[service]["image"]
        assert SERVICES[one_shot]["build"]["target"] == service
        for key in (f"{prefix}DATABASE_URL", f"{prefix}DATABASE_PASSWORD_FILE"):
            assert environment(one_shot)[key] == environment(service)[key]

    def test_each_service_has_a_database_and_role_of_its_own_created_by_the_init_script(self) -> None:
        urls = {s: environment(s)[f"{APPS[s][0]}DATABASE_URL"] for s in WITH_DATABASE}
        names = {s: url.rsplit("/", 1)[1] for s, url in urls.items()}
        assert all(f"://{names[s]}@postgres:5432/" in url for s, url in urls.items())  # role = database
        assert len(set(names.values())) == len(names)
        assert sorted(SERVICES["postgres"]["environment"]["RECTIFY_DATABASES"].split()) == sorted(names.values())
        for service, name in names.items():
            password = environment(service)[f"{APPS[service][0]}DATABASE_PASSWORD_FILE"]
            assert mounted_secrets(service)[f"{name}_db_password"] == password
            assert f"{name}_db_password" in mounted_secrets("postgres")
        init = next(v for v in SERVICES["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v)
        script = (ROOT / init.split(":")[0]).read_text(encoding="utf-8")
        assert "RECTIFY_DATABASES" in script
        assert "/run/secrets/${database}_db_password" in script
        assert "REVOKE CONNECT" in script

    def test_every_build_target_is_a_stage_of_the_dockerfile(self) -> None:
        stages = set(re.findall(r"^FROM \S+ AS (\S+)$", DOCKERFILE, flags=re.MULTILINE))
        targets = {s["build"]["target"] for s in SERVICES.values() if "build" in s}
        assert targets == set(APPS)
        assert targets <= stages
        assert all(s["build"]["dockerfile"] == "deploy/Dockerfile" for s in SERVICES.values() if "build" in s)

    def test_only_the_gateway_is_published(self) -> None:
        assert {name for name, s in SERVICES.items() if s.get("ports")} == {"gateway"}

    def test_sets_every_wiring_variable_the_makefile_sets(self) -> None:
        wiring = set(re.findall(r"^export ((?:ISSUES|NOTIFY|REPORT|GATEWAY)_\w+) \?=", MAKEFILE, flags=re.MULTILINE))
        wiring.discard("ISSUES_DEMO")  # demo data only with the compose profile `demo`
        set_here = {k for service in APPS for k in environment(service)}
        assert wiring
        assert wiring <= set_here


class TestProductionDefaults:
    def test_demo_runs_only_in_the_demo_profile(self) -> None:
        demo = [name for name in SERVICES if environment(name).get("ISSUES_DEMO") == "true"]
        assert demo == ["issues-demo"]
        assert SERVICES["issues-demo"]["profiles"] == ["demo"]
        assert all("profiles" not in s for name, s in SERVICES.items() if name != "issues-demo")
        assert "demo" not in " ".join(SERVICES["issues-init"]["command"]).split()

    def test_no_password_is_written_in_the_file_or_defaulted(self) -> None:
        text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
        assert "POSTGRES_PASSWORD:" not in text
        assert not re.search(r"(?i)(password|secret)[^\n]*:-", text)
        assert not any("@postgres" in url and ":" in url.split("@")[0].split("//")[1] for s in SERVICES for url in
                       environment(s).values() if url.startswith("postgresql"))  # fmt: skip

    def test_every_secret_is_a_file_that_the_create_script_makes(self) -> None:
        script = CREATE_SECRETS.read_text(encoding="utf-8")
        for name, secret in COMPOSE["secrets"].items():
            path = Path(secret["file"])
            assert path.parent == Path("deploy/secrets"), name
            assert path.name in script, f"{path.name} is not made by {CREATE_SECRETS.name}"

    def test_signing_key_is_mounted_into_issues_api_alone(self) -> None:
        holders = [name for name in SERVICES if "signing_key" in mounted_secrets(name)]
        assert holders == ["issues-api"]
        path = mounted_secrets("issues-api")["signing_key"]
        assert environment("issues-api")["ISSUES_TOKENS__PRIVATE_KEY_FILE"] == path

    @pytest.mark.parametrize(
        ("client", "secret"), [("notify-api", "notify_feed_secret"), ("report-api", "report_feed_secret")]
    )
    def test_feed_client_secret_reaches_only_provisioning_and_its_service(self, client: str, secret: str) -> None:
        holders = {name for name in SERVICES if secret in mounted_secrets(name)}
        assert holders == {"issues-init", "issues-demo", client}
        prefix = APPS[client][0]
        assert environment(client)[f"{prefix}FEED_CLIENT_SECRET_FILE"] == mounted_secrets(client)[secret]
        for one_shot in ("issues-init", "issues-demo"):
            directory = environment(one_shot)["ISSUES_CLIENT_SECRETS_DIR"]
            assert mounted_secrets(one_shot)[secret] == f"{directory}/{client}"

    def test_the_gateway_has_no_secret_and_no_volume(self) -> None:
        assert not SERVICES["gateway"].get("secrets")
        assert not SERVICES["gateway"].get("volumes")

    def test_each_long_running_service_has_a_volume_of_its_own(self) -> None:
        owners: dict[str, set[str]] = {}
        for name in long_running():
            for volume in SERVICES[name].get("volumes") or []:
                source = volume.split(":")[0]
                if source in COMPOSE["volumes"]:
                    owners.setdefault(source, set()).add(name)
        assert all(len(services) == 1 for services in owners.values()), owners
        assert {next(iter(s)) for s in owners.values()} == {"postgres", *WITH_DATABASE}

    def test_base_images_are_pinned_by_digest(self) -> None:
        images = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.MULTILINE)
        external = [image for image in images if ":" in image]
        assert len(external) == 2
        assert all(DIGEST.search(image) for image in external), external
        assert DIGEST.search(SERVICES["postgres"]["image"])

    def test_uv_is_pinned_to_the_makefiles_version_in_the_images(self) -> None:
        version = re.search(r"^UV_VERSION := (\S+)$", MAKEFILE, flags=re.MULTILINE)
        assert version is not None
        assert f"ARG UV_VERSION={version.group(1)}" in DOCKERFILE
        assert 'pip install --no-cache-dir "uv==${UV_VERSION}"' in DOCKERFILE
        assert '"uv==$(UV_VERSION)"' in MAKEFILE


class TestServiceEnvironment:
    @pytest.mark.parametrize("service", [*APPS, *ONE_SHOT.values(), "issues-demo"])
    def test_every_variable_reaches_a_setting_of_that_service(
        self, service: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        image = SERVICES[service].get("build", {}).get("target") or SERVICES[service]["image"].split("/")[1]
        prefix, settings_class = APPS[image]
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

    def test_the_services_pools_fit_the_database_server(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        # The one-shots have ended before the services start; PostgreSQL keeps 3 of its 100 for superusers.
        monkeypatch.chdir(tmp_path)
        opened = 0
        for service in WITH_DATABASE:
            with monkeypatch.context() as env:
                for key, value in environment(service).items():
                    env.setenv(key, value)
                pool: Any = APPS[service][1]().database_pool
            opened += pool.size + pool.overflow
        command = " ".join(SERVICES["postgres"].get("command") or [])
        raised = re.search(r"max_connections=(\d+)", command)
        assert opened <= (int(raised.group(1)) if raised else 100) - 3

    @pytest.mark.parametrize("service", list(APPS))
    def test_health_check_asks_the_service_itself(self, service: str) -> None:
        port = environment(service)[f"{APPS[service][0]}PORT"]
        assert environment(service)["HEALTH_URL"].startswith(f"http://127.0.0.1:{port}/")


# --- the first start, as the one-shots run it ---------------------------------------------------------------


@pytest.fixture
def issues_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """On the main backend alone (the kit's `backend`): compose runs PostgreSQL, and the one-shots' commands are
    the services' own, whose SQL the services' suites run on both backends; SQLite stands in when no PostgreSQL is
    configured."""
    if backend == "sqlite":
        yield sqlite_test_url(tmp_path, "issues")
        return
    url = asyncio.run(create_pg_database("compose_first_start"))
    try:
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


@pytest.fixture(scope="module")
def secrets_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What deploy/secrets/create.sh makes, made by it in a folder of the test's own."""
    folder = tmp_path_factory.mktemp("deploy") / "secrets"
    folder.mkdir()
    shutil.copy(CREATE_SECRETS, folder / "create.sh")
    subprocess.run(["sh", str(folder / "create.sh")], check=True, capture_output=True)
    return folder


def one_shot_steps(service: str, secrets: Path) -> list[list[str]]:
    """The one-shot's command with its mounted secrets at `secrets` and compose's `${VAR:-default}` resolved, as
    the commands it runs one after the other: `sh -c "A && B"` read as the shell reads it (`shlex`), else itself."""
    resolved = (part.replace("/run/secrets", str(secrets)) for part in SERVICES[service]["command"])
    command = [re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", part) for part in resolved]
    if command[:2] != ["sh", "-c"]:
        return [command]
    steps: list[list[str]] = [[]]
    for word in shlex.split(command[2]):
        if word == "&&":
            steps.append([])
        else:
            steps[-1].append(word)
    return steps


def run_one_shot(
    service: str,
    database_url: str,
    secrets: Path,
    var_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: dict[str, str] | None = None,
) -> str:
    """Run the one-shot's commands with its environment, on `database_url`, as compose would in the container:
    each `python -m issues_api ...` is that module's `main` with those arguments, run in this process rather than
    in one of its own that would import the service's libraries again (some 1.5 s of CPU each, nine times). The
    service reads its settings once per process (`get_settings` is cached): the cache is emptied on either side,
    so that each command reads its environment as a fresh process would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISSUES_")}
    env.update({k: v.replace("/run/secrets", str(secrets)) for k, v in environment(service).items()})
    env.update({"ISSUES_DATABASE_URL": database_url, "ISSUES_VAR_DIR": str(var_dir), **(extra or {})})
    if database_url.startswith("sqlite"):
        env.pop("ISSUES_DATABASE_PASSWORD_FILE")  # SQLite has no password; PostgreSQL here trusts loopback
    printed = io.StringIO()
    for step in one_shot_steps(service, secrets):
        assert step[:3] == ["python", "-m", "issues_api"], step
        with monkeypatch.context() as patch:
            for key in [k for k in os.environ if k not in env]:
                patch.delenv(key)
            for key, value in env.items():
                patch.setenv(key, value)
            patch.chdir(ROOT)
            get_settings.cache_clear()
            try:
                with contextlib.redirect_stdout(printed):
                    code = issues_cli.main(step[3:])
            finally:
                get_settings.cache_clear()
        assert code == 0, printed.getvalue()
    return printed.getvalue()


async def token_statuses(database_url: str, secrets: Path, var_dir: Path, forms: list[dict[str, str]]) -> list[int]:
    """The status of `POST /api/v1/auth/token` for each form, from issues-api on that database and signing key."""
    settings = IssuesSettings(
        var_dir=var_dir,
        database_url=database_url,
        log_json=False,
        tokens=TokenSettings(private_key_file=secrets / "issues-api.pem"),
    )
    app = create_app(settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://issues") as http:
            return [(await http.post("/api/v1/auth/token", data=form)).status_code for form in forms]
    finally:
        await app.state.database.dispose()


def secret(secrets: Path, name: str) -> str:
    return (secrets / name).read_text(encoding="utf-8").strip()


def client_form(client: str, secrets: Path) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client, "client_secret": secret(secrets, client)}


class TestFirstStart:
    """issues-init on an empty database: migrated, the feed clients and the first admin from the secrets; then the
    demo profile's one-shot, which adds its data and changes neither."""

    def test_one_shots_provision_from_the_secrets_and_demo_only_adds_its_data(
        self, issues_database: str, secrets_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = run_one_shot("issues-init", issues_database, secrets_folder, tmp_path, monkeypatch)
        again = run_one_shot("issues-init", issues_database, secrets_folder, tmp_path, monkeypatch)
        assert "admin admin created" in first
        assert "user admin exists; left unchanged" in again
        admin = {"username": "admin", "password": secret(secrets_folder, "admin_password")}
        forms = [
            client_form("notify-api", secrets_folder),
            client_form("report-api", secrets_folder),
            admin,
            {"username": "admin", "password": "demo12345"},
            {"username": "office", "password": "demo12345"},
        ]
        statuses = asyncio.run(token_statuses(issues_database, secrets_folder, tmp_path, forms))
        assert statuses == [200, 200, 200, 400, 400]  # no demo accounts, no demo password (invalid_grant)
        assert not (tmp_path / "secrets").exists()  # nothing written beside the mounted secrets

        few = {"ISSUES_DEMO_ITEMS": "3"}
        assert "demo loaded" in run_one_shot("issues-demo", issues_database, secrets_folder, tmp_path, monkeypatch, few)
        statuses = asyncio.run(token_statuses(issues_database, secrets_folder, tmp_path, forms))
        assert statuses == [200, 200, 200, 400, 200]  # the demo accounts now; the admin keeps its secret
