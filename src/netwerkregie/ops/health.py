"""Liveness and readiness for load balancers and monitoring, the scheduler's health, and a request
id on every request.

The health answers come from a middleware at the top of the stack: no session, no host check, no
redirect to HTTPS, no authentication, so a probe on the internal port always gets through; they
say only what is up and what is not, never anything about a person or the configuration.
Readiness is this web process's own (database, migrations): a silent scheduler must not take
every web process out of a load balancer. The scheduler has its own answer, ``/health/scheduler``,
for monitoring and for the scheduler container's health check.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse

from netwerkregie.ops import jobs
from netwerkregie.ops.request_id import request_id

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def readiness() -> dict[str, bool | None]:
    checks: dict[str, bool | None] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
    except DatabaseError:
        return {"database": False, "migrations": None}
    try:
        executor = MigrationExecutor(connection)
        checks["migrations"] = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        checks["migrations"] = False
    return checks


def scheduler_health() -> dict[str, bool | list[str]]:
    """Whether a scheduler beats (renewed its lease lately), and which jobs failed or missed their time
    (names only)."""
    try:
        return {"heartbeat": jobs.heartbeat_is_recent(), "failed": [state.job.name for state in jobs.failed()],
                "missed": [late.job.name for late in jobs.missed()]}
    except DatabaseError:
        return {"heartbeat": False, "failed": [], "missed": []}


def scheduler_is_healthy(checks: dict[str, bool | list[str]]) -> bool:
    return checks["heartbeat"] is True and not checks["failed"] and not checks["missed"]


def _json(payload: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthAndRequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/health/live":
            return _json({"status": "ok"}, 200)
        if request.path == "/health/ready":
            checks = readiness()
            ready = all(value is not False for value in checks.values())
            return _json({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)
        if request.path == "/health/scheduler":
            scheduler = scheduler_health()
            healthy = scheduler_is_healthy(scheduler)
            return _json({"status": "ok" if healthy else "not ok", "checks": scheduler}, 200 if healthy else 503)
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        token = request_id.set(incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)
