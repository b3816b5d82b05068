"""While a request is served, what is audited carries the client's address without the request being passed
down to the service that writes it (core.client_address.ClientAddressMiddleware)."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from netwerkregie.core.audit import log_event
from netwerkregie.core.client_address import ClientAddressMiddleware, current_client_address
from netwerkregie.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_an_event_written_while_serving_a_request_has_its_address() -> None:
    def service_without_request(request: HttpRequest) -> HttpResponse:
        log_event(AuditAction.VIEW, object_type="core.auditevent", reason="a read deep in a service")
        return HttpResponse("ok")

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    ClientAddressMiddleware(service_without_request)(request)
    event = AuditEvent.objects.get(reason="a read deep in a service")
    assert event.source_address == "203.0.113.9"
    assert current_client_address() is None  # gone with the request


def test_outside_a_request_an_event_has_no_address() -> None:
    log_event(AuditAction.VIEW, object_type="core.auditevent", reason="the scheduler reads")
    assert AuditEvent.objects.get(reason="the scheduler reads").source_address is None
