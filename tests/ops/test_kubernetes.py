"""The Kubernetes manifests (deploy/kubernetes/), checked offline: valid against the Kubernetes schemas, and
truthful about the image, the entry point, the settings and the health endpoints they rely on."""

import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from cryptography.fernet import Fernet
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"


def documents() -> list[dict]:
    return [document for path in sorted(MANIFESTS.glob("*.yaml")) if path.name != "kustomization.yaml"
            for document in yaml.safe_load_all(path.read_text()) if document]


def named(kind: str, name: str) -> dict:
    [found] = [d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def pod_specs() -> list[dict]:
    return [d["spec"]["template"]["spec"] for d in documents() if d["kind"] in {"Deployment", "Job"}]


@pytest.mark.parametrize("path", sorted(p.name for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml"))
def test_every_manifest_is_valid_against_the_kubernetes_schemas(path: str) -> None:
    for document in yaml.safe_load_all((MANIFESTS / path).read_text()):
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)


def test_a_manifest_with_a_mistake_is_refused() -> None:
    # The check above can fail: a misspelt field of the web deployment is caught.
    web = named("Deployment", "netwerkregie-web")
    web["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, kubernetes_validate.latest_version(), strict=True)


def test_kustomize_applies_every_manifest() -> None:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present
    assert [image["name"] for image in kustomization["images"]] == ["netwerkregie"]
    assert {c["image"] for spec in pod_specs() for c in spec["containers"]} == {"netwerkregie"}


@pytest.mark.django_db
def test_two_web_replicas_with_probes_the_application_answers() -> None:
    web = named("Deployment", "netwerkregie-web")
    assert web["spec"]["replicas"] == 2
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    [container] = web["spec"]["template"]["spec"]["containers"]
    probes = ("startupProbe", "livenessProbe", "readinessProbe")
    paths = {probe: container[probe]["httpGet"]["path"] for probe in probes}
    assert paths == {"startupProbe": "/health/live", "livenessProbe": "/health/live", "readinessProbe": "/health/ready"}
    # Answered by the application itself, before host checks and sign-in (a probe has no session and no host).
    for path in set(paths.values()):
        assert Client(HTTP_HOST="10.1.2.3").get(path).status_code == 200, path
        assert Client(HTTP_HOST="10.1.2.3").get(path)["Content-Type"] == "application/json"
    port = container["ports"][0]["containerPort"]
    assert f"EXPOSE {port}" in (ROOT / "Dockerfile").read_text()
    assert f'"0.0.0.0:{port}"' in (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert named("PodDisruptionBudget", "netwerkregie-web")["spec"]["minAvailable"] == 1


def test_exactly_one_scheduler_and_a_migration_job() -> None:
    scheduler = named("Deployment", "netwerkregie-scheduler")
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"] == {"type": "Recreate"}
    entrypoint = (ROOT / "deploy" / "entrypoint").read_text()
    roles = set(re.findall(r"^  (\w+)\)$", entrypoint, re.MULTILINE))
    args = {d["metadata"]["name"]: d["spec"]["template"]["spec"]["containers"][0]["args"]
            for d in documents() if d["kind"] in {"Deployment", "Job"}}
    assert args == {"netwerkregie-web": ["web"], "netwerkregie-scheduler": ["scheduler"],
                    "netwerkregie-migrate": ["migrate"]}
    assert all(arg[0] in roles for arg in args.values())
    config = named("ConfigMap", "netwerkregie")["data"]
    assert config["MIGRATE_ON_START"] == "0"  # the Job migrates, the web pods do not race it


def test_pods_run_as_the_images_user_without_privileges() -> None:
    uid = int(re.search(r"^USER (\d+)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)[1])
    for spec in pod_specs():
        assert spec["securityContext"]["runAsUser"] == uid
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            assert container["securityContext"] == {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                                    "capabilities": {"drop": ["ALL"]}}
            assert container["resources"]["requests"]["cpu"]
            assert container["resources"]["limits"]["memory"]


def test_volumes_are_where_the_image_keeps_its_data() -> None:
    config = named("ConfigMap", "netwerkregie")["data"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    for name in ("NETWERKREGIE_VAR_DIR", "PRIVATE_MEDIA_ROOT", "BACKUP_DIR", "AUDIT_WITNESS_PATH"):
        assert f"{name}={config[name]}" in dockerfile, name
    claims = {d["metadata"]["name"] for d in documents() if d["kind"] == "PersistentVolumeClaim"}
    for name in ("netwerkregie-web", "netwerkregie-scheduler"):
        spec = named("Deployment", name)["spec"]["template"]["spec"]
        mounts = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
        assert {"/var/lib/netwerkregie", "/var/lib/netwerkregie-witness", "/tmp"} <= mounts  # noqa: S108
        assert {v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"] if "persistentVolumeClaim" in v} \
            == claims
        assert Path(config["AUDIT_WITNESS_PATH"]).parent.as_posix() in mounts


def test_secrets_come_from_files_and_the_settings_start_with_them(tmp_path: Path) -> None:
    settings_text = "\n".join(path.read_text() for path in [ROOT / "src" / "netwerkregie" / "settings.py",
                               *sorted((ROOT / "src" / "netwerkregie" / "configuration").glob("*.py"))])
    read_by_settings = set(re.findall(r'env_\w+\(\s*"([A-Z_0-9]+)"', settings_text))
    gunicorn = set(re.findall(r'environ\.get\("([A-Z_0-9]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    config = named("ConfigMap", "netwerkregie")["data"]
    unknown = set(config) - read_by_settings - gunicorn - {"DJANGO_SETTINGS_MODULE", "MIGRATE_ON_START"}
    assert not unknown, f"set in the ConfigMap, read by nothing: {sorted(unknown)}"
    required = {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "IDENTIFIER_HASH_KEY", "DATABASE_URL"}
    for spec in pod_specs():
        secret_dirs = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"] if m.get("readOnly")}
        files = {e["name"].removesuffix("_FILE"): e["value"] for e in spec["containers"][0]["env"]}
        assert required <= set(files)
        assert all(str(Path(path).parent) in secret_dirs for path in files.values())
        assert not set(files) & set(config), "a secret must not also be in the ConfigMap"

    # The pods' environment (ConfigMap and secret files) is enough for the production settings.
    secrets = {"SECRET_KEY": "k8s-" + "s" * 50, "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
               "IDENTIFIER_HASH_KEY": "h" * 48, "BACKUP_ENCRYPTION_KEY": "b" * 44,
               "DATABASE_URL": f"sqlite:///{tmp_path / 'k8s.sqlite3'}"}
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "NODE_MODULES_DIR": str(ROOT / "node_modules"),
           **{k: v for k, v in config.items() if k not in {"NETWERKREGIE_VAR_DIR", "PRIVATE_MEDIA_ROOT", "BACKUP_DIR",
                                                          "AUDIT_WITNESS_PATH"}},
           "NETWERKREGIE_VAR_DIR": str(tmp_path / "var")}
    for name, value in secrets.items():
        (tmp_path / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    code = ("import django; django.setup(); from django.conf import settings as s;"
            "print(s.SECRET_KEY[:4], s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS[0])")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["k8s-", "django.db.backends.sqlite3", config["ALLOWED_HOSTS"]]
