"""What the demo municipality holds (``load_demo --no-history``), loaded once for the module
(``tests.demo_snapshot.demo_for_the_module``); each test reads it."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.intake.models import AssessmentSession, Consultation, Signal, SignalStatus
from netwerkregie.network.models import Contact, ContactMoment, Covenant, Organisation
from netwerkregie.programmes.models import Activity
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db

demo_loaded = demo_for_the_module("--no-history")


@pytest.fixture
def demo(demo_loaded: Path, settings: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]


def test_it_shows_signals_in_every_status_consultations_and_decisions(demo: None) -> None:
    assert set(Signal.objects.values_list("status", flat=True)) == set(SignalStatus.values)
    assert any(signal.is_overdue for signal in Signal.objects.all())
    decided = Signal.objects.filter(status=SignalStatus.DECIDED)
    assert {s.assessment.decision for s in decided} == {"monitoring", "closed_no_concern", "referred_to_regular_care",
                                                        "to_case_conference"}
    assert not any(s.assessment.assessed_by_one_party for s in decided)
    assert Consultation.objects.exclude(advice="").exists()
    assert Consultation.objects.filter(advice="").exists()
    assert AssessmentSession.objects.count() == 2


def test_it_fills_the_network_and_the_programmes(demo: None) -> None:
    assert Contact.objects.count() == Organisation.objects.count()
    assert set(Covenant.objects.values_list("for_case_work", flat=True)) == {True, False}
    assert all(c.document for c in Covenant.objects.all())
    assert ContactMoment.objects.count() >= 20
    assert Activity.objects.count() >= 7
    assert {a.type for a in Activity.objects.all()} >= {"school_lesson", "parent_training", "professional_training",
                                                         "community_dialogue", "internship_programme"}


def test_it_shows_cases_in_every_stage(demo: None) -> None:
    assert set(Case.objects.values_list("status", flat=True)) == {"open", "closed"}
    active = Case.objects.get(signals__isnull=False)
    assert active.plan_versions.count() == 2
    assert active.reviews.count() == 1
    assert active.agenda_items.exclude(minutes="").exists()
    assert active.memberships.count() == 1
    assert any(case.review_overdue for case in Case.objects.all())


def test_it_gives_the_privacy_officer_something_to_oversee(demo: None) -> None:

    from netwerkregie.cases.models import EmergencyAccess
    from netwerkregie.privacy.models import DataSubjectRequest, LegalHold

    assert DataSubjectRequest.objects.count() == 2
    assert LegalHold.objects.count() == 1
    assert set(DataSubjectRequest.objects.values_list("kind", flat=True)) == {"access", "erasure"}
    assert EmergencyAccess.objects.filter(reviewed_at__isnull=True).count() == 1
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "would be deleted" in out.getvalue()
    assert "held until" in out.getvalue()


def test_it_shows_a_probable_duplicate_to_the_coordinator(demo: None) -> None:
    from django.urls import reverse

    from tests.demo_pages import demo_client

    signal = Signal.objects.get(idempotency_key="demo-09")
    known = Signal.objects.get(idempotency_key="demo-07").person
    page = demo_client("netwerkregisseur").get(reverse("intake:signal_detail", args=[signal.reference]))
    assert [m.person for m in page.context["duplicates"]] == [known]


def test_it_shows_referrals_an_approval_and_a_ledger_of_every_kind(demo: None) -> None:
    from django.urls import reverse

    from netwerkregie.approvals.models import Approval
    from netwerkregie.disclosures.models import Disclosure, DisclosureKind
    from netwerkregie.privacy.models import DataSubjectRequest
    from netwerkregie.sharing.models import Referral
    from tests.conftest import verified_client

    accepted = Referral.objects.get(status="accepted")
    assert accepted.organisation.name == "Exitprogramma Nieuwe Koers"
    assert accepted.updates.exists()
    assert Referral.objects.filter(status="declined").exists()
    assert Approval.objects.filter(status="pending").exists()
    assert set(Disclosure.objects.values_list("kind", flat=True)) == set(DisclosureKind.values)
    request = DataSubjectRequest.objects.get(kind="access")
    assert request.person == accepted.person
    officer = verified_client(User.objects.get(email="privacy@demo.netwerkregie.test"))
    export = officer.get(reverse("privacy:export_json", args=[request.pk])).json()
    assert {entry["what"] for entry in export["received_by"]} >= {
        "Verwijzing aanvaard", "Teamlid van een andere organisatie",
        "Verslag voor een deelnemer van een andere organisatie", "Inzage-export voor de betrokkene"}
    assert {r["status"] for r in export["referrals"]} == {"Aanvaard", "Afgewezen"}
    recipient = verified_client(User.objects.get(email="ontvanger@demo.netwerkregie.test"))
    assert accepted.reference in recipient.get(reverse("sharing:inbox")).content.decode()
