"""Two gunicorn instances on one PostgreSQL, writing at once, with the audit witness sent to a syslog
collector (as two web pods of deploy/kubernetes/ do): the chain stays linear and verifies, and the witness
misses nothing."""

import http.client
import json
import os
import re
import signal
import socketserver
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.ops.test_deploy import ROOT, free_port, get, production_env

SUBMISSIONS_PER_INSTANCE = 40


class _Collector(socketserver.ThreadingUDPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Line)
        self.lines: list[str] = []


class _Line(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.lines.append(self.request[0].decode())  # type: ignore[attr-defined]


def _wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if get(f"{base}/health/live")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(server.stdout.read().decode() if server.stdout else "did not start")


def _submit(port: int, token: str, key: str) -> int:
    body = json.dumps({"description": f"Zorgen over gedrag op het plein ({key}).", "subject_name": "Test Persoon"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/v1/signals", body=body, headers={
            "Host": "netwerkregie.example.nl", "X-Forwarded-Proto": "https", "Content-Type": "application/json",
            "Authorization": f"Token {token}", "Idempotency-Key": key})
        return connection.getresponse().status
    finally:
        connection.close()


def _witnessed(lines: list[str]) -> set[int]:
    return {json.loads(line.split("netwerkregie-audit: ", 1)[1].rstrip("\x00\n"))["seq"] for line in list(lines)
            if "netwerkregie-audit: " in line and '"seq"' in line}


@pytest.mark.postgres_only
def test_two_instances_write_one_linear_chain_and_the_syslog_witness_sees_every_event(tmp_path: Path,
                                                                                    own_database: str) -> None:
    collector = _Collector()
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    env = production_env(tmp_path, DATABASE_URL=own_database, WEB_CONCURRENCY="2",
                         BEHIND_TLS_PROXY="1", MIGRATE_ON_START="0", API_RATE="100000/min",
                         AUDIT_WITNESS_SYSLOG=f"127.0.0.1:{collector.server_address[1]}")
    entrypoint = str(ROOT / "deploy" / "entrypoint")
    subprocess.run([entrypoint, "migrate"], env=env, check=True, capture_output=True)
    setup = ("from netwerkregie.network.models import Organisation, Sector;"
             "from netwerkregie.api.models import ApiToken;"
             "o = Organisation.objects.create(name='Het Testcollege', sector=Sector.SCHOOL);"
             "print(ApiToken.issue(o, 'load')[1])")
    token = subprocess.run([entrypoint, "manage", "shell", "-c", setup], env=env, check=True, capture_output=True,
                           text=True).stdout.split()[-1]
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([entrypoint, "web"], cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                                start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
               for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_ready(f"http://127.0.0.1:{port}", server)
        jobs = [(port, f"load-{port}-{n}") for n in range(SUBMISSIONS_PER_INSTANCE) for port in ports]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda job: _submit(job[0], token, job[1]), jobs))
        assert statuses == [201] * len(jobs)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    outputs = [server.stdout.read().decode(errors="replace")[-3000:] for server in servers if server.stdout]

    verify = subprocess.run([entrypoint, "manage", "verify_audit"], env=env, capture_output=True, text=True,
                            check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    events = int(re.search(r"Audit chain intact: (\d+) events", verify.stdout)[1])
    assert events >= 2 * SUBMISSIONS_PER_INSTANCE  # one event per submission, and the setup's

    in_file = {json.loads(line)["seq"] for line in Path(env["AUDIT_WITNESS_PATH"]).read_text().splitlines()
               if '"seq"' in line}
    assert in_file == set(range(1, events + 1)), Path(env["AUDIT_WITNESS_PATH"]).read_text()[:2000]
    deadline = time.monotonic() + 10  # datagrams sent on loopback may still be in the collector's threads
    while len(seen := _witnessed(collector.lines)) < events and time.monotonic() < deadline:
        time.sleep(0.05)
    collector.shutdown()
    assert seen == set(range(1, events + 1)), (sorted(seen)[:5], collector.lines[:3], outputs)
