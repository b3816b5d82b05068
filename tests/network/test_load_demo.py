import datetime

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.cases.models import Case, PlanVersion
from netwerkregie.core.audit import verify_chain
from netwerkregie.core.models import RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentSession, Consultation, Signal, SignalStatus
from netwerkregie.network.models import Contact, ContactMoment, Covenant, Neighbourhood, Organisation, Sector
from netwerkregie.people.models import Person
from netwerkregie.programmes.models import Activity, Expense

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        Organisation.objects.count(),
        Neighbourhood.objects.count(),
        TOTPDevice.objects.count(),
        Signal.objects.count(),
        Person.objects.count(),
        Consultation.objects.count(),
        AssessmentSession.objects.count(),
        Contact.objects.count(),
        Covenant.objects.count(),
        ContactMoment.objects.count(),
        Activity.objects.count(),
        Expense.objects.count(),
        Case.objects.count(),
        PlanVersion.objects.count(),
    )


def test_it_refuses_to_run_outside_demo_mode(settings: object) -> None:
    settings.DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("load_demo", "--no-history")
    assert User.objects.count() == 0


def test_it_loads_a_municipality_with_every_sector_and_a_user_per_role(
    settings: object, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert Neighbourhood.objects.count() == 6
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.organisation is not None
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == user.requires_mfa
    output = capsys.readouterr().out
    password = (tmp_path / "demo-password").read_text()  # type: ignore[operator]
    assert password in output
    assert "netwerkregisseur@demo.netwerkregie.test" in output
    assert User.objects.get(email="privacy@demo.netwerkregie.test").check_password(password)


def test_it_is_safe_to_run_twice(settings: object, tmp_path: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert verify_chain().intact


def test_it_shows_signals_in_every_status_consultations_and_decisions(settings: object, tmp_path: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert set(Signal.objects.values_list("status", flat=True)) == set(SignalStatus.values)
    assert any(signal.is_overdue for signal in Signal.objects.all())
    decided = Signal.objects.filter(status=SignalStatus.DECIDED)
    assert {s.assessment.decision for s in decided} == {"monitoring", "closed_no_concern", "referred_to_regular_care",
                                                        "to_case_conference"}
    assert not any(s.assessment.assessed_by_one_party for s in decided)
    assert Consultation.objects.exclude(advice="").exists()
    assert Consultation.objects.filter(advice="").exists()
    assert AssessmentSession.objects.count() == 2


def test_it_fills_the_network_and_the_programmes(settings: object, tmp_path: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert Contact.objects.count() == Organisation.objects.count()
    assert set(Covenant.objects.values_list("for_case_work", flat=True)) == {True, False}
    assert all(c.document for c in Covenant.objects.all())
    assert ContactMoment.objects.count() >= 20
    assert Activity.objects.count() >= 7
    assert {a.type for a in Activity.objects.all()} >= {"school_lesson", "parent_training", "professional_training",
                                                         "community_dialogue", "internship_programme"}


def test_it_shows_cases_in_every_stage(settings: object, tmp_path: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert set(Case.objects.values_list("status", flat=True)) == {"open", "closed"}
    active = Case.objects.get(signals__isnull=False)
    assert active.plan_versions.count() == 2
    assert active.reviews.count() == 1
    assert active.agenda_items.exclude(minutes="").exists()
    assert active.memberships.count() == 1
    assert any(case.review_overdue for case in Case.objects.all())


def test_it_gives_the_privacy_officer_something_to_oversee(settings: object, tmp_path: object) -> None:
    from io import StringIO

    from netwerkregie.cases.models import EmergencyAccess
    from netwerkregie.privacy.models import DataSubjectRequest, LegalHold

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    assert DataSubjectRequest.objects.count() == 2
    assert LegalHold.objects.count() == 1
    assert set(DataSubjectRequest.objects.values_list("kind", flat=True)) == {"access", "erasure"}
    assert EmergencyAccess.objects.filter(reviewed_at__isnull=True).count() == 1
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "would be deleted" in out.getvalue()
    assert "held until" in out.getvalue()


def test_it_loads_years_of_history_through_the_services_at_a_middle_sized_scale(settings: object,
                                                                                tmp_path: object) -> None:
    from collections import Counter

    from django.utils import timezone

    from netwerkregie.core.models import AuditEvent
    from netwerkregie.privacy.models import StatisticalRemnant

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo")
    this_year = timezone.localdate().year
    history = Signal.objects.filter(idempotency_key__startswith="history-")
    received = Counter(s.received_at.year for s in history) + Counter(
        int(r.facts["received_on"][:4])
        for r in StatisticalRemnant.objects.filter(kind="signal"))
    assert set(received) == set(range(this_year - 3, this_year + 1))
    assert all(40 <= n <= 80 for n in received.values()), received
    opened = Counter(c.opened_on.year for c in Case.objects.all())
    assert all(8 <= opened[year] <= 22 for year in range(this_year - 3, this_year)), opened
    # The purge ran as it would have: old signals are gone, and left remnants (and tombstones) only.
    assert StatisticalRemnant.objects.filter(kind="signal").count() > 50
    assert not Signal.objects.filter(retain_until__lt=timezone.localdate()).exclude(
        idempotency_key__startswith="demo-").exists()
    assert AuditEvent.objects.filter(action="purge").count() >= StatisticalRemnant.objects.count()
    # Each step happened on its own day: a decision of three years ago is dated then.
    assert AuditEvent.objects.filter(action="decide", occurred_at__year=this_year - 3).exists()
    assert verify_chain().intact


def test_it_shows_pseudonymous_assessment_and_registrations_that_lapse(settings: object, tmp_path: object) -> None:
    from django.utils import timezone

    from netwerkregie.intake.models import IdentityReveal

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo")
    today = timezone.localdate()
    officer = User.objects.get(email="kernpartner@demo.netwerkregie.test")
    on_agenda = Signal.objects.filter(status="on_agenda", assessment_session__participants=officer)
    revealed = set(IdentityReveal.objects.filter(user=officer, signal__in=on_agenda).values_list("signal", flat=True))
    assert len(revealed) == 1
    assert on_agenda.exclude(pk__in=revealed).exists()
    assert IdentityReveal.objects.get(signal__in=revealed).reason
    assert Case.objects.filter(closed_on__isnull=True, justified_until__range=(
        today, today + datetime.timedelta(days=7))).exists()  # due for re-justification this week
    assert Case.objects.filter(closure_reason="lapsed").exists()
    assert Signal.objects.filter(monitoring_lapsed=True).exists()


def test_it_shows_a_probable_duplicate_to_the_coordinator(settings: object, tmp_path: object) -> None:
    from django.urls import reverse

    from tests.demo_pages import demo_client

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    signal = Signal.objects.get(idempotency_key="demo-09")
    known = Signal.objects.get(idempotency_key="demo-07").person
    page = demo_client("netwerkregisseur").get(reverse("intake:signal_detail", args=[signal.reference]))
    assert [m.person for m in page.context["duplicates"]] == [known]


def test_it_shows_referrals_an_approval_and_a_ledger_of_every_kind(settings: object, tmp_path: object) -> None:
    from django.urls import reverse

    from netwerkregie.approvals.models import Approval
    from netwerkregie.disclosures.models import Disclosure, DisclosureKind
    from netwerkregie.privacy.models import DataSubjectRequest
    from netwerkregie.sharing.models import Referral
    from tests.conftest import verified_client

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
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


def test_each_receiving_organisation_has_an_account_that_can_sign_in(settings: object, tmp_path: object,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from netwerkregie.sharing.answerable import unanswerable

    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history")
    password = (tmp_path / "demo-password").read_text()  # type: ignore[operator]
    receiving = list(Organisation.objects.filter(name__in=["Exitprogramma Nieuwe Koers", "Jeugdzorg Regio Lindeveen",
                                                           "GGZ Regio Lindeveen"]))
    assert len(receiving) == 3
    assert unanswerable(receiving) == []
    assert User.objects.get(email="jeugdzorg@demo.netwerkregie.test").check_password(password)
    assert "jeugdzorg@demo.netwerkregie.test" in capsys.readouterr().out
