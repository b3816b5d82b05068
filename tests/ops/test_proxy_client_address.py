"""The client address behind a real reverse proxy: Debian's nginx on loopback in front of gunicorn, both
started as in production (``deploy/entrypoint web`` with ``BEHIND_TLS_PROXY=1`` and
``FORWARDED_ALLOW_IPS=127.0.0.1``).

Two browsers are told apart the honest way: each connects to nginx from its own loopback source address
(127.0.0.2 and 127.0.0.3; all of 127.0.0.0/8 is the loopback interface), so nginx's ``$remote_addr`` differs
and nginx appends it to ``X-Forwarded-For`` with the stock ``$proxy_add_x_forwarded_for``. Gunicorn sees every
request come from nginx at 127.0.0.1. The one thing nginx does not do here is TLS: it sets
``X-Forwarded-Proto: https`` as the TLS-terminating proxy would, and the test speaks plain HTTP to it.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.ops.test_deploy import ROOT, free_port, production_env, session_commands

HOST = "netwerkregie.example.nl"
PASSWORD = "a long enough password for paul"

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_buffering off;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


class Browser:
    """Just enough of a browser: one source address, the CSRF cookie and token, no redirects followed."""

    def __init__(self, port: int, source: str, **headers: str) -> None:
        self.port, self.source, self.headers = port, source, headers
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20, source_address=(self.source, 0))
        headers = {"Host": HOST, **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}",
                        "Referer": f"https://{HOST}{path}"}
        try:
            connection.request(method, path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            connection.close()

    def sign_in(self, email: str, password: str) -> tuple[int, str]:
        if not self.token:
            status, page = self.request("GET", "/accounts/login/")
            assert status == 200, page[:500]
            self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]  # type: ignore[index]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, "username": email, "password": password})
        return self.request("POST", "/accounts/login/", form)


def wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if Browser(port, "127.0.0.1").request("GET", "/health/live")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what} did not come up: {process.stdout.read().decode() if process.stdout else ''}")


@pytest.mark.sqlite_only  # gunicorn runs on its own SQLite file; once per test run is enough
def test_behind_nginx_the_lockout_and_the_audit_log_see_each_client(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "Debian's nginx is needed: scripts/system-deps nginx"
    database = tmp_path / "proxy.sqlite3"
    upstream, port = free_port(), free_port()
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{database}", GUNICORN_BIND=f"127.0.0.1:{upstream}",
                         WEB_CONCURRENCY="1", BEHIND_TLS_PROXY="1", FORWARDED_ALLOW_IPS="127.0.0.1",
                         STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
                         MIGRATE_ON_START="0", GUNICORN_ACCESS_LOG="/dev/null", LOG_LEVEL="ERROR")
    entrypoint = str(ROOT / "deploy" / "entrypoint")
    subprocess.run([entrypoint, "migrate"], env=env, capture_output=True, check=True)
    subprocess.run([entrypoint, "manage", "create_user", "paul@example.nl", "--name", "Paul", "--role",
                    "programme_officer", "--password-stdin"], env=env, input=PASSWORD.encode(),
                   capture_output=True, check=True)
    (tmp_path / "nginx.conf").write_text(NGINX_CONF.format(dir=tmp_path, port=port, upstream=upstream))

    web = subprocess.Popen([entrypoint, "web"], env=env, start_new_session=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(upstream, web, "gunicorn")
        wait_for(port, proxy, "nginx")
        assert "gunicorn" in session_commands(web.pid)

        # A guesser at 127.0.0.2, who also sends a made-up X-Forwarded-For, tries names it made up.
        guesser = Browser(port, "127.0.0.2", **{"X-Forwarded-For": "198.51.100.99"})
        statuses = [guesser.sign_in(f"nobody{n}@example.nl", "wrong password")[0] for n in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        status, page = guesser.sign_in("paul@example.nl", PASSWORD)
        assert status == 429
        assert "Vanaf uw netwerkadres" in page
        # Paul, at 127.0.0.3, comes through the same nginx and signs in.
        assert Browser(port, "127.0.0.3").sign_in("paul@example.nl", PASSWORD)[0] == 302
        # Straight to gunicorn from 127.0.0.4 (not a trusted proxy): its X-Forwarded-For is ignored.
        assert Browser(upstream, "127.0.0.4", **{"X-Forwarded-For": "198.51.100.98", "X-Forwarded-Proto": "https"}
                       ).sign_in("nobody@example.nl", "wrong password")[0] == 200
    finally:
        for process in (proxy, web):  # each leads its own session: stop it with everything it started
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)

    with sqlite3.connect(database) as db:
        events = db.execute("SELECT action, source_address FROM core_auditevent ORDER BY sequence").fetchall()
        attempts = db.execute("SELECT DISTINCT ip_address FROM axes_accessattempt").fetchall()
    by_action: dict[str, list[str]] = {}
    for action, source in events:
        by_action.setdefault(action, []).append(source)
    assert set(by_action["login_failed"]) == {"127.0.0.2", "127.0.0.4"}
    assert by_action["login"] == ["127.0.0.3"]
    assert set(by_action["lockout"]) == {"127.0.0.2"}
    assert {row[0] for row in attempts} == {"127.0.0.2", "127.0.0.4"}
    seen = {source for _, source in events}
    assert not seen & {"127.0.0.1", "198.51.100.99", "198.51.100.98"}  # never the proxy, never a made-up header
