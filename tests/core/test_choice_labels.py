"""``get_FOO_display`` from the kept table: the same answers as Django's own, in the language of the moment."""

from django.db import models
from django.utils import translation

from netwerkregie.intake.models import Signal, SignalStatus
from netwerkregie.network.models import Organisation, Sector


def test_labels_follow_the_active_language_and_match_djangos_own() -> None:
    signal, organisation = Signal(status=SignalStatus.ON_AGENDA), Organisation(sector=Sector.SCHOOL)
    for language in ("nl", "en", "nl"):  # the table is kept; the language is not
        with translation.override(language):
            assert signal.get_status_display() == models.Model._get_FIELD_display(
                signal, Signal._meta.get_field("status"))
            assert organisation.get_sector_display() == str(Sector.SCHOOL.label)
    with translation.override("nl"):
        assert signal.get_status_display() == "Geagendeerd voor weging"
    with translation.override("en"):
        assert signal.get_status_display() == "On the assessment agenda"


def test_a_value_outside_the_choices_is_shown_as_it_is() -> None:
    assert Signal(status="archived").get_status_display() == "archived"
