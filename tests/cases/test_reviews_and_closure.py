"""Reviews, closure and retention, informing the person and the provenance of contributions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.models import CaseStatus
from netwerkregie.core.roles import Role
from tests.case_helpers import approve_pending, decided_case
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_reviews_decide_necessity_and_are_at_least_yearly(users) -> None:
    case = decided_case(users)
    manager, today = users[Role.CASE_MANAGER], timezone.localdate()
    with pytest.raises(ValidationError, match=r"afschalen|scale down"):
        case_closure.add_review(case, held_on=today, still_necessary=False, rationale="Gaat goed.", outcome="continue",
                            next_review_on=today + datetime.timedelta(days=90), actor=manager)
    with pytest.raises(ValidationError, match=r"jaar|year"):
        case_closure.add_review(case, held_on=today, still_necessary=True, rationale="Nodig.", outcome="continue",
                            next_review_on=today + datetime.timedelta(days=400), actor=manager)
    with pytest.raises(ValidationError, match=r"minderjarig|minor"):
        case_closure.add_review(case, held_on=today, still_necessary=True, rationale="Nodig.", outcome="continue",
                            next_review_on=today + datetime.timedelta(days=90), actor=manager)
    case_closure.add_review(case, held_on=today, still_necessary=True, rationale="Nog nodig; school loopt goed.",
                        outcome="scale_down", next_review_on=today + datetime.timedelta(days=60), actor=manager)
    case.refresh_from_db()
    assert case.next_review_on == today + datetime.timedelta(days=60)


def test_closing_with_default_settings_keeps_the_case_five_years(users) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    refused = client.post(reverse("cases:case_close", args=[case.reference]), {"reason": "goals_achieved"})
    assert "handover_note" in refused.context["form"].errors
    client.post(reverse("cases:case_close", args=[case.reference]), {
        "reason": "goals_achieved", "handover_note": "Overgedragen aan het wijkteam; kennismaking met Jesse gehad."})
    case.refresh_from_db()
    assert case.is_open  # a closure waits for a second coordinator (APPROVAL_REQUIRED_FOR, by default)
    approve_pending(case, users[Role.COORDINATOR])
    case.refresh_from_db()
    today = timezone.localdate()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == today
    assert case.retain_until == today.replace(year=today.year + 5)
    assert case.person.retain_until >= case.retain_until


def test_informing_and_provenance_are_recorded(users, police) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    url = reverse("cases:duties", args=[case.reference])
    refused = client.post(url, {"informed": "1"})
    assert "informing_delay_reason" in refused.context["informed"].errors
    client.post(url, {"informed": "1", "informing_delay_reason": "Lopend politieonderzoek; informeren na 1 maart."})
    client.post(url, {"contribution": "1", "organisation": police.pk, "category": "police",
                      "reason": "Nodig om de dreiging te kunnen wegen."})
    case.refresh_from_db()
    assert case.informing_delay_reason.startswith("Lopend")
    assert case.contributions.get().category == "police"
