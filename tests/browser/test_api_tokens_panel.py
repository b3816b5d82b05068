"""The administrator's Vandaag with partner API tokens to renew: legible, accessible, photographed."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from netwerkregie.api.models import ApiToken
from netwerkregie.core.models import User
from netwerkregie.network.models import Organisation
from tests.browser.conftest import assert_accessible
from tests.browser.test_axe_sweep import OVERFLOW_CHECK, SCREENSHOTS, sign_in_demo
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_sees_tokens_to_renew(page: Page, live_server: object, settings: object,
                                                 tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo("--no-history")
    password = (tmp_path / "demo-password").read_text().strip()
    now = timezone.now()
    for name, days in (("Het Lindeveen College", 12), ("Politie Lindeveen", -3)):
        token, _ = ApiToken.issue(Organisation.objects.filter(name__icontains=name.split()[0]).first(),
                                  label="leerlingvolgsysteem")
        ApiToken.objects.filter(pk=token.pk).update(expires_at=now + datetime.timedelta(days=days))
    base = live_server.url  # type: ignore[attr-defined]
    sign_in_demo(page, base, User.objects.get(email="beheer@demo.netwerkregie.test"), password)
    panel = page.locator("section[aria-labelledby=today-api-tokens]")
    expect(panel).to_contain_text("API-tokens")
    expect(panel.locator("[data-figure=api-tokens-expiring] .nr-figure__number")).to_have_text("2")
    expect(panel).to_contain_text("verlopen")
    assert_accessible(page)
    assert page.evaluate(OVERFLOW_CHECK) == []
    assert page.csp_violations == []  # type: ignore[attr-defined]
    folder = SCREENSHOTS / "beheer"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "vandaag-api-tokens.png", full_page=True)
