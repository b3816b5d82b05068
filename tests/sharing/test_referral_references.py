"""A referral reference drawn twice is drawn again: one referral, its own audit events, no error."""

import pytest

from netwerkregie.core.models import AuditEvent
from netwerkregie.sharing import models as sharing_models
from netwerkregie.sharing.models import Referral
from tests.case_helpers import decided_case
from tests.identifier_helpers import characters, events_for, other_than, scripted_draw
from tests.sharing_helpers import receiving_organisation, referral

pytestmark = pytest.mark.django_db


def test_a_referral_reference_drawn_twice_is_drawn_again(users, monkeypatch) -> None:
    receiving_organisation(users)
    case = decided_case(users)
    taken = referral(users, case)
    fresh = other_than(characters(taken.reference))
    events = AuditEvent.objects.count()
    script = scripted_draw(monkeypatch, sharing_models, characters(taken.reference), fresh)

    made = referral(users, case)

    assert script == []
    assert made.reference == taken.reference.rsplit("-", 1)[0] + "-" + fresh
    assert Referral.objects.count() == 2
    assert events_for(made) == events_for(taken) == ["create", "notify"]  # created and sent, once
    assert AuditEvent.objects.count() == events + 2


def test_a_new_referral_reference_uses_the_readable_alphabet(users) -> None:
    receiving_organisation(users)
    made = referral(users, decided_case(users))
    assert set(characters(made.reference)) <= set("23456789BCDFGHJKLMNPQRSTVWXZ")  # no vowels, no 0/O 1/I
