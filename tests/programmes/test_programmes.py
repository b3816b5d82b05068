"""Prevention activities and the budget: counts not names, spending against the budget, a
warning before overspending, and a CSV that a finance department can open."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.programmes import services
from netwerkregie.programmes.models import Activity, Budget, Expense
from tests.conftest import verified_client
from tests.network_helpers import activity

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def officer(users):
    return users[Role.PROGRAMME_OFFICER]


@pytest.fixture
def budget(officer) -> Budget:
    return services.save_budget(YEAR, "municipal", Decimal("1000.00"), "", actor=officer)


def activity_post(**changes: object) -> dict[str, object]:
    today = timezone.localdate().isoformat()
    data = {"type": "parent_training", "title": "Moedertraining", "starts_on": today, "ends_on": today,
            "participants": "14", "attendance-TOTAL_FORMS": "3", "attendance-INITIAL_FORMS": "0",
            "attendance-MIN_NUM_FORMS": "0", "attendance-MAX_NUM_FORMS": "50"}
    data.update(changes)
    return data


def test_an_activity_counts_participants_per_organisation(officer) -> None:
    welfare = Organisation.objects.create(name="Welzijn Noord", sector=Sector.SOCIAL_WORK)
    client = verified_client(officer)
    response = client.post(reverse("programmes:activity_new"), activity_post(
        type="professional_training", title="Signalen herkennen", participants="20", organisations=[welfare.pk],
        **{"attendance-0-organisation": welfare.pk, "attendance-0-participants": "12"}))
    assert response.status_code == 302
    saved = Activity.objects.get()
    assert [(a.organisation, a.participants) for a in saved.attendances.all()] == [(welfare, 12)]
    too_many = client.post(reverse("programmes:activity_edit", args=[saved.pk]), activity_post(
        participants="5", organisations=[welfare.pk],
        **{"attendance-INITIAL_FORMS": "1", "attendance-0-organisation": welfare.pk,
           "attendance-0-participants": "12"}))
    assert "participants" in too_many.context["form"].errors
    assert Activity.objects.get().participants == 20
    unchanged = client.post(reverse("programmes:activity_edit", args=[saved.pk]), activity_post(
        participants="20", organisations=[welfare.pk], title="Signalen herkennen (najaar)",
        **{"attendance-INITIAL_FORMS": "1", "attendance-0-organisation": welfare.pk,
           "attendance-0-participants": "12"}))
    assert unchanged.status_code == 302
    assert [(a.organisation, a.participants) for a in Activity.objects.get().attendances.all()] == [(welfare, 12)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"participants": "-3"}, "participants"),
        ({"average_rating": "11"}, "average_rating"),
        ({"title": "<b>x</b>"}, "title"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_activities_are_refused(officer, changes: dict, field: str) -> None:
    response = verified_client(officer).post(reverse("programmes:activity_new"), activity_post(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Activity.objects.count() == 0


def test_expenses_move_the_budget_and_warn_before_overspending(officer, budget) -> None:
    client = verified_client(officer)
    training = activity(officer, [])
    post = {"spent_on": timezone.localdate().isoformat(), "source": "municipal", "amount": "950,00",
            "description": "Trainer", "category": "facilitator", "activity": training.pk}
    assert client.post(reverse("programmes:expense_new"), post).status_code == 302
    [line] = services.budget_lines(YEAR)
    assert (line.spent, line.remaining, line.warning) == (Decimal("950.00"), Decimal("50.00"), True)
    assert services.activity_cost(training) == Decimal("950.00")
    over = client.post(reverse("programmes:expense_new"), {**post, "amount": "100,00"})
    assert over.status_code == 200
    assert "overschrijdt" in over.content.decode()
    assert Expense.objects.count() == 1
    confirmed = client.post(reverse("programmes:expense_new"),
                            {**post, "amount": "100,00", "overspend_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Expense.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="programmes.expense", detail__overspent=True).count() == 1
    page = client.get(reverse("programmes:budget")).content.decode()
    assert "105%" in page
    assert "bijna op" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "-10,00"}, "amount", "positief"),
        ({"amount": "0"}, "amount", "positief"),
        ({"spent_on": "2019-05-01"}, "spent_on", "geen"),
        ({"source": "national_grant"}, "spent_on", "geen"),
        ({"description": "<script>x</script>"}, "description", "HTML"),
    ],
)
def test_bad_expenses_are_refused(officer, budget, changes: dict, field: str, message: str) -> None:
    client = verified_client(officer)
    events = AuditEvent.objects.count()
    post = {"spent_on": timezone.localdate().isoformat(), "source": "municipal", "amount": "10,00",
            "description": "Zaalhuur", "category": "venue", **changes}
    response = client.post(reverse("programmes:expense_new"), post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Expense.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_negative_budget_is_refused(officer) -> None:
    response = verified_client(officer).post(reverse("programmes:budget_new"),
                                             {"year": YEAR, "source": "municipal", "amount": "-75000"})
    assert "amount" in response.context["form"].errors
    assert Budget.objects.count() == 0


def test_a_budget_cannot_drop_below_what_is_spent(officer, budget) -> None:
    services.record_expense(services.ExpenseInput(timezone.localdate(), "municipal", Decimal("600"), "Zaal", "venue"),
                            actor=officer)
    response = verified_client(officer).post(reverse("programmes:budget_new"),
                                             {"year": YEAR, "source": "municipal", "amount": "500"})
    assert "amount" in response.context["form"].errors
    assert Budget.objects.get().amount == Decimal("1000.00")


def test_partners_see_their_own_activities_without_costs(users, officer) -> None:
    partner = users[Role.PARTNER]
    mine = activity(officer, [partner.organisation], title="Ouderavond")
    other = activity(officer, [Organisation.objects.create(name="ROC Zuid", sector=Sector.SCHOOL)], title="Debat")
    client = verified_client(partner)
    listing = client.get(reverse("programmes:activity_list")).content.decode()
    assert "Ouderavond" in listing
    assert "Debat" not in listing
    assert "Kosten" not in listing
    assert client.get(reverse("programmes:activity_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("programmes:activity_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programmes:budget")).status_code == 404


def test_the_csv_opens_with_the_same_totals(officer, budget) -> None:
    services.save_budget(YEAR, "national_grant", Decimal("500.00"), "", actor=officer)
    for amount, source in (("123.45", "municipal"), ("76.55", "municipal"), ("10.00", "national_grant")):
        services.record_expense(services.ExpenseInput(timezone.localdate(), source, Decimal(amount), "Kosten", "other"),
                                actor=officer)
    response = verified_client(officer).get(reverse("programmes:budget_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    summary = {row[1]: row for row in rows[1:3]}
    assert summary["Gemeentelijk"][2:] == ["1000,00", "200,00", "800,00", "0,00", "800,00"]
    assert summary["Rijksbijdrage"][2:] == ["500,00", "10,00", "490,00", "0,00", "490,00"]
    expenses = rows[5:]
    assert sum(Decimal(r[2].replace(",", ".")) for r in expenses) == Decimal("210.00")
    assert AuditEvent.objects.filter(action="export", object_type="programmes.budget").exists()


def test_an_expense_in_a_year_without_budget_names_the_year(officer) -> None:
    with pytest.raises(ValidationError, match=str(YEAR - 1)):
        services.record_expense(services.ExpenseInput(datetime.date(YEAR - 1, 6, 1), "municipal", Decimal("5"),
                                                      "Zaal", "venue"), actor=officer)


@pytest.mark.parametrize(("typed", "stored"), [
    ("1.250,50", "1250.50"), ("1250,5", "1250.50"), ("€ 1 250", "1250.00"), ("1250.50", "1250.50"),
    ("1.250", "1250.00"), ("12,5", "12.50"), ("1.000.000,00", "1000000.00"),
])
def test_amounts_are_accepted_as_people_in_the_netherlands_type_them(officer, typed: str, stored: str) -> None:
    client = verified_client(officer)
    response = client.post(reverse("programmes:budget_new"),
                           {"year": YEAR, "source": "national_grant", "amount": typed, "note": ""})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Budget.objects.get(year=YEAR, source="national_grant").amount == Decimal(stored)
    form = client.get(reverse("programmes:budget_new")).content.decode()
    assert 'inputmode="decimal"' in form


@pytest.mark.parametrize("typed", ["1,250.50", "twaalf", "1,2,3"])
def test_an_amount_that_cannot_be_read_is_refused_with_a_message(officer, typed: str) -> None:
    response = verified_client(officer).post(reverse("programmes:budget_new"),
                                             {"year": YEAR, "source": "national_grant", "amount": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Budget.objects.filter(source="national_grant").exists()


def test_planned_activities_commit_budget_until_their_expenses_are_booked(officer, budget) -> None:
    client = verified_client(officer)
    response = client.post(reverse("programmes:activity_new"), activity_post(  # today: not over yet
        title="Training voorjaar", participants="0", planned_cost="300,00", funding_source="municipal"))
    assert response.status_code == 302
    training = Activity.objects.get(title="Training voorjaar")
    [line] = services.budget_lines(YEAR)
    assert (line.spent, line.committed, line.available) == (Decimal(0), Decimal("300.00"), Decimal("700.00"))
    services.record_expense(services.ExpenseInput(timezone.localdate(), "municipal", Decimal("120.00"),
                                                  "Aanbetaling trainer", "facilitator", activity=training),
                            actor=officer)
    [line] = services.budget_lines(YEAR)
    assert (line.spent, line.committed, line.available) == (Decimal("120.00"), Decimal("180.00"), Decimal("700.00"))
    page = client.get(reverse("programmes:budget")).content.decode()
    assert "Vastgelegd (gepland)" in page
    assert "€&nbsp;180,00" in page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):  # over: nothing committed any more
        assert services.budget_lines(YEAR)[0].committed == Decimal(0)
    refused = client.post(reverse("programmes:activity_new"), activity_post(title="Zonder bron", planned_cost="50"))
    assert refused.status_code == 200  # the form again, with its errors
    assert "funding_source" in refused.context["form"].errors


def test_the_reach_export_counts_activities_and_participants_per_type(officer) -> None:
    activity(officer, [])
    activity(officer, [])
    response = verified_client(officer).get(reverse("programmes:reach_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Begint op", "Eindigt op", "Soort", "Activiteit"]
    per_activity = [r for r in rows[1:] if r and len(r) == 9]
    summary = rows[rows.index([]) + 2:]
    assert len(per_activity) == 2
    assert sum(int(r[3]) for r in summary) == sum(int(r[6]) for r in per_activity)
    assert sum(int(r[2]) for r in summary) == 2
    assert AuditEvent.objects.filter(action="export", object_type="programmes.activity").exists()
