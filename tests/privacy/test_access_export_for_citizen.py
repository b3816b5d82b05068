"""The access export as the citizen reads it: no staff e-mail address (the reporter protected, GDPR
art. 15(4)), labels not codes, local time in the JSON, no empty heading, repeated views grouped, and
the second coordinator's reading of an approval among 'who viewed'."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import closure
from netwerkregie.cases import services as cases
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.privacy import services
from tests.case_helpers import decided_case, intervention, second_coordinator
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

# Codes of the choices this export touches, none of which may reach the reader.
CODES = ["to_case_conference", "school_return", "parent", "running", "goals_achieved", "case_closure",
         "right_wing", "justifies_violence", "approval requested", "closed: goals_achieved"]
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def _strings_and_numbers(value, key=""):
    if isinstance(value, dict):
        for k, item in value.items():
            yield from _strings_and_numbers(item, k)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_and_numbers(item, key)
    else:
        yield key, value


@pytest.fixture
def exported(users, monkeypatch):
    coordinator, manager, officer = users[Role.COORDINATOR], users[Role.CASE_MANAGER], users[Role.PRIVACY_OFFICER]
    case = decided_case(users, "Yusuf Demir")
    cases.save_plan(case, goals=["Yusuf gaat weer naar school."], protective_factors="", base_version=0,
                    interventions=[intervention("school_return", consent="parent")], change_note="Plan",
                    actor=manager)
    manager_client = verified_client(manager)
    for _ in range(3):
        assert manager_client.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200
    approval = closure.request_closure(case, reason="goals_achieved", handover_note="Overgedragen aan Yusuf's school.",
                                       actor=coordinator)
    other = second_coordinator(coordinator.organisation)
    assert verified_client(other).get(reverse("sharing:approval_detail", args=[approval.pk])).status_code == 200
    subject_request = services.register_request(kind="access", person=case.person, received_on=timezone.localdate(),
                                                handler=officer, actor=officer)
    client = verified_client(officer)
    data = json.loads(client.get(reverse("privacy:export_json", args=[subject_request.pk])).content)
    import weasyprint

    printed: list[str] = []
    real_html = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                        or real_html(string=string, **options))
    assert client.get(reverse("privacy:export_pdf", args=[subject_request.pk])).content.startswith(b"%PDF")
    html = re.sub(r"<style>.*?</style>", "", printed[0], flags=re.S)
    return {"data": data, "html": html, "case": case}


def test_it_shows_no_staff_e_mail_address(exported) -> None:
    dump = json.dumps(exported["data"], ensure_ascii=False)
    emails = list(User.objects.values_list("email", flat=True))
    assert len(emails) >= 9
    for email in emails:
        assert email not in dump, email
        assert email not in exported["html"], email
    assert "@" not in dump
    assert "@" not in exported["html"]
    assert exported["data"]["cases"][0]["case_manager"] == "Casusregisseur, " + \
        User.objects.get(email="cas@example.nl").organisation.name


def test_it_shows_labels_not_codes_nor_database_ids(exported) -> None:
    for key, value in _strings_and_numbers(exported["data"]):
        if isinstance(value, str):
            assert value not in CODES, (key, value)
        if isinstance(value, int) and not isinstance(value, bool):
            assert key in ("number", "times"), (key, value)  # version numbers and counts, never an id
    dump = json.dumps(exported["data"], ensure_ascii=False)
    text = re.sub(r"<[^>]+>", " ", exported["html"])
    for code in CODES:
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
        if "_" in code:
            assert code not in dump, code
    plan = exported["data"]["cases"][0]["plan_versions"][0]["interventions"][0]
    assert plan["goal"] == "Yusuf gaat weer naar school."
    assert plan["status"] == "Lopend"
    assert plan["basis"] == "vrijwillig, met toestemming van: een ouder"
    whys = {entry["why"] for entry in exported["data"]["access_log"]}
    assert "Naar het casusoverleg" in whys


def test_it_writes_every_time_in_local_time_with_its_offset(exported) -> None:
    times = [value for _, value in _strings_and_numbers(exported["data"])
             if isinstance(value, str) and ISO_TIME.match(value)]
    assert len(times) > 10
    for value in times:
        moment = datetime.datetime.fromisoformat(value)
        assert not value.endswith("Z"), value
        assert not value.endswith("+00:00"), value
        assert moment.utcoffset() == timezone.localtime(moment).utcoffset(), value


def test_it_groups_repeated_views_and_includes_the_approval_read(exported) -> None:
    log = exported["data"]["access_log"]
    case = exported["case"]
    views = [e for e in log if e["record"] == f"Casus {case.reference}" and e["action"] == "inzien"
             and e["who"].startswith("Casusregisseur")]
    assert len(views) == 1
    assert views[0]["times"] == 3
    assert views[0]["first"] <= views[0]["last"]
    approval_reads = [e for e in log if e["record"].startswith(f"Casus {case.reference}, goedkeuring: afsluiten")
                      and e["action"] == "inzien"]
    assert approval_reads
    assert approval_reads[0]["who"].startswith("Netwerkregisseur")
    assert f"Casus {case.reference}, goedkeuring" in exported["html"]
    assert ">3<" in exported["html"]


def test_it_has_no_empty_heading(exported) -> None:
    parts = re.split(r"(<h[1-4][^>]*>.*?</h[1-4]>)", exported["html"], flags=re.S)
    for index in range(1, len(parts) - 1, 2):
        level = int(parts[index][2])
        following = re.sub(r"<[^>]+>|\s|—", "", parts[index + 1])  # a dash alone says nothing
        nested = index + 2 < len(parts) and int(parts[index + 2][2]) > level
        assert following or nested, re.sub(r"<[^>]+>", "", parts[index])
