"""A partner's contribution to the joint assessment moves no figure: the kept figures are not counted anew."""

import pytest

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, AuditEvent
from netwerkregie.reports.kept import touched_between

pytestmark = pytest.mark.django_db


def test_a_contribution_touches_no_section() -> None:
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    event = log_event(AuditAction.CREATE, actor_label="test", object_type="intake.contribution", object_id="1")
    touched = touched_between(before, event.sequence)
    assert touched.everything is False
