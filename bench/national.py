"""National-scale benchmark: fill a scratch database, serve it with gunicorn, and print figures.

    .venv/bin/python bench/national.py                        # SQLite, default scale (see national_data)
    scripts/with-postgres .venv/bin/python bench/national.py  # the same on a throw-away PostgreSQL
    .venv/bin/python bench/national.py --scale 0.05           # a quick look
    .venv/bin/python bench/national.py --backlog 20000        # and 20,000 new signals waiting for triage

Prints p50/p95 of every list, dashboard and detail page as the role that uses it, partner-API
submissions at concurrency 1/4/16 beside a bare Django view (``bench_urls``: the same POST through the same
middleware, doing nothing), the API's view validating without storing, a bare view committing one row, and
the health probe under the same server, the ``verify_audit`` rate (whole and from a checkpoint),
"Vandaag" per role with its queries (``--backlog 20000``: new signals waiting), the figures page after a
change, and the time to purge 10,000 expired records; and the ratios, which are what to
compare across machines (these are shared, noisy machines: absolute times vary)."""

import argparse
import datetime
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netwerkregie.settings_dev")
os.environ["AUDIT_WITNESS_PATH"] = ""  # the chain here is a scratch chain; no witness to keep in step
# Throughput is measured with one token: the per-token rate limit (60 a minute by default) would stop it. The
# limit's own cost (its counter in the database cache) is still paid on every request, and so measured.
os.environ.setdefault("API_RATE", "1000000/min")
REUSE = sys.argv[sys.argv.index("--reuse") + 1] if "--reuse" in sys.argv else None
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    pass  # the PostgreSQL database named (with --reuse: filled by a run before, when it holds the bench's users)
elif REUSE:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(REUSE).resolve()}"
elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/national.sqlite3"

import django  # noqa: E402

django.setup()

from backlog import add_backlog  # noqa: E402
from bench_urls import create_durable_table  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from national_data import Scale, audit, fill  # noqa: E402
from today_bench import figures_after_change, today_per_role  # noqa: E402

from netwerkregie.api.models import ApiToken  # noqa: E402
from netwerkregie.cases.models import Case  # noqa: E402
from netwerkregie.core.audit import log_event, verify_chain, verify_since  # noqa: E402
from netwerkregie.core.models import AuditAction, User  # noqa: E402
from netwerkregie.core.roles import Role  # noqa: E402
from netwerkregie.intake.models import AssessmentSession, Signal  # noqa: E402
from netwerkregie.network.models import Organisation  # noqa: E402
from netwerkregie.privacy.purge import purge  # noqa: E402


