"""The minutes of a case consultation are a record: the chair establishes them, after which nobody
overwrites them; a correction is a new version with its reason, the earlier ones stay visible to the
case's team (and to nobody else), and the versions go with the case when it is purged."""

import datetime
import json
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import minutes as record
from netwerkregie.cases import services
from netwerkregie.cases.models import AgendaItem, Case, MinutesVersion
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.privacy import services as privacy
from netwerkregie.privacy.purge import erase_person
from tests.case_helpers import case_work_covenant, close_approved, decided_case
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db
DRAFT = {"minutes_form": "1", "minutes": "Jesse gaat weer naar school.", "decisions": "Mentor inzetten."}


@pytest.fixture
def police(users) -> Organisation:
    org = Organisation.objects.create(name="Politie Verslag", sector=Sector.POLICE)
    case_work_covenant([users[Role.COORDINATOR].organisation, org], users[Role.COORDINATOR])
    return org


@pytest.fixture
def officer(users, police):
    """A core partner on the case's team."""
    return make_user("wijkagent-verslag", Role.CORE_PARTNER, organisation=police)


@pytest.fixture
def outsider(police):
    """A core partner of the same organisation, not on this case's team."""
    return make_user("collega-verslag", Role.CORE_PARTNER, organisation=police)


@pytest.fixture
def item(users, officer) -> AgendaItem:
    coordinator = users[Role.COORDINATOR]
    case = decided_case(users)
    services.add_member(case, user=officer, role_in_case="Wijkagent", reason="Kent de wijk", actor=coordinator)
    consultation = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(),
                                              attendees=[officer, users[Role.CASE_MANAGER]], cases=[case],
                                              actor=coordinator)
    return consultation.items.get()


def url(name: str, item: AgendaItem) -> str:
    return reverse(f"cases:{name}", args=[item.consultation_id, item.pk])


def established(item: AgendaItem, users) -> AgendaItem:
    case_consultations.save_minutes(item, minutes=DRAFT["minutes"], decisions=DRAFT["decisions"],
                                    actor=users[Role.CASE_MANAGER])
    record.establish(item, actor=users[Role.COORDINATOR])
    return AgendaItem.objects.get(pk=item.pk)


def test_the_team_edits_the_draft_until_the_chair_establishes_it(users, officer, item) -> None:
    member, chair = verified_client(officer), verified_client(users[Role.COORDINATOR])
    assert member.post(url("agenda_item", item), DRAFT).status_code == 302
    page = chair.get(url("agenda_item", item)).content.decode()
    assert 'name="minutes"' in page
    assert url("minutes_establish", item) in page
    assert chair.post(url("minutes_establish", item)).status_code == 302
    [version] = MinutesVersion.objects.filter(item=item)
    assert (version.number, version.minutes, version.decisions, version.author, version.reason) == (
        1, DRAFT["minutes"], DRAFT["decisions"], users[Role.COORDINATOR], "")
    event = AuditEvent.objects.get(reason="case consultation minutes established")
    assert event.object_id == str(item.case_id)
    assert event.detail["version"] == 1


@pytest.mark.parametrize("role", [Role.CORE_PARTNER, Role.CASE_MANAGER, Role.COORDINATOR])
def test_established_minutes_cannot_be_overwritten_by_anyone(users, officer, item, role) -> None:
    item = established(item, users)
    writer = officer if role == Role.CORE_PARTNER else users[role]
    response = verified_client(writer).post(url("agenda_item", item), {**DRAFT, "minutes": "Achteraf herschreven."})
    assert response.status_code == 422
    assert "vastgesteld" in response.content.decode()
    assert 'name="minutes"' not in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).minutes == DRAFT["minutes"]
    with pytest.raises(ValidationError):
        case_consultations.save_minutes(item, minutes="Toch overschrijven.", decisions="", actor=writer)
    assert AgendaItem.objects.get(pk=item.pk).minutes == DRAFT["minutes"]
    version = MinutesVersion.objects.get(item=item)
    version.minutes = "Via het model herschreven."
    with pytest.raises(ValueError, match="never changed"):
        version.save()
    assert MinutesVersion.objects.get(item=item).minutes == DRAFT["minutes"]


