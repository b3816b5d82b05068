"""Services take no request: what they audit carries the client's address from ClientAddressMiddleware, and the
links they mail start at SITE_URL (or, without it, where the request being served was sent)."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.accounts.users import send_invitation
from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.conftest import make_user, verified_client
from tests.mail_helpers import delivered

SOURCE = Path(__file__).resolve().parents[2] / "src" / "netwerkregie"

# The HTTP layer itself, where a request is what the code works on: views, middleware, the API's
# authentication, throttling, permissions and problem answers, session sign-in and the second factor, the
# lockout, the OIDC sign-in, form handling that rate-limits by address, the PDF renderer (the request's host
# for static files), the sign-in signal receivers, paging and the menu (the query string and path), and the
# audit log's writer (``log_event`` takes the request of a sign-in receiver or a view; services leave it out).
HTTP_LAYER = {
    "accounts/forms.py", "accounts/oidc.py", "accounts/sign_in.py", "core/access.py", "core/accessibility.py",
    "core/audit_log.py", "core/client_address.py", "core/context_processors.py", "core/limits.py", "core/lockout.py",
    "core/middleware.py", "core/navigation.py", "core/pagination.py", "core/pdf.py", "core/receivers.py",
    "core/unsent.py", "intake/linking.py", "ops/health.py",
}


def _http_layer(path: Path) -> bool:
    relative = path.relative_to(SOURCE).as_posix()
    return (relative in HTTP_LAYER or relative.startswith("api/") or "/views/" in relative
            or relative.endswith(("views.py", "_views.py")))


def test_no_function_outside_the_http_layer_takes_a_request() -> None:
    takers = []
    for path in sorted(SOURCE.rglob("*.py")):
        if _http_layer(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if "request" in [argument.arg for argument in arguments]:
                    takers.append(f"{path.relative_to(SOURCE)}:{node.lineno} {node.name}")
    assert takers == []


@pytest.mark.django_db
def test_an_event_a_service_writes_during_a_request_carries_the_client_address() -> None:
    school = Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)
    coordinator: Client = verified_client(make_user("carla", Role.COORDINATOR))
    response = coordinator.post(reverse("network:partner_invite", args=[school.pk]),
                                {"full_name": "Mila Mentor", "email": "mentor@lyceum.nl"}, REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 302
    mila = User.objects.get(email="mentor@lyceum.nl")
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(mila.pk))
    assert created.source_address == "203.0.113.20"


@pytest.mark.django_db
def test_the_invitation_link_starts_at_site_url_not_at_the_host_asked_for(settings: object) -> None:
    settings.SITE_URL = "https://netwerkregie.gemeente.nl"  # type: ignore[attr-defined]
    school = Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)
    coordinator: Client = verified_client(make_user("carla", Role.COORDINATOR))
    coordinator.post(reverse("network:partner_invite", args=[school.pk]),
                     {"full_name": "Mila Mentor", "email": "mentor@lyceum.nl"})
    links = re.findall(r"https?://\S+/accounts/invitation/", delivered()[0].body)
    assert links == ["https://netwerkregie.gemeente.nl/accounts/invitation/"]


@pytest.mark.django_db
def test_outside_a_request_the_invitation_is_audited_without_an_address(settings: object) -> None:
    settings.SITE_URL = "https://netwerkregie.gemeente.nl"  # type: ignore[attr-defined]
    mila = make_user("mila", Role.PARTNER)
    link = send_invitation(mila, actor=make_user("carla", Role.COORDINATOR))
    assert link.startswith("https://netwerkregie.gemeente.nl/accounts/invitation/")
    assert AuditEvent.objects.get(action=AuditAction.NOTIFY, object_id=str(mila.pk)).source_address is None
