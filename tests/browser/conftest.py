"""Real headless Chromium (Debian's), driven by Playwright; nothing is downloaded."""

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text
        and page.csp_violations.append(message.text),  # type: ignore[attr-defined]
    )
    yield page
    context.close()


AXE = Axe()


FAILING_IMPACTS = ("moderate", "serious", "critical")


def describe(violation: dict) -> str:
    return (f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3]))


def assert_accessible(page: Page) -> None:
    """axe-core on the page as it stands: moderate, serious and critical violations fail the test;
    minor ones are printed (``pytest -s`` shows them) so a person can weigh them."""
    violations = AXE.run(page).response["violations"]
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            print(f"axe minor on {page.url}: {describe(violation)}")
    failing = [describe(violation) for violation in violations if violation["impact"] in FAILING_IMPACTS]
    assert failing == [], f"{page.url}: " + "\n".join(failing)
