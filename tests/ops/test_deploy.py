"""The production entry points, tested without Docker: `make serve`'s script with gunicorn on
PostgreSQL, the image's entry point, and the Dockerfile and compose file kept truthful."""

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", "HOME": str(tmp_path),
        "PYTHON": str(ROOT / ".venv" / "bin" / "python"), "DJANGO_SETTINGS_MODULE": "netwerkregie.settings",
        "SECRET_KEY": "serve-test-" + "x" * 50, "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "IDENTIFIER_HASH_KEY": "serve-test-hash-key-" + "y" * 30, "ALLOWED_HOSTS": "netwerkregie.example.nl",
        "NETWERKREGIE_VAR_DIR": str(tmp_path / "var"), "STATIC_ROOT": str(tmp_path / "static"),
        "AUDIT_WITNESS_PATH": str(tmp_path / "witness" / "audit-chain.jsonl"),
        "NODE_MODULES_DIR": str(ROOT / "node_modules"), "ENV_FILE": str(tmp_path / "no.env"), **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, bytes]:
    """GET without following redirects."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def session_commands(session: int) -> str:
    """The command lines of every process in a session (from /proc: no procps needed)."""
    lines = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) == session:
                lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ProcessLookupError):
            continue
    return "\n".join(lines)


@pytest.mark.postgres_only
def test_make_serve_runs_gunicorn_and_the_scheduler_on_postgresql(tmp_path: Path, own_database: str) -> None:
    port = free_port()
    env = production_env(tmp_path, DATABASE_URL=own_database, GUNICORN_BIND=f"127.0.0.1:{port}",
                         WEB_CONCURRENCY="2", BEHIND_TLS_PROXY="1")
    server = subprocess.Popen([str(ROOT / "scripts" / "serve")], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        # Generous: it migrates a database of its own from scratch, while other workers keep the cores busy.
        deadline, ready = time.monotonic() + 300, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                ready = get(f"{base}/health/ready")
            except OSError:
                time.sleep(0.5)
                continue
            if ready[0] == 200:
                break
            time.sleep(0.5)
        assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
        assert ready is not None, ready
        assert ready[0] == 200, ready
        assert b'"migrations": true' in ready[1]
        assert b"scheduler" not in ready[1]
        assert get(f"{base}/health/live")[0] == 200
        scheduler = None  # its own health: beating, and the daily jobs it found missed made up at start
        while time.monotonic() < deadline and (scheduler := get(f"{base}/health/scheduler"))[0] != 200:
            time.sleep(0.5)
        assert scheduler is not None, scheduler
        assert scheduler[0] == 200, scheduler

        # Through the TLS proxy: the login page and its stylesheet from the collected, hashed files.
        status, body = get(f"{base}/accounts/login/", Host="netwerkregie.example.nl", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        stylesheet = re.search(rb'href="(/static/netwerkregie/app\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, body[:500]
        assert get(base + stylesheet[1].decode(), Host="netwerkregie.example.nl",
                   **{"X-Forwarded-Proto": "https"})[0] == 200
        # Without the proxy's header, plain HTTP is sent to HTTPS; an unknown host gets nothing.
        assert get(f"{base}/accounts/login/", Host="netwerkregie.example.nl")[0] == 301
        assert get(f"{base}/accounts/login/", Host="evil.example", **{"X-Forwarded-Proto": "https"})[0] == 400
        processes = session_commands(server.pid)
        assert "gunicorn" in processes
        assert "run_scheduler" in processes
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_the_entry_point_migrates_runs_commands_and_refuses_unknown_roles(tmp_path: Path) -> None:
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    entrypoint = str(ROOT / "deploy" / "entrypoint")
    migrate = subprocess.run([entrypoint, "migrate"], env=env, capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stderr
    assert "Applying core.0001_initial" in migrate.stdout
    verify = subprocess.run([entrypoint, "manage", "verify_audit"], env=env, capture_output=True, text=True,
                            check=False)
    assert verify.returncode == 0, verify.stderr
    assert "Audit chain intact: 0 events" in verify.stdout
    health = subprocess.run([entrypoint, "manage", "check_scheduler"], env=env, capture_output=True, text=True,
                            check=False)
    assert health.returncode == 1
    assert '"heartbeat": false' in health.stderr
    unknown = subprocess.run([entrypoint, "shell-please"], env=env, capture_output=True, text=True, check=False)
    assert unknown.returncode == 64
    assert "usage" in unknown.stderr
    no_secret = subprocess.run([entrypoint, "migrate"], env={k: v for k, v in env.items() if k != "SECRET_KEY"},
                               capture_output=True, text=True, check=False)
    assert no_secret.returncode != 0
    assert "SECRET_KEY" in no_secret.stderr


def test_make_serve_refuses_anything_but_postgresql(tmp_path: Path) -> None:
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run([str(ROOT / "scripts" / "serve")], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr


def test_the_dockerfile_and_compose_file_are_truthful() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "compose.yaml").read_text()
    entrypoint = (ROOT / "deploy" / "entrypoint").read_text()
    settings = "\n".join(path.read_text() for path in [ROOT / "src" / "netwerkregie" / "settings.py",
                          *sorted((ROOT / "src" / "netwerkregie" / "configuration").glob("*.py"))])
    pyproject = (ROOT / "pyproject.toml").read_text()

    for source in re.findall(r"^COPY (?!--from)(.+?) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies {path}, which does not exist"
    assert re.search(r"^USER (?!0\b|root\b)\S+", dockerfile, re.MULTILINE), "the image must not run as root"
    assert 'ENTRYPOINT ["/app/deploy/entrypoint"]' in dockerfile
    assert os.access(ROOT / "deploy" / "entrypoint", os.X_OK)
    assert "collectstatic" in dockerfile
    assert "npm ci" in dockerfile
    python = re.search(r'requires-python = ">=(\d+\.\d+)', pyproject)[1]
    assert all(tag.startswith(python) for tag in re.findall(r"FROM python:(\S+?)-", dockerfile))
    postgres_major = re.search(r"image: postgres:(\d+)", compose)[1]
    assert f"postgresql-client-{postgres_major}" in dockerfile  # pg_dump of the same major version

    roles = set(re.findall(r"^  (\w+)\)$", entrypoint, re.MULTILINE))
    assert {"web", "scheduler", "migrate", "manage"} <= roles
    for command in re.findall(r'command: \["(\w+)"\]', compose):
        assert command in roles, command
    assert {"db:", "migrate:", "web:", "scheduler:"} <= {line.strip() for line in compose.splitlines()}
    # The scheduler container is checked by the scheduler's own health, which the entry point can run.
    scheduler = "\n".join(line for line in compose[compose.index("\n  scheduler:"):].splitlines()
                          if not line.lstrip().startswith("#"))
    check = re.search(r'healthcheck:\s+test: \["CMD", "/app/deploy/entrypoint", "manage", "(\w+)"\]', scheduler)
    assert check
    assert (ROOT / "src" / "netwerkregie" / "ops" / "management" / "commands" / f"{check[1]}.py").exists()
    assert "/health/ready" not in scheduler
    assert "/health/ready" not in dockerfile

    read_by_settings = set(re.findall(r'env_\w+\(\s*"([A-Z_0-9]+)"', settings))
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    read_elsewhere = set(re.findall(r'environ\.get\("([A-Z_0-9]+)"', gunicorn)) | {
        "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MIGRATE_ON_START", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED",
        "POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"}
    mentioned = set(re.findall(r"^\s+([A-Z][A-Z_0-9]+):", compose, re.MULTILINE))
    mentioned |= set(re.findall(r"^\s+([A-Z][A-Z_0-9]+)=", dockerfile, re.MULTILINE))
    mentioned |= set(re.findall(r"^ENV ([A-Z][A-Z_0-9]+)=", dockerfile, re.MULTILINE))
    assert mentioned, "no variables found"
    unknown = mentioned - read_by_settings - read_elsewhere
    assert not unknown, f"variables set for the container that nothing reads: {sorted(unknown)}"
    example = (ROOT / ".env.example").read_text()
    missing = {name for name in read_by_settings if f"{name}=" not in example}
    assert not missing, f".env.example does not document: {sorted(missing)}"
