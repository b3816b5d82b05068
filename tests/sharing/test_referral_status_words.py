"""A sent referral reads "Verstuurd; antwoord vóór <date>" on the case, never "wacht op antwoord antwoord vóór"."""

import pytest
from django.urls import reverse

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case
from tests.conftest import verified_client
from tests.sharing_helpers import receiving_organisation, referral

pytestmark = pytest.mark.django_db


def case_page(users: dict[str, User]) -> str:
    receiving_organisation(users)
    case = decided_case(users)
    referral(users, case)
    return verified_client(users[Role.CASE_MANAGER]).get(
        reverse("cases:case_detail", args=[case.reference])).content.decode()


def test_a_sent_referral_says_answer_by_once(users: dict[str, User]) -> None:
    assert "Verstuurd; antwoord vóór" in case_page(users)


def test_a_sent_referral_does_not_repeat_antwoord(users: dict[str, User]) -> None:
    assert "wacht op antwoord<br>antwoord" not in case_page(users)
