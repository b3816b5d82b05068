"""Today's panels without the demo municipality: what a panel counts, and the tokens panel at a fixed time.
(Moved from test_today.py, whose tests share one demo per module.)"""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.today.test_today import FIGURE

pytestmark = pytest.mark.django_db


@pytest.mark.django_db
def test_a_panel_counts_its_list_only_when_the_list_is_full(django_assert_num_queries) -> None:
    """A panel shows the first five and how many there are; a shorter list is all there is, so it is not
    counted again (one query fewer per panel on most days)."""
    from netwerkregie.network.models import Organisation, Sector
    from netwerkregie.today.panels import _listed

    Organisation.objects.bulk_create(Organisation(name=f"Partner {n}", sector=Sector.OTHER) for n in range(3))
    with django_assert_num_queries(1):
        few = _listed(Organisation.objects.order_by("name"), "items", "count")
    assert len(few["items"]) == 3
    assert few["count"] == Organisation.objects.count()
    Organisation.objects.bulk_create(Organisation(name=f"Partner {n}", sector=Sector.OTHER) for n in range(3, 9))
    with django_assert_num_queries(2):
        many = _listed(Organisation.objects.order_by("name"), "items", "count")
    assert len(many["items"]) == 5
    assert many["count"] == Organisation.objects.count()


@pytest.mark.django_db
def test_the_partners_counts_say_what_her_list_says(users) -> None:
    """"Still being handled" is written twice, as an annotation per signal (the list) and as a filter the
    database evaluates once (the counts): both must pick the same signals."""
    from netwerkregie.cases.models import Case
    from netwerkregie.core.roles import Role
    from netwerkregie.intake.models import Signal, still_followed_filter
    from tests.case_helpers import decided_case
    from tests.intake_helpers import submit

    decided_case(users, "Jesse de Boer")  # to the case consultation, in an open case
    submit(users[Role.PARTNER].organisation, users[Role.PARTNER])  # new: not followed
    in_case = Signal.objects.filter(cases__isnull=False)
    Case.objects.update(status="closed")  # closed: only the decision keeps it followed
    submitted = Signal.objects.submitted_by_user(users[Role.PARTNER])
    by_annotation = {s.pk for s in submitted if s.still_followed}
    assert by_annotation == set(submitted.filter(still_followed_filter()).values_list("pk", flat=True))
    assert by_annotation == set(in_case.values_list("pk", flat=True))


def test_it_shows_the_administrator_api_tokens_that_expire_soon_or_expired_lately(client_for) -> None:
    import time_machine

    from netwerkregie.api.models import ApiToken
    from netwerkregie.network.models import Organisation, Sector

    def issue(name: str, on: str) -> ApiToken:
        organisation = Organisation.objects.create(name=name, sector=Sector.SCHOOL)
        with time_machine.travel(f"{on} 09:00:00+01:00", tick=False):
            return ApiToken.issue(organisation, label="leerlingvolgsysteem")[0]

    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        html = client_for("admin").get(reverse("home")).content.decode()
    assert "today-api-tokens" not in html  # nothing to renew: no panel
    issue("Zuiderpark Lyceum", "2025-12-20")  # expires in 19 days
    issue("Jongerenwerk Oost", "2025-11-20")  # expired 11 days ago
    issue("Het Lindeveen College", "2026-06-01")  # half a year to go
    revoked = issue("Sportclub West", "2025-12-10")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        html = client_for("admin").get(reverse("home")).content.decode()
        expiring = ApiToken.objects.expiring(timezone.localdate())
        assert [token.organisation.name for token in expiring] == ["Jongerenwerk Oost", "Zuiderpark Lyceum"]
    figures = {m["key"]: m["number"] for m in FIGURE.finditer(html)}
    assert figures["api-tokens-expiring"] == "2"
    section = html[html.index('id="today-api-tokens"'):]
    section = section[:section.index("</section>")]
    assert "Zuiderpark Lyceum" in section
    assert "verloopt op 20-12-2026" in section
    assert "Jongerenwerk Oost" in section
    assert "verlopen</strong> op 20-11-2026" in section
    assert "Lindeveen College" not in section
    assert "Sportclub West" not in section
