"""Lists a person scans by date are in date order, whatever the query behind them aggregates."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.demo_pages import demo_client

pytestmark = pytest.mark.django_db
FIRST_CELL_DATE = re.compile(
    r'<tr class="utrecht-table__row"><td class="utrecht-table__cell">(\d{1,2})-(\d{1,2})-(\d{4})')


@pytest.fixture
def demo(settings: object, tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", stdout=StringIO())


@pytest.mark.parametrize(("local", "url_name"), [("netwerkregisseur", "intake:session_list"),
                                                  ("programma", "programmes:activity_list")])
def test_sessions_and_activities_are_listed_newest_first(demo: None, local: str, url_name: str) -> None:
    page = demo_client(local).get(reverse(url_name)).content.decode()
    dates = [datetime.date(int(y), int(m), int(d)) for d, m, y in FIRST_CELL_DATE.findall(page)]
    assert len(dates) >= 2 and len(set(dates)) >= 2
    assert dates == sorted(dates, reverse=True)
