"""Two tables of ``bench/national.py``: "Vandaag" (and the case manager's case list) per role, with the number of
queries each answer takes; and the figures page read just after a change (a new signal), for this year (its
signal sections counted anew) and last year (nothing of it touched: kept)."""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.roles import Role
from netwerkregie.intake import services as intake
from netwerkregie.network.models import Organisation


def _queries(user: object, path: str) -> int:
    """How many queries one answer takes, in this process (the server's answers are not counted there)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def _warm(url: str, cookie: str, get: Callable[..., float], workers: int = 2, rounds: int = 3) -> None:
    """Every worker serves the page before it is timed (one request at a time each, so several at once)."""
    for _ in range(rounds):
        threads = [threading.Thread(target=get, args=(url, cookie)) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def today_per_role(base: str, data: dict, cookies: dict[str, str], requests: int, get: Callable[..., float],
                   percentiles: Callable[[list[float]], tuple[float, float]]) -> None:
    print(f"\n{'Vandaag and work lists (role)':<52} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    pages = [(role, reverse("home")) for role in data["users"]] + [(Role.CASE_MANAGER, reverse("cases:dashboard"))]
    for role, path in pages:
        _warm(base + path, cookies[role], get)
        p50, p95 = percentiles([get(base + path, cookies[role]) for _ in range(requests)])
        print(f"{path + ' (' + role + ')':<52} {p50:8.1f} {p95:8.1f} {_queries(data['users'][role], path):8d}")


def figures_after_change(base: str, cookies: dict[str, str], get: Callable[..., float], rounds: int = 5) -> None:
    """Each round records a new signal through the service (as the web form does), then reads the page."""
    year = timezone.localdate().year
    organisation = Organisation.objects.order_by("pk").first()
    for label, page in ((f"this year ({year})", f"?year={year}"), (f"last year ({year - 1})", f"?year={year - 1}")):
        url = base + reverse("reports:index") + page
        _warm(url, cookies[Role.ANALYST], get, rounds=6)  # each worker counts the page once before
        times = []
        for number in range(rounds):
            intake.submit_signal(intake.SignalInput(description="Deelt filmpjes die geweld verheerlijken.",
                                                    subject_name=f"Bench {number}", observation_codes=[]),
                                 organisation=organisation, channel="web_form")
            times.append(get(url, cookies[Role.ANALYST]))
        print(f"{'figures after a new signal, ' + label + f' (median of {rounds})':<64} "
              f"{statistics.median(times) * 1000:8.1f}   (each: {', '.join(f'{t * 1000:.0f}' for t in times)})")
