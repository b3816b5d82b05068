"""The per-token rate limit holds across server processes: gunicorn runs several workers, and a count kept
in each process' memory would allow the rate once per worker. Two separate gunicorn servers on one
PostgreSQL database share the count (the ``api`` database cache)."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ops.test_deploy import ROOT, free_port, production_env

pytestmark = pytest.mark.postgres_only


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "netwerkregie.wsgi",
         "-b", f"127.0.0.1:{port}", "-w", "1", "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, port


def status_read(port: int, token: str) -> tuple[int, str | None]:
    deadline = time.monotonic() + 60
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/api/v1/signals/S-0000-NONE",
                               headers={"Authorization": f"Token {token}", "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Retry-After")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        finally:
            connection.close()


def test_two_server_processes_share_one_count_per_token(tmp_path: Path, own_database: str) -> None:
    env = {**production_env(tmp_path, DATABASE_URL=own_database, SECURE_TRANSPORT="0",
                            ALLOWED_HOSTS="127.0.0.1", API_RATE="3/min", LOG_LEVEL="ERROR"),
           "PYTHONPATH": str(ROOT / "src")}
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", "from netwerkregie.network.models import Organisation as O; "
                               "O.objects.get_or_create(name='Rate Lyceum', sector='school')")
    token = manage(env, "issue_api_token", "Rate Lyceum").split()[-1]
    first, first_port = start_server(env)
    second, second_port = start_server(env)
    try:
        assert [status_read(first_port, token)[0] for _ in range(3)] == [404, 404, 404]
        status, retry_after = status_read(second_port, token)
        assert status == 429
        assert retry_after is not None
        assert 0 < int(retry_after) <= 60
    finally:
        for server in (first, second):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
