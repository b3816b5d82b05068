"""SITE_URL, the start of every link in mail, is one real address: never a wildcard trusted origin."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks.registry import registry

from netwerkregie.notifications.checks import site_url_is_set

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env: str) -> str:
    """SITE_URL as the production settings make it, in a fresh interpreter with exactly this environment."""
    clean = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "IDENTIFIER_HASH_KEY": "h" * 48,
             "SECRET_KEY": "x" * 50, **env}
    result = subprocess.run([sys.executable, "-c", "from netwerkregie import settings; print(settings.SITE_URL)"],
                            env=clean, capture_output=True, text=True, check=False)
    if result.returncode:
        return "refused: " + result.stderr.strip().splitlines()[-1]
    return result.stdout.strip()


@pytest.mark.parametrize(("env", "expected"), [
    ({"CSRF_TRUSTED_ORIGINS": "https://netwerkregie.gemeente.nl"}, "https://netwerkregie.gemeente.nl"),
    # Django allows a wildcard origin; a link cannot start with one: the first real origin, else none.
    ({"CSRF_TRUSTED_ORIGINS": "https://*.gemeente.nl,https://netwerkregie.gemeente.nl"},
     "https://netwerkregie.gemeente.nl"),
    ({"CSRF_TRUSTED_ORIGINS": "https://*.gemeente.nl"}, ""),
    ({"CSRF_TRUSTED_ORIGINS": "https://*.gemeente.nl", "SITE_URL": "https://nr.gemeente.nl"}, "https://nr.gemeente.nl"),
])
def test_site_url_defaults_to_the_first_real_trusted_origin(env: dict[str, str], expected: str) -> None:
    assert site_url(**env) == expected


def test_a_wildcard_site_url_stops_start_up() -> None:
    assert site_url(SITE_URL="https://*.gemeente.nl").startswith("refused: ")
    assert "SITE_URL" in site_url(SITE_URL="https://*.gemeente.nl")


def test_check_deploy_warns_when_site_url_is_empty(settings) -> None:
    assert site_url_is_set in registry.get_checks(include_deployment_checks=True)
    settings.SITE_URL = ""
    assert [message.id for message in site_url_is_set()] == ["netwerkregie.W002"]
    settings.SITE_URL = "https://netwerkregie.gemeente.nl"
    assert site_url_is_set() == []
