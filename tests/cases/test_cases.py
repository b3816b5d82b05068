"""Cases: opening, the team and its covenant, access, the versioned plan, reviews, closure."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import services
from netwerkregie.cases.models import Case, CaseConsultation, CaseMembership, CaseStatus, PlanVersion
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.models import Person
from tests.case_helpers import approve_pending, case_work_covenant, decided_case, intervention
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(users):
    org = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    case_work_covenant([users[Role.COORDINATOR].organisation, org], users[Role.COORDINATOR])
    return org


@pytest.fixture
def officer(police):
    return make_user("wijkagent", Role.CORE_PARTNER, organisation=police)


def test_a_case_opens_from_a_signal_decided_to_the_case_consultation(users) -> None:
    case = decided_case(users)
    assert case.reference.startswith("C-") and case.status == CaseStatus.OPEN
    assert case.person.is_minor  # born 2010: reviewed every 61 days instead of 91
    assert case.next_review_on == timezone.localdate() + datetime.timedelta(days=61)
    assert case.person.retain_until >= case.retain_until
    assert AuditEvent.objects.filter(action="create", object_type="cases.case", object_id=str(case.pk)).exists()


def test_a_direct_case_needs_a_written_reason(users) -> None:
    person = Person.objects.create(name="Sam Vos", retain_until=timezone.localdate())
    client = verified_client(users[Role.COORDINATOR])
    post = {"pseudonym": person.pseudonym, "case_manager": users[Role.CASE_MANAGER].pk, "ideology": "unclear"}
    refused = client.post(reverse("cases:case_new"), post)
    assert "reason" in refused.context["form"].errors and Case.objects.count() == 0
    sibling = Person.objects.create(name="Kim Vos", retain_until=timezone.localdate())
    unknown = client.post(reverse("cases:case_new"), {**post, "reason": "Melding.", "related": "P-ZZZZZ"})
    assert "related" in unknown.context["form"].errors and Case.objects.count() == 0
    opened = client.post(reverse("cases:case_new"), {**post, "reason": "Melding van de politie over dreigende taal.",
                                                     "related": sibling.pseudonym.lower()})
    assert opened.status_code == 302 and Case.objects.get().opened_reason.startswith("Melding")
    assert list(Case.objects.get().related_persons.all()) == [sibling]
    assert Person.objects.get(pk=sibling.pk).retain_until == Case.objects.get().retain_until


def test_a_signal_not_decided_for_the_case_consultation_cannot_open_a_case(users) -> None:
    from tests.intake_helpers import submit

    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    with pytest.raises(ValidationError):
        services.open_case(person=Person.objects.create(name="X", retain_until=timezone.localdate()),
                           case_manager=users[Role.CASE_MANAGER], actor=users[Role.COORDINATOR], signals=[signal])


def test_only_organisations_with_a_case_work_covenant_join_the_team(users, officer) -> None:
    case = decided_case(users)
    school = Organisation.objects.create(name="Zonder Convenant College", sector=Sector.SCHOOL)
    outsider = make_user("mentor", Role.PARTNER, organisation=school)
    with pytest.raises(ValidationError, match=r"convenant|covenant"):
        services.add_member(case, user=outsider, role_in_case="Mentor", reason="Kent de jongere", actor=users[
            Role.COORDINATOR])
    services.add_member(case, user=officer, role_in_case="Wijkagent", reason="Kent de wijk",
                        actor=users[Role.CASE_MANAGER])
    assert Case.objects.visible_to(officer).get() == case


def test_a_team_member_of_case_a_gets_404_on_case_b_and_its_minutes(users, officer) -> None:
    coordinator = users[Role.COORDINATOR]
    case_a, case_b = decided_case(users, "Anna Aalders"), decided_case(users, "Bram Bos")
    services.add_member(case_a, user=officer, role_in_case="Wijkagent", reason="Wijk", actor=coordinator)
    consultation = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(),
                                              attendees=[officer], cases=[case_a, case_b], actor=coordinator)
    item_b = consultation.items.get(case=case_b)
    case_consultations.save_minutes(item_b, minutes="Geheim verslag over Bram.", decisions="", actor=coordinator)
    client = verified_client(officer)
    assert client.get(reverse("cases:case_detail", args=[case_a.reference])).status_code == 200
    assert client.get(reverse("cases:case_detail", args=[case_b.reference])).status_code == 404
    assert client.get(reverse("cases:agenda_item", args=[consultation.pk, item_b.pk])).status_code == 404
    page = client.get(reverse("cases:consultation_detail", args=[consultation.pk])).content.decode()
    assert case_a.reference in page and case_b.reference not in page and "geen toegang" in page
    pdf = client.get(reverse("cases:minutes_pdf", args=[consultation.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(case_a.pk)).exists()
    assert not AuditEvent.objects.filter(action="export", object_id=str(case_b.pk)).exists()


def test_a_removed_or_expired_member_loses_access_on_the_next_request(users, officer) -> None:
    coordinator = users[Role.COORDINATOR]
    case = decided_case(users)
    membership = services.add_member(case, user=officer, role_in_case="Wijkagent", reason="Wijk", actor=coordinator,
                                     valid_until=timezone.localdate() + datetime.timedelta(days=1))
    client = verified_client(officer)
    url = reverse("cases:case_detail", args=[case.reference])
    assert client.get(url).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CaseMembership.objects.filter(pk=membership.pk).update(valid_until=yesterday)
    assert client.get(url).status_code == 404  # expired membership: the very next request
    CaseMembership.objects.filter(pk=membership.pk).update(valid_until=None)
    assert client.get(url).status_code == 200
    services.remove_member(membership, actor=coordinator)
    assert client.get(url).status_code == 404  # removed


def test_an_expired_covenant_ends_access_at_once(users) -> None:
    coordinator = users[Role.COORDINATOR]
    care = Organisation.objects.create(name="GGZ Teststad", sector=Sector.CARE)
    today = timezone.localdate()
    case_work_covenant([coordinator.organisation, care], coordinator, valid_from=today - datetime.timedelta(days=30),
                       valid_until=today)
    therapist = make_user("therapeut", Role.PARTNER, organisation=care)
    case = decided_case(users)
    services.add_member(case, user=therapist, role_in_case="Behandelaar", reason="Zorg", actor=coordinator)
    assert Case.objects.visible_to(therapist).exists()
    from django.db.models import F

    from netwerkregie.network.models import Covenant
    Covenant.objects.filter(parties=care).update(valid_until=F("valid_from"))
    assert not Case.objects.visible_to(therapist).exists()


def test_a_core_partner_sees_only_cases_whose_team_they_are_on(users, officer) -> None:
    decided_case(users)
    assert Case.objects.visible_to(officer).count() == 0
    assert Case.objects.visible_to(users[Role.CORE_PARTNER]).count() == 0
    for role in (Role.ANALYST, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER, Role.ADMIN, Role.PARTNER):
        assert Case.objects.visible_to(users[role]).count() == 0, role


def test_every_view_of_a_case_is_audited(users) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    client.get(reverse("cases:case_detail", args=[case.reference]))
    client.get(reverse("cases:plan_history", args=[case.reference]))
    client.get(reverse("cases:plan_edit", args=[case.reference]))
    client.get(reverse("cases:duties", args=[case.reference]))
    views = AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk),
                                      actor=users[Role.CASE_MANAGER])
    assert sorted(views.values_list("reason", flat=True)) == [
        "case work", "informing and provenance", "support plan", "support plan history"]


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
    assert v1.number == 1 and [i["compulsory"] for i in v1.data["interventions"]] == [False, True]
    v2 = services.save_plan(case, goals=goals[:1], protective_factors="Betrokken moeder.",
                            interventions=[intervention("mentor")], base_version=1, change_note="Gebiedsverbod af",
                            actor=manager)
    assert v2.number == 2 and PlanVersion.objects.filter(case=case).count() == 2
    history = verified_client(manager).get(reverse("cases:plan_history", args=[case.reference])).content.decode()
    assert "Gebiedsverbod af" in history and "Eerste plan" in history and "Gebiedsverbod (burgemeester)" in history


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
    assert case.status == CaseStatus.CLOSED and case.closed_on == today
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
    assert case.informing_delay_reason.startswith("Lopend") and case.contributions.get().category == "police"


def test_the_dashboard_shows_my_cases_actions_and_reviews(users, time_machine) -> None:
    manager = users[Role.CASE_MANAGER]
    case = decided_case(users)
    consultation = case_consultations.plan_consultation(title="Casusoverleg week 50", held_on=timezone.localdate(),
                                              attendees=[manager], cases=[case], actor=users[Role.COORDINATOR])
    case_consultations.add_action(consultation.items.get(), description="Gesprek met school plannen", owner=manager,
                        due_on=timezone.localdate(), actor=manager)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=100))
    page = verified_client(manager).get(reverse("cases:dashboard")).content.decode()
    assert case.reference in page and "Gesprek met school plannen" in page and "te laat" in page


def test_the_case_team_sees_who_the_person_is_in_a_separate_audited_look(users) -> None:
    case = decided_case(users, "Noor Identiteit")
    manager = users[Role.CASE_MANAGER]
    client = verified_client(manager)
    detail = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Noor Identiteit" not in detail and reverse("cases:case_person", args=[case.reference]) in detail
    page = client.get(reverse("cases:case_person", args=[case.reference])).content.decode()
    assert "Noor Identiteit" in page
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(case.person.pk),
                                     actor=manager, detail__case=case.reference).exists()
    outsider = make_user("buiten", Role.CASE_MANAGER, organisation=manager.organisation)
    assert verified_client(outsider).get(reverse("cases:case_person", args=[case.reference])).status_code == 404


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
    assert page.count('name="goals-') >= 2 and 'name="goals-1-text"' not in page  # one empty row to start
    assert '<option value="" selected>—</option>' in page.split('name="interventions-0-consent"')[1][:300]
    response = client.post(url, plan_post(["Sam maakt school af."], [], add="goals", change_note=""))
    page = response.content.decode()
    assert response.status_code == 200 and 'name="goals-1-text"' in page and "Sam maakt school af." in page
    assert "utrecht-form-field-error-message" not in page and not PlanVersion.objects.exists()
    response = client.post(url, plan_post(["Sam maakt school af.", "Sam sport"], [], add="interventions"))
    assert '<option value="2">2. Sam sport</option>' in response.content.decode()  # goals chosen by name


def test_removing_a_goal_renumbers_the_interventions_or_asks_for_another_goal(users) -> None:
    case = decided_case(users)
    client = verified_client(users[Role.CASE_MANAGER])
    url = reverse("cases:plan_edit", args=[case.reference])
    goals = ["Sam maakt school af.", "Sam heeft een mentor."]
    refused = client.post(url, plan_post(goals, [{**MENTOR, "goal": "1"}], **{"goals-0-DELETE": "on"}))
    assert refused.status_code == 422 and "wordt verwijderd" in refused.content.decode()
    assert not PlanVersion.objects.exists()
    saved = client.post(url, plan_post(goals, [{**MENTOR, "goal": "2"}, {"type": "", "goal": ""}],
                                       **{"goals-0-DELETE": "on"}))
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    data = PlanVersion.objects.get().data
    assert data["goals"] == ["Sam heeft een mentor."] and data["interventions"][0]["goal"] == 1


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
    assert mine.reference in form and foreign.reference not in form
    held_on = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(reverse("cases:consultation_new"), {
        "title": "Casusoverleg Cas", "held_on": held_on, "attendees": [users[Role.CORE_PARTNER].pk],
        "cases": [mine.pk]})
    consultation = CaseConsultation.objects.get(title="Casusoverleg Cas")
    assert response.status_code == 302 and [i.case for i in consultation.items.all()] == [mine]
    assert manager in consultation.attendees.all()
    refused = client.post(reverse("cases:agenda_add", args=[consultation.pk]), {"case": foreign.reference})
    assert refused.status_code == 302 and consultation.items.count() == 1
    client.post(reverse("cases:agenda_add", args=[consultation.pk]), {"case": later.reference})
    assert {i.case for i in consultation.items.all()} == {mine, later}
    assert AuditEvent.objects.filter(object_type="cases.caseconsultation", object_id=str(consultation.pk),
                                     detail__added_case=later.reference).exists()
    with pytest.raises(ValidationError):
        case_consultations.plan_consultation(title="X", held_on=timezone.localdate(), attendees=[manager],
                                             cases=[foreign],
                                   actor=manager)
