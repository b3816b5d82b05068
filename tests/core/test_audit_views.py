from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role

pytestmark = pytest.mark.django_db


def test_it_shows_the_privacy_officer_the_log_and_records_that_reading(
    client_for: Callable[[str], Client], users: dict[str, User]
) -> None:
    log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], object_type="test.person",
              object_id="17", reason="triage")
    response = client_for(Role.PRIVACY_OFFICER).get(reverse("core:audit_log"))
    assert response.status_code == 200
    assert "carla@example.nl" in response.content.decode()
    reading = AuditEvent.objects.order_by("-sequence").first()
    assert reading.actor == users[Role.PRIVACY_OFFICER]
    assert reading.object_type == "core.auditevent"


def test_it_filters_by_user_action_and_record(client_for: Callable[[str], Client],
                                               users: dict[str, User]) -> None:
    log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], object_type="test.person", object_id="17")
    log_event(AuditAction.EXPORT, actor=users[Role.CASE_MANAGER], object_type="test.person", object_id="18")
    client = client_for(Role.PRIVACY_OFFICER)
    page = client.get(reverse("core:audit_log"), {"action": "export"}).content.decode()
    assert "cas@example.nl" in page
    assert "carla@example.nl" not in page
    page = client.get(reverse("core:audit_log"), {"object_id": "17"}).content.decode()
    assert "carla@example.nl" in page
    assert "cas@example.nl" not in page


def test_a_bad_filter_gets_a_message_not_an_error(client_for: Callable[[str], Client]) -> None:
    response = client_for(Role.PRIVACY_OFFICER).get(
        reverse("core:audit_log"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    response = client_for(Role.PRIVACY_OFFICER).get(reverse("core:audit_log"), {"date_from": "gisteren"})
    assert response.status_code == 200
    assert "Voer een geldige datum in" in response.content.decode()


def test_the_old_verify_address_leads_to_the_stored_result(client_for: Callable[[str], Client]) -> None:
    """The chain is checked by the scheduler now; its page shows the last run and checks nothing itself."""
    client = client_for(Role.PRIVACY_OFFICER)
    response = client.get(reverse("core:audit_verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:verification")
    page = client.get(response["Location"]).content.decode()
    assert "De keten is nog niet gecontroleerd." in page
    assert "Nu controleren" in page


def test_the_user_list_is_for_the_administrator_and_audited(
    client_for: Callable[[str], Client], users: dict[str, User]
) -> None:
    page = client_for(Role.ADMIN).get(reverse("accounts:user_list")).content.decode()
    assert "priya@example.nl" in page
    assert AuditEvent.objects.filter(actor=users[Role.ADMIN], object_type="core.user").exists()
    assert client_for(Role.PRIVACY_OFFICER).get(reverse("accounts:user_list")).status_code == 404


def test_records_are_named_and_system_reasons_translated_in_one_query_per_record_type(
        client_for: Callable[[str], Client], users: dict[str, User],
        django_assert_max_num_queries: Callable[[int], object]) -> None:
    from netwerkregie.core.audit_labels import label_events
    from netwerkregie.network.models import Organisation

    partner = Organisation.objects.create(name="Buurthuis De Linde", sector="community_centre")
    for _ in range(5):
        log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], obj=partner, reason="network register")
    log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], object_type="network.organisation",
              object_id="99999", reason="closed: handed_over")
    page = client_for(Role.PRIVACY_OFFICER).get(reverse("core:audit_log")).content.decode()
    assert "Organisatie Buurthuis De Linde" in page
    assert "network.organisation" not in page
    assert "netwerkregister" in page
    assert "network register" not in page
    assert "afgesloten: overgedragen" in page
    assert "Organisatie 99999" in page
    events = list(AuditEvent.objects.all())
    with django_assert_max_num_queries(2):  # organisations, users: one query per record type
        label_events(events)


def test_every_reason_the_code_records_has_a_translated_label() -> None:
    import re
    from pathlib import Path

    from django.utils import translation

    from netwerkregie.core.audit_labels import SYSTEM_REASONS

    source = Path(__file__).resolve().parents[2] / "src" / "netwerkregie"
    literals = {m.group(1) for path in source.rglob("*.py") if "demo" not in path.parts
                for m in re.finditer(r'(?:reason|purpose)="([a-z][^"{]+)"', path.read_text())}
    assert len(literals) > 20
    assert literals - set(SYSTEM_REASONS) == set()
    with translation.override("nl"):
        assert [r for r in literals if str(SYSTEM_REASONS[r]) == r and " " in r] == []  # each one translated


def test_the_whole_log_is_counted_from_the_chain_head_not_row_by_row(
        client_for: Callable[[str], Client], users: dict[str, User]) -> None:
    """At millions of events a COUNT(*) is the slowest part of the page; the head knows the number (the log
    is append-only and numbered from one). A filtered view still counts what matches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(60):
        log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], object_type="test.person", object_id=number)
    client = client_for(Role.PRIVACY_OFFICER)
    total = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:audit_log"))
    assert response.context["page"].paginator.count == total
    assert f"({total} in totaal)" in response.content.decode()
    assert not [q for q in queries.captured_queries if 'COUNT(*)' in q["sql"] and "core_auditevent" in q["sql"]]
    filtered = client.get(reverse("core:audit_log"), {"action": "export"})
    assert filtered.context["page"].paginator.count == AuditEvent.objects.filter(action="export").count()
