"""Gunicorn, the production application server (``make serve``, the container's ``web`` command).

Every value can be set from the environment; the defaults fit one container behind a TLS proxy.
"""

import multiprocessing
import os

# The project's source first on the path, as manage.py has it (the image and `make serve` alike).
pythonpath = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers: Django requests here are short and database-bound.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a PDF export can take a few seconds; nothing takes a minute
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))  # SIGTERM/SIGHUP: finish requests in flight
keepalive = 5
# Recycle workers now and then (memory hygiene); the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Only the TLS proxy may say which scheme and client address a request had (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow container layer.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, owned by root
# Access log: JSON, with the request id, path without query string and without client address, so
# no search term or other personal data reaches the log collector.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = ('{"time":"%(t)s","request_id":"%({x-request-id}o)s","method":"%(m)s","path":"%(U)s",'
                     '"status":"%(s)s","bytes":"%(B)s","duration_ms":"%(M)s"}')
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker: object) -> None:
    """Count the figures page's cells for this year and last year (``reports.kept.warm``) before the worker
    serves, so no reader waits for a worker's first count (seconds at national scale); then freeze what the
    worker has loaded (Django, the URLs, the settings, those cells): the collector no longer walks those objects
    at every full collection, which otherwise stalls a request now and then (tens of ms)."""
    import gc

    if os.environ.get("FIGURES_WARM_AT_START", "1") == "1":
        import time

        from django.db import connections

        from netwerkregie.reports.kept import warm

        started = time.monotonic()
        try:
            warm(step=worker.notify)  # type: ignore[attr-defined]
            worker.log.info("figures counted at start in %.1f s", time.monotonic() - started)  # type: ignore[attr-defined]
        except Exception:  # a database not migrated yet: the first reader counts, as before
            worker.log.exception("figures not counted at start")  # type: ignore[attr-defined]
        finally:
            connections.close_all()
    gc.collect()
    gc.freeze()
