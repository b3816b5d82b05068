"""Every menu page and deeper page of every demo role, read once and checked for two things: every stylesheet,
script, image and font it refers to is served (from the finders, as in development), and no page shows a person
an ISO date or a raw choice code. The demo is loaded once for the module and the pages are read once for both
tests (``swept``; make test keeps a module that loads the demo once on one worker, see tests/conftest.py):
reading them took a quarter of a minute per test."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.demo_pages import ROLES, demo_client, pages_for
from tests.demo_snapshot import demo_for_the_module

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(?P<url>/static/[^"]+)"')
CSS_URL = re.compile(r"""url\(\s*["']?(?P<url>[^"')]+)["']?\s*\)""")
MENU_LINK = re.compile(r'class="utrecht-nav-list__link[^"]*"[^>]*href="(?P<url>[^"]+)"'
                       r'|href="(?P<url2>[^"]+)"[^>]*class="utrecht-nav-list__link')

demo_loaded = demo_for_the_module("--no-history")


def referenced_assets(html: str) -> set[str]:
    return {match["url"] for match in REFERENCE.finditer(html)}


def fetch_asset(client: Client, url: str, seen: dict[str, int]) -> None:
    """GET an asset and, for a stylesheet, everything its url() references relative to it."""
    if url in seen:
        return
    response = client.get(url)
    seen[url] = response.status_code
    if response.status_code != 200 or not url.endswith(".css"):
        return
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    for match in CSS_URL.finditer(body):
        target = match["url"]
        if target.startswith(("data:", "#")):
            continue
        fetch_asset(client, urlsplit(urljoin(url, target)).path, seen)


def every_demo_page() -> Iterator[tuple[Client, str, str]]:
    """(client, url, html) for every menu page and deeper page of every demo role."""
    for local in ROLES:
        client = demo_client(local)
        home = client.get("/")
        assert home.status_code == 200, local
        menu = {m["url"] or m["url2"] for m in MENU_LINK.finditer(home.content.decode())}
        assert "/" in menu, local
        assert len(menu) >= 2, local
        for url in sorted(menu) + pages_for(local):
            response = client.get(url)
            assert response.status_code == 200, (local, url, response.status_code)
            yield client, url, response.content.decode()


class VisibleText(HTMLParser):
    """The text a person reads: no attributes, scripts, styles or machine-readable <time> values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
# Stored codes of choices that must reach people only as their labels.
RAW_CODES = re.compile(r"(?<![\w-])(planned|running|completed|stopped|national_grant|municipal|facilitator|"
                       r"compulsory|handed_over|no_concern|advice_given|case_opened|community_centre|"
                       r"parent|guardian|scheduled|closed|extended|monitoring)(?![\w-])")


@dataclass
class Sweep:
    pages: list[tuple[str, str, set[str]]]  # (url, html, the assets it refers to)
    served: dict[str, int]  # every asset the pages refer to, and what their stylesheets reach: its status


# Per loaded demo (its var directory, new for each module's load): the pages as the first test here read them.
_SWEPT: dict[Path, Sweep] = {}


@pytest.fixture
def swept(demo_loaded: Path, settings: object) -> Sweep:
    settings.DEMO, settings.VAR_DIR = True, demo_loaded  # type: ignore[attr-defined]
    if demo_loaded not in _SWEPT:
        served: dict[str, int] = {}
        pages = []
        for client, url, html in every_demo_page():
            assets = referenced_assets(html)
            for asset in assets:
                fetch_asset(client, asset, served)
            pages.append((url, html, assets))
        _SWEPT[demo_loaded] = Sweep(pages, served)
    return _SWEPT[demo_loaded]


def test_every_page_of_every_role_gets_every_asset_it_refers_to(swept: Sweep) -> None:
    for url, _html, assets in swept.pages:
        assert any("/nlds/components/" in a for a in assets), url  # the NL Design System's components
        assert any("/nlds/tokens/" in a for a in assets), url
        assert any("/themes/" in a for a in assets), url
    assert len(swept.pages) > 60
    assert any(url.endswith((".woff2", ".woff")) for url in swept.served)  # the font files, reached through CSS
    assert {url: status for url, status in swept.served.items() if status != 200} == {}


def test_no_page_shows_a_person_an_iso_date_or_a_raw_choice_code(swept: Sweep) -> None:
    offenders = []
    for url, html, _assets in swept.pages:
        parser = VisibleText()
        parser.feed(html)
        text = " ".join(parser.parts)
        found = (*ISO_DATE.finditer(text), *RAW_CODES.finditer(text))
        offenders += [(url, text[max(0, m.start() - 50):m.end() + 10]) for m in found]
    assert offenders == [], offenders
