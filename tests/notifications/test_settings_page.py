"""Each person chooses on "My account", per kind of work of their roles: at once, in the daily digest, or off
where allowed, and the hour of the digest. Only their own; a tampered choice is refused in Dutch, nothing saved."""

import pytest
from django.urls import reverse

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.notifications.models import NotificationSettings, Preference
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")
ACCOUNT = reverse("accounts:account")


def test_the_coordinator_sees_her_kinds_and_that_signals_always_come_at_once(users: dict[str, User]) -> None:
    page = verified_client(users[Role.COORDINATOR]).get(ACCOUNT).content.decode()
    assert "Meldingen per e-mail" in page
    assert 'action="' + URL + '"' in page
    for kind in ("Een nieuw signaal", "Een nieuw signaal met acuut gevaar"):
        row = f'scope="row">{kind}</th>\n        <td class="utrecht-table__cell">'
        assert row + "Altijd direct, voor iedere netwerkregisseur</td>" in page
    assert 'name="approval_requested"' in page
    assert 'name="review_due"' in page
    assert 'name="digest_hour"' in page
    assert 'name="new_signal"' not in page
    assert 'name="referral_received"' not in page
    assert '<option value="off"' in page.split('name="approval_requested"')[1].split("</select>")[0]
    assert '<option value="off"' not in page.split('name="rejustification_due"')[1].split("</select>")[0]


def test_a_person_saves_their_own_choices(users: dict[str, User]) -> None:
    rita = users[Role.RECIPIENT]
    response = verified_client(rita).post(URL, {"referral_received": "digest", "digest_hour": "16"}, follow=True)
    assert "Uw meldingsinstellingen zijn opgeslagen." in response.content.decode()
    assert list(Preference.objects.values_list("user", "kind", "delivery")) == [
        (rita.pk, "referral_received", "digest")]
    assert NotificationSettings.objects.get(user=rita).digest_hour == 16
    page = verified_client(rita).get(ACCOUNT).content.decode()
    assert '<option value="16" selected>16:00</option>' in page


@pytest.mark.parametrize("posted", [
    {"referral_received": "off", "digest_hour": "8"},  # work that is lost when nobody acts
    {"referral_received": "digest", "digest_hour": "25"},
    {"referral_received": "digest", "approval_requested": "off", "digest_hour": "8"},  # not hers: ignored field
])
def test_a_choice_not_offered_is_refused_in_dutch_and_nothing_is_saved(users: dict[str, User], posted: dict) -> None:
    response = verified_client(users[Role.RECIPIENT]).post(URL, posted, follow=True)
    page = response.content.decode()
    if "approval_requested" in posted:  # the form knows only her own kinds; the rest of the post is not read
        assert "opgeslagen." in page
        assert not Preference.objects.filter(kind="approval_requested").exists()
        return
    assert "Uw meldingsinstellingen zijn niet opgeslagen" in page
    assert not Preference.objects.exists()
    assert not NotificationSettings.objects.exists()


def test_the_page_only_posts(users: dict[str, User]) -> None:
    assert verified_client(users[Role.ANALYST]).get(URL).status_code == 405
