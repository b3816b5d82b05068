import pytest
from django.urls import reverse

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Consultation

pytestmark = pytest.mark.django_db
QUESTION = "Een leerling deelt memes met haatdragende teksten. Hoe kan de mentor het gesprek aangaan?"


def test_a_partner_asks_and_the_coordinator_advises_and_counts(client_for, users) -> None:
    form = client_for(Role.PARTNER).get(reverse("intake:consultation_new")).content.decode()
    assert "Naam" not in form
    assert "Geboortedatum" not in form
    response = client_for(Role.PARTNER).post(reverse("intake:consultation_new"), {"question": QUESTION})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.organisation == users[Role.PARTNER].organisation
    assert consultation.advice == ""
    coordinator = client_for(Role.COORDINATOR)
    assert "waarvan 0 met advies" in coordinator.get(reverse("intake:consultation_list")).content.decode()
    coordinator.post(reverse("intake:consultation_advice", args=[consultation.pk]),
                     {"advice": "Ga het gesprek aan vanuit nieuwsgierigheid; betrek de ouders."})
    consultation.refresh_from_db()
    assert consultation.advised_by == users[Role.COORDINATOR]
    assert consultation.advised_at is not None
    assert ": 1 consult, waarvan 1 met advies" in coordinator.get(reverse("intake:consultation_list")).content.decode()
    assert AuditEvent.objects.filter(object_type="intake.consultation").count() == 2


def test_the_coordinator_records_a_phone_consultation_with_advice(client_for, municipality) -> None:
    response = client_for(Role.COORDINATOR).post(reverse("intake:consultation_new"), {
        "organisation": municipality.pk, "channel": "phone", "question": QUESTION, "advice": "Bel de GGD-lijn.",
    })
    assert response.status_code == 302
    assert Consultation.objects.get().advice == "Bel de GGD-lijn."


def test_partners_see_only_their_own_consultations(client_for, users) -> None:
    from tests.conftest import make_user, verified_client

    client_for(Role.PARTNER).post(reverse("intake:consultation_new"), {"question": QUESTION})
    other = make_user("otto", Role.PARTNER, organisation=users[Role.PARTNER].organisation)
    assert "memes" not in verified_client(other).get(reverse("intake:consultation_list")).content.decode()
    bad = client_for(Role.PARTNER).post(reverse("intake:consultation_new"), {"question": "<script>x</script>"})
    assert bad.status_code == 200
    assert Consultation.objects.count() == 1
