"""axe-core on every kind of page, filled with the demo municipality, for the roles that use them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from netwerkregie.cases.models import Case, CaseConsultation
from netwerkregie.core.models import User
from netwerkregie.intake.models import AssessmentSession, ObservationCategory, Signal
from netwerkregie.network.models import Organisation
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.programmes.models import Activity
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_for(local: str) -> list[str]:
    case = Case.objects.filter(signals__isnull=False).first()
    consultation = CaseConsultation.objects.first()
    item = consultation.items.first()
    signal = Signal.objects.filter(person__isnull=False).first()
    school = Organisation.objects.get(name="Het Lindeveen College")
    return {
        "netwerkregisseur": [
            reverse("intake:signal_new"), reverse("intake:signal_detail", args=[signal.reference]),
            reverse("intake:person_detail", args=[signal.person.pseudonym]),
            reverse("intake:session_detail", args=[AssessmentSession.objects.first().pk]),
            reverse("intake:session_new"), reverse("intake:consultation_list"), reverse("intake:consultation_new"),
            reverse("cases:case_new"), reverse("cases:case_list"), reverse("cases:emergency_access"),
            reverse("cases:case_detail", args=[case.reference]), reverse("cases:plan_edit", args=[case.reference]),
            reverse("cases:plan_history", args=[case.reference]), reverse("cases:duties", args=[case.reference]),
            reverse("cases:review_new", args=[case.reference]), reverse("cases:member_add", args=[case.reference]),
            reverse("cases:case_close", args=[case.reference]), reverse("cases:consultation_new"),
            reverse("cases:consultation_detail", args=[consultation.pk]),
            reverse("cases:agenda_item", args=[consultation.pk, item.pk]),
            reverse("network:organisation_list"), reverse("network:organisation_detail", args=[school.pk]),
            reverse("network:contact_new", args=[school.pk]), reverse("network:covenant_list"),
            reverse("network:covenant_new"), reverse("network:contact_moment_list"),
            reverse("network:contact_moment_new"),
        ],
        "programma": [
            reverse("programmes:activity_new"),
            reverse("programmes:activity_detail", args=[Activity.objects.first().pk]),
            reverse("programmes:budget_new"), reverse("programmes:expense_new"),
        ],
        "privacy": [
            reverse("privacy:person_audit") + f"?pseudonym={signal.person.pseudonym}",
            reverse("privacy:request_detail", args=[DataSubjectRequest.objects.first().pk]),
            reverse("privacy:register"), reverse("privacy:register") + "?dpia=1",
            reverse("core:audit_log"), reverse("core:audit_verify"),
        ],
        "partner": [reverse("intake:my_signals"), reverse("intake:my_signal", args=[
            Signal.objects.filter(submitted_by__email="partner@demo.netwerkregie.test").first().reference])],
        "beheer": [reverse("core:user_list"), reverse("accounts:password_change"), reverse("catalogues:index"),
                   reverse("catalogues:new", args=["interventions"]),
                   reverse("catalogues:edit", args=["observations", ObservationCategory.objects.first().pk])],
    }[local]


@pytest.mark.parametrize("local", ["netwerkregisseur", "programma", "privacy", "partner", "beheer"])
def test_every_page_passes_axe(page: Page, live_server: object, settings: object, tmp_path: object,
                               local: str) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", stdout=StringIO())
    password = (tmp_path / "demo-password").read_text().strip()  # type: ignore[operator]
    user = User.objects.get(email=f"{local}@demo.netwerkregie.test")
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if user.requires_mfa:
        page.get_by_label("Zescijferige code").fill(code_for(user))
        page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    for url in pages_for(local):
        response = page.goto(base + url)
        assert response is not None and response.status == 200, url
        assert_accessible(page)
    assert page.csp_violations == []  # type: ignore[attr-defined]