def test_only_the_chair_establishes_and_only_after_the_meeting(users, officer, item) -> None:
    case_consultations.save_minutes(item, minutes="Concept.", decisions="", actor=officer)
    for member in (officer, users[Role.CASE_MANAGER]):  # on the team, but not the chair
        assert verified_client(member).post(url("minutes_establish", item)).status_code == 404
        with pytest.raises(ValidationError):
            record.establish(item, actor=member)
    coordinator = users[Role.COORDINATOR]
    later = case_consultations.plan_consultation(
        title="Volgend overleg", held_on=timezone.localdate() + datetime.timedelta(days=21), attendees=[officer],
        cases=[decided_case(users, "Kees Later")], actor=coordinator)
    future = later.items.get()
    case_consultations.save_minutes(future, minutes="Voorbereiding.", decisions="", actor=coordinator)
    response = verified_client(coordinator).post(url("minutes_establish", future), follow=True)
    assert "zodra het overleg is gehouden" in response.content.decode()
    empty = case_consultations.plan_consultation(title="Leeg", held_on=timezone.localdate(), attendees=[officer],
                                       cases=[decided_case(users, "Lotte Leeg")], actor=coordinator).items.get()
    with pytest.raises(ValidationError, match="nog niets om vast te stellen"):
        record.establish(empty, actor=coordinator)
    assert not MinutesVersion.objects.exists()
    # A case manager who planned a consultation chairs it.
    manager = users[Role.CASE_MANAGER]
    own = case_consultations.plan_consultation(title="Eigen overleg", held_on=timezone.localdate(), attendees=[officer],
                                     cases=[Case.objects.get(pk=item.case_id)], actor=manager).items.get()
    case_consultations.save_minutes(own, minutes="Verslag.", decisions="", actor=manager)
    assert verified_client(manager).post(url("minutes_establish", own)).status_code == 302
    assert MinutesVersion.objects.get().item == own


def test_a_correction_is_a_new_version_with_its_reason_and_the_earlier_stays_visible_to_the_team(
        users, officer, outsider, item) -> None:
    item = established(item, users)
    chair = verified_client(users[Role.COORDINATOR])
    assert chair.get(url("minutes_correct", item)).status_code == 200
    corrected = {"minutes": "Jesse gaat weer naar school; opa helpt.", "decisions": DRAFT["decisions"],
                 "base_version": "1"}
    without_reason = chair.post(url("minutes_correct", item), corrected)
    assert without_reason.status_code == 422
    assert MinutesVersion.objects.count() == 1
    unchanged = chair.post(url("minutes_correct", item), {**DRAFT, "base_version": "1", "reason": "Niets"})
    assert unchanged.status_code == 422
    assert MinutesVersion.objects.count() == 1
    response = chair.post(url("minutes_correct", item), {**corrected, "reason": "Opa ontbrak in het verslag."})
    assert response.status_code == 302
    first, second = MinutesVersion.objects.filter(item=item).order_by("number")
    assert (second.number, second.minutes, second.reason) == (2, corrected["minutes"], "Opa ontbrak in het verslag.")
    assert first.minutes == DRAFT["minutes"]
    assert AgendaItem.objects.get(pk=item.pk).minutes == corrected["minutes"]
    assert AuditEvent.objects.filter(reason="case consultation minutes corrected", object_id=str(item.case_id),
                                     detail__version=2).count() == 1
    for member in (officer, users[Role.CASE_MANAGER]):  # the team sees both versions, with who, when and why
        page = verified_client(member).get(url("minutes_history", item)).content.decode()
        assert DRAFT["minutes"] in page
        assert corrected["minutes"] in page
        assert "Opa ontbrak in het verslag." in page
        assert str(users[Role.COORDINATOR]) in page
    assert verified_client(officer).get(url("minutes_correct", item)).status_code == 404  # the team is not the chair
    assert verified_client(officer).post(url("minutes_correct", item), {**corrected, "reason": "x"}).status_code == 404
    other = verified_client(outsider)  # not on the team: nothing of it exists
    for name in ("minutes_history", "minutes_correct", "agenda_item"):
        assert other.get(url(name, item)).status_code == 404
    assert other.post(url("minutes_establish", item)).status_code == 404
    assert MinutesVersion.objects.count() == 2


