"""A signal reference drawn twice is drawn again, through the same helper as every other identifier: on a
web form's submission and on the API's (outside any transaction, no savepoint)."""

import pytest

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake import models as intake_models
from netwerkregie.intake.models import Signal
from tests.identifier_helpers import characters, events_for, other_than, scripted_draw
from tests.intake_helpers import submit


def drawn_again(users, monkeypatch, by) -> None:
    organisation = users[Role.PARTNER].organisation
    taken = submit(organisation, users[Role.PARTNER])
    fresh = other_than(characters(taken.reference))
    events = AuditEvent.objects.count()
    script = scripted_draw(monkeypatch, intake_models, characters(taken.reference), fresh)

    signal = submit(organisation, by, subject_name="Sam de Vries")

    assert script == []
    assert signal.reference == taken.reference.rsplit("-", 1)[0] + "-" + fresh
    assert Signal.objects.count() == 2
    assert Signal.objects.get(reference=signal.reference).pk == signal.pk
    assert events_for(signal) == ["create"]
    assert AuditEvent.objects.count() == events + 1
    assert list(signal.observations.values_list("code", flat=True)) == ["justifies_violence"]


@pytest.mark.django_db
def test_a_signal_reference_drawn_twice_is_drawn_again(users, monkeypatch) -> None:
    drawn_again(users, monkeypatch, users[Role.PARTNER])


@pytest.mark.django_db(transaction=True)
def test_a_signal_reference_drawn_twice_outside_a_transaction_is_drawn_again(users, monkeypatch) -> None:
    drawn_again(users, monkeypatch, None)  # as the API submits
