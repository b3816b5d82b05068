"""Registrations that lapse unless someone re-justifies them: monitoring signals and running cases."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import services as cases
from netwerkregie.cases.justification import rejustify_case
from netwerkregie.cases.models import Case, CaseJustification
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services as intake
from netwerkregie.intake.justification import end_monitoring, rejustify_monitoring
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.ops.jobs import run_job
from netwerkregie.privacy.lapse import lapse
from netwerkregie.reports import figures
from tests.case_helpers import case_work_covenant, decided_case
from tests.conftest import make_user, verified_client
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.mail_helpers import delivered
from tests.notifications.helpers import start_afresh

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
ADULT = datetime.date(1995, 1, 1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def monitored(users: dict[str, User], name: str, born: datetime.date = datetime.date(1990, 1, 1)) -> Signal:
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name, subject_birth_date=born)
    on_agenda(signal, session_with(coordinator, title=f"Weging {name}"), coordinator, name=name)
    intake.decide(signal, session=signal.assessment_session, findings=findings(), decision="monitoring",
                  legal_criterion="Convenant art. 6", rationale="Volgen.", actor=coordinator)
    signal.refresh_from_db()
    return signal


def test_monitoring_and_cases_are_justified_for_a_period_shorter_for_minors(clock, users) -> None:
    today = timezone.localdate()
    assert monitored(users, "Volwassen Persoon").justified_until == today + datetime.timedelta(days=91)
    assert monitored(users, "Jonge Persoon", datetime.date(2012, 5, 5)).justified_until == today + datetime.timedelta(
        days=61)
    adult = decided_case(users, "Casus Volwassen", subject_birth_date=datetime.date(1995, 1, 1))
    minor = decided_case(users, "Casus Jong", subject_birth_date=datetime.date(2011, 1, 1))
    assert adult.justified_until == today + datetime.timedelta(days=365)
    assert minor.justified_until == today + datetime.timedelta(days=182)


def test_a_written_re_justification_moves_the_date_and_records_who_and_why(clock, users) -> None:
    signal = monitored(users, "Sam de Vries")
    coordinator = users[Role.COORDINATOR]
    with pytest.raises(ValidationError) as refused:
        rejustify_monitoring(signal, actor=coordinator, reason="   ")
    assert "reason" in refused.value.message_dict
    assert not signal.justifications.exists()
    clock.shift(datetime.timedelta(days=80))
    rejustify_monitoring(signal, actor=coordinator, reason="De school ziet nog dreigend gedrag.")
    signal.refresh_from_db()
    assert signal.justified_until == timezone.localdate() + datetime.timedelta(days=91)
    justification = signal.justifications.get()
    assert justification.justified_by == coordinator
    assert justification.reason == "De school ziet nog dreigend gedrag."
    assert AuditEvent.objects.filter(reason="re-justified", object_id=str(signal.pk)).exists()
    with pytest.raises(ValidationError):
        rejustify_monitoring(signal, actor=users[Role.CORE_PARTNER], reason="Ik wil het ook.")


def test_a_review_that_finds_the_case_still_necessary_counts_as_re_justification(clock, users) -> None:
    case = decided_case(users, "Casus Evaluatie", subject_birth_date=ADULT)
    clock.shift(datetime.timedelta(days=80))
    case_closure.add_review(case, held_on=timezone.localdate(), still_necessary=True,
                            rationale="Nog nodig: plan loopt.",
                     outcome="continue", next_review_on=timezone.localdate() + datetime.timedelta(days=60),
                     actor=users[Role.CASE_MANAGER])
    case.refresh_from_db()
    assert case.justified_until == timezone.localdate() + datetime.timedelta(days=365)
    assert CaseJustification.objects.get(case=case).review is not None


def test_the_lapse_closes_exactly_what_was_not_re_justified_and_is_idempotent(
        clock, users, municipality, django_capture_on_commit_callbacks) -> None:
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    kept_signal, lapsing_signal = monitored(users, "Blijft Gevolgd"), monitored(users, "Vervalt Vanzelf")
    police = Organisation.objects.create(name="Politie Lapse", sector=Sector.POLICE)
    case_work_covenant([municipality, police], coordinator)
    officer = make_user("wijkagent", Role.CORE_PARTNER, organisation=police)
    kept_case = decided_case(users, "Casus Blijft", subject_birth_date=ADULT)
    lapsing_case = decided_case(users, "Casus Vervalt", subject_birth_date=ADULT)
    cases.add_member(lapsing_case, user=officer, role_in_case="Wijkagent", reason="Kent de wijk", actor=coordinator)
    assert verified_client(officer).get(reverse("cases:case_detail", args=[lapsing_case.reference])).status_code == 200
    for _quarter in range(4):  # the kept signal is re-justified every 85 days, the other never
        clock.shift(datetime.timedelta(days=85))
        rejustify_monitoring(kept_signal, actor=coordinator, reason="Nog steeds zorgen bij school en jongerenwerk.")
    clock.shift(datetime.timedelta(days=20))
    rejustify_case(kept_case, actor=manager, reason="Exitbegeleiding loopt nog; afronden is nu te vroeg.")
    clock.shift(datetime.timedelta(days=10))  # 370 days after the start: both unjustified dates have passed
    retained = lapsing_signal.retain_until
    start_afresh()  # the new signals and the new team member were told
    with django_capture_on_commit_callbacks(execute=True):
        result = lapse()
    assert result.signals == [lapsing_signal.reference]
    assert result.cases == [lapsing_case.reference]
    lapsing_signal.refresh_from_db()
    lapsing_case.refresh_from_db()
    assert lapsing_signal.monitoring_lapsed
    assert lapsing_signal.monitoring_ended_on == timezone.localdate()
    # The clock runs: kept at most 91 days more (here less: the decision's own retention ends sooner).
    assert lapsing_signal.retain_until == min(retained, timezone.localdate() + datetime.timedelta(days=91))
    assert lapsing_case.closure_reason == "lapsed"
    assert lapsing_case.closed_on == timezone.localdate()
    assert lapsing_case.retain_until == timezone.localdate().replace(year=timezone.localdate().year + 5)
    assert Case.objects.get(pk=kept_case.pk).closed_on is None
    assert Signal.objects.get(pk=kept_signal.pk).monitoring_ended_on is None
    assert verified_client(officer).get(reverse("cases:case_detail", args=[lapsing_case.reference])).status_code == 404
    sent = delivered()  # one message per recipient, naming no registration
    assert sorted(m.to for m in sent) == sorted([[coordinator.email], [users[Role.PRIVACY_OFFICER].email]])
    references = (lapsing_case.reference, lapsing_signal.reference)
    assert all(ref not in m.subject + m.body for m in sent for ref in references)
    events = AuditEvent.objects.count()
    assert lapse().signals == []
    assert lapse().cases == []
    assert AuditEvent.objects.count() == events


def test_ending_monitoring_by_hand_is_not_a_lapse_and_partners_lose_sight(clock, users) -> None:
    signal = monitored(users, "Klaar Ermee")
    session_with(users[Role.COORDINATOR], users[Role.CORE_PARTNER])
    signal.assessment_session.participants.add(users[Role.CORE_PARTNER])
    assert Signal.objects.visible_to(users[Role.CORE_PARTNER]).filter(pk=signal.pk).exists()
    end_monitoring(signal, actor=users[Role.COORDINATOR])
    signal.refresh_from_db()
    assert signal.monitoring_ended_on == timezone.localdate()
    assert not signal.monitoring_lapsed
    assert not Signal.objects.visible_to(users[Role.CORE_PARTNER]).filter(pk=signal.pk).exists()


def test_the_nightly_purge_job_runs_the_lapse_first(clock, users) -> None:
    signal = monitored(users, "Nachtelijke Job")
    clock.shift(datetime.timedelta(days=92))
    run = run_job("purge")
    assert run.ok
    assert run.figures["lapsed"] == 1
    assert Signal.objects.get(pk=signal.pk).monitoring_lapsed


def test_the_responsible_people_see_what_is_due_on_their_today_page(clock, users) -> None:
    case = decided_case(users, "Casus Vandaag", subject_birth_date=ADULT)
    signal = monitored(users, "Signaal Vandaag")
    Case.objects.filter(pk=case.pk).update(justified_until=timezone.localdate() + datetime.timedelta(days=5))
    Signal.objects.filter(pk=signal.pk).update(justified_until=timezone.localdate() + datetime.timedelta(days=3))
    manager_page = verified_client(users[Role.CASE_MANAGER]).get(reverse("home")).content.decode()
    assert reverse("cases:case_justify", args=[case.reference]) in manager_page
    assert reverse("intake:signal_justify", args=[signal.reference]) not in manager_page
    coordinator_page = verified_client(users[Role.COORDINATOR]).get(reverse("home")).content.decode()
    assert reverse("intake:signal_justify", args=[signal.reference]) in coordinator_page
    assert "Nog nodig? Opnieuw onderbouwen of afsluiten" in coordinator_page


def test_the_re_justify_pages_save_with_a_reason_and_refuse_others(clock, users) -> None:
    case = decided_case(users, "Casus Formulier")
    manager = verified_client(users[Role.CASE_MANAGER])
    url = reverse("cases:case_justify", args=[case.reference])
    empty = manager.post(url, {"reason": ""})
    assert empty.status_code == 422
    assert "Dit veld is verplicht" in empty.content.decode()
    assert manager.post(url, {"reason": "Plan loopt nog; stoppen is te vroeg."}).status_code == 302
    assert CaseJustification.objects.filter(case=case, justified_by=users[Role.CASE_MANAGER]).exists()
    other = make_user("andere-regisseur", Role.CASE_MANAGER, organisation=users[Role.CASE_MANAGER].organisation)
    assert verified_client(other).get(url).status_code == 404
    signal = monitored(users, "Signaal Formulier")
    page = verified_client(users[Role.COORDINATOR]).post(reverse("intake:signal_justify", args=[signal.reference]),
                                                        {"end": "1"})
    assert page.status_code == 302
    assert Signal.objects.get(pk=signal.pk).monitoring_ended_on is not None


def test_reveals_re_justifications_and_lapses_are_counted_for_the_privacy_officer(clock, users, settings) -> None:
    settings.REPORT_SUPPRESS_BELOW = 2
    for name in ("Een Persoon", "Twee Persoon"):
        rejustify_monitoring(monitored(users, name), actor=users[Role.COORDINATOR], reason="Nog nodig.")
    clock.shift(datetime.timedelta(days=200))
    lapse()
    period = figures.Period.of(2026)
    rows = {row.label: row.count for row in figures.oversight(period).tables[0].rows}
    assert rows["monitoren opnieuw onderbouwd"] == 2
    assert rows["monitoren vervallen"] == 2
    page = verified_client(make_user("fg2", Role.PRIVACY_OFFICER, organisation=users[Role.COORDINATOR].organisation)
                           ).get(reverse("reports:index"), {"year": 2026}).content.decode()
    assert 'id="section-oversight"' in page
    assert 'id="section-signals"' not in page
