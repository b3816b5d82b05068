"""The reports on the demo municipality: every figure equals a count by hand from the raw rows
(then suppressed by the same rule), and no personal data reaches any output."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases.models import Case
from netwerkregie.core.models import AuditEvent
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import StatisticalRemnant
from netwerkregie.reports import figures
from tests.demo_pages import demo_client
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


demo_loaded = demo_for_the_module()


@pytest.fixture
def demo(demo_loaded: Path, settings: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]


def by_title(section: figures.Section) -> dict[str, dict[str, str]]:
    return {t.title: {r.label: r.shown for r in t.rows} for t in section.tables}


def test_the_analyst_sees_charts_tables_and_a_csv_with_no_personal_data(demo: None) -> None:
    client = demo_client("analist")
    page = client.get(reverse("reports:index"), {"year": YEAR}).content.decode()
    csv_text = client.get(reverse("reports:export_csv"), {"year": YEAR}).content.decode("utf-8")
    assert page.count('<svg viewBox="0 0 560 ') >= 15
    assert "Signalen naar kanaal" in page
    assert "&lt; 5" in page
    for title in ("Triage binnen de termijn", "Zorg ongegrond: persoonsgegevens", "Gehouden evaluaties",
                  "Interventies in de periode naar soort", "Geopende casussen naar wijk van de betrokkene",
                  "Contactmomenten met het netwerk naar soort", "Uitgegeven per categorie"):
        assert title in page
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=";"))
    assert rows[3] == ["Onderdeel", "Cijfer", "Categorie", "Aantal"]
    assert len(rows) > 40
    assert StatisticalRemnant.objects.filter(kind="signal").count() > 50  # last years' signals are purged
    secrets = {p.pseudonym for p in Person.objects.all()} | {p.name for p in Person.objects.all()}
    secrets |= set(Signal.objects.values_list("reference", flat=True)) | set(Case.objects.values_list("reference",
                                                                                                     flat=True))
    words = {w for s in Signal.objects.all() for w in re.findall(r"[a-zà-ÿ]{9,}", s.description.lower())}
    words |= {w for c in Consultation.objects.all() for w in re.findall(r"[a-zà-ÿ]{9,}", c.question.lower())}
    words -= set(re.findall(r"[a-zà-ÿ]{9,}", page.lower() + " " + csv_text.lower())) & {
        "radicalisering", "geweld", "extremistisch"}  # words a report may legitimately use
    for output in (page, csv_text):
        assert [s for s in secrets if s in output] == []
        assert [w for w in words if re.search(rf"\b{w}\b", output.lower())] == []
    assert AuditEvent.objects.filter(action="export", object_type="reports.figures",
                                     detail__from=f"{YEAR}-01-01").exists()


def test_the_programme_officer_sees_only_prevention_and_budget(demo: None) -> None:
    page = demo_client("programma").get(reverse("reports:index")).content.decode()
    assert 'id="section-prevention"' in page
    assert 'id="section-budget"' in page
    assert 'id="section-signals"' not in page
    assert 'id="section-cases"' not in page


def test_a_period_of_ones_own_and_bad_dates_get_a_message_in_dutch(demo: None) -> None:
    client = demo_client("analist")
    response = client.get(reverse("reports:index"), {"start": f"{YEAR - 2}-03-01", "end": f"{YEAR - 1}-02-28"})
    assert response.status_code == 200
    assert response.context["period"].start.isoformat() == f"{YEAR - 2}-03-01"
    assert f"1 maart {YEAR - 2}" in response.content.decode()
    response = client.get(reverse("reports:index"), {"start": f"{YEAR}-03-01", "end": f"{YEAR}-01-01"})
    assert response.status_code == 422
    assert response.context["form"].errors["end"] == ["De einddatum ligt voor de begindatum."]
    response = client.get(reverse("reports:index"), {"year": YEAR, "start": f"{YEAR}-03-01"})
    assert response.context["form"].errors["end"] == ["Vul beide datums in, of geen van beide."]
    csv_text = client.get(reverse("reports:export_csv"), {"start": f"{YEAR - 1}-01-01", "end": f"{YEAR - 1}-06-30"})
    assert f"1 januari {YEAR - 1} \u2013 30 juni {YEAR - 1}" in csv_text.content.decode("utf-8")


def test_the_privacy_officer_sees_the_suppression_rule_and_what_deletions_left(demo: None) -> None:
    page = demo_client("privacy").get(reverse("privacy:overview")).content.decode()
    assert "REPORT_SUPPRESS_BELOW" in page
    assert "&lt; 5" in page
    assert "Statistische restanten van verwijderde gegevens" in page
    assert f'<td class="utrecht-table__cell nr-amount">{StatisticalRemnant.objects.filter(kind="signal").count()}' \
        in page


def test_a_quarter_is_a_period_and_a_bad_year_gets_a_message(demo: None) -> None:
    assert figures.Period.of(2026, 4).start.isoformat() == "2026-10-01"
    assert figures.Period.of(2026, 4).end.isoformat() == "2026-12-31"
    assert figures.Period.of(2026, 1).end.isoformat() == "2026-03-31"
    response = demo_client("analist").get(reverse("reports:index"), {"year": "1900"})
    assert response.status_code == 422
    assert "year" in response.context["form"].errors


def test_the_council_report_is_a_pdf_with_the_period_the_rule_and_no_personal_data(
        demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    printed: list[str] = []
    real_html = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                        or real_html(string=string, **options))
    response = demo_client("analist").get(reverse("reports:export_pdf"), {"year": YEAR, "quarter": "4"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    html = printed[0]
    assert f"1 oktober {YEAR}" in html
    assert f"31 december {YEAR}" in html
    assert "Opgesteld op" in html
    assert "&lt; 5" in html
    assert "Wegingen naar besluit" in html
    assert [p.pseudonym for p in Person.objects.all() if p.pseudonym in html] == []
    assert [r for r in Case.objects.values_list("reference", flat=True) if r in html] == []
    assert AuditEvent.objects.filter(action="export", object_type="reports.figures", detail__format="pdf").exists()
