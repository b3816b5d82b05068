"""The figures on the screens equal those computed by hand from the demo data."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.network.models import ContactMoment, Neighbourhood, Organisation, Sector
from netwerkregie.network.services import coverage, stale_partners
from netwerkregie.programmes.services import budget_lines, year_total
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db

# Summed by hand from demo/network.py: EUR 45,000 municipal and 30,000 national grant;
# municipal 450 + 850 + 5600 + 1150 + 1200 + 350 + 7500 = 17,100; grant 3200 + 6400 + 4200 + 550 = 14,350.
HAND = {"municipal": (Decimal("45000.00"), Decimal("17100.00")),
        "national_grant": (Decimal("30000.00"), Decimal("14350.00"))}


demo_loaded = demo_for_the_module("--no-history")


@pytest.fixture
def demo(demo_loaded, settings) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded


def test_budget_figures_and_csv_equal_the_hand_sums(demo) -> None:
    year = timezone.localdate().year
    lines = {line.source: line for line in budget_lines(year)}
    assert {source: (line.budget, line.spent) for source, line in lines.items()} == HAND
    total = year_total(list(lines.values()))
    assert (total.budget, total.spent, total.remaining) == (Decimal("75000.00"), Decimal("31450.00"),
                                                            Decimal("43550.00"))
    client = Client()
    client.force_login(User.objects.get(email="programma@demo.netwerkregie.test"))  # no second factor: no personal data
    page = client.get(reverse("programmes:budget")).content.decode()
    assert "75.000,00" in page
    assert "31.450,00" in page
    assert "43.550,00" in page
    text = client.get(reverse("programmes:budget_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    summary = [r for r in rows[1:] if r and r[0] == str(year)]
    assert sum(Decimal(r[2].replace(",", ".")) for r in summary) == Decimal("75000.00")
    assert sum(Decimal(r[3].replace(",", ".")) for r in summary) == Decimal("31450.00")
    detail = rows[rows.index([]) + 2:]
    assert sum(Decimal(r[2].replace(",", ".")) for r in detail) == Decimal("31450.00")


def test_the_coverage_table_equals_a_count_by_hand(demo) -> None:
    today = timezone.localdate()
    table = coverage(today)
    last: dict[int, datetime.date] = {}
    for moment in ContactMoment.objects.prefetch_related("organisations"):
        for organisation in moment.organisations.all():
            last[organisation.pk] = max(last.get(organisation.pk, moment.happened_on), moment.happened_on)
    hoods = [*Neighbourhood.objects.all(), None]
    for row, hood in zip(table["rows"], hoods, strict=True):
        assert row["neighbourhood"] == hood
        for cell, sector in zip(row["cells"], table["sectors"], strict=True):
            members = [o for o in Organisation.objects.filter(is_active=True, sector=sector)
                       if (hood in o.neighbourhoods.all()) or (hood is None and not o.neighbourhoods.exists())]
            dates = [last[o.pk] for o in members if o.pk in last]
            assert cell.partners == len(members), (hood, sector)
            assert cell.days_since_contact == ((today - max(dates)).days if dates else None), (hood, sector)
    # A few cells read off the demo lists directly.
    cell = {(r["neighbourhood"].code if r["neighbourhood"] else None, s): c
            for r in table["rows"] for s, c in zip(table["sectors"], r["cells"], strict=True)}
    assert (cell["oosterpark", Sector.SCHOOL].partners, cell["oosterpark", Sector.SCHOOL].days_since_contact) == (1, 12)
    assert cell["molenwijk", Sector.COMMUNITY_CENTRE].days_since_contact == 8
    assert (cell[None, Sector.POLICE].partners, cell[None, Sector.POLICE].days_since_contact) == (1, 3)
    assert {o.name for o in stale_partners(today)} == {
        "Havenbedrijf Lindeveen", "Woonstichting Lindeveen", "Voetbalvereniging Lindeveen Zuid",
        "Protestantse Gemeente De Brug"}
