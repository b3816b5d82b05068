"""The figures are computed once per state of the data and kept: a reading leaves them, every change
(each is written with an audit event) computes them anew, so nobody ever sees figures older than the data."""

import pytest
from django.utils import timezone

from netwerkregie.core.audit import data_version, log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation
from netwerkregie.reports import figures, kept
from tests.intake_helpers import submit

pytestmark = pytest.mark.django_db


def received(sections: list[figures.Section]) -> int:
    table = next(t for t in sections[0].tables if t.title == "Signalen naar kanaal")
    return table.total.count


def test_a_change_computes_the_figures_anew_and_a_reading_does_not(
        users: dict[str, User], municipality: Organisation, django_assert_max_num_queries) -> None:
    period = figures.Period.of(timezone.localdate().year)
    for _ in range(5):
        submit(municipality)
    first = kept.report(("signals",), period)
    assert received(first) == 5

    log_event(AuditAction.VIEW, actor=users[Role.ANALYST], object_type="reports.figures")
    version = data_version()
    with django_assert_max_num_queries(1):  # only the data version: the figures were kept
        assert received(kept.report(("signals",), period)) == 5
    assert data_version() == version

    submit(municipality)  # a change, audited in its own transaction
    assert data_version() != version
    assert received(kept.report(("signals",), period)) == 6


def test_each_language_and_each_set_of_sections_is_kept_apart(users: dict[str, User],
                                                              municipality: Organisation) -> None:
    from django.utils import translation

    period = figures.Period.of(timezone.localdate().year)
    submit(municipality)
    with translation.override("en"):
        english = kept.report(("signals", "budget"), period)
    dutch = kept.report(("signals",), period)
    assert [s.title for s in english] == ["Signals", "Budget"]
    assert [s.title for s in dutch] == ["Signalen"]


def test_the_page_shows_a_signal_submitted_after_it_was_first_read(client_for, municipality: Organisation) -> None:
    year, client = timezone.localdate().year, client_for(Role.ANALYST)
    for _ in range(5):
        submit(municipality)
    assert received(client.get(f"/reports/?year={year}").context["sections"]) == 5
    assert received(client.get(f"/reports/?year={year}").context["sections"]) == 5  # read twice: kept
    submit(municipality)
    assert received(client.get(f"/reports/?year={year}").context["sections"]) == 6
