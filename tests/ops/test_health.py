"""Health endpoints for load balancers and monitoring; request ids and structured logs."""

import datetime
import json
import logging
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from netwerkregie.ops import lease
from netwerkregie.ops.models import JobRun
from netwerkregie.ops.request_id import RequestIdFilter, request_id

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.django_db
def test_liveness_answers_without_a_session_a_host_check_or_https(settings) -> None:
    settings.ALLOWED_HOSTS = ["netwerkregie.example.nl"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/health/live", HTTP_HOST="10.0.0.7:8000")  # a probe on the internal address
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


@pytest.mark.django_db
def test_readiness_is_the_web_process_own_and_answers_without_a_scheduler() -> None:
    """No scheduler has ever run here: a load balancer must still send requests to this web process."""
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": True, "migrations": True}}


@pytest.mark.django_db
def test_the_scheduler_has_its_own_health(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=False)
    response = Client().get("/health/scheduler", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 503  # no heartbeat
    assert response.json() == {"status": "not ok", "checks": {"heartbeat": False, "failed": [], "missed": []}}
    with pytest.raises(CommandError):
        call_command("check_scheduler", stdout=StringIO())  # what the scheduler container's health check runs

    for job, at in (("backup", (1, 30)), ("purge", (2, 30)), ("verify_audit", (3, 15)), ("announce_due", (6, 0))):
        JobRun.objects.create(job=job, started_at=datetime.datetime(2026, 11, 25, *at, tzinfo=AMSTERDAM), ok=True)
    assert lease.acquire("scheduler-1")  # what the scheduler does every tick: its heartbeat
    response = Client().get("/health/scheduler")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"heartbeat": True, "failed": [], "missed": []}}
    call_command("check_scheduler", stdout=StringIO())

    JobRun.objects.create(job="purge", ok=False, summary="RuntimeError: x", finished_at=timezone.now())
    response = Client().get("/health/scheduler")
    assert response.status_code == 503
    assert response.json()["checks"]["failed"] == ["purge"]
    JobRun.objects.create(job="purge", ok=True, finished_at=timezone.now())
    assert Client().get("/health/scheduler").status_code == 200  # a later success clears it

    time_machine.shift(datetime.timedelta(days=1, hours=-4))  # 05:00 the next morning; the scheduler stopped
    response = Client().get("/health/scheduler")
    assert response.status_code == 503
    assert response.json()["checks"] == {"heartbeat": False, "failed": [],
                                         "missed": ["backup", "purge", "verify_audit"]}
    assert Client().get("/health/ready").status_code == 200  # the web processes stay in service


@pytest.mark.django_db
def test_readiness_fails_while_a_migration_is_missing() -> None:
    from netwerkregie.ops.models import JobRun

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops'")
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] is False
    assert JobRun.objects.count() == 0


@pytest.mark.django_db
def test_health_answers_hold_nothing_about_people_or_configuration(users) -> None:
    for path in ("/health/live", "/health/ready", "/health/scheduler"):
        body = Client().get(path).content.decode()
        assert set(json.loads(body)) <= {"status", "checks"}
        assert "@" not in body
        assert "sqlite" not in body.lower()
        assert "postgres" not in body.lower()


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_sane_one_is_kept() -> None:
    fresh = Client().get("/accounts/login/")
    assert len(fresh["X-Request-ID"]) == 32
    kept = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    replaced = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id(settings) -> None:
    from pythonjsonlogger.json import JsonFormatter

    formatter_config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(formatter_config["fmt"], rename_fields=formatter_config["rename_fields"])
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("netwerkregie.test")
    logger.addHandler(handler)
    token = request_id.set("abc123def456")
    try:
        logger.error("Scheduled job %s failed", "purge")
    finally:
        request_id.reset(token)
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["level"] == "ERROR"
    assert line["logger"] == "netwerkregie.test"
    assert line["request_id"] == "abc123def456"
    assert line["message"] == "Scheduled job purge failed"
    assert "time" in line
