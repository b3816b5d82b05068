"""Each role's first page shows that role's work for today; every count equals the database and
links to the list it counts. Run on the demo municipality, as a newcomer sees it."""

import datetime
import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases.models import Case, CaseStatus, EmergencyAccess
from netwerkregie.core.models import User
from netwerkregie.intake.models import Signal, SignalStatus
from netwerkregie.network.services import follow_ups_due, stale_partners
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.programmes.models import Activity
from tests.demo_pages import demo_client
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'data-figure="(?P<key>[a-z-]+)"[^>]*>\s*(?:<a href="(?P<href>[^"]+)">|<span>)'
    r'<span class="nr-figure__number">(?P<number>[^<]+)</span>'
)


demo_loaded = demo_for_the_module("--no-history")


@pytest.fixture
def demo(demo_loaded: Path, settings: object) -> None:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]


def today_page(local: str) -> tuple[str, dict[str, tuple[str, str | None]]]:
    client = demo_client(local)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    figures = {m["key"]: (m["number"], m["href"] and unescape(m["href"])) for m in FIGURE.finditer(html)}
    return html, figures


def test_it_shows_the_coordinator_new_overdue_and_acute_signals_as_in_the_database(demo: None) -> None:
    today = timezone.localdate()
    new = Signal.objects.filter(status=SignalStatus.NEW)
    html, figures = today_page("netwerkregisseur")
    assert figures["signals-new"] == (str(new.count()), "/triage/?status=new")
    assert figures["signals-overdue"][0] == str(new.filter(due_on__lt=today).count()) != "0"
    assert figures["signals-acute"][0] == str(new.filter(acute_danger=True).count())
    listed = re.findall(r'href="/signals/(S-[0-9A-Z-]+)/"', html)
    expected = list(new.order_by("-acute_danger", "due_on", "received_at").values_list("reference", flat=True)[:5])
    assert listed == expected


def test_its_counts_link_to_lists_that_hold_the_same_number(demo: None) -> None:
    _, figures = today_page("netwerkregisseur")
    client = demo_client("netwerkregisseur")
    for key in ("signals-new", "signals-overdue", "signals-acute"):
        number, href = figures[key]
        listed = client.get(href).content.decode()
        assert len(re.findall(r'href="/signals/S-[0-9A-Z-]+/"', listed)) == int(number), key


def test_it_shows_the_coordinator_reviews_follow_ups_and_stale_partners(demo: None) -> None:
    today = timezone.localdate()
    coordinator = User.objects.get(email="netwerkregisseur@demo.netwerkregie.test")
    html, figures = today_page("netwerkregisseur")
    reviews = (Case.objects.visible_to(coordinator).exclude(status=CaseStatus.CLOSED)
               .filter(next_review_on__lte=today + datetime.timedelta(days=14)))
    assert figures["reviews-due"] == (str(reviews.count()), "/cases/#reviews-heading")
    assert figures["follow-ups-due"][0] == str(follow_ups_due(today).count()) != "0"
    assert figures["stale-partners"][0] == str(len(stale_partners(today))) == "4"
    access = EmergencyAccess.objects.get(user=coordinator)
    assert "Mijn noodtoegang" in html
    assert access.case.reference in html
    assert "Wegingsoverleg" in html  # the next joint assessment with its agenda


def test_it_shows_the_partner_a_report_button_the_112_notice_and_their_signals(demo: None) -> None:
    partner = User.objects.get(email="partner@demo.netwerkregie.test")
    html, _figures = today_page("partner")
    assert f'href="{reverse("intake:signal_new")}"' in html
    assert "Zorg melden" in html
    assert "112" in html
    mine = Signal.objects.submitted_by_user(partner)
    shown = re.findall(r'data-figure="my-signals-by-status"[^>]*><a [^>]*><span class="nr-figure__number">(\d+)<', html)
    assert sum(map(int, shown)) == mine.count() > 0
    counts: dict[str, int] = {}
    for signal in mine:
        counts[str(signal.submitter_status.label)] = counts.get(str(signal.submitter_status.label), 0) + 1
    for label, count in counts.items():
        assert re.search(rf'nr-figure__number">{count}</span><span class="nr-figure__label">{label}<', html), label
    assert "decision" not in html.lower()
    assert "P-" not in html


def test_it_shows_the_privacy_officer_deadlines_reviews_chain_and_next_purge(demo: None) -> None:
    today = timezone.localdate()
    html, figures = today_page("privacy")
    due = DataSubjectRequest.objects.filter(status__in=["open", "extended"],
                                            deadline__lte=today + datetime.timedelta(days=14))
    assert figures["requests-due"] == (str(due.count()), reverse("privacy:requests"))
    assert figures["emergency-unreviewed"][0] == str(EmergencyAccess.objects.filter(reviewed_at__isnull=True).count())
    assert f'hx-post="{reverse("privacy:verify_now")}"' in html  # the chain's state from the stored runs
    assert "Volgende opschoning" in html
    assert "\u00d7 " in html


def test_it_shows_the_programme_officer_coming_activities_and_budget_left(demo: None) -> None:
    today = timezone.localdate()
    html, figures = today_page("programma")
    assert figures["activities-upcoming"][0] == str(Activity.objects.filter(ends_on__gte=today).count())
    assert "€ 27.550,00" in html or "Resterend budget" in html
    assert "Resterend budget" in html


