"""A legal hold is one act: the hold and its audit event are written together or not at all."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.privacy import services
from netwerkregie.privacy.models import LegalHold
from tests.case_helpers import decided_case

pytestmark = pytest.mark.django_db


def test_a_hold_whose_audit_event_cannot_be_written_is_not_kept(users, monkeypatch) -> None:
    case = decided_case(users)
    officer = users[Role.PRIVACY_OFFICER]

    def broken_log(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(services, "log_event", broken_log)
    with pytest.raises(RuntimeError):
        services.place_legal_hold(kind="cases.case", reference=case.reference, reason="Vordering van het OM.",
                                  until=timezone.localdate() + datetime.timedelta(days=30), actor=officer)
    assert LegalHold.objects.count() == 0


def test_a_hold_names_its_record_by_reference_and_is_audited(users) -> None:
    case = decided_case(users)
    officer = users[Role.PRIVACY_OFFICER]
    hold = services.place_legal_hold(kind="cases.case", reference=f" {case.reference.lower()} ",
                                     reason="Vordering van het OM.", actor=officer,
                                     until=timezone.localdate() + datetime.timedelta(days=30))
    assert hold.object_id == str(case.pk)
    assert AuditEvent.objects.filter(object_type="privacy.legalhold", object_id=str(hold.pk)).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.place_legal_hold(kind="cases.case", reference="C-1999-XXXXX", reason="Bezwaar.", actor=officer,
                                  until=timezone.localdate() + datetime.timedelta(days=30))
    assert "reference" in refused.value.message_dict
    assert LegalHold.objects.count() == 1
