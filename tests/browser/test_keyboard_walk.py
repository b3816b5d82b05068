"""A keyboard-only walk in Chromium (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7, 3.3.1) through the forms that matter
most: the partner's signal form, the coordinator's triage queue and triage decision, the decision of a joint
assessment, the support plan and the referral form.

On each page Tab is pressed until the focus comes back where it started. Every interactive control that is
shown must be reached (one radio button per group: arrows move within a group), in document order (no
positive tabindex, no jumps), each with a visible focus indicator, and the walk must come round (no trap).
Then a form is sent empty with Enter, and the error summary must have the focus."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.intake.models import Signal
from netwerkregie.sharing.models import Referral
from tests.browser.test_axe_sweep import sign_in_demo
from tests.demo_snapshot import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Numbers every control that is shown and in the tab order, in document order; the radio buttons of a group
# share the number of the first. Returns the numbers, with a short description of each.
MARK_CONTROLS = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]';
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const groups = {};
  const found = {};
  let number = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.type === 'hidden' || el.tabIndex < 0 || !shown(el)
        || el.closest('[inert], dialog:not([open]), [hidden]')) continue;
    number += 1;
    let mark = String(number);
    if (el.type === 'radio') mark = groups[el.form?.id + el.name] ||= mark;
    el.dataset.walk = mark;
    found[mark] = (el.tagName + ' ' + (el.name || el.id || el.innerText || el.getAttribute('href') || ''))
      .trim().slice(0, 60);
  }
  return found;
}"""

# The element that has the focus now: its number, and whether the focus can be seen on it.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {mark: el.dataset.walk || null, visible: outline || style.boxShadow !== 'none',
          what: el.tagName + ' ' + (el.name || el.id || el.innerText || '').trim().slice(0, 40)};
}"""


def walk(page: Page) -> list[str]:
    """Press Tab from the top of the page until the focus comes round; check each stop. Returns the marks."""
    page.wait_for_load_state("networkidle")
    controls = page.evaluate(MARK_CONTROLS)
    assert controls, page.url
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops: list[str] = []
    for _ in range(4 * len(controls) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last control the focus leaves the document for a moment
            continue
        assert focused["mark"] is not None, f"{page.url}: Tab reached {focused['what']}, not a shown control"
        assert focused["visible"], f"{page.url}: no visible focus on {focused['what']}"
        if stops and focused["mark"] == stops[-1]:
            continue  # a date field takes Tab once per part (day, month, year)
        if stops and focused["mark"] == stops[0]:
            break
        assert focused["mark"] not in stops, f"{page.url}: focus went back to {focused['what']} before the end"
        stops.append(focused["mark"])
    else:
        pytest.fail(f"{page.url}: the focus never came round to the first control (a keyboard trap?)")
    missing = [controls[mark] for mark in controls if mark not in stops]
    assert missing == [], f"{page.url}: not reachable with Tab: {missing}"
    numbers = [int(mark) for mark in stops]
    first = numbers.index(min(numbers))  # the walk may start mid-page, where the focus was (an error summary)
    assert numbers[first:] + numbers[:first] == sorted(numbers), \
        f"{page.url}: the focus order is not the reading order: {[controls[mark] for mark in stops]}"
    return stops


def send_empty_with_the_keyboard(page: Page, button: str) -> None:
    """Tab to the submit button and press Enter; the answer's error summary must hold the focus."""
    target = page.get_by_role("button", name=button, exact=True)
    for _ in range(200):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"{page.url}: Tab never reached the button {button!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".nr-error-summary").first
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED)["visible"], f"{page.url}: the focused error summary shows no focus"


@pytest.fixture
def demo(live_server: object, settings: object, tmp_path: Path) -> tuple[str, str]:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo()
    return live_server.url, (tmp_path / "demo-password").read_text().strip()  # type: ignore[attr-defined]


def signed_in(page: Page, demo: tuple[str, str], local: str) -> str:
    base, password = demo
    sign_in_demo(page, base, User.objects.get(email=f"{local}@demo.netwerkregie.test"), password)
    return base


def test_the_partners_signal_form_by_keyboard(page: Page, demo: tuple[str, str]) -> None:
    base = signed_in(page, demo, "partner")
    page.goto(base + reverse("intake:signal_new"))
    walk(page)
    send_empty_with_the_keyboard(page, "Signaal indienen")
    walk(page)  # the form with its errors is walked the same way


def test_triage_and_the_triage_decision_by_keyboard(page: Page, demo: tuple[str, str]) -> None:
    base = signed_in(page, demo, "netwerkregisseur")
    page.goto(base + reverse("intake:triage"))
    walk(page)
    new = Signal.objects.filter(status="new").first()
    page.goto(base + reverse("intake:signal_detail", args=[new.reference]))
    walk(page)
    send_empty_with_the_keyboard(page, "Besluit vastleggen")


def test_the_decision_of_a_joint_assessment_by_keyboard(page: Page, demo: tuple[str, str]) -> None:
    base = signed_in(page, demo, "netwerkregisseur")
    signal = Signal.objects.filter(status="on_agenda").first()
    page.goto(base + reverse("intake:session_decide", args=[signal.assessment_session_id, signal.reference]))
    walk(page)
    send_empty_with_the_keyboard(page, "Besluit vastleggen")


def test_the_support_plan_by_keyboard(page: Page, demo: tuple[str, str]) -> None:
    base = signed_in(page, demo, "netwerkregisseur")
    case = Case.objects.filter(signals__isnull=False).first()
    page.goto(base + reverse("cases:plan_edit", args=[case.reference]))
    walk(page)
    send_empty_with_the_keyboard(page, "Plan opslaan")


def test_the_referral_form_by_keyboard(page: Page, demo: tuple[str, str]) -> None:
    base = signed_in(page, demo, "netwerkregisseur")
    case = Referral.objects.filter(status="accepted").first().case
    page.goto(base + reverse("sharing:refer_case", args=[case.reference]))
    walk(page)
    send_empty_with_the_keyboard(page, "Verwijzing versturen")
