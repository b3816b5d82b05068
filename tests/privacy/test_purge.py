"""Deletion on schedule: past every retention rule, purge leaves only content-free tombstones."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import services as cases
from netwerkregie.cases.models import AgendaItem, Case, PlanVersion
from netwerkregie.core.audit import verify_chain
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Assessment, Consultation, Finding, Signal
from netwerkregie.intake.services import ask_consultation, decide
from netwerkregie.network import services as network
from netwerkregie.network.models import Contact, ContactMoment, ContactTopic
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import LegalHold
from tests.case_helpers import close_approved, decided_case, intervention
from tests.intake_helpers import findings, on_agenda, session_with, submit

SECRETS = ("Quirine Zeldenrust", "Zeldenrust", "Wouter Vreugdenhil", "Vreugdenhil", "123456782")


def decided(users, name: str, decision: str) -> Signal:
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name)
    session = session_with(coordinator, title=f"Weging {decision}")
    on_agenda(signal, session, coordinator, name=name)
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6", decision=decision,
           rationale="Onderbouwing.", actor=coordinator)
    return signal


@pytest.fixture
def everything(users):
    """One record for every retention rule."""
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    unfounded = decided(users, "Quirine Zeldenrust", "closed_no_concern")  # 28 days
    monitored = decided(users, "Anna Monitor", "monitoring")  # 365 days
    undecided = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Onbesliste Persoon")
    case = decided_case(users, "Wouter Vreugdenhil")
    cases.save_plan(case, goals=["Wouter maakt school af."], protective_factors="", interventions=[
        intervention("mentor")], base_version=0, change_note="Plan", actor=manager)
    consultation = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(),
                                                        attendees=[manager],
                                           cases=[case], actor=coordinator)
    case_consultations.save_minutes(consultation.items.get(), minutes="Verslag over Wouter.", decisions="",
                                    actor=coordinator)
    close_approved(case, reason="goals_achieved", handover_note="Overgedragen.", actor=manager)
    ask_consultation(organisation=coordinator.organisation, question="Vraag zonder namen.", channel="phone",
                     asked_by=coordinator)
    contact = network.save_contact(Contact(organisation=coordinator.organisation, name="Petronella Kontakt",
                                           informed_on=timezone.localdate()), actor=coordinator)
    network.record_contact_moment(network.ContactMomentInput(
        happened_on=timezone.localdate(), kind="call", organisations=[coordinator.organisation], contacts=[contact],
        topic=ContactTopic.objects.first(), summary="Kennismaking."), actor=coordinator)
    return {"unfounded": unfounded, "monitored": monitored, "undecided": undecided, "case": case}


def purge_at(time_machine, days: int) -> str:
    time_machine.move_to(timezone.now() + datetime.timedelta(days=days))
    out = StringIO()
    call_command("purge", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_each_rule_removes_its_records_and_only_those(users, everything, time_machine) -> None:
    unfounded, monitored, case = everything["unfounded"], everything["monitored"], everything["case"]
    assert "Purged 0 records" in purge_at(time_machine, 0)
    purge_at(time_machine, 29)  # concern unfounded: 4 weeks
    assert not Signal.objects.filter(pk=unfounded.pk).exists()
    assert not Person.objects.filter(pk=unfounded.person_id).exists()
    assert not Assessment.objects.filter(signal_id=unfounded.pk).exists()
    assert Signal.objects.filter(pk=monitored.pk).exists()
    purge_at(time_machine, 183)  # the undecided signal (182 days)
    assert not Signal.objects.filter(pk=everything["undecided"].pk).exists()
    purge_at(time_machine, 183)  # a year: monitoring decision
    assert not Signal.objects.filter(pk=monitored.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()
    purge_at(time_machine, 366)  # two years: consultations, contact moments and contacts
    assert Consultation.objects.count() == 0
    assert ContactMoment.objects.count() == 0
    assert Contact.objects.count() == 0
    purge_at(time_machine, 5 * 366 - 2 * 366)  # five years after closure: the case and all it carries
    assert not Case.objects.filter(pk=case.pk).exists()
    assert PlanVersion.objects.count() == 0
    assert AgendaItem.objects.count() == 0
    assert Finding.objects.count() == 0
    assert Person.objects.count() == 0
    assert Signal.objects.count() == 0
    tombstones = AuditEvent.objects.filter(action="purge")
    assert {e.object_type for e in tombstones} >= {"cases.case", "intake.signal", "people.person",
                                                    "intake.consultation", "network.contactmoment", "network.contact",
                                                    "approvals.approval"}  # the closure's approval went with the case
    assert tombstones.filter(object_type="intake.signal", object_id=str(unfounded.pk),
                             reason="signal retention").count() == 1
    for event in tombstones:
        assert set(event.detail) == {"rule", "retain_until"}  # content-free
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_a_legal_hold_keeps_a_record(users, everything, time_machine) -> None:
    unfounded = everything["unfounded"]
    LegalHold.objects.create(object_type="intake.signal", object_id=str(unfounded.pk), created_by=users[
        Role.PRIVACY_OFFICER], reason="Vordering van de officier van justitie", until=timezone.localdate()
        + datetime.timedelta(days=60))
    time_machine.move_to(timezone.now() + datetime.timedelta(days=30))
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert f"intake.signal {unfounded.pk}" in out.getvalue()
    assert "held until" in out.getvalue()
    assert Signal.objects.filter(pk=unfounded.pk).exists()
    out = StringIO()
    call_command("purge", stdout=out)
    assert "1 under legal hold" in out.getvalue()
    assert Signal.objects.filter(pk=unfounded.pk).exists()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=61))  # the hold has ended
    call_command("purge", stdout=StringIO())
    assert not Signal.objects.filter(pk=unfounded.pk).exists()


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_no_plain_text_trace_is_left_in_the_database_file(users, everything, time_machine) -> None:
    person = everything["case"].person
    Person.objects.filter(pk=person.pk).update(bsn_hash="x")  # the hash is not the number either
    purge_at(time_machine, 6 * 366)
    assert Person.objects.count() == 0
    assert Contact.objects.count() == 0
    assert verify_chain().intact
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(connection.settings_dict["NAME"])
    content = b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())
    for secret in (*SECRETS, "Petronella Kontakt"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in content, secret


def test_every_purge_rule_reads_in_dutch_in_the_audit_log() -> None:
    from django.utils import translation

    from netwerkregie.core.audit_labels import reason_label
    from netwerkregie.privacy.purge import RULES

    with translation.override("nl"):
        assert [rule.name for rule in RULES if reason_label(rule.name) == rule.name] == []


def expired_signals(users, count: int) -> list[Signal]:
    signals = [submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=f"Persoon {n}")
               for n in range(count)]
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(retain_until=timezone.localdate()
                                                                 - datetime.timedelta(days=1))
    return signals


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_ten_records_as_for_three(users, monkeypatch,
                                                                     django_assert_max_num_queries) -> None:
    """Records go BATCH to a transaction, read with what their remnants and tombstones need: the queries
    do not grow with the records, and every record still leaves its remnant and its tombstone."""
    from netwerkregie.privacy import purge as purging
    from netwerkregie.privacy.models import StatisticalRemnant

    monkeypatch.setattr(purging, "BATCH", 50)
    expired_signals(users, 3)
    with CaptureQueriesContext(connection) as three:
        assert purging.purge().deleted == 3
    expired_signals(users, 10)
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert purging.purge().deleted == 10
    assert StatisticalRemnant.objects.filter(kind="signal").count() == 13
    assert AuditEvent.objects.filter(action="purge", object_type="intake.signal").count() == 13
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_record_that_cannot_go_does_not_keep_the_others(users, monkeypatch) -> None:
    """The batch is rolled back and done record by record: the others go, the one stays, the job fails
    (so monitoring sees it) and the next night tries again."""
    from django.db import DatabaseError

    from netwerkregie.privacy import purge as purging

    monkeypatch.setattr(purging, "BATCH", 3)
    signals = expired_signals(users, 5)
    stuck = signals[1]
    real = purging.remnant_for

    def failing(record):
        if record.pk == stuck.pk:
            raise DatabaseError("simulated")
        return real(record)

    monkeypatch.setattr(purging, "remnant_for", failing)
    with pytest.raises(purging.PurgeIncomplete, match="1 record"):
        purging.purge()
    assert list(Signal.objects.values_list("pk", flat=True)) == [stuck.pk]
    assert not AuditEvent.objects.filter(action="purge", object_type="intake.signal", object_id=str(stuck.pk)).exists()
    assert AuditEvent.objects.filter(action="purge", object_type="intake.signal").count() == 4
    assert verify_chain().intact
