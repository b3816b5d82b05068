"""A joint assessment that is joint: each participating partner records its own contribution (what its
organisation knows, its view per criterion), the coordinator records the decision with the contributions
beside it, once for every signal about the same person on the agenda; a reveal is per person per session;
contributions live and die with their signal and are in the access export."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.contributions import record_contribution
from netwerkregie.intake.joint import decide_together
from netwerkregie.intake.models import (
    Assessment,
    AssessmentCriterion,
    AssessmentSession,
    Contribution,
    IdentityReveal,
    Signal,
    SignalStatus,
)
from netwerkregie.people.services import PersonInput, create_person
from netwerkregie.privacy.export_access import access_export
from netwerkregie.privacy.merge import merge_persons
from netwerkregie.privacy.purge import purge
from tests.conftest import make_user, verified_client
from tests.intake.test_assessment import decision_post
from tests.intake_helpers import findings, one_person_on_agenda, police_officer

pytestmark = pytest.mark.django_db
NAME, BORN = "Yusuf Demir", datetime.date(2009, 3, 14)
KNOWS = "Bij de wijkagent bekend van twee gesprekken met de ouders; geen strafbare feiten."


@pytest.fixture
def police() -> User:
    return police_officer()


@pytest.fixture
def agenda(users: dict[str, User], police: User) -> tuple[Signal, Signal, AssessmentSession]:
    """Two signals about Yusuf Demir on the agenda of a session with the coordinator and the police."""
    reports = [("Yusuf dreigt klasgenoten in de klassenapp.", NAME), ("Joesoef deelt filmpjes.", "Joesoef")]
    return one_person_on_agenda(users[Role.COORDINATOR], police, reports, name=NAME, born=BORN)


def views(value: str = "unknown") -> dict[AssessmentCriterion, str]:
    return {c: value for c in AssessmentCriterion.objects.filter(is_active=True)}


def contribution_post(knowledge: str = KNOWS) -> dict[str, str]:
    return {"knowledge": knowledge, **{f"view_{c.code}": "recognisable" for c in AssessmentCriterion.objects.all()}}


def test_a_partner_records_a_contribution_and_gets_no_decision_form(agenda, police: User) -> None:
    first, _second, session = agenda
    client = verified_client(police)
    page = client.get(reverse("intake:session_decide", args=[session.pk, first.reference])).content.decode()
    assert 'name="knowledge"' in page
    assert 'name="rationale"' not in page
    response = client.post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                           contribution_post())
    assert response.status_code == 302
    contribution = Contribution.objects.get(signal=first)
    assert contribution.knowledge == KNOWS
    assert contribution.organisation == police.organisation
    assert {v.view for v in contribution.views.all()} == {"recognisable"}
    assert AuditEvent.objects.filter(action="create", object_type="intake.contribution",
                                     object_id=str(contribution.pk), actor=police).exists()


def test_a_partner_cannot_record_the_decision(agenda, police: User) -> None:
    first, _second, session = agenda
    response = verified_client(police).post(reverse("intake:session_decide", args=[session.pk, first.reference]),
                                            decision_post("monitoring"))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.decide(first, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                        decision="advice_given", rationale="Advies.", actor=police)
    assert not Assessment.objects.exists()


def test_the_author_changes_the_contribution_until_the_decision_and_not_after(agenda, police, users) -> None:
    first, _second, session = agenda
    contribution = record_contribution(first, session=session, actor=police, knowledge="Eerste versie.",
                                       views=views())
    record_contribution(first, session=session, actor=police, knowledge=KNOWS, views=views("not_recognisable"))
    contribution.refresh_from_db()
    assert contribution.knowledge == KNOWS
    assert AuditEvent.objects.filter(action="update", object_type="intake.contribution").count() == 1
    services.decide(first, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="advice_given", rationale="Advies.", actor=users[Role.COORDINATOR])
    with pytest.raises(ValidationError):
        record_contribution(first, session=session, actor=police, knowledge="Te laat.", views=views())
    assert Contribution.objects.get().knowledge == KNOWS


def test_a_contribution_that_names_a_special_category_needs_a_reason(agenda, police: User) -> None:
    first, _second, session = agenda
    with pytest.raises(services.SpecialCategoryFlagged):
        record_contribution(first, session=session, actor=police, knowledge="Hij bezoekt de moskee.", views=views())
    assert not Contribution.objects.exists()


def test_the_coordinator_reads_the_contributions_beside_the_decision_and_each_read_is_audited(
        agenda, police, users) -> None:
    first, second, session = agenda
    contribution = record_contribution(first, session=session, actor=police, knowledge=KNOWS, views=views())
    page = verified_client(users[Role.COORDINATOR]).get(
        reverse("intake:session_decide", args=[session.pk, first.reference])).content.decode()
    assert KNOWS in page
    assert 'name="rationale"' in page
    assert f'value="{second.pk}"' in page
    assert 'name="also_for"' in page
    assert AuditEvent.objects.filter(action="view", object_type="intake.contribution",
                                     object_id=str(contribution.pk), actor=users[Role.COORDINATOR]).exists()


def test_one_decision_by_the_coordinator_covers_both_signals_of_the_person(agenda, users) -> None:
    first, second, session = agenda
    coordinator = users[Role.COORDINATOR]
    response = verified_client(coordinator).post(reverse("intake:session_decide", args=[session.pk, first.reference]),
                                                 {**decision_post("monitoring"), "also_for": [second.pk]})
    assert response.status_code == 302
    assessments = Assessment.objects.filter(signal__in=[first, second])
    assert {a.decision for a in assessments} == {"monitoring"}
    assert assessments.count() == 2
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.DECIDED}
    assert AuditEvent.objects.filter(action="decide", actor=coordinator).count() == 2


def test_an_unticked_signal_stays_on_the_agenda(agenda, users) -> None:
    first, second, session = agenda
    verified_client(users[Role.COORDINATOR]).post(reverse("intake:session_decide", args=[session.pk, first.reference]),
                                                  decision_post("monitoring"))
    second.refresh_from_db()
    assert second.status == SignalStatus.ON_AGENDA


def test_one_decision_for_two_signals_is_all_or_nothing(agenda, users) -> None:
    first, second, session = agenda
    coordinator = users[Role.COORDINATOR]
    seen = Signal.objects.get(pk=second.pk)  # the form was opened before the second was decided elsewhere
    services.decide(second, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="advice_given", rationale="Advies.", actor=coordinator)
    with pytest.raises(ValidationError):
        decide_together(first, also=[seen], session=session, findings=findings(), legal_criterion="Convenant art. 6",
                        decision="monitoring", rationale="Volgen.", actor=coordinator)
    first.refresh_from_db()
    assert first.status == SignalStatus.ON_AGENDA


def test_a_reveal_shows_the_identity_on_both_signals_with_one_event(agenda, police: User) -> None:
    first, second, session = agenda
    client = verified_client(police)
    client.post(reverse("intake:session_reveal", args=[session.pk, first.reference]),
                {"reason": "Nodig om politiesystemen te raadplegen."})
    for signal in (first, second):
        page = client.get(reverse("intake:session_decide", args=[session.pk, signal.reference])).content.decode()
        assert NAME in page
    assert IdentityReveal.objects.filter(user=police).count() == 2
    assert AuditEvent.objects.filter(reason="identity revealed", actor=police).count() == 1


def test_other_signals_list_the_one_on_the_same_agenda(agenda, police: User) -> None:
    first, second, session = agenda
    page = verified_client(police).get(
        reverse("intake:session_decide", args=[session.pk, first.reference])).content.decode()
    assert second.reference in page


def test_a_non_participant_cannot_read_the_contributions(agenda, police: User) -> None:
    first, _second, session = agenda
    record_contribution(first, session=session, actor=police, knowledge=KNOWS, views=views())
    outsider = make_user("rechercheur", Role.CORE_PARTNER, organisation=police.organisation)
    response = verified_client(outsider).get(reverse("intake:session_decide", args=[session.pk, first.reference]))
    assert response.status_code == 404
    assert not Contribution.objects.visible_to(outsider).exists()


def test_contributions_are_in_the_access_export_and_purged_with_their_signal(agenda, police: User) -> None:
    first, _second, session = agenda
    record_contribution(first, session=session, actor=police, knowledge=KNOWS, views=views())
    entry = next(s for s in access_export(first.person)["signals"] if s["reference"] == first.reference)
    assert [(c["by"], c["knowledge"]) for c in entry["contributions"]] == [("Kernpartner, Politie Teststad", KNOWS)]
    purge(first.retain_until + datetime.timedelta(days=1))
    assert not Signal.objects.filter(pk=first.pk).exists()
    assert not Contribution.objects.exists()


def test_the_signal_panel_has_no_scroll_box_of_its_own(settings) -> None:
    css = (settings.PACKAGE_DIR / "static/netwerkregie/app.css").read_text()
    aside = next(line for line in css.splitlines() if line.startswith(".nr-beside__aside"))
    assert "overflow-y" not in aside
    assert "max-block-size" not in aside


def test_a_contribution_sent_after_the_decision_is_turned_away_with_who_decided(agenda, police, users) -> None:
    first, _second, session = agenda
    services.decide(first, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                    decision="advice_given", rationale="Advies.", actor=users[Role.COORDINATOR])
    response = verified_client(police).post(reverse("intake:session_contribute", args=[session.pk, first.reference]),
                                            contribution_post(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("intake:session_detail", args=[session.pk])
    assert "intussen al besloten" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_contribution_follows_its_signal_when_two_registrations_are_merged(agenda, police, users) -> None:
    first, _second, session = agenda
    record_contribution(first, session=session, actor=police, knowledge=KNOWS, views=views())
    keep = create_person(PersonInput(name="Yusuf Demir", birth_date=BORN), actor=users[Role.COORDINATOR],
                         retain_until=first.retain_until)
    gone = first.person
    merge_persons(keep, gone, actor=users[Role.COORDINATOR], reason="Dezelfde leerling, twee keer geregistreerd.")
    entry = next(s for s in access_export(keep)["signals"] if s["reference"] == first.reference)
    assert [c["knowledge"] for c in entry["contributions"]] == [KNOWS]
