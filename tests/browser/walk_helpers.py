"""What the whole-path walk needs around Playwright: one desk (a browser of its own) per person, every click
counted under that person's role, every field typed counted apart, and a numbered full-page screenshot per
step under ``var/screenshots/whole_path/`` (git-ignored) for a person to look at."""

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings as django_settings
from playwright.sync_api import Browser, Locator, Page, expect

from netwerkregie.core.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import code_for

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "whole_path"


@dataclass
class Walk:
    """The tally of one walk: clicks (a button, link, box or choice in a list) and typed fields per role."""

    base: str
    password: str
    clicks: Counter = field(default_factory=Counter)
    typed: Counter = field(default_factory=Counter)
    sign_in_clicks: Counter = field(default_factory=Counter)
    shots: list[Path] = field(default_factory=list)
    desks: list["Desk"] = field(default_factory=list)
    inaccessible: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()

    def desk(self, browser: Browser, role: str, user: User) -> "Desk":
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.csp_violations = []  # type: ignore[attr-defined]
        page.on("console", lambda message: "Content Security Policy" in message.text
                and page.csp_violations.append(message.text))  # type: ignore[attr-defined]
        desk = Desk(self, role, user, page)
        self.desks.append(desk)
        return desk

    @contextmanager
    def photographed_on_failure(self) -> Iterator[None]:
        """Where a step fails, each desk as it stood (``FAILED-<n>.png``), to see why."""
        try:
            yield
        except Exception:
            for number, desk in enumerate(self.desks, 1):
                desk.page.screenshot(path=str(SCREENSHOTS / f"FAILED-{number}.png"), full_page=True)
            raise

    def shot(self, page: Page, step: str) -> None:
        path = SCREENSHOTS / f"{len(self.shots) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)

    def report(self) -> str:
        roles = sorted(set(self.clicks) | set(self.typed))
        lines = [f"{'role':<38}{'clicks':>8}{'of which sign-in':>18}{'fields typed':>14}"]
        for role in roles:
            lines.append(f"{role:<38}{self.clicks[role]:>8}{self.sign_in_clicks[role]:>18}{self.typed[role]:>14}")
        lines.append(f"{'total':<38}{self.clicks.total():>8}{self.sign_in_clicks.total():>18}"
                     f"{self.typed.total():>14}")
        return "\n".join(lines)


@dataclass
class Desk:
    """One person at their own browser. Every act goes through here, so it is counted."""

    walk: Walk
    role: str
    user: User
    page: Page

    def click(self, target: Locator) -> None:
        self.walk.clicks[self.role] += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.walk.clicks[self.role] += 1
        self.page.wait_for_load_state()
        target.check()

    def select(self, target: Locator, value: str | None = None, *, label: str | None = None) -> None:
        self.walk.clicks[self.role] += 1
        self.page.wait_for_load_state()
        if label is not None:
            target.select_option(label=label)
        else:
            target.select_option(value)

    def fill(self, target: Locator, text: str) -> None:
        """As a person types: after the page's scripts have loaded (some follow what is typed)."""
        self.walk.typed[self.role] += 1
        self.page.wait_for_load_state()
        target.fill(text)

    def menu(self, name: str) -> None:
        self.click(self.page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name=name))

    def sign_in(self, url: str = "/") -> None:
        """Open ``url`` signed out (a bookmark, a link in a mail), then password and second factor."""
        before = self.walk.clicks[self.role]
        self.page.goto(self.walk.base + url)
        expect(self.page).to_have_url(re.compile(r"/accounts/login/"))
        self.fill(self.page.get_by_label("E-mailadres"), self.user.email)
        self.fill(self.page.get_by_role("textbox", name="Wachtwoord"), self.walk.password)
        self.click(self.page.get_by_role("button", name="Inloggen"))
        expect(self.page).to_have_url(re.compile(r"/accounts/mfa/"))
        self.fill(self.page.get_by_label("Zescijferige code"), code_for(self.user))
        self.click(self.page.get_by_role("button", name="Bevestigen"))
        self.walk.sign_in_clicks[self.role] += self.walk.clicks[self.role] - before

    def shot(self, step: str) -> None:
        """The page as it stands photographed, and checked by axe-core (what fails is kept for the end)."""
        self.page.wait_for_load_state("networkidle")
        self.walk.shot(self.page, step)
        try:
            assert_accessible(self.page)
        except AssertionError as failure:
            self.walk.inaccessible.append(f"{step}: {failure}")

    def status(self) -> Locator:
        return self.page.get_by_role("status")

    def main(self) -> Locator:
        return self.page.locator("main")