def test_it_shows_the_administrator_users_without_second_factor(demo: None) -> None:
    User.objects.create_user("nieuw@demo.netwerkregie.test", "x" * 20, full_name="Nieuwe Collega")
    from netwerkregie.core.models import RoleAssignment

    RoleAssignment.objects.create(user=User.objects.get(email="nieuw@demo.netwerkregie.test"), role="coordinator")
    html, figures = today_page("beheer")
    assert figures["users-without-mfa"] == ("1", "/beheer/gebruikers/?mfa=missing")
    assert "Nieuwe Collega" in html
    admin = demo_client("beheer")
    listed = admin.get("/beheer/gebruikers/?mfa=missing").content.decode()
    assert "Nieuwe Collega" in listed
    assert "Sanne de Vries" not in listed


def test_it_shows_the_analyst_counts_only_with_small_numbers_suppressed(demo: None) -> None:
    html, figures = today_page("analist")
    cases = Case.objects.exclude(status=CaseStatus.CLOSED).count()
    assert figures["cases-running"][0] == ("&lt; 5" if 0 < cases < 5 else str(cases))
    assert not re.search(r"[SCP]-\d{4}-|P-[0-9A-Z]{5}", html)  # no reference or pseudonym


def test_it_shows_the_case_manager_and_core_partner_their_own_cases(demo: None) -> None:
    for local in ("casusregisseur", "kernpartner"):
        user = User.objects.get(email=f"{local}@demo.netwerkregie.test")
        html, figures = today_page(local)
        mine = (Case.objects.visible_to(user).exclude(status=CaseStatus.CLOSED)
                .filter(models_q(user)).distinct())
        assert figures["my-cases"][0] == str(mine.count()), local
        for case in mine[:5]:
            assert case.reference in html


def models_q(user: User) -> object:
    from django.db.models import Q

    return Q(case_manager=user) | Q(memberships__user=user, memberships__removed_at__isnull=True)


def test_it_shows_the_privacy_officer_pending_and_recent_role_grants_as_in_the_database(demo: None) -> None:
    from netwerkregie.core.models import RoleGrantRequest

    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=31)
    pending = RoleGrantRequest.objects.filter(outcome="pending")
    old = RoleGrantRequest.objects.filter(outcome="refused").get()
    RoleGrantRequest.objects.filter(pk=old.pk).update(decided_at=since)  # decided 31 days ago: no longer recent
    html, figures = today_page("privacy")
    recent = RoleGrantRequest.objects.exclude(outcome="pending").filter(
        decided_at__gte=timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=30),
                                                                      datetime.time.min)))
    assert pending.count() == 1  # the demo's new case manager, Noor Kuipers
    assert figures["role-grants-pending"] == (str(pending.count()), reverse("accounts:role_grant_list"))
    assert figures["role-grants-to-decide"][0] == str(pending.count())
    assert figures["role-grants-recent"][0] == str(recent.count()) == "0"
    assert "Noor Kuipers" in html
    assert reverse("accounts:role_grant_detail", args=[pending.get().pk]) in html
    RoleGrantRequest.objects.filter(pk=old.pk).update(decided_at=timezone.now())
    html, figures = today_page("privacy")
    assert figures["role-grants-recent"][0] == "1"
    assert "Eva Mulder" in html
    listed = demo_client("privacy").get(reverse("accounts:role_grant_list")).content.decode()
    assert listed.count("data-grant=") == pending.count() + 1


def test_it_shows_the_administrator_the_grants_another_administrator_asked_for(demo: None) -> None:
    from netwerkregie.accounts import users as accounts
    from netwerkregie.core.models import RoleAssignment

    html, figures = today_page("beheer")
    assert figures["role-grants-to-decide"][0] == "0"
    assert figures["role-grants-mine"][0] == "1"
    second = User.objects.create_user("beheer2@demo.netwerkregie.test", None, full_name="Bram Beheer")
    RoleAssignment.objects.create(user=second, role="admin")
    analyst = User.objects.get(email="analist@demo.netwerkregie.test")
    accounts.update_user(analyst, email=analyst.email, full_name=analyst.full_name, organisation=analyst.organisation,
                         roles=["analyst", "case_manager"], is_active=True, actor=second)
    html, figures = today_page("beheer")
    assert figures["role-grants-to-decide"] == ("1", reverse("accounts:role_grant_list"))
    assert "Eva Mulder" in html


def test_it_shows_the_privacy_officer_second_factor_resets_of_the_last_30_days_as_in_the_database(
        demo: None) -> None:
    import time_machine

    from netwerkregie.core.models import AuditEvent
    from netwerkregie.core.second_factor import reset_second_factor

    admin = User.objects.get(email="beheer@demo.netwerkregie.test")
    coordinator = User.objects.get(email="netwerkregisseur@demo.netwerkregie.test")
    case_manager = User.objects.get(email="casusregisseur@demo.netwerkregie.test")
    html, figures = today_page("privacy")
    assert figures["second-factor-resets"][0] == "0"
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):  # before the panel's 30 days
        reset_second_factor(case_manager, actor=admin, reason="Telefoon vervangen")
    reset_second_factor(coordinator, actor=admin, reason="Telefoon verloren")
    html, figures = today_page("privacy")
    since = timezone.make_aware(datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=30),
                                                          datetime.time.min))
    recent = AuditEvent.objects.filter(reason__startswith="second factor reset: ", occurred_at__gte=since)
    assert figures["second-factor-resets"][0] == str(recent.count()) == "1"
    section = html[html.index('id="today-second-factor-resets"'):]
    section = section[:section.index("</section>")]
    assert f"{coordinator.full_name}, hersteld door {admin.full_name}" in section
    assert case_manager.full_name not in section
    listed = demo_client("privacy").get(figures["second-factor-resets"][1]).content.decode()
    assert "tweede factor hersteld: Telefoon verloren" in listed