def test_the_minutes_pdf_prints_the_version_in_force_and_says_it_is_established(users, item, monkeypatch) -> None:
    import weasyprint

    printed: list[str] = []
    real_html = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                        or real_html(string=string, **options))
    client = verified_client(users[Role.COORDINATOR])
    case_consultations.save_minutes(item, minutes="Concept.", decisions="", actor=users[Role.COORDINATOR])
    assert client.get(reverse("cases:minutes_pdf", args=[item.consultation_id])).content.startswith(b"%PDF")
    assert "Concept: dit verslag is nog niet vastgesteld" in printed[-1]
    record.establish(item, actor=users[Role.COORDINATOR])
    record.correct(item, minutes="Gecorrigeerd verslag.", decisions="", reason="Typfout", base_version=1,
                   actor=users[Role.COORDINATOR])
    assert client.get(reverse("cases:minutes_pdf", args=[item.consultation_id])).content.startswith(b"%PDF")
    assert "Vastgesteld verslag" in printed[-1]
    assert "Gecorrigeerd verslag." in printed[-1]
    assert "Versie 2" in printed[-1]
    assert "Typfout" in printed[-1]
    assert "Concept." not in printed[-1]


def test_the_access_export_holds_every_version(users, item) -> None:
    item = established(item, users)
    record.correct(item, minutes="Tweede tekst.", decisions="", reason="Aanvulling", base_version=1,
                   actor=users[Role.COORDINATOR])
    officer = users[Role.PRIVACY_OFFICER]
    subject_request = privacy.register_request(kind="access", person=item.case.person,
                                               received_on=timezone.localdate(), handler=officer, actor=officer)
    data = json.loads(verified_client(officer).get(reverse("privacy:export_json", args=[subject_request.pk])).content)
    [consultation] = data["cases"][0]["consultations"]
    assert [(v["number"], v["minutes"], v["reason"]) for v in consultation["minutes_versions"]] == [
        (1, DRAFT["minutes"], ""), (2, "Tweede tekst.", "Aanvulling")]


def test_erasure_and_the_scheduled_purge_remove_the_versions(users, item, time_machine) -> None:
    item = established(item, users)
    record.correct(item, minutes="Tweede tekst.", decisions="", reason="Aanvulling", base_version=1,
                   actor=users[Role.COORDINATOR])
    other = decided_case(users, "Piet Purge")
    consultation = case_consultations.plan_consultation(title="Later overleg", held_on=timezone.localdate(),
                                              attendees=[users[Role.CASE_MANAGER]], cases=[other],
                                              actor=users[Role.COORDINATOR])
    established(consultation.items.get(), users)
    assert MinutesVersion.objects.count() == 3
    erase_person(item.case.person)
    assert not MinutesVersion.objects.filter(item_id=item.pk).exists()
    assert MinutesVersion.objects.count() == 1
    close_approved(other, actor=users[Role.CASE_MANAGER])
    time_machine.move_to(timezone.now() + datetime.timedelta(days=5 * 366 + 2))
    call_command("purge", stdout=StringIO())
    assert not Case.objects.filter(pk=other.pk).exists()
    assert MinutesVersion.objects.count() == 0


def test_a_correction_over_one_the_chair_has_not_seen_is_refused_and_shows_what_came_first(users, item) -> None:
    item = established(item, users)
    second_chair = make_user("tweede-regisseur", Role.COORDINATOR, organisation=users[Role.COORDINATOR].organisation)
    record.correct(item, minutes="Eerst gecorrigeerd.", decisions="", reason="Eerste correctie", base_version=1,
                   actor=second_chair)
    late = verified_client(users[Role.COORDINATOR]).post(url("minutes_correct", item), {
        "minutes": "Later gecorrigeerd.", "decisions": "", "reason": "Tweede correctie", "base_version": "1"})
    page = late.content.decode()
    assert late.status_code == 409
    assert "intussen gecorrigeerd" in page
    assert "Eerst gecorrigeerd." in page
    assert "Later gecorrigeerd." in page
    assert 'name="base_version" value="2"' in page
    assert [v.minutes for v in MinutesVersion.objects.order_by("number")] == [DRAFT["minutes"], "Eerst gecorrigeerd."]


@pytest.mark.django_db(transaction=True)
def test_two_chairs_correcting_at_once_make_one_version_and_one_conflict(users, officer) -> None:
    coordinator = users[Role.COORDINATOR]
    second_chair = make_user("tweede-regisseur", Role.COORDINATOR, organisation=coordinator.organisation)
    case = decided_case(users)
    item = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(), attendees=[officer],
                                      cases=[case], actor=coordinator).items.get()
    item = established(item, users)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def correct(actor, text: str) -> None:
        try:
            barrier.wait()
            record.correct(AgendaItem.objects.get(pk=item.pk), minutes=text, decisions="", reason=text,
                           base_version=1, actor=actor)
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=correct, args=(actor, f"Correctie van {actor}"))
               for actor in (coordinator, second_chair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert list(MinutesVersion.objects.filter(item=item).values_list("number", flat=True)) == [1, 2]
