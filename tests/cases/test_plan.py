"""The versioned plan: goals and interventions, consent, concurrent saves, rows added without JavaScript."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse

from netwerkregie.cases import services
from netwerkregie.cases.models import PlanVersion
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case, intervention
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_the_plan_is_versioned_and_checks_consent(users) -> None:
    manager = users[Role.CASE_MANAGER]
    case = decided_case(users)  # the person is a minor (born 2010)
    goals = ["Jesse maakt zijn mbo-opleiding af.", "Jesse heeft een vaste mentor en een sportclub."]
    with pytest.raises(ValidationError, match=r"ouder|parent"):
        services.save_plan(case, goals=goals, protective_factors="",
                           interventions=[intervention("mentor", consent="person")],
                           base_version=0, change_note="Eerste plan", actor=manager)
    with pytest.raises(ValidationError, match=r"doel|goal"):
        services.save_plan(case, goals=goals, protective_factors="", interventions=[intervention("mentor", goal=3)],
                           base_version=0, change_note="Eerste plan", actor=manager)
    v1 = services.save_plan(case, goals=goals, protective_factors="Betrokken moeder.",
                            interventions=[intervention("mentor"), intervention("area_ban", goal=2)],
                            base_version=0, change_note="Eerste plan", actor=manager)
    assert v1.number == 1
    assert [i["compulsory"] for i in v1.data["interventions"]] == [False, True]
    v2 = services.save_plan(case, goals=goals[:1], protective_factors="Betrokken moeder.",
                            interventions=[intervention("mentor")], base_version=1, change_note="Gebiedsverbod af",
                            actor=manager)
    assert v2.number == 2
    assert PlanVersion.objects.filter(case=case).count() == 2
    history = verified_client(manager).get(reverse("cases:plan_history", args=[case.reference])).content.decode()
    assert "Gebiedsverbod af" in history
    assert "Eerste plan" in history
    assert "Gebiedsverbod (burgemeester)" in history


def test_two_people_saving_the_same_version_one_wins_the_other_is_told_and_keeps_their_work(users) -> None:
    manager, coordinator = users[Role.CASE_MANAGER], users[Role.COORDINATOR]
    case = decided_case(users)
    url = reverse("cases:plan_edit", args=[case.reference])

    def post(goal: str, note: str) -> dict[str, str]:
        return {"base_version": "0", "protective_factors": "", "change_note": note,
                "goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "0", "goals-MIN_NUM_FORMS": "0",
                "goals-MAX_NUM_FORMS": "30", "goals-0-text": goal,
                "interventions-TOTAL_FORMS": "0", "interventions-INITIAL_FORMS": "0",
                "interventions-MIN_NUM_FORMS": "0", "interventions-MAX_NUM_FORMS": "50"}

    first = verified_client(manager).post(url, post("Jesse gaat weer naar school.", "Versie van Cas"))
    second = verified_client(coordinator).post(url, post("Jesse vindt een stageplek.", "Versie van Carla"))
    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert "Jesse vindt een stageplek." in page  # nothing of the second writer is lost
    assert "Jesse gaat weer naar school." in page  # and the newer version is shown next to it
    assert 'name="base_version" value="1"' in page
    assert [v.change_note for v in PlanVersion.objects.all()] == ["Versie van Cas"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_plan_saves_at_the_database_level(users) -> None:
    case = decided_case(users)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(actor_role: str, goal: str) -> None:
        try:
            barrier.wait()
            services.save_plan(case, goals=[goal], protective_factors="", interventions=[], base_version=0,
                               change_note=goal, actor=users[actor_role])
            outcomes.append("saved")
        except services.PlanConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(role, f"Doel van {role}"))
               for role in (Role.CASE_MANAGER, Role.COORDINATOR)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert PlanVersion.objects.filter(case=case).count() == 1


def plan_post(goals: list[str], interventions: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {"base_version": "0", "protective_factors": "", "change_note": "Plan",
            "goals-TOTAL_FORMS": str(len(goals)), "goals-INITIAL_FORMS": "0",
            "interventions-TOTAL_FORMS": str(len(interventions)), "interventions-INITIAL_FORMS": "0"}
    for i, goal in enumerate(goals):
        data[f"goals-{i}-text"] = goal
    for i, item in enumerate(interventions):
        data.update({f"interventions-{i}-{k}": v for k, v in item.items()})
    return {**data, **extra}


MENTOR = {"type": "mentor", "starts_on": "2026-11-01", "status": "running", "consent": "parent",
          "consent_name": "Fatma Demir", "consent_on": "2026-11-01"}


def test_plan_rows_are_added_without_javascript_and_nothing_is_judged_or_saved(users) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    url = reverse("cases:plan_edit", args=[case.reference])
    page = client.get(url).content.decode()
    assert page.count('name="goals-') >= 2
    assert 'name="goals-1-text"' not in page
    assert '<option value="" selected>—</option>' in page.split('name="interventions-0-consent"')[1][:300]
    response = client.post(url, plan_post(["Sam maakt school af."], [], add="goals", change_note=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="goals-1-text"' in page
    assert "Sam maakt school af." in page
    assert "utrecht-form-field-error-message" not in page
    assert not PlanVersion.objects.exists()
    response = client.post(url, plan_post(["Sam maakt school af.", "Sam sport"], [], add="interventions"))
    assert '<option value="2">2. Sam sport</option>' in response.content.decode()  # goals chosen by name


def test_removing_a_goal_renumbers_the_interventions_or_asks_for_another_goal(users) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    url = reverse("cases:plan_edit", args=[case.reference])
    goals = ["Sam maakt school af.", "Sam heeft een mentor."]
    refused = client.post(url, plan_post(goals, [{**MENTOR, "goal": "1"}], **{"goals-0-DELETE": "on"}))
    assert refused.status_code == 422
    assert "wordt verwijderd" in refused.content.decode()
    assert not PlanVersion.objects.exists()
    saved = client.post(url, plan_post(goals, [{**MENTOR, "goal": "2"}, {"type": "", "goal": ""}],
                                       **{"goals-0-DELETE": "on"}))
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    data = PlanVersion.objects.get().data
    assert data["goals"] == ["Sam heeft een mentor."]
    assert data["interventions"][0]["goal"] == 1
