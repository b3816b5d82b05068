import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.urls import reverse

from netwerkregie.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def production_settings(**env: str) -> dict[str, object]:
    """Import the production settings in a fresh interpreter with exactly this environment."""
    code = (
        "import json, django.conf as c; from netwerkregie import settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'DEMO': s.DEMO, 'DATABASES': s.DATABASES,"
        " 'SESSION_COOKIE_SECURE': s.SESSION_COOKIE_SECURE, 'HSTS': s.SECURE_HSTS_SECONDS,"
        " 'SESSION_COOKIE_AGE': s.SESSION_COOKIE_AGE}, default=str))"
    )
    clean = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "IDENTIFIER_HASH_KEY": "h" * 48, **env}
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise ImproperlyConfigured(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_production_is_secure_by_default() -> None:
    values = production_settings(SECRET_KEY="x" * 50)
    assert values["DEBUG"] is False
    assert values["DEMO"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["HSTS"] == 31536000
    assert values["SESSION_COOKIE_AGE"] == 15 * 60


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        production_settings()


def test_a_bad_value_stops_start_up_with_its_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        production_settings(SECRET_KEY="x" * 50, DEBUG="maybe")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_MINUTES must be a whole number"):
        production_settings(SECRET_KEY="x" * 50, SESSION_IDLE_MINUTES="ten")


def test_database_url_selects_postgresql_or_an_sqlite_file(tmp_path: Path) -> None:
    pg = production_settings(SECRET_KEY="x" * 50, DATABASE_URL="postgres://app:pw@db.local:5432/nr")
    assert pg["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"  # type: ignore[index]
    assert pg["DATABASES"]["default"]["NAME"] == "nr"  # type: ignore[index]
    lite = production_settings(SECRET_KEY="x" * 50, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    default = lite["DATABASES"]["default"]  # type: ignore[index]
    assert default["NAME"] == f"{tmp_path}/x.sqlite3"
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_env_parsers_accept_what_they_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("COUNT", "7")
    assert env_bool("FLAG", False) is True
    assert env_int("COUNT", 1) == 7
    monkeypatch.setenv("COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("COUNT", 1)


@pytest.mark.sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout() -> None:
    with connection.cursor() as cursor:
        pragmas = {
            name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 20000}


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "check-deploy")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy() -> None:
    response = Client().get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content
    assert b" style=" not in response.content


def test_a_secret_can_be_read_from_the_file_named_by_name_file(tmp_path: Path) -> None:
    # Docker and Kubernetes mount secrets as files; a mounted file ends with a newline, which is not the secret's.
    secret = tmp_path / "secret_key"
    secret.write_text("s" * 50 + "\n")
    values = production_settings(SECRET_KEY_FILE=str(secret), SESSION_IDLE_MINUTES_FILE=str(_file(tmp_path, "20")))
    assert values["SESSION_COOKIE_AGE"] == 20 * 60
    code = "from django.conf import settings as s; print(len(s.SECRET_KEY), s.SECRET_KEY[:3])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={
        "PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "IDENTIFIER_HASH_KEY": "h" * 48,
        "DJANGO_SETTINGS_MODULE": "netwerkregie.settings", "SECRET_KEY_FILE": str(secret)})
    assert result.stdout.split() == ["50", "sss"]


def test_a_secret_given_twice_or_from_a_missing_file_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="either SECRET_KEY or SECRET_KEY_FILE"):
        production_settings(SECRET_KEY="x" * 50, SECRET_KEY_FILE=str(_file(tmp_path, "y" * 50)))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE names a file that cannot be read"):
        production_settings(SECRET_KEY_FILE=str(tmp_path / "absent"))


def _file(directory: Path, text: str) -> Path:
    path = directory / f"value-{len(list(directory.iterdir()))}"
    path.write_text(text)
    return path


def test_starttls_and_ssl_together_stop_start_up() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_USE_TLS .* or EMAIL_USE_SSL .*not both"):
        production_settings(SECRET_KEY="x" * 50, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND is the backend that delivers the outbox"):
        production_settings(SECRET_KEY="x" * 50, EMAIL_BACKEND="mailer.backend.DbBackend")


def test_the_mail_settings_reach_the_backend_that_delivers_the_outbox(tmp_path: Path) -> None:
    """What the job connects with: the SMTP backend with the relay's user, password (here from a file), SSL
    and timeout as given; every send_mail goes to the outbox."""
    secret = _file(tmp_path, "relay-secret\n")
    code = ("import json, django; django.setup(); from django.conf import settings as s;"
            "from django.core.mail import get_connection as g; c = g(s.MAILER_EMAIL_BACKEND);"
            "print(json.dumps([s.EMAIL_BACKEND, type(c).__module__, c.host, c.port, c.username, c.password,"
            " c.use_ssl, c.use_tls, c.timeout]))")
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "IDENTIFIER_HASH_KEY": "h" * 48,
           "DJANGO_SETTINGS_MODULE": "netwerkregie.settings", "SECRET_KEY": "x" * 50,
           "EMAIL_HOST": "smtp.gemeente.test", "EMAIL_PORT": "465", "EMAIL_HOST_USER": "netwerkregie",
           "EMAIL_HOST_PASSWORD_FILE": str(secret), "EMAIL_USE_SSL": "true", "EMAIL_TIMEOUT": "7"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == ["netwerkregie.core.outbox.OutboxBackend", "django.core.mail.backends.smtp",
                                         "smtp.gemeente.test", 465, "netwerkregie", "relay-secret", True, False, 7]
    with pytest.raises(ImproperlyConfigured, match="EMAIL_TIMEOUT must be at least 1"):
        production_settings(SECRET_KEY="x" * 50, EMAIL_TIMEOUT="0")
