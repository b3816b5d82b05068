"""The thread from a decision to a case: "Open the case" where the decision is shown, the case opened with the
person and signals filled in, the decision and its reasons on the case, the case manager in the team from the
start, a new case first with "nieuw" on her lists until she opens it, and the person's name on her own cases
(each a logged read of identity)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from netwerkregie.cases import services
from netwerkregie.cases.models import Case
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.intake.services import decide
from tests.case_helpers import case_work_covenant, decided_case
from tests.conftest import verified_client
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db

RATIONALE = "Zorgen op meerdere leefgebieden."


def decided_signal(users: dict[str, User], name: str = "Jesse de Boer") -> Signal:
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name)
    session = session_with(coordinator, title=f"Weging {signal.reference}")
    on_agenda(signal, session, coordinator, name=name)
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="to_case_conference", rationale=RATIONALE, actor=coordinator)
    return signal


def my_cases_on_today(client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    panel = page.split('id="today-mycases"')[1].split("</section>")[0]
    return re.findall(r"C-\d{4}-[A-Z0-9]+", panel)


def test_the_signal_page_offers_to_open_the_case_after_the_decision(users) -> None:
    signal = decided_signal(users)
    page = verified_client(users[Role.COORDINATOR]).get(reverse("intake:signal_detail", args=[signal.reference]))
    assert f'{reverse("cases:case_new")}?signal={signal.reference}' in page.content.decode()


def test_the_case_form_from_the_decision_has_the_persons_signals_chosen(users) -> None:
    signal = decided_signal(users)
    page = verified_client(users[Role.COORDINATOR]).get(reverse("cases:case_new") + f"?signal={signal.reference}")
    checkbox = re.search(rf'<input[^>]*value="{signal.pk}"[^>]*>', page.content.decode()).group(0)
    assert "checked" in checkbox


def test_the_signal_page_links_the_case_once_it_is_opened(users) -> None:
    case = decided_case(users)
    signal = case.signals.get()
    page = verified_client(users[Role.COORDINATOR]).get(reverse("intake:signal_detail", args=[signal.reference]))
    assert reverse("cases:case_detail", args=[case.reference]) in page.content.decode()


def test_the_case_shows_the_reasons_of_its_decision(users) -> None:
    case = decided_case(users)
    page = verified_client(users[Role.CASE_MANAGER]).get(reverse("cases:case_detail", args=[case.reference]))
    decisions = page.content.decode().split('id="decisions-heading"')[1].split("</section>")[0]
    assert RATIONALE in decisions


def test_the_case_manager_is_in_the_case_team_from_the_start(users) -> None:
    case = decided_case(users)
    page = verified_client(users[Role.COORDINATOR]).get(reverse("cases:case_detail", args=[case.reference]))
    team = page.content.decode().split('id="team-heading"')[1].split("</section>")[0]
    assert users[Role.CASE_MANAGER].full_name in team


def test_a_new_case_is_first_on_the_case_managers_today(users) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    older = decided_case(users, "Sam de Wit")
    client.get(reverse("cases:case_detail", args=[older.reference]))  # opened: no longer new
    newer = decided_case(users, "Jesse de Boer")
    assert my_cases_on_today(client)[0] == newer.reference


def test_a_new_case_is_marked_nieuw_until_the_case_manager_opens_it(users) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    case = decided_case(users)
    before = client.get(reverse("home")).content.decode().split('id="today-mycases"')[1].split("</section>")[0]
    client.get(reverse("cases:case_detail", args=[case.reference]))
    after = client.get(reverse("home")).content.decode().split('id="today-mycases"')[1].split("</section>")[0]
    assert ">nieuw<" in before
    assert ">nieuw<" not in after


def test_another_persons_view_does_not_end_new(users) -> None:
    case = decided_case(users)
    verified_client(users[Role.COORDINATOR]).get(reverse("cases:case_detail", args=[case.reference]))
    case.refresh_from_db()
    assert case.case_manager_opened_at is None


def test_a_new_case_is_at_the_top_of_her_case_list(users) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    older = decided_case(users, "Sam de Wit")
    client.get(reverse("cases:case_detail", args=[older.reference]))
    newer = decided_case(users, "Jesse de Boer")
    page = client.get(reverse("cases:case_list")).content.decode()
    assert re.findall(r"C-\d{4}-[A-Z0-9]+", page)[0] == newer.reference


def test_the_case_manager_sees_the_name_on_her_own_case(users) -> None:
    decided_case(users, "Jesse de Boer")
    page = verified_client(users[Role.CASE_MANAGER]).get(reverse("home")).content.decode()
    assert "Jesse de Boer" in page


def test_each_name_shown_is_a_logged_read_of_identity(users) -> None:
    case = decided_case(users, "Jesse de Boer")
    verified_client(users[Role.CASE_MANAGER]).get(reverse("home"))
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(case.person_id),
                                     actor=users[Role.CASE_MANAGER], reason="case work: identity").exists()


def test_a_team_member_does_not_see_the_name_in_the_lists(users) -> None:
    coordinator, member = users[Role.COORDINATOR], users[Role.CORE_PARTNER]
    case_work_covenant([coordinator.organisation, member.organisation], coordinator)
    case = decided_case(users, "Jesse de Boer")
    services.add_member(case, user=member, role_in_case="Wijkagent", reason="Wijk", actor=coordinator)
    page = verified_client(member).get(reverse("home")).content.decode()
    assert case.reference in page
    assert "Jesse de Boer" not in page


def test_the_case_manager_is_told_of_the_case_she_was_given(users) -> None:
    decided_case(users)
    told = [address for message in delivered() for address in message.to]
    assert users[Role.CASE_MANAGER].email in told



def test_a_new_case_is_first_on_her_own_case_list_too(users) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    older = decided_case(users, "Sam de Wit")
    client.get(reverse("cases:case_detail", args=[older.reference]))
    newer = decided_case(users, "Jesse de Boer")
    page = client.get(reverse("cases:case_list") + "?mine=1").content.decode()
    assert re.findall(r"C-\d{4}-[A-Z0-9]+", page)[0] == newer.reference


def test_the_demo_case_manager_has_one_new_case(settings, tmp_path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path
    call_command("load_demo", "--no-history", stdout=StringIO())
    manager = User.objects.get(email="casusregisseur@demo.netwerkregie.test")
    assert Case.objects.filter(case_manager=manager, case_manager_opened_at__isnull=True).count() == 1
