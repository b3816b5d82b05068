"""Lists a person scans by date are in date order, whatever the query behind them aggregates."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.demo_pages import demo_client
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db
FIRST_CELL_DATE = re.compile(
    r'<tr class="utrecht-table__row">\s*<td class="utrecht-table__cell">(\d{1,2})-(\d{1,2})-(\d{4})')


demo_loaded = demo_for_the_module("--no-history")


@pytest.fixture
def demo(demo_loaded: Path, settings: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]


@pytest.mark.parametrize(("local", "url_name"), [("netwerkregisseur", "intake:session_list"),
                                                  ("programma", "programmes:activity_list")])
def test_sessions_and_activities_are_listed_newest_first(demo: None, local: str, url_name: str) -> None:
    page = demo_client(local).get(reverse(url_name)).content.decode()
    dates = [datetime.date(int(y), int(m), int(d)) for d, m, y in FIRST_CELL_DATE.findall(page)]
    assert len(dates) >= 2
    assert len(set(dates)) >= 2
    assert dates == sorted(dates, reverse=True)


def test_a_new_case_starts_without_an_ideology_and_requires_one_to_be_chosen(demo: None) -> None:
    from netwerkregie.cases.models import Case
    from netwerkregie.people.models import Person

    client = demo_client("netwerkregisseur")
    page = client.get(reverse("cases:case_new")).content.decode()
    select = re.search(r'<select name="ideology".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*selected", select) == ['<option value="" selected']
    assert 'value="unclear"' in select
    person = Person.objects.first()
    before = Case.objects.count()
    response = client.post(reverse("cases:case_new"), {"pseudonym": person.pseudonym, "reason": "Melding politie.",
                                                       "case_manager": Case.objects.first().case_manager.pk})
    assert "of &#x27;Onduidelijk&#x27;" in response.content.decode() or "Onduidelijk" in response.content.decode()
    assert response.context["form"].errors["ideology"]
    assert Case.objects.count() == before


def test_a_mentor_recognises_her_signals_and_sees_a_signal_in_a_case_as_being_handled(demo: None) -> None:
    from netwerkregie.cases.models import CaseStatus
    from netwerkregie.intake.models import Decision, Signal, SignalStatus

    signals = Signal.objects.filter(submitted_by__email="partner@demo.netwerkregie.test")
    page = demo_client("partner").get(reverse("intake:my_signals")).content.decode()
    followed = 0
    for signal in signals:
        row = re.search(rf"{signal.reference}(?:</span>)?</a>(.*?)</li>", page, re.S).group(1)
        assert signal.description[:40] in row.replace("&#x27;", "'")  # what she wrote, so she knows who it was
        decision = getattr(getattr(signal, "assessment", None), "decision", None)
        in_case = signal.cases.exclude(status=CaseStatus.CLOSED).exists()
        if signal.status == SignalStatus.DECIDED and (in_case or decision == Decision.TO_CASE_CONFERENCE):
            assert "In behandeling" in row, signal.reference
            assert "Afgehandeld" not in row, signal.reference
            followed += 1
    assert followed >= 1
