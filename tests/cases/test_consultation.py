"""The case consultation: a case manager plans one and puts her open cases on its agenda."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases.models import Case, CaseConsultation
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db


def test_a_case_manager_plans_a_consultation_with_her_own_cases_and_adds_another(users) -> None:
    manager = users[Role.CASE_MANAGER]
    mine = decided_case(users, "Eigen Casus")
    later = decided_case(users, "Later Casus")
    other_manager = make_user("andere", Role.CASE_MANAGER, organisation=manager.organisation)
    foreign = decided_case(users, "Andermans Casus")
    Case.objects.filter(pk=foreign.pk).update(case_manager=other_manager)
    foreign.refresh_from_db()
    client = verified_client(manager)
    form = client.get(reverse("cases:consultation_new")).content.decode()
    assert mine.reference in form
    assert foreign.reference not in form
    held_on = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(reverse("cases:consultation_new"), {
        "title": "Casusoverleg Cas", "held_on": held_on, "attendees": [users[Role.CORE_PARTNER].pk],
        "cases": [mine.pk]})
    consultation = CaseConsultation.objects.get(title="Casusoverleg Cas")
    assert response.status_code == 302
    assert [i.case for i in consultation.items.all()] == [mine]
    assert manager in consultation.attendees.all()
    refused = client.post(reverse("cases:agenda_add", args=[consultation.pk]), {"case": foreign.reference})
    assert refused.status_code == 302
    assert consultation.items.count() == 1
    client.post(reverse("cases:agenda_add", args=[consultation.pk]), {"case": later.reference})
    assert {i.case for i in consultation.items.all()} == {mine, later}
    assert AuditEvent.objects.filter(object_type="cases.caseconsultation", object_id=str(consultation.pk),
                                     detail__added_case=later.reference).exists()
    with pytest.raises(ValidationError):
        case_consultations.plan_consultation(title="X", held_on=timezone.localdate(), attendees=[manager],
                                             cases=[foreign], actor=manager)
