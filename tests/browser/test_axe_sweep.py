"""Every kind of page, filled with the demo municipality, for every role that reaches it: axe-core,
every asset answering 200, no text overflowing its box, and a full-page screenshot of each under
``var/screenshots/<role>/`` so a person can look at what the product shows. The partner's pages are
also checked at 390 px wide (a phone): no horizontal scroll."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, Response, expect

from netwerkregie.core.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import code_for
from tests.demo_pages import ROLES, pages_for
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
ASSET_TYPES = {"stylesheet", "script", "image", "font"}

# Elements whose content may be wider than their box on purpose: scroll containers and form controls.
OVERFLOW_CHECK = """() => {
  const skip = 'svg, select, input, textarea, .nr-table-wrap, .utrecht-table-container, pre, code';
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest(skip) || el.matches('.nr-visually-hidden, .utrecht-skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.overflowX !== 'visible' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push(el.tagName.toLowerCase() + '.' + el.className + ': '
      + (el.innerText || '').trim().slice(0, 60));
  }
  return found;
}"""


# Every checkbox and radio button sits left of its label text, on the label's first line.
CHOICES_BESIDE_LABELS = """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
.filter(box => {
  const label = box.closest('label') || document.querySelector(`label[for="${box.id}"]`);
  const text = label && label.querySelector('span');
  if (!text) return true;
  const b = box.getBoundingClientRect(), t = text.getBoundingClientRect();
  return !(b.right <= t.left + 1 && b.top < t.top + 24 && b.bottom > t.top);
}).map(box => box.name + '=' + box.value)"""


def watch_assets(page: Page) -> list[str]:
    failures: list[str] = []

    def check(response: Response) -> None:
        if response.request.resource_type in ASSET_TYPES and response.status not in (200, 304):  # 304: cached
            failures.append(f"{response.status} {response.url}")

    page.on("response", check)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    return failures


def sign_in_demo(page: Page, base: str, user: User, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if user.requires_mfa:
        page.get_by_label("Zescijferige code").fill(code_for(user))
        page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")


def shoot(page: Page, folder: Path, url: str) -> None:
    name = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "vandaag"
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def sweep(page: Page, base: str, urls: list[str], folder: Path, *, phone: bool = False) -> None:
    assets = watch_assets(page)
    for url in urls:
        response = page.goto(base + url)
        assert response is not None, url
        assert response.status == 200, url
        # goto waited for the load event (stylesheets, scripts, images); the fonts the layout asked for are awaited
        # here. (Waiting for the network to be idle cost half a second of nothing per page.)
        assert page.evaluate("document.fonts.ready.then(() => document.fonts.status)") == "loaded"
        assert_accessible(page)
        assert page.evaluate(OVERFLOW_CHECK) == [], url
        if phone:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"horizontal scroll on {url}"
        shoot(page, folder, url)
    assert assets == []
    assert page.csp_violations == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("local", ROLES)
def test_every_page_passes_axe_loads_its_assets_and_is_photographed(
        page: Page, live_server: object, settings: object, tmp_path: Path, local: str) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo()
    password = (tmp_path / "demo-password").read_text().strip()
    user = User.objects.get(email=f"{local}@demo.netwerkregie.test")
    base = live_server.url  # type: ignore[attr-defined]
    folder = SCREENSHOTS / local
    folder.mkdir(parents=True, exist_ok=True)
    sign_in_demo(page, base, user, password)
    menu = [link.get_attribute("href") for link in page.locator(".utrecht-nav-list__link").all()]
    assert menu
    assert "/" in menu
    sweep(page, base, [*menu, *pages_for(local)], folder)


def test_the_partners_pages_fit_a_phone(browser: Browser, live_server: object, settings: object,
                                        tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo()
    password = (tmp_path / "demo-password").read_text().strip()
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    folder = SCREENSHOTS / "partner-390"
    folder.mkdir(parents=True, exist_ok=True)
    sign_in_demo(page, base, User.objects.get(email="partner@demo.netwerkregie.test"), password)
    sweep(page, base, ["/", reverse("intake:signal_new"), reverse("intake:consultation_new"),
                       reverse("intake:my_signals")], folder, phone=True)
    # A submitted form with errors keeps fitting: errors beside the fields and in a summary on top.
    page.goto(base + reverse("intake:signal_new"))
    page.get_by_role("button", name="Signaal indienen").click()
    summary = page.locator(".nr-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link").first).to_have_attribute("href", re.compile(r"#id_\w+_field"))
    expect(page.locator(".utrecht-form-field--invalid").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(CHOICES_BESIDE_LABELS) == []
    page.screenshot(path=folder / "signal-form-errors.png", full_page=True)
    context.close()


def test_every_page_loads_its_assets_in_english(page: Page, live_server: object, settings: object,
                                                tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo()
    password = (tmp_path / "demo-password").read_text().strip()
    base = live_server.url  # type: ignore[attr-defined]
    sign_in_demo(page, base, User.objects.get(email="netwerkregisseur@demo.netwerkregie.test"), password)
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    menu = [link.get_attribute("href") for link in page.locator(".utrecht-nav-list__link").all()]
    assets = watch_assets(page)
    for url in [*menu, *pages_for("netwerkregisseur")]:
        response = page.goto(base + url)
        assert response is not None, url
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "en"
    assert assets == []


def test_the_accessibility_statement_is_public_in_dutch_and_english(page: Page, live_server: object,
                                                                    settings: object) -> None:
    settings.ACCESSIBILITY_CONTACT_EMAIL = "toegankelijkheid@voorbeeld.test"  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    folder = SCREENSHOTS / "anonymous"
    folder.mkdir(parents=True, exist_ok=True)
    page.goto(base + "/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheidsverklaring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    expect(page.locator("main")).to_contain_text("Voldoet gedeeltelijk")
    expect(page.get_by_role("link", name="toegankelijkheid@voorbeeld.test")).to_be_visible()
    sweep(page, base, [reverse("accessibility_statement")], folder)
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.locator("main")).to_contain_text("Partially compliant")
    assert_accessible(page)
    page.screenshot(path=folder / "accessibility-statement-en.png", full_page=True)
