"""The joint assessment: findings with justifications, a decision with its rationale, the
one-party flag, retention per decision, and telling recipients when a concern is unfounded."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Assessment, AssessmentCriterion, Signal, SignalStatus
from netwerkregie.intake.services import decide
from netwerkregie.network.models import Organisation, Sector
from tests.conftest import make_user, verified_client
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.mail_helpers import delivered
from tests.notifications.helpers import start_afresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def police() -> Organisation:
    return Organisation.objects.create(name="Politie Eenheid Teststad", sector=Sector.POLICE)


@pytest.fixture
def agenda(users, police):
    """A signal on the agenda of a session with the coordinator and an officer of the police."""
    officer = make_user("olaf", Role.CORE_PARTNER, organisation=police)
    session = session_with(users[Role.COORDINATOR], officer)
    signal = on_agenda(submit(users[Role.PARTNER].organisation, users[Role.PARTNER]), session,
                       users[Role.COORDINATOR])
    return signal, session, officer


def decision_post(decision: str = "monitoring", **changes: str) -> dict[str, str]:
    data = {"legal_criterion": "Convenant Veiligheidshuis art. 5", "decision": decision,
            "rationale": "Zorgen zijn reëel; school en jongerenwerk houden contact."}
    for criterion in AssessmentCriterion.objects.all():
        data[f"finding_{criterion.code}"] = "unknown"
        data[f"justification_{criterion.code}"] = "Besproken; onvoldoende informatie."
    data.update(changes)
    return data


def test_a_joint_decision_is_recorded_with_its_reasons_and_retention(agenda, users) -> None:
    signal, session, _officer = agenda
    coordinator = users[Role.COORDINATOR]  # the decision is the coordinator's; the police contribute
    client = verified_client(coordinator)
    url = reverse("intake:session_decide", args=[session.pk, signal.reference])
    assert f"Signaal {signal.reference} wegen" in client.get(url).content.decode()
    response = client.post(url, decision_post("monitoring"))
    assert response.status_code == 302
    signal.refresh_from_db()
    assessment = signal.assessment
    assert signal.status == SignalStatus.DECIDED
    assert assessment.decided_by == coordinator
    assert assessment.assessed_by_one_party is False
    assert assessment.findings.count() == AssessmentCriterion.objects.count()
    today = timezone.localdate()
    assert assessment.review_on == today + datetime.timedelta(days=91)
    assert signal.retain_until == today + datetime.timedelta(days=365)
    assert signal.person.retain_until == signal.retain_until
    assert AuditEvent.objects.filter(action="decide", object_id=str(signal.pk), actor=coordinator).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"legal_criterion": ""}, "legal_criterion"),
        ({"finding_intent": "present", "justification_intent": ""}, "justification_intent"),
        ({"finding_intent": "absent", "justification_intent": "  "}, "justification_intent"),
        ({"finding_intent": "high"}, "finding_intent"),
        ({"decision": "score_7"}, "decision"),
        ({"rationale": "<script>alert(1)</script>"}, "rationale"),
    ],
)
def test_a_decision_without_its_reasons_is_refused(agenda, users, changes: dict, field: str) -> None:
    signal, session, _officer = agenda
    url = reverse("intake:session_decide", args=[session.pk, signal.reference])
    response = verified_client(users[Role.COORDINATOR]).post(url, decision_post(**changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ON_AGENDA
    assert not hasattr(signal, "assessment")


def test_the_participant_reads_the_signal_beside_the_form_and_unknown_needs_no_justification(agenda, users) -> None:
    signal, session, _officer = agenda
    client = verified_client(users[Role.COORDINATOR])
    url = reverse("intake:session_decide", args=[session.pk, signal.reference])
    page = client.get(url).content.decode()
    aside = page.split('<aside class="nr-panel nr-beside__aside"')[1].split("</aside>")[0]
    assert signal.description[:30] in aside.replace("&#x27;", "'")
    unknown = {f"justification_{c.code}": "" for c in AssessmentCriterion.objects.all()}
    response = client.post(url, decision_post(**unknown))
    assert response.status_code == 302
    assert {f.justification for f in Assessment.objects.get(signal=signal).findings.all()} == {""}


def test_a_decision_by_the_municipality_alone_is_flagged(users) -> None:
    coordinator = users[Role.COORDINATOR]
    session = session_with(coordinator)
    signal = on_agenda(submit(users[Role.PARTNER].organisation, users[Role.PARTNER]), session, coordinator)
    page = verified_client(coordinator).get(reverse("intake:session_detail", args=[session.pk])).content.decode()
    assert "door één partij gewogen" in page
    assessment = decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 5",
                        decision="advice_given", rationale="Advies aan de school gegeven.", actor=coordinator)
    assert assessment.assessed_by_one_party is True
    detail = verified_client(coordinator).get(reverse("intake:signal_detail", args=[signal.reference]))
    assert "Door één partij gewogen" in detail.content.decode()


def test_concern_unfounded_erases_within_four_weeks_and_tells_the_recipients(
    agenda, users, django_capture_on_commit_callbacks
) -> None:
    signal, session, officer = agenda
    start_afresh()  # the coordinator was told of the new signal
    with django_capture_on_commit_callbacks(execute=True):
        decide(signal, session=session, findings=findings("absent"), legal_criterion="Convenant art. 5",
               decision="closed_no_concern", rationale="Misverstand; geen zorg.", actor=users[Role.COORDINATOR])
    signal.refresh_from_db()
    assert signal.retain_until == timezone.localdate() + datetime.timedelta(days=28)
    assert signal.person.retain_until == signal.retain_until
    sent = delivered()  # one message per recipient, naming neither the signal nor the person
    assert sorted(m.to for m in sent) == sorted([[users[Role.PARTNER].email], [users[Role.COORDINATOR].email],
                                                 [officer.email]])
    assert all(text not in m.subject + m.body for m in sent for text in (signal.reference, "Jesse"))
    assert AuditEvent.objects.filter(action="notify", object_id=str(signal.pk)).exists()


def test_only_participants_decide_and_only_on_the_agenda(agenda, users) -> None:
    signal, session, _officer = agenda
    outsider = users[Role.CORE_PARTNER]  # a core partner who is not in this session
    url = reverse("intake:session_decide", args=[session.pk, signal.reference])
    assert verified_client(outsider).get(url).status_code == 404
    with pytest.raises(ValidationError):
        decide(signal, session=session, findings=findings(), legal_criterion="x", decision="monitoring",
               rationale="x", actor=outsider)
    other = session_with(users[Role.COORDINATOR], title="Ander overleg")
    with pytest.raises(ValidationError):
        decide(signal, session=other, findings=findings(), legal_criterion="x", decision="monitoring",
               rationale="x", actor=users[Role.COORDINATOR])
    assert Signal.objects.get().status == SignalStatus.ON_AGENDA


def test_every_criterion_needs_a_finding(agenda, users) -> None:
    signal, session, _officer = agenda
    with pytest.raises(ValidationError, match=r"elk criterium|every criterion"):
        decide(signal, session=session, findings=findings()[:2], legal_criterion="Convenant art. 5",
               decision="monitoring", rationale="Zorgen.", actor=users[Role.COORDINATOR])


def test_the_triage_queue_is_ordered_by_due_date_and_marks_overdue(users, time_machine) -> None:
    partner = users[Role.PARTNER]
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))
    old = submit(partner.organisation, partner)
    time_machine.move_to(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))
    new = submit(partner.organisation, partner, acute_danger=True)
    client = verified_client(users[Role.COORDINATOR])
    page = client.get(reverse("intake:triage")).content.decode()
    assert page.index(old.reference) < page.index(new.reference)
    assert "te laat" in page
    assert "1 te laat" in page
    phone_only = client.get(reverse("intake:triage"), {"channel": "phone"}).content.decode()
    assert old.reference not in phone_only
    partial = client.get(reverse("intake:triage"), {"status": "new"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert old.reference in partial


def test_assessment_sessions_are_for_core_parties_only(users) -> None:
    with pytest.raises(ValidationError):
        session_with(users[Role.COORDINATOR], users[Role.PARTNER])