def filled() -> dict:
    """What ``fill`` returns, read back from a database it filled before (``--reuse``)."""
    return {"users": {role: User.objects.get(email=f"{role}@bench.test") for role in Role.values
                      if User.objects.filter(email=f"{role}@bench.test").exists()},
            "signals": [Signal.objects.filter(person__isnull=False).order_by("pk").first()],
            "cases": [Case.objects.order_by("pk").last()],
            "sessions": [AssessmentSession.objects.order_by("pk").last()],
            "organisations": [Organisation.objects.order_by("pk").first()]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(user: object) -> str:
    """A signed-in session with the second factor passed, made the way the test client makes one."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return f"sessionid={session.session_key}"


def get(url: str, cookie: str = "") -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "nl"})  # noqa: S310
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank: the value below which 95% of the samples fall), in ms."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def pages(data: dict) -> list[tuple[str, str]]:
    signal = next(s for s in data["signals"] if s.person_id)
    case, session = data["cases"][-1], data["sessions"][-1]
    person = signal.person
    year = timezone.localdate().year
    return [
        (Role.COORDINATOR, reverse("home")), (Role.COORDINATOR, reverse("intake:triage")),
        (Role.COORDINATOR, reverse("intake:triage") + "?status=decided&page=20"),
        (Role.COORDINATOR, reverse("intake:signal_detail", args=[signal.reference])),
        (Role.COORDINATOR, reverse("intake:person_detail", args=[person.pseudonym])),
        (Role.COORDINATOR, reverse("intake:session_list")), (Role.COORDINATOR, reverse("cases:case_list")),
        (Role.COORDINATOR, reverse("cases:case_detail", args=[case.reference])),
        (Role.COORDINATOR, reverse("cases:dashboard")), (Role.COORDINATOR, reverse("cases:consultation_list")),
        (Role.COORDINATOR, reverse("network:overview")), (Role.COORDINATOR, reverse("network:organisation_list")),
        (Role.COORDINATOR, reverse("network:contact_moment_list")),
        (Role.COORDINATOR, reverse("search:index") + f"?key={person.pseudonym}"),
        (Role.COORDINATOR, reverse("reports:index") + f"?year={year - 1}"),
        (Role.CORE_PARTNER, reverse("home")), (Role.CORE_PARTNER, reverse("intake:session_detail", args=[session.pk])),
        (Role.CASE_MANAGER, reverse("home")), (Role.CASE_MANAGER, reverse("cases:dashboard")),
        (Role.PARTNER, reverse("home")), (Role.PARTNER, reverse("intake:my_signals")),
        (Role.PROGRAMME_OFFICER, reverse("home")), (Role.PROGRAMME_OFFICER, reverse("programmes:activity_list")),
        (Role.PROGRAMME_OFFICER, reverse("programmes:budget")),
        (Role.PRIVACY_OFFICER, reverse("home")), (Role.PRIVACY_OFFICER, reverse("core:audit_log")),
        (Role.PRIVACY_OFFICER, reverse("privacy:overview")),
        (Role.ANALYST, reverse("home")), (Role.ANALYST, reverse("reports:index") + f"?year={year - 1}"),
        (Role.ADMIN, reverse("home")), (Role.ADMIN, reverse("accounts:user_list")),
    ]


def throughput(url: str, concurrency: int, requests_each: int, make_request) -> float:
    errors: list[Exception] = []

    def worker(number: int) -> None:
        for k in range(requests_each):
            try:
                make_request(url, number, k)
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    assert not errors, errors[:3]
    return concurrency * requests_each / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1: national)")
    parser.add_argument("--audit-events", type=int, default=None, help="override, e.g. 10000000")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page (after a warm-up)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--api-only", action="store_true", help="only the partner-API table (the write path)")
    parser.add_argument("--pages-only", action="store_true", help="pages, Vandaag, figures and the jobs; no API table")
    parser.add_argument("--backlog", type=int, default=0, help="new signals waiting for triage, e.g. 20000")
    parser.add_argument("--fill-only", action="store_true", help="with --reuse: fill (when empty) and analyse, "
                        "measure nothing (fill while the machine is busy, measure when it is quiet)")
    parser.add_argument("--reuse", metavar="FILE", help="a SQLite file to fill once and measure again and again "
                        "(on PostgreSQL: reuse the database of DATABASE_URL; FILE is not read)")
    options = parser.parse_args()
    scale = Scale().times(options.scale)
    if options.audit_events:
        scale.audit_events = options.audit_events

    call_command("migrate", verbosity=0)
    if REUSE and User.objects.filter(email__endswith="@bench.test").exists():
        data = filled()
        print(f"database: {connection.vendor}; reusing {REUSE} ({Signal.objects.count()} signals)")
    else:
        print(f"database: {connection.vendor}; scale: {scale}")
        started = time.perf_counter()
        data = fill(scale, random.Random(7))
        if options.backlog:
            add_backlog(options.backlog, data["users"], random.Random(8))
        # The fill writes its rows and readings without a change on the chain; a database in use has a last change
        # (which the kept figures start from). Without one, the first change after the start recounted everything
        # once (2.1-2.3 s at national scale).
        admin = data["users"][Role.ADMIN]
        log_event(AuditAction.UPDATE, actor=admin, obj=admin, reason="benchmark filled")
        print(f"generated in {time.perf_counter() - started:.0f} s")
    # The planner's statistics, as a maintained database has them (autovacuum on PostgreSQL, PRAGMA optimize on
    # SQLite): the pages must not depend on their absence (SQLite's then take a status for half the signals).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if options.fill_only:
        return

    port = free_port()
    env = {**os.environ, "WEB_CONCURRENCY": str(options.workers), "BIND": f"127.0.0.1:{port}", "LOG_FORMAT": "text",
           "DJANGO_SETTINGS_MODULE": "bench_settings",  # the project's settings with a bare view (bench_urls)
           "GUNICORN_MAX_REQUESTS": "0"}  # no recycling of workers halfway: the steady state is measured
    server = subprocess.Popen(  # noqa: S603 - the production server with its own configuration
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "netwerkregie.wsgi",
         "-b", f"127.0.0.1:{port}", "-w", str(options.workers), "--access-logfile", "/dev/null",
         "--error-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env={**env, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'bench'}"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/health/live")
                break
            except OSError:
                time.sleep(0.2)
        run(base, data, options)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(base: str, data: dict, options: argparse.Namespace) -> None:
    cookies = {role: session_cookie(user) for role, user in data["users"].items()}
    if not options.api_only:
        measure_pages(base, data, cookies, options)
    if not options.pages_only:
        measure_api(base, data)
    if not options.api_only:
        if not options.pages_only:
            measure_readers(base, data, cookies)
        measure_jobs()


def measure_pages(base: str, data: dict, cookies: dict[str, str], options: argparse.Namespace) -> None:
    print(f"\n{'page (role)':<64} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for role, path in pages(data):
        # Warm-up, as many at once as there are workers (each takes one request at a time), so every worker
        # has served the page before the timed requests.
        cookie = cookies[role]
        throughput(base + path, options.workers, 2, lambda url, _worker, _number, cookie=cookie: get(url, cookie))
        p50, p95 = percentiles([get(base + path, cookies[role]) for _ in range(options.requests)])
        worst = max(worst, p95)
        print(f"{path[:52] + ' (' + role + ')':<64} {p50:8.1f} {p95:8.1f}")
    print(f"{'slowest page p95':<64} {worst:8.1f}")
    today_per_role(base, data, cookies, options.requests, get, percentiles)
    figures_after_change(base, cookies, get)


def measure_api(base: str, data: dict) -> None:
    _record, token = ApiToken.issue(data["organisations"][0], label="bench")

    def post(url: str, worker: int, number: int) -> None:
        body = json.dumps({"description": "Deelt filmpjes die geweld verheerlijken.",
                           "subject_name": f"Bench {worker}-{number}", "observations": []}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
            "Authorization": f"Token {token}", "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{worker}-{number}-{time.time_ns()}"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
            response.read()
            assert response.status == 201, response.status

    def probe(url: str, worker: int, number: int) -> None:
        get(url)

    # The references take the same POST through the same middleware (``bench_urls``): the bare view does
    # nothing; "validated" is the API's view class with its token and serializer, storing nothing; "durable
    # write" is the bare view committing the body as one row. The health probe is answered by the first
    # middleware (the floor of the server itself).
    create_durable_table()
    print(f"\n{'concurrency':<12} {'API submissions/s':>18} {'bare view/s':>12} {'ratio':>7} {'validated/s':>12} "
          f"{'durable write/s':>16} {'health probe/s':>15}")
    for concurrency in (1, 4, 16):
        each = max(10, 120 // concurrency)
        api = throughput(base + "/api/v1/signals", concurrency, each, post)
        plain = throughput(base + "/bench/bare/", concurrency, each, post)
        validated = throughput(base + "/bench/validated/", concurrency, each, post)
        durable = throughput(base + "/bench/durable/", concurrency, each, post)
        health = throughput(base + "/health/live", concurrency, each, probe)
        print(f"{concurrency:<12} {api:18.1f} {plain:12.1f} {api / plain:7.2f} {validated:12.1f} {durable:16.1f} "
              f"{health:15.1f}")


def measure_readers(base: str, data: dict, cookies: dict[str, str]) -> None:
    # Concurrent readers: every look at a signal records a view event under the chain's one lock; a list
    # without personal data records none. If the lock made readers queue, the first would not scale as the
    # second does with more readers at once.
    signal_page = reverse("intake:signal_detail", args=[data["signals"][0].reference])
    plain_page = reverse("network:organisation_list")
    coordinator = cookies[Role.COORDINATOR]

    def read(url: str, worker: int, number: int) -> None:
        get(url, coordinator)

    print(f"\n{'readers':<12} {'signal page/s':>14} {'(view event)':>12} {'partner list/s':>15} {'(none)':>7}")
    alone: dict[str, float] = {}
    for concurrency in (1, 4, 16):
        each = max(10, 120 // concurrency)
        logged = throughput(base + signal_page, concurrency, each, read)
        unlogged = throughput(base + plain_page, concurrency, each, read)
        alone.setdefault("logged", logged)
        alone.setdefault("unlogged", unlogged)
        print(f"{concurrency:<12} {logged:14.1f} {logged / alone['logged']:11.2f}x {unlogged:15.1f} "
              f"{unlogged / alone['unlogged']:6.2f}x")


def measure_jobs() -> None:
    started = time.perf_counter()
    report = verify_chain()
    seconds = time.perf_counter() - started
    assert report.intact, report
    print(f"\nverify_audit: {report.events_checked} events in {seconds:.1f} s = {report.events_checked / seconds:,.0f}"
          " events/s")
    # The nightly walk: from the checkpoint over the events since (no witness here: the chain is a scratch one).
    actor = User.objects.get(email=f"{Role.ADMIN}@bench.test")
    audit(10_000, actor, random.Random(9), timezone.localdate())
    started = time.perf_counter()
    since = verify_since(report.checkpoint)
    seconds = time.perf_counter() - started
    assert since.intact, since
    assert since.events_checked == 10_000, since
    print(f"verify_audit from the checkpoint: {since.events_checked} new events in {seconds:.2f} s = "
          f"{since.events_checked / seconds:,.0f} events/s")

    # Undone afterwards, so a --reuse database keeps what was filled (each run used to take 10,000 signals away).
    with transaction.atomic():
        expired = list(Signal.objects.filter(status="decided", cases__isnull=True)
                       .values_list("pk", flat=True)[:10_000])
        Signal.objects.filter(pk__in=expired).update(retain_until=timezone.localdate() - datetime.timedelta(days=1))
        started = time.perf_counter()
        result = purge()
        print(f"purge: {result.deleted} records deleted ({len(expired)} signals expired, with their persons where "
              f"free) in {time.perf_counter() - started:.1f} s (rolled back after)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
