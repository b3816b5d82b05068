"""The plan records who gave consent as the referral does (relation and name), and says its rules on the form
before anything is saved."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import services
from netwerkregie.cases.models import Case, PlanVersion
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case, intervention

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    return decided_case(users, subject_birth_date=datetime.date(2010, 5, 1))  # a minor


def save(case: Case, users: dict[str, User], item: services.InterventionInput) -> PlanVersion:
    return services.save_plan(case, goals=["Noah maakt school af."], protective_factors="", interventions=[item],
                              base_version=0, change_note="Plan", actor=users[Role.CASE_MANAGER])


def test_the_plan_keeps_the_name_of_the_parent_who_consented(users: dict[str, User], case: Case) -> None:
    version = save(case, users, intervention("mentor", consent="parent", consent_name="Fatma Demir"))
    assert version.data["interventions"][0]["consent_name"] == "Fatma Demir"


def test_a_parents_consent_without_a_name_is_refused(users: dict[str, User], case: Case) -> None:
    item = intervention("mentor", consent="parent")
    item.consent_name = ""
    with pytest.raises(ValidationError, match="naam van de ouder of voogd"):
        save(case, users, item)


def test_the_shown_plan_names_who_consented(client_for: Callable[[str], Client], users: dict[str, User],
                                            case: Case) -> None:
    save(case, users, intervention("mentor", consent="guardian", consent_name="Bureau Jeugdzorg, mw. Bakker"))
    page = client_for(Role.CASE_MANAGER).get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Bureau Jeugdzorg, mw. Bakker" in page


def test_the_form_asks_for_the_name_of_the_parent_or_guardian(client_for: Callable[[str], Client],
                                                               case: Case) -> None:
    page = client_for(Role.CASE_MANAGER).get(reverse("cases:plan_edit", args=[case.reference])).content.decode()
    assert 'name="interventions-0-consent_name"' in page


def test_the_form_says_the_consent_rules_before_saving(client_for: Callable[[str], Client], case: Case) -> None:
    page = client_for(Role.CASE_MANAGER).get(reverse("cases:plan_edit", args=[case.reference])).content.decode()
    assert "Bij een minderjarige geeft een ouder of voogd toestemming." in page


def test_a_person_who_consented_for_themselves_needs_no_name(users: dict[str, User]) -> None:
    born = timezone.localdate() - datetime.timedelta(days=30 * 365)
    adult = decided_case(users, "Sam de Wit", subject_birth_date=born)
    assert save(adult, users, intervention("mentor", consent="person")).data["interventions"][0]["consent_name"] == ""
