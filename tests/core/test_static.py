"""Every stylesheet, script, image and font a page refers to is served: from the finders in
development and tests (every demo page of every role: ``test_every_demo_page.py``), and from collectstatic's
hashed manifest with production settings. (The stylesheet once went unserved while every test passed; these
tests would have failed.)"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netwerkregie.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.once  # no database of the suite (a minute of compressing): once is enough
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
