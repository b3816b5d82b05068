"""The code lists a submission takes: exactly what a submission accepts now, versioned with the catalogue,
for a token only."""

import pytest

from netwerkregie.intake.models import ObservationCategory, Signal
from netwerkregie.network.models import Neighbourhood, Organisation, Sector
from tests.api.test_partner_api import BODY, URL, api, token_for

pytestmark = pytest.mark.django_db

OBSERVATIONS = "/api/v1/observation-categories"
NEIGHBOURHOODS = "/api/v1/neighbourhoods"


@pytest.fixture
def token(db: None) -> str:
    return token_for(Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL))


def active_codes() -> list[str]:
    return list(ObservationCategory.objects.filter(is_active=True).order_by("position", "code")
                .values_list("code", flat=True))


def test_the_observation_codes_are_exactly_the_active_entries_and_a_deactivated_one_disappears(token: str) -> None:
    client = api(token)
    before = client.get(OBSERVATIONS).json()
    assert [entry["code"] for entry in before["results"]] == active_codes()
    assert len(before["results"]) == 10
    threatens = next(entry for entry in before["results"] if entry["code"] == "threatens")
    assert threatens == {"code": "threatens", "label_nl": "Bedreigt personen of groepen",
                         "label_en": "Threatens people or groups"}
    ObservationCategory.objects.filter(code="threatens").update(is_active=False)
    after = client.get(OBSERVATIONS).json()
    assert [entry["code"] for entry in after["results"]] == active_codes()
    assert "threatens" not in {entry["code"] for entry in after["results"]}
    assert len(after["results"]) == 9
    assert after["version"] != before["version"]


def test_a_listed_code_is_accepted_and_a_code_no_longer_listed_is_refused(token: str) -> None:
    client = api(token)
    listed = [entry["code"] for entry in client.get(OBSERVATIONS).json()["results"]]
    assert client.post(URL, {**BODY, "observations": listed[:2]}, format="json").status_code == 201
    ObservationCategory.objects.filter(code=listed[0]).update(is_active=False)
    assert listed[0] not in [entry["code"] for entry in client.get(OBSERVATIONS).json()["results"]]
    refused = client.post(URL, {**BODY, "observations": listed[:2]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["invalid-params"][0]["name"] == "observations"
    assert Signal.objects.count() == 1


def test_the_neighbourhood_codes_are_every_registered_neighbourhood(token: str) -> None:
    Neighbourhood.objects.create(name="Oud-West", code="oud-west")
    client = api(token)
    before = client.get(NEIGHBOURHOODS).json()
    assert before["results"] == [{"code": n.code, "name": n.name} for n in Neighbourhood.objects.order_by("name")]
    Neighbourhood.objects.create(name="Bloemwijk", code="bloemwijk")
    after = client.get(NEIGHBOURHOODS).json()
    assert [entry["code"] for entry in after["results"]][:1] == ["bloemwijk"]
    assert after["version"] != before["version"]
    accepted = client.post(URL, {**BODY, "subject_neighbourhood": "bloemwijk"}, format="json")
    assert accepted.status_code == 201


@pytest.mark.parametrize("path", [OBSERVATIONS, NEIGHBOURHOODS])
def test_the_version_is_the_etag_and_an_unchanged_list_answers_304(token: str, path: str) -> None:
    Neighbourhood.objects.get_or_create(name="Centrum", code="centrum")
    client = api(token)
    first = client.get(path)
    assert first["ETag"] == f'"{first.json()["version"]}"'
    assert client.get(path).json()["version"] == first.json()["version"]  # content-derived: stable
    unchanged = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"]
    if path == OBSERVATIONS:
        ObservationCategory.objects.filter(code="threatens").update(label_en="Threatens people")
    else:
        Neighbourhood.objects.filter(code="centrum").update(name="Centrum-Oost")
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("path", [OBSERVATIONS, NEIGHBOURHOODS])
def test_the_code_lists_need_a_token(client_for, path: str) -> None:
    assert api().get(path).status_code == 401
    assert client_for("coordinator").get(path).status_code == 401  # a web session is not a token
