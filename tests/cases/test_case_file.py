"""The case file: opening a case, the team and its covenant, need-to-know access, auditing, the dashboard."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import services
from netwerkregie.cases.models import Case, CaseMembership, CaseStatus
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.models import Person
from tests.case_helpers import case_work_covenant, decided_case
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db


def test_a_case_opens_from_a_signal_decided_to_the_case_consultation(users) -> None:
    case = decided_case(users)
    assert case.reference.startswith("C-")
    assert case.status == CaseStatus.OPEN
    assert case.person.is_minor  # born 2010: reviewed every 61 days instead of 91
    assert case.next_review_on == timezone.localdate() + datetime.timedelta(days=61)
    assert case.person.retain_until >= case.retain_until
    assert AuditEvent.objects.filter(action="create", object_type="cases.case", object_id=str(case.pk)).exists()


def test_a_direct_case_needs_a_written_reason(users) -> None:
    person = Person.objects.create(name="Sam Vos", retain_until=timezone.localdate())
    client = verified_client(users[Role.COORDINATOR])
    post = {"pseudonym": person.pseudonym, "case_manager": users[Role.CASE_MANAGER].pk, "ideology": "unclear"}
    refused = client.post(reverse("cases:case_new"), post)
    assert "reason" in refused.context["form"].errors
    assert Case.objects.count() == 0
    sibling = Person.objects.create(name="Kim Vos", retain_until=timezone.localdate())
    unknown = client.post(reverse("cases:case_new"), {**post, "reason": "Melding.", "related": "P-ZZZZZ"})
    assert "related" in unknown.context["form"].errors
    assert Case.objects.count() == 0
    opened = client.post(reverse("cases:case_new"), {**post, "reason": "Melding van de politie over dreigende taal.",
                                                     "related": sibling.pseudonym.lower()})
    assert opened.status_code == 302
    assert Case.objects.get().opened_reason.startswith("Melding")
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
    assert case_a.reference in page
    assert case_b.reference not in page
    assert "geen toegang" in page
    pdf = client.get(reverse("cases:minutes_pdf", args=[consultation.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
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


def test_the_dashboard_shows_my_cases_actions_and_reviews(users, time_machine) -> None:
    manager = users[Role.CASE_MANAGER]
    case = decided_case(users)
    consultation = case_consultations.plan_consultation(title="Casusoverleg week 50", held_on=timezone.localdate(),
                                              attendees=[manager], cases=[case], actor=users[Role.COORDINATOR])
    case_consultations.add_action(consultation.items.get(), description="Gesprek met school plannen", owner=manager,
                        due_on=timezone.localdate(), actor=manager)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=100))
    page = verified_client(manager).get(reverse("cases:dashboard")).content.decode()
    assert case.reference in page
    assert "Gesprek met school plannen" in page
    assert "te laat" in page


def test_the_case_team_sees_who_the_person_is_in_a_separate_audited_look(users) -> None:
    case = decided_case(users, "Noor Identiteit")
    manager = users[Role.CASE_MANAGER]
    client = verified_client(manager)
    detail = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Noor Identiteit" not in detail
    assert reverse("cases:case_person", args=[case.reference]) in detail
    page = client.get(reverse("cases:case_person", args=[case.reference])).content.decode()
    assert "Noor Identiteit" in page
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(case.person.pk),
                                     actor=manager, detail__case=case.reference).exists()
    outsider = make_user("buiten", Role.CASE_MANAGER, organisation=manager.organisation)
    assert verified_client(outsider).get(reverse("cases:case_person", args=[case.reference])).status_code == 404
