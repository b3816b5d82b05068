"""The manual built with the browser sweep's own screenshots, none replaced by a placeholder.

In ``make test`` this runs after ``test_axe_sweep.py`` (pytest takes the files in name order), so every
screenshot is there already and the test only builds. Run on its own (``make docs`` does), it first makes
the screenshots that are missing with the sweep's own steps (sign in, open, axe, photograph), so the images
are exactly those the sweep makes.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from netwerkregie.core.models import User
from scripts.manual_screenshots import referenced_screenshots
from tests.browser.test_axe_sweep import SCREENSHOTS, sign_in_demo, sweep
from tests.test_manual import DOCS, PHONE, build, screenshot_name, sweep_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photograph_missing(browser: Browser, base: str, password: str, shown: set[tuple[str, str]]) -> None:
    missing: dict[str, list[str]] = {}
    for folder, name in sorted(shown):
        if not (SCREENSHOTS / folder / f"{name}.png").is_file():
            missing.setdefault(folder, []).append(sweep_pages(folder)[name])
    for folder, urls in missing.items():
        phone = folder == PHONE
        local = "partner" if phone else folder
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 720}
        context = browser.new_context(locale="nl-NL", viewport=viewport, is_mobile=phone)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.csp_violations = []  # type: ignore[attr-defined]
        (SCREENSHOTS / folder).mkdir(parents=True, exist_ok=True)
        sign_in_demo(page, base, User.objects.get(email=f"{local}@demo.netwerkregie.test"), password)
        try:
            sweep(page, base, urls, SCREENSHOTS / folder, phone=phone)
        except AssertionError:
            # The sweep photographs before it checks the assets: a page that failed is not kept for the manual.
            for url in urls:
                (SCREENSHOTS / folder / f"{screenshot_name(url)}.png").unlink(missing_ok=True)
            raise
        finally:
            context.close()


def test_the_manual_shows_the_sweeps_own_screenshots(browser: Browser, live_server: object, settings: object,
                                                     tmp_path: Path) -> None:
    shown = referenced_screenshots(DOCS)
    if any(not (SCREENSHOTS / folder / f"{name}.png").is_file() for folder, name in shown):
        settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
        call_command("load_demo", stdout=StringIO())
        password = (tmp_path / "demo-password").read_text().strip()
        photograph_missing(browser, live_server.url, password, shown)  # type: ignore[attr-defined]

    result = build(tmp_path / "site", placeholders=False)
    assert result.returncode == 0, result.stderr
    for folder, name in shown:
        built = tmp_path / "site" / "img" / folder / f"{name}.png"
        assert built.read_bytes() == (SCREENSHOTS / folder / f"{name}.png").read_bytes(), built
