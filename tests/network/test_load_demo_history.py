"""``load_demo`` with its years of history (through the services, each step on its own day): loaded once for the
module (``tests.demo_snapshot.demo_for_the_module``), as each load takes half a minute; the tests read it, and one
runs the command again on top of it."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.cases.models import Case, PlanVersion
from netwerkregie.core.audit import verify_chain
from netwerkregie.core.models import RoleAssignment, User
from netwerkregie.intake.models import AssessmentSession, Consultation, Signal
from netwerkregie.network.models import Contact, ContactMoment, Covenant, Neighbourhood, Organisation
from netwerkregie.people.models import Person
from netwerkregie.programmes.models import Activity, Expense
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db

demo_loaded = demo_for_the_module()


@pytest.fixture
def demo(demo_loaded: Path, settings: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]


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


def test_it_is_safe_to_run_twice(demo: None) -> None:
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    assert verify_chain().intact



def test_it_loads_years_of_history_through_the_services_at_a_middle_sized_scale(demo: None) -> None:
    from collections import Counter

    from django.utils import timezone

    from netwerkregie.core.models import AuditEvent
    from netwerkregie.privacy.models import StatisticalRemnant

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



def test_it_shows_pseudonymous_assessment_and_registrations_that_lapse(demo: None) -> None:
    from django.utils import timezone

    from netwerkregie.intake.models import IdentityReveal

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
