"""Closing a case takes it off the agendas of consultations still to come; past agendas (and today's) keep it,
and each change is audited as an agenda change."""

import datetime

import pytest
from django.utils import timezone

from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.consultations import plan_consultation
from netwerkregie.cases.models import AgendaItem, Case, CaseConsultation
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from tests.case_helpers import decided_case

pytestmark = pytest.mark.django_db


def consultation_on(users: dict[str, User], case: Case, days: int) -> CaseConsultation:
    coordinator = users[Role.COORDINATOR]
    return plan_consultation(title=f"Casusoverleg {days}", held_on=timezone.localdate() + datetime.timedelta(days=days),
                             attendees=[coordinator], cases=[case], actor=coordinator)


def close(case: Case, users: dict[str, User], **kwargs: object) -> None:
    case_closure.close_case(case, reason="goals_achieved", handover_note="Doelen bereikt; school volgt.",
                            actor=users[Role.COORDINATOR], approved=True, **kwargs)


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    return decided_case(users)


def test_closing_takes_the_case_off_a_future_agenda(users: dict[str, User], case: Case) -> None:
    future = consultation_on(users, case, 7)
    close(case, users)
    assert not AgendaItem.objects.filter(consultation=future, case=case).exists()


def test_closing_leaves_the_case_on_a_past_agenda(users: dict[str, User], case: Case) -> None:
    past = consultation_on(users, case, -7)
    close(case, users)
    assert AgendaItem.objects.filter(consultation=past, case=case).exists()


def test_closing_leaves_the_case_on_todays_agenda(users: dict[str, User], case: Case) -> None:
    today = consultation_on(users, case, 0)
    close(case, users)
    assert AgendaItem.objects.filter(consultation=today, case=case).exists()


def test_taking_the_case_off_is_audited_as_an_agenda_change(users: dict[str, User], case: Case) -> None:
    future = consultation_on(users, case, 7)
    close(case, users)
    assert AuditEvent.objects.filter(object_type="cases.caseconsultation", object_id=str(future.pk),
                                     action="update", detail__removed_case=case.reference).exists()


def test_a_case_closed_with_monitoring_stays_on_a_future_agenda(users: dict[str, User], case: Case) -> None:
    future = consultation_on(users, case, 7)
    close(case, users, monitoring_until=timezone.localdate() + datetime.timedelta(days=90))
    assert AgendaItem.objects.filter(consultation=future, case=case).exists()
