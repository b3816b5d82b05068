"""English pages write dates day-month-year, as the Dutch ones do: never the American 11/30/2026."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from netwerkregie.core.dates import short_date
from netwerkregie.core.roles import Role
from netwerkregie.intake.services import create_session

DAY = datetime.date(2026, 11, 30)


def in_english(template: str) -> str:
    with translation.override("en"):
        return Template("{% load i18n %}" + template).render(Context({"day": DAY}))


def test_the_short_english_date_puts_the_day_first() -> None:
    assert in_english('{{ day|date:"SHORT_DATE_FORMAT" }}') == "30/11/2026"


def test_the_long_english_date_puts_the_day_first() -> None:
    assert in_english('{{ day|date:"DATE_FORMAT" }}') == "30 November 2026"


def test_text_made_in_python_uses_the_same_english_format() -> None:
    with translation.override("en"):
        assert short_date(DAY) == "30/11/2026"


def test_the_dutch_short_date_is_unchanged() -> None:
    with translation.override("nl"):
        assert short_date(DAY) == "30-11-2026"


@pytest.mark.django_db
def test_a_session_title_shows_its_date_in_the_readers_language(users: dict) -> None:
    coordinator = users[Role.COORDINATOR]
    session = create_session(title="Wegingsoverleg", held_on=DAY, participants=[coordinator], actor=coordinator)
    with translation.override("en"):
        assert str(session) == "Wegingsoverleg (30/11/2026)"
