import pytest
from django.urls import reverse

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import ObservationCategory
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_the_administrator_adds_and_deactivates_entries(users) -> None:
    client = verified_client(users[Role.ADMIN])
    response = client.post(reverse("catalogues:new", args=["observations"]), {
        "code": "recruits_others", "label_nl": "Probeert anderen te werven voor geweld",
        "label_en": "Tries to recruit others for violence", "position": "11", "is_active": "on"})
    assert response.status_code == 302
    entry = ObservationCategory.objects.get(code="recruits_others")
    client.post(reverse("catalogues:edit", args=["observations", entry.pk]), {
        "code": "changed", "label_nl": entry.label_nl, "label_en": entry.label_en, "position": "11"})
    entry.refresh_from_db()
    assert entry.code == "recruits_others"
    assert entry.is_active is False
    assert AuditEvent.objects.filter(object_type="intake.observationcategory", object_id=str(entry.pk)).count() == 2
    form = client.get(reverse("intake:signal_new")).status_code  # the admin has no signal form
    assert form == 404


def test_identity_labels_and_markup_are_refused(users) -> None:
    client = verified_client(users[Role.ADMIN])
    response = client.post(reverse("catalogues:new", args=["observations"]), {
        "code": "bezoekt_moskee", "label_nl": "Bezoekt de moskee", "label_en": "<b>Visits</b>", "position": "1",
        "is_active": "on"})
    errors = response.context["form"].errors
    assert "moskee" in " ".join(errors["label_nl"])
    assert "HTML" in " ".join(errors["label_en"])
    assert not ObservationCategory.objects.filter(code="bezoekt_moskee").exists()
    assert client.get(reverse("catalogues:new", args=["nonsense"])).status_code == 404
