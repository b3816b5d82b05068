""""Vandaag" does not grow with a backlog: its counts stop at "99+" (the list it links to counts in full), the
number of queries stays the same, and every count and first rows of the signal work lists are read from an
index (EXPLAIN on both databases)."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.counting import CAP, capped_count
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake import queries
from netwerkregie.intake.models import Signal, SignalStatus, still_followed_filter
from netwerkregie.network.models import Organisation

pytestmark = pytest.mark.django_db
FIGURE = re.compile(r'data-figure="(?P<key>[a-z-]+)"[^>]*>.*?<span class="nr-figure__number">(?P<number>[^<]+)</span>')


def backlog(count: int, organisation: Organisation, by: User | None = None) -> None:
    """New signals as a national incident leaves them: received over the last weeks, some overdue, some acute."""
    now, today = timezone.now(), timezone.localdate()
    Signal.objects.bulk_create(Signal(
        source_organisation=organisation, submitted_by=by, channel="web_form", description="Deelt filmpjes.",
        subject_name=f"Persoon {n}", status=SignalStatus.NEW, received_at=now - datetime.timedelta(hours=n),
        acute_danger=n % 20 == 0, due_on=today + datetime.timedelta(days=5 if n % 3 else -1),
        retain_until=today + datetime.timedelta(days=365)) for n in range(count))


def figures_on_today(client: object) -> tuple[dict[str, str], int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return {m["key"]: m["number"] for m in FIGURE.finditer(response.content.decode())}, len(captured)


def test_the_coordinators_today_says_99_plus_and_takes_as_many_queries_with_a_backlog(
        client_for, municipality: Organisation) -> None:
    client = client_for(Role.COORDINATOR)
    backlog(12, municipality)
    small, queries_small = figures_on_today(client)
    assert (small["signals-new"], small["signals-overdue"], small["signals-acute"]) == ("12", "4", "1")
    backlog(3 * CAP, municipality)
    large, queries_large = figures_on_today(client)
    assert (large["signals-new"], large["signals-overdue"], large["signals-acute"]) == ("99+", "99+", "16")
    assert queries_large == queries_small


def test_the_partners_today_takes_as_many_queries_with_more_of_her_signals(
        client_for, users: dict[str, User]) -> None:
    partner = users[Role.PARTNER]
    client = client_for(Role.PARTNER)
    backlog(3, partner.organisation, partner)
    _figures, few = figures_on_today(client)
    backlog(200, partner.organisation, partner)
    _figures, many = figures_on_today(client)
    assert many == few


def test_a_capped_count_is_exact_up_to_the_cap(municipality: Organisation) -> None:
    backlog(CAP, municipality)
    assert (capped_count(Signal.objects.all()), str(capped_count(Signal.objects.all()))) == (CAP, "99")
    backlog(5, municipality)
    assert str(capped_count(Signal.objects.all())) == "99+"


def plan(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether an index CAN answer
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def reads_signals_by_index(text: str) -> bool:
    if connection.vendor == "postgresql":
        return "Seq Scan on intake_signal" not in text and "Index" in text
    scans = [line for line in text.splitlines() if "intake_signal" in line]
    return bool(scans) and all("INDEX" in line for line in scans) and "TEMP B-TREE" not in text


def test_every_signal_work_list_on_today_is_read_from_an_index(users: dict[str, User],
                                                                municipality: Organisation) -> None:
    coordinator, partner, today = users[Role.COORDINATOR], users[Role.PARTNER], timezone.localdate()
    backlog(50, municipality, partner)
    new = Signal.objects.visible_to(coordinator).filter(status=SignalStatus.NEW).order_by()
    lists = {
        "new (capped count)": new[:CAP + 1],
        "overdue (capped count)": new.filter(due_on__lt=today)[:CAP + 1],
        "acute (capped count)": new.filter(acute_danger=True)[:CAP + 1],
        "first new signals": queries.new_signals_first_due(coordinator)[:5],
        "the submitter's counts by status": Signal.objects.filter(submitted_by=partner).order_by()
        .values_list("status").annotate(n=Count("pk")),
        "the submitter's first signals": Signal.objects.filter(submitted_by=partner).order_by("-received_at")[:5],
    }
    plans = {name: plan(queryset) for name, queryset in lists.items()}
    assert {name: text for name, text in plans.items() if not reads_signals_by_index(text)} == {}


def test_the_submitters_still_followed_count_reads_the_decisions_from_an_index(users: dict[str, User]) -> None:
    partner = users[Role.PARTNER]
    followed = Signal.objects.filter(submitted_by=partner, status=SignalStatus.DECIDED).filter(still_followed_filter())
    text = plan(followed.order_by().values("pk"))
    if connection.vendor == "postgresql":
        assert "Seq Scan on intake_assessment" not in text, text
    else:
        assert "intake_assessment_decision" in text, text
