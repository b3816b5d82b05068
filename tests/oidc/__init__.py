"""A real OpenID Connect provider for the sign-in tests (node-oidc-provider from npm, started on
loopback), its test accounts, and the settings that point Netwerkregie at it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "netwerkregie-tests"
CLIENT_SECRET = "tests-only-client-secret-0123456789abcdef"
PASSWORD = "at-the-provider"
MFA_ACR = "urn:test:loa:mfa"

# Subjects as the provider knows them. Netwerkregie's accounts are made per test.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "staff-7f3a-coordinator": {"email": "carla.provider@gemeente.test", "name": "Carla Regie",
                               "amr": ["pwd", "mfa"], "acr": MFA_ACR, "groups": ["nr-coordinators"]},
    "staff-91bc-case-manager": {"email": "cas.provider@gemeente.test", "name": "Cas Casus",
                                "amr": ["pwd"], "groups": []},
    "staff-22de-stranger": {"email": "onbekend@gemeente.test", "name": "Onbekende Medewerker",
                            "amr": ["pwd", "mfa"], "groups": ["nr-other"]},
    "staff-5e10-newcomer": {"email": "nieuw.analist@gemeente.test", "name": "Nina Nieuw",
                            "amr": ["pwd"], "groups": ["nr-analysts", "nr-other"]},
    "staff-0aa1-leaver": {"email": "vertrokken@gemeente.test", "name": "Victor Vertrokken",
                          "amr": ["pwd", "mfa"], "groups": []},
}
GROUP_ROLES = {"nr-coordinators": "coordinator", "nr-analysts": "analyst", "nr-case-managers": "case_manager"}


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[str]


@contextmanager
def running_provider(workdir: Path, redirect_uris: list[str],
                     post_logout_redirect_uris: list[str] | None = None) -> Iterator[Provider]:
    """The provider, with one client whose sign-in comes back to ``redirect_uris`` and whose sign-out
    may return to ``post_logout_redirect_uris`` (by default the sign-in page beside each)."""
    node = shutil.which("node")
    assert node, "Node.js is needed for the OpenID Connect provider (make test installs it)"
    assert (ROOT / "node_modules" / "oidc-provider").is_dir(), "npm ci installs oidc-provider (make test does)"
    config = workdir / "oidc-provider.json"
    config.write_text(json.dumps({
        "port": 0,
        "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris,
                   "post_logout_redirect_uris": post_logout_redirect_uris if post_logout_redirect_uris is not None
                   else [urljoin(uri, "/accounts/login/") for uri in redirect_uris]},
        "accounts": {sub: {**account, "password": PASSWORD} for sub, account in ACCOUNTS.items()},
    }))
    process = subprocess.Popen([node, str(SCRIPT), str(config)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        issuer = ""
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("listening "):
                issuer = line.split()[1]
                break
        assert issuer, "the OpenID Connect provider did not start"
        # Keep reading its output so the pipe never fills.
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
        yield Provider(issuer=issuer, process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure(settings: Any, provider: Provider, **extra: Any) -> None:
    """Point Netwerkregie at the provider, as the environment would in production."""
    from netwerkregie.accounts import oidc

    oidc._discovered.clear()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Testgemeente ID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid profile email groups"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_ROLES = dict(GROUP_ROLES)
    settings.OIDC_SELF_REGISTER_ROLES = ["analyst"]
    settings.OIDC_MFA_ACR_VALUES = [MFA_ACR]
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    # As settings.py derives them from OIDC_ISSUER: the sign-out form may lead to the provider.
    settings.OIDC_SIGN_OUT_ORIGINS = [provider.issuer]
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": {
        **policy["DIRECTIVES"], "form-action": [*policy["DIRECTIVES"]["form-action"], provider.issuer]}}
    if oidc.BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND]
    for name, value in extra.items():
        setattr(settings, name, value)


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in_at_provider(authorization_url: str, subject: str, *, until: str,
                        browser: requests.Session | None = None) -> str:
    """What the person does at the provider, over plain HTTP: open the authorization URL, fill in the
    provider's form, follow its redirects. Returns the URL it sends the browser back to (starting with
    ``until``), without opening it. Pass ``browser`` to keep the provider's session cookie afterwards."""
    browser = browser or requests.Session()
    form_page = browser.get(authorization_url, timeout=10)
    assert form_page.status_code == 200, form_page.text
    action = re.search(r'action="([^"]+)"', form_page.text)
    assert action, form_page.text
    response = browser.post(urljoin(form_page.url, action.group(1)), data={"username": subject, "password": PASSWORD},
                            allow_redirects=False, timeout=10)
    for _hop in range(10):
        assert response.is_redirect, (response.status_code, response.text)
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(until):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def _follow(browser: requests.Session, response: requests.Response, until: str) -> str | requests.Response:
    """Follow the provider's redirects: the URL starting with ``until`` it sends the browser to (not
    opened), or the page it stops at."""
    for _hop in range(10):
        if not response.is_redirect:
            return response
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(until):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider kept redirecting")


def reauthorise(browser: requests.Session, authorization_url: str, *, until: str) -> str | None:
    """Open an authorization URL in a browser that may still have a session at the provider: the URL it
    sends the browser straight back to (signed in without being asked), or None when it asks to sign in."""
    answer = _follow(browser, browser.get(authorization_url, allow_redirects=False, timeout=10), until)
    if isinstance(answer, str):
        return answer
    assert answer.status_code == 200, (answer.status_code, answer.text)
    assert 'name="password"' in answer.text, (answer.status_code, answer.text)
    return None


def end_session_at_provider(browser: requests.Session, end_session_url: str, *, until: str) -> str:
    """What the person does at the provider after signing out here: open the end-session URL, confirm
    signing out there too (the provider's own page and form), follow its redirects. Returns the URL it
    sends the browser back to (starting with ``until``), without opening it."""
    page = browser.get(end_session_url, allow_redirects=False, timeout=10)
    assert page.status_code == 200, (page.status_code, page.text)
    form = re.search(r'<form[^>]*id="op.logoutForm"[^>]*>(.*?)</form>', page.text, flags=re.DOTALL)
    assert form, page.text
    action = re.search(r'action="([^"]+)"', form.group(0))
    assert action, form.group(0)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))
    response = browser.post(urljoin(page.url, action.group(1)), data={**fields, "logout": "yes"},
                            allow_redirects=False, timeout=10)
    answer = _follow(browser, response, until)
    assert isinstance(answer, str), (answer.status_code, answer.text)
    return answer
