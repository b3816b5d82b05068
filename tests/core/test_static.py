"""Every stylesheet, script, image and font a page refers to is served: from the finders in
development and tests, and from collectstatic's hashed manifest with production settings.
(The stylesheet once went unserved while every test passed; these tests would have failed.)"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from netwerkregie.core.roles import Role
from tests.demo_pages import ROLES, demo_client, pages_for

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(?P<url>/static/[^"]+)"')
CSS_URL = re.compile(r"""url\(\s*["']?(?P<url>[^"')]+)["']?\s*\)""")
MENU_LINK = re.compile(r'class="utrecht-nav-list__link[^"]*"[^>]*href="(?P<url>[^"]+)"'
                       r'|href="(?P<url2>[^"]+)"[^>]*class="utrecht-nav-list__link')


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


@pytest.fixture
def demo(settings: object, tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history", stdout=StringIO())


@pytest.mark.django_db
def test_every_page_of_every_role_gets_every_asset_it_refers_to(demo: None) -> None:
    seen: dict[str, int] = {}
    pages = 0
    for client, url, html in every_demo_page():
        assets = referenced_assets(html)
        assert any("/nlds/components/" in a for a in assets), url  # the NL Design System's components
        assert any("/nlds/tokens/" in a for a in assets), url
        assert any("/themes/" in a for a in assets), url
        for asset in assets:
            fetch_asset(client, asset, seen)
        pages += 1
    assert pages > 60
    assert any(url.endswith((".woff2", ".woff")) for url in seen)  # the font files, reached through CSS
    assert {url: status for url, status in seen.items() if status != 200} == {}


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


@pytest.mark.django_db
def test_no_page_shows_a_person_an_iso_date_or_a_raw_choice_code(demo: None) -> None:
    offenders = []
    for _client, url, html in every_demo_page():
        parser = VisibleText()
        parser.feed(html)
        text = " ".join(parser.parts)
        found = (*ISO_DATE.finditer(text), *RAW_CODES.finditer(text))
        offenders += [(url, text[max(0, m.start() - 50):m.end() + 10]) for m in found]
    assert offenders == [], offenders


@pytest.mark.sqlite_only  # no database of the suite: once is enough
def test_production_serves_the_hashed_assets_collectstatic_wrote(tmp_path: Path) -> None:
    """collectstatic with the manifest storage fails on any url() in a stylesheet that has no file;
    then the sign-in page, rendered with production settings, refers only to files it wrote."""
    code = (
        "import django, re; django.setup();"
        "from django.core.management import call_command; from django.test import Client;"
        "call_command('collectstatic', interactive=False, verbosity=0);"
        "call_command('migrate', verbosity=0);"
        "client = Client();"
        "html = client.get('/accounts/login/', secure=True).content.decode();"
        "urls = re.findall(r'(?:href|src)=\"(/static/[^\"]+)\"', html);"
        "print('\\n'.join(f'{client.get(u, secure=True).status_code} {u}' for u in urls))"
    )
    key = "k" * 50
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "netwerkregie.settings", "SECRET_KEY": key, "IDENTIFIER_HASH_KEY": key,
        "FIELD_ENCRYPTION_KEYS": "ZmVybmV0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=",
        "ALLOWED_HOSTS": "testserver", "NETWERKREGIE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.split("\n")
    served = [line for line in lines if line.startswith("200 ")]
    assert len(served) >= 5, result.stdout
    assert served == [line for line in lines if line], result.stdout
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|svg|js)$", line) for line in served), result.stdout  # hashed names
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_a_missing_theme_or_design_system_package_stops_the_checks(settings: object) -> None:
    from netwerkregie.core.checks import interface_assets_are_present

    assert interface_assets_are_present() == []
    settings.THEME = "nergens"  # type: ignore[attr-defined]
    [error] = interface_assets_are_present()
    assert error.id == "netwerkregie.E005"
    assert "netwerkregie/themes/nergens/theme.css" in error.msg


@pytest.mark.django_db
def test_a_municipality_brings_its_own_theme_from_outside_the_code(
        settings: object, tmp_path: Path, client_for: object) -> None:
    theme = tmp_path / "gouda"
    theme.mkdir()
    (theme / "theme.css").write_text(".netwerkregie-theme { --nr-brand: #004d7a; }\n")
    (theme / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n')
    settings.THEME = "gouda"  # type: ignore[attr-defined]
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("netwerkregie/themes/gouda", theme)]  # type: ignore[attr-defined]
    settings.MUNICIPALITY_NAME = "Gemeente Gouda"  # type: ignore[attr-defined]
    client = client_for(Role.COORDINATOR)  # type: ignore[operator]
    html = client.get("/").content.decode()
    assert "/static/netwerkregie/themes/gouda/theme.css" in html
    assert "Gemeente Gouda" in html
    response = client.get("/static/netwerkregie/themes/gouda/theme.css")
    assert response.status_code == 200
    assert b"#004d7a" in b"".join(response.streaming_content)
