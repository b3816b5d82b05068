"""The administrator's Vandaag with mail that waits and mail that failed: legible, accessible, photographed."""

import socket
from pathlib import Path

import pytest
from django.core.mail import send_mail
from mailer.models import Message
from playwright.sync_api import Page, expect

from netwerkregie.core.models import User
from netwerkregie.core.outbox import send_queued
from tests.browser.conftest import assert_accessible
from tests.browser.test_axe_sweep import OVERFLOW_CHECK, SCREENSHOTS, sign_in_demo
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_sees_the_outbox(page: Page, live_server: object, settings: object,
                                           tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo("--no-history")
    password = (tmp_path / "demo-password").read_text().strip()
    with socket.socket() as probe:  # nothing listens here: the mail server is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # type: ignore[attr-defined]
    send_mail("[Netwerkregie] Acuut gevaar gemeld in een nieuw signaal", "-", None,
              ["coordinator@demo.netwerkregie.test", "privacy@demo.netwerkregie.test"])
    send_queued()
    send_mail("[Netwerkregie] Uw uitnodiging voor Netwerkregie", "-", None, ["mentor@lindeveen.test"])
    base = live_server.url  # type: ignore[attr-defined]
    sign_in_demo(page, base, User.objects.get(email="beheer@demo.netwerkregie.test"), password)
    panel = page.locator("section[aria-labelledby=today-outbox]")
    expect(panel).to_contain_text("Uitgaande mail")
    expect(panel.locator("[data-figure=outbox-failed] .nr-figure__number")).to_have_text(
        str(Message.objects.deferred().count()))  # the demo's own mail (acute alerts) failed too
    expect(panel.locator("[data-figure=outbox-waiting] .nr-figure__number")).to_have_text("1")
    expect(panel).to_contain_text("ConnectionRefusedError")
    assert_accessible(page)
    assert page.evaluate(OVERFLOW_CHECK) == []
    assert page.csp_violations == []  # type: ignore[attr-defined]
    folder = SCREENSHOTS / "beheer"
    folder.mkdir(parents=True, exist_ok=True)
    panel.scroll_into_view_if_needed()
    page.screenshot(path=folder / "vandaag-outbox.png", full_page=True)
    panel.screenshot(path=folder / "vandaag-outbox-panel.png")
